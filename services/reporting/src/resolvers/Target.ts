import type { TargetProgressResolvers, TargetResolvers } from '../generated/graphql';

export const Target: TargetResolvers = {
  id: (t) => String(t._id),
  organization: (t) => ({ id: String(t.organizationId) }),
  allocatedFrom: (t, _, { loaders }) => (t.parentTargetId ? loaders.targetById.load(String(t.parentTargetId)) : null),
  allocations: (t, _, { loaders }) => loaders.allocationsOf.load(String(t._id)),
  unallocated: (t) => Math.max(0, t.value - t.allocated),
  updatedAt: (t) => t.updatedAt ?? t.createdAt ?? new Date(0),
};

export const TargetProgress: TargetProgressResolvers = {};
