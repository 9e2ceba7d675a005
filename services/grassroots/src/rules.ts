import { z } from 'zod';
import { badInput, conflict, formatDate } from '@rcsc/service-kit';
import type { BranchInfo } from '@rcsc/directory';
import { EMBEDDINGS, FIVE_HAS, HOME_SERVICES, SETTINGS, UNIT_TYPES, type AssessmentDoc, type TownshipRef } from './models';
import { findTownship, townshipInBranch, townshipRef } from './places';

/** Today's date at UTC midnight: facts are dated by day. */
export function today(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

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
  return [...unit.assessments, assessment].sort((a, b) => a.assessedOn.getTime() - b.assessedOn.getTime());
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

/**
 * Demonstration sites (城市社区博爱家园示范点) are urban homes, designated once, on a day the home
 * is open, not in the future.
 */
export function checkDesignation(
  home: { setting: string; openedOn: Date; closedOn: Date | null; demonstrationDesignatedOn: Date | null },
  designatedOn: Date,
  now = today(),
): void {
  if (home.demonstrationDesignatedOn)
    throw conflict(`the home was already designated on ${formatDate(home.demonstrationDesignatedOn)}`, 'id');
  if (home.setting !== 'URBAN') throw badInput('id', 'only urban Boai homes can be demonstration sites');
  if (designatedOn > now) throw badInput('designatedOn', 'must not be in the future');
  if (!homeOpenOn(home, designatedOn)) throw badInput('designatedOn', 'the home must be open on that date');
}

/** A home closes once, after it opened and after any designation, not in the future. */
export function checkClose(
  home: { openedOn: Date; closedOn: Date | null; demonstrationDesignatedOn: Date | null },
  closedOn: Date,
  now = today(),
): void {
  if (home.closedOn) throw conflict(`the home was already closed on ${formatDate(home.closedOn)}`, 'id');
  if (closedOn > now) throw badInput('input.closedOn', 'must not be in the future');
  if (closedOn <= home.openedOn) throw badInput('input.closedOn', `must be after the home opened (${formatDate(home.openedOn)})`);
  if (home.demonstrationDesignatedOn && closedOn <= home.demonstrationDesignatedOn) {
    throw badInput('input.closedOn', 'must be after the home was designated a demonstration site');
  }
}

/** Changes to a home that the designation and closing dates constrain. */
export function checkHomeUpdate(
  home: { closedOn: Date | null; demonstrationDesignatedOn: Date | null },
  change: { setting?: string | null; openedOn?: Date | null },
): void {
  if (change.setting === 'RURAL' && home.demonstrationDesignatedOn) throw badInput('input.setting', 'a demonstration site must stay urban');
  if (change.openedOn) {
    if (home.closedOn && change.openedOn >= home.closedOn) throw badInput('input.openedOn', 'must be before the home closed');
    if (home.demonstrationDesignatedOn && change.openedOn > home.demonstrationDesignatedOn) {
      throw badInput('input.openedOn', 'must not be after the demonstration designation');
    }
  }
}

// Input schemas. Names are trimmed; control characters are refused so exports stay clean.
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id returned by this graph');
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
  })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

export const designationDate = date;

export const closeHomeInput = z.object({ closedOn: date, reason: text(200).nullish() });
