import { groupBy } from '@rcsc/service-kit';
import DataLoader from 'dataloader';
import { valuesLoader } from '@rcsc/counters';
import { counters } from './counters';
import { COUNTER_KEYS } from './indicators';
import { dateRange } from './rules';
import { Types } from 'mongoose';
import {
  COUNTED_HOURS,
  type DuesPaymentDoc,
  type MemberDoc,
  type MemberStarDoc,
  type Models,
  type ServiceTeamDoc,
  type StarRatingDoc,
  type VolunteerDoc,
} from './models';

const oid = (id: string) => new Types.ObjectId(id);

/** A by-id loader over one collection (ids must be valid ObjectId strings). */
function byId<T extends { _id: Types.ObjectId }>(find: (ids: Types.ObjectId[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await find(ids.map(oid));
    const map = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Hours of one volunteer or team over [from, to] (open ends allowed). */
export interface HoursKey {
  id: string;
  from?: Date | null;
  to?: Date | null;
}
const periodOf = (k: HoursKey) => `${k.from?.getTime() ?? ''}:${k.to?.getTime() ?? ''}`;

/** Sums of hours per volunteer or per team: one aggregation per distinct period asked. */
function hoursLoader(models: Models, field: 'volunteerId' | 'teamId') {
  return new DataLoader<HoursKey, number, string>(
    async (keys) => {
      const byPeriod = groupBy([...keys], periodOf);
      const found = new Map<string, number>();
      await Promise.all(
        [...byPeriod.values()].map(async (periodKeys) => {
          const { from, to } = periodKeys[0];
          const rows = await models.ServiceRecord.aggregate<{ _id: Types.ObjectId; hours: number }>([
            { $match: { [field]: { $in: periodKeys.map((k) => oid(k.id)) }, ...dateRange('date', from, to), ...COUNTED_HOURS } },
            { $group: { _id: `$${field}`, hours: { $sum: '$hours' } } },
          ]);
          for (const r of rows) found.set(`${String(r._id)}@${periodOf(periodKeys[0])}`, r.hours);
        }),
      );
      return keys.map((k) => found.get(`${k.id}@${periodOf(k)}`) ?? 0);
    },
    { cacheKeyFn: (k) => `${k.id}@${periodOf(k)}` },
  );
}

/** One set per request: every by-key fetch goes through these, so lists make a constant number of commands. */
export function createLoaders(models: Models) {
  const { Member, Volunteer, ServiceTeam, StarRating, DuesPayment, MemberStar } = models;
  const memberById = byId<MemberDoc>(async (ids) => (await Member.find({ _id: { $in: ids } }).lean()) as MemberDoc[]);
  const volunteerById = byId<VolunteerDoc>(async (ids) => (await Volunteer.find({ _id: { $in: ids } }).lean()) as VolunteerDoc[]);
  const teamById = byId<ServiceTeamDoc>(async (ids) => (await ServiceTeam.find({ _id: { $in: ids } }).lean()) as ServiceTeamDoc[]);
  const ratingById = byId<StarRatingDoc>(async (ids) => (await StarRating.find({ _id: { $in: ids } }).lean()) as StarRatingDoc[]);

  const ratingsOf = new DataLoader<string, StarRatingDoc[]>(async (ids) => {
    const rows = (await StarRating.find({ volunteerId: { $in: ids.map(oid) } })
      .sort({ volunteerId: 1, requestedOn: 1 })
      .lean()) as StarRatingDoc[];
    const by = groupBy(rows, (r) => String(r.volunteerId));
    return ids.map((id) => by.get(id) ?? []);
  });

  const duesOf = new DataLoader<string, DuesPaymentDoc[]>(async (ids) => {
    const rows = (await DuesPayment.find({ memberId: { $in: ids.map(oid) } })
      .sort({ memberId: 1, periodFrom: 1 })
      .lean()) as DuesPaymentDoc[];
    const by = groupBy(rows, (r) => String(r.memberId));
    return ids.map((id) => by.get(id) ?? []);
  });

  const awardsOf = new DataLoader<string, MemberStarDoc[]>(async (ids) => {
    const rows = (await MemberStar.find({ memberId: { $in: ids.map(oid) } })
      .sort({ memberId: 1, year: 1 })
      .lean()) as MemberStarDoc[];
    const by = groupBy(rows, (r) => String(r.memberId));
    return ids.map((id) => by.get(id) ?? []);
  });

  // Every membership record of a person (by the identity number's keyed hash): a member's history.
  const recordsOfPerson = new DataLoader<string, MemberDoc[]>(async (hashes) => {
    const rows = (await Member.find({ idNumberHash: { $in: [...hashes] } }).lean()) as MemberDoc[];
    const by = groupBy(rows, (r) => r.idNumberHash);
    return hashes.map((h) => by.get(h) ?? []);
  });

  const teamMemberCount = new DataLoader<string, number>(async (ids) => {
    const rows = await Volunteer.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { teamIds: { $in: ids.map(oid) }, endedOn: null } },
      { $unwind: '$teamIds' },
      { $group: { _id: '$teamIds', n: { $sum: 1 } } },
    ]);
    const map = new Map(rows.map((r) => [String(r._id), r.n]));
    return ids.map((id) => map.get(id) ?? 0);
  });

  const volunteerHours = hoursLoader(models, 'volunteerId');
  const teamHours = hoursLoader(models, 'teamId');

  return {
    /** Subtree counters on a date (annex rows 9-14). */
    counts: valuesLoader(counters(models), COUNTER_KEYS),
    memberById,
    volunteerById,
    teamById,
    ratingById,
    ratingsOf,
    duesOf,
    awardsOf,
    recordsOfPerson,
    teamMemberCount,
    volunteerHours,
    teamHours,
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
