import { z } from 'zod';
import { isValidIdNumber, normalize } from '@rcsc/personal-data';
import { forbidden } from '@rcsc/service-kit';
import { MEMBER_KINDS, type MemberKind, type PeopleConfig } from './config';
import { SPECIALTIES } from './models/serviceTeam';

/** Today's date at UTC midnight: facts are dated by day. */
export function today(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
export const startOfYear = (year: number) => new Date(Date.UTC(year, 0, 1));
export const endOfYear = (year: number) => new Date(Date.UTC(year, 11, 31));

/** Whole years between two dates (age on a date). */
export function yearsBetween(from: Date, to: Date): number {
  let years = to.getUTCFullYear() - from.getUTCFullYear();
  if (to.getUTCMonth() < from.getUTCMonth() || (to.getUTCMonth() === from.getUTCMonth() && to.getUTCDate() < from.getUTCDate())) years--;
  return years;
}

// ---- identity documents ------------------------------------------------------------------

/** Birth date and gender read from a valid resident identity number (GB 11643). */
export function personFromIdNumber(idNumber: string): { birthDate: Date; gender: 'MALE' | 'FEMALE' } | null {
  const v = normalize(idNumber);
  if (!isValidIdNumber(v)) return null;
  const y = +v.slice(6, 10);
  const m = +v.slice(10, 12);
  const d = +v.slice(12, 14);
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || y < 1900) return null;
  return { birthDate: birth, gender: +v[16] % 2 === 1 ? 'MALE' : 'FEMALE' };
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Appends the GB 32100 check character to the first 17 characters of a unified social credit code. */
export function withCreditCheck(first17: string): string {
  const sum = CREDIT_WEIGHTS.reduce((acc, w, i) => acc + w * CREDIT_CHARS.indexOf(first17[i]), 0);
  return first17 + CREDIT_CHARS[(31 - (sum % 31)) % 31];
}

/** A unified social credit code (统一社会信用代码): 18 characters with a valid GB 32100 check. */
export function isValidCreditCode(value: string): boolean {
  const v = normalize(value);
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v)) return false;
  return withCreditCheck(v.slice(0, 17)) === v;
}

/** The identity problem of a member (or null): kind-specific document, and age on joining. */
export function memberIdentityProblem(
  kind: MemberKind,
  idNumber: string,
  joinedOn: Date,
  config: Pick<PeopleConfig, 'adultMinAge' | 'youthMaxAge'>,
): { field: 'idNumber' | 'kind'; message: string } | null {
  if (kind === 'GROUP') {
    return isValidCreditCode(idNumber) ? null : { field: 'idNumber', message: 'must be a valid 18-character unified social credit code' };
  }
  const person = personFromIdNumber(idNumber);
  if (!person) return { field: 'idNumber', message: 'must be a valid 18-digit resident identity number' };
  if (person.birthDate > joinedOn) return { field: 'idNumber', message: 'the holder was not born on the joining date' };
  const age = yearsBetween(person.birthDate, joinedOn);
  if (kind === 'ADULT' && age < config.adultMinAge) {
    return {
      field: 'kind',
      message: `an adult member is at least ${config.adultMinAge} when joining (this person was ${age}): register as YOUTH`,
    };
  }
  if (kind === 'YOUTH' && age >= config.youthMaxAge) {
    return {
      field: 'kind',
      message: `a youth member is under ${config.youthMaxAge} when joining (this person was ${age}): register as ADULT`,
    };
  }
  return null;
}

// ---- dues and standing -------------------------------------------------------------------

export interface Standing {
  joinedOn: Date;
  withdrawnOn?: Date | null;
  paidThrough: number | null;
  lapsesOn: Date;
  lapses: { since: Date; until: Date }[];
}

/**
 * The day a member lapses: dues unpaid for `lapseAfterYears` whole years after the last year
 * covered (never paid: the year before joining), i.e. 1 January of paidThrough + 1 + that period.
 */
export function lapseDate(joinedOn: Date, paidThrough: number | null, config: Pick<PeopleConfig, 'lapseAfterYears'>): Date {
  const covered = paidThrough ?? joinedOn.getUTCFullYear() - 1;
  return startOfYear(covered + 1 + config.lapseAfterYears);
}

/**
 * A member's standing after a payment covering periodFrom..periodTo received on paidOn. A payment
 * that brings a lapsed member back closes the lapse (kept in `lapses` as history), so the standing
 * on any past date stays what it was.
 */
