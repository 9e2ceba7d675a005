import { Roles } from '@rcsc/access';
import { allOf, formatDate, MAX_FINDINGS_PER_RULE, type Finding } from '@rcsc/service-kit';
import type { Context } from './context';
import type { SubmissionDoc } from './models';
import { liveValues, periodView } from './reports';
import { periodDate, periodFromKey, sharpFalls, today, type Period } from './rules';
import { differences } from './tables';

/** The key of a data-quality report: a branch's subtree and a date range (both ends inclusive). */
export interface DataQualityRef {
  organizationId: string;
  from: Date;
  to: Date;
}

/** A submitted table as the rules read it (no history). */
type Filed = Omit<SubmissionDoc, 'history'>;

/** Only tables as the branch sent them count: submitted or approved (frozen values). */
const FILED = ['SUBMITTED', 'APPROVED'];
/** Earlier tables looked at for the first table in the range: those of the year before `from`. */
const LOOK_BACK_DAYS = 366;
/** The most submitted tables one report reads (each a few hundred bytes of frozen values). */
const MAX_TABLES_READ = 20_000;
/** The most periods the "not submitted" rule goes through. */
const MAX_PERIODS = 24;

const DAY = 86_400_000;
const rowText = (r: { number: number; label: string }) => `第${r.number}项 ${r.label}`;

/**
 * The key of a report the viewer may read: a reader role and the branch in the viewer's subtree
 * (FORBIDDEN otherwise), checked by the entry point and again by every entity reference.
 */
export async function readableReport(ctx: Context, ref: DataQualityRef): Promise<DataQualityRef> {
  ctx.access.requireRole(Roles.REPORT_READERS, 'read data-quality reports');
  const branch = await ctx.access.visibleBranch(ref.organizationId, 'organizationId', 'The data-quality report');
  return { organizationId: branch.id, from: ref.from, to: ref.to };
}

/** The submissions of the subtree whose period keys lie in [lo, hi], index-served ({orgPath, periodKey, …}). */
async function filed(ctx: Context, root: string, lo: string, hi: string, limit: number, newestFirst = false): Promise<Filed[]> {
  const condition = allOf([await ctx.access.listCondition(root), { periodKey: { $gte: lo, $lte: hi }, status: { $in: FILED } }]);
  return (await ctx.models.Submission.find(condition, { history: 0 })
    .sort({ periodKey: newestFirst ? -1 : 1 })
    .limit(limit)
    .lean()) as unknown as Filed[];
}

/**
 * TABLE_SHARP_FALL: between consecutive submitted annex 1 tables of a branch (the later one in
 * the range; the earlier one may lie up to a year before it), a row that fell by more than 20 %
 * and by more than 10 (counts of branches, units, members, volunteers rarely shrink like that).
 */
export async function sharpFallFindings(ctx: Context, ref: DataQualityRef): Promise<Finding[]> {
  const lookBack = new Date(ref.from.getTime() - LOOK_BACK_DAYS * DAY);
  const tables = await filed(ctx, ref.organizationId, `SURVEY:${formatDate(lookBack)}`, `SURVEY:${formatDate(ref.to)}`, MAX_TABLES_READ);
  const byBranch = new Map<string, Filed[]>();
  for (const t of tables) byBranch.set(String(t.organizationId), [...(byBranch.get(String(t.organizationId)) ?? []), t]);
  const out: Finding[] = [];
  for (const [orgId, list] of byBranch) {
    // Sorted by period key: SURVEY:YYYY-MM-DD sorts by date.
    for (let i = 1; i < list.length && out.length < MAX_FINDINGS_PER_RULE; i++) {
      const [a, b] = [list[i - 1], list[i]];
      if (!b.asOf || b.asOf < ref.from || !a.values || !b.values) continue;
      const falls = sharpFalls(a.values, b.values);
      if (!falls.length) continue;
      out.push({
        rule: 'TABLE_SHARP_FALL',
        recordType: 'Submission',
        recordId: String(b._id),
        organizationId: orgId,
        on: b.asOf,
        message:
          `${b.branchName}: from the table of ${formatDate(a.asOf!)} to that of ${formatDate(b.asOf)}, ` +
          falls.map((f) => `${rowText(f)} fell from ${f.from} to ${f.to} (−${Math.round(((f.from - f.to) / f.from) * 100)}%)`).join('; '),
      });
    }
  }
  return out.slice(0, MAX_FINDINGS_PER_RULE);
}

/** The ANNUAL period keys whose 31 December lies in the range. */
function annualKeys(ref: DataQualityRef): [string, string] | null {
  const first = ref.from.getUTCFullYear();
  const last = ref.to.getUTCFullYear() - (ref.to < new Date(Date.UTC(ref.to.getUTCFullYear(), 11, 31)) ? 1 : 0);
  return first <= last ? [`ANNUAL:${first}`, `ANNUAL:${last}`] : null;
}

