import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';

/** MOVE: a branch and its subtree under another parent; MERGE: a branch closed into another
 * (its records count under that one from the day); DISSOLVE: a branch closed where it stands;
 * RENAME: a new name, code or division type from the day (no path changes); REVERSAL: an earlier
 * entry undone as if it had never been made (`reverses`; its paths back, from the same day). */
export type ReorganizationKind = 'MOVE' | 'MERGE' | 'DISSOLVE' | 'RENAME' | 'REVERSAL';
export const REORGANIZATION_KINDS: ReorganizationKind[] = ['MOVE', 'MERGE', 'DISSOLVE', 'RENAME', 'REVERSAL'];

/**
 * One reorganization of the tree, in the order it was made: the outbox every other subgraph
 * follows (applied exactly once, in `seq` order, by @rcsc/reorganizations). Written in the same
 * transaction as the change itself.
 */
export interface ReorganizationDoc {
  /** 1, 2, 3 …: the tree version after this change. */
  _id: number;
  kind: ReorganizationKind;
  branchId: Types.ObjectId;
  /** The day from which the change holds. */
  on: Date;
  /** The branch's path (ancestors plus itself) before and after. */
  fromPath: Types.ObjectId[];
  toPath: Types.ObjectId[];
  at: Date;
  /** REVERSAL: the entry it undoes. */
  reverses?: number | null;
  /** The REVERSAL entry that undid this one, if any. */
  reversedBy?: number | null;
  /** REVERSAL: why (as given by the person who reversed it). */
  reason?: string | null;
}

const reorganizationSchema = new Schema<ReorganizationDoc>(
  {
    _id: { type: Number, required: true },
    kind: { type: String, enum: REORGANIZATION_KINDS, required: true },
    branchId: { type: Schema.Types.ObjectId, required: true },
    on: { type: Date, required: true },
    fromPath: { type: [Schema.Types.ObjectId], required: true },
    toPath: { type: [Schema.Types.ObjectId], required: true },
    at: { type: Date, required: true },
    reverses: { type: Number, default: undefined },
    reversedBy: { type: Number, default: undefined },
    reason: { type: String, default: undefined },
  },
  { versionKey: false },
);

reorganizationSchema.index({ branchId: 1, _id: -1 });

export function reorganizationModel(connection: Connection): Model<ReorganizationDoc> {
  return modelOn<ReorganizationDoc>(connection, 'Reorganization', reorganizationSchema, 'reorganizations');
}