export function applyDuesPayment(
  m: Pick<Standing, 'joinedOn' | 'paidThrough' | 'lapsesOn' | 'lapses'>,
  payment: { periodTo: number; paidOn: Date },
  config: Pick<PeopleConfig, 'lapseAfterYears'>,
): Pick<Standing, 'paidThrough' | 'lapsesOn' | 'lapses'> {
  const paidThrough = Math.max(m.paidThrough ?? -Infinity, payment.periodTo);
  const next = lapseDate(m.joinedOn, paidThrough, config);
  if (m.lapsesOn > payment.paidOn) return { paidThrough, lapsesOn: next, lapses: m.lapses };
  // Lapsed when paying: either the payment brings the member back (the lapse is closed and kept)
  // or the member stays lapsed since the same day.
  if (next <= payment.paidOn) return { paidThrough, lapsesOn: m.lapsesOn, lapses: m.lapses };
  const lapses = m.lapsesOn < payment.paidOn ? [...m.lapses, { since: m.lapsesOn, until: payment.paidOn }] : m.lapses;
  return { paidThrough, lapsesOn: next, lapses };
}

export type MemberStatus = 'ACTIVE' | 'LAPSED' | 'WITHDRAWN';

/** Standing on a date. Before joining a member has none (null). */
export function memberStatusOn(m: Standing, date: Date): MemberStatus | null {
  if (m.joinedOn > date) return null;
  if (m.withdrawnOn && m.withdrawnOn <= date) return 'WITHDRAWN';
  if (m.lapsesOn <= date || m.lapses.some((l) => l.since <= date && date < l.until)) return 'LAPSED';
  return 'ACTIVE';
}

/** The MongoDB condition "the member is ACTIVE on date" (what indicators 9-11 count). */
export function activeMemberFilter(date: Date): Record<string, unknown> {
  return {
    joinedOn: { $lte: date },
    lapsesOn: { $gt: date },
    $and: [
      { $or: [{ withdrawnOn: null }, { withdrawnOn: { $gt: date } }] },
      { $nor: [{ lapses: { $elemMatch: { since: { $lte: date }, until: { $gt: date } } } }] },
    ],
  };
}

/** The MongoDB condition for a standing on a date (member lists filter by today's standing). */
export function statusFilter(status: MemberStatus, date: Date): Record<string, unknown> {
  if (status === 'ACTIVE') return activeMemberFilter(date);
  if (status === 'WITHDRAWN') return { withdrawnOn: { $lte: date } };
  return {
    joinedOn: { $lte: date },
    $and: [
      { $or: [{ withdrawnOn: null }, { withdrawnOn: { $gt: date } }] },
      { $or: [{ lapsesOn: { $lte: date } }, { lapses: { $elemMatch: { since: { $lte: date }, until: { $gt: date } } } }] },
    ],
  };
}

/** Yuan to fen, exactly (amounts are kept in fen). */
export const toCents = (yuan: number) => Math.round(yuan * 100);

/** The dues for whole years of a member kind, in fen. */
export function duesDue(kind: MemberKind, years: number, config: Pick<PeopleConfig, 'duesRates'>): number {
  return toCents(config.duesRates[kind]) * years;
}

// ---- volunteers, teams, hours ------------------------------------------------------------

/** The MongoDB condition "registered volunteer on date" (indicator 12). */
export function registeredVolunteerFilter(date: Date): Record<string, unknown> {
  return { nationalRegisteredOn: { $lte: date }, $or: [{ endedOn: null }, { endedOn: { $gt: date } }] };
}

/** The MongoDB condition "team exists on date" (indicator 13). */
export function teamExistsFilter(date: Date): Record<string, unknown> {
  return { foundedOn: { $lte: date }, $or: [{ dissolvedOn: null }, { dissolvedOn: { $gt: date } }] };
}

/** Inclusive date range condition on `field`, open where a bound is missing. */
export function dateRange(field: string, from?: Date | null, to?: Date | null): Record<string, unknown> {
  const r: Record<string, Date> = {};
  if (from) r.$gte = from;
  if (to) r.$lte = to;
  return Object.keys(r).length ? { [field]: r } : {};
}

/** Stars a number of hours earns (0-5) under the configured thresholds. */
export function starsForHours(hours: number, config: Pick<PeopleConfig, 'starHours'>): number {
  return config.starHours.filter((h) => hours >= h).length;
}

// ---- star rating approval ----------------------------------------------------------------

export type Level = 'NATIONAL' | 'PROVINCIAL' | 'PREFECTURE' | 'COUNTY';
const RANK: Record<Level, number> = { NATIONAL: 0, PROVINCIAL: 1, PREFECTURE: 2, COUNTY: 3 };
const LEVEL_NAME: Record<Level, string> = { NATIONAL: 'national', PROVINCIAL: 'provincial', PREFECTURE: 'prefecture', COUNTY: 'county' };

/** The level that approves a rating (seed task 17): 1-3 stars county, 4 prefecture, 5 provincial. */
export function approvingLevel(stars: number): Level {
  return stars <= 3 ? 'COUNTY' : stars === 4 ? 'PREFECTURE' : 'PROVINCIAL';
}

export interface PathBranch {
  id: string;
  name: string;
  level: Level;
}

/**
 * The branch that approves a rating, from the volunteer's branch path (national HQ first, the
 * volunteer's own branch last): the lowest branch on the path at the approving level or above.
 * Normally that is the branch at exactly that level; where the chain lacks it (a county directly
 * under a municipality or province, a volunteer registered at a prefecture branch) the nearest
 * branch above approves, so a decision always has exactly one owner.
 */
