import { Types } from 'mongoose';
import { forbidden, notFound, type Change, type Role } from '@rcsc/service-kit';
import { Roles } from '@rcsc/access';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { actorOf } from '../../actor';
import { branchSortKey, type SubmissionDoc } from '../../models';
import { findOne, pipeline, upsert } from '../../pipeline';
import { childrenOf, liveValues } from '../../reports';
import {
  checkChildrenDone,
  checkExcusable,
  checkHasBranchAbove,
  checkNotLocked,
  checkReviewable,
  checkSubmittable,
  checkUnapprovable,
  excuseBranchInput,
  lockingApproval,
  periodFromKey,
  periodOf,
  reviewComment,
  submitReportInput,
  type Period,
} from '../../rules';

/** Who submits a branch's tables: ADMIN or REPORTER of the branch itself. */
const SUBMITTERS: readonly Role[] = ['ADMIN', 'REPORTER'];

const oid = (id: string) => new Types.ObjectId(id);
const label = (b: BranchInfo, p: Period) => `The ${p.table} table of ${b.name} for ${p.key}`;

/** Fields every submission record of a branch and period carries. */
function placement(b: BranchInfo, p: Period) {
  return {
    orgPath: pathOf(b).map(oid),
    parentId: b.parentId ? oid(b.parentId) : null,
    branchName: b.name,
    branchSortKey: branchSortKey(b),
    table: p.table,
    asOf: p.asOf,
    year: p.year,
  };
}

/** The one record of a branch and period. */
const recordOf = (b: BranchInfo, p: Period) => ({ organizationId: oid(b.id), periodKey: p.key });

/**
 * The approval lock, inside the mutation's transaction: CONFLICT when a table above `branch` is
 * APPROVED for the period. The tables above that still await review are marked
 * (`belowChangedAt`): an approval of one of them racing this change writes the same record, so
 * one of the two transactions conflicts, is retried, and then sees the other (no write skew).
 */
async function requireUnlocked(change: Change<Context>, ctx: Context, branch: BranchInfo, period: Period, what: string) {
  if (!branch.ancestorIds.length) return;
  const { Submission } = ctx.models;
  const above = (await Submission.find({ organizationId: { $in: branch.ancestorIds.map(oid) }, periodKey: period.key })
    .session(change.session)
    .lean()) as SubmissionDoc[];
  checkNotLocked(what, lockingApproval(branch.ancestorIds, above));
  const waiting = above.filter((s) => s.status === 'SUBMITTED').map((s) => s._id);
  if (waiting.length)
    await Submission.updateMany({ _id: { $in: waiting } }, { $set: { belowChangedAt: ctx.now() } }).session(change.session);
}

/** The children's filings that let a branch submit, or its table be approved: every child APPROVED or EXCUSED. */
async function requireChildrenDone(
  ctx: Context,
  branch: BranchInfo,
  period: Period,
  verb: string,
  field: string,
  change?: Change<Context>,
) {
  const children = await childrenOf(ctx, branch);
  if (!children.length) return;
  const query = ctx.models.Submission.find(
    { parentId: oid(branch.id), periodKey: period.key, status: { $in: ['APPROVED', 'EXCUSED'] } },
    { organizationId: 1 },
  );
  const done = await (change ? query.session(change.session) : query).lean();
  checkChildrenDone(branch.name, children, new Set(done.map((d) => String(d.organizationId))), verb, field);
}

/**
 * Approves or returns a SUBMITTED submission: the reviewer (ADMIN of the branch above) is checked
 * on the record as read inside the transaction.
 */
function review(ctx: Context, id: string, outcome: 'APPROVED' | 'RETURNED', comment: unknown) {
  const approve = outcome === 'APPROVED';
  return pipeline.mutate(
    ctx,
    {
      action: approve ? 'approveSubmission' : 'returnSubmission',
      roles: Roles.ADMINS,
      does: approve ? 'approve its tables' : 'return its tables',
      input: approve ? reviewComment.nullish() : reviewComment,
      value: comment,
      prefix: 'comment',
    },
    async (change, text) => {
      const before = await change.own(ctx.models.Submission, 'Submission', id);
      const branch = await ctx.directory.get(String(before.organizationId));
      if (!branch) throw notFound('Organization', String(before.organizationId));
      await ctx.access.requireParentAdmin(branch, approve ? 'approve its tables' : 'return its tables');
      checkReviewable(before, approve ? 'approve' : 'return');
      const period = periodFromKey(before.periodKey);
      await requireUnlocked(change, ctx, branch, period, label(branch, period));
      // An approved table is frozen with its children's: they must all be settled first (a child
      // excused earlier may have submitted since the branch did).
      if (approve) await requireChildrenDone(ctx, branch, period, 'have its table approved', 'id', change);
      const now = ctx.now();
      const by = actorOf(ctx.viewer);
      return change.update(
        ctx.models.Submission,
        'Submission',
        before,
        {
          $set: { status: outcome, reviewedAt: now, reviewedBy: by, comment: text ?? null },
          $push: { history: { action: outcome, at: now, by, comment: text ?? null } },
        },
        { unchanged: { status: 'SUBMITTED' }, meanwhile: `The submission of ${branch.name} changed meanwhile; read it again` },
      );
    },
  );
}

/**
 * Who may withdraw an approval: whoever may approve, or ADMIN of any branch above that (the
 * approver's level or above); for the headquarters' own table, final at its submission, ADMIN or
 * REPORTER of the headquarters itself (who submitted it).
 */
