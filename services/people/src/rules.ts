import type { Types } from 'mongoose';
import { z } from 'zod';
import { isValidIdNumber, normalize } from '@rcsc/personal-data';
import { badInput, conflict, forbidden, objectIdInput, textInput, today } from '@rcsc/service-kit';
import { MEMBER_KINDS, type MemberKind, type PeopleConfig } from './config';
import type { DuesPaymentDoc, MemberDoc, ServiceRecordDoc, ServiceTeamDoc, StarRatingDoc, VolunteerDoc } from './models';
import { SPECIALTIES } from './models/service-team';
import { holdsOn, holdsOnFilter, MEMBER_ACTIVE, TEAM_EXISTS } from './spans';

/** Today in China (service-kit: facts are dated by the day in Beijing). */
export { today };
/** A date as the day it names, YYYY-MM-DD (for messages). */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
export const startOfYear = (year: number) => new Date(Date.UTC(year, 0, 1));
export const endOfYear = (year: number) => new Date(Date.UTC(year, 11, 31));

/** Whole years between two dates (age on a date). */
function yearsBetween(from: Date, to: Date): number {
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

// ---- member numbers (会员证号) ----------------------------------------------------------

/**
 * The prefix of a branch's member numbers: its six-digit GB/T 2260 division code; a branch
 * without one (a special system, e.g. 中国铁路红十字会) uses "S" and the last five characters of
 * its id, upper case, so prefixes stay distinct per branch.
 */
export function memberNumberPrefix(branch: { id: string; divisionCode?: string | null }): string {
  return branch.divisionCode ?? `S${branch.id.slice(-5).toUpperCase()}`;
}

/** A member number: branch prefix + joining year + the branch-year sequence, zero-padded to 6 digits (e.g. 3301062021000042). */
export function memberNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}${year}${String(seq).padStart(6, '0')}`;
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

/**
 * A member's standing derived from its facts (joining and the dues ledger) under the current
 * policy: the payments folded in date order. What is stored (paidThrough, lapsesOn, lapses) is this.
 */
export function standingFromLedger(
  joinedOn: Date,
  payments: readonly { periodTo: number; paidOn: Date }[],
  config: Pick<PeopleConfig, 'lapseAfterYears'>,
): Pick<Standing, 'paidThrough' | 'lapsesOn' | 'lapses'> {
  let standing: Pick<Standing, 'paidThrough' | 'lapsesOn' | 'lapses'> = {
    paidThrough: null,
    lapsesOn: lapseDate(joinedOn, null, config),
    lapses: [],
  };
  const inOrder = [...payments].sort((a, b) => a.paidOn.getTime() - b.paidOn.getTime());
  for (const p of inOrder) standing = applyDuesPayment({ joinedOn, ...standing }, p, config);
  return standing;
}

export type MemberStatus = 'ACTIVE' | 'LAPSED' | 'WITHDRAWN';
/** A standing a list may filter by: NOT_MEMBER is "not joined yet" on that date. */
export type MemberStatusFilter = MemberStatus | 'NOT_MEMBER';

/** Standing on a date, from the member's active spans. Before joining a member has none (null). */
export function memberStatusOn(m: Pick<Standing, 'joinedOn' | 'withdrawnOn' | 'lapsesOn' | 'lapses'>, date: Date): MemberStatus | null {
  if (m.joinedOn > date) return null;
  if (m.withdrawnOn && m.withdrawnOn <= date) return 'WITHDRAWN';
  return holdsOn(MEMBER_ACTIVE, m, date) ? 'ACTIVE' : 'LAPSED';
}

/** The MongoDB condition for a standing on a date (member lists filter by today's standing). */
export function statusFilter(status: MemberStatusFilter, date: Date): Record<string, unknown> {
  if (status === 'NOT_MEMBER') return { joinedOn: { $gt: date } };
  const active = holdsOnFilter(MEMBER_ACTIVE, date);
  if (status === 'ACTIVE') return active;
  if (status === 'WITHDRAWN') return { withdrawnOn: { $lte: date } };
  // Joined and not withdrawn by then, yet not active: lapsed.
  return { joinedOn: { $lte: date }, $and: [{ $or: [{ withdrawnOn: null }, { withdrawnOn: { $gt: date } }] }, { $nor: [active] }] };
}

/** Yuan to fen, exactly (amounts are kept in fen). */
const toCents = (yuan: number) => Math.round(yuan * 100);

/** The dues for whole years of a member kind, in fen. */
export function duesDue(kind: MemberKind, years: number, config: Pick<PeopleConfig, 'duesRates'>): number {
  return toCents(config.duesRates[kind]) * years;
}

// ---- volunteers, teams, hours ------------------------------------------------------------

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
function approvingLevel(stars: number): Level {
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

// ---- checks on loaded records ------------------------------------------------------------
// Pure: each takes the records a mutation read and throws the client's error (BAD_USER_INPUT
// naming the field, CONFLICT, FORBIDDEN), so the rules are tested without a database.

/** What a new member (registered or imported) must satisfy: its document, age and contact person. */
export function newMemberProblem(
  v: { kind: MemberKind; idNumber: string; joinedOn: Date; contactPerson?: string | null },
  config: Pick<PeopleConfig, 'adultMinAge' | 'youthMaxAge'>,
  branch?: DatedBranch,
): { field: 'idNumber' | 'kind' | 'contactPerson' | 'joinedOn'; message: string } | null {
  const problem = memberIdentityProblem(v.kind, v.idNumber, v.joinedOn, config);
  if (problem) return problem;
  const dated = branch ? branchDateProblem(branch, v.joinedOn) : null;
  if (dated) return { field: 'joinedOn', message: dated };
  if (v.contactPerson && v.kind !== 'GROUP') return { field: 'contactPerson', message: 'goes only with a GROUP member' };
  return null;
}

/** A withdrawal on `on`: once, and not before joining. */
export function checkWithdrawal(m: Pick<Standing, 'joinedOn' | 'withdrawnOn'>, on: Date): void {
  if (m.withdrawnOn) throw conflict(`the member already withdrew on ${isoDay(m.withdrawnOn)}`);
  if (on < m.joinedOn) throw badInput('on', `must not be before joining (${isoDay(m.joinedOn)})`);
}

type LedgerEntry = Pick<DuesPaymentDoc, '_id' | 'periodFrom' | 'periodTo' | 'paidOn'>;

export interface DuesPaymentRequest {
  periodFrom: number;
  periodTo?: number | null;
  amount?: number | null;
  paidOn: Date;
}

/**
 * A dues payment of `member` received by branch `receiverId`, given the member's payments that
 * overlap its period and the latest one: returns the period's end and the amount in fen.
 */
export function checkDuesPayment(
  member: Pick<MemberDoc, 'kind' | 'joinedOn' | 'withdrawnOn' | 'orgPath'>,
  receiverId: string,
  p: DuesPaymentRequest,
  ledger: { overlap: LedgerEntry | null; latest: LedgerEntry | null },
  config: Pick<PeopleConfig, 'duesRates'>,
): { periodTo: number; amountCents: number } {
  if (!member.orgPath.some((b) => String(b) === receiverId))
    throw badInput('input.receivedBy', "must be the member's branch or a branch above it");
  if (p.paidOn < member.joinedOn) throw badInput('input.paidOn', `must not be before joining (${isoDay(member.joinedOn)})`);
  if (member.withdrawnOn && p.paidOn >= member.withdrawnOn)
    throw badInput('input.paidOn', `the member withdrew on ${isoDay(member.withdrawnOn)}`);
  const joinYear = member.joinedOn.getUTCFullYear();
  if (p.periodFrom < joinYear) throw badInput('input.periodFrom', `must not be before the year of joining (${joinYear})`);
  const periodTo = p.periodTo ?? p.periodFrom;
  const years = periodTo - p.periodFrom + 1;
  const due = duesDue(member.kind, years, config);
  const amountCents = p.amount != null ? toCents(p.amount) : due;
  if (amountCents < due)
    throw badInput('input.amount', `dues for ${years} year(s) of a ${member.kind} member are ${(due / 100).toFixed(2)} yuan`);
  const { overlap, latest } = ledger;
  if (overlap) {
    throw conflict(
      `dues for ${overlap.periodFrom}-${overlap.periodTo} are already paid (payment ${String(overlap._id)})`,
      'input.periodFrom',
    );
  }
  if (latest && p.paidOn < latest.paidOn) {
    throw badInput(
      'input.paidOn',
      `must not be before the latest recorded payment (${isoDay(latest.paidOn)}): the ledger is kept in date order`,
    );
  }
  return { periodTo, amountCents };
}

// ---- plausibility of dates (issue 16): one layer, used by every mutation and the importer ----

/**
 * Volunteer ages under 《志愿服务条例》 (2017) art. 15 and 《中国红十字会志愿服务管理办法》: a
 * volunteer registers (with a branch, or in the national volunteer information system) from
 * VOLUNTEER_MIN_AGE; under VOLUNTEER_ADULT_AGE (a minor, 限制民事行为能力人) only with a guardian's
 * consent (监护人同意), recorded as `guardianConsent`.
 */
export const VOLUNTEER_MIN_AGE = 14;
export const VOLUNTEER_ADULT_AGE = 18;

/** The age rule of a volunteer registering on `on` (born `birthDate`), or null when it holds. */
export function volunteerAgeProblem(
  birthDate: Date | null,
  on: Date,
  guardianConsent: boolean,
): { field: 'idNumber' | 'guardianConsent'; message: string } | null {
  if (!birthDate) return null;
  if (birthDate > on) return { field: 'idNumber', message: `the holder was not born on ${isoDay(on)}` };
  const age = yearsBetween(birthDate, on);
  if (age < VOLUNTEER_MIN_AGE)
    return { field: 'idNumber', message: `a volunteer registers from age ${VOLUNTEER_MIN_AGE}; this person was ${age} on ${isoDay(on)}` };
  if (age < VOLUNTEER_ADULT_AGE && !guardianConsent)
    return {
      field: 'guardianConsent',
      message: `a volunteer under ${VOLUNTEER_ADULT_AGE} (this person was ${age} on ${isoDay(on)}) registers with a guardian's consent`,
    };
  return null;
}

