import { z } from 'zod';
import { DIVISION_TYPES, NATIONAL_DIVISION_CODE, divisionOf, type DivisionType } from '@rcsc/dataset';
import {
  badInput,
  conflict,
  contactInputSchema,
  locationInputSchema,
  notFound,
  objectIdInput,
  placeText,
  postcodeSchema,
  textInput,
  websiteSchema,
  today,
} from '@rcsc/service-kit';
import { levelRank, type Level } from './models/organization';

/** Today in China (service-kit: facts are dated by the day in Beijing). */
export { today };

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
  data: { level: Level; kind: string; divisionCode?: string | null; establishedOn?: Date | null },
  parent: { level: Level; dissolvedOn?: Date | null } | null,
  now = today(),
): void {
  if (parent?.dissolvedOn) throw badInput('input.parentId', 'the parent branch is dissolved');
  if (data.establishedOn && data.establishedOn > now)
    throw badInput('input.establishedOn', `must not be in the future (today is ${day(now)})`);
  checkParentLevel(data.level, parent);
  if (data.kind === 'REGIONAL' && !data.divisionCode) throw badInput('input.divisionCode', 'is required for a regional branch');
}

/** A code lies in a parent's range: the same province (2 digits) or prefecture (4 digits); anything under the country. */
function inRange(code: string, parent: { level: Level; divisionCode?: string | null }): boolean {
  const digits = { NATIONAL: 0, PROVINCIAL: 2, PREFECTURE: 4, COUNTY: 6 }[parent.level];
  return !!parent.divisionCode && code.slice(0, digits) === parent.divisionCode.slice(0, digits);
}

/**
 * A regional branch sits on a division of the GB/T 2260 data: the code exists, its level is the
 * branch's, it lies in the parent's division and the type agrees (returned, so it can be left out).
 * Special systems (兵团, 铁路) have no division and are exempt.
 */
export function checkDivision(
  data: { level: Level; kind: string; divisionCode?: string | null; divisionType?: DivisionType | null },
  parent: { level: Level; divisionCode?: string | null; kind: string } | null,
): DivisionType | null {
  if (data.kind !== 'REGIONAL' || !data.divisionCode) return data.divisionType ?? null;
  if (data.level === 'NATIONAL') {
    if (data.divisionCode !== NATIONAL_DIVISION_CODE)
      throw badInput('input.divisionCode', `the national headquarters sits on ${NATIONAL_DIVISION_CODE}`);
    return 'COUNTRY';
  }
  const division = divisionOf(data.divisionCode);
  if (!division) throw badInput('input.divisionCode', `${data.divisionCode} is not a division of the GB/T 2260 edition in use`);
  if (division.level !== data.level)
    throw badInput('input.level', `${data.divisionCode} (${division.name}) is a ${division.level} division, not ${data.level}`);
  if (parent && parent.kind === 'REGIONAL' && !inRange(data.divisionCode, parent))
    throw badInput(
      'input.parentId',
      `${data.divisionCode} (${division.name}) lies in ${division.parentCode}, outside the parent's ${parent.divisionCode}`,
    );
  if (data.divisionType && data.divisionType !== division.type)
    throw badInput('input.divisionType', `${data.divisionCode} (${division.name}) is a ${division.type}`);
  return division.type;
}

/** There is one national headquarters. */
export function checkUniqueNational(level: Level, nationalExists: unknown): void {
  if (level === 'NATIONAL' && nationalExists) throw conflict('there is already a national headquarters', 'input.level');
}

