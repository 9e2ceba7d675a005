import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField } from '@rcsc/reorganizations';
import { LEVELS, type Level } from './syllabus-module';

export const TRAINING_CATEGORIES = [
  'NEW_LEADERS',
  'PARTY_HISTORY',
  'SUPERVISORY_BOARD',
  'VOLUNTEER_SERVICE',
  'IHL_INSTRUCTORS',
  'FUNDRAISING_FINANCE',
  'ORGANIZATION_BUILDING',
  'EMERGENCY_RESPONSE',
] as const;
export type TrainingCategory = (typeof TRAINING_CATEGORIES)[number];

/** A training class (培训班); its sessions and enrolments are documents of their own. */
const trainingClassSchema = new Schema(
  {
    title: { type: String, required: true },
    category: { type: String, enum: TRAINING_CATEGORIES, required: true },
    /** The host branch and its path. */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    startsOn: { type: Date, required: true },
    endsOn: { type: Date, required: true },
    place: { type: String, required: true },
    capacity: { type: Number, required: true },
    audienceLevel: { type: String, enum: [...LEVELS, null], default: null },
    cancelledOn: { type: Date, default: null },
    /** Distinct module codes of the sessions (kept with the sessions, in one transaction). */
    moduleCodes: { type: [String], default: [] },
    /** Distinct instructors of the sessions (kept with the sessions, in one transaction). */
    instructorIds: { type: [Schema.Types.ObjectId], default: [] },
    totalHours: { type: Number, default: 0 },
    /** Enrolments not withdrawn; checked against capacity in the enrolling transaction. */
    enrollmentCount: { type: Number, default: 0 },
    /** Completion criteria: share of sessions to attend, and whether an assessment must be passed. */
    minAttendanceRate: { type: Number, default: 0.8 },
    requiresAssessment: { type: Boolean, default: false },
    /** Trainees on the waiting list, and the last place number given out (places are never reused). */
    waitingCount: { type: Number, default: 0 },
    lastWaitSeq: { type: Number, default: 0 },
  },
  { timestamps: true },
);

trainingClassSchema.index({ orgPath: 1, startsOn: 1 });
trainingClassSchema.index({ organizationId: 1, startsOn: 1 });
trainingClassSchema.index({ category: 1, startsOn: 1 });
trainingClassSchema.index({ instructorIds: 1, startsOn: 1 });
trainingClassSchema.index({ moduleCodes: 1, startsOn: 1 });
trainingClassSchema.index({ startsOn: 1 });

/** A stored class, as read with lean(). */
export interface TrainingClassDoc {
  _id: Types.ObjectId;
  title: string;
  category: TrainingCategory;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  startsOn: Date;
  endsOn: Date;
  place: string;
  capacity: number;
  audienceLevel: Level | null;
  cancelledOn: Date | null;
  moduleCodes: string[];
  instructorIds: Types.ObjectId[];
  totalHours: number;
  enrollmentCount: number;
  minAttendanceRate: number;
  requiresAssessment: boolean;
  waitingCount: number;
  lastWaitSeq: number;
}

export function trainingClassModel(connection: Connection): Model<TrainingClassDoc> {
  return modelOn<TrainingClassDoc>(connection, 'TrainingClass', trainingClassSchema, 'trainingclasses');
}
