import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';

/**
 * A Red Cross volunteer (红十字志愿者) registered by a branch. Counted as a registered volunteer
 * (注册志愿者, indicator 12) from the day they are also registered in the national volunteer
 * information system (全国志愿服务信息系统) until they leave.
 */
const volunteerSchema = new Schema(
  {
    name: { type: String, required: true },
    gender: { type: String, enum: ['MALE', 'FEMALE', null], default: null },
    birthDate: { type: Date, default: null },
    idNumberHash: { type: String, required: true },
    idNumberCipher: { type: String, required: true },
    idNumberMasked: { type: String, required: true },
    phoneCipher: { type: String, default: null },
    phoneMasked: { type: String, default: null },
    /** Keyed hash of the phone (exact search); null for records stored before it was kept. */
    phoneHash: { type: String, default: null },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    registeredOn: { type: Date, required: true },
    /** Registration in the national volunteer information system, and its volunteer code there. */
    nationalRegisteredOn: { type: Date, default: null },
    nationalSystemId: { type: String, default: null },
    /** A volunteer under 18 registers with a guardian's consent (志愿服务条例 art. 15). */
    guardianConsent: { type: Boolean, default: false },
    /** Optional grassroots unit (owned by the grassroots subgraph) the volunteer serves in. */
    grassrootsUnitId: { type: Schema.Types.ObjectId, default: null },
    /** "<branch id>:<idNumberHash>" until the volunteer leaves (unique): a volunteer who left may register again. */
    currentKey: { type: String },
    endedOn: { type: Date, default: null },
    skills: { type: [String], default: [] },
    teamIds: { type: [Schema.Types.ObjectId], default: [] },
    /** The highest approved star rating (0: none); the ratings themselves are kept as history. */
    stars: { type: Number, default: 0 },
  },
  { timestamps: true },
);

/** One current registration per person and branch ("<branch id>:<idNumberHash>" until the volunteer leaves). */
volunteerSchema.index({ currentKey: 1 }, { unique: true, partialFilterExpression: { currentKey: { $type: 'string' } } });
volunteerSchema.index({ orgPath: 1, _id: 1 });
volunteerSchema.index({ orgPath: 1, nationalRegisteredOn: 1 });
volunteerSchema.index({ teamIds: 1, _id: 1 });
volunteerSchema.index({ grassrootsUnitId: 1, _id: 1 });
/** Search: name prefix and skill within a subtree; identity number and phone by their keyed hashes. */
volunteerSchema.index({ orgPath: 1, name: 1 });
volunteerSchema.index({ orgPath: 1, skills: 1 });
volunteerSchema.index({ idNumberHash: 1 });
volunteerSchema.index({ phoneHash: 1 }, { partialFilterExpression: { phoneHash: { $type: 'string' } } });
/** A national volunteer code names one person: unique where recorded (the database refuses a second). */
volunteerSchema.index({ nationalSystemId: 1 }, { unique: true, partialFilterExpression: { nationalSystemId: { $type: 'string' } } });

export interface VolunteerDoc {
  _id: Types.ObjectId;
  name: string;
  gender: 'MALE' | 'FEMALE' | null;
  birthDate: Date | null;
  idNumberHash: string;
  idNumberCipher: string;
  idNumberMasked: string;
  phoneCipher: string | null;
  phoneMasked: string | null;
  phoneHash?: string | null;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  registeredOn: Date;
  nationalRegisteredOn: Date | null;
  nationalSystemId: string | null;
  guardianConsent?: boolean;
  grassrootsUnitId?: Types.ObjectId | null;
  currentKey?: string;
  endedOn: Date | null;
  skills: string[];
  teamIds: Types.ObjectId[];
  stars: number;
}

export function volunteerModel(connection: Connection): Model<VolunteerDoc> {
  return modelOn<VolunteerDoc>(connection, 'Volunteer', volunteerSchema, 'volunteers');
}
