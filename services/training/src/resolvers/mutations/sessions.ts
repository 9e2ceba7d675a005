import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import type { MutationResolvers } from '../../generated/graphql';
import type { EnrollmentDoc, InstructorDoc, SessionDoc, TrainingClassDoc } from '../../models';
import { moveSessionInput, restaffSessionInput, updateTrainingClassInput } from '../../inputs';
import {
  checkClassEdit,
  checkDates,
  checkNotCancelled,
  checkSessionChangeable,
  checkSessionInClass,
  seatsFreed,
  sessionHours,
  sessionTotals,
  today,
} from '../../rules';
import { book } from './classes';
import { reevaluateClass, sessionsOf } from './completion';
import { pipeline, record, type TrainingChange } from './pipeline';

/** What changing one session touched: the session, the class's trainees and the session's instructors. */
export interface SessionChangeResult {
  session: SessionDoc;
  affectedTrainees: EnrollmentDoc[];
  affectedInstructors: InstructorDoc[];
}

/** The class's modules, instructors and hours again from its sessions not cancelled. */
async function refreshTotals(change: TrainingChange, cls: TrainingClassDoc): Promise<void> {
  const live = (await sessionsOf(change, cls._id)).filter((s) => !s.cancelledOn);
  const totals = sessionTotals(live.map((s) => ({ ...s, instructorIds: s.instructorIds.map(String) })));
  await change.ctx.models.TrainingClass.updateOne(
    { _id: cls._id },
    {
      $set: {
        moduleCodes: totals.moduleCodes,
        instructorIds: totals.instructorIds.map((i) => new Types.ObjectId(i)),
        totalHours: totals.totalHours,
      },
    },
    { session: change.session },
  );
}

/** The session to change, its class (organiser only: TRAINING_MANAGER or ADMIN over the host) and whether attendance was taken. */
async function changeableSession(change: TrainingChange, sessionId: string, field: string) {
  const { models } = change.ctx;
  const target = await change.own(models.Session, 'TrainingSession', sessionId, field);
  const cls = await record(change, models.TrainingClass, 'TrainingClass', String(target.classId), field);
  checkNotCancelled(cls, field);
  const taken = await models.Enrollment.exists({ classId: cls._id, 'attendance.sessionId': target._id }).session(change.session);
  checkSessionChangeable(target, !!taken, field);
  return { target, cls };
}

/** The class's trainees (seated and waiting) and the instructors named, for the result. */
async function affected(change: TrainingChange, cls: TrainingClassDoc, instructorIds: unknown[]) {
  const { models } = change.ctx;
  const [affectedTrainees, affectedInstructors] = await Promise.all([
    models.Enrollment.find({ classId: cls._id, withdrawnOn: null })
      .sort({ enrolledOn: 1, _id: 1 })
      .session(change.session)
      .lean() as Promise<EnrollmentDoc[]>,
    models.Instructor.find({ _id: { $in: [...new Set(instructorIds.map(String))].map((i) => new Types.ObjectId(i)) } })
      .sort({ name: 1 })
      .session(change.session)
      .lean() as Promise<InstructorDoc[]>,
  ]);
  return { affectedTrainees, affectedInstructors };
}

