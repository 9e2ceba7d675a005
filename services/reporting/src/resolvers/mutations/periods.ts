import { notFound } from '@rcsc/service-kit';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import { actorOf } from '../../actor';
import type { ReportingPeriodDoc } from '../../models';
import { findOne, pipeline } from '../../pipeline';
import { periodView } from '../../reports';
import { checkDueDate, periodOf, setDueDateInput } from '../../rules';

export const periodMutations: Pick<MutationResolvers, 'setDueDate'> = {
  // One due date per period for the whole tree: set by ADMIN of the national headquarters.
  async setDueDate(_, { input }, ctx) {
    const rule = { action: 'setDueDate', roles: Roles.ADMINS, does: 'set due dates', input: setDueDateInput, value: input };
    const period = await pipeline.mutate(ctx, rule, async (change, data) => {
      const period = periodOf(data.period, ctx.now());
      const root = (await ctx.directory.all()).find((b) => !b.parentId);
      if (!root) throw notFound('Organization', 'the national headquarters');
      ctx.access.requireOwnBranch(root, ['ADMIN'], 'set due dates');
      checkDueDate(period, data.dueDate);
      const { ReportingPeriod } = ctx.models;
      const before = await findOne<ReportingPeriodDoc>(change, ReportingPeriod, { periodKey: period.key });
      const after = (await ReportingPeriod.findOneAndUpdate(
        { periodKey: period.key },
        { $set: { table: period.table, asOf: period.asOf, year: period.year, dueDate: data.dueDate, setBy: actorOf(ctx.viewer) } },
        { upsert: true, returnDocument: 'after', session: change.session },
      ).lean()) as ReportingPeriodDoc;
      // A period belongs to no branch: its entry is the headquarters'.
      await change.audit({ entity: 'ReportingPeriod', entityId: after._id, orgPath: pathOf(root), before, after });
      return period;
    });
    ctx.loaders.periodByKey.clear(period.key);
    return periodView(ctx, period);
  },
};
