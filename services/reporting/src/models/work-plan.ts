import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import type { TaskState } from '../rules';
import { actorSchema, branchFields, type ActorDoc, type BranchOwned } from './common';

/** A numbered task of a year's work plan (the seed's 20 tasks for 2021). */
const workPlanTaskSchema = new Schema(
  {
    year: { type: Number, required: true },
    number: { type: Number, required: true },
    section: { type: Number, required: true },
    heading: { type: String, required: true },
    text: { type: String, required: true },
    fromMonth: { type: Number, required: true },
    toMonth: { type: Number, required: true },
    months: { type: String, required: true },
    responsibleUnits: { type: [String], default: [] },
  },
  { timestamps: true },
);

workPlanTaskSchema.index({ year: 1, number: 1 }, { unique: true });

export interface WorkPlanTaskDoc {
  _id: Types.ObjectId;
  year: number;
  number: number;
  section: number;
  heading: string;
  text: string;
  fromMonth: number;
  toMonth: number;
  months: string;
  responsibleUnits: string[];
}

/** A branch's status on a task; one record per branch and task, its changes kept in `history`. */
const taskStatusSchema = new Schema(
  {
    ...branchFields,
    parentId: { type: Schema.Types.ObjectId, default: null },
    taskId: { type: Schema.Types.ObjectId, required: true },
    year: { type: Number, required: true },
    taskNumber: { type: Number, required: true },
    state: { type: String, enum: ['NOT_STARTED', 'IN_PROGRESS', 'DONE'], required: true },
    startedOn: { type: Date, default: null },
    completedOn: { type: Date, default: null },
    note: { type: String, default: null },
    updatedBy: { type: actorSchema, default: null },
    history: {
      type: [new Schema({ state: String, at: Date, by: { type: actorSchema, default: null }, note: String }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true },
);

taskStatusSchema.index({ organizationId: 1, taskId: 1 }, { unique: true });
taskStatusSchema.index({ organizationId: 1, year: 1, taskNumber: 1 });
taskStatusSchema.index({ parentId: 1, year: 1, taskNumber: 1 });

export interface TaskStatusDoc extends BranchOwned {
  _id: Types.ObjectId;
  parentId: Types.ObjectId | null;
  taskId: Types.ObjectId;
  year: number;
  taskNumber: number;
  state: TaskState;
  startedOn: Date | null;
  completedOn: Date | null;
  note: string | null;
  updatedBy: ActorDoc | null;
  updatedAt?: Date;
  history: { state: TaskState; at: Date; by: ActorDoc | null; note?: string | null }[];
}

export function workPlanTaskModel(connection: Connection): Model<WorkPlanTaskDoc> {
  return modelOn<WorkPlanTaskDoc>(connection, 'WorkPlanTask', workPlanTaskSchema, 'work_plan_tasks');
}

export function taskStatusModel(connection: Connection): Model<TaskStatusDoc> {
  return modelOn<TaskStatusDoc>(connection, 'TaskStatus', taskStatusSchema, 'task_statuses');
}
