import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A Member Star (会员之星) award: a member chosen in a year by a branch. */
const memberStarSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    year: { type: Number, required: true },
    /** The awarding branch and its path. */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
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
  citation: string | null;
}

export function memberStarModel(connection: Connection): Model<MemberStarDoc> {
  return (
    (connection.models.MemberStar as Model<MemberStarDoc>) ?? connection.model<MemberStarDoc>('MemberStar', memberStarSchema, 'memberStars')
  );
}
