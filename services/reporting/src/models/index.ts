import type { Connection } from 'mongoose';
import { serviceModels, type Page } from '@rcsc/service-kit';
import { noticeModel, type NoticeDoc } from './notice';
import { reportingPeriodModel } from './reporting-period';
import { submissionModel, type SubmissionDoc } from './submission';
import { targetModel } from './target';
import { taskStatusModel, workPlanTaskModel } from './work-plan';
import type { BranchInfo } from '@rcsc/directory';
import type { FilingStatus, Period, Timeliness } from '../rules';
import type { TargetDoc, TargetMeasure } from './target';
import type { TaskStatusDoc, WorkPlanTaskDoc } from './work-plan';

export * from './common';
export * from './notice';
export * from './reporting-period';
export * from './submission';
export * from './target';
export * from './work-plan';

export function createModels(connection: Connection) {
  return serviceModels(connection, {
    Submission: submissionModel,
    ReportingPeriod: reportingPeriodModel,
    Target: targetModel,
    WorkPlanTask: workPlanTaskModel,
    TaskStatus: taskStatusModel,
    Notice: noticeModel,
  });
}
export type Models = ReturnType<typeof createModels>;

export type SubmissionPage = Page<SubmissionDoc>;
export type NoticePage = Page<NoticeDoc>;
/** A period as resolved: with its due date. */
export type PeriodView = Period & { dueDate: Date };

export interface CompletenessEntryView {
  branch: BranchInfo;
  status: FilingStatus;
  timeliness: Timeliness | null;
  submission: SubmissionDoc | null;
}
export type CompletenessEntryPage = Page<CompletenessEntryView>;
export interface CompletenessView {
  period: PeriodView;
  scope: 'CHILDREN' | 'SUBTREE';
  counts: Record<string, number>;
  entries: () => Promise<CompletenessEntryPage>;
}

export interface TargetProgressView {
  measure: TargetMeasure;
  description: string;
  target: TargetDoc | null;
  fields: string[];
  actual: number | null;
  ratio: number | null;
}
export interface TaskProgressView {
  task: WorkPlanTaskDoc;
  organizationId: string;
  status: TaskStatusDoc | null;
}
export interface TaskTallyView {
  task: WorkPlanTaskDoc;
  notStarted: number;
  inProgress: number;
  done: number;
}
export type ReadReceiptDoc = NoticeDoc['readReceipts'][number];
