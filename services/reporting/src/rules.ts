import { z } from 'zod';
import { badInput, conflict, forbidden, formatDate, objectIdInput, today } from '@rcsc/service-kit';
import { SURVEY_ROWS, type TableKind, type TableValues } from './tables';

/** Today in China (service-kit: facts are dated by the day in Beijing). */
export { today };

const endOfYear = (year: number) => new Date(Date.UTC(year, 11, 31));
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Periods

/** A reporting period: annex 1 on a date, or annex 2 for a year. */
export interface Period {
  table: TableKind;
  asOf: Date | null;
  year: number;
  /** One string per period, e.g. SURVEY:2021-06-30 or ANNUAL:2021 (what records are keyed by). */
  key: string;
}

const FIRST_YEAR = 2000;

/** The period of an input, or BAD_USER_INPUT naming `field.asOf` / `field.year`. */
export function periodOf(input: { table: string; asOf?: Date | null; year?: number | null }, now: Date, field = 'input.period'): Period {
  const thisYear = today(now).getUTCFullYear();
  if (input.table === 'SURVEY') {
    if (!input.asOf) throw badInput(`${field}.asOf`, 'is required for the SURVEY table');
    if (input.year != null) throw badInput(`${field}.year`, 'goes only with the ANNUAL table');
    if (input.asOf.getUTCFullYear() < FIRST_YEAR || input.asOf > today(now)) {
      throw badInput(`${field}.asOf`, `must be a date from ${FIRST_YEAR}-01-01 to today`);
    }
    return { table: 'SURVEY', asOf: input.asOf, year: input.asOf.getUTCFullYear(), key: `SURVEY:${formatDate(input.asOf)}` };
  }
  if (input.table === 'ANNUAL') {
    if (input.year == null) throw badInput(`${field}.year`, 'is required for the ANNUAL table');
    if (input.asOf) throw badInput(`${field}.asOf`, 'goes only with the SURVEY table');
    if (!Number.isInteger(input.year) || input.year < FIRST_YEAR || input.year > thisYear) {
      throw badInput(`${field}.year`, `must be a year from ${FIRST_YEAR} to ${thisYear}`);
    }
    return { table: 'ANNUAL', asOf: null, year: input.year, key: `ANNUAL:${input.year}` };
  }
  throw badInput(`${field}.table`, 'must be SURVEY or ANNUAL');
}

/**
 * An export's base year (annex 2 only): a year before the period's, from 2000; null
 * keeps the default (the year before). Frozen submissions were read against the year before.
 */
export function checkBaseYear(period: Period, baseYear: number | null | undefined, source: 'LIVE' | 'SUBMITTED'): number | null {
  if (baseYear == null) return null;
  if (period.table !== 'ANNUAL') throw badInput('baseYear', 'goes only with the ANNUAL table');
  if (!Number.isInteger(baseYear) || baseYear < FIRST_YEAR || baseYear >= period.year) {
    throw badInput('baseYear', `must be a year from ${FIRST_YEAR} to ${period.year - 1}`);
  }
  if (source === 'SUBMITTED' && baseYear !== period.year - 1) {
    throw badInput('baseYear', `a submission's values were frozen against ${period.year - 1}; export LIVE values for another base`);
  }
  return baseYear;
}

/** The annex 2 period of a year. */
export const annualPeriod = (year: number): Period => ({ table: 'ANNUAL', asOf: null, year, key: `ANNUAL:${year}` });

/** The period of a stored key (for records read back). */
export function periodFromKey(key: string): Period {
  const [table, rest] = key.split(':');
  if (table === 'SURVEY') {
    const asOf = new Date(`${rest}T00:00:00Z`);
    return { table, asOf, year: asOf.getUTCFullYear(), key };
  }
  return annualPeriod(Number(rest));
}

/** A period's due date may not come before the period itself (its date, or 1 January of its year). */
export function checkDueDate(period: Period, dueDate: Date): void {
  const earliest = period.asOf ?? new Date(Date.UTC(period.year, 0, 1));
  if (dueDate < earliest) throw badInput('input.dueDate', `must not be before ${formatDate(earliest)}`);
}

/** Submissions are due by 31 December of the period's year unless the period says otherwise. */
export function defaultDueDate(period: Pick<Period, 'year'>): Date {
  return endOfYear(period.year);
}

export type FilingStatus = 'NOT_SUBMITTED' | 'SUBMITTED' | 'RETURNED' | 'APPROVED' | 'EXCUSED';

/** The status of a branch that may have no record. */
export const statusOf = (s: { status: FilingStatus } | null | undefined): FilingStatus => s?.status ?? 'NOT_SUBMITTED';
export type Timeliness = 'ON_TIME' | 'LATE' | 'PENDING' | 'OVERDUE';

