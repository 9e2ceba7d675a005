import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';

export const SERVICE_RECORD_STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'VOIDED'] as const;
export type ServiceRecordStatus = (typeof SERVICE_RECORD_STATUSES)[number];

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
    /**
     * PENDING when recorded, then CONFIRMED or REJECTED by the confirming branch; VOIDED when
     * found wrong. Records stored before the workflow have none and count as CONFIRMED
     * (migrations.ensureServiceRecordStatus sets it at boot).
     */
    status: { type: String, enum: SERVICE_RECORD_STATUSES, default: 'PENDING' },
    /** The branch that confirms: the team's, else the volunteer's; and its path (lists to confirm). */
    confirmerId: { type: Schema.Types.ObjectId, default: null },
    confirmerPath: { type: [Schema.Types.ObjectId], default: undefined },
    /** The user who recorded it (may not confirm it). */
    recordedBy: { type: String, default: null },
    decidedOn: { type: Date, default: null },
    decidedBy: { type: String, default: null },
    reason: { type: String, default: null },
  },
  { timestamps: true },
);

serviceRecordSchema.index({ volunteerId: 1, date: 1 });
serviceRecordSchema.index({ teamId: 1, date: 1 });
serviceRecordSchema.index({ orgPath: 1, date: 1 });
serviceRecordSchema.index({ confirmerPath: 1, status: 1, _id: 1 }, { partialFilterExpression: { status: 'PENDING' } });

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
  status?: ServiceRecordStatus;
  confirmerId?: Types.ObjectId | null;
  confirmerPath?: Types.ObjectId[];
  recordedBy?: string | null;
  decidedOn?: Date | null;
  decidedBy?: string | null;
  reason?: string | null;
}

/** Hours that count (totals, stars, annex row 14): CONFIRMED, or stored before the workflow (no status). */
export const COUNTED_HOURS = { status: { $in: ['CONFIRMED', null] } } as const;
/** Hours that the plausibility rule weighs: every record not rejected or voided. */
export const STANDING_HOURS = { status: { $nin: ['REJECTED', 'VOIDED'] } } as const;
/** Whether a record's hours count. */
export const hoursCount = (r: { status?: string | null }) => r.status == null || r.status === 'CONFIRMED';

export function serviceRecordModel(connection: Connection): Model<ServiceRecordDoc> {
  return modelOn<ServiceRecordDoc>(connection, 'ServiceRecord', serviceRecordSchema, 'serviceRecords');
}
