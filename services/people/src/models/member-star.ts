import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';

/** A Member Star (会员之星) award: a member chosen in a year by a branch. */
const memberStarSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    year: { type: Number, required: true },
    /** The awarding branch and its path. */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    citation: { type: String, default: null },
  },
  { timestamps: true },
);

memberStarSchema.index({ memberId: 1, year: 1 }, { unique: true });
memberStarSchema.index({ orgPath: 1, year: 1 });

export interface MemberStarDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  year: number;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  citation: string | null;
}

export function memberStarModel(connection: Connection): Model<MemberStarDoc> {
  return modelOn<MemberStarDoc>(connection, 'MemberStar', memberStarSchema, 'memberStars');
}
