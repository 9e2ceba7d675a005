import { Types } from 'mongoose';
import { allOf, badInput, parseDate } from '@rcsc/service-kit';
import type { MemberFilter, ServiceTeamFilter, VolunteerFilter } from '../generated/graphql';
import { dateRange, statusFilter, today } from '../rules';
import { holdsOnFilter, VOLUNTEER_REGISTERED } from '../spans';

export function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

/** An id argument as an ObjectId, or BAD_USER_INPUT naming the argument. */
export function toObjectId(id: string, field: string): Types.ObjectId {
  if (!isObjectId(id)) throw badInput(field, 'must be an id returned by this graph');
  return new Types.ObjectId(id);
}

export function checkYear(year: number, field = 'year'): number {
  if (!Number.isInteger(year) || year < 1950 || year > 2100) throw badInput(field, 'must be a year from 1950 to 2100');
  return year;
}

/** Representations carry scalars as JSON: a Date arrives as "YYYY-MM-DD". */
export const asDate = (v: unknown) => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

// Each list filter takes `within`, the one index-served condition ctx.access.listCondition gives.

export function memberFilter(within: Record<string, unknown>, f: MemberFilter | null | undefined): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [within];
  if (f?.kind) parts.push({ kind: f.kind });
  if (f?.status) parts.push(statusFilter(f.status, today()));
  if (f?.grassrootsUnitId) parts.push({ grassrootsUnitId: toObjectId(f.grassrootsUnitId, 'filter.grassrootsUnitId') });
  if (f?.joinedFrom || f?.joinedTo) parts.push(dateRange('joinedOn', f.joinedFrom, f.joinedTo));
  return allOf(parts);
}

export function volunteerFilter(within: Record<string, unknown>, f: VolunteerFilter | null | undefined): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [within];
  if (!f?.includeEnded) parts.push({ endedOn: null });
  if (f?.registeredInNationalSystem != null) {
    const yes = holdsOnFilter(VOLUNTEER_REGISTERED, today());
    parts.push(f.registeredInNationalSystem ? yes : { $nor: [yes] });
  }
  if (f?.minStars != null) {
    if (!Number.isInteger(f.minStars) || f.minStars < 0 || f.minStars > 5) throw badInput('filter.minStars', 'must be 0 to 5');
    parts.push({ stars: { $gte: f.minStars } });
  }
  return allOf(parts);
}

export function serviceTeamFilter(within: Record<string, unknown>, f: ServiceTeamFilter | null | undefined): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [within];
  if (!f?.includeDissolved) parts.push({ dissolvedOn: null });
  if (f?.specialty) parts.push({ specialty: f.specialty });
  return allOf(parts);
}