/**
 * On time: submitted before the end of the due date (UTC). Not submitted (or returned and not
 * yet submitted again): PENDING until the due date, OVERDUE after. Excused: no timeliness.
 */
export function timeliness(status: FilingStatus, submittedAt: Date | null | undefined, dueDate: Date, now: Date): Timeliness | null {
  if (status === 'EXCUSED') return null;
  const deadline = dueDate.getTime() + DAY;
  if ((status === 'SUBMITTED' || status === 'APPROVED') && submittedAt) return submittedAt.getTime() < deadline ? 'ON_TIME' : 'LATE';
  return now.getTime() < deadline ? 'PENDING' : 'OVERDUE';
}

// ---------------------------------------------------------------------------------------------
// Submissions

/** A branch may submit unless its table is approved (locked) for the period. */
export function checkSubmittable(existing: { status: FilingStatus } | null, what: string): void {
  if (existing?.status === 'APPROVED') throw conflict(`${what} is approved and locked; it cannot be submitted again`);
}

/** Only a SUBMITTED table can be approved or returned. */
export function checkReviewable(filing: { status: FilingStatus }, action: 'approve' | 'return'): void {
  if (filing.status !== 'SUBMITTED') {
    throw conflict(`Only a SUBMITTED table can be ${action === 'approve' ? 'approved' : 'returned'}; this one is ${filing.status}`);
  }
}

/** Only a branch with a branch above can be excused (by that branch). */
export function checkHasBranchAbove(branch: { parentId: string | null }): void {
  if (!branch.parentId) throw badInput('input.organizationId', 'the national headquarters has no branch above to excuse it');
}

/** A branch can be excused only while it has nothing waiting or approved. */
export function checkExcusable(filing: { status: FilingStatus } | null, name: string): void {
  if (filing && (filing.status === 'SUBMITTED' || filing.status === 'APPROVED')) {
    throw conflict(`${name} has a ${filing.status} table for this period; approve or return it instead of excusing`);
  }
}

/** An approved table as the lock rules need it. */
export interface Approval {
  organizationId: unknown;
  branchName: string;
  periodKey: string;
  status: FilingStatus;
  reviewedAt: Date | null;
  reviewedBy: { userId: string; name?: string | null } | null;
}

/**
 * The approval that locks a branch's table (DHIS2's rule: approving a level freezes the levels
 * below): the nearest APPROVED table of a branch above, for the same period, or null.
 * `ancestorIds` run from the national headquarters down, as the directory gives them.
 */
export function lockingApproval<A extends Approval>(ancestorIds: readonly string[], above: readonly A[]): A | null {
  for (const id of [...ancestorIds].reverse()) {
    const a = above.find((s) => String(s.organizationId) === id && s.status === 'APPROVED');
    if (a) return a;
  }
  return null;
}

/**
 * A table below an approved one may not change (submit, resubmit, approve, return, excuse,
 * unapprove): CONFLICT naming the approval, which must be withdrawn first.
 */
export function checkNotLocked(what: string, locking: Approval | null): void {
  if (!locking) return;
  const by = locking.reviewedBy ? ` by ${locking.reviewedBy.name ?? locking.reviewedBy.userId}` : '';
  const on = locking.reviewedAt ? ` on ${formatDate(locking.reviewedAt)}` : '';
  throw conflict(
    `${what} is locked: the table of ${locking.branchName} for ${locking.periodKey} above it was approved${on}${by}; ` +
      `that approval must be withdrawn (unapproveSubmission) before a table below it changes`,
  );
}

/** Only an APPROVED table can have its approval withdrawn. */
export function checkUnapprovable(filing: { status: FilingStatus }): void {
  if (filing.status !== 'APPROVED') throw conflict(`Only an APPROVED table can be unapproved; this one is ${filing.status}`);
}

/**
 * A branch submits, and its table is approved, only once every branch directly below it is
 * APPROVED or EXCUSED for the period: CONFLICT naming (the first few of) the others.
 */
export function checkChildrenDone(
  name: string,
  children: { id: string; name: string }[],
  done: Set<string>,
  verb = 'submit',
  field = 'input.organizationId',
): void {
  const missing = children.filter((c) => !done.has(c.id));
  if (missing.length === 0) return;
  const shown = missing
    .slice(0, 5)
    .map((c) => c.name)
    .join(', ');
  const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
  throw conflict(
    `${name} cannot ${verb} yet: ${missing.length} of ${children.length} branches below it are not approved or excused (${shown}${more})`,
    field,
  );
}

