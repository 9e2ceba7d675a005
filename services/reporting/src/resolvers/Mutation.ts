import { Types } from 'mongoose';
import { badInput, conflict, forbidden, isDuplicateKey, notFound, parseInput, requireAuthenticated, requireRole } from '@rcsc/service-kit';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { actorOf, childrenOf, requireOwnBranch, requireParentAdmin } from '../access';
import { branchSortKey, type NoticeDoc, type SubmissionDoc, type TargetDoc, type TaskStatusDoc, type WorkPlanTaskDoc } from '../models';
import { liveValues, periodView, statusOf } from '../reports';
import {
  allocateTargetInput,
  checkAllocation,
  checkChildrenDone,
  checkExcusable,
  checkReviewable,
  checkSubmittable,
  excuseBranchInput,
  periodOf,
  remindLaggingInput,
  reviewComment,
  sendNoticeInput,
  setDueDateInput,
  setTaskStatusInput,
  submitReportInput,
  taskDates,
  type Period,
} from '../rules';
import { TABLE_TITLES } from '../tables';
import { toObjectId } from './filters';

const oid = (id: string) => new Types.ObjectId(id);
const pathIds = (b: BranchInfo) => pathOf(b).map(oid);
const label = (b: BranchInfo, p: Period) => `The ${p.table} table of ${b.name} for ${p.key}`;

/** Fields every submission record of a branch and period carries. */
function placement(b: BranchInfo, p: Period) {
  return {
    orgPath: pathIds(b),
    parentId: b.parentId ? oid(b.parentId) : null,
    branchName: b.name,
    branchSortKey: branchSortKey(b),
    table: p.table,
    asOf: p.asOf,
    year: p.year,
  };
}

/** Loads a submission for review, checking the reviewer; NOT_FOUND for an unknown id. */
async function forReview(ctx: Context, id: string, action: string): Promise<{ s: SubmissionDoc; branch: BranchInfo }> {
  const s = (await ctx.models.Submission.findById(toObjectId(id, 'id')).lean()) as SubmissionDoc | null;
  if (!s) throw notFound('Submission', id);
  const branch = await ctx.directory.get(String(s.organizationId));
  if (!branch) throw notFound('Organization', String(s.organizationId));
  await requireParentAdmin(ctx, branch, action);
  return { s, branch };
}

/** The branch of the viewer, if it is the national headquarters (SERVICE passes). */
async function requireNationalAdmin(ctx: Context, action: string): Promise<void> {
  requireRole(ctx.viewer, ['ADMIN', 'SERVICE'], action);
  if (ctx.viewer.roles.includes('SERVICE')) return;
  const own = ctx.viewer.organizationId ? await ctx.directory.get(ctx.viewer.organizationId) : null;
  if (!own || own.parentId) throw forbidden(`Only ADMIN of the national headquarters may ${action}`);
}

