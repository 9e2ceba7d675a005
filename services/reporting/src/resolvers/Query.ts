import { forbidden, requireAuthenticated } from '@rcsc/service-kit';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { QueryResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { NoticeDoc } from '../models';
import { periodView } from '../reports';
import { periodOf } from '../rules';
import { targetProgress } from './Organization';
import { checkYear, isObjectId, toObjectId } from './arguments';

/** A notice is visible from the sender's subtree and from the subtree of any of its recipients. */
async function requireNoticeVisible(ctx: Context, n: NoticeDoc): Promise<void> {
  requireAuthenticated(ctx.viewer);
  if (ctx.access.covers(n.senderPath)) return;
  for (const id of n.recipientIds) {
    const b = await ctx.directory.get(String(id));
    if (b && ctx.access.covers(pathOf(b))) return;
  }
  throw forbidden(`Notice ${String(n._id)} was neither sent nor addressed within your branch's subtree`);
}

export const Query: QueryResolvers = {
  async submission(_, { id }, ctx) {
    const s = isObjectId(id) ? await ctx.loaders.submissionById.load(id) : null;
    if (!s) return null;
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the submissions');
    return ctx.access.visible(s, `The submissions of ${s.branchName}`);
  },

  reportingPeriod: (_, { period }, ctx) => periodView(ctx, periodOf(period, ctx.now(), 'period')),

  workPlan: (_, { year }, ctx) => ctx.loaders.tasksOfYear.load(checkYear(year ?? 2021)),

  async nationalProgress(_, { year }, ctx) {
    const root = (await ctx.directory.all()).find((b) => !b.parentId);
    if (!root) return [];
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the national progress');
    await ctx.access.visibleBranch(root.id, 'id', 'The national progress');
    return targetProgress(ctx, root.id, checkYear(year));
  },

  async notice(_, { id }, ctx) {
    const n = (await ctx.models.Notice.findById(toObjectId(id, 'id')).lean()) as NoticeDoc | null;
    if (!n) return null;
    await requireNoticeVisible(ctx, n);
    return n;
  },
};
