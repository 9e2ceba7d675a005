import type { DivisionType } from '@rcsc/dataset';
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';

/** A fact that holds from `since` until `until` (exclusive), so any date's state can be read. */
const periodFields = { since: { type: Date, required: true }, until: { type: Date, default: null } };

const memberSchema = new Schema({ name: { type: String, required: true }, position: { type: String, required: true } }, { _id: false });

const governanceSchema = new Schema(
  {
    managementRationalized: { type: new Schema(periodFields, { _id: false }), default: null },
    partyGroup: { type: new Schema(periodFields, { _id: false }), default: null },
    supervisoryBoard: {
      type: new Schema({ ...periodFields, members: { type: [memberSchema], default: [] } }, { _id: false }),
      default: null,
    },
  },
  { _id: false },
);

/** Earlier periods of each governance fact, oldest first: history is added to, never rewritten. */
const governanceHistorySchema = new Schema(
  {
    managementRationalized: { type: [new Schema(periodFields, { _id: false })], default: [] },
    partyGroup: { type: [new Schema(periodFields, { _id: false })], default: [] },
    supervisoryBoard: {
      type: [new Schema({ ...periodFields, members: { type: [memberSchema], default: [] } }, { _id: false })],
      default: [],
    },
  },
  { _id: false },
);

const leadershipSchema = new Schema(
  {
    title: { type: String, required: true },
    name: { type: String, required: true },
    fullTime: { type: Boolean, default: false },
    since: { type: Date, required: true },
    until: { type: Date, default: null },
  },
  { _id: false },
);

export const LEVELS = ['NATIONAL', 'PROVINCIAL', 'PREFECTURE', 'COUNTY'] as const;
export type Level = (typeof LEVELS)[number];
/** Depth rank of a level: a child's rank must be greater than its parent's. */
export const levelRank = (level: Level): number => LEVELS.indexOf(level);

/** A branch's place in the tree until (exclusive) a reorganization moved it. */
const placementSchema = new Schema(
  {
    parentId: { type: Schema.Types.ObjectId, default: null },
    ancestorIds: { type: [Schema.Types.ObjectId], default: [] },
    until: { type: Date, required: true },
  },
  { _id: false },
);

const identitySchema = new Schema(
  {
    name: { type: String, required: true },
    divisionCode: { type: String, default: null },
    divisionName: { type: String, required: true },
    divisionType: { type: String, default: null },
    until: { type: Date, required: true },
  },
  { _id: false },
);

/** A branch's office contact details (absent parts null). */
const contactSchema = new Schema({ address: String, postcode: String, phone: String, email: String, website: String }, { _id: false });
/** A point on the GCJ-02 datum. */
const locationSchema = new Schema(
  { longitude: { type: Number, required: true }, latitude: { type: Number, required: true } },
  { _id: false },
);
/** One period of membership of a branch group. */
const groupMembershipSchema = new Schema(
  { groupId: { type: Schema.Types.ObjectId, required: true }, since: { type: Date, required: true }, until: { type: Date, default: null } },
  { _id: false },
);

const organizationSchema = new Schema(
  {
    name: { type: String, required: true },
    level: { type: String, enum: LEVELS, required: true },
    kind: { type: String, enum: ['REGIONAL', 'SPECIAL_SYSTEM'], required: true },
    /** Absent (not null) for special systems, so that the sparse unique index skips them. */
    divisionCode: { type: String, default: undefined },
    divisionName: { type: String, required: true },
    divisionType: { type: String, default: null },
    establishedOn: { type: Date, default: null },
    dissolvedOn: { type: Date, default: null },
    /** The branch it was merged into (set with dissolvedOn by mergeOrganization). */
    mergedIntoId: { type: Schema.Types.ObjectId, default: null },
    parentId: { type: Schema.Types.ObjectId, default: null },
    /** From the national HQ down to the parent: "everything under X" is one indexed match. */
    ancestorIds: { type: [Schema.Types.ObjectId], default: [] },
    /** Where the branch hung before each reorganization moved it, oldest first (the dated tree). */
    pathHistory: { type: [placementSchema], default: [] },
    /** Its earlier names, codes and division types, oldest first, each until the day it changed. */
    identityHistory: { type: [identitySchema], default: undefined },
    /** List order: division code, special systems after the regions. */
    sortKey: { type: String, required: true },
    /** The latest period of each governance fact. */
    governance: { type: governanceSchema, default: () => ({}) },
    governanceHistory: { type: governanceHistorySchema, default: () => ({}) },
    leadership: { type: [leadershipSchema], default: [] },
    contact: { type: contactSchema, default: null },
    location: { type: locationSchema, default: null },
    /** Memberships of branch groups, oldest first (absent until the first). */
    groups: { type: [groupMembershipSchema], default: undefined },
  },
  { timestamps: true, optimisticConcurrency: true },
);

organizationSchema.index({ divisionCode: 1 }, { unique: true, sparse: true });
organizationSchema.index({ parentId: 1, sortKey: 1 });
organizationSchema.index({ ancestorIds: 1, level: 1, sortKey: 1 });
organizationSchema.index({ level: 1, sortKey: 1 });
organizationSchema.index({ sortKey: 1 });
organizationSchema.index({ 'pathHistory.parentId': 1 });
organizationSchema.index({ 'pathHistory.ancestorIds': 1 });
organizationSchema.index({ 'groups.groupId': 1 });

export interface Period {
  since: Date;
  until: Date | null;
}
export interface BoardMember {
  name: string;
  position: string;
}
/** Where a branch (or its term) hung until a reorganization moved it. */
export interface Placement {
  parentId?: Types.ObjectId | null;
  ancestorIds: Types.ObjectId[];
  until: Date;
}

