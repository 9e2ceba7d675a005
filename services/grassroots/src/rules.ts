import { z } from 'zod';
import {
  badInput,
  conflict,
  contactInputSchema,
  formatDate,
  locationInputSchema,
  objectIdInput,
  placeText,
  today,
} from '@rcsc/service-kit';
import type { BranchInfo } from '@rcsc/directory';
import { Types } from 'mongoose';
import {
  EMBEDDINGS,
  EQUIPMENT_KINDS,
  FIVE_HAS,
  HOME_SERVICES,
  SETTINGS,
  UNIT_TYPES,
  type AssessmentDoc,
  type EquipmentDoc,
  type EquipmentKind,
  type FiveHasPeriod,
  type PeriodDoc,
  type SchoolDoc,
  type TownshipRef,
} from './models';
import { findTownship, townshipInBranch, townshipRef } from './places';

/** Today in China (service-kit: facts are dated by the day in Beijing). */
export { today };

export const endOfYear = (year: number) => new Date(Date.UTC(year, 11, 31));

/** A record that exists from `from` (inclusive) until `to` (exclusive, null while it lasts). */
export function existsOn(from: Date, to: Date | null | undefined, date: Date): boolean {
  return from <= date && (!to || to > date);
}

/** Active on `date`: established on or before it and not dissolved by then (annex 1, row 8). */
export const unitActiveOn = (u: { establishedOn: Date; dissolvedOn: Date | null }, date: Date) =>
  existsOn(u.establishedOn, u.dissolvedOn, date);

/** Open on `date`: opened on or before it and not closed by then. */
export const homeOpenOn = (h: { openedOn: Date; closedOn: Date | null }, date: Date) => existsOn(h.openedOn, h.closedOn, date);

/** The MongoDB condition "began at `from` on or before `date` and had not ended at `to` by then". */
export function existsOnFilter(from: string, to: string, date: Date): Record<string, unknown> {
  return { [from]: { $lte: date }, $or: [{ [to]: null }, { [to]: { $gt: date } }] };
}

/** All five points met ("五有"). */
export function meetsAll(a: Record<(typeof FIVE_HAS)[number], { met: boolean }>): boolean {
  return FIVE_HAS.every((p) => a[p].met);
}

/** An assessment as stored, from its input: each point met or not (with evidence), and whether all five are. */
export function assessmentOf(
  input: Record<(typeof FIVE_HAS)[number], { met: boolean; evidence?: string | null }> & {
    assessedOn: Date;
    assessedBy?: string | null;
  },
): AssessmentDoc {
  const point = (p: (typeof FIVE_HAS)[number]) => ({ met: input[p].met, evidence: input[p].evidence ?? null });
  return {
    assessedOn: input.assessedOn,
    leader: point('leader'),
    team: point('team'),
    rules: point('rules'),
    platform: point('platform'),
    activities: point('activities'),
    meetsAll: meetsAll(input),
    assessedBy: input.assessedBy ?? null,
  };
}

/** The latest assessment (the list is kept oldest first). */
export function latestAssessment(list: AssessmentDoc[]): AssessmentDoc | null {
  return list.length ? list[list.length - 1] : null;
}

/**
 * Adds an assessment to a unit's history, oldest first. The date must fall while the unit is
 * active and not in the future; a unit is assessed at most once a day.
 */
export function addAssessment(
  unit: { establishedOn: Date; dissolvedOn: Date | null; assessments: AssessmentDoc[] },
  assessment: AssessmentDoc,
  now = today(),
): AssessmentDoc[] {
  const on = assessment.assessedOn;
  if (on > now) throw badInput('input.assessedOn', 'must not be in the future');
  if (on < unit.establishedOn)
    throw badInput('input.assessedOn', `must not be before the unit was established (${formatDate(unit.establishedOn)})`);
  if (unit.dissolvedOn && on >= unit.dissolvedOn)
    throw badInput('input.assessedOn', `must be before the unit was dissolved (${formatDate(unit.dissolvedOn)})`);
  if (unit.assessments.some((a) => a.assessedOn.getTime() === on.getTime())) {
    throw conflict(`the unit was already assessed on ${formatDate(on)}`, 'input.assessedOn');
  }
  // An assessment dated before the latest one would rewrite what the unit's standing was on
  // past dates: that is a correction, made with correctGrassrootsAssessment and a reason.
  const last = latestAssessment(unit.assessments);
  if (last && on < last.assessedOn) {
    throw conflict(
      `the unit was last assessed on ${formatDate(last.assessedOn)}: an earlier assessment is a correction (correctGrassrootsAssessment, with a reason)`,
      'input.assessedOn',
    );
  }
  return [...unit.assessments, assessment];
}

