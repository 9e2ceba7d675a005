import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import type { EnrollmentDoc, TrainingClassDoc } from '../../models';
import { enrollInput, recordAttendanceInput } from '../../inputs';
import { attendance, checkAudience, checkDates, checkEnrolledOn, checkEnrollment, checkWithdrawal } from '../../rules';
import { readable } from '../readable';
import { ownBranch, pipeline, record, type TrainingChange } from './pipeline';

/** The enrolment-related fields of a class, as its audit entries show them. */
const seats = (c: Pick<TrainingClassDoc, 'enrollmentCount' | 'capacity'>) => ({ enrollmentCount: c.enrollmentCount, capacity: c.capacity });

/**
 * Takes (+1) or frees (-1) a seat of `cls`, audited in the host's log. Every enrolment and
 * withdrawal writes the class document in its transaction: concurrent ones write-conflict and one
 * retries, then sees the other's seat (capacity) and enrolment (no duplicate). No guard on the
 * count: a guard that no longer matches would refuse instead of retrying.
 */
function moveSeats(change: TrainingChange, cls: TrainingClassDoc, by: 1 | -1) {
  const after = { ...seats(cls), enrollmentCount: cls.enrollmentCount + by };
  return change.update(
    change.ctx.models.TrainingClass,
    'TrainingClass',
    cls,
    { $inc: { enrollmentCount: by } },
    { auditAs: { before: seats(cls), after } },
  );
}

/** Enrolments of cadres into classes, their withdrawal, attendance and completion. */
export const enrollmentMutations: Pick<MutationResolvers, 'enroll' | 'withdrawEnrollment' | 'recordAttendance'> = {
  // Cadres of the viewer's own subtree, into a class hosted in that subtree or by an ancestor
  // (the national HQ's classes train cadres from everywhere): STAFF, TRAINING_MANAGER, ADMIN.
  enroll: (_, { input }, ctx) =>
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
        const enrolled = (await ctx.models.Enrollment.findOne({ classId: cls._id, organizationId, name: data.name, withdrawnOn: null })
          .session(change.session)
          .lean()) as EnrollmentDoc | null;
        checkEnrollment(cls, enrolled);
        await moveSeats(change, cls, 1);
        return change.create(ctx.models.Enrollment, 'Enrollment', {
          classId: cls._id,
          category: cls.category,
          classStartsOn: cls.startsOn,
          name: data.name,
          organizationId,
          orgPath: pathOf(branch).map((id) => new Types.ObjectId(id)),
          position: data.position,
          enrolledOn: data.enrolledOn,
        });
      },
    ),

  // The host's managers, or whoever may enrol the trainee (ADMIN, STAFF, TRAINING_MANAGER of a
  // subtree containing the trainee's branch).
  withdrawEnrollment: (_, { id, on }, ctx) =>
    pipeline.mutate(ctx, { action: 'withdrawEnrollment', roles: Roles.ENROLLERS, does: 'withdraw enrolments' }, async (change) => {
      const e = await record(change, ctx.models.Enrollment, 'Enrollment', id, 'id');
      const cls = await record(change, ctx.models.TrainingClass, 'TrainingClass', String(e.classId), 'id');
      const hostManager = Roles.TRAINING_MANAGERS.some((r) => ctx.viewer.roles.includes(r)) && ctx.access.covers(cls.orgPath);
      if (!hostManager) ctx.access.requireOver(e.orgPath, `Enrollment ${id}`);
      checkDates([{ field: 'on', date: on }]);
      checkWithdrawal(e, on);
      const after = await change.update(ctx.models.Enrollment, 'Enrollment', e, { $set: { withdrawnOn: on } });
      await moveSeats(change, cls, -1);
      return after;
    }),

  // The host's managers record attendance; the entry is filed under the trainee's branch.
  recordAttendance: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'recordAttendance', roles: Roles.TRAINING_MANAGERS, does: 'record attendance', input: recordAttendanceInput, value: input },
      async (change, data) => {
        const e = await record(change, ctx.models.Enrollment, 'Enrollment', data.enrollmentId, 'input.enrollmentId');
        const cls = await record(change, ctx.models.TrainingClass, 'TrainingClass', String(e.classId), 'input.enrollmentId');
        ctx.access.requireOver(cls.orgPath, `Training class ${String(cls._id)}`);
        const set = attendance(e, cls, data);
        const before = { attendedHours: e.attendedHours, completed: e.completed, completedOn: e.completedOn };
        return change.update(ctx.models.Enrollment, 'Enrollment', e, { $set: set }, { auditAs: { before, after: set } });
      },
    ),
};
