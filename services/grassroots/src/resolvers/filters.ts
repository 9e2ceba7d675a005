import type { Model } from 'mongoose';
import { NOTHING, type Access } from '@rcsc/access';
import { allOf, badInput, type PageArgs, paginate, parseDate, toObjectId } from '@rcsc/service-kit';

export { isObjectId, toObjectId } from '@rcsc/service-kit';
import type { BoaiHomeFilter, GrassrootsUnitFilter, MedicalInstitutionFilter } from '../generated/graphql';
import { existsOnFilter, periodOnFilter, today, townshipCodeSchema } from '../rules';
import type { EquipmentKind } from '../models';

/** Representations carry scalars as JSON: a Date arrives as "YYYY-MM-DD". */
export const asDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function nameContains(search: string, field: string): Record<string, unknown> {
  const s = search.trim();
  if (!s || s.length > 50) throw badInput(field, 'must be 1 to 50 characters');
  return { name: { $regex: escapeRegex(s) } };
}

/** A branch a list is asked under, and the argument that named it (for BAD_USER_INPUT). */
export interface AskedBranch {
  id: string;
  field: string;
}

/** The branch a filter's `within` names, if any. */
export const within = (filter: { within?: string | null } | null | undefined, field = 'filter'): AskedBranch | null =>
  filter?.within ? { id: filter.within, field: `${field}.within` } : null;

/**
 * The one index-served subtree condition of a list (@rcsc/access): the viewer's subtree when no
 * branch is asked, else the asked branch (an Organization's, a filter's `within`, or the deeper
 * of the two) narrowed to the viewer's, so the database matches one orgPath.
 */
export async function listScope(access: Access, asked: (AskedBranch | null)[]): Promise<Record<string, unknown>> {
  const branches = asked.filter((a): a is AskedBranch => a !== null);
  for (const b of branches) toObjectId(b.id, b.field);
  if (!branches.length) return access.subtree();
  const root = branches.length === 1 ? branches[0].id : await access.deeperOf(branches[0].id, branches[1].id);
  return root ? access.listCondition(root) : NOTHING;
}

/** A page of a list in name order: the list's scope (see listScope) AND its filter, one flat condition. */
export async function pageOf<T extends { _id: unknown }>(
  model: Model<T>,
  access: Access,
  asked: (AskedBranch | null)[],
  filter: Record<string, unknown>,
  args: PageArgs,
) {
  return paginate<T>(model, allOf([await listScope(access, asked), filter]), args, 'name');
}

/** The MongoDB filter for a GrassrootsUnitFilter (its `within` goes to the list's scope); conditions combine with AND. */
export function unitFilter(filter: GrassrootsUnitFilter | null | undefined, field = 'filter'): Record<string, unknown> {
  const f = filter ?? {};
  const c: Record<string, unknown>[] = [];
  if (f.type) c.push({ type: f.type });
  if (f.types) c.push({ type: { $in: f.types } });
  const on = f.asOf ?? null;
  // Without a date: the stored current values (index-friendly); with one: the dated history.
  if (!f.includeDissolved) c.push(on ? existsOnFilter('establishedOn', 'dissolvedOn', on) : { dissolvedOn: null });
  if (f.meetsFiveHas != null) {
    const met = on ? periodOnFilter('fiveHas', on, { meets: true }) : { meetsFiveHas: true };
    c.push(f.meetsFiveHas ? met : on ? { $nor: [met] } : { meetsFiveHas: false });
  }
  if (f.inGroup != null) c.push(memberOn(f.inGroup, on ?? today(), `${field}.inGroup`));
  if (f.hasEquipment?.length) {
    c.push({ type: 'SCHOOL' });
    for (const kind of new Set(f.hasEquipment)) c.push(equipmentInPlace(kind, on ?? today()));
  }
  if (f.townshipCode != null) {
    if (!townshipCodeSchema.safeParse(f.townshipCode).success)
      throw badInput(`${field}.townshipCode`, 'must be a nine-digit township code');
    c.push({ 'township.code': f.townshipCode });
  }
  if (f.search != null) c.push(nameContains(f.search, `${field}.search`));
  return allOf(c);
}

export function homeFilter(filter: BoaiHomeFilter | null | undefined, field = 'filter'): Record<string, unknown> {
  const f = filter ?? {};
  const c: Record<string, unknown>[] = [];
  if (f.setting) c.push({ setting: f.setting });
  if (f.embeddedIn) c.push({ embeddedIn: f.embeddedIn });
  const on = f.asOf ?? null;
  if (!f.includeClosed) c.push(on ? existsOnFilter('openedOn', 'closedOn', on) : { closedOn: null });
  if (f.inGroup != null) c.push(memberOn(f.inGroup, on ?? today(), `${field}.inGroup`));
  if (f.demonstration != null) {
    // demonstrationDesignatedOn is the start of the designation in force now (null: none).
    const site = on ? periodOnFilter('demonstrationPeriods', on) : { demonstrationDesignatedOn: { $ne: null } };
    c.push(f.demonstration ? site : on ? { $nor: [site] } : { demonstrationDesignatedOn: null });
  }
  if (f.search != null) c.push(nameContains(f.search, `${field}.search`));
  return allOf(c);
}

export function institutionFilter(filter: MedicalInstitutionFilter | null | undefined, field = 'filter'): Record<string, unknown> {
  const f = filter ?? {};
  const c: Record<string, unknown>[] = [];
  if (f.redCrossNamed != null) c.push({ redCrossNamed: f.redCrossNamed });
  if (f.hasUnit != null) {
    if (f.asOf) c.push(f.hasUnit ? periodOnFilter('unitPeriods', f.asOf) : { $nor: [periodOnFilter('unitPeriods', f.asOf)] });
    else c.push({ grassrootsUnitId: f.hasUnit ? { $ne: null } : null });
  }
  if (f.search != null) c.push(nameContains(f.search, `${field}.search`));
  return allOf(c);
}

/** Units with at least one piece of `kind` in place on `date`. */
export function equipmentInPlace(kind: EquipmentKind, date: Date): Record<string, unknown> {
  return {
    equipment: { $elemMatch: { kind, installedOn: { $lte: date }, $or: [{ removedOn: null }, { removedOn: { $gt: date } }] } },
  };
}

/** Records that are members of a group on `date`. */
function memberOn(groupId: string, date: Date, field: string): Record<string, unknown> {
  return periodOnFilter('groups', date, { groupId: toObjectId(groupId, field) });
}