/**
 * Corrects the past (correctGrassrootsAssessment): replaces the assessment recorded on the same
 * day, or records a missed one, keeping the history oldest first and the reason on it. The date
 * must still fall while the unit is active and not in the future.
 */
export function correctAssessment(
  unit: { establishedOn: Date; dissolvedOn: Date | null; assessments: AssessmentDoc[] },
  assessment: AssessmentDoc,
  reason: string,
  now = today(),
): AssessmentDoc[] {
  const on = assessment.assessedOn;
  if (on > now) throw badInput('input.assessedOn', 'must not be in the future');
  if (on < unit.establishedOn)
    throw badInput('input.assessedOn', `must not be before the unit was established (${formatDate(unit.establishedOn)})`);
  if (unit.dissolvedOn && on >= unit.dissolvedOn)
    throw badInput('input.assessedOn', `must be before the unit was dissolved (${formatDate(unit.dissolvedOn)})`);
  const corrected = { ...assessment, correctionReason: reason };
  return [...unit.assessments.filter((a) => a.assessedOn.getTime() !== on.getTime()), corrected].sort(
    (a, b) => a.assessedOn.getTime() - b.assessedOn.getTime(),
  );
}

/** The five-point periods of an assessment history (oldest first): each assessment holds until the next. */
export function fiveHasPeriods(assessments: AssessmentDoc[]): FiveHasPeriod[] {
  return assessments.map((a, i) => ({ since: a.assessedOn, until: assessments[i + 1]?.assessedOn ?? null, meets: a.meetsAll }));
}

/** Whether the latest assessment on or before `date` met all five points (false if none by then). */
export function meetsFiveHasOn(assessments: AssessmentDoc[], date: Date): boolean {
  let meets = false;
  for (const a of assessments) if (a.assessedOn <= date) meets = a.meetsAll;
  return meets;
}

/** The MongoDB condition "an element of `field` (a dated period array) is in force on `date`", plus `extra` on it. */
export function periodOnFilter(field: string, date: Date, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { [field]: { $elemMatch: { ...extra, since: { $lte: date }, $or: [{ until: null }, { until: { $gt: date } }] } } };
}

/** The period of a list in force on `date`, if any. */
export function periodOn<T extends { since: Date; until: Date | null }>(periods: readonly T[], date: Date): T | undefined {
  return periods.find((p) => existsOn(p.since, p.until, date));
}

/** A unit is dissolved once, after it was established (and its last assessment), not in the future. */
export function checkDissolve(
  unit: { establishedOn: Date; dissolvedOn: Date | null; assessments: AssessmentDoc[] },
  dissolvedOn: Date,
  now = today(),
): void {
  if (unit.dissolvedOn) throw conflict(`the unit was already dissolved on ${formatDate(unit.dissolvedOn)}`, 'id');
  if (dissolvedOn > now) throw badInput('input.dissolvedOn', 'must not be in the future');
  if (dissolvedOn <= unit.establishedOn)
    throw badInput('input.dissolvedOn', `must be after the unit was established (${formatDate(unit.establishedOn)})`);
  const last = latestAssessment(unit.assessments);
  if (last && dissolvedOn <= last.assessedOn)
    throw badInput('input.dissolvedOn', `must be after the latest assessment (${formatDate(last.assessedOn)})`);
}

/** A new establishment date must stay before the dissolution and the first assessment. */
export function checkEstablishedOn(unit: { dissolvedOn: Date | null; assessments: AssessmentDoc[] }, establishedOn: Date): void {
  if (unit.dissolvedOn && establishedOn >= unit.dissolvedOn) throw badInput('input.establishedOn', 'must be before the unit was dissolved');
  const first = unit.assessments[0];
  if (first && establishedOn > first.assessedOn)
    throw badInput('input.establishedOn', `must not be after the first assessment (${formatDate(first.assessedOn)})`);
}

