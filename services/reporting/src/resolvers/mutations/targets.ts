import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import { actorOf } from '../../actor';
import type { TargetDoc } from '../../models';
import { pipeline } from '../../pipeline';
import { allocateTargetInput, checkAllocation, checkSharesBelow } from '../../rules';

const oid = (id: string) => new Types.ObjectId(id);

export const targetMutations: Pick<MutationResolvers, 'allocateTarget'> = {
  // Shares of a target to the branches directly below its holder, by ADMIN of the holder.
  allocateTarget(_, { input }, ctx) {
    const rule = { action: 'allocateTarget', roles: Roles.ADMINS, does: 'allocate its targets', input: allocateTargetInput, value: input };
    return pipeline.mutate(ctx, rule, async (change, data) => {
      const { Target } = ctx.models;
      const own = await change.own(Target, 'Target', data.targetId, 'input.targetId');
      const holder = await ctx.access.branch(String(own.organizationId), 'input.targetId');
      ctx.access.requireOwnBranch(holder, ['ADMIN'], 'allocate its targets');
      const branches = await Promise.all(
        data.allocations.map((a, i) => ctx.access.branch(a.organizationId, `input.allocations.${i}.organizationId`)),
      );
      checkSharesBelow(holder, branches);
      const current = (await Target.find({ parentTargetId: own._id }).session(change.session).lean()) as TargetDoc[];
      const sum = checkAllocation(own.value, new Map(current.map((t) => [String(t.organizationId), t])), data.allocations);
      const now = ctx.now();
      const by = actorOf(ctx.viewer);
      await Target.bulkWrite(
        data.allocations.map((a, i) => ({
          updateOne: {
            filter: { organizationId: oid(a.organizationId), year: own.year, measure: own.measure },
            update: {
              $set: {
                orgPath: pathOf(branches[i]).map(oid),
                parentTargetId: own._id,
                description: own.description,
                value: a.value,
                updatedBy: by,
              },
              $setOnInsert: { allocated: 0 },
              $push: { history: { value: a.value, at: now, by } },
            },
            upsert: true,
          },
        })),
        { session: change.session },
      );
      const shares = (await Target.find({
        parentTargetId: own._id,
        organizationId: { $in: data.allocations.map((a) => oid(a.organizationId)) },
      })
        .session(change.session)
        .lean()) as TargetDoc[];
      const before = new Map(current.map((t) => [String(t.organizationId), t]));
      // One entry per share (visible to the admins of the branch that receives it) and one for the target itself.
      for (const share of shares) {
        const old = before.get(String(share.organizationId)) ?? null;
        await change.changed('Target', old, share, {
          before: old && { measure: old.measure, year: old.year, value: old.value },
          after: { measure: share.measure, year: share.year, value: share.value, allocatedFrom: String(own._id) },
        });
      }
      const summary = (t: TargetDoc) => ({ measure: t.measure, year: t.year, value: t.value, allocated: t.allocated });
      return change.update(
        Target,
        'Target',
        own,
        { $set: { allocated: sum } },
        {
          auditAs: { before: summary(own), after: { ...summary({ ...own, allocated: sum }), allocations: data.allocations } },
        },
      );
    });
  },
};
