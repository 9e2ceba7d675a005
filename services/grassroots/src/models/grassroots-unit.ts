import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { branchFields, protectedSchema, townshipSchema, type BranchOwned, type ProtectedDoc, type TownshipRef } from './common';

export const UNIT_TYPES = ['TOWNSHIP', 'STREET', 'COMMUNITY', 'SCHOOL', 'HOSPITAL', 'ENTERPRISE', 'PUBLIC_INSTITUTION', 'OTHER'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const FIVE_HAS = ['leader', 'team', 'rules', 'platform', 'activities'] as const;
export type FiveHasPoint = (typeof FIVE_HAS)[number];

const itemSchema = new Schema({ met: { type: Boolean, required: true }, evidence: { type: String, default: null } }, { _id: false });

const assessmentSchema = new Schema(
  {
    assessedOn: { type: Date, required: true },
    leader: { type: itemSchema, required: true },
    team: { type: itemSchema, required: true },
    rules: { type: itemSchema, required: true },
    platform: { type: itemSchema, required: true },
    activities: { type: itemSchema, required: true },
    meetsAll: { type: Boolean, required: true },
    assessedBy: { type: String, default: null },
  },
  { _id: false },
);

const schoolSchema = new Schema(
  {
    schoolClinic: { type: Boolean, default: false },
    firstAidKiosks: { type: Number, default: 0 },
    firstAidKits: { type: Number, default: 0 },
    aeds: { type: Number, default: 0 },
  },
  { _id: false },
);

const leaderSchema = new Schema(
  { name: { type: String, required: true }, phone: { type: protectedSchema, default: null } },
  { _id: false },
);

/** A grassroots unit (基层组织); counts from establishedOn until dissolvedOn (exclusive). */
const grassrootsUnitSchema = new Schema(
  {
    ...branchFields,
    name: { type: String, required: true },
    type: { type: String, enum: UNIT_TYPES, required: true },
    township: { type: townshipSchema, default: null },
    community: { type: String, default: null },
    establishedOn: { type: Date, required: true },
    dissolvedOn: { type: Date, default: null },
    dissolvedReason: { type: String, default: null },
    leader: { type: leaderSchema, default: null },
    /** Oldest first; the latest decides meetsFiveHas. */
    assessments: { type: [assessmentSchema], default: [] },
    /** Derived from the latest assessment, stored so lists can filter on it. */
    meetsFiveHas: { type: Boolean, default: false },
    school: { type: schoolSchema, default: null },
    medicalInstitutionId: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, optimisticConcurrency: true },
);

grassrootsUnitSchema.index({ orgPath: 1, name: 1, _id: 1 });
grassrootsUnitSchema.index({ orgPath: 1, type: 1, name: 1 });
grassrootsUnitSchema.index({ orgPath: 1, establishedOn: 1 });
grassrootsUnitSchema.index({ name: 1, _id: 1 });
grassrootsUnitSchema.index({ 'township.code': 1 });

export interface FiveHasItem {
  met: boolean;
  evidence: string | null;
}
export type AssessmentDoc = Record<FiveHasPoint, FiveHasItem> & { assessedOn: Date; meetsAll: boolean; assessedBy: string | null };
export interface SchoolDoc {
  schoolClinic: boolean;
  firstAidKiosks: number;
  firstAidKits: number;
  aeds: number;
}
export interface LeaderDoc {
  name: string;
  phone: ProtectedDoc | null;
}

/** A stored grassroots unit, as read with lean(). */
export interface GrassrootsUnitDoc extends BranchOwned {
  _id: Types.ObjectId;
  name: string;
  type: UnitType;
  township: TownshipRef | null;
  community: string | null;
  establishedOn: Date;
  dissolvedOn: Date | null;
  dissolvedReason: string | null;
  leader: LeaderDoc | null;
  assessments: AssessmentDoc[];
  meetsFiveHas: boolean;
  school: SchoolDoc | null;
  medicalInstitutionId: Types.ObjectId | null;
}

export function grassrootsUnitModel(connection: Connection): Model<GrassrootsUnitDoc> {
  return (
    (connection.models.GrassrootsUnit as Model<GrassrootsUnitDoc>) ??
    connection.model<GrassrootsUnitDoc>('GrassrootsUnit', grassrootsUnitSchema, 'grassroots_units')
  );
}
