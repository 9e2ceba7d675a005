import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import { badInput, conflict, isDuplicateKey, notFound, toObjectId } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import type { EnrollmentDoc, TrainingClassDoc } from '../../models';
import { enrollInput, recordAttendanceInput, recordSessionAttendanceInput, registerStaffInput } from '../../inputs';
import {
  checkAssessable,
  checkAttendanceRecordable,
  checkAttendee,
  checkAudience,
  checkDates,
  checkEnrolledOn,
  checkEnrollment,
  checkStaffBranch,
  checkWithdrawal,
  personKey,
  seatOrWait,
} from '../../rules';
import { readable } from '../readable';
import { applyEvaluated, sessionsOf } from './completion';
import { ownBranch, pipeline, record, type TrainingChange } from './pipeline';

/** The seat-related fields of a class, as its audit entries show them. */
const seats = (c: Pick<TrainingClassDoc, 'enrollmentCount' | 'capacity' | 'waitingCount' | 'lastWaitSeq'>) => ({
  enrollmentCount: c.enrollmentCount,
  capacity: c.capacity,
  waitingCount: c.waitingCount ?? 0,
  lastWaitSeq: c.lastWaitSeq ?? 0,
});

/**
 * Moves a class's seats and waiting list (`$inc` of enrollmentCount, waitingCount, lastWaitSeq),
 * audited in the host's log. Every enrolment and withdrawal writes the class document in its
 * transaction: concurrent ones write-conflict and one retries, then sees the other's seat
 * (capacity), place on the waiting list and enrolment (no duplicate). No guard on the counts: a
 * guard that no longer matches would refuse instead of retrying.
 */
function moveSeats(
  change: TrainingChange,
  cls: TrainingClassDoc,
  by: { enrollmentCount?: number; waitingCount?: number; lastWaitSeq?: number },
) {
  const before = seats(cls);
  const after = {
    ...before,
    enrollmentCount: before.enrollmentCount + (by.enrollmentCount ?? 0),
    waitingCount: before.waitingCount + (by.waitingCount ?? 0),
    lastWaitSeq: before.lastWaitSeq + (by.lastWaitSeq ?? 0),
  };
  return change.update(change.ctx.models.TrainingClass, 'TrainingClass', cls, { $inc: by }, { auditAs: { before, after } });
}

/** A unique index refusing the same person twice (two requests at once): CONFLICT naming `field`, not an internal error. */
async function samePersonIsConflict<T>(field: string, message: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(message, field);
    throw err;
  }
}

/** Managers of the class's host branch (TRAINING_MANAGER or ADMIN over it): they take attendance and assessments. */
function requireOrganiser(change: TrainingChange, cls: TrainingClassDoc) {
  change.ctx.access.requireOver(cls.orgPath, `Training class ${String(cls._id)}`);
}

/** Enrolments of cadres into classes, the waiting list, withdrawal, attendance and assessment. */
export const enrollmentMutations: Pick<
  MutationResolvers,
  'enroll' | 'withdrawEnrollment' | 'recordAttendance' | 'recordSessionAttendance' | 'recordAssessment' | 'registerStaff'
