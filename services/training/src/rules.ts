import { GraphQLError } from 'graphql';
import { badInput, conflict, ErrorCode, formatDate, type FieldProblem, today } from '@rcsc/service-kit';
import type { EnrollmentDoc, InstructorDoc, QualificationDoc, SessionDoc, SyllabusModuleDoc, TrainingClassDoc } from './models';

/*
 * Error policy (see README): input that is wrong in itself (malformed values, unknown ids or module
 * codes, a session outside its class's days) is BAD_USER_INPUT; well-formed input that clashes
 * with what is recorded (the five scheduling and seat rules: overlapping sessions, a module outside the
 * instructor's topics, an expired qualification, a full class, an instructor not ACTIVE) is
 * CONFLICT. Both name every offending input field in `extensions.fields`. Every check here is a
 * pure function of the records the mutation loaded (in its transaction), tested without a database.
 */

export const DAY_MS = 86_400_000;
/** Sessions are at most 12 hours long: overlap checks look back that far, through an index. */
export const MAX_SESSION_HOURS = 12;
export const MAX_SESSION_MS = MAX_SESSION_HOURS * 3_600_000;
/** Classes last at most 90 days. */
export const MAX_CLASS_DAYS = 90;
/** China Standard Time (UTC+8): a session's day is its day in Beijing. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Today in China (service-kit: facts are dated by the day in Beijing). */
export { today };
export const startOfYear = (year: number) => new Date(Date.UTC(year, 0, 1));
export const endOfYear = (year: number) => new Date(Date.UTC(year, 11, 31));
export const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);

/** A branch's life as the directory knows it (YYYY-MM-DD): no fact of the branch before it was established or from its dissolution. */
export interface BranchLife {
  name: string;
  establishedOn?: string | null;
  dissolvedOn?: string | null;
}

/** One dated fact of an input: its field, its day, the branch it belongs to, and whether it may be planned ahead. */
export interface DatedInput {
  field: string;
  date: Date;
  branch?: BranchLife | null;
  /** Planned classes and sessions may lie in the future; facts that happened (enrolled, joined, withdrew) may not. */
  future?: boolean;
}

/**
 * The one date rule of this service (issue 16): a fact is dated on a day that has come (planned
 * classes and sessions excepted) and within its branch's life (from its establishment, where the
 * directory knows it, to before its dissolution).
 */
export function dateProblems(dates: DatedInput[], now: Date = today()): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const d of dates) {
    if (!d.future && d.date > now) {
      problems.push({ field: d.field, message: `must not be in the future (today is ${formatDate(now)})` });
    } else if (d.branch?.establishedOn && formatDate(d.date) < d.branch.establishedOn) {
      problems.push({ field: d.field, message: `must not be before ${d.branch.name} was established (${d.branch.establishedOn})` });
    } else if (d.branch?.dissolvedOn && formatDate(d.date) >= d.branch.dissolvedOn) {
      problems.push({ field: d.field, message: `must be before ${d.branch.name} was dissolved (${d.branch.dissolvedOn})` });
    }
  }
  return problems;
}

/** dateProblems as one BAD_USER_INPUT naming every offending field. */
export function checkDates(dates: DatedInput[], now: Date = today()): void {
  const problems = dateProblems(dates, now);
  if (problems.length) throw badInput(problems);
}

/** Pools are national, provincial or prefecture (师资库 tiers); a county holds none. */
export const POOL_TIERS = ['NATIONAL', 'PROVINCIAL', 'PREFECTURE'] as const;
export function checkPoolTier(level: string, field = 'input.organizationId'): void {
  if (!(POOL_TIERS as readonly string[]).includes(level)) {
    throw badInput(field, `instructor pools are held by national, provincial or prefecture branches, not by a ${level} branch`);
  }
}

/** A class restricted to one level takes cadres of branches of that level only. */
export function checkAudience(
  cls: Pick<TrainingClassDoc, 'title' | 'audienceLevel'>,
  traineeLevel: string,
  field = 'input.organizationId',
): void {
  if (cls.audienceLevel && cls.audienceLevel !== traineeLevel) {
    throw conflicts([{ field, message: `${cls.title} is for ${cls.audienceLevel} cadres, not ${traineeLevel} ones` }]);
  }
}

/** An enrolment is dated not after its class's last day (dates are otherwise checkDates'). */
export function checkEnrolledOn(cls: Pick<TrainingClassDoc, 'endsOn'>, enrolledOn: Date, field = 'input.enrolledOn'): void {
  if (enrolledOn > cls.endsOn) throw badInput(field, `must not be after the class's last day (${formatDate(cls.endsOn)})`);
}

