import { Types } from 'mongoose';
import { badInput, conflict, forbidden, isDuplicateKey, notFound, parseInput, requireRole } from '@rcsc/service-kit';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { actorOf, childrenOf, requireOwnBranch, requireParentAdmin } from '../access';
import {
  branchSortKey,
  type NoticeDoc,
  type ReportingPeriodDoc,
  type SubmissionDoc,
  type TargetDoc,
  type TaskStatusDoc,
  type WorkPlanTaskDoc,
} from '../models';
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

/** A record for the audit log: the stored document without its `history` (the log is the history). */
function auditRecord<T extends { history?: unknown }>(doc: T | null | undefined): Omit<T, 'history'> | null {
  if (!doc) return null;
  const { history: _history, ...rest } = doc;
  return rest;
}

/** The branch of a stored submission; NOT_FOUND if the directory no longer has it. */
async function branchOf(ctx: Context, s: SubmissionDoc): Promise<BranchInfo> {
  const branch = await ctx.directory.get(String(s.organizationId));
  if (!branch) throw notFound('Organization', String(s.organizationId));
  return branch;
}

/**
 * Approves or returns a SUBMITTED submission in one transaction with its audit entry: the
 * reviewer (ADMIN of the branch above) is checked on the record as read inside the transaction.
 */
async function review(ctx: Context, id: string, outcome: 'APPROVED' | 'RETURNED', comment: string | null): Promise<SubmissionDoc> {
  const _id = toObjectId(id, 'id');
  const { Submission } = ctx.models;
  const action = outcome === 'APPROVED' ? 'approveSubmission' : 'returnSubmission';
  return Submission.db.transaction(async (session) => {
    const before = (await Submission.findById(_id).session(session).lean()) as SubmissionDoc | null;
    if (!before) throw notFound('Submission', id);
    const branch = await branchOf(ctx, before);
    await requireParentAdmin(ctx, branch, outcome === 'APPROVED' ? 'approve its tables' : 'return its tables');
    checkReviewable(before, outcome === 'APPROVED' ? 'approve' : 'return');
    const now = ctx.now();
    const by = actorOf(ctx.viewer);
    const after = (await Submission.findOneAndUpdate(
      { _id, status: 'SUBMITTED' },
      {
        $set: { status: outcome, reviewedAt: now, reviewedBy: by, comment },
        $push: { history: { action: outcome, at: now, by, comment } },
      },
      { returnDocument: 'after', session },
    ).lean()) as SubmissionDoc | null;
    if (!after) throw conflict(`The submission of ${branch.name} changed meanwhile; read it again`);
    await ctx.audit(
      { action, entity: 'Submission', entityId: after._id, orgPath: after.orgPath, before: auditRecord(before), after: auditRecord(after) },
      session,
    );
    return after;
  });
}

/** The national headquarters, if the viewer is its ADMIN (SERVICE passes); FORBIDDEN otherwise. */
async function requireNationalAdmin(ctx: Context, action: string): Promise<BranchInfo> {
  requireRole(ctx.viewer, ['ADMIN', 'SERVICE'], action);
  const root = (await ctx.directory.all()).find((b) => !b.parentId);
  if (ctx.viewer.roles.includes('SERVICE') && root) return root;
  if (!root || ctx.viewer.organizationId !== root.id) throw forbidden(`Only ADMIN of the national headquarters may ${action}`);
  return root;
}

