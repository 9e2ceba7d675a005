import { Types } from 'mongoose';
import { badInput, decodeCursor, encodeCursor, pageSize } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import type { CountyTeamCountRow } from '../models';
import { teamExistsFilter, today } from '../rules';
import { isObjectId } from './filters';

export const Query: QueryResolvers = {
  member: (_, { id }, { loaders }) => (isObjectId(id) ? loaders.memberById.load(id) : null),
  volunteer: (_, { id }, { loaders }) => (isObjectId(id) ? loaders.volunteerById.load(id) : null),
  serviceTeam: (_, { id }, { loaders }) => (isObjectId(id) ? loaders.teamById.load(id) : null),
  starRating: (_, { id }, { loaders }) => (isObjectId(id) ? loaders.ratingById.load(id) : null),

  async countiesWithFewTeams(_, { within, asOf, first, after }, { directory, models, config }) {
    const size = pageSize(first);
    const offset = after ? Number(decodeCursor(after).sortValue) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw badInput('after', 'is not a cursor returned by this list');
    const root = within
      ? await directory.require(within, 'within')
      : (await directory.all()).find((b) => b.level === 'NATIONAL');
    if (!root) return { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] };
    const date = asOf ?? today();
    // One aggregation: existing teams of county branches in the subtree, counted per branch.
    const rows = await models.ServiceTeam.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { orgPath: new Types.ObjectId(root.id), orgLevel: 'COUNTY', ...teamExistsFilter(date) } },
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