/**
 * The institution a HOSPITAL unit is registered for: in the area of the unit's branch, and
 * without an active unit yet (one unit per institution).
 */
export function checkUnitInstitution(
  institution: { orgPath: readonly unknown[]; grassrootsUnitId: unknown },
  branch: Pick<BranchInfo, 'id' | 'name'>,
): void {
  const field = 'input.medicalInstitutionId';
  if (!institution.orgPath.some((p) => String(p) === branch.id))
    throw badInput(field, `the institution is not in the area of ${branch.name}`);
  if (institution.grassrootsUnitId) throw conflict('the institution already has an active grassroots unit', field);
}

/**
 * A township code as a record stores it: it must exist in the division data and lie in the
 * division of the record's branch (when known). undefined: not changed; null: cleared.
 */
export function townshipAt(
  code: string | null | undefined,
  branch: Pick<BranchInfo, 'name' | 'level' | 'divisionCode'> | null,
  field = 'input.townshipCode',
): TownshipRef | null | undefined {
  if (code == null) return code;
  const t = findTownship(code);
  if (!t) throw badInput(field, 'no township or street has this code');
  if (branch && !townshipInBranch(t, branch)) throw badInput(field, `lies outside the division of ${branch.name}`);
  return townshipRef(t);
}

/** Unit types that carry school equipment / a medical institution. */
export function checkTypeExtras(type: string, extras: { school?: unknown; medicalInstitutionId?: unknown }): void {
  if (extras.school && type !== 'SCHOOL') throw badInput('input.school', 'only SCHOOL units have school equipment');
  if (extras.medicalInstitutionId && type !== 'HOSPITAL')
    throw badInput('input.medicalInstitutionId', 'only HOSPITAL units sit in a medical institution');
}

/** A home's demonstration periods; homes stored before periods have their one designation, still in force. */
export function demonstrationPeriodsOf(home: { demonstrationDesignatedOn: Date | null; demonstrationPeriods?: PeriodDoc[] }): PeriodDoc[] {
  if (home.demonstrationPeriods) return home.demonstrationPeriods;
  return home.demonstrationDesignatedOn ? [{ since: home.demonstrationDesignatedOn, until: null }] : [];
}

interface DemoHome {
  setting: string;
  openedOn: Date;
  closedOn: Date | null;
  demonstrationDesignatedOn: Date | null;
  demonstrationPeriods?: PeriodDoc[];
}

/**
 * Demonstration sites (城市社区博爱家园示范点) are urban homes, designated on a day the home is
 * open, not in the future; a designation in force is a CONFLICT, and so is a date before the
 * last one ended (that would rewrite the past: correct it with correctDemonstrationSite).
 * Returns the periods with the new one.
 */
export function checkDesignation(home: DemoHome, designatedOn: Date, now = today()): PeriodDoc[] {
  const periods = demonstrationPeriodsOf(home);
  const last = periods.at(-1);
  if (last && !last.until) throw conflict(`the home was already designated on ${formatDate(last.since)}`, 'id');
  if (home.setting !== 'URBAN') throw badInput('id', 'only urban Boai homes can be demonstration sites');
  if (designatedOn > now) throw badInput('designatedOn', 'must not be in the future');
  if (!homeOpenOn(home, designatedOn)) throw badInput('designatedOn', 'the home must be open on that date');
  if (last?.until && designatedOn < last.until)
    throw conflict(
      `the last designation ended on ${formatDate(last.until)}: an earlier date is a correction (correctDemonstrationSite)`,
      'designatedOn',
    );
  return [...periods, { since: designatedOn, until: null, reason: null, correctionReason: null }];
}

/** Ends the designation in force on `revokedOn` (after it began, not in the future); the periods with it ended. */
export function checkRevocation(home: DemoHome, revokedOn: Date, reason: string | null, now = today()): PeriodDoc[] {
  const periods = demonstrationPeriodsOf(home);
  const last = periods.at(-1);
  if (!last || last.until) throw conflict('the home is not a demonstration site now', 'id');
  if (revokedOn > now) throw badInput('input.revokedOn', 'must not be in the future');
  if (revokedOn <= last.since) throw badInput('input.revokedOn', `must be after the designation (${formatDate(last.since)})`);
  return [...periods.slice(0, -1), { ...last, until: revokedOn, reason }];
}

