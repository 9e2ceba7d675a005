import { Types } from 'mongoose';
import { allOf, badInput, parseDate } from '@rcsc/service-kit';
import type { BoaiHomeFilter, GrassrootsUnitFilter, MedicalInstitutionFilter } from '../generated/graphql';
import { townshipCodeSchema } from '../rules';

export function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

/** An id argument as an ObjectId, or BAD_USER_INPUT naming the argument. */
export function toObjectId(id: string, field: string): Types.ObjectId {
  if (!isObjectId(id)) throw badInput(field, 'must be an id returned by this graph');
  return new Types.ObjectId(id);
}

/** Representations carry scalars as JSON: a Date arrives as "YYYY-MM-DD". */
export const asDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function nameContains(search: string, field: string): Record<string, unknown> {
  const s = search.trim();
  if (!s || s.length > 50) throw badInput(field, 'must be 1 to 50 characters');
  return { name: { $regex: escapeRegex(s) } };
}

const and = allOf;

/** Records in a branch's subtree, the branch itself included: one indexed match on orgPath. */
export const inSubtree = (id: string, field: string) => ({ orgPath: toObjectId(id, field) });

/** The MongoDB filter for a GrassrootsUnitFilter, optionally inside a subtree; conditions combine with AND. */
export function unitFilter(filter: GrassrootsUnitFilter | null | undefined, subtree?: string, field = 'filter'): Record<string, unknown> {
  const f = filter ?? {};
  const c: Record<string, unknown>[] = [];
  if (subtree) c.push(inSubtree(subtree, 'id'));
  if (f.within) c.push(inSubtree(f.within, `${field}.within`));
  if (f.type) c.push({ type: f.type });
  if (f.types) c.push({ type: { $in: f.types } });
  if (!f.includeDissolved) c.push({ dissolvedOn: null });
  if (f.meetsFiveHas != null) c.push({ meetsFiveHas: f.meetsFiveHas });
  if (f.townshipCode != null) {
    if (!townshipCodeSchema.safeParse(f.townshipCode).success)
      throw badInput(`${field}.townshipCode`, 'must be a nine-digit township code');
    c.push({ 'township.code': f.townshipCode });
  }
  if (f.search != null) c.push(nameContains(f.search, `${field}.search`));
  return and(c);
}

export function homeFilter(filter: BoaiHomeFilter | null | undefined, subtree?: string, field = 'filter'): Record<string, unknown> {
  const f = filter ?? {};
  const c: Record<string, unknown>[] = [];
  if (subtree) c.push(inSubtree(subtree, 'id'));
  if (f.within) c.push(inSubtree(f.within, `${field}.within`));
  if (f.setting) c.push({ setting: f.setting });
  if (f.embeddedIn) c.push({ embeddedIn: f.embeddedIn });
  if (!f.includeClosed) c.push({ closedOn: null });
  if (f.demonstration != null) c.push({ demonstrationDesignatedOn: f.demonstration ? { $ne: null } : null });
  if (f.search != null) c.push(nameContains(f.search, `${field}.search`));
  return and(c);
}

export function institutionFilter(
  filter: MedicalInstitutionFilter | null | undefined,
  subtree?: string,
  field = 'filter',
): Record<string, unknown> {
  const f = filter ?? {};
  const c: Record<string, unknown>[] = [];
  if (subtree) c.push(inSubtree(subtree, 'id'));
  if (f.within) c.push(inSubtree(f.within, `${field}.within`));
  if (f.redCrossNamed != null) c.push({ redCrossNamed: f.redCrossNamed });
  if (f.hasUnit != null) c.push({ grassrootsUnitId: f.hasUnit ? { $ne: null } : null });
  if (f.search != null) c.push(nameContains(f.search, `${field}.search`));
  return and(c);
}
