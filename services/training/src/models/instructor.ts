import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField } from '@rcsc/reorganizations';
import type { ProtectedValue } from '@rcsc/personal-data';
import { LEVELS, type Level } from './syllabus-module';

export const INSTRUCTOR_CATEGORIES = ['FULL_TIME_STAFF', 'PART_TIME_STAFF', 'EXPERT', 'SCHOLAR'] as const;
export type InstructorCategory = (typeof INSTRUCTOR_CATEGORIES)[number];
export const INSTRUCTOR_STATUSES = ['ACTIVE', 'SUSPENDED', 'RETIRED'] as const;
type InstructorStatus = (typeof INSTRUCTOR_STATUSES)[number];

const protectedSchema = new Schema({ hash: String, cipher: String, masked: String }, { _id: false });

const qualificationSchema = new Schema(
  {
    moduleCode: { type: String, required: true },
    title: { type: String, required: true },
    issuedOn: { type: Date, required: true },
    expiresOn: { type: Date, required: true },
  },
  { _id: false },
);

/** A period the instructor declared unavailable (dates inclusive); removal keeps it, dated. */
const unavailabilitySchema = new Schema({
  from: { type: Date, required: true },
  to: { type: Date, required: true },
  reason: { type: String, default: null },
  removedOn: { type: Date, default: null },
});

const statusChangeSchema = new Schema(
  { status: { type: String, enum: INSTRUCTOR_STATUSES, required: true }, since: { type: Date, required: true } },
  { _id: false },
);

/** An instructor of a branch's pool (师资库). */
const instructorSchema = new Schema(
  {
    name: { type: String, required: true },
    category: { type: String, enum: INSTRUCTOR_CATEGORIES, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    /** pathOf(holding branch): "the pools under X" is one indexed match. */
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    /** The holding branch's level. */
    tier: { type: String, enum: LEVELS, required: true },
    topics: { type: [String], default: [] },
    qualifications: { type: [qualificationSchema], default: [] },
    contact: {
      phone: { type: protectedSchema, default: null },
      email: { type: protectedSchema, default: null },
    },
    status: { type: String, enum: INSTRUCTOR_STATUSES, required: true },
    statusSince: { type: Date, required: true },
    /** Every status the instructor had, oldest first (nothing is lost when it changes). */
    statusHistory: { type: [statusChangeSchema], default: [] },
    joinedOn: { type: Date, required: true },
    /** Declared unavailable periods (请假/外出): booking refuses sessions within them. */
    unavailable: { type: [unavailabilitySchema], default: [] },
    /**
     * Bumped inside every transaction that assigns the instructor to a session, so that two
     * concurrent assignments of the same instructor write-conflict and one retries (and then sees
     * the other's session in its overlap check).
     */
    scheduleRevision: { type: Number, default: 0 },
  },
  { timestamps: true },
);

instructorSchema.index({ orgPath: 1, name: 1 });
instructorSchema.index({ organizationId: 1, name: 1 });
instructorSchema.index({ topics: 1, name: 1 });
instructorSchema.index({ tier: 1, name: 1 });
instructorSchema.index({ category: 1, name: 1 });
instructorSchema.index({ status: 1, name: 1 });
instructorSchema.index({ name: 1 });
instructorSchema.index({ 'qualifications.expiresOn': 1 });
// "Unavailable during these days" is a bounded range on the period's first day (periods last at most a year).
instructorSchema.index({ 'unavailable.from': 1 });
instructorSchema.index({ 'contact.phone.hash': 1 }, { sparse: true });

export interface QualificationDoc {
  moduleCode: string;
  title: string;
  issuedOn: Date;
  expiresOn: Date;
}

/** A stored instructor, as read with lean(). */
export interface InstructorDoc {
  _id: Types.ObjectId;
  name: string;
  category: InstructorCategory;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  tier: Level;
  topics: string[];
  qualifications: QualificationDoc[];
  contact: { phone: ProtectedValue | null; email: ProtectedValue | null };
  status: InstructorStatus;
  statusSince: Date;
  statusHistory: { status: InstructorStatus; since: Date }[];
  joinedOn: Date;
  unavailable?: UnavailabilityDoc[];
  scheduleRevision: number;
}

export interface UnavailabilityDoc {
  _id: Types.ObjectId;
  from: Date;
  to: Date;
  reason: string | null;
  removedOn: Date | null;
}

export function instructorModel(connection: Connection): Model<InstructorDoc> {
  return modelOn<InstructorDoc>(connection, 'Instructor', instructorSchema, 'instructors');
}
