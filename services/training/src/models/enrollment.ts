import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField } from '@rcsc/reorganizations';
import { TRAINING_CATEGORIES, type TrainingCategory } from './training-class';

export const ATTENDANCE_STATUSES = ['PRESENT', 'LATE', 'ABSENT', 'EXCUSED'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** One session's attendance of one trainee, recorded by the class's organiser (the latest record stands). */
const attendanceSchema = new Schema(
  {
    sessionId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: ATTENDANCE_STATUSES, required: true },
  },
  { _id: false },
);

/** A cadre enrolled in a class (学员). */
const enrollmentSchema = new Schema(
  {
    classId: { type: Schema.Types.ObjectId, required: true },
    /** Copied from the class, so that totals per year and category are one indexed aggregation. */
    category: { type: String, enum: TRAINING_CATEGORIES, required: true },
    classStartsOn: { type: Date, required: true },
    name: { type: String, required: true },
    /** The trainee's branch and its path: totals roll up the trainee's subtree. */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    position: { type: String, required: true },
    /** Who the trainee is: a member of the people subgraph (its Member id), a staff record, or only a name. */
    memberId: { type: String, default: null },
    staffId: { type: Schema.Types.ObjectId, default: null },
    /** The person, while the enrolment stands (null once withdrawn): member:<id>, staff:<id> or name:<branch>:<name>. */
    activeKey: { type: String, default: null },
    enrolledOn: { type: Date, required: true },
    withdrawnOn: { type: Date, default: null },
    /** Per-session records; the totals below are derived from them in the same transaction, never typed. */
    attendance: { type: [attendanceSchema], default: [] },
    attendedSessions: { type: Number, default: 0 },
    attendedHours: { type: Number, default: 0 },
    /** Legacy typed completion (before per-session attendance); completion is now `completedOn` evaluated. */
    completed: { type: Boolean, default: false },
    /** The class's last day when the completion criteria are met (counted once that day has passed), else null. */
    completedOn: { type: Date, default: null },
    assessmentPassed: { type: Boolean, default: null },
    /** On the class's waiting list (no seat yet), in `waitSeq` order; `promotedOn` when a seat freed. */
    waiting: { type: Boolean, default: false },
    waitSeq: { type: Number, default: null },
    promotedOn: { type: Date, default: null },
  },
  { timestamps: true },
);

enrollmentSchema.index({ classId: 1, enrolledOn: 1 });
enrollmentSchema.index({ orgPath: 1, completedOn: 1 });
enrollmentSchema.index({ orgPath: 1, classStartsOn: 1 });
enrollmentSchema.index({ organizationId: 1, completedOn: 1 });
// One standing enrolment per person and class, whatever the concurrency (the 王伟 case: two
// people of one name are two keys; the same person twice is one).
enrollmentSchema.index({ classId: 1, activeKey: 1 }, { unique: true, partialFilterExpression: { activeKey: { $type: 'string' } } });
enrollmentSchema.index({ staffId: 1 }, { sparse: true });
// One place per number on a class's waiting list, whatever the concurrency.
enrollmentSchema.index({ classId: 1, waitSeq: 1 }, { unique: true, partialFilterExpression: { waitSeq: { $type: 'number' } } });

/** A stored enrolment, as read with lean(). */
export interface EnrollmentDoc {
  _id: Types.ObjectId;
  classId: Types.ObjectId;
  category: TrainingCategory;
  classStartsOn: Date;
  name: string;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  position: string;
  memberId?: string | null;
  staffId?: Types.ObjectId | null;
  activeKey?: string | null;
  enrolledOn: Date;
  withdrawnOn: Date | null;
  attendance: { sessionId: Types.ObjectId; status: AttendanceStatus }[];
  attendedSessions: number;
  attendedHours: number;
  completed: boolean;
  completedOn: Date | null;
  assessmentPassed: boolean | null;
  waiting: boolean;
  waitSeq: number | null;
  promotedOn: Date | null;
}

export function enrollmentModel(connection: Connection): Model<EnrollmentDoc> {
  return modelOn<EnrollmentDoc>(connection, 'Enrollment', enrollmentSchema, 'enrollments');
}
