import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import type { TableKind } from '../tables';
import { actorSchema, type ActorDoc } from './common';

/** A period's settings: its due date when it is not the default 31 December. */
const reportingPeriodSchema = new Schema(
  {
    periodKey: { type: String, required: true },
    table: { type: String, enum: ['SURVEY', 'ANNUAL'], required: true },
    asOf: { type: Date, default: null },
    year: { type: Number, required: true },
    dueDate: { type: Date, required: true },
    setBy: { type: actorSchema, default: null },
  },
  { timestamps: true },
);

reportingPeriodSchema.index({ periodKey: 1 }, { unique: true });

export interface ReportingPeriodDoc {
  _id: Types.ObjectId;
  periodKey: string;
  table: TableKind;
  asOf: Date | null;
  year: number;
  dueDate: Date;
  setBy: ActorDoc | null;
}

export function reportingPeriodModel(connection: Connection): Model<ReportingPeriodDoc> {
  return modelOn<ReportingPeriodDoc>(connection, 'ReportingPeriod', reportingPeriodSchema, 'reporting_periods');
}
