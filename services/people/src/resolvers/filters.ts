import { allOf, badInput, checkYear, isObjectId, parseDate, toObjectId } from '@rcsc/service-kit';
import type { MemberFilter, ServiceTeamFilter, VolunteerFilter } from '../generated/graphql';
import { dateRange, statusFilter, today } from '../rules';
import { holdsOnFilter, VOLUNTEER_REGISTERED } from '../spans';

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

export { checkYear, isObjectId, toObjectId };
