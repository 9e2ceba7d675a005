import { Types } from 'mongoose';
import { badInput, decodeCursor, encodeCursor, pageSize } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import type { CountyTeamCountRow } from '../models';
import { today } from '../rules';
import { holdsOnFilter, TEAM_EXISTS } from '../spans';
import { isObjectId } from './filters';

const EMPTY = { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] };

// Single records outside the viewer's subtree are FORBIDDEN (unknown ids stay null).
export const Query: QueryResolvers = {
  member: async (_, { id }, { loaders, access }) =>
    isObjectId(id) ? access.visible(await loaders.memberById.load(id), `Member ${id}`) : null,
  volunteer: async (_, { id }, { loaders, access }) =>
    isObjectId(id) ? access.visible(await loaders.volunteerById.load(id), `Volunteer ${id}`) : null,
  serviceTeam: async (_, { id }, { loaders, access }) =>
    isObjectId(id) ? access.visible(await loaders.teamById.load(id), `Service team ${id}`) : null,
  starRating: async (_, { id }, { loaders, access }) =>
    isObjectId(id) ? access.visible(await loaders.ratingById.load(id), `Star rating ${id}`) : null,

  // An aggregate over the tree (any role): `within` must lie in the viewer's subtree, and defaults
  // to the viewer's own branch (the national HQ for a service); a viewer without a branch sees nothing.
  async countiesWithFewTeams(_, { within, asOf, first, after }, ctx) {
    const { directory, models, config, access } = ctx;
    const size = pageSize(first);
    const offset = after ? Number(decodeCursor(after).sortValue) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw badInput('after', 'is not a cursor returned by this list');
    let root;
    if (within) root = await access.visibleBranch(within, 'within', 'The team counts');
    else if (access.isService) root = (await directory.all()).find((b) => b.level === 'NATIONAL');
    else if (access.branchId) root = (await directory.get(access.branchId)) ?? undefined;
    if (!root) return EMPTY;
    const date = asOf ?? today();
    // One aggregation: existing teams of county branches in the subtree, counted per branch.
    const rows = await models.ServiceTeam.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { orgPath: new Types.ObjectId(root.id), orgLevel: 'COUNTY', ...holdsOnFilter(TEAM_EXISTS, date) } },
      { $group: { _id: '$organizationId', n: { $sum: 1 } } },
    ]);
    const counts = new Map(rows.map((r) => [String(r._id), r.n]));
    const all: CountyTeamCountRow[] = (await directory.subtree(root.id))
      .filter((b) => b.level === 'COUNTY' && !b.dissolvedOn)
      .map((b) => ({ organizationId: b.id, name: b.name, teamCount: counts.get(b.id) ?? 0 }))
      .filter((c) => c.teamCount < config.minTeamsPerCounty)
      .sort((a, b) => a.teamCount - b.teamCount);
    const nodes = all.slice(offset, offset + size);
    const end = offset + nodes.length;
    return {
      totalCount: all.length,
      pageInfo: { hasNextPage: end < all.length, endCursor: nodes.length ? encodeCursor(end, 'offset') : null },
      nodes,
    };
  },
};
