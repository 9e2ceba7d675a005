import { Types } from 'mongoose';
import { auditLog, paginate, requireInSubtree, requireAuthenticated, notFound } from '@rcsc/service-kit';
import { pathOf } from '@rcsc/directory';
import type { OrganizationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { childrenOf, requireReader, viewerSubtreeFilter } from '../access';
import { MEASURES } from '../targets';
import { completeness, liveValues, periodView } from '../reports';
import { periodOf, ratio, type FilingStatus } from '../rules';
import { buildCsv, buildXlsx, type ExportMeta } from '../export';
import type { NoticeDoc, SubmissionDoc, TargetProgressView } from '../models';
import { annualKey } from '../loaders';
import { checkYear } from './filters';

const oid = (id: string) => new Types.ObjectId(id);

/** Progress on every measure for a branch and a year: its targets against the live annex 2. */
export async function targetProgress(ctx: Context, orgId: string, year: number): Promise<TargetProgressView[]> {
  const [targets, live] = await Promise.all([
    ctx.loaders.targetsOf.load(`${orgId}|${year}`),
    ctx.loaders.liveTable.load(annualKey(orgId, year)),
  ]);
  return MEASURES.map((m) => {
    const target = targets.find((t) => t.measure === m.measure) ?? null;
    const parts = m.fields.map((f) => live[f]);
    const actual = m.fields.length && parts.every((v) => typeof v === 'number') ? (parts as number[]).reduce((a, b) => a + b, 0) : null;
    return {
      measure: m.measure,
      description: m.description,
      target,
      fields: m.fields,
      actual,
      ratio: ratio(actual, target?.value ?? null),
    };
  });
}

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),

  async submission(o, { period }, ctx) {
    await requireReader(ctx, o.id, 'The submissions');
    const p = periodOf(period, ctx.now(), 'period');
    return ctx.loaders.submissionOf.load(`${o.id}|${p.key}`);
  },

  async submissions(o, { filter, first, after }, ctx) {
    await requireReader(ctx, o.id, 'The submissions');
    // o lies in the viewer's subtree (checked above); the viewer's own branch bounds the list as well.
    const and: Record<string, unknown>[] = [{ orgPath: oid(o.id) }, ...viewerSubtreeFilter(ctx.viewer)];
    if (filter?.period) and.push({ periodKey: periodOf(filter.period, ctx.now(), 'filter.period').key });
    if (filter?.table) and.push({ table: filter.table });
    if (filter?.status) and.push({ status: { $in: filter.status } });
    return paginate<SubmissionDoc>(ctx.models.Submission, and.length === 1 ? and[0] : { $and: and }, { first, after }, 'branchSortKey');
  },

  async reportingAudit(o, { first, after }, ctx) {
    const branch = await ctx.directory.require(o.id, 'id');
    return auditLog(ctx.models.Audit, ctx.viewer, pathOf(branch), { first, after });
  },

  async completeness(o, { period, scope, status, first, after }, ctx) {
    const branch = await requireReader(ctx, o.id, 'The completeness of submissions');
    const p = periodOf(period, ctx.now(), 'period');
    return completeness(ctx, branch, p, scope ?? 'CHILDREN', status as FilingStatus[] | null, { first, after });
  },

  async targets(o, { year }, ctx) {
    await requireReader(ctx, o.id, 'The targets');
    return ctx.loaders.targetsOf.load(`${o.id}|${checkYear(year)}`);
  },

  async targetProgress(o, { year }, ctx) {
    await requireReader(ctx, o.id, 'The target progress');
    return targetProgress(ctx, o.id, checkYear(year));
  },

  async workPlan(o, { year }, ctx) {
    await requireReader(ctx, o.id, 'The work plan progress');
    const y = checkYear(year ?? 2021);
    const [tasks, statuses] = await Promise.all([ctx.loaders.tasksOfYear.load(y), ctx.loaders.taskStatusesOf.load(`${o.id}|${y}`)]);
    const byTask = new Map(statuses.map((s) => [String(s.taskId), s]));
    return tasks.map((task) => ({ task, organizationId: o.id, status: byTask.get(String(task._id)) ?? null }));
  },

  async workPlanOverview(o, { year }, ctx) {
    const branch = await requireReader(ctx, o.id, 'The work plan progress');
    const y = checkYear(year ?? 2021);
    const [tasks, children, rows] = await Promise.all([
      ctx.loaders.tasksOfYear.load(y),
      childrenOf(ctx, branch),
      ctx.models.TaskStatus.aggregate<{ _id: { n: number; s: string }; c: number }>([
        { $match: { parentId: oid(o.id), year: y } },
        { $group: { _id: { n: '$taskNumber', s: '$state' }, c: { $sum: 1 } } },
      ]),
    ]);
    const count = (n: number, s: string) => rows.find((r) => r._id.n === n && r._id.s === s)?.c ?? 0;
    return tasks.map((task) => {
      const inProgress = count(task.number, 'IN_PROGRESS');
      const done = count(task.number, 'DONE');
      return { task, inProgress, done, notStarted: Math.max(0, children.length - inProgress - done) };
    });
  },

  async notices(o, { direction, kind, first, after }, ctx) {
    requireAuthenticated(ctx.viewer);
    const branch = await ctx.directory.require(o.id, 'id');
    requireInSubtree(ctx.viewer, pathOf(branch), `The notices of ${branch.name}`);
    const filter: Record<string, unknown> = direction === 'SENT' ? { senderId: oid(o.id) } : { recipientIds: oid(o.id) };
    if (kind) filter.kind = kind;
    return paginate<NoticeDoc>(ctx.models.Notice, filter, { first, after }, 'newestFirst');
  },

  async exportTable(o, { period, format, source }, ctx) {
    const branch = await requireReader(ctx, o.id, 'The tables');
    const p = periodOf(period, ctx.now(), 'period');
    const meta: ExportMeta = {
      branchName: branch.name,
      period: await periodView(ctx, p),
      source: source ?? 'LIVE',
      generatedAt: ctx.now(),
    };
    let values;
    if (meta.source === 'SUBMITTED') {
      const s = await ctx.loaders.submissionOf.load(`${o.id}|${p.key}`);
      if (!s || !s.values || s.status === 'EXCUSED') throw notFound('Submission', `of ${branch.name} for ${p.key}`);
      values = s.values;
      meta.status = s.status;
      meta.submittedAt = s.submittedAt;
    } else {
      values = await liveValues(ctx, o.id, p);
    }
    return format === 'XLSX' ? buildXlsx(meta, values) : buildCsv(meta, values);
  },
};
