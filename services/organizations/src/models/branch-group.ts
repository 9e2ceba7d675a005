import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';

/**
 * A group of branches (示范县, pilot counties …), defined at a national or provincial branch and
 * usable by the branches of its subtree. Memberships are dated on the branches (`groups`).
 */
export interface BranchGroupDoc {
  _id: Types.ObjectId;
  name: string;
  groupSet: string;
  /** The defining branch, and its path (ancestors plus itself) for subtree checks. */
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  createdAt?: Date;
}

const branchGroupSchema = new Schema<BranchGroupDoc>(
  {
    name: { type: String, required: true },
    groupSet: { type: String, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
  },
  { timestamps: true },
);
branchGroupSchema.index({ organizationId: 1, groupSet: 1, name: 1 }, { unique: true });
branchGroupSchema.index({ orgPath: 1 });

export function branchGroupModel(connection: Connection): Model<BranchGroupDoc> {
  return modelOn<BranchGroupDoc>(connection, 'BranchGroup', branchGroupSchema, 'branch_groups');
}
