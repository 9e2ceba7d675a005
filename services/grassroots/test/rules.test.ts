import { GraphQLError } from 'graphql';
import { parseInput } from '@rcsc/service-kit';
import type { AssessmentDoc } from '../src/models';
import { findTownship, townshipInBranch } from '../src/places';
import {
  addAssessment,
  assessmentOf,
  checkUnitInstitution,
  townshipAt,
  checkClose,
  checkDesignation,
  checkDissolve,
  checkEstablishedOn,
  checkHomeUpdate,
  existsOn,
  meetsAll,
  openHomeInput,
  registerUnitInput,
  assessmentInput,
  checkBranchDate,
  checkRevocation,
  correctAssessment,
  correctDesignation,
  correctEquipment,
  coverageThreshold,
  equipmentFromCounts,
  equipmentSetTo,
  equipmentTotalsOn,
  fiveHasPeriods,
  installEquipment,
  meetsFiveHasOn,
  removeEquipment,
  updateUnitInput,
} from '../src/rules';
import { coverageTargets } from '../src/indicators';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const NOW = d('2021-12-15');

function failure(fn: () => unknown): { code: string; fields: string[] } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    const err = e as GraphQLError;
    return { code: String(err.extensions.code), fields: ((err.extensions.fields ?? []) as { field: string }[]).map((f) => f.field) };
  }
  throw new Error('expected an error');
}

const item = (met: boolean) => ({ met, evidence: null });
const assessment = (on: string, met = true): AssessmentDoc => ({
  assessedOn: d(on),
  leader: item(true),
  team: item(true),
  rules: item(met),
  platform: item(true),
  activities: item(true),
  meetsAll: met,
  assessedBy: null,
});

describe('dated facts', () => {
  it('exist from their start (inclusive) until their end (exclusive)', () => {
    expect(existsOn(d('2020-03-01'), d('2021-03-01'), d('2020-02-29'))).toBe(false);
    expect(existsOn(d('2020-03-01'), d('2021-03-01'), d('2020-03-01'))).toBe(true);
    expect(existsOn(d('2020-03-01'), d('2021-03-01'), d('2021-02-28'))).toBe(true);
    expect(existsOn(d('2020-03-01'), d('2021-03-01'), d('2021-03-01'))).toBe(false);
    expect(existsOn(d('2020-03-01'), null, d('2030-01-01'))).toBe(true);
  });
});