/**
 * Corrects the latest designation's dates (correctDemonstrationSite): it starts after the one
 * before ended, ends after it starts, lies while the home is open, and nothing is in the future.
 */
export function correctDesignation(
  home: DemoHome,
  change: { since: Date; until: Date | null },
  reason: string,
  now = today(),
): PeriodDoc[] {
  const periods = demonstrationPeriodsOf(home);
  const last = periods.at(-1);
  if (!last) throw conflict('the home was never designated a demonstration site', 'id');
  const before = periods.at(-2);
  if (change.since > now) throw badInput('input.since', 'must not be in the future');
  if (change.until && change.until > now) throw badInput('input.until', 'must not be in the future');
  if (before?.until && change.since < before.until)
    throw badInput('input.since', `must not be before the previous designation ended (${formatDate(before.until)})`);
  if (change.until && change.until <= change.since) throw badInput('input.until', 'must be after since');
  if (!homeOpenOn(home, change.since)) throw badInput('input.since', 'the home must be open on that date');
  if (home.closedOn && (!change.until || change.until > home.closedOn))
    throw badInput('input.until', `must end by the day the home closed (${formatDate(home.closedOn)})`);
  return [...periods.slice(0, -1), { ...last, since: change.since, until: change.until, correctionReason: reason }];
}

/** A home closes once, after it opened and after its latest designation began, not in the future. */
export function checkClose(home: Omit<DemoHome, 'setting'>, closedOn: Date, now = today()): void {
  if (home.closedOn) throw conflict(`the home was already closed on ${formatDate(home.closedOn)}`, 'id');
  if (closedOn > now) throw badInput('input.closedOn', 'must not be in the future');
  if (closedOn <= home.openedOn) throw badInput('input.closedOn', `must be after the home opened (${formatDate(home.openedOn)})`);
  const last = demonstrationPeriodsOf(home).at(-1);
  if (last && closedOn <= last.since) {
    throw badInput('input.closedOn', 'must be after the home was designated a demonstration site');
  }
}

/** The periods after closing on `closedOn`: a designation in force ends that day (a closed home is no site). */
export function endDesignationsOnClose(home: Omit<DemoHome, 'setting'>, closedOn: Date): PeriodDoc[] {
  return demonstrationPeriodsOf(home).map((p) => (p.until ? p : { ...p, until: closedOn, reason: p.reason ?? 'the home closed' }));
}

/** Changes to a home that its designations and closing date constrain (a home that was ever a site stays urban). */
export function checkHomeUpdate(
  home: { closedOn: Date | null; demonstrationDesignatedOn: Date | null; demonstrationPeriods?: PeriodDoc[] },
  change: { setting?: string | null; openedOn?: Date | null },
): void {
  const first = demonstrationPeriodsOf(home)[0];
  if (change.setting === 'RURAL' && first) throw badInput('input.setting', 'a demonstration site must stay urban');
  if (change.openedOn) {
    if (home.closedOn && change.openedOn >= home.closedOn) throw badInput('input.openedOn', 'must be before the home closed');
    if (first && change.openedOn > first.since) {
      throw badInput('input.openedOn', 'must not be after the demonstration designation');
    }
  }
}

/**
 * A record is dated within its branch's life: not before the branch was established (when the
 * directory knows the date) and not in the future.
 */
export function checkBranchDate(branch: Pick<BranchInfo, 'name' | 'establishedOn'>, on: Date, field: string, now = today()): void {
  if (on > now) throw badInput(field, 'must not be in the future');
  if (branch.establishedOn && on < new Date(`${branch.establishedOn}T00:00:00Z`))
    throw badInput(field, `must not be before ${branch.name} was established (${branch.establishedOn})`);
}

// School equipment as dated records.