/** A reversal (冲销) of a dues payment: once, not dated before the payment. */
export function checkReversal(p: Pick<DuesPaymentDoc, 'paidOn' | 'reversedOn'>, on: Date): void {
  if (p.reversedOn) throw conflict(`the payment was already reversed on ${isoDay(p.reversedOn)}`);
  if (on < p.paidOn) throw badInput('on', `must not be before the payment (${isoDay(p.paidOn)})`);
}

/** A new volunteer: the age rule on the registration date and on the national registration date, if given. */
export function checkNewVolunteer(
  v: Pick<VolunteerDoc, 'birthDate' | 'registeredOn' | 'nationalRegisteredOn'> & { guardianConsent?: boolean | null },
): void {
  const problem = volunteerAgeProblem(v.birthDate, v.registeredOn, !!v.guardianConsent);
  if (problem) throw badInput(`input.${problem.field}`, problem.message);
  if (v.nationalRegisteredOn) checkNationalRegistration(v, v.nationalRegisteredOn, 'input.nationalSystemRegisteredOn');
}

/**
 * A registration in the national volunteer information system on `on`: the age rule holds that
 * day (not before birth, e.g. 1980 for someone born in 1995, which would move annex row 12 back).
 */
export function checkNationalRegistration(
  v: Pick<VolunteerDoc, 'birthDate'> & { guardianConsent?: boolean | null },
  on: Date,
  field: string,
): void {
  const problem = volunteerAgeProblem(v.birthDate, on, !!v.guardianConsent);
  if (problem) throw badInput(field, problem.message);
}

