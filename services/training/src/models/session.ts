import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField } from '@rcsc/reorganizations';

const ratingSchema = new Schema(
  {
    instructorId: { type: Schema.Types.ObjectId, required: true },
    score: { type: Number, required: true },
    responses: { type: Number, required: true },
  },
  { _id: false },
);

/**
 * A session (课次) of a class. Its own document, so that an instructor's schedule over every class
 * ("does anything overlap?", "who is free that week?", "hours taught in 2021") is one indexed query.
 */
const sessionSchema = new Schema(
  {
    classId: { type: Schema.Types.ObjectId, required: true },
    /** Copied from the class: the host branch's path, for workloads per subtree. */
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    moduleCode: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    hours: { type: Number, required: true },
    instructorIds: { type: [Schema.Types.ObjectId], default: [] },
    ratings: { type: [ratingSchema], default: [] },
    /** Set when the class is cancelled: the session no longer takes its instructors' time. */
    cancelledOn: { type: Date, default: null },
  },
  { timestamps: true },
);

sessionSchema.index({ classId: 1, startsAt: 1 });
sessionSchema.index({ instructorIds: 1, startsAt: 1 });
sessionSchema.index({ startsAt: 1 });
sessionSchema.index({ orgPath: 1, startsAt: 1 });

/** A stored session, as read with lean(). */
export interface SessionDoc {
  _id: Types.ObjectId;
  classId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  moduleCode: string;
  startsAt: Date;
  endsAt: Date;
  hours: number;
  instructorIds: Types.ObjectId[];
  ratings: { instructorId: Types.ObjectId; score: number; responses: number }[];
  cancelledOn: Date | null;
}

export function sessionModel(connection: Connection): Model<SessionDoc> {
  return modelOn<SessionDoc>(connection, 'TrainingSession', sessionSchema, 'sessions');
}
export type SessionRatingDoc = SessionDoc['ratings'][number];