export const Mutation: MutationResolvers = {
  async submitReport(_, { input }, ctx) {
    const data = parseInput(submitReportInput, input);
    const now = ctx.now();
    const period = periodOf(data.period, now);
    const branch = await ctx.directory.require(data.organizationId, 'input.organizationId');
    requireOwnBranch(ctx.viewer, branch, ['ADMIN', 'REPORTER'], 'submit its tables');
    const { Submission } = ctx.models;
    checkSubmittable(await ctx.loaders.submissionOf.load(`${branch.id}|${period.key}`), label(branch, period));
    const children = await childrenOf(ctx, branch);
    if (children.length) {
      const done = await Submission.find(
        { parentId: oid(branch.id), periodKey: period.key, status: { $in: ['APPROVED', 'EXCUSED'] } },
        { organizationId: 1 },
      ).lean();
      checkChildrenDone(branch.name, children, new Set(done.map((d) => String(d.organizationId))));
    }
    const values = await liveValues(ctx, branch.id, period);
    const by = actorOf(ctx.viewer);
    // The national headquarters has no branch above: its submission is final at once.
    const final = !branch.parentId;
    const history = [
      { action: 'SUBMITTED', at: now, by, comment: null },
      ...(final ? [{ action: 'APPROVED', at: now, by, comment: null }] : []),
    ];
    try {
      return (await Submission.findOneAndUpdate(
        { organizationId: oid(branch.id), periodKey: period.key, status: { $ne: 'APPROVED' } },
        {
          $set: {
            ...placement(branch, period),
            status: final ? 'APPROVED' : 'SUBMITTED',
            values,
            submittedAt: now,
            submittedBy: by,
            reviewedAt: final ? now : null,
            reviewedBy: final ? by : null,
            comment: null,
          },
          $push: { history: { $each: history } },
        },
        { upsert: true, returnDocument: 'after', runValidators: true },
      ).lean()) as SubmissionDoc;
    } catch (err) {
      // Approved between the check and the write: the unique index refuses the upsert.
      if (isDuplicateKey(err)) throw conflict(`${label(branch, period)} is approved and locked; it cannot be submitted again`);
      throw err;
    }
  },

  async approveSubmission(_, { id, comment }, ctx) {
    const text = comment == null ? null : parseInput(reviewComment, comment, 'comment');
    const { s, branch } = await forReview(ctx, id, 'approve its tables');
    checkReviewable(s, 'approve');
    const now = ctx.now();
    const by = actorOf(ctx.viewer);
    const updated = (await ctx.models.Submission.findOneAndUpdate(
      { _id: s._id, status: 'SUBMITTED' },
      {
        $set: { status: 'APPROVED', reviewedAt: now, reviewedBy: by, comment: text },
        $push: { history: { action: 'APPROVED', at: now, by, comment: text } },
      },
      { returnDocument: 'after' },
    ).lean()) as SubmissionDoc | null;
    if (!updated) throw conflict(`The submission of ${branch.name} changed meanwhile; read it again`);
    return updated;
  },

  async returnSubmission(_, { id, comment }, ctx) {
    const text = parseInput(reviewComment, comment, 'comment');
    const { s, branch } = await forReview(ctx, id, 'return its tables');
    checkReviewable(s, 'return');
    const now = ctx.now();
    const by = actorOf(ctx.viewer);
    const updated = (await ctx.models.Submission.findOneAndUpdate(
      { _id: s._id, status: 'SUBMITTED' },
      {
        $set: { status: 'RETURNED', reviewedAt: now, reviewedBy: by, comment: text },
        $push: { history: { action: 'RETURNED', at: now, by, comment: text } },
      },
      { returnDocument: 'after' },
    ).lean()) as SubmissionDoc | null;
    if (!updated) throw conflict(`The submission of ${branch.name} changed meanwhile; read it again`);
    return updated;
  },

  async excuseBranch(_, { input }, ctx) {
    const data = parseInput(excuseBranchInput, input);
    const now = ctx.now();
    const period = periodOf(data.period, now);
    const branch = await ctx.directory.require(data.organizationId, 'input.organizationId');
    if (!branch.parentId) throw badInput('input.organizationId', 'the national headquarters has no branch above to excuse it');
    await requireParentAdmin(ctx, branch, 'excuse it from submitting');
    checkExcusable(await ctx.loaders.submissionOf.load(`${branch.id}|${period.key}`), branch.name);
    const by = actorOf(ctx.viewer);
    try {
      return (await ctx.models.Submission.findOneAndUpdate(
        { organizationId: oid(branch.id), periodKey: period.key, status: { $nin: ['SUBMITTED', 'APPROVED'] } },
        {
          $set: {
            ...placement(branch, period),
            status: 'EXCUSED',
            excuseReason: data.reason,
            reviewedAt: now,
            reviewedBy: by,
            comment: null,
          },
          $push: { history: { action: 'EXCUSED', at: now, by, comment: data.reason } },
        },
        { upsert: true, returnDocument: 'after', runValidators: true },
      ).lean()) as SubmissionDoc;
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`${branch.name} submitted meanwhile; approve or return it instead of excusing`);
      throw err;
    }
  },

  async setDueDate(_, { input }, ctx) {
    const data = parseInput(setDueDateInput, input);
    const period = periodOf(data.period, ctx.now());
    await requireNationalAdmin(ctx, 'set due dates');
    const earliest = period.asOf ?? new Date(Date.UTC(period.year, 0, 1));
    if (data.dueDate < earliest) throw badInput('input.dueDate', `must not be before ${earliest.toISOString().slice(0, 10)}`);
    await ctx.models.ReportingPeriod.updateOne(
      { periodKey: period.key },
      { $set: { table: period.table, asOf: period.asOf, year: period.year, dueDate: data.dueDate, setBy: actorOf(ctx.viewer) } },
      { upsert: true },
    );
    ctx.loaders.periodByKey.clear(period.key);
    return periodView(ctx, period);
  },

  async allocateTarget(_, { input }, ctx) {
    const data = parseInput(allocateTargetInput, input);
    const { Target } = ctx.models;
    const target = (await Target.findById(data.targetId).lean()) as TargetDoc | null;
    if (!target) throw notFound('Target', data.targetId);
    const holder = await ctx.directory.require(String(target.organizationId), 'input.targetId');
    requireOwnBranch(ctx.viewer, holder, ['ADMIN'], 'allocate its targets');
    const branches = await Promise.all(
      data.allocations.map(async (a, i) => {
        const b = await ctx.directory.require(a.organizationId, `input.allocations.${i}.organizationId`);
        if (b.parentId !== holder.id)
          throw badInput(`input.allocations.${i}.organizationId`, `must be a branch directly below ${holder.name}`);
        return b;
      }),
    );
    const now = ctx.now();
    const by = actorOf(ctx.viewer);
    await Target.db.transaction(async (session) => {
      const current = (await Target.find({ parentTargetId: target._id }).session(session).lean()) as TargetDoc[];
      const byOrg = new Map(current.map((t) => [String(t.organizationId), { value: t.value, allocated: t.allocated }]));
      const sum = checkAllocation(target.value, byOrg, data.allocations);
      await Target.bulkWrite(
        data.allocations.map((a, i) => ({
          updateOne: {
            filter: { organizationId: oid(a.organizationId), year: target.year, measure: target.measure },
            update: {
              $set: {
                orgPath: pathIds(branches[i]),
                parentTargetId: target._id,
                description: target.description,
                value: a.value,
                updatedBy: by,
              },
              $setOnInsert: { allocated: 0 },
              $push: { history: { value: a.value, at: now, by } },
            },
            upsert: true,
          },
        })),
        { session },
      );
      await Target.updateOne({ _id: target._id }, { $set: { allocated: sum } }, { session });
    });
    return (await Target.findById(target._id).lean()) as TargetDoc;
  },

  async setTaskStatus(_, { input }, ctx) {
    const data = parseInput(setTaskStatusInput, input);
    const branch = await ctx.directory.require(data.organizationId, 'input.organizationId');
    requireOwnBranch(ctx.viewer, branch, ['ADMIN', 'STAFF'], 'record its work plan progress');
    const task = (await ctx.models.WorkPlanTask.findOne({ year: data.year, number: data.taskNumber }).lean()) as WorkPlanTaskDoc | null;
    if (!task) throw badInput('input.taskNumber', `there is no task ${data.taskNumber} in the ${data.year} work plan`);
    const now = ctx.now();
    const dates = taskDates(data.state, data.startedOn, data.completedOn, now);
    const by = actorOf(ctx.viewer);
    const status = (await ctx.models.TaskStatus.findOneAndUpdate(
      { organizationId: oid(branch.id), taskId: task._id },
      {
        $set: {
          orgPath: pathIds(branch),
          parentId: branch.parentId ? oid(branch.parentId) : null,
          year: task.year,
          taskNumber: task.number,
          state: data.state,
          ...dates,
          note: data.note ?? null,
          updatedBy: by,
        },
        $push: { history: { state: data.state, at: now, by, note: data.note ?? null } },
      },
      { upsert: true, returnDocument: 'after', runValidators: true },
    ).lean()) as TaskStatusDoc;
    return { task, organizationId: branch.id, status };
  },

  async sendNotice(_, { input }, ctx) {
    const data = parseInput(sendNoticeInput, input);
    const sender = await ctx.directory.require(data.senderId, 'input.senderId');
    requireOwnBranch(ctx.viewer, sender, ['ADMIN'], 'send its notices');
    const period = data.period ? periodOf(data.period, ctx.now()) : null;
    const recipients = await Promise.all(data.recipientIds.map((id, i) => ctx.directory.require(id, `input.recipientIds.${i}`)));
    const outside = recipients.find((r) => !r.ancestorIds.includes(sender.id));
    if (outside) throw forbidden(`A notice from ${sender.name} can go only to branches below it; ${outside.name} is not`);
    return createNotice(ctx, sender, { ...data, period, taskNumbers: data.taskNumbers ?? [] });
  },

  async remindLagging(_, { input }, ctx) {
    const data = parseInput(remindLaggingInput, input);
    const sender = await ctx.directory.require(data.senderId, 'input.senderId');
    requireOwnBranch(ctx.viewer, sender, ['ADMIN'], 'send its notices');
    const period = periodOf(data.period, ctx.now());
    const children = await childrenOf(ctx, sender);
    const subs = (await ctx.models.Submission.find(
      { parentId: oid(sender.id), periodKey: period.key },
      { organizationId: 1, status: 1 },
    ).lean()) as SubmissionDoc[];
    const byOrg = new Map(subs.map((s) => [String(s.organizationId), s]));
    const lagging = children.filter((c) => ['NOT_SUBMITTED', 'RETURNED'].includes(statusOf(byOrg.get(c.id))));
    if (!lagging.length) return null;
    const view = await periodView(ctx, period);
    const { title } = TABLE_TITLES[period.table];
    const when = period.table === 'SURVEY' ? `（统计时点 ${period.key.slice(7)}）` : `（${period.year}年度）`;
    return createNotice(ctx, sender, {
      kind: 'REMINDER',
      title: data.title ?? `关于报送《${title}》的提示函`,
      body:
        data.body ??
        `请以下单位于 ${view.dueDate.toISOString().slice(0, 10)} 前报送《${title}》${when}：${lagging.map((c) => c.name).join('、')}。`,
      recipientIds: lagging.map((c) => c.id),
      taskNumbers: [],
      period,
    });
  },

  async markNoticeRead(_, { id, organizationId }, ctx) {
    requireAuthenticated(ctx.viewer);
    const { Notice } = ctx.models;
    const notice = (await Notice.findById(toObjectId(id, 'id')).lean()) as NoticeDoc | null;
    if (!notice) throw notFound('Notice', id);
    const branch = await ctx.directory.require(organizationId, 'organizationId');
    if (!notice.recipientIds.some((r) => String(r) === branch.id)) throw badInput('organizationId', 'is not a recipient of this notice');
    if (!ctx.viewer.roles.includes('SERVICE') && ctx.viewer.organizationId !== branch.id) {
      throw forbidden(`Only people of ${branch.name} itself may confirm that it read a notice`);
    }
    const receipt = { organizationId: oid(branch.id), readAt: ctx.now(), readBy: actorOf(ctx.viewer) };
    // The first read counts: a second one changes nothing.
    await Notice.updateOne(
      { _id: notice._id, 'readReceipts.organizationId': { $ne: receipt.organizationId } },
      { $push: { readReceipts: receipt } },
    );
    return (await Notice.findById(notice._id).lean()) as NoticeDoc;
  },
};

async function createNotice(
  ctx: Context,
  sender: BranchInfo,
  data: {
    kind: 'BULLETIN' | 'REMINDER';
    title: string;
    body: string;
    recipientIds: string[];
    taskNumbers: number[];
    period: Period | null;
  },
): Promise<NoticeDoc> {
  const now = ctx.now();
  const created = await ctx.models.Notice.create({
    kind: data.kind,
    title: data.title,
    body: data.body,
    senderId: oid(sender.id),
    senderPath: pathIds(sender),
    sentAt: now,
    newestFirst: -now.getTime(),
    sentBy: actorOf(ctx.viewer),
    recipientIds: data.recipientIds.map(oid),
    taskNumbers: data.taskNumbers,
    periodKey: data.period?.key ?? null,
  });
  return created.toObject() as NoticeDoc;
}