/** A branch as the date rule reads it: its establishment date where known, its dissolution. */
export interface DatedBranch {
  name: string;
  establishedOn?: string | Date | null;
  dissolvedOn?: string | Date | null;
}

const asDate = (d: string | Date) => (d instanceof Date ? d : new Date(`${d.slice(0, 10)}T00:00:00Z`));

/** The problem of a record of `branch` dated `date`, or null: not before the branch existed, not once it was dissolved. */
export function branchDateProblem(branch: DatedBranch, date: Date): string | null {
  const established = branch.establishedOn ? asDate(branch.establishedOn) : null;
  if (established && date < established) return `must not be before ${branch.name} was established (${isoDay(established)})`;
  const dissolved = branch.dissolvedOn ? asDate(branch.dissolvedOn) : null;
  if (dissolved && date >= dissolved) return `${branch.name} was dissolved on ${isoDay(dissolved)}`;
  return null;
}

/** BAD_USER_INPUT naming `field` unless a record of `branch` may be dated `date`. */
export function checkBranchDate(branch: DatedBranch, date: Date, field: string): void {
  const problem = branchDateProblem(branch, date);
  if (problem) throw badInput(field, problem);
}

/** A grassroots unit as the reference rule reads it (owned by the grassroots subgraph). */
export interface ReferencedUnit {
  organizationId: string;
  establishedOn: Date;
  dissolvedOn: Date | null;
}

