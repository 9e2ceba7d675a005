import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { badInput, ErrorCode, formatDate, type FieldProblem } from '@rcsc/service-kit';
import { INSTRUCTOR_CATEGORIES, INSTRUCTOR_STATUSES, LEVELS, TRAINING_CATEGORIES, type InstructorDoc } from './models';

/*
 * Error policy (see README): input that is wrong in itself (malformed values, unknown ids or module
 * codes, a session outside its class's days) is BAD_USER_INPUT; well-formed input that clashes
 * with what is recorded (the five rules of issue 6: overlapping sessions, a module outside the
 * instructor's topics, an expired qualification, a full class, an instructor not ACTIVE) is
 * CONFLICT. Both name every offending input field in `extensions.fields`.
 */

const DAY_MS = 86_400_000;
/** Sessions are at most 12 hours long: overlap checks look back that far, through an index. */
export const MAX_SESSION_HOURS = 12;
export const MAX_SESSION_MS = MAX_SESSION_HOURS * 3_600_000;
/** Classes last at most 90 days. */
export const MAX_CLASS_DAYS = 90;
/** China Standard Time (UTC+8): a session's day is its day in Beijing. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Today's date at UTC midnight: facts are dated by day. */
export function today(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
export const startOfYear = (year: number) => new Date(Date.UTC(year, 0, 1));
export const endOfYear = (year: number) => new Date(Date.UTC(year, 11, 31));
export const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);

