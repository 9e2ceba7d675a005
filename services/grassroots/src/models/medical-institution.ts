import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { branchFields, townshipSchema, type BranchOwned, type TownshipRef } from './common';

const unitPeriodSchema = new Schema(
  { unitId: { type: Schema.Types.ObjectId, required: true }, since: { type: Date, required: true }, until: { type: Date, default: null } },
  { _id: false },
);
export interface UnitPeriodDoc {
  unitId: Types.ObjectId;
  since: Date;
  until: Date | null;
}

/**
 * A medical institution in a branch's area. `grassrootsUnitId` is its active unit (null when it
 * has none, or its unit was dissolved), so the compliance list is one indexed match.
 */
const medicalInstitutionSchema = new Schema(
  {
    ...branchFields,
    name: { type: String, required: true },
    township: { type: townshipSchema, default: null },
    redCrossNamed: { type: Boolean, default: false },
    grassrootsUnitId: { type: Schema.Types.ObjectId, default: null },
    /** Every unit it had, with the days it was active (from its establishment until its dissolution), for the list on a date. */
    unitPeriods: { type: [unitPeriodSchema], default: undefined },
  },
  { timestamps: true },
);

medicalInstitutionSchema.index({ orgPath: 1, redCrossNamed: 1, grassrootsUnitId: 1, name: 1 });
medicalInstitutionSchema.index({ orgPath: 1, name: 1, _id: 1 });
medicalInstitutionSchema.index({ name: 1, _id: 1 });

/** A stored medical institution, as read with lean(). */
export interface MedicalInstitutionDoc extends BranchOwned {
  _id: Types.ObjectId;
  name: string;
  township: TownshipRef | null;
  redCrossNamed: boolean;
  grassrootsUnitId: Types.ObjectId | null;
  unitPeriods?: UnitPeriodDoc[];
}

export function medicalInstitutionModel(connection: Connection): Model<MedicalInstitutionDoc> {
  return modelOn<MedicalInstitutionDoc>(connection, 'MedicalInstitution', medicalInstitutionSchema, 'medical_institutions');
}