/**
 * The problem of a reference to a grassroots unit by a record of branch `branchId` dated `on`, or
 * null: the unit exists (`unit`), lies in the branch's subtree (`unitPath`: its branch's path,
 * national HQ first) and stands that day (established, not dissolved).
 */
export function unitReferenceProblem(
  unit: ReferencedUnit | null,
  unitPath: readonly string[] | null,
  branch: { id: string; name: string },
  on: Date,
): string | null {
  if (!unit) return 'no grassroots unit has this id';
  if (!unitPath?.includes(branch.id)) return `the unit belongs to a branch outside ${branch.name}'s subtree`;
  if (unit.establishedOn > on) return `the unit was established on ${isoDay(unit.establishedOn)}, after ${isoDay(on)}`;
  if (unit.dissolvedOn && unit.dissolvedOn <= on) return `the unit was dissolved on ${isoDay(unit.dissolvedOn)}`;
  return null;
}

/** A volunteer leaves only a team they are in. */
export function checkTeamLeave(v: Pick<VolunteerDoc, 'teamIds'>, team: Types.ObjectId): void {
  if (!v.teamIds.some((t) => t.equals(team))) throw badInput('teamId', 'the volunteer is not in this team');
}

/** A volunteer who left takes part in nothing new. */
export function checkVolunteerStays(v: Pick<VolunteerDoc, 'endedOn'>, field: string): void {
  if (v.endedOn) throw badInput(field, `the volunteer left on ${isoDay(v.endedOn)}`);
}

/** A volunteer leaves once, not before registering. */
export function checkVolunteerEnd(v: Pick<VolunteerDoc, 'endedOn' | 'registeredOn'>, on: Date): void {
  if (v.endedOn) throw conflict(`the volunteer already left on ${isoDay(v.endedOn)}`);
  if (on < v.registeredOn) throw badInput('on', `must not be before registration (${isoDay(v.registeredOn)})`);
}

/** A team is dissolved once, not before it was founded. */
export function checkTeamDissolution(t: Pick<ServiceTeamDoc, 'dissolvedOn' | 'foundedOn'>, on: Date): void {
  if (t.dissolvedOn) throw conflict(`the team was already dissolved on ${isoDay(t.dissolvedOn)}`);
  if (on < t.foundedOn) throw badInput('on', `must not be before the team was founded (${isoDay(t.foundedOn)})`);
}

