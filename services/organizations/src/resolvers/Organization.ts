import { auditLog, formatDate, paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import { pathOfOrg, type OrganizationDoc } from '../models';
import { holdsOn, today } from '../rules';
import { isObjectId, organizationFilter } from './filters';

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref, { loaders }) => (isObjectId(ref.id) ? loaders.organizationById.load(ref.id) : null),
  id: (o) => String(o._id),
  parent: (o, _, { loaders }) => (o.parentId ? loaders.organizationById.load(String(o.parentId)) : null),
  children: (o, _, { loaders }) => loaders.childrenOf.load(String(o._id)),
  ancestors: async (o, _, { loaders }) =>
    (await loaders.organizationById.loadMany(o.ancestorIds.map(String))).filter((a): a is OrganizationDoc => !!a && !(a instanceof Error)),
  descendants: (o, { filter, first, after }, { models }) =>
    paginate<OrganizationDoc>(
      models.Organization,
      { $and: [organizationFilter(filter), { ancestorIds: o._id }] },
      { first, after },
      'sortKey',
    ),
  governance(o, { asOf }, { access }) {
    access.requireOver(pathOfOrg(o), `The governance of ${o.name}`);
    const date = asOf ?? today();
    const g = o.governance ?? {};
    const rationalized = holdsOn(g.managementRationalized, date);
    const partyGroup = holdsOn(g.partyGroup, date);
    const board = holdsOn(g.supervisoryBoard, date);
    return {
      asOf: date,
      managementRationalized: rationalized,
      managementRationalizedOn: rationalized ? g.managementRationalized!.since : null,
      partyGroupEstablished: partyGroup,
      partyGroupEstablishedOn: partyGroup ? g.partyGroup!.since : null,
      supervisoryBoardEstablished: board,
      supervisoryBoardEstablishedOn: board ? g.supervisoryBoard!.since : null,
      supervisoryBoard: board ? { establishedOn: g.supervisoryBoard!.since, members: g.supervisoryBoard!.members } : null,
    };
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