> = {
  // A trainee who is not a member: a staff record of the branch, one per identity number.
  registerStaff: (_, { input }, ctx) =>
    samePersonIsConflict(
      'input.idNumber',
      'a staff record with this identity number already exists',
      pipeline.mutate(
        ctx,
        { action: 'registerStaff', roles: Roles.ENROLLERS, does: 'register staff', input: registerStaffInput, value: input },
        async (change, data) => {
          const branch = await ownBranch(ctx, data.organizationId, 'input.organizationId');
          const identity = ctx.vault.protect(data.idNumber, 'idNumber');
          const same = await ctx.models.Staff.exists({ 'identity.hash': identity.hash }).session(change.session);
          if (same) throw conflict('a staff record with this identity number already exists', 'input.idNumber');
          return change.create(ctx.models.Staff, 'StaffRecord', {
            name: data.name,
            organizationId: new Types.ObjectId(branch.id),
            orgPath: pathOf(branch).map((id) => new Types.ObjectId(id)),
            position: data.position ?? null,
            identity,
          });
        },
      ),
    ),

  // Cadres of the viewer's own subtree, into a class hosted in that subtree or by an ancestor
  // (the national HQ's classes train cadres from everywhere): STAFF, TRAINING_MANAGER, ADMIN.
  // A full class puts the trainee on its waiting list, at the next place.
  enroll: (_, { input }, ctx) =>
    samePersonIsConflict(
      'input.name',
      'this person is already enrolled in the class',
      pipeline.mutate(
        ctx,
        { action: 'enroll', roles: Roles.ENROLLERS, does: 'enrol cadres', input: enrollInput, value: input },
        async (change, data) => {
          const branch = await ownBranch(ctx, data.organizationId, 'input.organizationId');
          const found = await record(change, ctx.models.TrainingClass, 'TrainingClass', data.classId, 'input.classId');
          const cls = (await readable(ctx, found, `Training class ${data.classId}`))!;
          checkDates([{ field: 'input.enrolledOn', date: data.enrolledOn, branch }]);
          checkEnrolledOn(cls, data.enrolledOn);
          checkAudience(cls, branch.level);
          const organizationId = new Types.ObjectId(branch.id);
          if (data.staffId) {
            const staff = await record(change, ctx.models.Staff, 'StaffRecord', data.staffId, 'input.staffId');
            checkStaffBranch(staff, branch.id);
            if (staff.name !== data.name) throw badInput('input.name', `must be the staff record's name (${staff.name})`);
          }
          const activeKey = personKey({ ...data, organizationId });
          const enrolled = (await ctx.models.Enrollment.findOne({ classId: cls._id, activeKey })
            .session(change.session)
            .lean()) as EnrollmentDoc | null;
          checkEnrollment(cls, enrolled);
          const waiting = seatOrWait(cls) === 'WAIT';
          await moveSeats(change, cls, waiting ? { waitingCount: 1, lastWaitSeq: 1 } : { enrollmentCount: 1 });
          return change.create(ctx.models.Enrollment, 'Enrollment', {
            classId: cls._id,
            category: cls.category,
            classStartsOn: cls.startsOn,
            name: data.name,
            organizationId,
            orgPath: pathOf(branch).map((id) => new Types.ObjectId(id)),
            position: data.position,
            enrolledOn: data.enrolledOn,
            memberId: data.memberId ?? null,
            staffId: data.staffId ? new Types.ObjectId(data.staffId) : null,
            activeKey,
            waiting,
            waitSeq: waiting ? (cls.lastWaitSeq ?? 0) + 1 : null,
          });
        },
      ),
    ),

  // The host's managers, or whoever may enrol the trainee (ADMIN, STAFF, TRAINING_MANAGER of a
  // subtree containing the trainee's branch). A freed seat goes to the first on the waiting list.
  withdrawEnrollment: (_, { id, on }, ctx) =>
    pipeline.mutate(ctx, { action: 'withdrawEnrollment', roles: Roles.ENROLLERS, does: 'withdraw enrolments' }, async (change) => {
      const e = await record(change, ctx.models.Enrollment, 'Enrollment', id, 'id');
      const cls = await record(change, ctx.models.TrainingClass, 'TrainingClass', String(e.classId), 'id');
      const hostManager = Roles.TRAINING_MANAGERS.some((r) => ctx.viewer.roles.includes(r)) && ctx.access.covers(cls.orgPath);
      if (!hostManager) ctx.access.requireOver(e.orgPath, `Enrollment ${id}`);
      checkDates([{ field: 'on', date: on }]);
      checkWithdrawal(e, on);
      const after = await change.update(ctx.models.Enrollment, 'Enrollment', e, {
        // The person may enrol again once withdrawn: the key leaves the unique index.
        $set: { withdrawnOn: on, waiting: false, completedOn: null, completed: false, activeKey: null },
      });
      if (e.waiting) {
        await moveSeats(change, cls, { waitingCount: -1 });
        return after;
      }
      const first = (await ctx.models.Enrollment.findOne({ classId: cls._id, waiting: true, withdrawnOn: null })
        .sort({ waitSeq: 1 })
        .session(change.session)
        .lean()) as EnrollmentDoc | null;
      if (!first) {
        await moveSeats(change, cls, { enrollmentCount: -1 });
        return after;
      }
      // The seat passes to the first waiting trainee: the class's seats stay taken.
      await moveSeats(change, cls, { waitingCount: -1 });
      await change.update(ctx.models.Enrollment, 'Enrollment', first, { $set: { waiting: false, promotedOn: on } });
      return after;
    }),

  // Deprecated: typed totals and completion cannot be expressed as per-session records, so they
  // are refused; attendance is recorded per session (recordSessionAttendance).
  recordAttendance: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'recordAttendance', roles: Roles.TRAINING_MANAGERS, does: 'record attendance', input: recordAttendanceInput, value: input },
      async (change, data) => {
        const e = await record(change, ctx.models.Enrollment, 'Enrollment', data.enrollmentId, 'input.enrollmentId');
        const cls = await record(change, ctx.models.TrainingClass, 'TrainingClass', String(e.classId), 'input.enrollmentId');
        requireOrganiser(change, cls);
        const why = 'is derived from per-session attendance (recordSessionAttendance) and can no longer be typed';
        throw badInput([
          ...(data.completed ? [{ field: 'input.completed', message: why }] : []),
          { field: 'input.attendedHours', message: why },
        ]);
      },
    ),

  // The class's organiser takes the roll of one session that has taken place; each trainee's
  // totals and completion are derived again in the same transaction.
  recordSessionAttendance: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'recordSessionAttendance',
        roles: Roles.TRAINING_MANAGERS,
        does: 'record attendance',
        input: recordSessionAttendanceInput,
        value: input,
      },
      async (change, data) => {
        const target = await change.own(ctx.models.Session, 'TrainingSession', data.sessionId, 'input.sessionId');
        checkAttendanceRecordable(target, 'input.sessionId');
        const cls = await record(change, ctx.models.TrainingClass, 'TrainingClass', String(target.classId), 'input.sessionId');
        requireOrganiser(change, cls);
        const rows = (await ctx.models.Enrollment.find({ _id: { $in: data.records.map((r) => new Types.ObjectId(r.enrollmentId)) } })
          .session(change.session)
          .lean()) as EnrollmentDoc[];
        const byId = new Map(rows.map((r) => [String(r._id), r]));
        const sessions = await sessionsOf(change, cls._id);
        const written: EnrollmentDoc[] = [];
        for (const [i, r] of data.records.entries()) {
          const e = byId.get(r.enrollmentId.toLowerCase());
          if (!e) throw notFound('Enrollment', r.enrollmentId);
          checkAttendee(e, cls._id, `input.records.${i}.enrollmentId`);
          // The latest record of a session stands (a correction replaces it).
          const attendance = [
            ...(e.attendance ?? []).filter((a) => String(a.sessionId) !== String(target._id)),
            { sessionId: target._id, status: r.status },
          ];
          written.push(await applyEvaluated(change, e, cls, sessions, { attendance }));
        }
        return written;
      },
    ),

  // The organiser records whether the trainee passed the class's assessment (once it has started).
  recordAssessment: (_, { enrollmentId, passed }, ctx) =>
    pipeline.mutate(ctx, { action: 'recordAssessment', roles: Roles.TRAINING_MANAGERS, does: 'record assessments' }, async (change) => {
      toObjectId(enrollmentId, 'enrollmentId');
      const e = await record(change, ctx.models.Enrollment, 'Enrollment', enrollmentId, 'enrollmentId');
      const cls = await record(change, ctx.models.TrainingClass, 'TrainingClass', String(e.classId), 'enrollmentId');
      requireOrganiser(change, cls);
      checkAttendee(e, cls._id, 'enrollmentId');
      checkAssessable(cls, 'enrollmentId');
      return applyEvaluated(change, e, cls, await sessionsOf(change, cls._id), { assessmentPassed: passed });
    }),
};
