import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import {
  branchFields,
  contactSchema,
  locationSchema,
  protectedSchema,
  townshipSchema,
  type BranchOwned,
  type ContactDoc,
  type LocationDoc,
  type ProtectedDoc,
  type TownshipRef,
} from './common';
import { membershipSchema, type MembershipDoc } from './group';

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
    /** Why the assessment was corrected or recorded after a later one (correctGrassrootsAssessment). */
    correctionReason: { type: String, default: null },
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

/** Kinds of school equipment kept as dated records (博爱校医室 counts 1 per record). */
export const EQUIPMENT_KINDS = ['AED', 'FIRST_AID_KIT', 'FIRST_AID_KIOSK', 'SCHOOL_CLINIC'] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

/** `count` pieces of one kind installed on `installedOn`, in place until `removedOn` (exclusive, null while installed). */
const equipmentSchema = new Schema({
  kind: { type: String, enum: EQUIPMENT_KINDS, required: true },
  count: { type: Number, required: true },
  installedOn: { type: Date, required: true },
  removedOn: { type: Date, default: null },
  removedReason: { type: String, default: null },
  /** The reason of the last correction of this record (correctSchoolEquipment), if any. */
  correctionReason: { type: String, default: null },
});

/** One period of the five-point standard: from an assessment until the next one (exclusive; null: still in force). */
const fiveHasPeriodSchema = new Schema(
  { since: { type: Date, required: true }, until: { type: Date, default: null }, meets: { type: Boolean, required: true } },
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
    /** Before dated equipment: the counts without dates (moved to `equipment` at boot, src/migrate.ts). */
    school: { type: schoolSchema, default: undefined },
    /** Five-point periods derived from `assessments`, stored so lists can filter on any date. */
    fiveHas: { type: [fiveHasPeriodSchema], default: undefined },
    /** School equipment as dated records (SCHOOL units only). */
    equipment: { type: [equipmentSchema], default: undefined },
    contact: { type: contactSchema, default: null },
    location: { type: locationSchema, default: null },
    /** Dated memberships in groups (src/models/group.ts), oldest first. */
    groups: { type: [membershipSchema], default: undefined },
    medicalInstitutionId: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, optimisticConcurrency: true },
);

grassrootsUnitSchema.index({ orgPath: 1, name: 1, _id: 1 });
grassrootsUnitSchema.index({ orgPath: 1, type: 1, name: 1 });
// The lists' default (units not dissolved, of a type or not): their pages in name order, and
// their totalCount from index entries alone, where a subtree holds thousands of units.
grassrootsUnitSchema.index({ orgPath: 1, dissolvedOn: 1, type: 1, name: 1 });
grassrootsUnitSchema.index({ orgPath: 1, establishedOn: 1 });
grassrootsUnitSchema.index({ name: 1, _id: 1 });
grassrootsUnitSchema.index({ 'township.code': 1 });

export interface FiveHasItem {
  met: boolean;
  evidence: string | null;
}
export type AssessmentDoc = Record<FiveHasPoint, FiveHasItem> & {
  assessedOn: Date;
  meetsAll: boolean;
  assessedBy: string | null;
  correctionReason?: string | null;
};
export interface FiveHasPeriod {
  since: Date;
  until: Date | null;
  meets: boolean;
}
export interface EquipmentDoc {
  _id: Types.ObjectId;
  kind: EquipmentKind;
  count: number;
  installedOn: Date;
  removedOn: Date | null;
  removedReason?: string | null;
  correctionReason?: string | null;
}
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
  /** Legacy undated counts (read only by the migration). */
  school?: SchoolDoc | null;
  fiveHas?: FiveHasPeriod[];
  equipment?: EquipmentDoc[];
  contact?: ContactDoc | null;
  location?: LocationDoc | null;
  groups?: MembershipDoc[];
  medicalInstitutionId: Types.ObjectId | null;
}

export function grassrootsUnitModel(connection: Connection): Model<GrassrootsUnitDoc> {
  return modelOn<GrassrootsUnitDoc>(connection, 'GrassrootsUnit', grassrootsUnitSchema, 'grassroots_units');
}
