import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';

type RatingStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

/** A star rating (星级评定) requested for a volunteer and decided by the branch the rules name. */
const starRatingSchema = new Schema(
  {
    volunteerId: { type: Schema.Types.ObjectId, required: true },
    /** The volunteer's branch path when requested. */
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    stars: { type: Number, required: true, min: 1, max: 5 },
    status: { type: String, enum: ['PENDING', 'APPROVED', 'REJECTED'], required: true },
    requestedOn: { type: Date, required: true },
    hoursAtRequest: { type: Number, required: true },
    /** The branch that must decide (county for 1-3 stars, prefecture for 4, provincial for 5). */
    approverId: { type: Schema.Types.ObjectId, required: true },
    decidedBy: { type: Schema.Types.ObjectId, default: null },
    decidedOn: { type: Date, default: null },
    reason: { type: String, default: null },
  },
  { timestamps: true, optimisticConcurrency: true },
);

starRatingSchema.index({ volunteerId: 1, requestedOn: 1 });
starRatingSchema.index({ approverId: 1, status: 1, _id: 1 });
starRatingSchema.index({ orgPath: 1, status: 1 });
/** One pending request per volunteer: the database refuses a second, even from a concurrent request. */
starRatingSchema.index(
  { volunteerId: 1 },
  { unique: true, partialFilterExpression: { status: 'PENDING' }, name: 'one_pending_per_volunteer' },
);

export interface StarRatingDoc {
  _id: Types.ObjectId;
  volunteerId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  stars: number;
  status: RatingStatus;
  requestedOn: Date;
  hoursAtRequest: number;
  approverId: Types.ObjectId;
  decidedBy: Types.ObjectId | null;
  decidedOn: Date | null;
  reason: string | null;
}

export function starRatingModel(connection: Connection): Model<StarRatingDoc> {
  return modelOn<StarRatingDoc>(connection, 'StarRating', starRatingSchema, 'starRatings');
}
