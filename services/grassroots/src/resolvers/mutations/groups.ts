import { conflict, notFound, type Change } from '@rcsc/service-kit';
import type { Context } from '../../context';
import type { MutationResolvers } from '../../generated/graphql';
import type { BoaiHomeDoc, GrassrootsUnitDoc, GroupDoc, MembershipDoc } from '../../models';
import { checkJoin, checkLeave, createGroupInput, joinGroupInput, leaveGroupInput } from '../../rules';
import { newRecordPlace, pipeline, saveVersioned, writes } from './pipeline';

/** The group, read in the change (NOT_FOUND when unknown). */
async function groupOf(change: Change<Context>, id: string): Promise<GroupDoc> {
  const group = /^[0-9a-f]{24}$/i.test(id) ? await change.ctx.models.Group.findById(id).session(change.session).lean<GroupDoc>() : null;
  if (!group) throw notFound('GrassrootsGroup', id);
  return group;
}

/** The member record of a group's kind, read and judged in the change (FORBIDDEN outside the viewer's subtree). */
async function memberOf(change: Change<Context>, group: GroupDoc, recordId: string) {
  const { GrassrootsUnit, BoaiHome } = change.ctx.models;
  if (group.kind === 'UNITS') {
    const u = await change.own(GrassrootsUnit, 'GrassrootsUnit', recordId, 'input.recordId');
    return { doc: u, model: GrassrootsUnit, entity: 'GrassrootsUnit', from: u.establishedOn, to: u.dissolvedOn };
  }
  const h = await change.own(BoaiHome, 'BoaiHome', recordId, 'input.recordId');
  return { doc: h, model: BoaiHome, entity: 'BoaiHome', from: h.openedOn, to: h.closedOn };
}

/** Saves a record's memberships (its group counters move with them), audited as that field. */
function saveGroups(change: Change<Context>, m: Awaited<ReturnType<typeof memberOf>>, groups: MembershipDoc[]) {
  const auditAs = { before: { groups: m.doc.groups ?? [] }, after: { groups } };
  return m.entity === 'GrassrootsUnit'
    ? saveVersioned(change, change.ctx.models.GrassrootsUnit, m.entity, m.doc as GrassrootsUnitDoc, { groups }, auditAs)
    : saveVersioned(change, change.ctx.models.BoaiHome, m.entity, m.doc as BoaiHomeDoc, { groups }, auditAs);
}

export const groupMutations: Pick<MutationResolvers, 'createGrassrootsGroup' | 'joinGrassrootsGroup' | 'leaveGrassrootsGroup'> = {
  createGrassrootsGroup: (_, { input }, ctx) =>
    pipeline.mutate(ctx, writes('createGrassrootsGroup', 'create groups', createGroupInput, input), async (change, data) => {
      const { place } = await newRecordPlace(ctx, data);
      const { organizationId, orgPath } = place;
      const taken = await ctx.models.Group.findOne({ organizationId, groupSet: data.groupSet, name: data.name })
        .session(change.session)
        .lean();
      if (taken) throw conflict(`the set "${data.groupSet}" of this branch already has a group named ${data.name}`, 'input.name');
      return change.create<GroupDoc>(ctx.models.Group, 'GrassrootsGroup', {
        organizationId,
        orgPath,
        name: data.name,
        groupSet: data.groupSet,
        kind: data.kind,
      });
    }),

  joinGrassrootsGroup: async (_, { groupId, input }, ctx) => {
    const result = await pipeline.mutate(
      ctx,
      writes('joinGrassrootsGroup', 'change group memberships', joinGroupInput, input),
      async (change, data) => {
        const group = await groupOf(change, groupId);
        const m = await memberOf(change, group, data.recordId);
        const ids = (m.doc.groups ?? []).map((x) => x.groupId);
        const others = ids.length
          ? await ctx.models.Group.find({ _id: { $in: ids } }, { groupSet: 1 })
              .session(change.session)
              .lean()
          : [];
        const sameSet = new Set(others.filter((g) => g.groupSet === group.groupSet).map((g) => String(g._id)));
        const groups = checkJoin({ ...m, orgPath: m.doc.orgPath, groups: m.doc.groups }, group, group.kind, data.since, (id) =>
          sameSet.has(id),
        );
        return saveGroups(change, m, groups);
      },
    );
    return result as never;
  },

  leaveGrassrootsGroup: async (_, { groupId, input }, ctx) => {
    const result = await pipeline.mutate(
      ctx,
      writes('leaveGrassrootsGroup', 'change group memberships', leaveGroupInput, input),
      async (change, data) => {
        const group = await groupOf(change, groupId);
        const m = await memberOf(change, group, data.recordId);
        return saveGroups(change, m, checkLeave(m.doc, String(group._id), data.until));
      },
    );
    return result as never;
  },
};
