import { AuditEntryResolvers, scalarResolvers } from '@rcsc/service-kit';
import { DataQuality } from './DataQuality';
import { Mutation } from './mutations';
import { Notice, ReadReceipt } from './Notice';
import { Organization } from './Organization';
import { Query } from './Query';
import { Actor, Completeness, CompletenessEntry, Period, Submission } from './Submission';
import { Target, TargetProgress } from './Target';
import { TaskProgress, WorkPlanTask } from './WorkPlan';

export const resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Organization,
  Submission,
  Actor,
  Period,
  Completeness,
  CompletenessEntry,
  Target,
  TargetProgress,
  WorkPlanTask,
  TaskProgress,
  Notice,
  ReadReceipt,
  AuditEntry: AuditEntryResolvers,
  DataQuality,
};
