import { Types } from 'mongoose';
import type { Models } from './models';
import { activeMemberFilter, endOfYear, registeredVolunteerFilter, teamExistsFilter } from './rules';

/** The people rows of annex 1 (9-14) for a subtree. */
export interface PeopleCounts {
  groupMembers: number;
  adultMembers: number;
  youthMembers: number;
  registeredVolunteers: number;
  serviceOrganizations: number;
  serviceHours: number;
}
type StockCounts = Omit<PeopleCounts, 'serviceHours'>;

/**
 * Every record stores its branch's path (ancestors + itself), so "the subtree of root, root
 * included" is the single indexed equality { orgPath: root }.
 */
const under = (rootId: string) => ({ orgPath: new Types.ObjectId(rootId) });

/** Rows 9-11: members ACTIVE on the date (joined, not withdrawn, not lapsed), by kind: one aggregation. */
export async function memberCounts({ Member }: Models, rootId: string, date: Date) {
  const rows = await Member.aggregate<{ _id: string; n: number }>([
    { $match: { ...under(rootId), ...activeMemberFilter(date) } },
    { $group: { _id: '$kind', n: { $sum: 1 } } },
  ]);
  const n = (kind: string) => rows.find((r) => r._id === kind)?.n ?? 0;
  return { groupMembers: n('GROUP'), adultMembers: n('ADULT'), youthMembers: n('YOUTH') };
}

/** Row 12: volunteers registered in the national volunteer information system on the date and not left. */
export function registeredVolunteers({ Volunteer }: Models, rootId: string, date: Date): Promise<number> {
  return Volunteer.countDocuments({ ...under(rootId), ...registeredVolunteerFilter(date) }).exec();
}

/** Row 13: service teams founded on or before the date and not dissolved by then. */
export function serviceOrganizations({ ServiceTeam }: Models, rootId: string, date: Date): Promise<number> {
  return ServiceTeam.countDocuments({ ...under(rootId), ...teamExistsFilter(date) }).exec();
}

/** Row 14: hours recorded in [from, to] (open ends allowed), not rounded. */
export async function serviceHours({ ServiceRecord }: Models, rootId: string, from: Date | null, to: Date | null): Promise<number> {
  const date: Record<string, Date> = {};
  if (from) date.$gte = from;
  if (to) date.$lte = to;
  const rows = await ServiceRecord.aggregate<{ hours: number }>([
    { $match: { ...under(rootId), ...(Object.keys(date).length ? { date } : {}) } },
    { $group: { _id: null, hours: { $sum: '$hours' } } },
  ]);
  return rows[0]?.hours ?? 0;
}

async function stocks(models: Models, rootId: string, date: Date): Promise<StockCounts> {
  const [members, volunteers, teams] = await Promise.all([
    memberCounts(models, rootId, date),
    registeredVolunteers(models, rootId, date),
    serviceOrganizations(models, rootId, date),
  ]);
  return { ...members, registeredVolunteers: volunteers, serviceOrganizations: teams };
}

/** Annex 1 rows 9-14 on a date; hours are everything recorded up to and including it, rounded. */
export async function survey(models: Models, rootId: string, asOf: Date): Promise<PeopleCounts> {
  const [s, hours] = await Promise.all([stocks(models, rootId, asOf), serviceHours(models, rootId, null, asOf)]);
  return { ...s, serviceHours: Math.round(hours) };
}

/**
 * Annex 2 rows 9-14: stocks on 31 Dec of the year minus 31 Dec of the year before; hours during
 * the year as the difference of the two rounded year-end totals, so that annex 2 equals annex 1
 * at year end minus annex 1 a year earlier exactly, as reports are checked.
 */
export async function annualIncrease(models: Models, rootId: string, year: number): Promise<PeopleCounts> {
  const [end, start, hoursEnd, hoursStart] = await Promise.all([
    stocks(models, rootId, endOfYear(year)),
    stocks(models, rootId, endOfYear(year - 1)),
    serviceHours(models, rootId, null, endOfYear(year)),
    serviceHours(models, rootId, null, endOfYear(year - 1)),
  ]);
  const diff = (k: keyof StockCounts) => end[k] - start[k];
  return {
    groupMembers: diff('groupMembers'),
    adultMembers: diff('adultMembers'),
    youthMembers: diff('youthMembers'),
    registeredVolunteers: diff('registeredVolunteers'),
    serviceOrganizations: diff('serviceOrganizations'),
    serviceHours: Math.round(hoursEnd) - Math.round(hoursStart),
  };
}
