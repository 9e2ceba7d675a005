import { Schema, type Types } from 'mongoose';
export { branchFields, type BranchOwned } from '@rcsc/reorganizations';

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