describe('the five-point standard', () => {
  it('is met only when all five points are', () => {
    expect(meetsAll(assessment('2021-01-01'))).toBe(true);
    expect(meetsAll(assessment('2021-01-01', false))).toBe(false);
  });

  it('stores an assessment from its input: evidence kept or null, all five met or not', () => {
    const point = { met: true };
    const input = { assessedOn: d('2021-05-01'), leader: point, team: point, rules: point, platform: point, activities: point };
    expect(assessmentOf({ ...input, activities: { met: true, evidence: '活动记录' } })).toEqual({
      assessedOn: d('2021-05-01'),
      leader: { met: true, evidence: null },
      team: { met: true, evidence: null },
      rules: { met: true, evidence: null },
      platform: { met: true, evidence: null },
      activities: { met: true, evidence: '活动记录' },
      meetsAll: true,
      assessedBy: null,
    });
    expect(assessmentOf({ ...input, platform: { met: false }, assessedBy: '评估组' })).toMatchObject({
      meetsAll: false,
      assessedBy: '评估组',
    });
  });

  // Issue 16: an assessment dated before the latest rewrote the unit's past standing silently.
  it('refuses an assessment dated before the latest one: the past changes only by a correction with a reason', () => {
    const unit = { establishedOn: d('2019-01-01'), dissolvedOn: null, assessments: [assessment('2020-06-01', false)] };
    expect(failure(() => addAssessment(unit, assessment('2019-06-01'), NOW))).toEqual({ code: 'CONFLICT', fields: ['input.assessedOn'] });
    const corrected = correctAssessment(unit, assessment('2019-06-01'), '漏录', NOW);
    expect(corrected.map((a) => [a.assessedOn.toISOString().slice(0, 10), a.correctionReason ?? null])).toEqual([
      ['2019-06-01', '漏录'],
      ['2020-06-01', null],
    ]);
    // Replacing the assessment of a day keeps one per day.
    const replaced = correctAssessment({ ...unit, assessments: corrected }, assessment('2020-06-01', true), '评分错误', NOW);
    expect(replaced.map((a) => a.meetsAll)).toEqual([true, true]);
    expect(failure(() => correctAssessment(unit, assessment('2018-06-01'), '错', NOW)).fields).toEqual(['input.assessedOn']);
    expect(failure(() => correctAssessment(unit, assessment('2022-01-01'), '错', NOW)).fields).toEqual(['input.assessedOn']);
  });

  it('derive dated five-point periods: each assessment holds until the next', () => {
    const history = [assessment('2019-06-01', false), assessment('2020-06-01', true), assessment('2021-06-01', false)];
    expect(fiveHasPeriods(history)).toEqual([
      { since: d('2019-06-01'), until: d('2020-06-01'), meets: false },
      { since: d('2020-06-01'), until: d('2021-06-01'), meets: true },
      { since: d('2021-06-01'), until: null, meets: false },
    ]);
    expect(meetsFiveHasOn(history, d('2019-05-31'))).toBe(false);
    expect(meetsFiveHasOn(history, d('2020-06-01'))).toBe(true);
    expect(meetsFiveHasOn(history, d('2021-05-31'))).toBe(true);
    expect(meetsFiveHasOn(history, d('2021-06-01'))).toBe(false);
  });

  it("refuses assessments outside the unit's life, in the future, or twice a day", () => {
    const unit = { establishedOn: d('2019-01-01'), dissolvedOn: d('2021-01-01'), assessments: [assessment('2020-06-01')] };
    expect(failure(() => addAssessment(unit, assessment('2018-12-31'), NOW))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['input.assessedOn'],
    });
    expect(failure(() => addAssessment(unit, assessment('2021-01-01'), NOW))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['input.assessedOn'],
    });
    expect(failure(() => addAssessment({ ...unit, dissolvedOn: null }, assessment('2022-01-01'), NOW)).fields).toEqual([
      'input.assessedOn',
    ]);
    expect(failure(() => addAssessment(unit, assessment('2020-06-01'), NOW))).toEqual({ code: 'CONFLICT', fields: ['input.assessedOn'] });
  });
});

describe('dissolving a unit', () => {
  const unit = { establishedOn: d('2019-01-01'), dissolvedOn: null, assessments: [assessment('2020-06-01')] };
  it('happens once, after it was established and last assessed, not in the future', () => {
    expect(() => checkDissolve(unit, d('2021-01-01'), NOW)).not.toThrow();
    expect(failure(() => checkDissolve(unit, d('2019-01-01'), NOW))).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.dissolvedOn'] });
    expect(failure(() => checkDissolve(unit, d('2020-06-01'), NOW)).fields).toEqual(['input.dissolvedOn']);
    expect(failure(() => checkDissolve(unit, d('2022-01-01'), NOW)).fields).toEqual(['input.dissolvedOn']);
    expect(failure(() => checkDissolve({ ...unit, dissolvedOn: d('2021-01-01') }, d('2021-02-01'), NOW)).code).toBe('CONFLICT');
  });
  it('keeps the establishment date before the first assessment and the dissolution', () => {
    expect(() => checkEstablishedOn(unit, d('2018-01-01'))).not.toThrow();
    expect(failure(() => checkEstablishedOn(unit, d('2020-07-01'))).fields).toEqual(['input.establishedOn']);
    expect(failure(() => checkEstablishedOn({ ...unit, assessments: [], dissolvedOn: d('2020-01-01') }, d('2020-01-01'))).fields).toEqual([
      'input.establishedOn',
    ]);
  });
});

