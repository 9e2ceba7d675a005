import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';

export const SPECIALTIES = [
  'EMERGENCY_RESCUE',
  'FIRST_AID',
  'HUMANITARIAN_RELIEF',
  'COMMUNITY_SERVICE',
  'ELDERLY_CARE',
  'BLOOD_DONATION',
  'STEM_CELL_DONATION',
  'ORGAN_DONATION',
  'OTHER',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

/** A volunteer service organization or team (志愿服务组织/志愿服务队), managed by a branch. */
const serviceTeamSchema = new Schema(
  {
    name: { type: String, required: true },
    specialty: { type: String, enum: SPECIALTIES, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    /** The managing branch's level, so "teams of county branches" is one match. */
    orgLevel: { type: String, required: true },
    foundedOn: { type: Date, required: true },
    dissolvedOn: { type: Date, default: null },
  },
  { timestamps: true },
);

serviceTeamSchema.index({ orgPath: 1, _id: 1 });
serviceTeamSchema.index({ orgPath: 1, orgLevel: 1, foundedOn: 1 });
serviceTeamSchema.index({ organizationId: 1, name: 1 }, { unique: true });

export interface ServiceTeamDoc {
  _id: Types.ObjectId;
  name: string;
  specialty: Specialty;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  orgLevel: string;
  foundedOn: Date;
  dissolvedOn: Date | null;
}

export function serviceTeamModel(connection: Connection): Model<ServiceTeamDoc> {
  return modelOn<ServiceTeamDoc>(connection, 'ServiceTeam', serviceTeamSchema, 'serviceTeams');
}