/** The counter key (and total field) of each kind of equipment. */
export const EQUIPMENT_KEYS: Record<EquipmentKind, 'aeds' | 'firstAidKits' | 'firstAidKiosks' | 'schoolClinics'> = {
  AED: 'aeds',
  FIRST_AID_KIT: 'firstAidKits',
  FIRST_AID_KIOSK: 'firstAidKiosks',
  SCHOOL_CLINIC: 'schoolClinics',
};
export type EquipmentTotals = Record<(typeof EQUIPMENT_KEYS)[EquipmentKind], number>;

/** The equipment of a unit in place on `date` (installed on or before it, not removed by then), per kind. */
export function equipmentTotalsOn(equipment: readonly EquipmentDoc[], date: Date): EquipmentTotals {
  const totals: EquipmentTotals = { aeds: 0, firstAidKits: 0, firstAidKiosks: 0, schoolClinics: 0 };
  for (const e of equipment) if (existsOn(e.installedOn, e.removedOn, date)) totals[EQUIPMENT_KEYS[e.kind]] += e.count;
  return totals;
}

const newEquipment = (kind: EquipmentKind, count: number, installedOn: Date): EquipmentDoc => ({
  _id: new Types.ObjectId(),
  kind,
  count,
  installedOn,
  removedOn: null,
  removedReason: null,
  correctionReason: null,
});

/** Undated counts (registration, the legacy `school` field) as records installed on `on`. */
export function equipmentFromCounts(school: Partial<SchoolDoc> | null | undefined, on: Date): EquipmentDoc[] {
  if (!school) return [];
  const out: EquipmentDoc[] = [];
  if (school.schoolClinic) out.push(newEquipment('SCHOOL_CLINIC', 1, on));
  if (school.firstAidKiosks) out.push(newEquipment('FIRST_AID_KIOSK', school.firstAidKiosks, on));
  if (school.firstAidKits) out.push(newEquipment('FIRST_AID_KIT', school.firstAidKits, on));
  if (school.aeds) out.push(newEquipment('AED', school.aeds, on));
  return out;
}

type EquipmentUnit = { type: string; establishedOn: Date; dissolvedOn: Date | null; equipment?: EquipmentDoc[] };

function checkEquipmentDate(unit: EquipmentUnit, on: Date, field: string, now: Date) {
  if (unit.type !== 'SCHOOL') throw badInput('id', 'only SCHOOL units have school equipment');
  if (on > now) throw badInput(field, 'must not be in the future');
  if (!unitActiveOn(unit, on)) throw badInput(field, 'the unit must be active on that date');
}

/** Installs `count` pieces on a day the school unit is active (a clinic is one); the list with the new record. */
export function installEquipment(
  unit: EquipmentUnit,
  input: { kind: EquipmentKind; count: number; installedOn: Date },
  now = today(),
): EquipmentDoc[] {
  checkEquipmentDate(unit, input.installedOn, 'input.installedOn', now);
  if (input.kind === 'SCHOOL_CLINIC' && input.count !== 1) throw badInput('input.count', 'a school clinic is recorded one at a time');
  return [...(unit.equipment ?? []), newEquipment(input.kind, input.count, input.installedOn)];
}

function findEquipment(unit: EquipmentUnit, id: string): EquipmentDoc {
  const found = (unit.equipment ?? []).find((e) => String(e._id) === id);
  if (!found) throw badInput('input.equipmentId', 'the unit has no equipment record with this id');
  return found;
}

/**
 * Removes a record's pieces on `removedOn` (after it was installed, not in the future). Removing
 * only some of them splits the record: the rest stays installed since the same day, so no past
 * total changes.
 */
export function removeEquipment(
  unit: EquipmentUnit,
  input: { equipmentId: string; removedOn: Date; count?: number | null; reason?: string | null },
  now = today(),
): EquipmentDoc[] {
  const e = findEquipment(unit, input.equipmentId);
  if (e.removedOn) throw conflict(`the equipment was already removed on ${formatDate(e.removedOn)}`, 'input.equipmentId');
  checkEquipmentDate(unit, input.removedOn, 'input.removedOn', now);
  if (input.removedOn <= e.installedOn) throw badInput('input.removedOn', `must be after it was installed (${formatDate(e.installedOn)})`);
  const n = input.count ?? e.count;
  if (n > e.count) throw badInput('input.count', `must be at most the ${e.count} pieces of the record`);
  const removed = { ...e, count: n, removedOn: input.removedOn, removedReason: input.reason ?? null };
  const rest = n < e.count ? [{ ...e, _id: new Types.ObjectId(), count: e.count - n }] : [];
  return (unit.equipment ?? []).flatMap((x) => (x === e ? [removed, ...rest] : [x]));
}

