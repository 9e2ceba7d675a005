import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import type { BoardMember, Level } from './organization';

const memberSchema = new Schema({ name: { type: String, required: true }, position: { type: String, required: true } }, { _id: false });

const bodySchema = new Schema(
  {
    kind: { type: String, enum: ['COUNCIL', 'STANDING_COUNCIL', 'EXECUTIVE_COMMITTEE', 'SUPERVISORY_BOARD'], required: true },
    size: { type: Number, required: true },
    members: { type: [memberSchema], default: [] },
  },
  { _id: false },
);

/** A term (届) opened by a members' congress; `endedOn` is set when the next congress opens the next term. */
const termSchema = new Schema(
  {
    organizationId: { type: Schema.Types.ObjectId, required: true },
    /** Copied from the branch so that subtree queries over terms are one indexed match. */
    ancestorIds: { type: [Schema.Types.ObjectId], default: [] },
    /** The branch's earlier places in the tree, as on the branch (the dated tree). */
    pathHistory: { type: [new Schema({ ancestorIds: [Schema.Types.ObjectId], until: Date }, { _id: false })], default: [] },
    level: { type: String, required: true },
    number: { type: Number, required: true },
    congressDate: { type: Date, required: true },
    lengthYears: { type: Number, required: true },
    dueDate: { type: Date, required: true },
    endedOn: { type: Date, default: null },
    bodies: { type: [bodySchema], default: [] },
  },
  { timestamps: true },
);

termSchema.index({ organizationId: 1, number: 1 }, { unique: true });
termSchema.index({ organizationId: 1, congressDate: -1 });
termSchema.index({ level: 1, congressDate: 1 });
termSchema.index({ ancestorIds: 1, level: 1, congressDate: 1 });

export type ElectedBodyKind = 'COUNCIL' | 'STANDING_COUNCIL' | 'EXECUTIVE_COMMITTEE' | 'SUPERVISORY_BOARD';

/** A stored term, as read with lean(). */
export interface TermDoc {
  _id: Types.ObjectId;
  organizationId: Types.ObjectId;
  ancestorIds: Types.ObjectId[];
  pathHistory?: { ancestorIds: Types.ObjectId[]; until: Date }[];
  level: Level;
  number: number;
  congressDate: Date;
  lengthYears: number;
  dueDate: Date;
  endedOn: Date | null;
  bodies: { kind: ElectedBodyKind; size: number; members: BoardMember[] }[];
}

export function termModel(connection: Connection): Model<TermDoc> {
  return modelOn<TermDoc>(connection, 'Term', termSchema, 'terms');
}
export type TermModel = ReturnType<typeof termModel>;
