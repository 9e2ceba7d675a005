import type { TaskProgressResolvers, WorkPlanTaskResolvers } from '../generated/graphql';

export const WorkPlanTask: WorkPlanTaskResolvers = {
  id: (t) => String(t._id),
};

export const TaskProgress: TaskProgressResolvers = {
  organization: (p) => ({ id: p.organizationId }),
  state: (p) => p.status?.state ?? 'NOT_STARTED',
  startedOn: (p) => p.status?.startedOn ?? null,
  completedOn: (p) => p.status?.completedOn ?? null,
  note: (p) => p.status?.note ?? null,
  updatedAt: (p) => p.status?.updatedAt ?? null,
  updatedBy: (p) => p.status?.updatedBy ?? null,
};