/** Corrects a record's count or dates with a reason (correctSchoolEquipment): the same checks as when it was written. */
export function correctEquipment(
  unit: EquipmentUnit,
  input: { equipmentId: string; count?: number | null; installedOn?: Date | null; removedOn?: Date | null; reason: string },
  now = today(),
): EquipmentDoc[] {
  const e = findEquipment(unit, input.equipmentId);
  const next = {
    ...e,
    count: input.count ?? e.count,
    installedOn: input.installedOn ?? e.installedOn,
    removedOn: input.removedOn === undefined ? e.removedOn : input.removedOn,
    correctionReason: input.reason,
  };
  checkEquipmentDate(unit, next.installedOn, 'input.installedOn', now);
  if (next.kind === 'SCHOOL_CLINIC' && next.count !== 1) throw badInput('input.count', 'a school clinic is recorded one at a time');
  if (next.removedOn) {
    if (next.removedOn <= next.installedOn) throw badInput('input.removedOn', 'must be after it was installed');
    if (next.removedOn > now) throw badInput('input.removedOn', 'must not be in the future');
  }
  return (unit.equipment ?? []).map((x) => (x === e ? next : x));
}

/**
 * The equipment after setting the counts in place on `on` (updateGrassrootsUnit's `school`, kept
 * for compatibility): more pieces are installed that day, fewer are removed that day (newest
 * records first, split when partial). The past stays as it was.
 */
export function equipmentSetTo(unit: EquipmentUnit, counts: SchoolDoc, on: Date): EquipmentDoc[] {
  let list = [...(unit.equipment ?? [])];
  const target: EquipmentTotals = {
    aeds: counts.aeds,
    firstAidKits: counts.firstAidKits,
    firstAidKiosks: counts.firstAidKiosks,
    schoolClinics: counts.schoolClinic ? Math.max(1, equipmentTotalsOn(list, on).schoolClinics) : 0,
  };
  for (const kind of EQUIPMENT_KINDS) {
    const key = EQUIPMENT_KEYS[kind];
    let diff = target[key] - equipmentTotalsOn(list, on)[key];
    if (diff > 0) {
      list = [
        ...list,
        ...(kind === 'SCHOOL_CLINIC' ? Array.from({ length: diff }, () => newEquipment(kind, 1, on)) : [newEquipment(kind, diff, on)]),
      ];
      continue;
    }
    // Fewer: remove from the newest records in place (a record installed that very day is dropped, not removed).
    const inPlace = list.filter((e) => e.kind === kind && existsOn(e.installedOn, e.removedOn, on)).reverse();
    for (const e of inPlace) {
      if (diff >= 0) break;
      const n = Math.min(e.count, -diff);
      diff += n;
      const sameDay = e.installedOn.getTime() === on.getTime();
      const rest = e.count > n ? [{ ...e, _id: new Types.ObjectId(), count: e.count - n }] : [];
      const gone = sameDay ? [] : [{ ...e, count: n, removedOn: on, removedReason: null }];
      list = list.flatMap((x) => (x === e ? [...gone, ...rest] : [x]));
    }
  }
  return list;
}

// Contact details and locations: the rules every subgraph shares (service-kit's places).
export { CHINA_BOUNDS, contactOf } from '@rcsc/service-kit';
const contactInput = contactInputSchema;
const locationInput = locationInputSchema;

// Input schemas. Names are trimmed; control characters are refused so exports stay clean.
const text = placeText;

const objectIdSchema = objectIdInput;
export const townshipCodeSchema = z.string().regex(/^\d{9}$/, 'must be a nine-digit township code');
export const divisionCodeSchema = z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 code');
const date = z.date({ message: 'must be a date' });
const pastDate = date.refine((d) => d <= today(), 'must not be in the future');
const count = z.number().int().min(0, 'must not be negative').max(10_000, 'must be at most 10000');

const leaderInput = z.object({
  name: text(30),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
    .nullish(),
});

