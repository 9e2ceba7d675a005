import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import { forbidden, notFound, toObjectId } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import type { InstructorDoc, SessionDoc, TrainingClassDoc } from '../../models';
import { addSessionInput, createTrainingClassInput, rateInstructorInput } from '../../inputs';
import {
  checkAssignable,
  checkAssignments,
  checkDates,
  checkNotCancelled,
  checkSessionInClass,
  DEFAULT_MIN_ATTENDANCE,
  MAX_SESSION_MS,
  sessionHours,
  sessionTotals,
  withRating,
  type Assignment,
} from '../../rules';
import { reevaluateClass } from './completion';
import { checkModulesExist, ownBranch, pipeline, type TrainingChange } from './pipeline';

const oid = (id: string) => new Types.ObjectId(id);

interface SessionData {
  moduleCode: string;
  startsAt: Date;
  endsAt: Date;
  instructorIds: string[];
}
/** Sessions to book, with the input field naming each of their instructors (and the session's id once stored). */
export type Booking = { data: SessionData; field: (j: number) => string; id?: string };

/** The instructors named in the bookings, by id (lower case); an unknown one is NOT_FOUND. */
async function instructorsOf(change: TrainingChange, ids: string[]): Promise<Map<string, InstructorDoc>> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  const rows = (await change.ctx.models.Instructor.find({ _id: { $in: unique.map(oid) } })
    .session(change.session)
    .lean()) as InstructorDoc[];
  const map = new Map(rows.map((r) => [String(r._id), r]));
  const missing = unique.find((id) => !map.has(id));
  if (missing) throw notFound('Instructor', missing);
  return map;
}

/**
 * Books instructors on new or changed sessions: only instructors of pools the viewer may read (its
 * subtree's and its ancestors'), under the assignment rules (checkAssignments) against every booked
 * session of those instructors (one indexed query). Their scheduleRevision is bumped in the same
 * transaction, so that a concurrent booking of the same instructor write-conflicts and retries
 * (and then sees this one's session).
 */
export async function book(change: TrainingChange, bookings: Booking[]): Promise<void> {
  const ids = bookings.flatMap((b) => b.data.instructorIds);
  if (!ids.length) return;
  const { ctx, session } = change;
  const instructors = await instructorsOf(change, ids);
  const assignments: Assignment[] = bookings.flatMap((b) =>
    b.data.instructorIds.map((id, j) => ({
      field: b.field(j),
      instructorId: id.toLowerCase(),
      instructor: instructors.get(id.toLowerCase())!,
      session: { ...b.data, id: b.id },
    })),
  );
  const readable = await Promise.all(assignments.map((a) => ctx.access.coversOrAbove(instructors.get(a.instructorId)!.orgPath)));
  const outside = assignments.filter((_, i) => !readable[i]);
  if (outside.length) {
    throw forbidden(
      `${outside.map((o) => `${o.field}: instructor ${o.instructorId}`).join('; ')} is held by a pool outside your branch's subtree and its ancestors`,
    );
  }
  const earliest = Math.min(...bookings.map((b) => b.data.startsAt.getTime()));
  const latest = Math.max(...bookings.map((b) => b.data.endsAt.getTime()));
  const booked = (await ctx.models.Session.find({
    instructorIds: { $in: [...instructors.values()].map((i) => i._id) },
    startsAt: { $gt: new Date(earliest - MAX_SESSION_MS), $lt: new Date(latest) },
    cancelledOn: null,
  })
    .session(session)
    .lean()) as SessionDoc[];
  checkAssignments(
    assignments,
    booked.map((b) => ({ id: String(b._id), startsAt: b.startsAt, endsAt: b.endsAt, instructorIds: b.instructorIds.map(String) })),
  );
  await ctx.models.Instructor.updateMany(
    { _id: { $in: [...instructors.values()].map((i) => i._id) } },
    { $inc: { scheduleRevision: 1 } },
    { session },
  );
}

/** A session of `cls` as stored. */
const sessionOf = (cls: Pick<TrainingClassDoc, '_id' | 'orgPath'>, s: SessionData) => ({
  classId: cls._id,
  orgPath: cls.orgPath,
  moduleCode: s.moduleCode,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  hours: sessionHours(s.startsAt, s.endsAt),
  instructorIds: s.instructorIds.map(oid),
});

/** Classes and their sessions: creating, adding sessions and instructors, cancelling, rating. */
export const classMutations: Pick<
  MutationResolvers,
  'createTrainingClass' | 'addSession' | 'assignInstructor' | 'cancelTrainingClass' | 'rateInstructor'
