import type { TermResolvers } from '../generated/graphql';
import { isOverdue, today } from '../rules';

export const Term: TermResolvers = {
  id: (t) => String(t._id),
  organization: async (t, _, { loaders }) => {
    const org = await loaders.organizationById.load(String(t.organizationId));
    if (!org) throw new Error(`term ${String(t._id)} refers to missing branch ${String(t.organizationId)}`);
    return org;
  },
  overdue: (t) => isOverdue(t, t.readAt ?? today()),
};