const schoolInput = z.object({
  schoolClinic: z.boolean().default(false),
  firstAidKiosks: count.default(0),
  firstAidKits: count.default(0),
  aeds: count.default(0),
});

export const registerUnitInput = z
  .object({
    organizationId: objectIdSchema,
    name: text(100),
    type: z.enum(UNIT_TYPES),
    townshipCode: townshipCodeSchema.nullish(),
    community: text(60).nullish(),
    establishedOn: pastDate,
    leader: leaderInput.nullish(),
    school: schoolInput.nullish(),
    medicalInstitutionId: objectIdSchema.nullish(),
    contact: contactInput.nullish(),
    location: locationInput.nullish(),
  })
  .refine((v) => !v.school || v.type === 'SCHOOL', { message: 'only SCHOOL units have school equipment', path: ['school'] })
  .refine((v) => !v.medicalInstitutionId || v.type === 'HOSPITAL', {
    message: 'only HOSPITAL units sit in a medical institution',
    path: ['medicalInstitutionId'],
  });

export const updateUnitInput = z
  .object({
    name: text(100).optional(),
    townshipCode: townshipCodeSchema.nullish(),
    community: text(60).nullish(),
    establishedOn: pastDate.optional(),
    leader: leaderInput.nullish(),
    school: schoolInput.optional(),
    contact: contactInput.nullish(),
    location: locationInput.nullish(),
  })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

const itemInput = z.object({ met: z.boolean(), evidence: text(500).nullish() });

export const assessmentInput = z.object({
  assessedOn: date,
  leader: itemInput,
  team: itemInput,
  rules: itemInput,
  platform: itemInput,
  activities: itemInput,
  assessedBy: text(60).nullish(),
});

export const dissolveUnitInput = z.object({ dissolvedOn: date, reason: text(200).nullish() });

export const registerInstitutionInput = z.object({
  organizationId: objectIdSchema,
  name: text(100),
  redCrossNamed: z.boolean().default(false),
  townshipCode: townshipCodeSchema.nullish(),
});

export const updateInstitutionInput = z
  .object({ name: text(100).optional(), redCrossNamed: z.boolean().optional(), townshipCode: townshipCodeSchema.nullish() })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

const servicesInput = z
  .array(z.enum(HOME_SERVICES))
  .max(HOME_SERVICES.length)
  .refine((s) => new Set(s).size === s.length, 'must not repeat a service');

export const openHomeInput = z.object({
  organizationId: objectIdSchema,
  name: text(100),
  setting: z.enum(SETTINGS),
  townshipCode: townshipCodeSchema.nullish(),
  community: text(60),
  embeddedIn: z.enum(EMBEDDINGS).default('STANDALONE'),
  services: servicesInput.default([]),
  openedOn: pastDate,
  contact: contactInput.nullish(),
  location: locationInput.nullish(),
});

export const updateHomeInput = z
  .object({
    name: text(100).optional(),
    setting: z.enum(SETTINGS).optional(),
    townshipCode: townshipCodeSchema.nullish(),
    community: text(60).optional(),
    embeddedIn: z.enum(EMBEDDINGS).optional(),
    services: servicesInput.optional(),
    openedOn: pastDate.optional(),
    contact: contactInput.nullish(),
    location: locationInput.nullish(),
  })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

export const designationDate = date;

export const closeHomeInput = z.object({ closedOn: date, reason: text(200).nullish() });

const reason = text(200);

export const correctAssessmentInput = assessmentInput.extend({ reason });

export const revokeDesignationInput = z.object({ revokedOn: date, reason: text(200).nullish() });

export const correctDesignationInput = z.object({ since: date, until: date.nullish(), reason });

const pieces = z.number().int().min(1, 'must be at least 1').max(10_000, 'must be at most 10000');

export const installEquipmentInput = z.object({ kind: z.enum(EQUIPMENT_KINDS), count: pieces.default(1), installedOn: date });

export const removeEquipmentInput = z.object({
  equipmentId: objectIdSchema,
  removedOn: date,
  count: pieces.nullish(),
  reason: text(200).nullish(),
});