describe('Boai homes', () => {
  const home = { setting: 'URBAN', openedOn: d('2020-01-10'), closedOn: null, demonstrationDesignatedOn: null };
  it('are designated demonstration sites once, only when urban and open', () => {
    expect(() => checkDesignation(home, d('2021-05-01'), NOW)).not.toThrow();
    expect(failure(() => checkDesignation({ ...home, setting: 'RURAL' }, d('2021-05-01'), NOW))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['id'],
    });
    expect(failure(() => checkDesignation(home, d('2020-01-09'), NOW)).fields).toEqual(['designatedOn']);
    expect(failure(() => checkDesignation({ ...home, closedOn: d('2021-01-01') }, d('2021-05-01'), NOW)).fields).toEqual(['designatedOn']);
    expect(failure(() => checkDesignation(home, d('2022-05-01'), NOW)).fields).toEqual(['designatedOn']);
    expect(failure(() => checkDesignation({ ...home, demonstrationDesignatedOn: d('2021-05-01') }, d('2021-06-01'), NOW)).code).toBe(
      'CONFLICT',
    );
  });
  it('close once, after they opened and after any designation', () => {
    expect(() => checkClose(home, d('2021-01-01'), NOW)).not.toThrow();
    expect(failure(() => checkClose(home, d('2020-01-10'), NOW)).fields).toEqual(['input.closedOn']);
    expect(failure(() => checkClose({ ...home, demonstrationDesignatedOn: d('2021-05-01') }, d('2021-04-01'), NOW)).fields).toEqual([
      'input.closedOn',
    ]);
    expect(failure(() => checkClose({ ...home, closedOn: d('2021-01-01') }, d('2021-02-01'), NOW)).code).toBe('CONFLICT');
  });
  it('stay urban while designated, and keep their opening before closing and designation', () => {
    const designated = { closedOn: null, demonstrationDesignatedOn: d('2021-05-01') };
    expect(failure(() => checkHomeUpdate(designated, { setting: 'RURAL' })).fields).toEqual(['input.setting']);
    expect(failure(() => checkHomeUpdate(designated, { openedOn: d('2021-06-01') })).fields).toEqual(['input.openedOn']);
    expect(
      failure(() => checkHomeUpdate({ closedOn: d('2021-01-01'), demonstrationDesignatedOn: null }, { openedOn: d('2021-01-01') })).fields,
    ).toEqual(['input.openedOn']);
    expect(() => checkHomeUpdate(designated, { setting: 'URBAN', openedOn: d('2021-04-01') })).not.toThrow();
  });
});

describe('townships', () => {
  const beishan = findTownship('330106002')!;
  it('come from the division data', () => {
    expect(beishan.name).toBe('北山街道');
    expect(findTownship('330106999')).toBeNull();
  });
  it("lie in a branch's division by code prefix, by level", () => {
    expect(townshipInBranch(beishan, { level: 'COUNTY', divisionCode: '330106' })).toBe(true);
    expect(townshipInBranch(beishan, { level: 'COUNTY', divisionCode: '330105' })).toBe(false);
    expect(townshipInBranch(beishan, { level: 'PREFECTURE', divisionCode: '330100' })).toBe(true);
    expect(townshipInBranch(beishan, { level: 'PROVINCIAL', divisionCode: '330000' })).toBe(true);
    expect(townshipInBranch(beishan, { level: 'PROVINCIAL', divisionCode: '320000' })).toBe(false);
    expect(townshipInBranch(beishan, { level: 'PROVINCIAL', divisionCode: null })).toBe(true);
  });
  it('are stored as code and name, in the division of the record’s branch (undefined: unchanged, null: cleared)', () => {
    const xihu = { name: '西湖区红十字会', level: 'COUNTY' as const, divisionCode: '330106' };
    expect(townshipAt('330106002', xihu)).toEqual({ code: '330106002', name: '北山街道' });
    expect(townshipAt('330106002', null)).toEqual({ code: '330106002', name: '北山街道' });
    expect(townshipAt(undefined, xihu)).toBeUndefined();
    expect(townshipAt(null, xihu)).toBeNull();
    expect(failure(() => townshipAt('330106999', xihu)).fields).toEqual(['input.townshipCode']);
    expect(failure(() => townshipAt('320102002', xihu, 'townshipCode'))).toEqual({ code: 'BAD_USER_INPUT', fields: ['townshipCode'] });
  });
});