/** The calendar day (UTC midnight) on which an instant falls in Beijing: service-kit's today of that instant. */
export function beijingDay(instant: Date): Date {
  return today(instant);
}

/** The instants a range of calendar days covers in Beijing: [from 00:00 CST, day after `to` 00:00 CST). */
export function beijingRange(from: Date, to: Date): { start: Date; end: Date } {
  return { start: new Date(from.getTime() - BEIJING_OFFSET_MS), end: new Date(addDays(to, 1).getTime() - BEIJING_OFFSET_MS) };
}

/** Class hours of a session: its length in hours, to the half hour. */
export function sessionHours(startsAt: Date, endsAt: Date): number {
  return Math.round(((endsAt.getTime() - startsAt.getTime()) / 3_600_000) * 2) / 2;
}

export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

/** Two sessions overlap if each starts before the other ends (back-to-back sessions do not). */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}

/** A CONFLICT naming every offending field (the one closed set of codes; see errors in service-kit). */
export function conflicts(problems: FieldProblem[]): GraphQLError {
  return new GraphQLError(`Conflict: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
    extensions: { code: ErrorCode.CONFLICT, fields: problems },
  });
}

type TeacherFacts = Pick<InstructorDoc, 'name' | 'status' | 'topics' | 'qualifications'> & {
  unavailable?: { from: Date; to: Date; reason?: string | null; removedOn?: Date | null }[];
};

/**
 * Why an instructor cannot teach `moduleCode` on `day`, or null if they can: they must be ACTIVE,
 * have the module among their topics, and hold a qualification for it valid that day.
 */
export function cannotTeach(instructor: TeacherFacts, moduleCode: string, day: Date): string | null {
  if (instructor.status !== 'ACTIVE') return `${instructor.name} is ${instructor.status} and cannot be assigned`;
  if (!instructor.topics.includes(moduleCode))
    return `${moduleCode} is not among ${instructor.name}'s topics (${instructor.topics.join(', ') || 'none'})`;
  const quals = instructor.qualifications.filter((q) => q.moduleCode === moduleCode);
  if (!quals.some((q) => q.issuedOn <= day && q.expiresOn >= day)) {
    const latest = quals.sort((a, b) => b.expiresOn.getTime() - a.expiresOn.getTime())[0];
    return latest
      ? latest.issuedOn > day
        ? `${instructor.name}'s qualification for ${moduleCode} is only valid from ${formatDate(latest.issuedOn)}`
        : `${instructor.name}'s qualification for ${moduleCode} expired on ${formatDate(latest.expiresOn)}`
      : `${instructor.name} holds no qualification for ${moduleCode}`;
  }
  return null;
}

/** One instructor put on one session (new or existing), with the input field that asked for it. */
export interface Assignment {
  field: string;
  instructorId: string;
  instructor: TeacherFacts;
  session: Interval & { moduleCode: string; id?: string };
}

interface BookedSession extends Interval {
  id: string;
  instructorIds: string[];
}

/**
 * The five assignment rules at once over a batch of assignments (a new class's sessions, one added
 * session or one added instructor): each instructor must be able to teach the module that day, and
 * must not have another session overlapping (already booked, or earlier in the same batch).
 * Throws one CONFLICT naming every offending field.
 */
export function checkAssignments(assignments: Assignment[], booked: BookedSession[]): void {
  const problems: FieldProblem[] = [];
  const accepted: { instructorId: string; session: Interval }[] = [];
  for (const a of assignments) {
    const reason =
      cannotTeach(a.instructor, a.session.moduleCode, beijingDay(a.session.startsAt)) ?? unavailableFor(a.instructor, a.session);
    if (reason) {
      problems.push({ field: a.field, message: reason });
      continue;
    }
    const clash =
      booked.find((b) => b.id !== a.session.id && b.instructorIds.includes(a.instructorId) && overlaps(b, a.session)) ??
      accepted.find((b) => b.instructorId === a.instructorId && overlaps(b.session, a.session))?.session;
    if (clash) {
      problems.push({
        field: a.field,
        message: `${a.instructor.name} already teaches a session from ${clash.startsAt.toISOString()} to ${clash.endsAt.toISOString()}`,
      });
      continue;
    }
    accepted.push({ instructorId: a.instructorId, session: a.session });
  }
  if (problems.length) throw conflicts(problems);
}

/** A session must fall within its class's days (in Beijing). */
export function checkSessionInClass(session: Interval, cls: { startsOn: Date; endsOn: Date }, field: string): void {
  const first = beijingDay(session.startsAt);
  const last = beijingDay(new Date(session.endsAt.getTime() - 1));
  if (first < cls.startsOn || last > cls.endsOn) {
    throw badInput(field, `must fall within the class's days (${formatDate(cls.startsOn)} to ${formatDate(cls.endsOn)})`);
  }
}

/** A status may change only forward in time, and a retired instructor stays retired. */
export function checkStatusChange(current: { status: string; statusSince: Date }, next: string, since: Date): void {
  if (current.status === 'RETIRED') throw conflicts([{ field: 'status', message: 'a retired instructor cannot change status' }]);
  if (since < current.statusSince)
    throw badInput('since', `must not be before the current status's date (${formatDate(current.statusSince)})`);
  if (next === current.status) throw badInput('status', `is already ${next}`);
}

/** A cancelled class takes no new session, instructor or enrolment. */
export function checkNotCancelled(cls: Pick<TrainingClassDoc, 'title' | 'cancelledOn'>, field: string): void {
  if (cls.cancelledOn) throw conflicts([{ field, message: `${cls.title} was cancelled` }]);
}

/** A new version of a module takes effect after the latest one (`previous`, null for the first). */
export function checkNewVersion(previous: Pick<SyllabusModuleDoc, 'version' | 'effectiveFrom'> | null, effectiveFrom: Date): void {
  if (previous && effectiveFrom <= previous.effectiveFrom) {
    throw badInput('input.effectiveFrom', `must be after version ${previous.version}'s effective date`);
  }
}

/** The same phone number twice in one branch's pool is a duplicate person (`other`: the pool's instructor with that phone). */
export function checkUniquePhone(other: unknown): void {
  if (other) throw conflict('an instructor with this phone number is already in this pool', 'input.phone');
}

export const UNCOVERED = 'must be one of the topics';
/** Every qualification covers one of the instructor's topics: the positions of those that do not. */
export function uncoveredQualifications(topics: readonly string[], qualifications: readonly { moduleCode: string }[]): number[] {
  return qualifications.flatMap((q, i) => (topics.includes(q.moduleCode) ? [] : [i]));
}

/**
 * An instructor's topics and qualifications after an update: given topics without qualifications
 * keep the qualifications of the topics that remain; every qualification given must cover a topic.
 */
export function nextQualifications(
  current: Pick<InstructorDoc, 'topics' | 'qualifications'>,
  change: { topics?: string[]; qualifications?: QualificationDoc[] },
): { topics: string[]; qualifications: QualificationDoc[] } {
  const topics = change.topics ?? current.topics;
  const orphan = uncoveredQualifications(topics, change.qualifications ?? []);
  if (orphan.length) throw badInput(orphan.map((i) => ({ field: `input.qualifications.${i}.moduleCode`, message: UNCOVERED })));
  return { topics, qualifications: change.qualifications ?? current.qualifications.filter((q) => topics.includes(q.moduleCode)) };
}

/** What a class keeps with its sessions: distinct modules and instructors, and its hours. */
export function sessionTotals(sessions: { moduleCode: string; startsAt: Date; endsAt: Date; instructorIds: string[] }[]) {
  return {
    moduleCodes: [...new Set(sessions.map((s) => s.moduleCode))],
    instructorIds: [...new Set(sessions.flatMap((s) => s.instructorIds.map((i) => i.toLowerCase())))],
    totalHours: sessions.reduce((sum, s) => sum + sessionHours(s.startsAt, s.endsAt), 0),
  };
}

/** One more instructor on a session: not on a cancelled class's session, and not twice. */
export function checkAssignable(session: Pick<SessionDoc, 'cancelledOn' | 'instructorIds'>, instructorId: string): void {
  if (session.cancelledOn) throw conflicts([{ field: 'sessionId', message: 'the session was cancelled with its class' }]);
  if (session.instructorIds.some((i) => String(i) === instructorId.toLowerCase())) {
    throw conflicts([{ field: 'instructorId', message: 'already teaches this session' }]);
  }
}

/**
 * A cadre may join a class that is not cancelled, and where the same name from the same branch is
 * not already enrolled or waiting (`enrolled`: that enrolment, not withdrawn, or null). A full
 * class is not refused: the cadre waits (seatOrWait).
 */
export function checkEnrollment(
  cls: Pick<TrainingClassDoc, 'title' | 'cancelledOn'>,
  enrolled: (Pick<EnrollmentDoc, 'name'> & { waiting?: boolean | null }) | null,
): void {
  checkNotCancelled(cls, 'input.classId');
  if (enrolled) {
    throw conflicts([
      {
        field: 'input.name',
        message: `${enrolled.name} of this branch is already ${enrolled.waiting ? 'on the waiting list' : 'enrolled'}`,
      },
    ]);
  }
}

/** A seat while the class has a free one, else the next place on its waiting list. */
export function seatOrWait(cls: Pick<TrainingClassDoc, 'capacity' | 'enrollmentCount'>): 'SEAT' | 'WAIT' {
  return cls.enrollmentCount < cls.capacity ? 'SEAT' : 'WAIT';
}

/** An enrolment is withdrawn once, not after completion, and not before it was made. */
export function checkWithdrawal(e: Pick<EnrollmentDoc, 'withdrawnOn' | 'completedOn' | 'enrolledOn'>, on: Date, now: Date = today()): void {
  if (e.withdrawnOn) throw conflicts([{ field: 'id', message: 'already withdrawn' }]);
  if (isCompleted(e.completedOn, now)) throw conflicts([{ field: 'id', message: 'has completed the class' }]);
  if (on < e.enrolledOn) throw badInput('on', 'must not be before the enrolment date');
}

/** An assessment is recorded once the class has started, and not for a cancelled class. */
export function checkAssessable(
  cls: Pick<TrainingClassDoc, 'title' | 'cancelledOn' | 'startsOn'>,
  field: string,
  now: Date = today(),
): void {
  checkNotCancelled(cls, field);
  if (cls.startsOn > now) throw conflicts([{ field, message: `${cls.title} has not started (it starts on ${formatDate(cls.startsOn)})` }]);
}

type Rating = SessionDoc['ratings'][number];

/** A session's ratings with `rating` for one of its instructors (replacing that instructor's earlier one). */
export function withRating(session: Pick<SessionDoc, 'instructorIds' | 'ratings'>, rating: Rating): Rating[] {
  const id = String(rating.instructorId);
  if (!session.instructorIds.some((i) => String(i) === id)) {
    throw conflicts([{ field: 'input.instructorId', message: 'does not teach this session' }]);
  }
  return [...session.ratings.filter((r) => String(r.instructorId) !== id), rating];
}

/** A clean 0..1 attendance rate. */
export function attendanceRate(attendedHours: number, totalHours: number): number {
  return totalHours > 0 ? Math.min(1, Math.round((attendedHours / totalHours) * 1000) / 1000) : 0;
}

/** The version of a module in force on `date`: effective by then and not yet superseded (else the first version). */
export function versionInForce<T extends { effectiveFrom: Date; supersededOn: Date | null }>(versions: T[], date: Date): T | null {
  return versions.find((v) => v.effectiveFrom <= date && (!v.supersededOn || v.supersededOn > date)) ?? versions[0] ?? null;
}

/* ---------- Per-session attendance and completion (issue 20, items 1-2) ---------- */

/** Attendance statuses that count a session as attended (an excused absence is still an absence). */
export const ATTENDED_STATUSES: readonly string[] = ['PRESENT', 'LATE'];
/** Default completion threshold: share of the class's sessions (not cancelled) attended. */
export const DEFAULT_MIN_ATTENDANCE = 0.8;

/** What completing a class takes (its criteria, set with the class). */
export interface CompletionCriteria {
  /** Share of the class's sessions (not cancelled) to attend, 0 < x ≤ 1. */
  minAttendanceRate: number;
  /** Whether a passed assessment is also required. */
  requiresAssessment: boolean;
  /** The class's last day: completion is dated on it and counts once it has passed. */
  endsOn: Date;
  /** A cancelled class completes nobody. */
  cancelled?: boolean;
}

interface HeldSession {
  _id: unknown;
  hours: number;
  cancelledOn: Date | null;
}

/** An enrolment's totals, derived from its per-session records over the class's sessions (not cancelled). */
export function attendanceTotals(records: readonly { sessionId: unknown; status: string }[], sessions: readonly HeldSession[]) {
  const live = new Map(sessions.filter((s) => !s.cancelledOn).map((s) => [String(s._id), s]));
  let attendedSessions = 0;
  let attendedHours = 0;
  for (const r of records) {
    const s = live.get(String(r.sessionId));
    if (s && ATTENDED_STATUSES.includes(r.status)) {
      attendedSessions += 1;
      attendedHours += s.hours;
    }
  }
  return { sessions: live.size, attendedSessions, attendedHours };
}

/**
 * The day an enrolment's completion is dated on (the class's last day), or null when the criteria
 * are not met: seated (not withdrawn, not waiting), at least `minAttendanceRate` of the class's
 * sessions attended, and the assessment passed when the class requires one. Completion counts
 * (`isCompleted`) only once that day has passed: the class must have ended.
 */
export function completionDate(
  e: { withdrawnOn: Date | null; waiting?: boolean | null; assessmentPassed?: boolean | null },
  totals: { sessions: number; attendedSessions: number },
  criteria: CompletionCriteria,
): Date | null {
  if (criteria.cancelled || e.withdrawnOn || e.waiting || totals.sessions === 0) return null;
  // Compared in whole sessions so that 4 of 5 meets 0.8 whatever the float rounding.
  if (totals.attendedSessions < Math.ceil(criteria.minAttendanceRate * totals.sessions - 1e-9)) return null;
  if (criteria.requiresAssessment && !e.assessmentPassed) return null;
  return criteria.endsOn;
}

/** Completed (结业) on `now`: the criteria were met and the class's last day has passed. */
export function isCompleted(completedOn: Date | null | undefined, now: Date = today()): boolean {
  return !!completedOn && completedOn < now;
}

/** Attendance is recorded for sessions that have taken place, and not for a cancelled one. */
export function checkAttendanceRecordable(
  session: Pick<SessionDoc, 'endsAt' | 'cancelledOn'>,
  field: string,
  now: Date = new Date(),
): void {
  if (session.cancelledOn) throw conflicts([{ field, message: 'the session was cancelled' }]);
  if (session.endsAt > now) {
    throw conflicts([{ field, message: `the session has not taken place yet (it ends at ${session.endsAt.toISOString()})` }]);
  }
}

/** A record of attendance is for a seated trainee of the session's class. */
export function checkAttendee(
  e: Pick<EnrollmentDoc, 'classId' | 'withdrawnOn'> & { waiting?: boolean | null },
  classId: unknown,
  field: string,
): void {
  if (String(e.classId) !== String(classId)) throw badInput(field, 'is not an enrolment of the session’s class');
  if (e.withdrawnOn) throw conflicts([{ field, message: 'the enrolment was withdrawn' }]);
  if (e.waiting) throw conflicts([{ field, message: 'the trainee is on the waiting list, not in the class' }]);
}

/* ---------- Editing a class and one of its sessions (issue 20, item 4) ---------- */

/** A class's new dates and seats must still hold its sessions and its seated trainees. */
export function checkClassEdit(
  next: { startsOn: Date; endsOn: Date; capacity: number },
  seated: number,
  sessions: readonly (Interval & { cancelledOn: Date | null })[],
): void {
  const problems: FieldProblem[] = [];
  if (next.endsOn < next.startsOn) problems.push({ field: 'input.endsOn', message: 'must not be before startsOn' });
  else if (next.endsOn.getTime() - next.startsOn.getTime() >= MAX_CLASS_DAYS * DAY_MS) {
    problems.push({ field: 'input.endsOn', message: `a class lasts at most ${MAX_CLASS_DAYS} days` });
  }
  if (problems.length) throw badInput(problems);
  for (const s of sessions.filter((x) => !x.cancelledOn)) checkSessionInClass(s, next, 'input.startsOn');
  if (next.capacity < seated) {
    throw conflicts([{ field: 'input.capacity', message: `${seated} trainees are seated; withdraw some before lowering the capacity` }]);
  }
}

/** How many waiting trainees a raised capacity seats. */
export function seatsFreed(capacity: number, seated: number, waiting: number): number {
  return Math.max(0, Math.min(waiting, capacity - seated));
}

/** One session is cancelled, moved or re-staffed only while it has no attendance and is not cancelled. */
export function checkSessionChangeable(session: Pick<SessionDoc, 'cancelledOn'>, hasAttendance: boolean, field = 'sessionId'): void {
  if (session.cancelledOn) throw conflicts([{ field, message: 'the session was cancelled' }]);
  if (hasAttendance) throw conflicts([{ field, message: 'the session has attendance recorded; it took place as recorded' }]);
}

/* ---------- Instructor availability (issue 20, item 5) ---------- */

/** Unavailable periods last at most a year, so "unavailable during these days" is a bounded index range. */
export const MAX_UNAVAILABLE_DAYS = 366;

/** A declared period: `to` not before `from`, at most MAX_UNAVAILABLE_DAYS days. */
export function checkUnavailablePeriod(from: Date, to: Date, field = 'input.to'): void {
  if (to < from) throw badInput(field, 'must not be before from');
  if (to.getTime() - from.getTime() >= MAX_UNAVAILABLE_DAYS * DAY_MS)
    throw badInput(field, `a period lasts at most ${MAX_UNAVAILABLE_DAYS} days`);
}

/** The instructor's declared period (not removed) that the session's days in Beijing fall into, if any. */
export function unavailablePeriod<P extends { from: Date; to: Date; removedOn?: Date | null }>(
  periods: readonly P[] | undefined,
  session: Interval,
): P | null {
  const first = beijingDay(session.startsAt);
  const last = beijingDay(new Date(session.endsAt.getTime() - 1));
  return (periods ?? []).find((p) => !p.removedOn && p.from <= last && p.to >= first) ?? null;
}

/** Why the instructor cannot teach the session for a declared unavailability, naming the period; null if free. */
export function unavailableFor(instructor: TeacherFacts, session: Interval): string | null {
  const p = unavailablePeriod(instructor.unavailable, session);
  return p
    ? `${instructor.name} is unavailable from ${formatDate(p.from)} to ${formatDate(p.to)}${p.reason ? ` (${p.reason})` : ''}`
    : null;
}

/** A period is declared free of the instructor's booked sessions (`booked`: sessions not cancelled overlapping it). */
export function checkPeriodFree(name: string, booked: readonly Interval[], field = 'input.from'): void {
  if (booked.length) {
    const s = booked[0];
    throw conflicts([
      {
        field,
        message: `${name} teaches a session from ${s.startsAt.toISOString()} to ${s.endsAt.toISOString()} in this period; move or re-staff it first`,
      },
    ]);
  }
}

/* ---------- Trainees as people (issue 20, item 6) ---------- */

/**
 * The person an enrolment is for, as a key unique among a class's standing enrolments: a member
 * (people subgraph) or a staff record by id, else the name within the branch (the only way to tell
 * people apart without an identity).
 */
export function personKey(t: { memberId?: string | null; staffId?: unknown; organizationId: unknown; name: string }): string {
  if (t.memberId) return `member:${t.memberId.toLowerCase()}`;
  if (t.staffId) return `staff:${String(t.staffId).toLowerCase()}`;
  return `name:${String(t.organizationId).toLowerCase()}:${t.name}`;
}

/** A staff record's trainee enrols into its own branch's name: the branch given must be the record's. */
export function checkStaffBranch(
  staff: { organizationId: unknown; name: string },
  organizationId: string,
  field = 'input.organizationId',
): void {
  if (String(staff.organizationId).toLowerCase() !== organizationId.toLowerCase()) {
    throw badInput(field, `must be the branch of the staff record (${staff.name})`);
  }
}

/* ---------- Certificates (issue 20, item 7) ---------- */

/**
 * A certificate number: RC-<year of completion>-<host's GB/T 2260 code, 000000 without one>-<the
 * host's sequence that year, 6 digits>, e.g. RC-2021-330000-000042. Unique by construction (one
 * sequence per host and year, moved in the issuing transaction) and by a unique index.
 */
export function certificateNumber(year: number, hostDivisionCode: string | null | undefined, seq: number): string {
  return `RC-${year}-${hostDivisionCode && /^\d{6}$/.test(hostDivisionCode) ? hostDivisionCode : '000000'}-${String(seq).padStart(6, '0')}`;
}
export const CERTIFICATE_NUMBER = /^RC-\d{4}-\d{6}-\d{6,}$/;

/** Certificates are issued once the class has ended, dated from its last day, not in the future. */
export function checkCertificateIssue(
  cls: Pick<TrainingClassDoc, 'title' | 'endsOn' | 'cancelledOn'>,
  on: Date,
  now: Date = today(),
): void {
  checkNotCancelled(cls, 'classId');
  if (!(cls.endsOn < now))
    throw conflicts([{ field: 'classId', message: `${cls.title} has not ended (its last day is ${formatDate(cls.endsOn)})` }]);
  if (on < cls.endsOn) throw badInput('on', `must not be before the class's last day (${formatDate(cls.endsOn)})`);
  if (on > now) throw badInput('on', 'must not be in the future');
}
