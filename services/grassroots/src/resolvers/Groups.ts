import type { GrassrootsGroupResolvers, GroupMemberResolvers, GroupMembershipResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { GroupDoc, MembershipDoc } from '../models';
import { existsOn } from '../rules';

export const GrassrootsGroup: GrassrootsGroupResolvers = {
  id: (g) => String(g._id),
  organization: (g) => ({ id: String(g.organizationId) }),
};

export const GroupMembership: GroupMembershipResolvers = {
  group: async (m, _, { loaders }) => (await loaders.groupById.load(String(m.groupId)))!,
};

export const GroupMember: GroupMemberResolvers = {
  __resolveType: (r) => ('establishedOn' in r ? 'GrassrootsUnit' : 'BoaiHome'),
};

/** The groups a record is in on `date` (one batched read per request). */
export async function groupsOn(memberships: MembershipDoc[] | undefined, date: Date, ctx: Context): Promise<GroupDoc[]> {
  const ids = (memberships ?? []).filter((m) => existsOn(m.since, m.until, date)).map((m) => String(m.groupId));
  const groups = await ctx.loaders.groupById.loadMany(ids);
  return groups.filter((g): g is GroupDoc => !!g && !(g instanceof Error));
}