describe('a HOSPITAL unit’s institution', () => {
  const branch = { id: 'b'.repeat(24), name: '西湖区红十字会' };
  const path = ['a'.repeat(24), 'b'.repeat(24)];
  it('lies in the area of the unit’s branch and has no active unit yet', () => {
    expect(() => checkUnitInstitution({ orgPath: path, grassrootsUnitId: null }, branch)).not.toThrow();
    expect(failure(() => checkUnitInstitution({ orgPath: ['a'.repeat(24)], grassrootsUnitId: null }, branch))).toEqual({
      code: 'BAD_USER_INPUT',
      fields: ['input.medicalInstitutionId'],
    });
    expect(failure(() => checkUnitInstitution({ orgPath: path, grassrootsUnitId: 'c'.repeat(24) }, branch))).toEqual({
      code: 'CONFLICT',
      fields: ['input.medicalInstitutionId'],
    });
  });
});

describe('input schemas', () => {
  const fields = (schema: Parameters<typeof parseInput>[0], value: unknown) => failure(() => parseInput(schema, value)).fields.sort();

  it('name every offending field of a unit registration', () => {
    expect(
      fields(registerUnitInput, {
        organizationId: 'x',
        name: ' ',
        type: 'CASTLE',
        townshipCode: '3301',
        establishedOn: d('2999-01-01'),
        leader: { name: '王伟', phone: '12345' },
      }),
    ).toEqual(['input.establishedOn', 'input.leader.phone', 'input.name', 'input.organizationId', 'input.townshipCode', 'input.type']);
  });

  it('keep school equipment to schools and institutions to hospitals', () => {
    const base = { organizationId: 'a'.repeat(24), name: '某单位', establishedOn: d('2020-01-01') };
    expect(fields(registerUnitInput, { ...base, type: 'ENTERPRISE', school: { aeds: 1 } })).toEqual(['input.school']);
    expect(fields(registerUnitInput, { ...base, type: 'SCHOOL', medicalInstitutionId: 'b'.repeat(24) })).toEqual([
      'input.medicalInstitutionId',
    ]);
    expect(fields(registerUnitInput, { ...base, type: 'SCHOOL', school: { aeds: -1 } })).toEqual(['input.school.aeds']);
  });

  it('check assessments and homes', () => {
    expect(
      fields(assessmentInput, {
        assessedOn: d('2021-01-01'),
        leader: { met: true },
        team: { met: 'yes' },
        rules: { met: true },
        platform: { met: true },
      }),
    ).toEqual(['input.activities', 'input.team.met']);
    expect(
      fields(openHomeInput, {
        organizationId: 'a'.repeat(24),
        name: '家园',
        setting: 'URBAN',
        community: '',
        services: ['ELDERLY_CARE', 'ELDERLY_CARE'],
        openedOn: d('2020-01-01'),
      }),
    ).toEqual(['input.community', 'input.services']);
  });
});