/** Team membership is within one line of the tree: the team's branch is on the volunteer's path or below it. */
function teamFitsVolunteer(
  team: Pick<ServiceTeamDoc, 'organizationId' | 'orgPath'>,
  v: Pick<VolunteerDoc, 'organizationId' | 'orgPath'>,
): boolean {
  return (
    v.orgPath.some((p) => String(p) === String(team.organizationId)) || team.orgPath.some((p) => String(p) === String(v.organizationId))
  );
}

/** The teams a new volunteer is put in (`teams`: those found of `v.teamIds`), each problem naming its list entry. */
export function volunteerTeamProblems(v: Pick<VolunteerDoc, 'teamIds' | 'organizationId' | 'orgPath'>, teams: readonly ServiceTeamDoc[]) {
  const byId = new Map(teams.map((t) => [String(t._id), t]));
  return v.teamIds.flatMap((id, i) => {
    const team = byId.get(String(id));
    const field = `input.teamIds.${i}`;
    if (!team) return [{ field, message: 'no service team has this id' }];
    if (team.dissolvedOn) return [{ field, message: `the team was dissolved on ${isoDay(team.dissolvedOn)}` }];
    if (!teamFitsVolunteer(team, v)) return [{ field, message: "the team is not managed on the volunteer's line of branches" }];
    return [];
  });
}

/** A volunteer joining a team: both current, on one line of branches. */
export function checkTeamJoin(v: Pick<VolunteerDoc, 'endedOn' | 'organizationId' | 'orgPath'>, team: ServiceTeamDoc): void {
  checkVolunteerStays(v, 'volunteerId');
  if (team.dissolvedOn) throw badInput('teamId', `the team was dissolved on ${isoDay(team.dissolvedOn)}`);
  if (!teamFitsVolunteer(team, v)) throw badInput('teamId', "the team is not managed on the volunteer's line of branches");
}

/** At most 24 hours a day: `hours` more on a day that already has `already` recorded. */
export function checkDailyHours(already: number, hours: number): void {
  if (already + hours > 24) {
    throw badInput(
      'input.hours',
      already ? `${already} hours are already recorded for that day: at most 24 a day` : 'must be at most 24 hours a day',
    );
  }
}

/**
 * Hours served by `v` on `date` (for `team`, when given): while registered, in a team the
 * volunteer belongs to that existed that day, at most 24 a day with the day's `already` hours.
 */
export function checkServiceHours(
  v: Pick<VolunteerDoc, 'registeredOn' | 'endedOn' | 'teamIds'>,
  team: Pick<ServiceTeamDoc, '_id' | 'foundedOn' | 'dissolvedOn'> | null,
  date: Date,
  hours: number,
  already: number,
): void {
  if (date < v.registeredOn) throw badInput('input.date', `must not be before the volunteer registered (${isoDay(v.registeredOn)})`);
  if (v.endedOn && date >= v.endedOn) throw badInput('input.date', `the volunteer left on ${isoDay(v.endedOn)}`);
  if (team) {
    if (!v.teamIds.some((t) => t.equals(team._id))) throw badInput('input.teamId', 'the volunteer is not in this team');
    if (!holdsOn(TEAM_EXISTS, team, date)) throw badInput('input.teamId', 'the team did not exist on that date');
  }
  checkDailyHours(already, hours);
}

