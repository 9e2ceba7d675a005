import { auditLog, formatDate, paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import { identityOn, pathOfOrg, placementOn, GOVERNANCE_FIELDS, type GovernanceField, type OrganizationDoc } from '../models';

import { heldSince, holdsOn, periodOn, periodsOf, today } from '../rules';
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
