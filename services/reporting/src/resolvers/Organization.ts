import { Types } from 'mongoose';
import { allOf, auditLog, paginate, notFound } from '@rcsc/service-kit';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { OrganizationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { MEASURES } from '../measures';
import { childrenOf, completeness, liveValues, periodView, registerFigures } from '../reports';
import type { TableValues } from '../tables';
import { annualPeriod, checkBaseYear, checkQualityRange, periodOf, ratio, type FilingStatus } from '../rules';
import { readableReport } from '../data-quality';
import { buildCsv, buildXlsx, type ExportMeta } from '../export';
import type { NoticeDoc, SubmissionDoc, TargetProgressView } from '../models';
import { checkYear } from './arguments';

const oid = (id: string) => new Types.ObjectId(id);

/** Progress on every measure for a branch and a year: its targets against the live annex 2. */
export async function targetProgress(ctx: Context, orgId: string, year: number): Promise<TargetProgressView[]> {
  const [targets, live, registers] = await Promise.all([
    ctx.loaders.targetsOf.load([orgId, year]),
    liveValues(ctx, orgId, annualPeriod(year)),
    // Counted from the registers: a subgraph that does not answer leaves only these measures null.
    registerFigures(ctx, orgId, year).catch((): TableValues => ({})),
  ]);
  return MEASURES.map((m) => {
    const target = targets.find((t) => t.measure === m.measure) ?? null;
    const parts = m.fields.map((f) => live[f]);
    const actual = m.counted
      ? (registers[m.counted] ?? null)
      : m.fields.length && parts.every((v) => typeof v === 'number')
        ? (parts as number[]).reduce((a, b) => a + b, 0)
        : null;
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
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the submissions');
    await ctx.access.visibleBranch(o.id, 'id', 'The submissions');
    const p = periodOf(period, ctx.now(), 'period');
    return ctx.loaders.submissionOf.load([o.id, p.key]);
  },

  async submissions(o, { filter, first, after }, ctx) {
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the submissions');
    await ctx.access.visibleBranch(o.id, 'id', 'The submissions');
    // One orgPath condition (the index's prefix), the other filters beside it.
    const condition = allOf([
      await ctx.access.listCondition(o.id),
      filter?.period ? { periodKey: periodOf(filter.period, ctx.now(), 'filter.period').key } : {},
      filter?.table ? { table: filter.table } : {},
      filter?.status ? { status: { $in: filter.status } } : {},
    ]);
    return paginate<SubmissionDoc>(ctx.models.Submission, condition, { first, after }, 'branchSortKey');
  },

  async reportingAudit(o, { first, after }, ctx) {
    const branch = await ctx.directory.require(o.id, 'id');
    return auditLog(ctx.models.Audit, ctx.viewer, pathOf(branch), { first, after });
  },

  async completeness(o, { period, scope, status, first, after }, ctx) {
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the completeness of submissions');
    const branch = await ctx.access.visibleBranch(o.id, 'id', 'The completeness of submissions');
    const p = periodOf(period, ctx.now(), 'period');
    return completeness(ctx, branch, p, scope ?? 'CHILDREN', status as FilingStatus[] | null, { first, after });
  },

  async targets(o, { year }, ctx) {
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the targets');
    await ctx.access.visibleBranch(o.id, 'id', 'The targets');
    return ctx.loaders.targetsOf.load([o.id, checkYear(year)]);
  },

  async targetProgress(o, { year }, ctx) {
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the target progress');
    await ctx.access.visibleBranch(o.id, 'id', 'The target progress');
    return targetProgress(ctx, o.id, checkYear(year));
  },

  async workPlan(o, { year }, ctx) {
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the work plan progress');
    await ctx.access.visibleBranch(o.id, 'id', 'The work plan progress');
    const y = checkYear(year ?? 2021);
    const [tasks, statuses] = await Promise.all([ctx.loaders.tasksOfYear.load(y), ctx.loaders.taskStatusesOf.load([o.id, y])]);
    const byTask = new Map(statuses.map((s) => [String(s.taskId), s]));
    return tasks.map((task) => ({ task, organizationId: o.id, status: byTask.get(String(task._id)) ?? null }));
  },

  async workPlanOverview(o, { year }, ctx) {
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the work plan progress');
    const branch = await ctx.access.visibleBranch(o.id, 'id', 'The work plan progress');
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
    // Any role: a notice is addressed to the branch, not to a report reader.
    await ctx.access.visibleBranch(o.id, 'id', 'The notices');
    const filter: Record<string, unknown> = direction === 'SENT' ? { senderId: oid(o.id) } : { recipientIds: oid(o.id) };
    if (kind) filter.kind = kind;
    return paginate<NoticeDoc>(ctx.models.Notice, filter, { first, after }, 'newestFirst');
  },

  async dataQuality(o, { from, to }, ctx) {
    checkQualityRange(from, to);
    return readableReport(ctx, { organizationId: o.id, from, to });
  },

  async exportTable(o, { period, format, source, baseYear }, ctx) {
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the tables');
    const branch = await ctx.access.visibleBranch(o.id, 'id', 'The tables');
    const p = periodOf(period, ctx.now(), 'period');
    const from = source ?? 'LIVE';
    const base = checkBaseYear(p, baseYear, from);
    const meta: ExportMeta = {
      branchName: branch.name,
      period: await periodView(ctx, p),
      source: from,
      generatedAt: ctx.now(),
      baseYear: base,
    };
    let values;
    if (meta.source === 'SUBMITTED') {
      const s = await ctx.loaders.submissionOf.load([o.id, p.key]);
      if (!s || !s.values || s.status === 'EXCUSED') throw notFound('Submission', `of ${branch.name} for ${p.key}`);
      values = s.values;
      meta.status = s.status;
      meta.submittedAt = s.submittedAt;
    } else {
      values = await liveValues(ctx, o.id, p, base);
    }
    return format === 'XLSX' ? buildXlsx(meta, values) : buildCsv(meta, values);
  },
};
