import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { branchFields, type BranchOwned } from './common';

export const RECORD_KINDS = ['UNITS', 'BOAI_HOMES'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * A group of units or homes (e.g. 冠名医院, 示范点, a pilot), in a group set (a family of groups;
 * a record is in at most one group of a set on any day). Defined at a branch, usable for records
 * of that branch's subtree.
 */
const groupSchema = new Schema(
  {
    ...branchFields,
    name: { type: String, required: true },
    groupSet: { type: String, required: true },
    kind: { type: String, enum: RECORD_KINDS, required: true },
  },
  { timestamps: true },
);
groupSchema.index({ organizationId: 1, kind: 1, groupSet: 1, name: 1 });

export interface GroupDoc extends BranchOwned {
  _id: Types.ObjectId;
  name: string;
  groupSet: string;
  kind: RecordKind;
}

/** One membership of a record in a group: from `since` (inclusive) until `until` (exclusive; null while it lasts). */
export const membershipSchema = new Schema(
  { groupId: { type: Schema.Types.ObjectId, required: true }, since: { type: Date, required: true }, until: { type: Date, default: null } },
  { _id: false },
);
export interface MembershipDoc {
  groupId: Types.ObjectId;
  since: Date;
  until: Date | null;
}

export function groupModel(connection: Connection): Model<GroupDoc> {
  return modelOn<GroupDoc>(connection, 'GrassrootsGroup', groupSchema, 'groups');
}