// ---------------------------------------------------------------------------------------------
// Targets

/**
 * Allocations of a target to the branches directly below its holder: the shares may add up to
 * at most the target (the rest is the holder's own share), and a share may not drop below what
 * its own holder has already allocated further down.
 */
export function checkAllocation(
  targetValue: number,
  current: Map<string, { value: number; allocated: number }>,
  changes: { organizationId: string; value: number }[],
): number {
  const next = new Map([...current].map(([id, c]) => [id, c.value]));
  changes.forEach((c, i) => {
    const below = current.get(c.organizationId)?.allocated ?? 0;
    if (c.value < below) {
      throw badInput(`input.allocations.${i}.value`, `must be at least ${below}, which this branch has already allocated below it`);
    }
    next.set(c.organizationId, c.value);
  });
  const sum = [...next.values()].reduce((a, b) => a + b, 0);
  if (sum > targetValue) throw badInput('input.allocations', `add up to ${sum}, more than the target of ${targetValue}`);
  return sum;
}

/** Shares go only to the branches directly below the target's holder: BAD_USER_INPUT naming each other one. */
export function checkSharesBelow(holder: { id: string; name: string }, branches: { parentId: string | null }[]): void {
  branches.forEach((b, i) => {
    if (b.parentId !== holder.id) throw badInput(`input.allocations.${i}.organizationId`, `must be a branch directly below ${holder.name}`);
  });
}

export function ratio(actual: number | null, target: number | null): number | null {
  if (actual == null || !target) return null;
  return Math.round((actual / target) * 10_000) / 10_000;
}

// ---------------------------------------------------------------------------------------------
// Work plan

export type TaskState = 'NOT_STARTED' | 'IN_PROGRESS' | 'DONE';

/** Dates of a status: IN_PROGRESS starts (default today), DONE also completes (default today), NOT_STARTED has none. */
export function taskDates(
  state: TaskState,
  startedOn: Date | null | undefined,
  completedOn: Date | null | undefined,
  now: Date,
): { startedOn: Date | null; completedOn: Date | null } {
  const day = today(now);
  if (state === 'NOT_STARTED') {
    if (startedOn || completedOn) throw badInput(startedOn ? 'input.startedOn' : 'input.completedOn', 'goes only with IN_PROGRESS or DONE');
    return { startedOn: null, completedOn: null };
  }
  if (state === 'IN_PROGRESS' && completedOn) throw badInput('input.completedOn', 'goes only with DONE');
  const start = startedOn ?? (state === 'DONE' ? (completedOn ?? day) : day);
  const end = state === 'DONE' ? (completedOn ?? day) : null;
  if (start > day) throw badInput('input.startedOn', 'must not be in the future');
  if (end && end > day) throw badInput('input.completedOn', 'must not be in the future');
  if (end && end < start) throw badInput('input.completedOn', 'must not be before startedOn');
  return { startedOn: start, completedOn: end };
}

// ---------------------------------------------------------------------------------------------
// Notices

/** A notice goes only to branches strictly below its sender: FORBIDDEN naming the first other one. */
export function checkRecipientsBelow(sender: { id: string; name: string }, recipients: { name: string; ancestorIds: string[] }[]): void {
  const outside = recipients.find((r) => !r.ancestorIds.includes(sender.id));
  if (outside) throw forbidden(`A notice from ${sender.name} can go only to branches below it; ${outside.name} is not`);
}

/** Only a recipient of a notice can confirm reading it. */
export function checkRecipient(notice: { recipientIds: readonly unknown[] }, branchId: string): void {
  if (!notice.recipientIds.some((r) => String(r) === branchId)) throw badInput('organizationId', 'is not a recipient of this notice');
}

/** The children a reminder goes to: those that have not submitted for the period, or were returned. */
export function laggingChildren<B extends { id: string }>(
  children: B[],
  submissions: { organizationId: unknown; status: FilingStatus }[],
): B[] {
  const byOrg = new Map(submissions.map((s) => [String(s.organizationId), s]));
  return children.filter((c) => ['NOT_SUBMITTED', 'RETURNED'].includes(statusOf(byOrg.get(c.id))));
}

/** The default title and body of a reminder letter (提示函) to the lagging branches. */
export function reminderText(
  period: Period,
  tableTitle: string,
  dueDate: Date,
  lagging: { name: string }[],
): { title: string; body: string } {
  const when = period.table === 'SURVEY' ? `（统计时点 ${period.key.slice(7)}）` : `（${period.year}年度）`;
  return {
    title: `关于报送《${tableTitle}》的提示函`,
    body: `请以下单位于 ${formatDate(dueDate)} 前报送《${tableTitle}》${when}：${lagging.map((c) => c.name).join('、')}。`,
  };
}

