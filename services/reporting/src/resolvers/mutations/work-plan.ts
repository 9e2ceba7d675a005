import { Types } from 'mongoose';
import { badInput } from '@rcsc/service-kit';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import { actorOf } from '../../actor';
import type { TaskStatusDoc, WorkPlanTaskDoc } from '../../models';
import { findOne, pipeline, upsert } from '../../pipeline';
import { setTaskStatusInput, taskDates } from '../../rules';

const oid = (id: string) => new Types.ObjectId(id);

export const workPlanMutations: Pick<MutationResolvers, 'setTaskStatus'> = {
  // A branch's progress on a task of the work plan, by ADMIN or STAFF of the branch itself.
  setTaskStatus(_, { input }, ctx) {
    const rule = {
      action: 'setTaskStatus',
      roles: Roles.WRITERS,
      does: 'record its work plan progress',
      input: setTaskStatusInput,
      value: input,
    };
    return pipeline.mutate(ctx, rule, async (change, data) => {
      const branch = await ctx.access.branch(data.organizationId, 'input.organizationId');
      ctx.access.requireOwnBranch(branch, ['ADMIN', 'STAFF'], 'record its work plan progress');
      const { WorkPlanTask, TaskStatus } = ctx.models;
      const task = await findOne<WorkPlanTaskDoc>(change, WorkPlanTask, { year: data.year, number: data.taskNumber });
      if (!task) throw badInput('input.taskNumber', `there is no task ${data.taskNumber} in the ${data.year} work plan`);
      const now = ctx.now();
      const filter = { organizationId: oid(branch.id), taskId: task._id };
      const before = await findOne<TaskStatusDoc>(change, TaskStatus, filter);
      // A status moves on from what was recorded: the start and the note stay unless given anew.
      const startedOn = data.startedOn ?? (data.state === 'NOT_STARTED' ? null : (before?.startedOn ?? null));
      const dates = taskDates(data.state, startedOn, data.completedOn, now);
      const by = actorOf(ctx.viewer);
      const note = data.note !== undefined ? data.note : (before?.note ?? null);
      const update = {
        $set: {
          orgPath: pathOf(branch).map(oid),
          parentId: branch.parentId ? oid(branch.parentId) : null,
          year: task.year,
          taskNumber: task.number,
          state: data.state,
          ...dates,
          note,
          updatedBy: by,
        },
        $push: { history: { state: data.state, at: now, by, note } },
      };
      const status = await upsert(change, TaskStatus, 'TaskStatus', before, filter, update);
      return { task, organizationId: branch.id, status };
    });
  },
};
