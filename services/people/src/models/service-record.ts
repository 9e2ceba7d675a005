import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';

/**
 * Volunteer service hours (志愿服务时长): one activity on one day. It belongs to the volunteer's
 * branch (copied when recorded), so subtree totals are one indexed match.
 */
const serviceRecordSchema = new Schema(
  {
    volunteerId: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: Schema.Types.ObjectId, default: null },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    activity: { type: String, required: true },
    date: { type: Date, required: true },
    hours: { type: Number, required: true },
  },
  { timestamps: true },
);

serviceRecordSchema.index({ volunteerId: 1, date: 1 });
serviceRecordSchema.index({ teamId: 1, date: 1 });
serviceRecordSchema.index({ orgPath: 1, date: 1 });

export interface ServiceRecordDoc {
  _id: Types.ObjectId;
  volunteerId: Types.ObjectId;
  teamId: Types.ObjectId | null;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  activity: string;
  date: Date;
  hours: number;
}

export function serviceRecordModel(connection: Connection): Model<ServiceRecordDoc> {
  return (
    (connection.models.ServiceRecord as Model<ServiceRecordDoc>) ??
    connection.model<ServiceRecordDoc>('ServiceRecord', serviceRecordSchema, 'serviceRecords')
  );
}