export function requiredApprover(path: PathBranch[], stars: number): PathBranch {
  const level = approvingLevel(stars);
  const eligible = path.filter((b) => RANK[b.level] <= RANK[level]);
  if (!eligible.length) throw new Error('a branch path must start at the national headquarters');
  return eligible[eligible.length - 1];
}

/** FORBIDDEN unless `decider` is the branch the rules name for this rating. */
export function checkApprover(path: PathBranch[], stars: number, decider: PathBranch): PathBranch {
  const required = requiredApprover(path, stars);
  if (required.id !== decider.id) {
    const level = approvingLevel(stars);
    const exact = required.level === level;
    throw forbidden(
      `A ${stars}-star rating of a volunteer of ${path[path.length - 1].name} is decided by ` +
        `${exact ? `the ${LEVEL_NAME[level]} branch` : `the nearest branch above (no ${LEVEL_NAME[level]} branch on its chain)`} ` +
        `${required.name} (${required.id}); ${decider.name} may not decide it`,
    );
  }
  return required;
}

// ---- input schemas -----------------------------------------------------------------------

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id returned by this graph');
const date = z.date({ message: 'must be a date' });
const notFuture = (d: Date) => d <= today();
const pastDate = date.refine(notFuture, 'must not be in the future');
export const phoneSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^(1[3-9]\d{9}|0\d{9,11})$/.test(s), 'must be a mobile number (11 digits) or a landline with its area code');
const yearSchema = z.number().int('must be a whole year').min(1950, 'must be from 1950').max(2100, 'must be at most 2100');

export const registerMemberInput = z.object({
  organizationId: objectIdSchema,
  kind: z.enum(MEMBER_KINDS),
  name: text(100),
  idNumber: z.string().trim().min(1, 'must not be empty').max(30, 'must be at most 30 characters'),
  phone: phoneSchema.nullish(),
  contactPerson: text(50).nullish(),
  grassrootsUnitId: objectIdSchema.nullish(),
  joinedOn: pastDate,
});

export const recordDuesPaymentInput = z
  .object({
    memberId: objectIdSchema,
    receivedBy: objectIdSchema,
    periodFrom: yearSchema,
    periodTo: yearSchema.nullish(),
    amount: z.number().positive('must be positive').max(10_000_000, 'is too large').nullish(),
    paidOn: pastDate,
  })
  .refine((v) => v.periodTo == null || v.periodTo >= v.periodFrom, { message: 'must not be before periodFrom', path: ['periodTo'] })
  .refine((v) => (v.periodTo ?? v.periodFrom) - v.periodFrom < 10, { message: 'a payment covers at most 10 years', path: ['periodTo'] })
  .refine((v) => (v.periodTo ?? v.periodFrom) <= v.paidOn.getUTCFullYear() + 5, {
    message: 'dues may be paid at most 5 years ahead',
    path: ['periodTo'],
  });

export const withdrawInput = z.object({ on: pastDate, reason: text(200).nullish() });

const skill = text(30);
export const registerVolunteerInput = z
  .object({
    organizationId: objectIdSchema,
    name: text(50),
    idNumber: z
      .string()
      .trim()
      .refine((s) => !!personFromIdNumber(s), 'must be a valid 18-digit resident identity number'),
    phone: phoneSchema.nullish(),
    registeredOn: pastDate,
    nationalSystemRegisteredOn: pastDate.nullish(),
    nationalSystemId: text(40).nullish(),
    skills: z.array(skill).max(20, 'must list at most 20 skills').nullish(),
    teamIds: z.array(objectIdSchema).max(20, 'must list at most 20 teams').nullish(),
  })
  .refine((v) => !v.nationalSystemId || v.nationalSystemRegisteredOn, {
    message: 'goes with nationalSystemRegisteredOn',
    path: ['nationalSystemId'],
  });

export const nationalRegistrationInput = z.object({ registeredOn: pastDate, nationalSystemId: text(40).nullish() });

export const createServiceTeamInput = z.object({
  organizationId: objectIdSchema,
  name: text(100),
  specialty: z.enum(SPECIALTIES),
  foundedOn: pastDate,
});

export const recordServiceHoursInput = z.object({
  volunteerId: objectIdSchema,
  teamId: objectIdSchema.nullish(),
  activity: text(200),
  date: pastDate,
  hours: z
    .number()
    .gt(0, 'must be more than 0')
    .max(24, 'must be at most 24 hours a day')
    .refine((h) => Number.isInteger(h * 4), 'must be in quarter hours'),
});

export const requestStarRatingInput = z.object({
  volunteerId: objectIdSchema,
  stars: z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
  requestedOn: pastDate.nullish(),
});

export const awardMemberStarInput = z.object({
  memberId: objectIdSchema,
  year: yearSchema,
  organizationId: objectIdSchema,
  citation: text(500).nullish(),
});

export const decisionDate = pastDate.nullish();
export const reasonSchema = text(500);
