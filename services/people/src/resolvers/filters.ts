import type { Access } from '@rcsc/access';
import { normalize, type PersonalDataVault } from '@rcsc/personal-data';
import { allOf, badInput, checkYear, forbidden, isObjectId, parseDate, toObjectId } from '@rcsc/service-kit';
import type { MemberFilter, ServiceTeamFilter, VolunteerFilter } from '../generated/graphql';
import { dateRange, statusFilter, today } from '../rules';
import { holdsOnFilter, VOLUNTEER_REGISTERED } from '../spans';

/** Representations carry scalars as JSON: a Date arrives as "YYYY-MM-DD". */
export const asDate = (v: unknown) => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

// Each list filter takes `within`, the one index-served condition ctx.access.listCondition gives.

/** What the person searches need: who asks (personal data) and the keyed hash. */
export interface SearchContext {
  access: Access;
  vault: PersonalDataVault;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Name prefix (an anchored, case-sensitive regex the {orgPath, name} index serves), and identity
 * number and phone by exact match on their keyed hashes (never a partial identity number). Those
 * two are personal data: only for roles that see it, else FORBIDDEN.
 */
function personSearch(
  f: { namePrefix?: string | null; idNumber?: string | null; phone?: string | null } | null | undefined,
  ctx: SearchContext,
) {
  const parts: Record<string, unknown>[] = [];
  if (f?.namePrefix != null) {
    const prefix = f.namePrefix.trim();
    if (!prefix || prefix.length > 50) throw badInput('filter.namePrefix', 'must be 1 to 50 characters');
    parts.push({ name: { $regex: `^${escapeRegex(prefix)}` } });
  }
  if (f?.idNumber != null || f?.phone != null) {
    if (!ctx.access.seesPersonalData) throw forbidden('Searching by identity number or phone is for roles that work with personal data');
  }
  if (f?.idNumber != null) parts.push({ idNumberHash: ctx.vault.hash(normalize(f.idNumber)) });
  if (f?.phone != null) parts.push({ phoneHash: ctx.vault.hash(f.phone.replace(/[\s-]/g, '')) });
  return parts;
}

export function memberFilter(
  within: Record<string, unknown>,
  f: MemberFilter | null | undefined,
  ctx: SearchContext,
): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [within, ...personSearch(f, ctx)];
  if (f?.kind) parts.push({ kind: f.kind });
  if (f?.status) parts.push(statusFilter(f.status, today()));
  if (f?.grassrootsUnitId) parts.push({ grassrootsUnitId: toObjectId(f.grassrootsUnitId, 'filter.grassrootsUnitId') });
  if (f?.memberNumber) parts.push({ memberNumber: f.memberNumber.trim().toUpperCase() });
  if (f?.joinedFrom || f?.joinedTo) parts.push(dateRange('joinedOn', f.joinedFrom, f.joinedTo));
  return allOf(parts);
}

export function volunteerFilter(
  within: Record<string, unknown>,
  f: VolunteerFilter | null | undefined,
  ctx: SearchContext,
): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [within, ...personSearch(f, ctx)];
  if (f?.skill != null) parts.push({ skills: f.skill.trim() });
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
