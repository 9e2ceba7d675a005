import { Types } from 'mongoose';
import { notFound, type Role } from '@rcsc/service-kit';
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
  checkReviewable,
  checkSubmittable,
  excuseBranchInput,
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

export const submissionMutations: Pick<MutationResolvers, 'submitReport' | 'approveSubmission' | 'returnSubmission' | 'excuseBranch'> = {
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
      const before = await findOne(change, Submission, recordOf(branch, period));
      checkSubmittable(before, label(branch, period));
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