describe('demonstration periods', () => {
  const home = { setting: 'URBAN', openedOn: d('2020-01-10'), closedOn: null, demonstrationDesignatedOn: null };
  it('are designated, revoked and designated again, never rewriting an earlier period', () => {
    const first = checkDesignation(home, d('2020-05-01'), NOW);
    const revoked = checkRevocation({ ...home, demonstrationPeriods: first }, d('2021-01-01'), '复核未通过', NOW);
    expect(revoked).toEqual([{ since: d('2020-05-01'), until: d('2021-01-01'), reason: '复核未通过', correctionReason: null }]);
    const h = { ...home, demonstrationPeriods: revoked };
    // A new designation before the last one ended would change the past: a correction.
    expect(failure(() => checkDesignation(h, d('2020-12-01'), NOW))).toEqual({ code: 'CONFLICT', fields: ['designatedOn'] });
    expect(checkDesignation(h, d('2021-03-01'), NOW)).toHaveLength(2);
    expect(failure(() => checkRevocation(h, d('2021-06-01'), null, NOW)).code).toBe('CONFLICT');
    expect(failure(() => checkRevocation({ ...home, demonstrationPeriods: first }, d('2020-05-01'), null, NOW)).fields).toEqual([
      'input.revokedOn',
    ]);
  });
  it('read a home stored before periods as its one designation, in force', () => {
    expect(failure(() => checkDesignation({ ...home, demonstrationDesignatedOn: d('2021-05-01') }, d('2021-06-01'), NOW)).code).toBe(
      'CONFLICT',
    );
  });
  it("correct the latest period with a reason, within the home's life and after the previous one", () => {
    const periods = [
      { since: d('2020-05-01'), until: d('2020-09-01') },
      { since: d('2021-01-01'), until: null },
    ];
    const h = { ...home, demonstrationPeriods: periods };
    expect(correctDesignation(h, { since: d('2020-10-01'), until: null }, '批文日期有误', NOW).at(-1)).toMatchObject({
      since: d('2020-10-01'),
      correctionReason: '批文日期有误',
    });
    expect(failure(() => correctDesignation(h, { since: d('2020-08-01'), until: null }, 'x', NOW)).fields).toEqual(['input.since']);
    expect(failure(() => correctDesignation(h, { since: d('2021-01-01'), until: d('2021-01-01') }, 'x', NOW)).fields).toEqual([
      'input.until',
    ]);
    expect(failure(() => correctDesignation(home, { since: d('2021-01-01'), until: null }, 'x', NOW)).code).toBe('CONFLICT');
  });
});

describe('school equipment records', () => {
  const school = { type: 'SCHOOL', establishedOn: d('2019-03-01'), dissolvedOn: null };
  it('move undated counts to records installed on a given day', () => {
    const list = equipmentFromCounts({ schoolClinic: true, firstAidKiosks: 0, firstAidKits: 12, aeds: 2 }, d('2019-03-01'));
    expect(list.map((e) => [e.kind, e.count])).toEqual([
      ['SCHOOL_CLINIC', 1],
      ['FIRST_AID_KIT', 12],
      ['AED', 2],
    ]);
    expect(equipmentTotalsOn(list, d('2019-02-28'))).toEqual({ aeds: 0, firstAidKits: 0, firstAidKiosks: 0, schoolClinics: 0 });
    expect(equipmentTotalsOn(list, d('2019-03-01'))).toEqual({ aeds: 2, firstAidKits: 12, firstAidKiosks: 0, schoolClinics: 1 });
  });
  it('are installed while the school is active, removed in part by splitting, corrected with a reason', () => {
    const installed = installEquipment(school, { kind: 'AED', count: 3, installedOn: d('2020-01-01') }, NOW);
    const id = String(installed[0]._id);
    const removed = removeEquipment({ ...school, equipment: installed }, { equipmentId: id, removedOn: d('2021-01-01'), count: 1 }, NOW);
    expect(equipmentTotalsOn(removed, d('2020-12-31')).aeds).toBe(3);
    expect(equipmentTotalsOn(removed, d('2021-01-01')).aeds).toBe(2);
    expect(removed).toHaveLength(2);
    expect(
      failure(() => installEquipment({ ...school, type: 'COMMUNITY' }, { kind: 'AED', count: 1, installedOn: d('2020-01-01') }, NOW))
        .fields,
    ).toEqual(['id']);
    expect(failure(() => installEquipment(school, { kind: 'AED', count: 1, installedOn: d('2019-01-01') }, NOW)).fields).toEqual([
      'input.installedOn',
    ]);
    expect(failure(() => installEquipment(school, { kind: 'AED', count: 1, installedOn: d('2022-01-01') }, NOW)).fields).toEqual([
      'input.installedOn',
    ]);
    expect(failure(() => installEquipment(school, { kind: 'SCHOOL_CLINIC', count: 2, installedOn: d('2020-01-01') }, NOW)).fields).toEqual([
      'input.count',
    ]);
    expect(
      failure(() =>
        removeEquipment({ ...school, equipment: removed }, { equipmentId: String(removed[0]._id), removedOn: d('2021-02-01') }, NOW),
      ).code,
    ).toBe('CONFLICT');
    expect(
      failure(() => removeEquipment({ ...school, equipment: installed }, { equipmentId: id, removedOn: d('2021-01-01'), count: 4 }, NOW))
        .fields,
    ).toEqual(['input.count']);
    const corrected = correctEquipment({ ...school, equipment: installed }, { equipmentId: id, count: 4, reason: '清点有误' }, NOW);
    expect(corrected[0]).toMatchObject({ count: 4, correctionReason: '清点有误' });
    expect(
      failure(() => correctEquipment({ ...school, equipment: installed }, { equipmentId: 'f'.repeat(24), reason: 'x' }, NOW)).fields,
    ).toEqual(['input.equipmentId']);
  });
  it('set to new counts from a day without changing any earlier total', () => {
    const before = equipmentFromCounts({ schoolClinic: true, firstAidKiosks: 0, firstAidKits: 12, aeds: 2 }, d('2019-03-01'));
    const after = equipmentSetTo(
      { ...school, equipment: before },
      { schoolClinic: false, firstAidKiosks: 1, firstAidKits: 12, aeds: 1 },
      d('2021-12-15'),
    );
    expect(equipmentTotalsOn(after, d('2021-12-14'))).toEqual(equipmentTotalsOn(before, d('2021-12-14')));
    expect(equipmentTotalsOn(after, d('2021-12-15'))).toEqual({ aeds: 1, firstAidKits: 12, firstAidKiosks: 1, schoolClinics: 0 });
  });
});