// ---------------------------------------------------------------------------------------------
// Data quality (issue 16 item 5)

/** The longest date range a data-quality report covers: five years. */
export const MAX_QUALITY_DAYS = 5 * 366;

/** A data-quality range: from ≤ to, at most MAX_QUALITY_DAYS long (BAD_USER_INPUT naming `to`). */
export function checkQualityRange(from: Date, to: Date): void {
  if (to < from) throw badInput('to', 'must not be before from');
  if ((to.getTime() - from.getTime()) / DAY > MAX_QUALITY_DAYS) throw badInput('to', `must be at most ${MAX_QUALITY_DAYS} days after from`);
}

/** A fall counts as sharp above both: 20 % of the earlier value and 10 (个/人/小时). */
export const SHARP_FALL_SHARE = 0.2;
export const SHARP_FALL_MIN = 10;

/**
 * The rule TABLE_SHARP_FALL: an annex 1 row (a count on a date, which should not shrink much)
 * that fell by more than 20 % and by more than 10 from a branch's previous submitted table to
 * its next. Returns the rows that fell, in annex order.
 */
export function sharpFalls(previous: TableValues, next: TableValues): { number: number; label: string; from: number; to: number }[] {
  return SURVEY_ROWS.flatMap((r) => {
    const a = previous[r.field];
    const b = next[r.field];
    if (typeof a !== 'number' || typeof b !== 'number') return [];
    const fall = a - b;
    return fall > SHARP_FALL_MIN && fall / a > SHARP_FALL_SHARE ? [{ number: r.number, label: r.label, from: a, to: b }] : [];
  });
}

/** The date a period's table is about: its asOf, or 31 December of its year. */
export const periodDate = (p: Pick<Period, 'asOf' | 'year'>): Date => p.asOf ?? endOfYear(p.year);

// ---------------------------------------------------------------------------------------------
// Input schemas. Text is trimmed; control characters are refused (except newlines in bodies).

const text = (max: number, multiline = false) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(
      // eslint-disable-next-line no-control-regex -- refusing control characters is the point
      (s) => !(multiline ? /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/).test(s),
      'must not contain control characters',
    );

export const objectIdSchema = objectIdInput;
const date = z.date({ message: 'must be a date' });

const periodInput = z.object({
  table: z.enum(['SURVEY', 'ANNUAL']),
  asOf: date.nullish(),
  year: z.number().int('must be a whole number').nullish(),
});

export const submitReportInput = z.object({ organizationId: objectIdSchema, period: periodInput });

export const reviewComment = text(1000, true);

export const excuseBranchInput = z.object({ organizationId: objectIdSchema, period: periodInput, reason: text(500, true) });

export const setDueDateInput = z.object({ period: periodInput, dueDate: date });

export const allocateTargetInput = z.object({
  targetId: objectIdSchema,
  allocations: z
    .array(z.object({ organizationId: objectIdSchema, value: z.number().int('must be a whole number').min(0, 'must not be negative') }))
    .min(1, 'must allocate to at least one branch')
    .max(500, 'must list at most 500 branches')
    .refine((a) => new Set(a.map((x) => x.organizationId)).size === a.length, 'must not list a branch twice'),
});

export const setTaskStatusInput = z.object({
  organizationId: objectIdSchema,
  taskNumber: z.number().int().min(1, 'must be from 1 to 20').max(20, 'must be from 1 to 20'),
  year: z.number().int().min(FIRST_YEAR).max(2100).default(2021),
  state: z.enum(['NOT_STARTED', 'IN_PROGRESS', 'DONE']),
  startedOn: date.nullish(),
  completedOn: date.nullish(),
  note: text(1000, true).nullish(),
});

const MAX_RECIPIENTS = 1000;

export const sendNoticeInput = z.object({
  senderId: objectIdSchema,
  kind: z.enum(['BULLETIN', 'REMINDER']),
  title: text(200),
  body: text(10_000, true),
  recipientIds: z
    .array(objectIdSchema)
    .min(1, 'must name at least one branch')
    .max(MAX_RECIPIENTS, `must name at most ${MAX_RECIPIENTS} branches`)
    .refine((a) => new Set(a).size === a.length, 'must not name a branch twice'),
  taskNumbers: z.array(z.number().int().min(1, 'must be from 1 to 20').max(20, 'must be from 1 to 20')).max(20).nullish(),
  period: periodInput.nullish(),
});

export const remindLaggingInput = z.object({
  senderId: objectIdSchema,
  period: periodInput,
  title: text(200).nullish(),
  body: text(10_000, true).nullish(),
});
