import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';
import { MEMBER_KINDS, type MemberKind } from '../config';

/** A closed period during which a member had lapsed (dues unpaid), ended by a later payment. */
const lapseSchema = new Schema({ since: { type: Date, required: true }, until: { type: Date, required: true } }, { _id: false });

/**
 * A member (会员): a person (ADULT, YOUTH) or an institution (GROUP), registered by a branch.
 * The identity document number (resident ID for persons, unified social credit code for groups)
 * and the phone are stored protected: a keyed hash (duplicates), AES-GCM cipher, masked form.
 */
/** A move of the member to another branch (会员转会), from `on`. */
const transferSchema = new Schema(
  {
    on: { type: Date, required: true },
    fromOrganizationId: { type: Schema.Types.ObjectId, required: true },
    toOrganizationId: { type: Schema.Types.ObjectId, required: true },
    reason: { type: String, required: true },
  },
  { _id: false },
);

const memberSchema = new Schema(
  {
    kind: { type: String, enum: MEMBER_KINDS, required: true },
    name: { type: String, required: true },
    gender: { type: String, enum: ['MALE', 'FEMALE', null], default: null },
    birthDate: { type: Date, default: null },
    contactPerson: { type: String, default: null },
    idNumberHash: { type: String, required: true },
    idNumberCipher: { type: String, required: true },
    idNumberMasked: { type: String, required: true },
    phoneCipher: { type: String, default: null },
    phoneMasked: { type: String, default: null },
    /** Keyed hash of the phone (exact search); null for records stored before it was kept. */
    phoneHash: { type: String, default: null },
    /** The branch that registered the member, and its path (ancestors + itself) at that time. */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    /** Optional grassroots unit (owned by the grassroots subgraph) the member belongs to. */
    grassrootsUnitId: { type: Schema.Types.ObjectId, default: null },
    /** "member:<idNumberHash>" while not withdrawn (unique): one current membership per person in the country (new-records.memberKey). */
    currentKey: { type: String },
    /** The member number (会员证号), issued at registration (see rules.memberNumber); null for members registered before numbers were issued. */
    memberNumber: { type: String, default: null },
    joinedOn: { type: Date, required: true },
    withdrawnOn: { type: Date, default: null },
    withdrawalReason: { type: String, default: null },
    /** The last dues year covered (null: never paid). */
    paidThrough: { type: Number, default: null },
    /** 1 January of the year the member lapses unless dues are paid (derived from paidThrough). */
    lapsesOn: { type: Date, required: true },
    /** Past lapses, each ended by a payment, so any date's standing can be read. */
    lapses: { type: [lapseSchema], default: [] },
    /** Transfers between branches, oldest first; each also leaves the old path in orgPathHistory until its day. */
    transfers: { type: [transferSchema], default: undefined },
  },
  { timestamps: true },
);

/**
 * A person (or institution) is a current member once in the whole country: `currentKey` is
 * "member:<idNumberHash>" while the member has not withdrawn and is removed on withdrawal, so a
 * former member may join again (a new record; the old one keeps its history). Records keyed per
 * branch before (issue 19.4) are converted at boot (migrations.ensureNationalMemberKeys).
 */
memberSchema.index({ currentKey: 1 }, { unique: true, partialFilterExpression: { currentKey: { $type: 'string' } } });
memberSchema.index({ orgPath: 1, kind: 1, joinedOn: 1 });
memberSchema.index({ orgPath: 1, _id: 1 });
memberSchema.index({ idNumberHash: 1 });
memberSchema.index({ grassrootsUnitId: 1, _id: 1 });
/** Search: name prefix within a subtree, phone by its keyed hash. */
memberSchema.index({ orgPath: 1, name: 1 });
/** Renewal reminders: current members of a subtree by the last year paid. */
memberSchema.index({ orgPath: 1, paidThrough: 1, _id: 1 });
memberSchema.index({ phoneHash: 1 }, { partialFilterExpression: { phoneHash: { $type: 'string' } } });
/** A member number names one member: unique where issued. */
memberSchema.index({ memberNumber: 1 }, { unique: true, partialFilterExpression: { memberNumber: { $type: 'string' } } });

export interface MemberDoc {
  _id: Types.ObjectId;
  kind: MemberKind;
  name: string;
  gender: 'MALE' | 'FEMALE' | null;
  birthDate: Date | null;
  contactPerson: string | null;
  idNumberHash: string;
  idNumberCipher: string;
  idNumberMasked: string;
  phoneCipher: string | null;
  phoneMasked: string | null;
  phoneHash?: string | null;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  grassrootsUnitId: Types.ObjectId | null;
  memberNumber?: string | null;
  currentKey?: string;
  joinedOn: Date;
  withdrawnOn: Date | null;
  withdrawalReason: string | null;
  paidThrough: number | null;
  lapsesOn: Date;
  lapses: { since: Date; until: Date }[];
  transfers?: MemberTransferDoc[];
}

export interface MemberTransferDoc {
  on: Date;
  fromOrganizationId: Types.ObjectId;
  toOrganizationId: Types.ObjectId;
  reason: string;
}

export function memberModel(connection: Connection): Model<MemberDoc> {
  return modelOn<MemberDoc>(connection, 'Member', memberSchema, 'members');
}
