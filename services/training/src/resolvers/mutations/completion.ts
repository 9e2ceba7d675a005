import type { Types } from 'mongoose';
import type { EnrollmentDoc, SessionDoc, TrainingClassDoc } from '../../models';
import { attendanceTotals, completionDate, DEFAULT_MIN_ATTENDANCE, today, type CompletionCriteria } from '../../rules';
import type { TrainingChange } from './pipeline';

/** A class's completion criteria (classes stored before criteria existed get the defaults). */
export const criteriaOf = (
  cls: Pick<TrainingClassDoc, 'minAttendanceRate' | 'requiresAssessment' | 'endsOn'> & { cancelledOn?: Date | null },
): CompletionCriteria => ({
  minAttendanceRate: cls.minAttendanceRate ?? DEFAULT_MIN_ATTENDANCE,
  requiresAssessment: !!cls.requiresAssessment,
  endsOn: cls.endsOn,
  cancelled: !!cls.cancelledOn,
});

/** Every session of a class (cancelled ones too: rules leave them out), read in the change's transaction. */
export const sessionsOf = (change: TrainingChange, classId: Types.ObjectId) =>
  change.ctx.models.Session.find({ classId }).session(change.session).lean() as Promise<SessionDoc[]>;

type Patch = Partial<Pick<EnrollmentDoc, 'attendance' | 'assessmentPassed' | 'waiting' | 'promotedOn' | 'withdrawnOn'>>;
const derivedFields = (e: Pick<EnrollmentDoc, 'attendedSessions' | 'attendedHours' | 'completedOn'>) => ({
  attendedSessions: e.attendedSessions ?? 0,
  attendedHours: e.attendedHours ?? 0,
  completedOn: e.completedOn ?? null,
});

/** The enrolment's derived totals and completion after `patch` (never typed: always from the records). */
export function evaluated(e: EnrollmentDoc, cls: TrainingClassDoc, sessions: SessionDoc[], patch: Patch = {}) {
  const next = { ...e, ...patch };
  const totals = attendanceTotals(next.attendance ?? [], sessions);
  const completedOn = completionDate(next, totals, criteriaOf(cls));
  return { attendedSessions: totals.attendedSessions, attendedHours: totals.attendedHours, completedOn, completed: !!completedOn };
}

/** Writes `patch` and the totals and completion it leads to, audited with what changed. */
export async function applyEvaluated(
  change: TrainingChange,
  e: EnrollmentDoc,
  cls: TrainingClassDoc,
  sessions: SessionDoc[],
  patch: Patch = {},
) {
  const set = { ...patch, ...evaluated(e, cls, sessions, patch) };
  // A completion that no longer holds takes its certificate with it (kept, dated).
  if (e.completedOn && !set.completedOn) {
    await change.ctx.models.Certificate.updateOne(
      { enrollmentId: e._id, revokedOn: null },
      { $set: { revokedOn: today() } },
      { session: change.session },
    );
  }
  const before = { ...derivedFields(e), ...Object.fromEntries(Object.keys(patch).map((k) => [k, e[k as keyof EnrollmentDoc] ?? null])) };
  return change.update(change.ctx.models.Enrollment, 'Enrollment', e, { $set: set }, { auditAs: { before, after: set } });
}

/**
 * After a change to a class's sessions or criteria (a session added, cancelled or moved; new
 * criteria): every seated enrolment's totals and completion evaluated again, in the same
 * transaction; only those that change are written (and audited).
 */
export async function reevaluateClass(change: TrainingChange, cls: TrainingClassDoc): Promise<number> {
  const sessions = await sessionsOf(change, cls._id);
  const seated = (await change.ctx.models.Enrollment.find({ classId: cls._id, withdrawnOn: null, waiting: { $ne: true } })
    .session(change.session)
    .lean()) as EnrollmentDoc[];
  let changed = 0;
  for (const e of seated) {
    const next = evaluated(e, cls, sessions);
    const was = derivedFields(e);
    if (
      next.attendedSessions !== was.attendedSessions ||
      next.attendedHours !== was.attendedHours ||
      String(next.completedOn) !== String(was.completedOn)
    ) {
      await applyEvaluated(change, e, cls, sessions);
      changed += 1;
    }
  }
  return changed;
}
