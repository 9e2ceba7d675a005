import { auditLog, formatDate, paginate } from '@rcsc/service-kit';
import type {
  BranchGroupCountResolvers,
  BranchGroupMembershipResolvers,
  BranchGroupResolvers,
  OrganizationResolvers,
  ReorganizationRecordResolvers,
} from '../generated/graphql';
import {
  identityOn,
  pathOfOrg,
  placementOn,
  subtreeOnFilter,
  GOVERNANCE_FIELDS,
  type GovernanceField,
  type OrganizationDoc,
  type BranchGroupDoc,
  type ReorganizationDoc,
} from '../models';

import { heldSince, holdsOn, memberOn, periodOn, periodsOf, today } from '../rules';
import { Roles } from '@rcsc/access';
import { isObjectId, organizationFilter } from './filters';
import { annualIncreaseOf, surveyOf } from './Reports';

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref, { loaders }) => (isObjectId(ref.id) ? loaders.organizationById.load(ref.id) : null),
  id: (o) => String(o._id),
  parent: (o, { asOf }, { loaders }) => {
    const { parentId } = asOf ? placementOn(o, asOf) : o;
    return parentId ? loaders.organizationById.load(String(parentId)) : null;
  },
  identity: (o, { asOf }) => identityOn(o, asOf ?? today()),
  identityHistory: (o) => [...(o.identityHistory ?? []), identityOn(o, today())],
  contact: (o) => o.contact ?? null,
  location: (o) => (o.location ? { ...o.location, coordinateSystem: 'GCJ-02' } : null),
  groups: async (o, { asOf }, { loaders }) => {
    const date = asOf ?? today();
    const ids = (o.groups ?? []).filter((m) => memberOn(m, date)).map((m) => String(m.groupId));
    return (await loaders.branchGroupById.loadMany(ids)).filter((g): g is BranchGroupDoc => !!g && !(g instanceof Error));
  },
  groupMemberships: (o) => o.groups ?? [],
  branchGroups: (o, { groupSet }, { loaders }) =>
    loaders.branchGroupsAt.load({ path: pathOfOrg(o).map(String), groupSet: groupSet ?? null }),
  async branchGroupCounts(o, { groupSet, asOf }, { models, loaders, access }) {
    access.requireRole(Roles.REPORT_READERS, 'read counts by group');
    access.requireOver(pathOfOrg(o), `The counts by group of ${o.name}`);
    const date = asOf ?? today();
    const groups = await loaders.branchGroupsAt.load({ path: pathOfOrg(o).map(String), groupSet: groupSet ?? null });
    if (!groups.length) return [];
    // One query: the members (ever) of these groups in the subtree; the date is judged here.
    const members = (await models.Organization.find(
      { $and: [subtreeOnFilter(o._id, date), { 'groups.groupId': { $in: groups.map((g) => g._id) } }] },
      { groups: 1, establishedOn: 1, dissolvedOn: 1 },
    ).lean()) as OrganizationDoc[];
    const counts = new Map<string, number>();
    for (const m of members) {
      if ((m.establishedOn && m.establishedOn > date) || (m.dissolvedOn && m.dissolvedOn <= date)) continue;
      for (const g of m.groups ?? []) if (memberOn(g, date)) counts.set(String(g.groupId), (counts.get(String(g.groupId)) ?? 0) + 1);
    }
    return groups.map((group) => ({ group, branches: counts.get(String(group._id)) ?? 0 }));
  },
  reorganizationHistory: async (o, _, { models }) =>
    (await models.Reorganization.find({ branchId: o._id }).sort({ _id: -1 }).limit(1000).lean()) as ReorganizationDoc[],
  mergedInto: (o, _, { loaders }) => (o.mergedIntoId ? loaders.organizationById.load(String(o.mergedIntoId)) : null),
  children: (o, { asOf }, { loaders }) =>
    asOf ? loaders.childrenOn.load({ parentId: String(o._id), asOf }) : loaders.childrenOf.load(String(o._id)),
  ancestors: async (o, { asOf }, { loaders }) =>
    (await loaders.organizationById.loadMany((asOf ? placementOn(o, asOf) : o).ancestorIds.map(String))).filter(
      (a): a is OrganizationDoc => !!a && !(a instanceof Error),
    ),
  descendants: (o, { filter, first, after }, { models }) =>
    paginate<OrganizationDoc>(
      models.Organization,
      { $and: [organizationFilter(filter), { ancestorIds: o._id }] },
      { first, after },
      'sortKey',
    ),
  // The annex tables' entry points live with the branch: no extra subgraph call only to echo a key.
  survey: (o, { asOf }, ctx) => surveyOf(o, asOf, ctx),
  annualIncrease: (o, { year, baseYear }, ctx) => annualIncreaseOf(o, year, baseYear, ctx),
  governance(o, { asOf }, { access }) {
    access.requireOver(pathOfOrg(o), `The governance of ${o.name}`);
    const date = asOf ?? today();
    const fact = (field: GovernanceField) => {
      const periods = periodsOf(o.governance?.[field], o.governanceHistory?.[field]);
      const period = periodOn(periods, date);
      return period ? { period, since: heldSince(periods, period) } : null;
    };
    const rationalized = fact('managementRationalized');
    const partyGroup = fact('partyGroup');
    const board = fact('supervisoryBoard');
    return {
      asOf: date,
      managementRationalized: !!rationalized,
      managementRationalizedOn: rationalized?.since ?? null,
      partyGroupEstablished: !!partyGroup,
      partyGroupEstablishedOn: partyGroup?.since ?? null,
      supervisoryBoardEstablished: !!board,
      supervisoryBoardEstablishedOn: board?.since ?? null,
      supervisoryBoard: board ? { establishedOn: board.since, members: board.period.members ?? [] } : null,
    };
  },
  governancePeriods(o, { fact }, { access }) {
    access.requireOver(pathOfOrg(o), `The governance of ${o.name}`);
    const field = GOVERNANCE_FIELDS[fact];
    return periodsOf(o.governance?.[field], o.governanceHistory?.[field]).map((p) => ({
      since: p.since,
      until: p.until ?? null,
      members: field === 'supervisoryBoard' ? (p.members ?? []) : null,
    }));
  },
  leadership(o, { asOf }, { access }) {
    access.requireOver(pathOfOrg(o), `The leadership of ${o.name}`);
    return o.leadership.filter((p) => holdsOn(p, asOf ?? today()));
  },
  async currentTerm(o, { asOf }, { loaders, access }) {
    access.requireOver(pathOfOrg(o), `The terms of ${o.name}`);
    const date = asOf ?? today();
    const term = await loaders.termInForce.load(`${String(o._id)}|${formatDate(date)}`);
    return term ? { ...term, readAt: date } : null;
  },
  organizationsAudit: (o, { first, after }, { models, viewer }) => auditLog(models.Audit, viewer, pathOfOrg(o), { first, after }),
  terms(o, _, { loaders, access }) {
    access.requireOver(pathOfOrg(o), `The terms of ${o.name}`);
    return loaders.termsOf.load(String(o._id));
  },
};

