import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { actorSchema, branchFields, type ActorDoc, type BranchOwned } from './common';

const TARGET_MEASURES = [
  'COUNTIES_RATIONALIZED',
  'GRASSROOTS_UNITS',
  'MEMBERS',
  'REGISTERED_VOLUNTEERS',
  'BOAI_HOMES',
  'DEMONSTRATION_BOAI_HOMES',
  'MEMBER_STARS',
] as const;
export type TargetMeasure = (typeof TARGET_MEASURES)[number];

/**
 * A target (工作目标) a branch holds for a year: the national targets (no parent), or a share of
 * the target of the branch above (`parentTargetId`). `allocated` is the sum of the shares given
 * to the branches below, kept up to date in the same transaction that changes them.
 */
const targetSchema = new Schema(
  {
    ...branchFields,
    parentTargetId: { type: Schema.Types.ObjectId, default: null },
    year: { type: Number, required: true },
    measure: { type: String, enum: TARGET_MEASURES, required: true },
    description: { type: String, required: true },
    value: { type: Number, required: true, min: 0 },
    allocated: { type: Number, default: 0 },
    updatedBy: { type: actorSchema, default: null },
    /** Every earlier value, so a change of allocation leaves a trace. */
    history: {
      type: [new Schema({ value: Number, at: Date, by: { type: actorSchema, default: null } }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true },
);

targetSchema.index({ organizationId: 1, year: 1, measure: 1 }, { unique: true });
targetSchema.index({ parentTargetId: 1, organizationId: 1 });

export interface TargetDoc extends BranchOwned {
  _id: Types.ObjectId;
  parentTargetId: Types.ObjectId | null;
  year: number;
  measure: TargetMeasure;
  description: string;
  value: number;
  allocated: number;
  updatedBy: ActorDoc | null;
  history: { value: number; at: Date; by: ActorDoc | null }[];
  createdAt?: Date;
  updatedAt?: Date;
}

export function targetModel(connection: Connection): Model<TargetDoc> {
  return modelOn<TargetDoc>(connection, 'Target', targetSchema, 'targets');
}