function requireUnapprover(ctx: Context, branch: BranchInfo): void {
  const does = 'withdraw the approval of its tables';
  if (!branch.parentId) return ctx.access.requireOwnBranch(branch, SUBMITTERS, does);
  ctx.access.requireRole(Roles.ADMINS, does);
  if (!ctx.access.covers(branch.ancestorIds)) throw forbidden(`Only ADMIN of a branch above ${branch.name} may ${does}`);
}

export const submissionMutations: Pick<
  MutationResolvers,
  'submitReport' | 'approveSubmission' | 'returnSubmission' | 'unapproveSubmission' | 'excuseBranch'
> = {
  async submitReport(_, { input }, ctx) {
    const rule = {
      action: 'submitReport',
      roles: [...SUBMITTERS, 'SERVICE'] as Role[],
      does: 'submit its tables',
      input: submitReportInput,
      value: input,
    };
    const { Submission } = ctx.models;
    return pipeline.mutate(ctx, rule, async (change, data) => {
      const now = ctx.now();
      const period = periodOf(data.period, now);
      const branch = await ctx.access.branch(data.organizationId, 'input.organizationId');
      ctx.access.requireOwnBranch(branch, SUBMITTERS, 'submit its tables');
      // Early refusals and the gateway read come before the first command in the session: the
      // server opens the transaction only then, so no network call holds it open.
      checkSubmittable(await ctx.loaders.submissionOf.load([branch.id, period.key]), label(branch, period));
      await requireChildrenDone(ctx, branch, period, 'submit', 'input.organizationId');
      const values = await liveValues(ctx, branch.id, period);
      const by = actorOf(ctx.viewer);
      // The national headquarters has no branch above: its submission is final at once.
      const final = !branch.parentId;
      const history = [
        { action: 'SUBMITTED', at: now, by, comment: null },
        ...(final ? [{ action: 'APPROVED', at: now, by, comment: null }] : []),
      ];
      const before = await findOne(change, Submission, recordOf(branch, period));
      checkSubmittable(before, label(branch, period));
      await requireUnlocked(change, ctx, branch, period, label(branch, period));
      const update = {
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
      };
      return upsert(change, Submission, 'Submission', before, recordOf(branch, period), update, {
        unchanged: { status: { $ne: 'APPROVED' } },
        meanwhile: `${label(branch, period)} is approved and locked; it cannot be submitted again`,
      });
    });
  },

  approveSubmission: (_, { id, comment }, ctx) => review(ctx, id, 'APPROVED', comment),

  returnSubmission: (_, { id, comment }, ctx) => review(ctx, id, 'RETURNED', comment),

  unapproveSubmission(_, { id, reason }, ctx) {
    const rule = {
      action: 'unapproveSubmission',
      roles: [...SUBMITTERS, 'SERVICE'] as Role[],
      does: 'withdraw the approval of a table',
      input: reviewComment,
      value: reason,
      prefix: 'reason',
    };
    return pipeline.mutate(ctx, rule, async (change, text) => {
      const before = await change.own(ctx.models.Submission, 'Submission', id);
      const branch = await ctx.directory.get(String(before.organizationId));
      if (!branch) throw notFound('Organization', String(before.organizationId));
      requireUnapprover(ctx, branch);
      checkUnapprovable(before);
      const period = periodFromKey(before.periodKey);
      // Top-down only: a table below an approved one stays locked until that one is unapproved.
      await requireUnlocked(change, ctx, branch, period, label(branch, period));
      const now = ctx.now();
      const by = actorOf(ctx.viewer);
      // Back to review (SUBMITTED); the headquarters has no reviewer, so its table is RETURNED to be submitted again.
      const status = branch.parentId ? 'SUBMITTED' : 'RETURNED';
      return change.update(
        ctx.models.Submission,
        'Submission',
        before,
        {
          $set: { status, reviewedAt: now, reviewedBy: by, comment: text },
          $push: { history: { action: 'UNAPPROVED', at: now, by, comment: text } },
        },
        { unchanged: { status: 'APPROVED' }, meanwhile: `The submission of ${branch.name} changed meanwhile; read it again` },
      );
    });
  },

  excuseBranch(_, { input }, ctx) {
    return pipeline.mutate(
      ctx,
      { action: 'excuseBranch', roles: Roles.ADMINS, does: 'excuse it from submitting', input: excuseBranchInput, value: input },
      async (change, data) => {
        const now = ctx.now();
        const period = periodOf(data.period, now);
        const branch = await ctx.access.branch(data.organizationId, 'input.organizationId');
        checkHasBranchAbove(branch);
        await ctx.access.requireParentAdmin(branch, 'excuse it from submitting');
        const before: SubmissionDoc | null = await findOne(change, ctx.models.Submission, recordOf(branch, period));
        checkExcusable(before, branch.name);
        await requireUnlocked(change, ctx, branch, period, label(branch, period));
        const by = actorOf(ctx.viewer);
        const update = {
          $set: {
            ...placement(branch, period),
            status: 'EXCUSED',
            excuseReason: data.reason,
            reviewedAt: now,
            reviewedBy: by,
            comment: null,
          },
          $push: { history: { action: 'EXCUSED', at: now, by, comment: data.reason } },
        };
        return upsert(change, ctx.models.Submission, 'Submission', before, recordOf(branch, period), update, {
          unchanged: { status: { $nin: ['SUBMITTED', 'APPROVED'] } },
          meanwhile: `${branch.name} submitted meanwhile; approve or return it instead of excusing`,
        });
      },
    );
  },
};