export const correctEquipmentInput = z
  .object({ equipmentId: objectIdSchema, count: pieces.nullish(), installedOn: date.nullish(), removedOn: date.nullish(), reason })
  .refine((v) => v.count != null || v.installedOn != null || v.removedOn !== undefined, 'must correct at least one field');

/** "基本覆盖": the share of county-level cities covered that counts as basic coverage, unless a query says otherwise. */
export const DEFAULT_BASIC_COVERAGE = 0.9;

/** A coverage threshold argument: a share in (0, 1]. */
export function coverageThreshold(value: number | null | undefined, field: string): number {
  if (value == null) return DEFAULT_BASIC_COVERAGE;
  if (!(value > 0 && value <= 1)) throw badInput(field, 'must be a share greater than 0 and at most 1');
  return value;
}

// Groups and group sets.

/** The counter key of a group's members (a plain name, as @rcsc/counters wants). */
export const groupKey = (groupId: unknown) => `g${String(groupId)}`;

/**
 * A record joins a group on `since`: the group is defined at the record's branch or above and is
 * for its kind; the day lies in the record's life, not in the future; it is not a member now,
 * and not before its last membership ended (that would rewrite the past); and it is in no
 * other group of the same set on any day from `since` on (a set's groups exclude each other).
 */
export function checkJoin(
  record: { orgPath: readonly unknown[]; from: Date; to: Date | null; groups?: { groupId: unknown; since: Date; until: Date | null }[] },
  group: { _id: unknown; orgPath: readonly unknown[]; organizationId: unknown; groupSet: string; kind: string },
  kind: string,
  since: Date,
  sameSet: (groupId: string) => boolean,
  now = today(),
): { groupId: Types.ObjectId; since: Date; until: Date | null }[] {
  if (group.kind !== kind) throw badInput('groupId', `the group is for ${group.kind}`);
  if (!record.orgPath.some((p) => String(p) === String(group.organizationId)))
    throw badInput('groupId', "the group is not defined at the record's branch or above");
  if (since > now) throw badInput('input.since', 'must not be in the future');
  if (!existsOn(record.from, record.to, since)) throw badInput('input.since', 'the record must stand on that day');
  const list = record.groups ?? [];
  const mine = list.filter((m) => String(m.groupId) === String(group._id));
  const last = mine.at(-1);
  if (last && !last.until) throw conflict(`already a member since ${formatDate(last.since)}`, 'groupId');
  if (last?.until && since < last.until)
    throw conflict(`the last membership ended on ${formatDate(last.until)}: an earlier day would rewrite it`, 'input.since');
  const clash = list.find((m) => String(m.groupId) !== String(group._id) && sameSet(String(m.groupId)) && (!m.until || m.until > since));
  if (clash) throw conflict(`the record is in another group of the set "${group.groupSet}" on that day`, 'groupId');
  const oid = (x: unknown) => new Types.ObjectId(String(x));
  return [...list.map((m) => ({ ...m, groupId: oid(m.groupId) })), { groupId: oid(group._id), since, until: null }];
}

/** A record leaves a group on `until` (after it joined, not in the future). */
export function checkLeave(
  record: { groups?: { groupId: unknown; since: Date; until: Date | null }[] },
  groupId: string,
  until: Date,
  now = today(),
): { groupId: Types.ObjectId; since: Date; until: Date | null }[] {
  const list = record.groups ?? [];
  const current = list.find((m) => String(m.groupId) === groupId && !m.until);
  if (!current) throw conflict('the record is not a member of the group now', 'groupId');
  if (until > now) throw badInput('input.until', 'must not be in the future');
  if (until <= current.since) throw badInput('input.until', `must be after the record joined (${formatDate(current.since)})`);
  return list.map((m) =>
    m === current
      ? { ...m, groupId: new Types.ObjectId(String(m.groupId)), until }
      : { ...m, groupId: new Types.ObjectId(String(m.groupId)) },
  );
}

export const createGroupInput = z.object({
  organizationId: objectIdSchema,
  name: text(60),
  groupSet: text(60),
  kind: z.enum(['UNITS', 'BOAI_HOMES']),
});

export const joinGroupInput = z.object({ recordId: objectIdSchema, since: date });
export const leaveGroupInput = z.object({ recordId: objectIdSchema, until: date });
