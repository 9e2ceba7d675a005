import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import {
  branchFields,
  contactSchema,
  locationSchema,
  periodSchema,
  townshipSchema,
  type BranchOwned,
  type ContactDoc,
  type LocationDoc,
  type PeriodDoc,
  type TownshipRef,
} from './common';
import { membershipSchema, type MembershipDoc } from './group';

export const SETTINGS = ['URBAN', 'RURAL'] as const;
export type Setting = (typeof SETTINGS)[number];
export const EMBEDDINGS = ['PARTY_SERVICE_CENTER', 'CIVILIZATION_PRACTICE_CENTER', 'OTHER_PUBLIC_FACILITY', 'STANDALONE'] as const;
export type Embedding = (typeof EMBEDDINGS)[number];
export const HOME_SERVICES = [
  'FIRST_AID_TRAINING',
  'DISASTER_PREPAREDNESS',
  'HUMANITARIAN_RELIEF',
  'ELDERLY_CARE',
  'CHILD_CARE',
  'HEALTH_PROMOTION',
  'VOLUNTEER_SERVICE',
  'DONATION_PROMOTION',
  'LIVELIHOOD',
] as const;
export type HomeService = (typeof HOME_SERVICES)[number];

/** A Boai home (博爱家园); open from openedOn until closedOn (exclusive). */
const boaiHomeSchema = new Schema(
  {
    ...branchFields,
    name: { type: String, required: true },
    setting: { type: String, enum: SETTINGS, required: true },
    township: { type: townshipSchema, default: null },
    community: { type: String, required: true },
    embeddedIn: { type: String, enum: EMBEDDINGS, required: true },
    services: { type: [String], enum: HOME_SERVICES, default: [] },
    openedOn: { type: Date, required: true },
    closedOn: { type: Date, default: null },
    closedReason: { type: String, default: null },
    /** 示范点: the start of the latest designation (kept for compatibility; the periods are the history). */
    demonstrationDesignatedOn: { type: Date, default: null },
    /** Every designation as a dated period, oldest first (revoked: `until` set). */
    demonstrationPeriods: { type: [periodSchema], default: undefined },
    contact: { type: contactSchema, default: null },
    location: { type: locationSchema, default: null },
    /** Dated memberships in groups (src/models/group.ts), oldest first. */
    groups: { type: [membershipSchema], default: undefined },
  },
  { timestamps: true, optimisticConcurrency: true },
);

boaiHomeSchema.index({ orgPath: 1, name: 1, _id: 1 });
boaiHomeSchema.index({ orgPath: 1, openedOn: 1 });
boaiHomeSchema.index({ orgPath: 1, demonstrationDesignatedOn: 1 });
boaiHomeSchema.index({ name: 1, _id: 1 });

/** A stored Boai home, as read with lean(). */
export interface BoaiHomeDoc extends BranchOwned {
  _id: Types.ObjectId;
  name: string;
  setting: Setting;
  township: TownshipRef | null;
  community: string;
  embeddedIn: Embedding;
  services: HomeService[];
  openedOn: Date;
  closedOn: Date | null;
  closedReason: string | null;
  demonstrationDesignatedOn: Date | null;
  demonstrationPeriods?: PeriodDoc[];
  contact?: ContactDoc | null;
  location?: LocationDoc | null;
  groups?: MembershipDoc[];
}

export function boaiHomeModel(connection: Connection): Model<BoaiHomeDoc> {
  return modelOn<BoaiHomeDoc>(connection, 'BoaiHome', boaiHomeSchema, 'boai_homes');
}