/**
 * TABLE_SUBMITTED_DRIFT: a submitted table (period in the range) whose frozen values differ from
 * what the registers answer now: the records changed after it was submitted. Checks the
 * MAX_FINDINGS_PER_RULE newest tables of each kind (one gateway call per 25 of them).
 */
export async function driftFindings(ctx: Context, ref: DataQualityRef): Promise<Finding[]> {
  const annual = annualKeys(ref);
  const [surveys, annuals] = await Promise.all([
    filed(ctx, ref.organizationId, `SURVEY:${formatDate(ref.from)}`, `SURVEY:${formatDate(ref.to)}`, MAX_FINDINGS_PER_RULE, true),
    annual ? filed(ctx, ref.organizationId, annual[0], annual[1], MAX_FINDINGS_PER_RULE, true) : [],
  ]);
  const tables = [...surveys, ...annuals]
    .sort((a, b) => periodDate(periodFromKey(b.periodKey)).getTime() - periodDate(periodFromKey(a.periodKey)).getTime())
    .slice(0, MAX_FINDINGS_PER_RULE);
  const live = await Promise.all(
    tables.map((t) => liveValues(ctx, String(t.organizationId), periodFromKey(t.periodKey)).catch(() => null)),
  );
  return tables.flatMap((t, i): Finding[] => {
    const now = live[i];
    if (!now || !t.values) return [];
    const changed = differences(t.table, t.values, now);
    if (!changed.length) return [];
    return [
      {
        rule: 'TABLE_SUBMITTED_DRIFT',
        recordType: 'Submission',
        recordId: String(t._id),
        organizationId: String(t.organizationId),
        on: periodDate(periodFromKey(t.periodKey)),
        message:
          `${t.branchName}: the ${t.periodKey} table submitted ${t.submittedAt ? formatDate(t.submittedAt) : ''} no longer matches the registers: ` +
          changed.map((c) => `${rowText(c)} ${c.frozen ?? '—'} → ${c.live}`).join('; '),
      },
    ];
  });
}

/**
 * CHILDREN_NOT_SUBMITTED: for each period of the range (annex 1 dates and annex 2 years that
 * someone in the subtree filed, or whose due date was set) whose due date has passed, every
 * branch below the asked one (not dissolved) with no SUBMITTED, APPROVED or EXCUSED table, i.e.
 * a child its parent's table is waiting for; upper levels first.
 */
export async function notSubmittedFindings(ctx: Context, ref: DataQualityRef): Promise<Finding[]> {
  const root = ref.organizationId;
  const within = await ctx.access.listCondition(root);
  const annual = annualKeys(ref);
  const ranges = [{ $gte: `SURVEY:${formatDate(ref.from)}`, $lte: `SURVEY:${formatDate(ref.to)}` }];
  if (annual) ranges.push({ $gte: annual[0], $lte: annual[1] });
  const [keys, settings] = await Promise.all([
    Promise.all(ranges.map((r) => ctx.models.Submission.distinct('periodKey', allOf([within, { periodKey: r }])))),
    ctx.models.ReportingPeriod.find({ $or: ranges.map((r) => ({ periodKey: r })) }, { periodKey: 1 }).lean(),
  ]);
  const periods = [...new Set([...keys.flat().map(String), ...settings.map((s) => s.periodKey)])].sort().slice(0, MAX_PERIODS);
  const day = today(ctx.now());
  const branches = (await ctx.directory.subtree(root))
    .filter((b) => b.id !== root && !b.dissolvedOn)
    .sort((a, b) => a.ancestorIds.length - b.ancestorIds.length || (a.divisionCode ?? '').localeCompare(b.divisionCode ?? ''));
  const names = new Map((await ctx.directory.subtree(root)).map((b) => [b.id, b.name]));
  const out: Finding[] = [];
  for (const key of periods) {
    if (out.length >= MAX_FINDINGS_PER_RULE) break;
    const period: Period = periodFromKey(key);
    const { dueDate } = await periodView(ctx, period);
    if (dueDate >= day) continue;
    const done = await ctx.models.Submission.distinct(
      'organizationId',
      allOf([within, { periodKey: key, status: { $in: [...FILED, 'EXCUSED'] } }]),
    );
    const settled = new Set(done.map(String));
    for (const b of branches) {
      if (out.length >= MAX_FINDINGS_PER_RULE) break;
      if (settled.has(b.id)) continue;
      out.push({
        rule: 'CHILDREN_NOT_SUBMITTED',
        recordType: 'Organization',
        recordId: b.id,
        organizationId: b.id,
        on: dueDate,
        message: `${b.name} has not submitted its ${key} table, due ${formatDate(dueDate)}; ${names.get(b.parentId ?? '') ?? 'the branch above'} is waiting for it`,
      });
    }
  }
  return out;
}

/** Every rule of this subgraph, each capped at MAX_FINDINGS_PER_RULE. */
export async function tableFindings(ctx: Context, ref: DataQualityRef): Promise<Finding[]> {
  const lists = await Promise.all([sharpFallFindings(ctx, ref), driftFindings(ctx, ref), notSubmittedFindings(ctx, ref)]);
  return lists.flat();
}