describe('branch dates, coverage thresholds, contacts and locations', () => {
  it("date records within the branch's life when the directory knows its establishment", () => {
    const branch = { name: '西湖区红十字会', establishedOn: '2000-05-01' };
    expect(() => checkBranchDate(branch, d('2000-05-01'), 'input.establishedOn', NOW)).not.toThrow();
    expect(failure(() => checkBranchDate(branch, d('2000-04-30'), 'input.establishedOn', NOW)).fields).toEqual(['input.establishedOn']);
    expect(failure(() => checkBranchDate({ name: 'x' }, d('2022-01-01'), 'input.openedOn', NOW)).fields).toEqual(['input.openedOn']);
  });
  it('judge full and basic coverage by a threshold, 0.9 unless given', () => {
    expect(coverageThreshold(null, 't')).toBe(0.9);
    expect(coverageThreshold(0.8, 't')).toBe(0.8);
    expect(failure(() => coverageThreshold(0, 't')).fields).toEqual(['t']);
    expect(failure(() => coverageThreshold(1.5, 't')).fields).toEqual(['t']);
    const city = (total: number, covered: number) => ({ total, covered, rate: total ? covered / total : null, uncovered: [] });
    expect(coverageTargets(city(11, 11), city(10, 9), 0.9)).toEqual({ fullyCovered: true, basicallyCovered: true });
    expect(coverageTargets(city(11, 10), city(10, 8), 0.9)).toEqual({ fullyCovered: false, basicallyCovered: false });
    expect(coverageTargets(city(0, 0), city(0, 0), 0.9)).toEqual({ fullyCovered: true, basicallyCovered: true });
  });
  it('validate contact details and locations inside China (GCJ-02 degrees)', () => {
    const fields = (v: unknown) => failure(() => parseInput(updateUnitInput, v)).fields.sort();
    expect(() =>
      parseInput(updateUnitInput, {
        contact: { phone: '0571-87654321', email: 'hz@redcross.org.cn' },
        location: { longitude: 120.15, latitude: 30.28 },
      }),
    ).not.toThrow();
    expect(fields({ contact: { phone: 'abc', email: 'nope' }, location: { longitude: 10, latitude: 60 } })).toEqual([
      'input.contact.email',
      'input.contact.phone',
      'input.location.latitude',
      'input.location.longitude',
    ]);
  });
});