/** Turns the unique index's refusal of an upsert into a CONFLICT. */
function duplicateAs(err: unknown, message: string): never {
  if (isDuplicateKey(err)) throw conflict(message);
  throw err;
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
    // Read through the gateway before the transaction opens: no network call holds it open.
    const values = await liveValues(ctx, branch.id, period);
    const by = actorOf(ctx.viewer);
    // The national headquarters has no branch above: its submission is final at once.
    const final = !branch.parentId;
    const history = [
      { action: 'SUBMITTED', at: now, by, comment: null },
      ...(final ? [{ action: 'APPROVED', at: now, by, comment: null }] : []),
    ];
    try {
      return await Submission.db.transaction(async (session) => {
        const filter = { organizationId: oid(branch.id), periodKey: period.key };
        const before = (await Submission.findOne(filter).session(session).lean()) as SubmissionDoc | null;
        checkSubmittable(before, label(branch, period));
        const after = (await Submission.findOneAndUpdate(
          { ...filter, status: { $ne: 'APPROVED' } },
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
          { upsert: true, returnDocument: 'after', runValidators: true, session },
        ).lean()) as SubmissionDoc;
        await ctx.audit(
          {
            action: 'submitReport',
            entity: 'Submission',
            entityId: after._id,
            orgPath: after.orgPath,
            before: auditRecord(before),
            after: auditRecord(after),
          },
          session,
        );
        return after;
      });
    } catch (err) {
      // Approved between the check and the write: the unique index refuses the upsert.
      duplicateAs(err, `${label(branch, period)} is approved and locked; it cannot be submitted again`);
    }
  },

  async approveSubmission(_, { id, comment }, ctx) {
    const text = comment == null ? null : parseInput(reviewComment, comment, 'comment');
    return review(ctx, id, 'APPROVED', text);
  },

  async returnSubmission(_, { id, comment }, ctx) {
    const text = parseInput(reviewComment, comment, 'comment');
    return review(ctx, id, 'RETURNED', text);
  },

  async excuseBranch(_, { input }, ctx) {
    const data = parseInput(excuseBranchInput, input);
    const now = ctx.now();
    const period = periodOf(data.period, now);
    const branch = await ctx.directory.require(data.organizationId, 'input.organizationId');
    if (!branch.parentId) throw badInput('input.organizationId', 'the national headquarters has no branch above to excuse it');
    await requireParentAdmin(ctx, branch, 'excuse it from submitting');
    const by = actorOf(ctx.viewer);
    const { Submission } = ctx.models;
    try {
      return await Submission.db.transaction(async (session) => {
        const filter = { organizationId: oid(branch.id), periodKey: period.key };
        const before = (await Submission.findOne(filter).session(session).lean()) as SubmissionDoc | null;
        checkExcusable(before, branch.name);
        const after = (await Submission.findOneAndUpdate(
          { ...filter, status: { $nin: ['SUBMITTED', 'APPROVED'] } },
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
          { upsert: true, returnDocument: 'after', runValidators: true, session },
        ).lean()) as SubmissionDoc;
        await ctx.audit(
          {
            action: 'excuseBranch',
            entity: 'Submission',
            entityId: after._id,
            orgPath: after.orgPath,
            before: auditRecord(before),
            after: auditRecord(after),
          },
          session,
        );
        return after;
      });
    } catch (err) {
      duplicateAs(err, `${branch.name} submitted meanwhile; approve or return it instead of excusing`);
    }
  },

  async setDueDate(_, { input }, ctx) {
    const data = parseInput(setDueDateInput, input);
    const period = periodOf(data.period, ctx.now());
    const root = await requireNationalAdmin(ctx, 'set due dates');
    const earliest = period.asOf ?? new Date(Date.UTC(period.year, 0, 1));
    if (data.dueDate < earliest) throw badInput('input.dueDate', `must not be before ${earliest.toISOString().slice(0, 10)}`);
    const { ReportingPeriod } = ctx.models;
    await ReportingPeriod.db.transaction(async (session) => {
      const before = (await ReportingPeriod.findOne({ periodKey: period.key }).session(session).lean()) as ReportingPeriodDoc | null;
      const after = (await ReportingPeriod.findOneAndUpdate(
        { periodKey: period.key },
        { $set: { table: period.table, asOf: period.asOf, year: period.year, dueDate: data.dueDate, setBy: actorOf(ctx.viewer) } },
        { upsert: true, returnDocument: 'after', session },
      ).lean()) as ReportingPeriodDoc;
      await ctx.audit(
        { action: 'setDueDate', entity: 'ReportingPeriod', entityId: after._id, orgPath: pathOf(root), before, after },
        session,
      );
    });
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
    return Target.db.transaction(async (session) => {
      const own = (await Target.findById(target._id).session(session).lean()) as TargetDoc;
      const current = (await Target.find({ parentTargetId: target._id }).session(session).lean()) as TargetDoc[];
      const byOrg = new Map(current.map((t) => [String(t.organizationId), { value: t.value, allocated: t.allocated }]));
      const sum = checkAllocation(own.value, byOrg, data.allocations);
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
      const after = (await Target.findByIdAndUpdate(
        target._id,
        { $set: { allocated: sum } },
        { returnDocument: 'after', session },
      ).lean()) as TargetDoc;
      const shares = (await Target.find({
        parentTargetId: target._id,
        organizationId: { $in: data.allocations.map((a) => oid(a.organizationId)) },
      })
        .session(session)
        .lean()) as TargetDoc[];
      const before = new Map(current.map((t) => [String(t.organizationId), t]));
      // One entry per share (visible to the admins of the branch that receives it) and one for the target itself.
      for (const share of shares) {
        const old = before.get(String(share.organizationId));
        await ctx.audit(
          {
            action: 'allocateTarget',
            entity: 'Target',
            entityId: share._id,
            orgPath: share.orgPath,
            before: old ? { measure: old.measure, year: old.year, value: old.value } : null,
            after: { measure: share.measure, year: share.year, value: share.value, allocatedFrom: String(target._id) },
          },
          session,
        );
      }
      await ctx.audit(
        {
          action: 'allocateTarget',
          entity: 'Target',
          entityId: target._id,
          orgPath: own.orgPath,
          before: { measure: own.measure, year: own.year, value: own.value, allocated: own.allocated },
          after: {
            measure: after.measure,
            year: after.year,
            value: after.value,
            allocated: after.allocated,
            allocations: data.allocations,
          },
        },
        session,
      );
      return after;
    });
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
    const { TaskStatus } = ctx.models;
    const status = await TaskStatus.db.transaction(async (session) => {
      const filter = { organizationId: oid(branch.id), taskId: task._id };
      const before = (await TaskStatus.findOne(filter).session(session).lean()) as TaskStatusDoc | null;
      const after = (await TaskStatus.findOneAndUpdate(
        filter,
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
        { upsert: true, returnDocument: 'after', runValidators: true, session },
      ).lean()) as TaskStatusDoc;
      await ctx.audit(
        {
          action: 'setTaskStatus',
          entity: 'TaskStatus',
          entityId: after._id,
          orgPath: after.orgPath,
          before: auditRecord(before),
          after: auditRecord(after),
        },
        session,
      );
      return after;
    });
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
    return createNotice(ctx, 'sendNotice', sender, { ...data, period, taskNumbers: data.taskNumbers ?? [] });
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
    return createNotice(ctx, 'remindLagging', sender, {
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
    // A receipt is a write (stored, audited, shown to the sender): not for read-only roles (ADR 0004).
    requireRole(ctx.viewer, ['ADMIN', 'STAFF', 'TRAINING_MANAGER', 'REPORTER', 'SERVICE'], 'confirm that a branch read a notice');
    // Who may confirm is decided by the branch alone, before anything about the notice is revealed.
    const branch = await ctx.directory.require(organizationId, 'organizationId');
    if (!ctx.viewer.roles.includes('SERVICE') && ctx.viewer.organizationId !== branch.id) {
      throw forbidden(`Only people of ${branch.name} itself may confirm that it read a notice`);
    }
    const _id = toObjectId(id, 'id');
    const { Notice } = ctx.models;
    return Notice.db.transaction(async (session) => {
      const notice = (await Notice.findById(_id).session(session).lean()) as NoticeDoc | null;
      if (!notice) throw notFound('Notice', id);
      if (!notice.recipientIds.some((r) => String(r) === branch.id)) throw badInput('organizationId', 'is not a recipient of this notice');
      const receipt = { organizationId: oid(branch.id), readAt: ctx.now(), readBy: actorOf(ctx.viewer) };
      // The first read counts: a second one changes nothing (and records nothing).
      const { modifiedCount } = await Notice.updateOne(
        { _id: notice._id, 'readReceipts.organizationId': { $ne: receipt.organizationId } },
        { $push: { readReceipts: receipt } },
        { session },
      );
      if (modifiedCount) {
        await ctx.audit(
          { action: 'markNoticeRead', entity: 'Notice', entityId: notice._id, orgPath: pathOf(branch), before: null, after: receipt },
          session,
        );
      }
      return (await Notice.findById(notice._id).session(session).lean()) as NoticeDoc;
    });
  },
};

async function createNotice(
  ctx: Context,
  action: string,
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
  const { Notice } = ctx.models;
  return Notice.db.transaction(async (session) => {
    const [created] = await Notice.create(
      [
        {
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
        },
      ],
      { session },
    );
    const after = created.toObject() as NoticeDoc;
    await ctx.audit({ action, entity: 'Notice', entityId: after._id, orgPath: after.senderPath, after }, session);
    return after;
  });
}