> = {
  createTrainingClass: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'createTrainingClass',
        roles: Roles.TRAINING_MANAGERS,
        does: 'create training classes',
        input: createTrainingClassInput,
        value: input,
      },
      async (change, data) => {
        const host = await ownBranch(ctx, data.organizationId, 'input.organizationId');
        // A planned class may start in the future, but not after its host is dissolved.
        checkDates([{ field: 'input.endsOn', date: data.endsOn, branch: host, future: true }]);
        data.sessions.forEach((s, i) => checkSessionInClass(s, data, `input.sessions.${i}.startsAt`));
        const modules = data.sessions.map((s, i) => ({ code: s.moduleCode, field: `input.sessions.${i}.moduleCode` }));
        await checkModulesExist(ctx, modules, change.session);
        await book(
          change,
          data.sessions.map((s, i) => ({ data: s, field: (j) => `input.sessions.${i}.instructorIds.${j}` })),
        );
        const totals = sessionTotals(data.sessions);
        const [created] = await ctx.models.TrainingClass.create(
          [
            {
              title: data.title,
              category: data.category,
              organizationId: oid(host.id),
              orgPath: pathOf(host).map(oid),
              startsOn: data.startsOn,
              endsOn: data.endsOn,
              place: data.place,
              capacity: data.capacity,
              audienceLevel: data.audienceLevel ?? null,
              minAttendanceRate: data.minAttendanceRate ?? DEFAULT_MIN_ATTENDANCE,
              requiresAssessment: data.requiresAssessment ?? false,
              moduleCodes: totals.moduleCodes,
              instructorIds: totals.instructorIds.map(oid),
              totalHours: totals.totalHours,
              enrollmentCount: 0,
            },
          ],
          { session: change.session },
        );
        const cls = created.toObject() as TrainingClassDoc;
        const sessions = data.sessions.length
          ? await ctx.models.Session.insertMany(
              data.sessions.map((s) => sessionOf(cls, s)),
              { session: change.session },
            )
          : [];
        // One audit entry for the class with its sessions.
        await change.changed('TrainingClass', null, cls, { before: null, after: { ...cls, sessions: sessions.map((s) => s.toObject()) } });
        return cls;
      },
    ),

  addSession: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'addSession',
        roles: Roles.TRAINING_MANAGERS,
        does: 'add sessions to training classes',
        input: addSessionInput,
        value: input,
      },
      async (change, data) => {
        await checkModulesExist(ctx, [{ code: data.session.moduleCode, field: 'input.session.moduleCode' }], change.session);
        const cls = await change.own(ctx.models.TrainingClass, 'TrainingClass', data.classId, 'input.classId');
        checkNotCancelled(cls, 'input.classId');
        checkSessionInClass(data.session, cls, 'input.session.startsAt');
        await book(change, [{ data: data.session, field: (j) => `input.session.instructorIds.${j}` }]);
        const added = await change.create(ctx.models.Session, 'TrainingSession', sessionOf(cls, data.session));
        await ctx.models.TrainingClass.updateOne(
          { _id: cls._id },
          {
            $addToSet: { moduleCodes: added.moduleCode, instructorIds: { $each: added.instructorIds } },
            $inc: { totalHours: added.hours },
          },
          { session: change.session },
        );
        // One more session to attend: every trainee's share (and completion) changes with it.
        await reevaluateClass(change, cls);
        return added;
      },
    ),

  assignInstructor: (_, { sessionId, instructorId }, ctx) =>
    pipeline.mutate(ctx, { action: 'assignInstructor', roles: Roles.TRAINING_MANAGERS, does: 'assign instructors' }, async (change) => {
      toObjectId(sessionId, 'sessionId');
      const iid = toObjectId(instructorId, 'instructorId');
      const target = await change.own(ctx.models.Session, 'TrainingSession', sessionId, 'sessionId');
      checkAssignable(target, instructorId);
      const data = { moduleCode: target.moduleCode, startsAt: target.startsAt, endsAt: target.endsAt, instructorIds: [String(iid)] };
      await book(change, [{ data, field: () => 'instructorId', id: String(target._id) }]);
      const instructorIds = [...target.instructorIds, iid];
      const after = await change.update(
        ctx.models.Session,
        'TrainingSession',
        target,
        { $addToSet: { instructorIds: iid } },
        { auditAs: { before: { instructorIds: target.instructorIds }, after: { instructorIds } } },
      );
      await ctx.models.TrainingClass.updateOne({ _id: target.classId }, { $addToSet: { instructorIds: iid } }, { session: change.session });
      return after;
    }),

  cancelTrainingClass: (_, { id, on }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'cancelTrainingClass', roles: Roles.TRAINING_MANAGERS, does: 'cancel training classes' },
      async (change) => {
        const cls = await change.own(ctx.models.TrainingClass, 'TrainingClass', id);
        checkNotCancelled(cls, 'id');
        checkDates([{ field: 'on', date: on, branch: await ctx.directory.get(String(cls.organizationId)) }]);
        const after = await change.update(ctx.models.TrainingClass, 'TrainingClass', cls, { $set: { cancelledOn: on } });
        // The sessions no longer take their instructors' time.
        await ctx.models.Session.updateMany({ classId: cls._id }, { $set: { cancelledOn: on } }, { session: change.session });
        // A cancelled class completes nobody (and revokes any certificate it gave).
        await reevaluateClass(change, after);
        return after;
      },
    ),

  rateInstructor: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'rateInstructor', roles: Roles.TRAINING_MANAGERS, does: 'rate instructors', input: rateInstructorInput, value: input },
      async (change, data) => {
        const target = await change.own(ctx.models.Session, 'TrainingSession', data.sessionId, 'input.sessionId');
        const ratings = withRating(target, { instructorId: oid(data.instructorId), score: data.score, responses: data.responses });
        return change.update(
          ctx.models.Session,
          'TrainingSession',
          target,
          { $set: { ratings } },
          { auditAs: { before: { ratings: target.ratings }, after: { ratings } } },
        );
      },
    ),
};
