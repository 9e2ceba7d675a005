import type { TargetProgressResolvers, TargetResolvers } from '../generated/graphql';

export const Target: TargetResolvers = {
  id: (t) => String(t._id),
  organization: (t) => ({ id: String(t.organizationId) }),
  // The target of the branch above, and through its allocations the shares of the branch's siblings:
  // FORBIDDEN unless its holder lies in the viewer's subtree.
  async allocatedFrom(t, _, { loaders, access }) {
    if (!t.parentTargetId) return null;
    // Shares go to the branches directly below the holder: the target above is the parent branch's.
    access.requireOver(t.orgPath.slice(0, -1), 'The target this one was allocated from');
    return access.visible(await loaders.targetById.load(String(t.parentTargetId)), 'The target this one was allocated from');
  },
  allocations: (t, _, { loaders }) => loaders.allocationsOf.load(String(t._id)),
  unallocated: (t) => Math.max(0, t.value - t.allocated),
  updatedAt: (t) => t.updatedAt ?? t.createdAt ?? new Date(0),
};

export const TargetProgress: TargetProgressResolvers = {};