/** Editing a class, and cancelling, moving or re-staffing one of its sessions. */
export const sessionMutations: Pick<MutationResolvers, 'updateTrainingClass' | 'cancelSession' | 'moveSession' | 'restaffSession'> = {
  updateTrainingClass: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'updateTrainingClass',
        roles: Roles.TRAINING_MANAGERS,
        does: 'change training classes',
        input: updateTrainingClassInput,
        value: input,
      },
      async (change, data) => {
        const cls = await change.own(ctx.models.TrainingClass, 'TrainingClass', id);
        checkNotCancelled(cls, 'id');
        const next = {
          startsOn: data.startsOn ?? cls.startsOn,
          endsOn: data.endsOn ?? cls.endsOn,
          capacity: data.capacity ?? cls.capacity,
        };
        const host = await ctx.directory.get(String(cls.organizationId));
        checkDates([{ field: 'input.endsOn', date: next.endsOn, branch: host, future: true }]);
        checkClassEdit(next, cls.enrollmentCount, await sessionsOf(change, cls._id));
        const set: Record<string, unknown> = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== null));
        // A raised capacity seats the first trainees of the waiting list, in order.
        const promote = seatsFreed(next.capacity, cls.enrollmentCount, cls.waitingCount ?? 0);
        const after = await change.update(ctx.models.TrainingClass, 'TrainingClass', cls, {
          $set: set,
          ...(promote ? { $inc: { enrollmentCount: promote, waitingCount: -promote } } : {}),
        });
        if (promote) {
          const first = (await ctx.models.Enrollment.find({ classId: cls._id, waiting: true, withdrawnOn: null })
            .sort({ waitSeq: 1 })
            .limit(promote)
            .session(change.session)
            .lean()) as EnrollmentDoc[];
          for (const e of first)
            await change.update(ctx.models.Enrollment, 'Enrollment', e, { $set: { waiting: false, promotedOn: today() } });
        }
        if (data.startsOn) {
          await ctx.models.Enrollment.updateMany(
            { classId: cls._id },
            { $set: { classStartsOn: data.startsOn } },
            { session: change.session },
          );
        }
        // New criteria or a new last day: every trainee's completion is evaluated again.
        await reevaluateClass(change, after);
        return after;
      },
    ),

  cancelSession: (_, { sessionId, on }, ctx) =>
    pipeline.mutate(ctx, { action: 'cancelSession', roles: Roles.TRAINING_MANAGERS, does: 'cancel sessions' }, async (change) => {
      const { target, cls } = await changeableSession(change, sessionId, 'sessionId');
      checkDates([{ field: 'on', date: on, branch: await ctx.directory.get(String(cls.organizationId)) }]);
      const session = await change.update(ctx.models.Session, 'TrainingSession', target, { $set: { cancelledOn: on } });
      await refreshTotals(change, cls);
      // One session fewer to attend: shares and completions change.
      await reevaluateClass(change, cls);
      return { session, ...(await affected(change, cls, target.instructorIds)) };
    }),

  moveSession: (_, args, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'moveSession', roles: Roles.TRAINING_MANAGERS, does: 'move sessions', input: moveSessionInput, value: args, prefix: '' },
      async (change, data) => {
        const { target, cls } = await changeableSession(change, data.sessionId, 'sessionId');
        checkSessionInClass(data, cls, 'startsAt');
        // The same instructors at the new time: double-booking, qualification on the new day, status.
        const moved = {
          moduleCode: target.moduleCode,
          startsAt: data.startsAt,
          endsAt: data.endsAt,
          instructorIds: target.instructorIds.map(String),
        };
        await book(change, [{ data: moved, field: (j) => `instructorIds.${j}`, id: String(target._id) }]);
        const session = await change.update(ctx.models.Session, 'TrainingSession', target, {
          $set: { startsAt: data.startsAt, endsAt: data.endsAt, hours: sessionHours(data.startsAt, data.endsAt) },
        });
        await refreshTotals(change, cls);
        await reevaluateClass(change, cls);
        return { session, ...(await affected(change, cls, target.instructorIds)) };
      },
    ),

  restaffSession: (_, args, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'restaffSession',
        roles: Roles.TRAINING_MANAGERS,
        does: 're-staff sessions',
        input: restaffSessionInput,
        value: args,
        prefix: '',
      },
      async (change, data) => {
        const { target, cls } = await changeableSession(change, data.sessionId, 'sessionId');
        const staffed = {
          moduleCode: target.moduleCode,
          startsAt: target.startsAt,
          endsAt: target.endsAt,
          instructorIds: data.instructorIds,
        };
        await book(change, [{ data: staffed, field: (j) => `instructorIds.${j}`, id: String(target._id) }]);
        const instructorIds = data.instructorIds.map((i) => new Types.ObjectId(i));
        const session = await change.update(
          ctx.models.Session,
          'TrainingSession',
          target,
          { $set: { instructorIds } },
          { auditAs: { before: { instructorIds: target.instructorIds }, after: { instructorIds } } },
        );
        await refreshTotals(change, cls);
        // Affected: the instructors taken off and those put on.
        return { session, ...(await affected(change, cls, [...target.instructorIds, ...instructorIds])) };
      },
    ),
};