const parentIn = (path: readonly unknown[]) => (path.length >= 2 ? String(path[path.length - 2]) : null);

/** One outbox entry, as a branch's reorganization history shows it. */
export const ReorganizationRecord: ReorganizationRecordResolvers = {
  id: (r) => r._id,
  organization: async (r, _, { loaders }) => (await loaders.organizationById.load(String(r.branchId)))!,
  fromParent: (r, _, { loaders }) => {
    const id = parentIn(r.fromPath);
    return id ? loaders.organizationById.load(id) : null;
  },
  toParent: (r, _, { loaders }) => {
    const id = parentIn(r.toPath);
    return id ? loaders.organizationById.load(id) : null;
  },
  reverses: (r) => r.reverses ?? null,
  reversedBy: (r) => r.reversedBy ?? null,
  reason: (r) => r.reason ?? null,
};

export const BranchGroup: BranchGroupResolvers = {
  id: (g) => String(g._id),
  definedBy: async (g, _, { loaders }) => (await loaders.organizationById.load(String(g.organizationId)))!,
};

export const BranchGroupMembership: BranchGroupMembershipResolvers = {
  group: async (m, _, { loaders }) => (await loaders.branchGroupById.load(String(m.groupId)))!,
  until: (m) => m.until ?? null,
};

export const BranchGroupCount: BranchGroupCountResolvers = {};
