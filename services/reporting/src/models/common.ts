import { Schema, type Types } from 'mongoose';
import { placementHistoryField } from '@rcsc/reorganizations';

/** What every record that belongs to a branch stores (taken from the directory when written). */
export const branchFields = {
  organizationId: { type: Schema.Types.ObjectId, required: true },
  /** The branch's ancestors plus the branch: "everything under X" is `{ orgPath: X }`, one indexed match. */
  orgPath: { type: [Schema.Types.ObjectId], required: true },
  /** Where the record was before reorganizations moved its branch (ADR 0008). */
  orgPathHistory: placementHistoryField,
};

export interface BranchOwned {
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
}

/** Who did something: the viewer's user id and name from the token, and the branch they acted for. */
export const actorSchema = new Schema(
  {
    userId: { type: String, required: true },
    name: { type: String, default: null },
    organizationId: { type: Schema.Types.ObjectId, default: null },
  },
  { _id: false },
);

export interface ActorDoc {
  userId: string;
  name: string | null;
  organizationId: Types.ObjectId | null;
}

/** List order of branches: division code, special systems after the regions (as organizations sorts them). */
export function branchSortKey(b: { divisionCode?: string | null; kind: string; name: string }): string {
  return b.divisionCode ? b.divisionCode : `~${b.kind}:${b.name}`;
}
