import { Types } from 'mongoose';
import { allOf, badInput, parseDate } from '@rcsc/service-kit';
import type { MemberFilter, ServiceTeamFilter, VolunteerFilter } from '../generated/graphql';
import { dateRange, registeredVolunteerFilter, statusFilter, today } from '../rules';

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

/** The subtree of a branch (itself included), or only the branch itself. */
function scope(rootId: string, directOnly: boolean | null | undefined): Record<string, unknown> {
  const id = toObjectId(rootId, 'id');
  return directOnly ? { organizationId: id } : { orgPath: id };
}

const and = allOf;

export function memberFilter(rootId: string, f: MemberFilter | null | undefined): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [scope(rootId, f?.directOnly)];
  if (f?.kind) parts.push({ kind: f.kind });
  if (f?.status) parts.push(statusFilter(f.status, today()));
  if (f?.grassrootsUnitId) parts.push({ grassrootsUnitId: toObjectId(f.grassrootsUnitId, 'filter.grassrootsUnitId') });
  if (f?.joinedFrom || f?.joinedTo) parts.push(dateRange('joinedOn', f.joinedFrom, f.joinedTo));
  return and(parts);
}

export function volunteerFilter(rootId: string, f: VolunteerFilter | null | undefined): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [scope(rootId, f?.directOnly)];
  if (!f?.includeEnded) parts.push({ endedOn: null });
  if (f?.registeredInNationalSystem != null) {
    const yes = registeredVolunteerFilter(today());
    parts.push(f.registeredInNationalSystem ? yes : { $nor: [yes] });
  }
  if (f?.minStars != null) {
    if (!Number.isInteger(f.minStars) || f.minStars < 0 || f.minStars > 5) throw badInput('filter.minStars', 'must be 0 to 5');
    parts.push({ stars: { $gte: f.minStars } });
  }
  return and(parts);
}

export function serviceTeamFilter(rootId: string, f: ServiceTeamFilter | null | undefined): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [scope(rootId, f?.directOnly)];
  if (!f?.includeDissolved) parts.push({ dissolvedOn: null });
  if (f?.specialty) parts.push({ specialty: f.specialty });
  return and(parts);
}