/** A star rating request: more stars than held, none pending, enough hours by the request date. */
export function checkStarRequest(
  v: Pick<VolunteerDoc, 'endedOn' | 'stars'>,
  stars: number,
  pending: Pick<StarRatingDoc, '_id' | 'stars' | 'requestedOn'> | null,
  hours: number,
  config: Pick<PeopleConfig, 'starHours'>,
): void {
  checkVolunteerStays(v, 'input.volunteerId');
  if (stars <= v.stars) throw badInput('input.stars', `the volunteer already has ${v.stars} star(s)`);
  if (pending)
    throw conflict(`a ${pending.stars}-star rating requested on ${isoDay(pending.requestedOn)} is still pending (${String(pending._id)})`);
  const needed = config.starHours[stars - 1];
  if (hours < needed) throw badInput('input.stars', `a ${stars}-star rating needs ${needed} service hours; the volunteer has ${hours}`);
}

/** A decision on a rating: still pending, not dated before the request. */
export function checkDecision(r: Pick<StarRatingDoc, 'status' | 'decidedOn' | 'requestedOn'>, on: Date): void {
  if (r.status !== 'PENDING')
    throw conflict(`the rating was already ${r.status.toLowerCase()} on ${r.decidedOn ? isoDay(r.decidedOn) : '?'}`);
  if (on < r.requestedOn) throw badInput('on', `must not be before the request (${isoDay(r.requestedOn)})`);
}

/** A Member Star of `year` awarded by branch `branchId`: a past or current year, a member of its subtree active that year. */
export function checkMemberStar(member: Standing & Pick<MemberDoc, 'orgPath'>, branchId: string, year: number, now = today()): void {
  if (year > now.getUTCFullYear()) throw badInput('input.year', 'must not be in the future');
  if (!member.orgPath.some((p) => String(p) === branchId)) {
    throw badInput('input.organizationId', "the member is not registered in this branch's subtree");
  }
  const readAt = year === now.getUTCFullYear() ? now : endOfYear(year);
  if (memberStatusOn(member, readAt) !== 'ACTIVE') throw badInput('input.memberId', `the member was not active in ${year}`);
}

// ---- input schemas -----------------------------------------------------------------------

const text = textInput;

export const objectIdSchema = objectIdInput;
const date = z.date({ message: 'must be a date' });
const notFuture = (d: Date) => d <= today();
const pastDate = date.refine(notFuture, 'must not be in the future');
const phoneSchema = z
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

/** Edits of a member's name and phone (a phone of null removes it; an absent field stays as it is). */
export const updateMemberInput = z
  .object({ name: text(100).optional(), phone: phoneSchema.nullish() })
  .refine((v) => v.name !== undefined || v.phone !== undefined, { message: 'must change name or phone', path: ['name'] });

/** Edits of a volunteer's name, phone and skills. */
export const updateVolunteerInput = z
  .object({
    name: text(50).optional(),
    phone: phoneSchema.nullish(),
    skills: z.array(text(30)).max(20, 'must list at most 20 skills').optional(),
  })
  .refine((v) => v.name !== undefined || v.phone !== undefined || v.skills !== undefined, {
    message: 'must change name, phone or skills',
    path: ['name'],
  });

/** A reversal of a dues payment: the reason, and the day (default today). */
export const reverseDuesInput = z.object({ reason: text(500), on: pastDate.nullish() });

export const withdrawInput = z.object({ on: pastDate, reason: text(200).nullish() });
/** The day a volunteer leaves or a team is dissolved. */
export const endDateInput = z.object({ on: pastDate });

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
    grassrootsUnitId: objectIdSchema.nullish(),
    guardianConsent: z.boolean().nullish(),
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

// ---- transfers (issue 19.4) ----------------------------------------------------------------

export const transferInput = z.object({ toOrganizationId: objectIdSchema, on: pastDate, reason: text(200) });

/**
 * A transfer of `m` to branch `to` from `on`: a current member, another branch standing on that
 * day, and `on` not before joining, the last transfer or reorganization of the record (its
 * placements), or the last dues payment that counts (`lastPaidOn`).
 */