/** The ancestors (HQ first) and parent a branch had on `date`, from its dated place in the tree. */
export function placementOn(
  o: Pick<OrganizationDoc, 'ancestorIds' | 'parentId' | 'pathHistory'>,
  date: Date,
): { ancestorIds: Types.ObjectId[]; parentId: Types.ObjectId | null } {
  const earlier = o.pathHistory?.find((p) => date < p.until);
  return earlier
    ? { ancestorIds: earlier.ancestorIds, parentId: earlier.parentId ?? null }
    : { ancestorIds: o.ancestorIds, parentId: o.parentId };
}

/**
 * The branches under `root` (and `root` itself) on `date`, in the tree of that date: an indexed
 * candidate match on the current path or any earlier one, then the placement of the date (the
 * first earlier path that ran past it, else the current one), as placementOn judges it.
 */
export function subtreeOnFilter(root: Types.ObjectId, date: Date): Record<string, unknown> {
  const placedPath = {
    $let: {
      vars: { earlier: { $first: { $filter: { input: { $ifNull: ['$pathHistory', []] }, cond: { $gt: ['$$this.until', date] } } } } },
      in: { $ifNull: ['$$earlier.ancestorIds', '$ancestorIds'] },
    },
  };
  return {
    $or: [
      { _id: root },
      { $and: [{ $or: [{ ancestorIds: root }, { 'pathHistory.ancestorIds': root }] }, { $expr: { $in: [root, placedPath] } }] },
    ],
  };
}

/** The name, code and type a branch had on `date`. */
export function identityOn(
  o: Pick<OrganizationDoc, 'name' | 'divisionCode' | 'divisionName' | 'divisionType' | 'identityHistory'>,
  date: Date,
) {
  const earlier = o.identityHistory?.find((i) => date < i.until);
  const { name, divisionCode, divisionName, divisionType } = earlier ?? o;
  return { name, divisionCode: divisionCode ?? null, divisionName, divisionType, until: earlier?.until ?? null };
}

/** One period of a governance fact (a supervisory board's with its members). */
export interface GovernancePeriod extends Period {
  members?: BoardMember[];
}
export type GovernanceField = 'managementRationalized' | 'partyGroup' | 'supervisoryBoard';
/** Where each GovernanceFact of the graph is stored. */
export const GOVERNANCE_FIELDS: Record<'MANAGEMENT_RATIONALIZED' | 'PARTY_GROUP' | 'SUPERVISORY_BOARD', GovernanceField> = {
  MANAGEMENT_RATIONALIZED: 'managementRationalized',
  PARTY_GROUP: 'partyGroup',
  SUPERVISORY_BOARD: 'supervisoryBoard',
};
export type LeadershipTitle =
  | 'HONORARY_CHAIR'
  | 'CHAIR'
  | 'EXECUTIVE_VICE_CHAIR'
  | 'VICE_CHAIR'
  | 'SECRETARY_GENERAL'
  | 'DEPUTY_SECRETARY_GENERAL';

/** What a branch was called and coded as, until a dated change (renameOrganization). */
export interface Identity {
  name: string;
  divisionCode?: string | null;
  divisionName: string;
  divisionType: DivisionType | null;
  until: Date;
}

/** A stored branch, as read with lean(). */
export interface OrganizationDoc {
  _id: Types.ObjectId;
  name: string;
  level: Level;
  kind: 'REGIONAL' | 'SPECIAL_SYSTEM';
  divisionCode?: string | null;
  divisionName: string;
  divisionType: DivisionType | null;
  establishedOn: Date | null;
  dissolvedOn: Date | null;
  mergedIntoId?: Types.ObjectId | null;
  parentId: Types.ObjectId | null;
  ancestorIds: Types.ObjectId[];
  /** Earlier places in the tree, oldest first (absent on branches never moved). */
  pathHistory?: Placement[];
  /** Earlier identities, oldest first (absent on branches never renamed). */
  identityHistory?: Identity[];
  sortKey: string;
  governance: {
    managementRationalized?: GovernancePeriod | null;
    partyGroup?: GovernancePeriod | null;
    supervisoryBoard?: GovernancePeriod | null;
  };
  /** Earlier periods, oldest first (absent on records written before history was kept). */
  governanceHistory?: {
    managementRationalized?: GovernancePeriod[];
    partyGroup?: GovernancePeriod[];
    supervisoryBoard?: GovernancePeriod[];
  };
  leadership: { title: LeadershipTitle; name: string; fullTime: boolean; since: Date; until: Date | null }[];
  contact?: BranchContact | null;
  location?: { longitude: number; latitude: number } | null;
  groups?: GroupMembership[];
}

export interface BranchContact {
  address?: string | null;
  postcode?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
}

/** A branch's membership of a group from `since` until `until` (exclusive; null: still a member). */
export interface GroupMembership {
  groupId: Types.ObjectId;
  since: Date;
  until: Date | null;
}

export function sortKeyOf(o: { divisionCode?: string | null; kind: string; name: string }): string {
  return o.divisionCode ? o.divisionCode : `~${o.kind}:${o.name}`;
}

export function organizationModel(connection: Connection): Model<OrganizationDoc> {
  return modelOn<OrganizationDoc>(connection, 'Organization', organizationSchema, 'organizations');
}
export type OrganizationModel = ReturnType<typeof organizationModel>;

/** The path a record of this branch carries: its ancestors plus itself (for subtree checks). */
export function pathOfOrg(o: Pick<OrganizationDoc, '_id' | 'ancestorIds'>): Types.ObjectId[] {
  return [...o.ancestorIds, o._id];
}
