import { z } from 'zod';
import { DIVISION_TYPES } from '@rcsc/dataset';
import { badInput, conflict } from '@rcsc/service-kit';
import { levelRank, type Level } from './models/organization';

/** Today's date at UTC midnight: facts are dated by day. */
export function today(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function addYears(date: Date, years: number): Date {
  const d = new Date(date);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

export const startOfYear = (year: number) => new Date(Date.UTC(year, 0, 1));
export const endOfYear = (year: number) => new Date(Date.UTC(year, 11, 31));

export interface Period {
  since: Date;
  until?: Date | null;
}

/** A dated fact holds on `date` if it began on or before it and had not ended by then. */
export function holdsOn(period: Period | null | undefined, date: Date): boolean {
  return !!period && period.since <= date && (!period.until || period.until > date);
}

/** The MongoDB condition "the fact at `path` holds on `date`" (or, with holds=false, does not). */
export function holdsFilter(path: string, date: Date, holds = true): Record<string, unknown> {
  const yes = { [`${path}.since`]: { $lte: date }, $or: [{ [`${path}.until`]: null }, { [`${path}.until`]: { $gt: date } }] };
  return holds ? yes : { $nor: [yes] };
}

/** A term is overdue on `date` if it is still in force then and its due date has passed. */
export function isOverdue(term: { dueDate: Date; endedOn?: Date | null; congressDate: Date }, date: Date): boolean {
  const inForce = term.congressDate <= date && (!term.endedOn || term.endedOn > date);
  return inForce && term.dueDate < date;
}

/**
 * Terms whose branch is due for a term change (应换届) in `year`: the term in force on 1 January
 * of that year falls due by 31 December of it (including terms already overdue).
 */
export function dueInYearFilter(year: number): Record<string, unknown> {
  const jan1 = startOfYear(year);
  return {
    congressDate: { $lte: jan1 },
    dueDate: { $lte: endOfYear(year) },
    $or: [{ endedOn: null }, { endedOn: { $gt: jan1 } }],
  };
}

/** Term changes completed (已换届) in `year`: congresses opening a second or later term. */
export function completedInYearFilter(year: number): Record<string, unknown> {
  return { number: { $gte: 2 }, congressDate: { $gte: startOfYear(year), $lte: endOfYear(year) } };
}

/** A branch may hang only under a branch of a higher level; only the national HQ has no parent. */
export function checkParentLevel(childLevel: Level, parent: { level: Level } | null, field = 'input.parentId'): void {
  if (childLevel === 'NATIONAL') {
    if (parent) throw badInput(field, 'the national headquarters has no parent');
    return;
  }
  if (!parent) throw badInput(field, `a ${childLevel} branch needs a parent branch`);
  if (levelRank(parent.level) >= levelRank(childLevel)) {
    throw badInput(field, `a ${childLevel} branch cannot sit under a ${parent.level} branch`);
  }
}

/** Moving a branch under itself or under one of its own descendants would make a cycle. */
export function checkNotOwnDescendant(movedId: string, newParent: { _id: unknown; ancestorIds: unknown[] }): void {
  if (String(newParent._id) === movedId || newParent.ancestorIds.some((a) => String(a) === movedId)) {
    throw badInput('parentId', 'cannot move a branch under itself or one of its own descendants');
  }
}

/** The parent a new branch hangs under (null for the national HQ), checked against the new branch. */
export function checkNewBranch(
  data: { level: Level; kind: string; divisionCode?: string | null },
  parent: { level: Level; dissolvedOn?: Date | null } | null,
): void {
  if (parent?.dissolvedOn) throw badInput('input.parentId', 'the parent branch is dissolved');
  checkParentLevel(data.level, parent);
  if (data.kind === 'REGIONAL' && !data.divisionCode) throw badInput('input.divisionCode', 'is required for a regional branch');
}

/** There is one national headquarters. */
export function checkUniqueNational(level: Level, nationalExists: unknown): void {
  if (level === 'NATIONAL' && nationalExists) throw conflict('there is already a national headquarters', 'input.level');
}

/** A branch is dissolved only once no active branch hangs under it. */
export function checkDissolvable(hasActiveChildren: unknown): void {
  if (hasActiveChildren) throw badInput('input.dissolvedOn', 'a branch with active branches under it cannot be dissolved');
}

/** A new term's congress comes after the previous one. */
export function checkNextCongress(previous: { congressDate: Date } | null, congressDate: Date): void {
  if (previous && congressDate <= previous.congressDate) {
    throw badInput('input.congressDate', `must be after the previous congress (${previous.congressDate.toISOString().slice(0, 10)})`);
  }
}

/**
 * The ancestor paths of a moved branch and of its whole subtree under the new parent, by branch
 * id: the part of each path below the moved branch's old parent is kept.
 */
export function rebasedPaths<I>(
  node: { _id: I; ancestorIds: I[] },
  parent: { _id: I; ancestorIds: I[] },
  subtree: { _id: I; ancestorIds: I[] }[],
): Map<string, { id: I; ancestorIds: I[] }> {
  const prefix = [...parent.ancestorIds, parent._id];
  const depth = node.ancestorIds.length;
  const paths = new Map<string, { id: I; ancestorIds: I[] }>([[String(node._id), { id: node._id, ancestorIds: prefix }]]);
  for (const d of subtree) paths.set(String(d._id), { id: d._id, ancestorIds: [...prefix, ...d.ancestorIds.slice(depth)] });
  return paths;
}

// Input schemas. Names are trimmed; control characters are refused so exports stay clean.
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const divisionCodeSchema = z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 code');
export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id returned by this graph');
const date = z.date({ message: 'must be a date' });

export const createOrganizationInput = z.object({
  name: text(100),
  level: z.enum(['NATIONAL', 'PROVINCIAL', 'PREFECTURE', 'COUNTY']),
  kind: z.enum(['REGIONAL', 'SPECIAL_SYSTEM']).default('REGIONAL'),
  divisionCode: divisionCodeSchema.nullish(),
  divisionName: text(60).nullish(),
  divisionType: z.enum(DIVISION_TYPES).nullish(),
  parentId: objectIdSchema.nullish(),
  establishedOn: date.nullish(),
});

export const updateOrganizationInput = z
  .object({
    name: text(100).optional(),
    divisionCode: divisionCodeSchema.nullish(),
    divisionName: text(60).optional(),
    divisionType: z.enum(DIVISION_TYPES).nullish(),
    establishedOn: date.nullish(),
    dissolvedOn: date.nullish(),
  })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

const memberInput = z.object({ name: text(50), position: text(30) });

export const recordGovernanceInput = z
  .object({
    organizationId: objectIdSchema,
    fact: z.enum(['MANAGEMENT_RATIONALIZED', 'PARTY_GROUP', 'SUPERVISORY_BOARD']),
    since: date,
    until: date.nullish(),
    members: z.array(memberInput).max(50, 'must list at most 50 members').nullish(),
  })
  .refine((v) => !v.until || v.until > v.since, { message: 'must be after since', path: ['until'] })
  .refine((v) => !v.members || v.fact === 'SUPERVISORY_BOARD', {
    message: 'members go only with SUPERVISORY_BOARD',
    path: ['members'],
  });

export const leadershipInput = z
  .array(
    z
      .object({
        title: z.enum(['HONORARY_CHAIR', 'CHAIR', 'EXECUTIVE_VICE_CHAIR', 'VICE_CHAIR', 'SECRETARY_GENERAL', 'DEPUTY_SECRETARY_GENERAL']),
        name: text(50),
        fullTime: z.boolean().default(false),
        since: date,
        until: date.nullish(),
      })
      .refine((v) => !v.until || v.until > v.since, { message: 'must be after since', path: ['until'] }),
  )
  .max(40, 'must list at most 40 positions');

export const recordTermChangeInput = z.object({
  organizationId: objectIdSchema,
  congressDate: date,
  lengthYears: z.number().int().min(1, 'must be at least 1').max(10, 'must be at most 10').default(5),
  bodies: z
    .array(
      z
        .object({
          kind: z.enum(['COUNCIL', 'STANDING_COUNCIL', 'EXECUTIVE_COMMITTEE', 'SUPERVISORY_BOARD']),
          size: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
          members: z.array(memberInput).max(1000).default([]),
        })
        .refine((b) => b.members.length <= b.size, { message: 'more members than seats', path: ['members'] }),
    )
    .default([]),
});
