import { Types } from 'mongoose';
import { allOf, badInput, checkYear, formatDate, toObjectId } from '@rcsc/service-kit';
import type { Context } from '../context';
import type { InstructorFilter, TrainingClassFilter } from '../generated/graphql';
import type { InstructorDoc, Models } from '../models';
import { moduleCodeSchema } from '../inputs';
import { beijingRange, DAY_MS, endOfYear, MAX_SESSION_MS, MAX_UNAVAILABLE_DAYS, startOfYear } from '../rules';

/** A period of days given as two dates: `to` must not be before `from`, and at most ten years long. */
export function checkPeriod(from: Date, to: Date, field = 'to'): void {
  if (to < from) throw badInput(field, `must not be before ${formatDate(from)}`);
  if (to.getTime() - from.getTime() > 3660 * 86_400_000) throw badInput(field, 'the period is at most ten years long');
}

export function checkModuleCode(code: string, field: string): string {
  const r = moduleCodeSchema.safeParse(code);
  if (!r.success) throw badInput(field, r.error.issues[0].message);
  return r.data;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Instructors busy at some moment of a range of days: one indexed `distinct` over the sessions
 * starting in the range or up to MAX_SESSION_MS before it (no session is longer).
 */
async function busyInstructors({ Session }: Models, from: Date, to: Date): Promise<Types.ObjectId[]> {
  const { start, end } = beijingRange(from, to);
  return Session.distinct('instructorIds', {
    startsAt: { $gt: new Date(start.getTime() - MAX_SESSION_MS), $lt: end },
    endsAt: { $gt: start },
    cancelledOn: null,
  }) as Promise<Types.ObjectId[]>;
}

/**
 * Instructors with a declared unavailable period (not removed) overlapping the days: one bounded
 * range on the indexed `unavailable.from` (periods last at most MAX_UNAVAILABLE_DAYS), then the
 * exact overlap on the few periods found.
 */
async function unavailableInstructors({ Instructor }: Models, from: Date, to: Date): Promise<Types.ObjectId[]> {
  const rows = (await Instructor.find(
    { 'unavailable.from': { $gt: new Date(from.getTime() - MAX_UNAVAILABLE_DAYS * DAY_MS), $lte: to } },
    { unavailable: 1 },
  ).lean()) as Pick<InstructorDoc, '_id' | 'unavailable'>[];
  return rows.filter((r) => (r.unavailable ?? []).some((p) => !p.removedOn && p.from <= to && p.to >= from)).map((r) => r._id);
}

/**
 * The conditions of an InstructorFilter (default: ACTIVE only), one flat object where the fields
 * differ; `within` apart, since it is where the viewer's scope is asked for.
 */
export async function instructorConditions(
  models: Models,
  filter: InstructorFilter | null | undefined,
  field = 'filter',
): Promise<{ within: Types.ObjectId | null; conditions: Record<string, unknown> }> {
  const f = filter ?? {};
  const and: Record<string, unknown>[] = [];
  if (f.topic != null) and.push({ topics: checkModuleCode(f.topic, `${field}.topic`) });
  const within = f.within ? toObjectId(f.within, `${field}.within`) : null;
  if (f.tier) and.push({ tier: f.tier });
  if (f.category) and.push({ category: f.category });
  and.push({ status: { $in: f.statuses?.length ? f.statuses : ['ACTIVE'] } });
  if (f.qualificationExpiresBefore) and.push({ 'qualifications.expiresOn': { $lt: f.qualificationExpiresBefore } });
  if (f.search != null) {
    const search = f.search.trim();
    if (!search || search.length > 50) throw badInput(`${field}.search`, 'must be 1 to 50 characters');
    and.push({ name: { $regex: escapeRegex(search) } });
  }
  if (f.availableOn && (f.availableFrom || f.availableTo)) {
    throw badInput(`${field}.availableOn`, 'give either availableOn or availableFrom and availableTo');
  }
  if ((f.availableFrom == null) !== (f.availableTo == null)) {
    throw badInput(f.availableFrom == null ? `${field}.availableFrom` : `${field}.availableTo`, 'give both availableFrom and availableTo');
  }
  const [from, to] = f.availableOn ? [f.availableOn, f.availableOn] : [f.availableFrom, f.availableTo];
  if (from && to) {
    checkPeriod(from, to, `${field}.availableTo`);
    const [busy, away] = await Promise.all([busyInstructors(models, from, to), unavailableInstructors(models, from, to)]);
    if (busy.length || away.length) and.push({ _id: { $nin: [...busy, ...away] } });
  }
  return { within, conditions: allOf(and) };
}

/** The instructors list: the filter's conditions within what the viewer may read (under `within` when asked). */
export async function instructorFilter(ctx: Context, filter: InstructorFilter | null | undefined): Promise<Record<string, unknown>> {
  const { within, conditions } = await instructorConditions(ctx.models, filter);
  const scope = within ? await ctx.access.subtreeOrAncestorsUnder(String(within)) : await ctx.access.subtreeOrAncestorsCondition();
  return allOf([scope, conditions]);
}

/**
 * The classes list: a TrainingClassFilter's conditions within what the viewer may read, the scope
 * asked for where the filter names a branch (the host, else `within`).
 */
export async function classFilter(
  ctx: Context,
  filter: TrainingClassFilter | null | undefined,
  field = 'filter',
): Promise<Record<string, unknown>> {
  const f = filter ?? {};
  const and: Record<string, unknown>[] = [];
  const within = f.within ? toObjectId(f.within, `${field}.within`) : null;
  const host = f.hostId ? toObjectId(f.hostId, `${field}.hostId`) : null;
  if (host) {
    and.push(await ctx.access.subtreeOrAncestorsUnder(String(host), true));
    if (within) and.push({ orgPath: within });
  } else {
    and.push(within ? await ctx.access.subtreeOrAncestorsUnder(String(within)) : await ctx.access.subtreeOrAncestorsCondition());
  }
  if (f.instructorId) and.push({ instructorIds: toObjectId(f.instructorId, `${field}.instructorId`) });
  if (f.moduleCode != null) and.push({ moduleCodes: checkModuleCode(f.moduleCode, `${field}.moduleCode`) });
  if (f.category) and.push({ category: f.category });
  if (f.year != null) {
    const year = checkYear(f.year, `${field}.year`);
    and.push({ startsOn: { $gte: startOfYear(year), $lte: endOfYear(year) } });
  }
  if (f.startsFrom) and.push({ startsOn: { $gte: f.startsFrom } });
  if (f.startsTo) and.push({ startsOn: { $lte: f.startsTo } });
  if (!f.includeCancelled) and.push({ cancelledOn: null });
  return allOf(and);
}