/** A branch is dissolved only once no active branch hangs under it. */
export function checkDissolvable(hasActiveChildren: unknown, field = 'input.dissolvedOn'): void {
  if (hasActiveChildren)
    throw badInput(field, 'a branch with active branches under it cannot be dissolved (move them, or merge the branch)');
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

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A branch's life, as the dates of its facts must respect it. */
export interface BranchLife {
  establishedOn?: Date | null;
  dissolvedOn?: Date | null;
}

/**
 * A dated fact of a branch happens within its life and not in the future: BAD_USER_INPUT naming
 * `field` otherwise.
 */
export function checkWithinLife(date: Date, branch: BranchLife, field: string, now = today()): void {
  if (date > now) throw badInput(field, `must not be in the future (today is ${day(now)})`);
  if (branch.establishedOn && date < branch.establishedOn)
    throw badInput(field, `must not be before the branch was established (${day(branch.establishedOn)})`);
  if (branch.dissolvedOn && date >= branch.dissolvedOn) throw badInput(field, `the branch was dissolved on ${day(branch.dissolvedOn)}`);
}

/** Every period of a fact, oldest first. */
export function periodsOf<P extends Period>(current: P | null | undefined, history: readonly P[] | undefined): P[] {
  return [...(history ?? []), ...(current ? [current] : [])];
}

/** The period holding on `date`, if any. */
export function periodOn<P extends Period>(periods: readonly P[], date: Date): P | null {
  return periods.find((p) => holdsOn(p, date)) ?? null;
}

/** When the run of back-to-back periods ending with `period` began (a board re-constituted stays established). */
export function heldSince<P extends Period>(periods: readonly P[], period: P): Date {
  let since = period.since;
  for (let i = periods.indexOf(period) - 1; i >= 0 && periods[i].until?.getTime() === since.getTime(); i--) since = periods[i].since;
  return since;
}

/**
 * A new period of a governance fact begins: the current one ends on its start (if still open) and
 * joins the history. A period beginning on or before the current one's start would rewrite the
 * past: CONFLICT (a correction is correctGovernance's, with a reason).
 */
export function beginPeriod<P extends Period>(current: P | null | undefined, history: readonly P[] | undefined, next: P) {
  if (current && next.since <= current.since) {
    throw conflict(
      `the fact is recorded since ${day(current.since)}: a new period must begin after it (correct a recorded one with correctGovernance)`,
      'input.since',
    );
  }
  const ended = current ? [{ ...current, until: current.until && current.until <= next.since ? current.until : next.since }] : [];
  return { current: next, history: [...(history ?? []), ...ended] };
}

/** The current period ends on `on`: CONFLICT when none is in force, BAD_USER_INPUT when `on` is not after its start. */
export function endPeriod<P extends Period>(current: P | null | undefined, on: Date): P {
  if (!current || current.until) throw conflict('the fact is not in force: there is nothing to end', 'input.fact');
  if (on <= current.since) throw badInput('input.on', `must be after the period began (${day(current.since)})`);
  return { ...current, until: on };
}

/** Posts held by one person at a time. */
export const SINGLE_HOLDER_TITLES = new Set(['HONORARY_CHAIR', 'CHAIR', 'SECRETARY_GENERAL']);

export interface Position extends Period {
  title: string;
  name: string;
  fullTime: boolean;
}

/**
 * The leadership after a change on `on`: posts in office then and not in `team` end on `on`;
 * posts of `team` already in office stay as recorded; the others are added. Earlier posts are
 * kept, so the team on any past date can still be read. One holder per single-holder post.
 */
export function nextLeadership(stored: readonly Position[], team: readonly Position[], on: Date): Position[] {
  const same = (a: Position, b: Position) => a.title === b.title && a.name === b.name;
  const kept = stored.map((p) => (holdsOn(p, on) && !team.some((t) => same(t, p)) ? { ...p, until: on } : p));
  const added = team.filter((t) => !stored.some((p) => same(p, t) && holdsOn(p, on)));
  const result = [...kept, ...added];
  checkSingleHolders(result);
  return result;
}

/** BAD_USER_INPUT when two people hold a single-holder post at once. */
export function checkSingleHolders(positions: readonly Position[]): void {
  const ends = (p: Position) => p.until?.getTime() ?? Infinity;
  for (const [i, a] of positions.entries()) {
    if (!SINGLE_HOLDER_TITLES.has(a.title)) continue;
    const clash = positions.slice(i + 1).find((b) => b.title === a.title && b.since.getTime() < ends(a) && a.since.getTime() < ends(b));
    if (clash) throw badInput('positions', `${a.title} is held by one person at a time: ${a.name} and ${clash.name} overlap`);
  }
}

/** A congress elects each body once. */
export function checkBodies(bodies: readonly { kind: string }[]): void {
  const seen = new Set<string>();
  for (const [i, b] of bodies.entries()) {
    if (seen.has(b.kind)) throw badInput(`input.bodies.${i}.kind`, `${b.kind} is listed twice: a congress elects each body once`);
    seen.add(b.kind);
  }
}

/** What updateOrganization may change: dates within the branch's life, a regional branch keeps its code. */
export function checkUpdate(
  branch: BranchLife & { kind: string },
  data: { divisionCode?: string | null; establishedOn?: Date | null; dissolvedOn?: Date | null },
  now = today(),
): void {
  if (data.divisionCode === null && branch.kind === 'REGIONAL')
    throw badInput('input.divisionCode', 'a regional branch keeps a division code');
  if (data.dissolvedOn === null && branch.dissolvedOn)
    throw badInput('input.dissolvedOn', 'a dissolution is not undone by an update: it stays in the history');
  if (data.establishedOn) {
    if (data.establishedOn > now) throw badInput('input.establishedOn', `must not be in the future (today is ${day(now)})`);
    if (branch.dissolvedOn && data.establishedOn >= branch.dissolvedOn)
      throw badInput('input.establishedOn', `must be before the branch was dissolved (${day(branch.dissolvedOn)})`);
  }
}

/**
 * A move is dated after every earlier move of the branches it moves: the tree's history is added
 * to, never rewritten (a mistaken move is undone by moving back).
 */
export function checkMoveDate(moved: readonly { name: string; pathHistory?: readonly { until: Date }[] }[], on: Date): void {
  for (const b of moved) {
    const last = b.pathHistory?.at(-1)?.until;
    if (last && on <= last) throw conflict(`${b.name} was moved on ${day(last)}: a later move must be dated after it`, 'on');
  }
}

/** A dissolved branch is not moved, and nothing is moved under one. */
export function checkMovable(node: BranchLife, parent: BranchLife): void {
  if (node.dissolvedOn) throw badInput('id', `the branch was dissolved on ${day(node.dissolvedOn)}`);
  if (parent.dissolvedOn) throw badInput('parentId', `the new parent was dissolved on ${day(parent.dissolvedOn)}`);
}

/** A dissolution: once, within the branch's life, not in the future. */
export function checkDissolution(branch: BranchLife, on: Date, now = today(), field = 'input.dissolvedOn'): void {
  if (branch.dissolvedOn) throw conflict(`the branch was already dissolved on ${day(branch.dissolvedOn)}`, field);
  checkWithinLife(on, branch, field, now);
}

/**
 * A merge of `merged` into `into`: two different standing branches, neither under the other's
 * subtree the wrong way (a branch cannot merge into its own descendant), `into` at the same
 * level or above (a county into a county, or into its prefecture), never the national HQ.
 */
export function checkMergeTarget(
  merged: BranchLife & { _id: unknown; level: Level },
  into: BranchLife & { _id: unknown; ancestorIds: unknown[]; level: Level },
): void {
  if (merged.level === 'NATIONAL') throw badInput('id', 'the national headquarters cannot be merged');
  if (merged.dissolvedOn) throw badInput('id', `the branch was dissolved on ${day(merged.dissolvedOn)}`);
  if (into.dissolvedOn) throw badInput('intoId', `the branch to merge into was dissolved on ${day(into.dissolvedOn)}`);
  if (String(into._id) === String(merged._id) || into.ancestorIds.some((a) => String(a) === String(merged._id)))
    throw badInput('intoId', 'a branch cannot merge into itself or one of its own descendants');
  if (levelRank(into.level) > levelRank(merged.level))
    throw badInput('intoId', `a ${merged.level} branch merges into a branch of its level or above, not a ${into.level} one`);
}

// Input schemas. Names are trimmed; control characters are refused so exports stay clean.
const text = textInput;

export const divisionCodeSchema = z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 code');
export const objectIdSchema = objectIdInput;
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

export const renameOrganizationInput = z
  .object({
    name: text(100).optional(),
    divisionCode: divisionCodeSchema.optional(),
    divisionName: text(60).optional(),
    divisionType: z.enum(DIVISION_TYPES).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one of name, divisionCode, divisionName, divisionType');

/** A dated change of name, code or type comes after the branch's previous one: history is added to. */
export function checkIdentityDate(branch: { identityHistory?: readonly { until: Date }[] }, on: Date): void {
  const last = branch.identityHistory?.at(-1)?.until;
  if (last && on <= last) throw conflict(`the branch was renamed or re-coded on ${day(last)}: a later change must be dated after it`, 'on');
}

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

export const endGovernanceInput = z.object({
  organizationId: objectIdSchema,
  fact: z.enum(['MANAGEMENT_RATIONALIZED', 'PARTY_GROUP', 'SUPERVISORY_BOARD']),
  on: date,
});

export const correctGovernanceInput = z
  .object({
    organizationId: objectIdSchema,
    fact: z.enum(['MANAGEMENT_RATIONALIZED', 'PARTY_GROUP', 'SUPERVISORY_BOARD']),
    since: date,
    until: date.nullish(),
    members: z.array(memberInput).max(50, 'must list at most 50 members').nullish(),
    reason: text(500),
  })
  .refine((v) => !v.until || v.until > v.since, { message: 'must be after since', path: ['until'] })
  .refine((v) => !v.members || v.fact === 'SUPERVISORY_BOARD', { message: 'members go only with SUPERVISORY_BOARD', path: ['members'] });

// Reversal of a mistaken reorganization (ADR 0008).

/** An outbox entry as the reversal rules read it. */
export interface OutboxEntry {
  _id: number;
  kind: string;
  branchId: unknown;
  on: Date;
  fromPath: readonly unknown[];
  toPath: readonly unknown[];
  /** The entry that reversed this one, if any. */
  reversedBy?: number | null;
}

const same = (a: unknown, b: unknown) => String(a) === String(b);
const parentOf = (path: readonly unknown[]): unknown => path[path.length - 2];

/**
 * The entries one reversal undoes, oldest first: a merge's own MOVEs of the merged branch's
 * children (published just before it, from the merged branch, on the same day), the MERGE and its
 * DISSOLVE; any other entry alone. An entry that is a part of a merge is refused (reverse the
 * merge), as are a reversal itself and an entry already reversed (CONFLICT naming `eventId`).
 */
export function reversalGroup<E extends OutboxEntry>(entries: readonly E[], id: number): E[] {
  const at = (seq: number) => entries.find((e) => e._id === seq);
  const entry = at(id);
  if (!entry) throw notFoundReorganization(id);
  if (entry.kind === 'REVERSAL') throw conflict(`reorganization ${id} is itself a reversal: reorganize anew instead`, 'eventId');
  if (entry.reversedBy) throw conflict(`reorganization ${id} was already reversed by reorganization ${entry.reversedBy}`, 'eventId');
  const mergeOf = (e: E): E | null => {
    if (e.kind === 'DISSOLVE') {
      const prev = at(e._id - 1);
      return prev?.kind === 'MERGE' && same(prev.branchId, e.branchId) ? prev : null;
    }
    if (e.kind !== 'MOVE') return null;
    for (let seq = e._id + 1; ; seq++) {
      const next = at(seq);
      if (!next || next.on.getTime() !== e.on.getTime()) return null;
      if (next.kind === 'MERGE' && same(next.branchId, parentOf(e.fromPath))) return next;
      if (next.kind !== 'MOVE' || !same(parentOf(next.fromPath), parentOf(e.fromPath))) return null;
    }
  };
  const merge = mergeOf(entry);
  if (merge) throw conflict(`reorganization ${id} is a part of merge ${merge._id}: reverse reorganization ${merge._id}`, 'eventId');
  if (entry.kind !== 'MERGE') return [entry];
  const children: E[] = [];
  for (let seq = id - 1; ; seq--) {
    const prev = at(seq);
    if (!prev || prev.kind !== 'MOVE' || prev.on.getTime() !== entry.on.getTime() || !same(parentOf(prev.fromPath), entry.branchId)) break;
    children.unshift(prev);
  }
  const dissolve = at(id + 1);
  return [...children, entry, ...(dissolve?.kind === 'DISSOLVE' && same(dissolve.branchId, entry.branchId) ? [dissolve] : [])];
}

function notFoundReorganization(id: number) {
  return notFound('Reorganization', String(id));
}

/**
 * A later reorganization that depends on the ones to reverse, if any: one not itself reversed
 * that moved, merged or dissolved a branch on their paths (an old or new ancestor, the branch, a
 * branch below it) or moved a branch into or out of their subtree, or renamed a renamed branch
 * again. Reversing under it would rewrite a history it was built on; reverse it first.
 */
export function laterDependent<E extends OutboxEntry>(later: readonly E[], group: readonly E[]): E | null {
  const last = Math.max(...group.map((g) => g._id));
  const reversed = new Set(group.map((g) => g._id));
  for (const l of later) {
    if (l._id <= last || l.reversedBy || l.kind === 'REVERSAL' || reversed.has(l._id)) continue;
    for (const g of group) {
      if (l.kind === 'RENAME' || g.kind === 'RENAME') {
        if (l.kind === g.kind && same(l.branchId, g.branchId)) return l;
        continue;
      }
      const onPaths = [...g.fromPath, ...g.toPath].some((p) => same(p, l.branchId));
      const inSubtree = [...l.fromPath, ...l.toPath].some((p) => same(p, g.branchId));
      if (onPaths || inSubtree) return l;
    }
  }
  return null;
}

/** A reversal's reason: 1-500 characters, no control characters (kept in the audit log and the outbox). */
export function checkReason(reason: string): string {
  const r = placeText(500).safeParse(reason);
  if (!r.success) throw badInput('reason', r.error.issues[0].message);
  return r.data;
}

// Contact details, locations and groups of branches (issue 24), with the rules units and homes share.

/** A branch's office contact: the shared unit/home rules, plus a postcode and a website. */
export const branchContactInput = contactInputSchema.extend({ postcode: postcodeSchema.nullish(), website: websiteSchema.nullish() });
export const setContactInput = z.object({ contact: branchContactInput.nullish(), location: locationInputSchema.nullish() });

export const createBranchGroupInput = z.object({ organizationId: objectIdSchema, name: text(60), groupSet: text(30) });

/** Groups are defined at the national or a provincial branch. */
export function checkGroupDefiner(level: Level): void {
  if (level !== 'NATIONAL' && level !== 'PROVINCIAL')
    throw badInput('input.organizationId', 'groups are defined at the national or a provincial branch');
}

interface Membership {
  groupId: unknown;
  since: Date;
  until: Date | null;
}

/** Whether a membership holds on `date`. */
export const memberOn = (m: Membership, date: Date) => m.since <= date && (!m.until || m.until > date);

/**
 * A branch joins a group on `since`: the group is usable at the branch (defined at it or above),
 * the day lies within the branch's life and not in the future, and on no day from `since` is the
 * branch in another group of the same set or already in this one (CONFLICT).
 */
export function checkJoin(
  branch: BranchLife & { _id: unknown; ancestorIds: readonly unknown[] },
  group: { _id: unknown; organizationId: unknown; groupSet: string; name: string },
  memberships: readonly Membership[],
  setOf: (groupId: unknown) => string | undefined,
  since: Date,
): void {
  if (![...branch.ancestorIds, branch._id].some((a) => same(a, group.organizationId)))
    throw badInput('groupId', 'the group is defined at a branch that is not above this one');
  checkWithinLife(since, branch, 'since');
  for (const m of memberships) {
    const overlaps = !m.until || m.until > since;
    if (!overlaps) continue;
    if (same(m.groupId, group._id)) throw conflict(`the branch is already a member of ${group.name} since ${day(m.since)}`, 'groupId');
    if (setOf(m.groupId) === group.groupSet)
      throw conflict(`the branch is in another group of the set ${group.groupSet} from ${day(m.since)}`, 'groupId');
  }
}

/** A branch leaves a group on `on`: its open membership ends that day (after it joined, not in the future). */
export function checkLeave(memberships: readonly Membership[], groupId: unknown, on: Date, now = today()): number {
  const at = memberships.findIndex((m) => same(m.groupId, groupId) && !m.until);
  if (at < 0) throw conflict('the branch is not a member of this group', 'groupId');
  if (on <= memberships[at].since) throw badInput('on', `must be after the branch joined (${day(memberships[at].since)})`);
  if (on > now) throw badInput('on', `must not be in the future (today is ${day(now)})`);
  return at;
}
