import { Schema } from 'mongoose';
export { branchFields, type BranchOwned } from '@rcsc/reorganizations';

/** A township or street of the division data, copied onto records that sit in one. */
export const townshipSchema = new Schema(
  { code: { type: String, required: true }, name: { type: String, required: true } },
  { _id: false },
);

export interface TownshipRef {
  code: string;
  name: string;
}

/** A personal value as stored: keyed hash for duplicates, cipher for reveal, mask for display. */
export const protectedSchema = new Schema(
  { hash: { type: String, required: true }, cipher: { type: String, required: true }, masked: { type: String, required: true } },
  { _id: false },
);
export interface ProtectedDoc {
  hash: string;
  cipher: string;
  masked: string;
}

/** Contact details of a unit or home (an organization's, not a person's: shown unmasked). */
export const contactSchema = new Schema(
  { address: { type: String, default: null }, phone: { type: String, default: null }, email: { type: String, default: null } },
  { _id: false },
);
export interface ContactDoc {
  address: string | null;
  phone: string | null;
  email: string | null;
}

/** A point, longitude and latitude in degrees on the GCJ-02 datum (what Chinese map services use). */
export const locationSchema = new Schema(
  { longitude: { type: Number, required: true }, latitude: { type: Number, required: true } },
  { _id: false },
);
export interface LocationDoc {
  longitude: number;
  latitude: number;
}

/** A dated period (since inclusive, until exclusive; null while it lasts), with the reason of its last correction. */
export const periodSchema = new Schema(
  {
    since: { type: Date, required: true },
    until: { type: Date, default: null },
    reason: { type: String, default: null },
    correctionReason: { type: String, default: null },
  },
  { _id: false },
);
export interface PeriodDoc {
  since: Date;
  until: Date | null;
  reason?: string | null;
  correctionReason?: string | null;
}
