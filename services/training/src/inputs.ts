// The mutations' input schemas (zod): input that is wrong in itself is BAD_USER_INPUT naming its fields.
import { z } from 'zod';
import { isValidIdNumber } from '@rcsc/personal-data';
import { objectIdInput, textInput } from '@rcsc/service-kit';
import { ATTENDANCE_STATUSES, INSTRUCTOR_CATEGORIES, INSTRUCTOR_STATUSES, LEVELS, TRAINING_CATEGORIES } from './models';
import { DAY_MS, MAX_CLASS_DAYS, MAX_SESSION_HOURS, MAX_SESSION_MS, UNCOVERED, uncoveredQualifications } from './rules';

export const objectIdSchema = objectIdInput;
export const moduleCodeSchema = z.string().regex(/^[A-Z]{2,6}-\d{2}$/, 'must be a module code such as IHL-01');
const date = z.date({ message: 'must be a date' });
const level = z.enum(LEVELS);

export const publishSyllabusModuleInput = z.object({
  code: moduleCodeSchema,
  title: textInput(100),
  objectives: z.array(textInput(200)).min(1, 'must list at least one objective').max(20, 'must list at most 20 objectives'),
  hours: z.number().positive('must be positive').max(200, 'must be at most 200'),
  audienceLevels: z.array(level).min(1, 'must list at least one level'),
  effectiveFrom: date,
});

const qualificationInput = z
  .object({ moduleCode: moduleCodeSchema, title: textInput(100), issuedOn: date, expiresOn: date })
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
  // Without topics (an update), the instructor's current topics are checked once they are loaded.
  if (v.topics && v.qualifications) {
    for (const i of uncoveredQualifications(v.topics, v.qualifications)) {
      ctx.addIssue({ code: 'custom', message: UNCOVERED, path: ['qualifications', i, 'moduleCode'] });
    }
  }
};

export const createInstructorInput = z
  .object({
    name: textInput(50),
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
    name: textInput(50).optional(),
    category: z.enum(INSTRUCTOR_CATEGORIES).optional(),
    topics: z.array(moduleCodeSchema).min(1, 'must list at least one module').max(30).optional(),
    qualifications: z.array(qualificationInput).max(60).optional(),
    phone: phone.nullish(),
    email: email.nullish(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'must change at least one field')
  .superRefine(topicsAndQualifications);

export const instructorStatusSchema = z.enum(INSTRUCTOR_STATUSES);

const sessionInput = z
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
    title: textInput(100),
    category: z.enum(TRAINING_CATEGORIES),
    organizationId: objectIdSchema,
    startsOn: date,
    endsOn: date,
    place: textInput(100),
    capacity: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
    audienceLevel: level.nullish(),
    minAttendanceRate: z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1').nullish(),
    requiresAssessment: z.boolean().nullish(),
    sessions: z.array(sessionInput).max(200, 'must list at most 200 sessions').default([]),
  })
  .refine((c) => c.endsOn >= c.startsOn, { message: 'must not be before startsOn', path: ['endsOn'] })
  .refine((c) => c.endsOn.getTime() - c.startsOn.getTime() < MAX_CLASS_DAYS * DAY_MS, {
    message: `a class lasts at most ${MAX_CLASS_DAYS} days`,
    path: ['endsOn'],
  });

export const addSessionInput = z.object({ classId: objectIdSchema, session: sessionInput });

export const enrollInput = z
  .object({
    classId: objectIdSchema,
    name: textInput(50),
    organizationId: objectIdSchema,
    position: textInput(50),
    enrolledOn: date,
    memberId: z.string().trim().min(1, 'must be a Member id').max(64, 'must be a Member id').nullish(),
    staffId: objectIdSchema.nullish(),
  })
  .refine((v) => !(v.memberId && v.staffId), { message: 'give a member or a staff record, not both', path: ['staffId'] });

export const registerStaffInput = z.object({
  name: textInput(50),
  organizationId: objectIdSchema,
  position: textInput(50).nullish(),
  idNumber: z
    .string()
    .trim()
    .refine((v) => isValidIdNumber(v), 'must be a mainland resident identity number (18 characters, valid check digit)'),
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

export const recordSessionAttendanceInput = z.object({
  sessionId: objectIdSchema,
  records: z
    .array(z.object({ enrollmentId: objectIdSchema, status: z.enum(ATTENDANCE_STATUSES) }))
    .min(1, 'must list at least one trainee')
    .max(1000, 'must list at most 1000 trainees')
    .refine((rs) => new Set(rs.map((r) => r.enrollmentId.toLowerCase())).size === rs.length, 'must not list an enrolment twice'),
});

export const updateTrainingClassInput = z
  .object({
    title: textInput(100).optional(),
    place: textInput(100).optional(),
    capacity: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
    startsOn: date.optional(),
    endsOn: date.optional(),
    minAttendanceRate: z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1').optional(),
    requiresAssessment: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined && x !== null), 'must change at least one field');

export const moveSessionInput = z
  .object({ sessionId: objectIdSchema, startsAt: date, endsAt: date })
  .refine((s) => s.endsAt > s.startsAt, { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((s) => s.endsAt.getTime() - s.startsAt.getTime() <= MAX_SESSION_MS, {
    message: `a session lasts at most ${MAX_SESSION_HOURS} hours`,
    path: ['endsAt'],
  });

export const restaffSessionInput = z.object({
  sessionId: objectIdSchema,
  instructorIds: z
    .array(objectIdSchema)
    .max(5, 'must list at most 5 instructors')
    .refine((ids) => new Set(ids.map((i) => i.toLowerCase())).size === ids.length, 'must not repeat an instructor'),
});

export const addUnavailabilityInput = z
  .object({ from: date, to: date, reason: textInput(100).nullish() })
  .refine((p) => p.to >= p.from, { message: 'must not be before from', path: ['to'] });