export function checkTransfer(
  m: Pick<MemberDoc, 'joinedOn' | 'withdrawnOn' | 'organizationId' | 'orgPathHistory' | 'transfers'>,
  to: DatedBranch & { id: string },
  on: Date,
  lastPaidOn: Date | null,
): void {
  if (m.withdrawnOn) throw badInput('id', `the member withdrew on ${isoDay(m.withdrawnOn)}: register them again instead`);
  if (String(m.organizationId) === to.id.toLowerCase()) throw badInput('toOrganizationId', "is already the member's branch");
  if (on < m.joinedOn) throw badInput('on', `must not be before joining (${isoDay(m.joinedOn)})`);
  const lastTransfer = m.transfers?.at(-1)?.on;
  if (lastTransfer && on <= lastTransfer) throw badInput('on', `must be after the member's last transfer (${isoDay(lastTransfer)})`);
  const lastMove = (m.orgPathHistory ?? []).reduce<Date | null>((a, p) => (!a || p.until > a ? p.until : a), null);
  if (lastMove && on < lastMove) throw badInput('on', `must not be before the member's branch last moved (${isoDay(lastMove)})`);
  if (lastPaidOn && on < lastPaidOn) throw badInput('on', `must not be before the last dues payment (${isoDay(lastPaidOn)})`);
  checkBranchDate(to, on, 'on');
}

// ---- the service-hours workflow (issue 19.6) -------------------------------------------------

export const serviceDecisionInput = z.object({ reason: text(500).nullish(), on: pastDate.nullish() });
export const serviceVoidInput = z.object({ reason: text(500), on: pastDate.nullish() });

const DAY_MS = 86_400_000;

/**
 * The plausibility rule for a new record of `hours` on `date`, given the volunteer's standing
 * records (not rejected or voided) from 6 days before to 6 days after: at most 24 hours a day
 * (checkDailyHours) and at most `weekMax` hours in any 7 consecutive days.
 */
export function checkServiceSeries(nearby: readonly { date: Date; hours: number }[], date: Date, hours: number, weekMax: number): void {
  const sameDay = nearby.filter((r) => r.date.getTime() === date.getTime()).reduce((s, r) => s + r.hours, 0);
  checkDailyHours(sameDay, hours);
  for (let k = 6; k >= 0; k--) {
    const from = new Date(date.getTime() - k * DAY_MS);
    const to = new Date(from.getTime() + 6 * DAY_MS);
    const already = nearby.filter((r) => r.date >= from && r.date <= to).reduce((s, r) => s + r.hours, 0);
    if (already + hours > weekMax)
      throw badInput(
        'input.hours',
        `is implausible: ${already} hours are already recorded from ${isoDay(from)} to ${isoDay(to)}, and at most ${weekMax} hours count in any 7 consecutive days`,
      );
  }
}

/** A decision on a service record: still PENDING (CONFLICT otherwise), not dated before the service. */
export function checkServiceDecision(r: Pick<ServiceRecordDoc, 'status' | 'date' | 'decidedOn'>, on: Date): void {
  if (r.status && r.status !== 'PENDING')
    throw conflict(`the record was already ${r.status.toLowerCase()}${r.decidedOn ? ` on ${isoDay(r.decidedOn)}` : ''}`);
  if (on < r.date) throw badInput('on', `must not be before the service (${isoDay(r.date)})`);
}

/** A voiding: a record that still stands (PENDING or CONFIRMED), not dated before the service. */
export function checkServiceVoid(r: Pick<ServiceRecordDoc, 'status' | 'date' | 'decidedOn'>, on: Date): void {
  if (r.status === 'REJECTED' || r.status === 'VOIDED')
    throw conflict(`the record was already ${r.status.toLowerCase()}${r.decidedOn ? ` on ${isoDay(r.decidedOn)}` : ''}`);
  if (on < r.date) throw badInput('on', `must not be before the service (${isoDay(r.date)})`);
}

// ---- dues reports (issue 19.5) ------------------------------------------------------------

