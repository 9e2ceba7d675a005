import type { ValuesLoader } from '@rcsc/counters';
import { endOfYear } from './rules';

/** The people rows of annex 1 (9-14) for a subtree. */
export interface PeopleCounts {
  groupMembers: number;
  adultMembers: number;
  youthMembers: number;
  registeredVolunteers: number;
  serviceOrganizations: number;
  serviceHours: number;
}

/** The counter keys (src/counters.ts): members by kind, registered volunteers, teams, hours. */
export const COUNTER_KEYS = ['ADULT', 'YOUTH', 'GROUP', 'volunteers', 'teams', 'hours'] as const;

const DAY = 86_400_000;
/** Later than any record: "everything recorded so far". */
const EVER = new Date(Date.UTC(9999, 11, 31));

/**
 * Rows 9-13 on a date (members ACTIVE on it by kind: joined, not withdrawn, not lapsed;
 * volunteers registered in the national system and not left; teams founded and not dissolved)
 * and the hours recorded up to and including it, unrounded. One read of the subtree's counters.
 */
async function countsOn(counts: ValuesLoader, rootId: string, date: Date): Promise<PeopleCounts> {
  const v = await counts.on(rootId, date);
  return {
    groupMembers: v.GROUP,
    adultMembers: v.ADULT,
    youthMembers: v.YOUTH,
    registeredVolunteers: v.volunteers,
    serviceOrganizations: v.teams,
    serviceHours: v.hours,
  };
}

/** Row 14 over [from, to] (open ends allowed): hours up to `to` minus hours before `from`. */
export async function serviceHours(counts: ValuesLoader, rootId: string, from: Date | null, to: Date | null): Promise<number> {
  const [upTo, before] = await Promise.all([
    counts.on(rootId, to ?? EVER),
    from ? counts.on(rootId, new Date(from.getTime() - DAY)) : Promise.resolve({ hours: 0 }),
  ]);
  return upTo.hours - before.hours;
}

/** Annex 1 rows 9-14 on a date; hours are everything recorded up to and including it, rounded. */
export async function survey(counts: ValuesLoader, rootId: string, asOf: Date): Promise<PeopleCounts> {
  const c = await countsOn(counts, rootId, asOf);
  return { ...c, serviceHours: Math.round(c.serviceHours) };
}

/**
 * Annex 2 rows 9-14: stocks on 31 Dec of the year minus 31 Dec of the year before; hours during
 * the year as the difference of the two rounded year-end totals, so that annex 2 equals annex 1
 * at year end minus annex 1 a year earlier exactly, as reports are checked.
 */
export async function annualIncrease(counts: ValuesLoader, rootId: string, year: number, baseYear = year - 1): Promise<PeopleCounts> {
  const [end, start] = await Promise.all([survey(counts, rootId, endOfYear(year)), survey(counts, rootId, endOfYear(baseYear))]);
  const diff = (k: keyof PeopleCounts) => end[k] - start[k];
  return {
    groupMembers: diff('groupMembers'),
    adultMembers: diff('adultMembers'),
    youthMembers: diff('youthMembers'),
    registeredVolunteers: diff('registeredVolunteers'),
    serviceOrganizations: diff('serviceOrganizations'),
    serviceHours: diff('serviceHours'),
  };
}