/** The calendar day (UTC midnight) on which an instant falls in Beijing. */
export function beijingDay(instant: Date): Date {
  return today(new Date(instant.getTime() + BEIJING_OFFSET_MS));
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

type TeacherFacts = Pick<InstructorDoc, 'name' | 'status' | 'topics' | 'qualifications'>;

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

export interface BookedSession extends Interval {
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
    const reason = cannotTeach(a.instructor, a.session.moduleCode, beijingDay(a.session.startsAt));
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

/** A class has no free seat once its enrolments reach its capacity. */
export function checkCapacity(cls: { capacity: number; enrollmentCount: number; title: string }, field = 'input.classId'): void {
  if (cls.enrollmentCount >= cls.capacity) throw conflicts([{ field, message: `${cls.title} is full (${cls.capacity} seats)` }]);
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

/** A clean 0..1 attendance rate. */
export function attendanceRate(attendedHours: number, totalHours: number): number {
  return totalHours > 0 ? Math.min(1, Math.round((attendedHours / totalHours) * 1000) / 1000) : 0;
}

// Input schemas. Texts are trimmed; control characters are refused so exports stay clean.
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id returned by this graph');
export const moduleCodeSchema = z.string().regex(/^[A-Z]{2,6}-\d{2}$/, 'must be a module code such as IHL-01');
const date = z.date({ message: 'must be a date' });
const level = z.enum(LEVELS);

export const publishSyllabusModuleInput = z.object({
  code: moduleCodeSchema,
  title: text(100),
  objectives: z.array(text(200)).min(1, 'must list at least one objective').max(20, 'must list at most 20 objectives'),
  hours: z.number().positive('must be positive').max(200, 'must be at most 200'),
  audienceLevels: z.array(level).min(1, 'must list at least one level'),
  effectiveFrom: date,
});

const qualificationInput = z
  .object({ moduleCode: moduleCodeSchema, title: text(100), issuedOn: date, expiresOn: date })
  .refine((q) => q.expiresOn > q.issuedOn, { message: 'must be after issuedOn', path: ['expiresOn'] });

const phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, 'must be a mainland mobile (11 digits) or landline number');
const email = z
  .string()
  .trim()
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address');

/** Topics are distinct module codes, and every qualification covers one of them. */
const topicsAndQualifications = <T extends { topics?: string[] | null; qualifications?: { moduleCode: string }[] | null }>(
  v: T,
  ctx: z.RefinementCtx,
) => {
  if (v.topics && new Set(v.topics).size !== v.topics.length)
    ctx.addIssue({ code: 'custom', message: 'must not repeat a module', path: ['topics'] });
  v.qualifications?.forEach((q, i) => {
    if (v.topics && !v.topics.includes(q.moduleCode)) {
      ctx.addIssue({ code: 'custom', message: 'must be one of the topics', path: ['qualifications', i, 'moduleCode'] });
    }
  });
};

export const createInstructorInput = z
  .object({
    name: text(50),
    category: z.enum(INSTRUCTOR_CATEGORIES),
    organizationId: objectIdSchema,
    topics: z.array(moduleCodeSchema).min(1, 'must list at least one module').max(30, 'must list at most 30 modules'),
    qualifications: z.array(qualificationInput).max(60).default([]),
    phone: phone.nullish(),
    email: email.nullish(),
    joinedOn: date,
  })
  .superRefine(topicsAndQualifications);

export const updateInstructorInput = z
  .object({
    name: text(50).optional(),
    category: z.enum(INSTRUCTOR_CATEGORIES).optional(),
    topics: z.array(moduleCodeSchema).min(1, 'must list at least one module').max(30).optional(),
    qualifications: z.array(qualificationInput).max(60).optional(),
    phone: phone.nullish(),
    email: email.nullish(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'must change at least one field')
  .superRefine(topicsAndQualifications);

export const instructorStatusSchema = z.enum(INSTRUCTOR_STATUSES);

export const sessionInput = z
  .object({
    moduleCode: moduleCodeSchema,
    startsAt: date,
    endsAt: date,
    instructorIds: z.array(objectIdSchema).max(5, 'must list at most 5 instructors').default([]),
  })
  .refine((s) => s.endsAt > s.startsAt, { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((s) => s.endsAt.getTime() - s.startsAt.getTime() <= MAX_SESSION_MS, {
    message: `a session lasts at most ${MAX_SESSION_HOURS} hours`,
    path: ['endsAt'],
  })
  .refine((s) => new Set(s.instructorIds).size === s.instructorIds.length, {
    message: 'must not repeat an instructor',
    path: ['instructorIds'],
  });

export const createTrainingClassInput = z
  .object({
    title: text(100),
    category: z.enum(TRAINING_CATEGORIES),
    organizationId: objectIdSchema,
    startsOn: date,
    endsOn: date,
    place: text(100),
    capacity: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
    audienceLevel: level.nullish(),
    sessions: z.array(sessionInput).max(200, 'must list at most 200 sessions').default([]),
  })
  .refine((c) => c.endsOn >= c.startsOn, { message: 'must not be before startsOn', path: ['endsOn'] })
  .refine((c) => c.endsOn.getTime() - c.startsOn.getTime() < MAX_CLASS_DAYS * DAY_MS, {
    message: `a class lasts at most ${MAX_CLASS_DAYS} days`,
    path: ['endsOn'],
  });

export const addSessionInput = z.object({ classId: objectIdSchema, session: sessionInput });

export const enrollInput = z.object({
  classId: objectIdSchema,
  name: text(50),
  organizationId: objectIdSchema,
  position: text(50),
  enrolledOn: date,
});

export const recordAttendanceInput = z.object({
  enrollmentId: objectIdSchema,
  attendedHours: z.number().min(0, 'must not be negative').max(2000, 'must be at most 2000'),
  completed: z.boolean(),
});

export const rateInstructorInput = z.object({
  sessionId: objectIdSchema,
  instructorId: objectIdSchema,
  score: z.number().min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5'),
  responses: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
});

/** The version of a module in force on `date`: effective by then and not yet superseded (else the first version). */
export function versionInForce<T extends { effectiveFrom: Date; supersededOn: Date | null }>(versions: T[], date: Date): T | null {
  return versions.find((v) => v.effectiveFrom <= date && (!v.supersededOn || v.supersededOn > date)) ?? versions[0] ?? null;
}
