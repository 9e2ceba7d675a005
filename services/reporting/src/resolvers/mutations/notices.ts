import { Types } from 'mongoose';
import { notFound, type Change, type Role } from '@rcsc/service-kit';
import { Roles } from '@rcsc/access';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { actorOf } from '../../actor';
import type { NoticeDoc, SubmissionDoc } from '../../models';
import { pipeline } from '../../pipeline';
import { childrenOf, periodView } from '../../reports';
import {
  checkRecipient,
  checkRecipientsBelow,
  laggingChildren,
  periodOf,
  remindLaggingInput,
  reminderText,
  sendNoticeInput,
  type Period,
} from '../../rules';
import { TABLE_TITLES } from '../../tables';
import { toObjectId } from '../arguments';

/** Who may confirm that their own branch read a notice. */
// A receipt is a write (stored, audited, shown to the sender): not for the read-only VIEWER (ADR 0004).
const NOTICE_READERS: readonly Role[] = ['ADMIN', 'STAFF', 'TRAINING_MANAGER', 'REPORTER'];

const oid = (id: string) => new Types.ObjectId(id);

interface NoticeContent {
  kind: 'BULLETIN' | 'REMINDER';
  title: string;
  body: string;
  recipientIds: string[];
  taskNumbers: number[];
  period: Period | null;
}

/** The sending branch, if the viewer is its ADMIN. */
async function senderOf(ctx: Context, senderId: string): Promise<BranchInfo> {
  const sender = await ctx.access.branch(senderId, 'input.senderId');
  ctx.access.requireOwnBranch(sender, ['ADMIN'], 'send its notices');
  return sender;
}

/** Stores a notice; its audit entry lies on the sender's path. */
async function createNotice(change: Change<Context>, sender: BranchInfo, data: NoticeContent): Promise<NoticeDoc> {
  const now = change.ctx.now();
  const [created] = await change.ctx.models.Notice.create(
    [
      {
        kind: data.kind,
        title: data.title,
        body: data.body,
        senderId: oid(sender.id),
        senderPath: pathOf(sender).map(oid),
        sentAt: now,
        newestFirst: -now.getTime(),
        sentBy: actorOf(change.ctx.viewer),
        recipientIds: data.recipientIds.map(oid),
        taskNumbers: data.taskNumbers,
        periodKey: data.period?.key ?? null,
      },
    ],
    { session: change.session },
  );
  const after = created.toObject() as NoticeDoc;
  await change.audit({ entity: 'Notice', entityId: after._id, orgPath: after.senderPath, after });
  return after;
}

const sendRule = { roles: Roles.ADMINS, does: 'send its notices' };

export const noticeMutations: Pick<MutationResolvers, 'sendNotice' | 'remindLagging' | 'markNoticeRead'> = {
  // A bulletin or reminder from ADMIN of a branch to branches strictly below it.
  sendNotice(_, { input }, ctx) {
    return pipeline.mutate(ctx, { ...sendRule, action: 'sendNotice', input: sendNoticeInput, value: input }, async (change, data) => {
      const sender = await senderOf(ctx, data.senderId);
      const period = data.period ? periodOf(data.period, ctx.now()) : null;
      const recipients = await Promise.all(data.recipientIds.map((id, i) => ctx.access.branch(id, `input.recipientIds.${i}`)));
      checkRecipientsBelow(sender, recipients);
      return createNotice(change, sender, { ...data, period, taskNumbers: data.taskNumbers ?? [] });
    });
  },

  // A reminder letter to every direct child lagging on a period; null when none is.
  remindLagging(_, { input }, ctx) {
    return pipeline.mutate(ctx, { ...sendRule, action: 'remindLagging', input: remindLaggingInput, value: input }, async (change, data) => {
      const sender = await senderOf(ctx, data.senderId);
      const period = periodOf(data.period, ctx.now());
      const [children, submissions] = await Promise.all([
        childrenOf(ctx, sender),
        ctx.models.Submission.find({ parentId: oid(sender.id), periodKey: period.key }, { organizationId: 1, status: 1 })
          .session(change.session)
          .lean<Pick<SubmissionDoc, 'organizationId' | 'status'>[]>(),
      ]);
      const lagging = laggingChildren(children, submissions);
      if (!lagging.length) return null;
      const text = reminderText(period, TABLE_TITLES[period.table].title, (await periodView(ctx, period)).dueDate, lagging);
      return createNotice(change, sender, {
        kind: 'REMINDER',
        title: data.title ?? text.title,
        body: data.body ?? text.body,
        recipientIds: lagging.map((c) => c.id),
        taskNumbers: [],
        period,
      });
    });
  },

  // A read receipt of the viewer's own branch; the first read counts, a second changes and records nothing.
  markNoticeRead(_, { id, organizationId }, ctx) {
    const rule = { action: 'markNoticeRead', roles: [...NOTICE_READERS, 'SERVICE'] as Role[], does: 'confirm that a notice was read' };
    return pipeline.mutate(ctx, rule, async (change) => {
      // Who may confirm is decided by the branch alone, before anything about the notice is revealed.
      const branch = await ctx.access.branch(organizationId, 'organizationId');
      ctx.access.requireOwnBranch(branch, NOTICE_READERS, 'confirm that it read a notice');
      const { Notice } = ctx.models;
      const notice = (await Notice.findById(toObjectId(id, 'id')).session(change.session).lean()) as NoticeDoc | null;
      if (!notice) throw notFound('Notice', id);
      checkRecipient(notice, branch.id);
      const receipt = { organizationId: oid(branch.id), readAt: ctx.now(), readBy: actorOf(ctx.viewer) };
      const { modifiedCount } = await Notice.updateOne(
        { _id: notice._id, 'readReceipts.organizationId': { $ne: receipt.organizationId } },
        { $push: { readReceipts: receipt } },
        { session: change.session },
      );
      if (modifiedCount)
        await change.audit({ entity: 'Notice', entityId: notice._id, orgPath: pathOf(branch), before: null, after: receipt });
      return (await Notice.findById(notice._id).session(change.session).lean()) as NoticeDoc;
    });
  },
};
