import { Types } from 'mongoose';
import { allOf, decodeCursor, encodeCursor, pageSize, type Page } from '@rcsc/service-kit';
import type { BranchInfo } from '@rcsc/directory';
import type { Context } from './context';
import type { CompletenessEntryView, CompletenessView, PeriodView, SubmissionDoc } from './models';
import { branchSortKey } from './models';
import { defaultDueDate, statusOf, timeliness, type FilingStatus, type Period } from './rules';
import type { TableValues } from './tables';

const oid = (id: string) => new Types.ObjectId(id);
const DAY = 86_400_000;

/** A period with its due date (the period's own setting, else 31 December of its year). */
export async function periodView(ctx: Context, period: Period): Promise<PeriodView> {
  const settings = await ctx.loaders.periodByKey.load(period.key);
  return { ...period, dueDate: settings?.dueDate ?? defaultDueDate(period) };
}

/**
 * The live values of a branch's table for a period, through the supergraph (once per request);
 * annex 2 against `baseYear` when given (default: the year before).
 */
export function liveValues(ctx: Context, orgId: string, period: Period, baseYear?: number | null): Promise<TableValues> {
  return ctx.loaders.liveTable.load([orgId, period, baseYear ?? null]);
}

/**
 * A year's register figures of a branch's subtree (REGISTER_FIELDS), through the supergraph, in
 * the same table-source read as the request's tables (its own gateway operations); a figure the
 * graph does not answer is null.
 */
export function registerFigures(ctx: Context, orgId: string, year: number): Promise<TableValues> {
  return ctx.loaders.liveTable.load([orgId, { table: 'REGISTERS', asOf: null, year, key: `REGISTERS:${year}` }]);
}

/** The branches directly below `branch` that are not dissolved, in division-code order. */
export async function childrenOf(ctx: Pick<Context, 'directory'>, branch: BranchInfo): Promise<BranchInfo[]> {
  return (await ctx.directory.subtree(branch.id)).filter((b) => b.parentId === branch.id && !b.dissolvedOn);
}

/**
 * Which branches under `branch` have submitted for a period: the branch list comes from the
 * directory (every branch, with or without a record), the statuses from one aggregation for the
 * counts and one query per page for the entries.
 */
export async function completeness(
  ctx: Context,
  branch: BranchInfo,
  period: Period,
  scope: 'CHILDREN' | 'SUBTREE',
  statuses: FilingStatus[] | null | undefined,
  args: { first?: number | null; after?: string | null },
): Promise<CompletenessView> {
  const first = pageSize(args.first);
  const view = await periodView(ctx, period);
  const now = ctx.now();
  const root = oid(branch.id);
  const branches = (await ctx.directory.subtree(branch.id))
    .filter((b) => b.id !== branch.id && !b.dissolvedOn && (scope === 'SUBTREE' || b.parentId === branch.id))
    .map((b) => ({ b, key: branchSortKey(b) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map((x) => x.b);
  const match =
    scope === 'CHILDREN'
      ? { parentId: root, periodKey: period.key }
      : allOf([await ctx.access.listCondition(branch.id), { periodKey: period.key, organizationId: { $ne: root } }]);
  const deadline = new Date(view.dueDate.getTime() + DAY);
  const submitted = { $in: ['$status', ['SUBMITTED', 'APPROVED']] };
  const rows = await ctx.models.Submission.aggregate<{ _id: FilingStatus; n: number; onTime: number; late: number }>([
    { $match: match },
    {
      $group: {
        _id: '$status',
        n: { $sum: 1 },
        onTime: { $sum: { $cond: [{ $and: [submitted, { $lt: ['$submittedAt', deadline] }] }, 1, 0] } },
        late: { $sum: { $cond: [{ $and: [submitted, { $gte: ['$submittedAt', deadline] }] }, 1, 0] } },
      },
    },
  ]);
  const n = (s: FilingStatus) => rows.find((r) => r._id === s)?.n ?? 0;
  const recorded = rows.reduce((a, r) => a + r.n, 0);
  const notSubmitted = Math.max(0, branches.length - recorded);
  const pastDue = now.getTime() >= deadline.getTime();
  const counts = {
    total: branches.length,
    notSubmitted,
    submitted: n('SUBMITTED'),
    returned: n('RETURNED'),
    approved: n('APPROVED'),
    excused: n('EXCUSED'),
    onTime: rows.reduce((a, r) => a + r.onTime, 0),
    late: rows.reduce((a, r) => a + r.late, 0),
    overdue: pastDue ? notSubmitted + n('RETURNED') : 0,
  };

  const entries = async (): Promise<Page<CompletenessEntryView>> => {
    let list = branches;
    if (statuses?.length) {
      // Filtering by status needs every branch's status: one query, statuses only.
      const recs = (await ctx.models.Submission.find(match, { organizationId: 1, status: 1 }).lean()) as Pick<
        SubmissionDoc,
        'organizationId' | 'status'
      >[];
      const byOrg = new Map(recs.map((r) => [String(r.organizationId), r.status as FilingStatus]));
      const wanted = new Set(statuses);
      list = branches.filter((b) => wanted.has(byOrg.get(b.id) ?? 'NOT_SUBMITTED'));
    }
    let start = 0;
    if (args.after) {
      const { sortValue, id } = decodeCursor(args.after);
      const at = typeof sortValue === 'number' && list[sortValue]?.id === id ? sortValue : list.findIndex((b) => b.id === id);
      start = at + 1;
    }
    const page = first === 0 ? [] : list.slice(start, start + first);
    const subs = await ctx.loaders.submissionOf.loadMany(page.map((b) => [b.id, period.key] as const));
    const nodes = page.map((b, i) => {
      const s = subs[i] instanceof Error ? null : (subs[i] as SubmissionDoc | null);
      const status = statusOf(s);
      return { branch: b, status, submission: s, timeliness: timeliness(status, s?.submittedAt, view.dueDate, now) };
    });
    const end = start + nodes.length;
    return {
      nodes,
      pageInfo: { hasNextPage: end < list.length, endCursor: nodes.length ? encodeCursor(end - 1, page[page.length - 1].id) : null },
      totalCount: async () => list.length,
    };
  };

  return { period: view, scope, counts, entries };
}
