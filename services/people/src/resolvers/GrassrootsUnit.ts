// GrassrootsUnit is owned by the grassroots subgraph; people adds the members and volunteers who
// belong to a unit. Everything stays inside the viewer's subtree (ctx.access).
import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { allOf, groupBy, paginate } from '@rcsc/service-kit';
import type { GrassrootsUnitResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { MemberDoc, VolunteerDoc } from '../models';
import { today } from '../rules';
import { holdsOnFilter, MEMBER_ACTIVE, VOLUNTEER_REGISTERED, type SpanRule } from '../spans';
import { isObjectId, toObjectId } from './filters';

interface CountKey {
  id: string;
  on: Date;
}

/**
 * Per unit, how many records of `model` the span rule holds for on a date, in the viewer's
 * subtree: one aggregation per distinct date however many units a page asks about.
 */
function countLoader(ctx: Context, model: 'Member' | 'Volunteer', rule: SpanRule) {
  const keyOf = (k: CountKey) => `${k.id}@${k.on.getTime()}`;
  return new DataLoader<CountKey, number, string>(
    async (keys) => {
      const found = new Map<string, number>();
      await Promise.all(
        [...groupBy([...keys], (k) => String(k.on.getTime())).values()].map(async (sameDay) => {
          const on = sameDay[0].on;
          const ids = sameDay.map((k) => new Types.ObjectId(k.id));
          const match = allOf([ctx.access.subtree(), { grassrootsUnitId: { $in: ids } }, holdsOnFilter(rule, on)]);
          const rows = await (ctx.models[model] as unknown as import('mongoose').Model<unknown>).aggregate<{
            _id: Types.ObjectId;
            n: number;
          }>([{ $match: match }, { $group: { _id: '$grassrootsUnitId', n: { $sum: 1 } } }]);
          for (const r of rows) found.set(`${String(r._id)}@${on.getTime()}`, r.n);
        }),
      );
      return keys.map((k) => found.get(keyOf(k)) ?? 0);
    },
    { cacheKeyFn: keyOf },
  );
}

const perRequest = new WeakMap<
  Context,
  { members: DataLoader<CountKey, number, string>; volunteers: DataLoader<CountKey, number, string> }
>();
function counts(ctx: Context) {
  let c = perRequest.get(ctx);
  if (!c) {
    c = { members: countLoader(ctx, 'Member', MEMBER_ACTIVE), volunteers: countLoader(ctx, 'Volunteer', VOLUNTEER_REGISTERED) };
    perRequest.set(ctx, c);
  }
  return c;
}

const unitId = (u: { id: string }) => toObjectId(u.id, 'id');

export const GrassrootsUnit: GrassrootsUnitResolvers = {
  // The unit itself is grassroots'; this subgraph only needs its id.
  __resolveReference: (ref) => (isObjectId(ref.id) ? { id: String(ref.id).toLowerCase() } : null),
  members: (u, { first, after }, { access, models }) =>
    paginate<MemberDoc>(models.Member, allOf([access.subtree(), { grassrootsUnitId: unitId(u) }]), { first, after }),
  volunteers: (u, { first, after }, { access, models }) =>
    paginate<VolunteerDoc>(models.Volunteer, allOf([access.subtree(), { grassrootsUnitId: unitId(u) }, { endedOn: null }]), {
      first,
      after,
    }),
  // Counts carry no personal data: for every role that reads reports.
  memberCount: (u, { asOf }, ctx) => {
    ctx.access.requireRole(Roles.REPORT_READERS, 'count the members of grassroots units');
    return counts(ctx).members.load({ id: String(unitId(u)), on: asOf ?? today() });
  },
  volunteerCount: (u, { asOf }, ctx) => {
    ctx.access.requireRole(Roles.REPORT_READERS, 'count the volunteers of grassroots units');
    return counts(ctx).volunteers.load({ id: String(unitId(u)), on: asOf ?? today() });
  },
};