/** The longest renewal-reminder window: ten years. */
const MAX_WINDOW_DAYS = 3660;

/**
 * The last years paid whose paid-up period (to 31 December) ends within `withinDays` days from
 * `asOf`, both ends included: the renewal reminders' condition on `paidThrough`.
 */
export function yearsEndingWithin(asOf: Date, withinDays: number): number[] {
  if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_WINDOW_DAYS)
    throw badInput('withinDays', `must be a whole number from 0 to ${MAX_WINDOW_DAYS}`);
  const until = new Date(asOf.getTime() + withinDays * DAY_MS);
  const years: number[] = [];
  for (let y = asOf.getUTCFullYear(); y <= until.getUTCFullYear(); y++) {
    const end = endOfYear(y);
    if (end >= asOf && end <= until) years.push(y);
  }
  return years;
}

// ---- a member's history (issue 19.4) --------------------------------------------------------

export type MemberEventKind = 'JOINED' | 'TRANSFERRED' | 'DUES_PAID' | 'DUES_REVERSED' | 'LAPSED' | 'WITHDRAWN';
export interface MemberEventRow {
  on: Date;
  kind: MemberEventKind;
  memberId: string;
  organizationId: string;
  detail: string | null;
}

const EVENT_ORDER: MemberEventKind[] = ['JOINED', 'TRANSFERRED', 'DUES_PAID', 'DUES_REVERSED', 'LAPSED', 'WITHDRAWN'];

/** The events of one membership record, oldest first (lapses up to `now`); the branch is the one the member was in that day. */
export function memberEvents(
  m: Pick<MemberDoc, '_id' | 'organizationId' | 'joinedOn' | 'withdrawnOn' | 'withdrawalReason' | 'lapsesOn' | 'lapses' | 'transfers'>,
  ledger: readonly Pick<DuesPaymentDoc, 'organizationId' | 'paidOn' | 'periodFrom' | 'periodTo' | 'reversedOn' | 'reversalReason'>[],
  now: Date,
): MemberEventRow[] {
  const transfers = m.transfers ?? [];
  const branchOn = (d: Date) =>
    String(transfers.filter((t) => t.on <= d).at(-1)?.toOrganizationId ?? transfers[0]?.fromOrganizationId ?? m.organizationId);
  const id = String(m._id);
  const ev = (on: Date, kind: MemberEventKind, organizationId: string, detail: string | null = null): MemberEventRow => ({
    on,
    kind,
    memberId: id,
    organizationId,
    detail,
  });
  const events = [
    ev(m.joinedOn, 'JOINED', branchOn(m.joinedOn)),
    ...transfers.map((t) => ev(t.on, 'TRANSFERRED', String(t.toOrganizationId), t.reason)),
    ...ledger.flatMap((p) => [
      ev(
        p.paidOn,
        'DUES_PAID',
        String(p.organizationId),
        p.periodFrom === p.periodTo ? `${p.periodFrom}` : `${p.periodFrom}-${p.periodTo}`,
      ),
      ...(p.reversedOn ? [ev(p.reversedOn, 'DUES_REVERSED', String(p.organizationId), p.reversalReason ?? null)] : []),
    ]),
    ...m.lapses.map((l) => ev(l.since, 'LAPSED', branchOn(l.since))),
    ...(m.lapsesOn <= now && (!m.withdrawnOn || m.lapsesOn < m.withdrawnOn) ? [ev(m.lapsesOn, 'LAPSED', branchOn(m.lapsesOn))] : []),
    ...(m.withdrawnOn ? [ev(m.withdrawnOn, 'WITHDRAWN', branchOn(m.withdrawnOn), m.withdrawalReason)] : []),
  ];
  return events.sort((a, b) => a.on.getTime() - b.on.getTime() || EVENT_ORDER.indexOf(a.kind) - EVENT_ORDER.indexOf(b.kind));
}
