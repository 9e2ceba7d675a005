// Issue 16 and 24 through the subgraph: asOf on every dated field and list filter, dated
// histories changed only forward (corrections are their own audited mutations with a reason),
// school equipment as dated records with subtree totals, coverage thresholds, contacts,
// locations and the GeoJSON map, and the boot migration of records stored before all this.
import { Types } from 'mongoose';
import { valuesOn } from '@rcsc/counters';
import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import { COUNTER_KEYS, counters, rebuildCounters } from '../src/counters';
import { migrateDatedFacts } from '../src/migrate';
import type { GrassrootsUnitDoc } from '../src/models';
import { equipmentTotalsOn, unitActiveOn } from '../src/rules';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const code = (c: string) => tree.find((b) => b.divisionCode === c)!.id;
const ids = {
  hq: nationalId(),
  zj: code('330000'),
  hz: code('330100'),
  xh: code('330106'), // 西湖区
  yh: code('330110'), // 余杭区
  jh: code('330700'),
  yw: code('330782'), // 义乌市 (COUNTY_CITY)
};

type Result = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
const fieldsOf = (r: Result) => ((r.errors?.[0].extensions?.fields ?? []) as { field: string }[]).map((f) => f.field).sort();
const codeOf = (r: Result) => r.errors?.[0]?.extensions?.code;

describe('dated grassroots registers', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = (query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables) as Promise<Result>;
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const r = await run(query, variables);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const org = (id: string, selection: string) =>
    run(
      `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { ${selection} } } }`,
      {
        id,
      },
    );
  const register = async (input: Record<string, unknown>) =>
    (await ok(`mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`, { input }))
      .registerGrassrootsUnit.id as string;
  const openHome = async (input: Record<string, unknown>) =>
    (await ok(`mutation($input: OpenBoaiHomeInput!) { openBoaiHome(input: $input) { id } }`, { input })).openBoaiHome.id as string;

  beforeAll(async () => {
    // 西湖区 was established on 2000-05-01 in this directory (the directory may carry the date).
    const directory = new StaticDirectory(
      tree.map((b) => ({
        ...b,
        dissolvedOn: null,
        establishedOn: b.id === ids.xh ? '2000-05-01' : null,
        // 义乌 a county until 2021-06-01 in this directory (撤县设市), a county-level city from then.
        typeHistory: b.id === ids.yw ? [{ divisionType: 'COUNTY' as const, until: '2021-06-01' }] : null,
      })),
    );
    svc = await startTestService('grassroots_dated', (connection) => createServer(connection, { directory }));
  });
  afterAll(() => svc.stop());

  it('refuses a unit or home dated before its branch was established, or in the future', async () => {
    const unit = (establishedOn: string) =>
      run(`mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`, {
        input: { organizationId: ids.xh, name: '早于分会的单位', type: 'COMMUNITY', establishedOn },
      });
    const before = await unit('2000-04-30');
    expect(codeOf(before)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(before)).toEqual(['input.establishedOn']);
    expect(before.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ message: expect.stringMatching(/2000-05-01/) })]);
    const future = await unit('2999-01-01');
    expect(fieldsOf(future)).toEqual(['input.establishedOn']);
    const home = await run(`mutation($input: OpenBoaiHomeInput!) { openBoaiHome(input: $input) { id } }`, {
      input: { organizationId: ids.xh, name: '早于分会的家园', setting: 'URBAN', community: '某社区', openedOn: '1999-01-01' },
    });
    expect(fieldsOf(home)).toEqual(['input.openedOn']);
    // On the day itself it is fine; moving the date before the branch later is refused too.
    const id = await register({ organizationId: ids.xh, name: '同日成立的单位', type: 'COMMUNITY', establishedOn: '2000-05-01' });
    const moved = await run(`mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { establishedOn: "2000-01-01" }) { id } }`, { id });
    expect(fieldsOf(moved)).toEqual(['input.establishedOn']);
    expect(await svc.subgraph.models.GrassrootsUnit.countDocuments({ name: '早于分会的单位' })).toBe(0);
  });

  describe('demonstration sites as dated periods', () => {
    let home: string;
    const show = `demonstration d2020: demonstration(asOf: "2020-12-31") d2021: demonstration(asOf: "2021-03-01")
      demonstrationDesignatedOn demonstrationPeriods { since until reason correctionReason }`;
    beforeAll(async () => {
      home = await openHome({
        organizationId: ids.hz,
        name: '文晖街道示范家园',
        setting: 'URBAN',
        community: '文晖社区',
        openedOn: '2019-06-01',
      });
    });

    it('designates, revokes and designates again; asOf reads each day as it was', async () => {
      await ok(`mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2020-06-01") { id } }`, { id: home });
      const revoked = await ok(
        `mutation($id: ID!) { revokeDemonstrationSite(id: $id, input: { revokedOn: "2021-01-01", reason: "复核未通过" }) { ${show} } }`,
        { id: home },
      );
      expect(revoked.revokeDemonstrationSite).toEqual({
        demonstration: false,
        d2020: true,
        d2021: false,
        demonstrationDesignatedOn: null,
        demonstrationPeriods: [{ since: '2020-06-01', until: '2021-01-01', reason: '复核未通过', correctionReason: null }],
      });
      // Designating again before the last designation ended would rewrite it: a CONFLICT.
      const overlap = await run(`mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2020-12-01") { id } }`, {
        id: home,
      });
      expect(codeOf(overlap)).toBe('CONFLICT');
      const again = await ok(`mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2021-06-01") { ${show} } }`, {
        id: home,
      });
      expect(again.designateDemonstrationSite).toMatchObject({
        demonstration: true,
        d2020: true,
        d2021: false,
        demonstrationDesignatedOn: '2021-06-01',
      });
      const twice = await run(`mutation($id: ID!) { revokeDemonstrationSite(id: $id, input: { revokedOn: "2021-05-01" }) { id } }`, {
        id: home,
      });
      expect(fieldsOf(twice)).toEqual(['input.revokedOn']);

      // The list filter reads the same periods on a date.
      const sites = async (asOf?: string) =>
        (
          await ok(`query($f: BoaiHomeFilter) { boaiHomes(filter: $f) { nodes { id } } }`, {
            f: { within: ids.hz, demonstration: true, ...(asOf ? { asOf } : {}) },
          })
        ).boaiHomes.nodes.map((n: { id: string }) => n.id);
      expect(await sites()).toEqual([home]);
      expect(await sites('2020-12-31')).toEqual([home]);
      expect(await sites('2021-03-01')).toEqual([]);
      expect(await sites('2020-05-31')).toEqual([]);
    });

    it('corrects the latest period only with a reason, audited; closing ends a designation in force', async () => {
      const noReason = await run(
        `mutation($id: ID!) { correctDemonstrationSite(id: $id, input: { since: "2021-05-01", reason: " " }) { id } }`,
        { id: home },
      );
      expect(fieldsOf(noReason)).toEqual(['input.reason']);
      const overlapping = await run(
        `mutation($id: ID!) { correctDemonstrationSite(id: $id, input: { since: "2020-12-01", reason: "批文日期" }) { id } }`,
        { id: home },
      );
      expect(fieldsOf(overlapping)).toEqual(['input.since']);
      const fixed = await ok(
        `mutation($id: ID!) { correctDemonstrationSite(id: $id, input: { since: "2021-05-01", reason: "批文日期为5月1日" }) { ${show} } }`,
        { id: home },
      );
      expect(fixed.correctDemonstrationSite.demonstrationPeriods[1]).toEqual({
        since: '2021-05-01',
        until: null,
        reason: null,
        correctionReason: '批文日期为5月1日',
      });
      const entry = await svc.subgraph.models.Audit.findOne({ action: 'correctDemonstrationSite', entityId: home }).lean();
      expect((entry!.after as { demonstrationPeriods: { correctionReason: string }[] }).demonstrationPeriods[1].correctionReason).toBe(
        '批文日期为5月1日',
      );
      const closed = await ok(`mutation($id: ID!) { closeBoaiHome(id: $id, input: { closedOn: "2021-10-01" }) { ${show} } }`, { id: home });
      expect(closed.closeBoaiHome.demonstrationPeriods[1]).toMatchObject({ since: '2021-05-01', until: '2021-10-01' });
      expect(closed.closeBoaiHome.demonstration).toBe(false);
    });
  });

  describe('the named-hospital compliance list on a date', () => {
    it('lists a named institution on the days it had no active unit, and filters hasUnit on a date', async () => {
      const inst = (
        await ok(
          `mutation { registerMedicalInstitution(input: { organizationId: "${ids.yh}", name: "余杭红十字医院", redCrossNamed: true }) { id } }`,
        )
      ).registerMedicalInstitution.id as string;
      const unit = await register({
        organizationId: ids.yh,
        name: '余杭红十字医院红十字会',
        type: 'HOSPITAL',
        establishedOn: '2020-01-01',
        medicalInstitutionId: inst,
      });
      await ok(`mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-03-01" }) { id } }`, { id: unit });
      const listed = async (asOf?: string) =>
        (
          await org(ids.yh, `namedMedicalInstitutionsWithoutUnit(${asOf ? `asOf: "${asOf}", ` : ''}first: 100) { nodes { id } }`)
        ).data._entities[0].namedMedicalInstitutionsWithoutUnit.nodes.map((n: { id: string }) => n.id);
      expect(await listed('2019-12-31')).toContain(inst);
      expect(await listed('2020-01-01')).not.toContain(inst);
      expect(await listed('2021-02-28')).not.toContain(inst);
      expect(await listed('2021-03-01')).toContain(inst);
      expect(await listed()).toContain(inst);
      const linked = await ok(
        `query($id: ID!) { medicalInstitution(id: $id) { before: grassrootsUnit(asOf: "2019-12-31") { id } during: grassrootsUnit(asOf: "2020-06-01") { id } now: grassrootsUnit { id } } }`,
        { id: inst },
      );
      expect(linked.medicalInstitution).toEqual({ before: null, during: { id: unit }, now: null });
      const withUnit = await ok(`query($f: MedicalInstitutionFilter) { medicalInstitutions(filter: $f) { nodes { id } } }`, {
        f: { within: ids.yh, hasUnit: true, asOf: '2020-06-01' },
      });
      expect(withUnit.medicalInstitutions.nodes).toEqual([{ id: inst }]);
      // A corrected establishment moves the start of the institution's unit period too.
      const stored = await svc.subgraph.models.MedicalInstitution.findById(inst).lean();
      expect(stored!.unitPeriods).toEqual([
        { unitId: new Types.ObjectId(unit), since: new Date('2020-01-01'), until: new Date('2021-03-01') },
      ]);
      await ok(`mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { establishedOn: "2019-10-01" }) { id } }`, { id: unit });
      expect(await listed('2019-12-31')).not.toContain(inst);
    });
  });

  describe('school equipment as dated records', () => {
    let school: string;
    let other: string;
    const totals = async (id: string, asOf: string) =>
      (await org(id, `schoolEquipment(asOf: "${asOf}") { aeds firstAidKits firstAidKiosks schoolClinics }`)).data._entities[0]
        .schoolEquipment;

    beforeAll(async () => {
      // Counts given at registration are records installed on the establishment day.
      school = await register({
        organizationId: ids.yw,
        name: '义乌中学红十字会',
        type: 'SCHOOL',
        establishedOn: '2019-03-01',
        school: { schoolClinic: true, firstAidKits: 10, aeds: 1 },
      });
      other = await register({ organizationId: ids.yw, name: '稠州中学红十字会', type: 'SCHOOL', establishedOn: '2020-09-01' });
    });

    it('installs, removes in part and corrects records; the unit reads any date', async () => {
      const install = await ok(
        `mutation($id: ID!) { installSchoolEquipment(id: $id, input: { kind: AED, count: 3, installedOn: "2021-02-01" }) {
          equipment { id kind count installedOn removedOn } } }`,
        { id: school },
      );
      const aed = install.installSchoolEquipment.equipment.find((e: any) => e.installedOn === '2021-02-01');
      expect(aed).toMatchObject({ kind: 'AED', count: 3, removedOn: null });
      await ok(
        `mutation($id: ID!, $e: ID!) { removeSchoolEquipment(id: $id, input: { equipmentId: $e, removedOn: "2021-06-01", count: 1, reason: "损坏" }) { id } }`,
        { id: school, e: aed.id },
      );
      await ok(
        `mutation($id: ID!) { installSchoolEquipment(id: $id, input: { kind: FIRST_AID_KIOSK, installedOn: "2021-03-01" }) { id } }`,
        {
          id: other,
        },
      );
      const u = await ok(
        `query($id: ID!) { grassrootsUnit(id: $id) { a: school(asOf: "2019-02-28") { aeds schoolClinic } b: school(asOf: "2021-02-01") { aeds firstAidKits schoolClinic schoolClinics }
          c: school(asOf: "2021-06-01") { aeds } now: school { aeds } } }`,
        { id: school },
      );
      expect(u.grassrootsUnit).toEqual({
        a: { aeds: 0, schoolClinic: false },
        b: { aeds: 4, firstAidKits: 10, schoolClinic: true, schoolClinics: 1 },
        c: { aeds: 3 },
        now: { aeds: 3 },
      });
      // Refusals: not a school, in the future, before the school, a correction without a reason.
      const community = await register({
        organizationId: ids.yw,
        name: '稠城社区红十字会',
        type: 'COMMUNITY',
        establishedOn: '2020-01-01',
      });
      const install2 = (id: string, input: string) =>
        run(`mutation($id: ID!) { installSchoolEquipment(id: $id, input: ${input}) { id } }`, { id });
      expect(fieldsOf(await install2(community, '{ kind: AED, installedOn: "2021-01-01" }'))).toEqual(['id']);
      expect(fieldsOf(await install2(school, '{ kind: AED, installedOn: "2999-01-01" }'))).toEqual(['input.installedOn']);
      expect(fieldsOf(await install2(school, '{ kind: AED, installedOn: "2018-01-01" }'))).toEqual(['input.installedOn']);
      expect(fieldsOf(await install2(school, '{ kind: AED, count: 0, installedOn: "2021-01-01" }'))).toEqual(['input.count']);
      const noReason = await run(
        `mutation($id: ID!, $e: ID!) { correctSchoolEquipment(id: $id, input: { equipmentId: $e, count: 5, reason: "" }) { id } }`,
        { id: school, e: aed.id },
      );
      expect(fieldsOf(noReason)).toEqual(['input.reason']);
      const corrected = await ok(
        `mutation($id: ID!, $e: ID!) { correctSchoolEquipment(id: $id, input: { equipmentId: $e, installedOn: "2021-01-15", reason: "验收单日期" }) {
          equipment { id installedOn correctionReason } } }`,
        { id: school, e: aed.id },
      );
      expect(corrected.correctSchoolEquipment.equipment.find((e: any) => e.id === aed.id)).toEqual({
        id: aed.id,
        installedOn: '2021-01-15',
        correctionReason: '验收单日期',
      });
    });

    it('totals a subtree on any date and the installations of a year from the counters, equal to a scan', async () => {
      expect(await totals(ids.yw, '2021-02-01')).toEqual({ aeds: 4, firstAidKits: 10, firstAidKiosks: 0, schoolClinics: 1 });
      expect(await totals(ids.zj, '2021-06-01')).toEqual({ aeds: 3, firstAidKits: 10, firstAidKiosks: 1, schoolClinics: 1 });
      expect(await totals(ids.jh, '2019-01-01')).toEqual({ aeds: 0, firstAidKits: 0, firstAidKiosks: 0, schoolClinics: 0 });
      const year = async (y: number) =>
        (await org(ids.jh, `schoolEquipmentInstalled(year: ${y}) { aeds firstAidKits firstAidKiosks schoolClinics }`)).data._entities[0]
          .schoolEquipmentInstalled;
      // "AEDs installed this year": 3 in 2021 (one of them removed since), 1 in 2019.
      expect(await year(2021)).toEqual({ aeds: 3, firstAidKits: 0, firstAidKiosks: 1, schoolClinics: 0 });
      expect(await year(2019)).toEqual({ aeds: 1, firstAidKits: 10, firstAidKiosks: 0, schoolClinics: 1 });
      expect(codeOf(await org(ids.jh, 'schoolEquipmentInstalled(year: 99999) { aeds }'))).toBe('BAD_USER_INPUT');

      // A dissolved school's equipment stops counting that day.
      await ok(`mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-09-01" }) { id } }`, { id: other });
      expect((await totals(ids.yw, '2021-09-01')).firstAidKiosks).toBe(0);
      expect((await totals(ids.yw, '2021-08-31')).firstAidKiosks).toBe(1);

      // The counters against the records, for every branch on a unit's path, incrementally and after a rebuild.
      const check = async () => {
        const units = await svc.subgraph.models.GrassrootsUnit.find().lean<GrassrootsUnitDoc[]>();
        const branches = [...new Set(units.flatMap((u) => u.orgPath.map(String)))];
        const dates = ['2019-03-01', '2020-12-31', '2021-01-15', '2021-06-01', '2021-09-01', '2030-01-01'];
        const counted = await valuesOn(
          counters(svc.subgraph.models),
          branches,
          dates.map((d) => new Date(d)),
          COUNTER_KEYS,
        );
        const mismatches: unknown[] = [];
        for (const b of branches)
          dates.forEach((d, i) => {
            const day = new Date(d);
            const sum = { aeds: 0, firstAidKits: 0, firstAidKiosks: 0, schoolClinics: 0 };
            for (const u of units.filter((x) => x.orgPath.some((p) => String(p) === b) && unitActiveOn(x, day))) {
              const t = equipmentTotalsOn(u.equipment ?? [], day);
              for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += t[k];
            }
            const c = counted.get(b)![i];
            const got = { aeds: c.aeds, firstAidKits: c.firstAidKits, firstAidKiosks: c.firstAidKiosks, schoolClinics: c.schoolClinics };
            if (JSON.stringify(got) !== JSON.stringify(sum)) mismatches.push({ b, d, got, sum });
          });
        expect(mismatches).toEqual([]);
      };
      await check();
      await rebuildCounters(svc.subgraph.models);
      await check();
    });

    it('filters schools with equipment in place on a date', async () => {
      const withKinds = async (kinds: string[], asOf?: string) =>
        (
          await ok(`query($f: GrassrootsUnitFilter) { grassrootsUnits(filter: $f) { nodes { id } } }`, {
            f: { within: ids.yw, hasEquipment: kinds, includeDissolved: true, ...(asOf ? { asOf } : {}) },
          })
        ).grassrootsUnits.nodes.map((n: { id: string }) => n.id);
      expect(await withKinds(['AED'])).toEqual([school]);
      expect(await withKinds(['FIRST_AID_KIOSK'], '2021-04-01')).toEqual([other]);
      expect(await withKinds(['FIRST_AID_KIOSK'], '2021-02-01')).toEqual([]);
      expect(await withKinds(['AED', 'SCHOOL_CLINIC'], '2019-03-01')).toEqual([school]);
      expect(await withKinds(['AED'], '2019-02-28')).toEqual([]);
    });

    it('keeps updateGrassrootsUnit.school working: counts change from today, the past stays', async () => {
      const before = await totals(ids.yw, '2021-02-01');
      const r = await ok(
        `mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { school: { aeds: 5, firstAidKits: 10, schoolClinic: true } }) {
        school { aeds } } }`,
        { id: school },
      );
      expect(r.updateGrassrootsUnit.school.aeds).toBe(5);
      expect(await totals(ids.yw, '2021-02-01')).toEqual(before);
    });
  });

  describe('coverage thresholds', () => {
    it('judges full and basic coverage on a date by a threshold argument (0.9 by default), with the rates', async () => {
      await openHome({ organizationId: ids.yw, name: '稠城博爱家园', setting: 'URBAN', community: '某社区', openedOn: '2020-01-01' });
      const cov = async (args: string) =>
        org(
          ids.jh,
          `boaiHomeCoverage(${args}) { asOf fullyCovered basicallyCovered basicCoverageThreshold
          prefectureCities { total covered rate } countyCities { total covered rate uncovered { id } } }`,
        );
      const jh = tree.filter((b) => b.ancestorIds.includes(ids.jh) && b.divisionType === 'COUNTY_CITY');
      const d = (await cov('asOf: "2021-12-31"')).data._entities[0].boaiHomeCoverage;
      expect(d).toMatchObject({
        fullyCovered: true,
        basicCoverageThreshold: 0.9,
        prefectureCities: { total: 1, covered: 1, rate: 1 },
        countyCities: { total: jh.length, covered: 1, rate: 1 / jh.length },
      });
      expect(d.basicallyCovered).toBe(1 / jh.length >= 0.9);
      expect(d.countyCities.uncovered).toHaveLength(jh.length - 1);
      const low = (await cov(`asOf: "2021-12-31", basicCoverageThreshold: ${1 / jh.length}`)).data._entities[0].boaiHomeCoverage;
      expect(low.basicallyCovered).toBe(true);
      const early = (await cov('asOf: "2019-12-31"')).data._entities[0].boaiHomeCoverage;
      expect(early).toMatchObject({ fullyCovered: false, basicallyCovered: false, countyCities: { covered: 0, rate: 0 } });
      const bad = await cov('basicCoverageThreshold: 1.5');
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it("counts a county that became a county-level city as one from that day (the directory's type history)", async () => {
    const cities = async (asOf: string) =>
      (await org(ids.jh, `boaiHomeCoverage(asOf: "${asOf}") { countyCities { total covered } }`)).data._entities[0].boaiHomeCoverage
        .countyCities;
    const jh = tree.filter((b) => b.ancestorIds.includes(ids.jh) && b.divisionType === 'COUNTY_CITY');
    expect(await cities('2021-05-31')).toEqual({ total: jh.length - 1, covered: 0 });
    expect(await cities('2021-06-01')).toEqual({ total: jh.length, covered: 1 });
  });

  describe('contacts, locations and the map', () => {
    it('stores contact details and GCJ-02 points, refusing points outside China', async () => {
      const id = await register({
        organizationId: ids.xh,
        name: '北山街道红十字会',
        type: 'STREET',
        establishedOn: '2015-01-01',
        contact: { address: '杭州市西湖区北山街道', phone: '0571-87000000', email: 'bs@example.cn' },
        location: { longitude: 120.14, latitude: 30.26 },
      });
      const u = await ok(
        `query($id: ID!) { grassrootsUnit(id: $id) { contact { address phone email } location { longitude latitude } } }`,
        { id },
      );
      expect(u.grassrootsUnit).toEqual({
        contact: { address: '杭州市西湖区北山街道', phone: '0571-87000000', email: 'bs@example.cn' },
        location: { longitude: 120.14, latitude: 30.26 },
      });
      const bad = await run(
        `mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { location: { longitude: 2.35, latitude: 60.1 } }) { id } }`,
        {
          id,
        },
      );
      expect(fieldsOf(bad)).toEqual(['input.location.latitude', 'input.location.longitude']);
      const cleared = await ok(
        `mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { location: null }) { location { latitude } } }`,
        { id },
      );
      expect(cleared.updateGrassrootsUnit.location).toBeNull();
      await ok(`mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { location: { longitude: 120.14, latitude: 30.26 } }) { id } }`, {
        id,
      });
    });

    it('serves a subtree as GeoJSON pages: located records only, by standing and date, commands independent of the page size', async () => {
      for (let i = 0; i < 5; i++)
        await openHome({
          organizationId: ids.xh,
          name: `地图家园${i}`,
          setting: i % 2 ? 'RURAL' : 'URBAN',
          community: '某社区',
          openedOn: i === 4 ? '2021-06-01' : '2020-01-01',
          location: { longitude: 120.1 + i / 100, latitude: 30.2 },
        });
      const map = (args: string) =>
        org(
          ids.hz,
          `grassrootsMap(${args}) { type totalCount pageInfo { hasNextPage endCursor }
          features { type id geometry { type coordinates } properties { kind name setting standing demonstration organizationId } } }`,
        );
      const all = (await map('kind: BOAI_HOMES, first: 100')).data._entities[0].grassrootsMap;
      expect(all.type).toBe('FeatureCollection');
      expect(all.totalCount).toBe(5);
      expect(all.features[0]).toEqual({
        type: 'Feature',
        id: expect.any(String),
        geometry: { type: 'Point', coordinates: [120.1, 30.2] },
        properties: {
          kind: 'BOAI_HOMES',
          name: '地图家园0',
          setting: 'URBAN',
          standing: true,
          demonstration: false,
          organizationId: ids.xh,
        },
      });
      expect((await map('kind: BOAI_HOMES, asOf: "2021-01-01"')).data._entities[0].grassrootsMap.totalCount).toBe(4);
      expect((await map('kind: BOAI_HOMES, asOf: "2021-01-01", includeAll: true')).data._entities[0].grassrootsMap.totalCount).toBe(5);
      const units = (await map('kind: UNITS')).data._entities[0].grassrootsMap;
      expect(units.features.map((f: any) => f.properties.name)).toEqual(['北山街道红十字会']);
      expect((await map('kind: BOAI_HOMES, unitType: STREET')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await map('kind: BOAI_HOMES, first: 101')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

      // Pages cover every feature once; a page of 2 and one of 100 take the same commands.
      const seen: string[] = [];
      let after: string | null = null;
      for (let p = 0; p < 5; p++) {
        const page: any = (await map(`kind: BOAI_HOMES, first: 2${after ? `, after: "${after}"` : ''}`)).data._entities[0].grassrootsMap;
        seen.push(...page.features.map((f: any) => f.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen.sort()).toEqual(all.features.map((f: any) => f.id).sort());
      svc.db.commands.reset();
      await map('kind: BOAI_HOMES, first: 2');
      const small = svc.db.commands.count();
      svc.db.commands.reset();
      await map('kind: BOAI_HOMES, first: 100');
      expect(svc.db.commands.count()).toBe(small);
    });

    it('shows the map and the equipment totals only inside the viewer’s subtree', async () => {
      const as = (role: 'VIEWER' | 'REPORTER', branch: string, id: string, selection: string) =>
        execute<any>(
          svc.subgraph,
          `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { ${selection} } } }`,
          { id },
          testViewer([role], branch),
        ) as Promise<Result>;
      const inside = await as('REPORTER', ids.hz, ids.xh, 'schoolEquipment { aeds } grassrootsMap(kind: BOAI_HOMES) { totalCount }');
      expect(inside.errors).toBeUndefined();
      expect(inside.data._entities[0].grassrootsMap.totalCount).toBe(5);
      const outside = await as('VIEWER', ids.jh, ids.xh, 'schoolEquipment { aeds }');
      expect(codeOf(outside)).toBe('FORBIDDEN');
      expect(outside.data._entities[0].schoolEquipment).toBeNull();
      // A list never shows what lies outside: the viewer's subtree narrows the map to nothing.
      const map = await as('VIEWER', ids.jh, ids.xh, 'grassrootsMap(kind: BOAI_HOMES) { totalCount }');
      expect(map.data._entities[0].grassrootsMap.totalCount).toBe(0);
    });
  });

  describe('groups and group sets', () => {
    it('creates groups at a branch, dates memberships, filters and counts by group on a date', async () => {
      const group = async (organizationId: string, name: string, groupSet: string, kind = 'UNITS') =>
        (
          await ok(
            `mutation($input: CreateGrassrootsGroupInput!) { createGrassrootsGroup(input: $input) { id name groupSet kind organization { id } } }`,
            {
              input: { organizationId, name, groupSet, kind },
            },
          )
        ).createGrassrootsGroup;
      const pilot = await group(ids.zj, '应急救护试点', '试点');
      expect(pilot).toMatchObject({ name: '应急救护试点', groupSet: '试点', kind: 'UNITS', organization: { id: ids.zj } });
      const other = await group(ids.zj, '养老服务试点', '试点');
      const homes = await group(ids.hz, '示范社区', '示范', 'BOAI_HOMES');
      const dup = await run(
        `mutation { createGrassrootsGroup(input: { organizationId: "${ids.zj}", name: "应急救护试点", groupSet: "试点", kind: UNITS }) { id } }`,
      );
      expect(codeOf(dup)).toBe('CONFLICT');
      const elsewhere = await group(ids.jh, '金华试点', '试点');

      const a = await register({ organizationId: ids.xh, name: '试点社区一', type: 'COMMUNITY', establishedOn: '2019-01-01' });
      const b = await register({ organizationId: ids.yh, name: '试点社区二', type: 'COMMUNITY', establishedOn: '2019-01-01' });
      const join = (groupId: string, recordId: string, since: string) =>
        run(
          `mutation($g: ID!, $input: JoinGrassrootsGroupInput!) { joinGrassrootsGroup(groupId: $g, input: $input) { __typename ... on GrassrootsUnit { id groups { name } } } }`,
          {
            g: groupId,
            input: { recordId, since },
          },
        );
      const leave = (groupId: string, recordId: string, until: string) =>
        run(`mutation($g: ID!, $input: LeaveGrassrootsGroupInput!) { leaveGrassrootsGroup(groupId: $g, input: $input) { __typename } }`, {
          g: groupId,
          input: { recordId, until },
        });
      const joined = await join(pilot.id, a, '2020-01-01');
      expect(joined.errors).toBeUndefined();
      expect(joined.data.joinGrassrootsGroup).toEqual({ __typename: 'GrassrootsUnit', id: a, groups: [{ name: '应急救护试点' }] });
      expect((await join(pilot.id, b, '2021-01-01')).errors).toBeUndefined();
      // Refusals: a member already, another group of the same set, a group of another branch or kind, a day before the record.
      expect(codeOf(await join(pilot.id, a, '2021-01-01'))).toBe('CONFLICT');
      expect(codeOf(await join(other.id, a, '2021-01-01'))).toBe('CONFLICT');
      expect(fieldsOf(await join(elsewhere.id, a, '2021-01-01'))).toEqual(['groupId']);
      // A unit's id given to a group of homes: no such home.
      expect(codeOf(await join(homes.id, a, '2021-01-01'))).toBe('NOT_FOUND');
      expect(fieldsOf(await join(other.id, b, '2018-01-01'))).toEqual(['input.since']);
      expect(codeOf(await join('f'.repeat(24), a, '2021-01-01'))).toBe('NOT_FOUND');
      expect((await leave(pilot.id, a, '2021-06-01')).errors).toBeUndefined();
      // Rejoining before the last membership ended would rewrite it.
      expect(codeOf(await join(pilot.id, a, '2021-05-01'))).toBe('CONFLICT');
      expect(codeOf(await leave(pilot.id, a, '2021-07-01'))).toBe('CONFLICT');
      // After leaving, another group of the set is allowed from that day.
      expect((await join(other.id, a, '2021-06-01')).errors).toBeUndefined();

      const members = async (groupId: string, asOf: string) =>
        (
          await ok(`query($f: GrassrootsUnitFilter) { grassrootsUnits(filter: $f) { nodes { id } } }`, {
            f: { within: ids.zj, inGroup: groupId, asOf },
          })
        ).grassrootsUnits.nodes.map((n: { id: string }) => n.id);
      expect(await members(pilot.id, '2020-06-01')).toEqual([a]);
      expect((await members(pilot.id, '2021-03-01')).sort()).toEqual([a, b].sort());
      expect(await members(pilot.id, '2021-06-01')).toEqual([b]);
      expect(await members(other.id, '2021-06-01')).toEqual([a]);

      const counts = async (branch: string, asOf: string, groupSet?: string) =>
        (
          await org(
            branch,
            `grassrootsGroupCounts(kind: UNITS, asOf: "${asOf}"${groupSet ? `, groupSet: "${groupSet}"` : ''}) { group { name } count }`,
          )
        ).data._entities[0].grassrootsGroupCounts;
      // In set and name order (code points: 养 before 应).
      expect(await counts(ids.zj, '2021-03-01')).toEqual([
        { group: { name: '养老服务试点' }, count: 0 },
        { group: { name: '应急救护试点' }, count: 2 },
      ]);
      expect(await counts(ids.hz, '2021-06-01', '试点')).toEqual([
        { group: { name: '养老服务试点' }, count: 1 },
        { group: { name: '应急救护试点' }, count: 1 },
      ]);
      expect(await counts(ids.xh, '2019-12-31')).toEqual([
        { group: { name: '养老服务试点' }, count: 0 },
        { group: { name: '应急救护试点' }, count: 0 },
      ]);
      // A dissolved unit leaves its groups' counts that day.
      await ok(`mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-09-01" }) { id } }`, { id: b });
      expect((await counts(ids.zj, '2021-09-01'))[1].count).toBe(0);
      // The same after the counters are rebuilt from the records (units and homes).
      const maintained = [await counts(ids.zj, '2021-03-01'), await counts(ids.hz, '2021-06-01'), await counts(ids.zj, '2021-09-01')];
      await rebuildCounters(svc.subgraph.models);
      expect([await counts(ids.zj, '2021-03-01'), await counts(ids.hz, '2021-06-01'), await counts(ids.zj, '2021-09-01')]).toEqual(
        maintained,
      );
      const usable = await org(ids.xh, 'grassrootsGroups(kind: UNITS) { name organization { id } }');
      expect(usable.data._entities[0].grassrootsGroups.map((g: { name: string }) => g.name)).toEqual(['养老服务试点', '应急救护试点']);
      const unitGroups = await ok(
        `query($id: ID!) { grassrootsUnit(id: $id) { y2020: groups(asOf: "2020-06-01") { name } groupMemberships { group { name } since until } } }`,
        { id: a },
      );
      expect(unitGroups.grassrootsUnit).toEqual({
        y2020: [{ name: '应急救护试点' }],
        groupMemberships: [
          { group: { name: '应急救护试点' }, since: '2020-01-01', until: '2021-06-01' },
          { group: { name: '养老服务试点' }, since: '2021-06-01', until: null },
        ],
      });

      // Homes: the same, with their own counters.
      const h = await openHome({
        organizationId: ids.xh,
        name: '示范社区家园',
        setting: 'URBAN',
        community: '某社区',
        openedOn: '2020-01-01',
      });
      expect((await join(homes.id, h, '2021-01-01')).data.joinGrassrootsGroup).toEqual({ __typename: 'BoaiHome' });
      const homeCounts = async () =>
        (await org(ids.hz, 'grassrootsGroupCounts(kind: BOAI_HOMES, asOf: "2021-02-01") { group { name } count }')).data._entities[0]
          .grassrootsGroupCounts;
      expect(await homeCounts()).toEqual([{ group: { name: '示范社区' }, count: 1 }]);
      await rebuildCounters(svc.subgraph.models);
      expect(await homeCounts()).toEqual([{ group: { name: '示范社区' }, count: 1 }]);
      const homeList = await ok(`query($f: BoaiHomeFilter) { boaiHomes(filter: $f) { totalCount } }`, {
        f: { within: ids.hz, inGroup: homes.id },
      });
      expect(homeList.boaiHomes.totalCount).toBe(1);

      // Only inside the viewer's subtree; STAFF of another county may not change memberships there.
      const outside = await execute<any>(
        svc.subgraph,
        `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { grassrootsGroupCounts(kind: UNITS) { count } } } }`,
        { id: ids.zj },
        testViewer(['VIEWER'], ids.jh),
      );
      expect(codeOf(outside)).toBe('FORBIDDEN');
      const staff = await execute<any>(
        svc.subgraph,
        `mutation($g: ID!, $input: JoinGrassrootsGroupInput!) { joinGrassrootsGroup(groupId: $g, input: $input) { __typename } }`,
        { g: pilot.id, input: { recordId: a, since: '2021-08-01' } },
        testViewer(['STAFF'], ids.yw),
      );
      expect(codeOf(staff)).toBe('FORBIDDEN');
    });
  });

  describe('bulk import and export', () => {
    const importUnits = (input: Record<string, unknown>, viewer?: ReturnType<typeof testViewer>) =>
      execute<any>(
        svc.subgraph,
        `mutation($input: GrassrootsImportInput!) { importGrassrootsUnits(input: $input) { created existing errors { line field message } } }`,
        { input },
        viewer,
      ) as Promise<Result>;
    const csv = [
      '名称,类型,成立日期,所属红十字会区划代码,乡镇街道代码,地址,电话,经度,纬度,带头人,带头人手机,AED,急救箱',
      '导入社区红十字会,社区,2020/3/5,330106,330106002,杭州市西湖区,0571-88000000,120.13,30.27,张三,13812345678,,',
      '导入中学红十字会,学校,2019-09-01,,,,,,,,,2,5',
      '错误类型,城堡,2020-01-01,,,,,,,,,,',
      '未来单位,社区,2999-01-01,,,,,,,,,,',
      '外区单位,社区,2020-01-01,330782,,,,,,,,,',
      '乡镇不符,社区,2020-01-01,330106,330782001,,,,,,,,',
      '导入社区红十字会,社区,2020-03-05,330106,,,,,,,,,',
      '坐标越界,社区,2020-01-01,,,,,10,80,,,,',
    ].join('\n');

    it('imports the valid rows of a CSV with Chinese headers, lists the others by line and field, and a second import creates nothing', async () => {
      const first = await importUnits({ organizationId: ids.hz, format: 'CSV', content: csv });
      expect(first.errors).toBeUndefined();
      expect(first.data.importGrassrootsUnits).toEqual({
        created: 2,
        existing: 0,
        errors: [
          { line: 4, field: 'type', message: expect.any(String) },
          { line: 5, field: 'establishedOn', message: 'must not be in the future' },
          { line: 6, field: 'divisionCode', message: expect.stringMatching(/no branch with division code 330782 in the subtree/) },
          { line: 7, field: 'townshipCode', message: expect.stringMatching(/outside the division/) },
          { line: 8, field: 'name', message: 'the same record as line 2' },
          { line: 9, field: 'location.longitude', message: 'must be between 73.4 and 135.1 (China)' },
          { line: 9, field: 'location.latitude', message: 'must be between 3.8 and 53.6 (China)' },
        ],
      });
      const { GrassrootsUnit, Audit } = svc.subgraph.models;
      const school = await GrassrootsUnit.findOne({ name: '导入中学红十字会' }).lean();
      expect(String(school!.organizationId)).toBe(ids.hz);
      expect(school!.equipment!.map((e) => [e.kind, e.count, e.installedOn.toISOString().slice(0, 10)])).toEqual([
        ['FIRST_AID_KIT', 5, '2019-09-01'],
        ['AED', 2, '2019-09-01'],
      ]);
      const community = await GrassrootsUnit.findOne({ name: '导入社区红十字会' }).lean();
      expect(String(community!.organizationId)).toBe(ids.xh);
      expect(JSON.stringify(community)).not.toContain('13812345678');
      expect(await Audit.countDocuments({ action: 'importGrassrootsUnits' })).toBe(2);

      const again = await importUnits({ organizationId: ids.hz, format: 'CSV', content: csv });
      expect(again.data.importGrassrootsUnits).toMatchObject({ created: 0, existing: 2 });
      expect(await Audit.countDocuments({ action: 'importGrassrootsUnits' })).toBe(2);
    });

    it('refuses unreadable files, and callers outside the branch or without a writing role', async () => {
      const bad = await importUnits({ organizationId: ids.hz, format: 'CSV', content: 'foo,bar\n1,2\n' });
      expect(fieldsOf(bad)).toEqual(['input.content']);
      const xlsx = await importUnits({ organizationId: ids.hz, format: 'XLSX', content: 'bm90IGEgd29ya2Jvb2s=' });
      expect(fieldsOf(xlsx)).toEqual(['input.content']);
      const before = await svc.subgraph.models.GrassrootsUnit.countDocuments();
      expect(codeOf(await importUnits({ organizationId: ids.hz, format: 'CSV', content: csv }, testViewer(['STAFF'], ids.yw)))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await importUnits({ organizationId: ids.xh, format: 'CSV', content: csv }, testViewer(['VIEWER'], ids.xh)))).toBe(
        'FORBIDDEN',
      );
      // A STAFF of 西湖区 importing at 西湖区: rows naming a branch outside it are refused by line.
      const staff = await importUnits(
        { organizationId: ids.xh, format: 'CSV', content: '名称,类型,成立日期,所属红十字会区划代码\n越界,社区,2020-01-01,330110\n' },
        testViewer(['STAFF'], ids.xh),
      );
      expect(staff.data.importGrassrootsUnits).toMatchObject({ created: 0, errors: [{ line: 2, field: 'divisionCode' }] });
      expect(await svc.subgraph.models.GrassrootsUnit.countDocuments()).toBe(before);
    });

    it('exports the viewer’s subtree as CSV or XLSX with the import’s columns; an export imports back as nothing new', async () => {
      const exp = async (format: string, viewer = testViewer(['VIEWER'], ids.hz), organizationId?: string) =>
        (await execute<any>(
          svc.subgraph,
          `query($f: GrassrootsTableFormat!, $o: ID) { exportGrassrootsUnits(format: $f, organizationId: $o) { filename contentType base64 content rows } }`,
          { f: format, o: organizationId },
          viewer,
        )) as Result;
      const asCsv = (await exp('CSV')).data.exportGrassrootsUnits;
      expect(asCsv).toMatchObject({ filename: '基层组织.csv', base64: false });
      const lines = asCsv.content
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(lines[0].split(',').slice(0, 4)).toEqual(['名称', '类型', '成立日期', '所属红十字会区划代码']);
      expect(lines).toHaveLength(asCsv.rows + 1);
      expect(asCsv.content).toContain('导入社区红十字会,社区,2020-03-05,330106,330106002');
      expect(asCsv.content).not.toContain('1381234');
      const hzUnits = await svc.subgraph.models.GrassrootsUnit.countDocuments({ orgPath: new Types.ObjectId(ids.hz), dissolvedOn: null });
      expect(asCsv.rows).toBe(hzUnits);
      // A viewer of another prefecture sees none of these; asking for 杭州 narrows to nothing.
      const other = (await exp('CSV', testViewer(['VIEWER'], ids.jh), ids.hz)).data.exportGrassrootsUnits;
      expect(other.rows).toBe(0);

      const asXlsx = (await exp('XLSX')).data.exportGrassrootsUnits;
      expect(asXlsx).toMatchObject({ filename: '基层组织.xlsx', base64: true, rows: asCsv.rows });
      const back = await importUnits({ organizationId: ids.hz, format: 'XLSX', content: asXlsx.content });
      expect(back.errors).toBeUndefined();
      expect(back.data.importGrassrootsUnits).toMatchObject({ created: 0, existing: asCsv.rows, errors: [] });
    });

    it('imports and exports Boai homes the same way', async () => {
      const content = [
        '名称,城乡,社区,启用日期,依托设施,服务项目',
        '导入家园,城市,宝石社区,2021-01-01,党群服务中心,养老助老、志愿服务',
        '坏家园,海上,某社区,2021-01-01,,',
      ].join('\n');
      const r = await ok(
        `mutation($input: GrassrootsImportInput!) { importBoaiHomes(input: $input) { created existing errors { line field } } }`,
        { input: { organizationId: ids.yh, format: 'CSV', content } },
      );
      expect(r.importBoaiHomes).toEqual({ created: 1, existing: 0, errors: [{ line: 3, field: 'setting' }] });
      const home = await svc.subgraph.models.BoaiHome.findOne({ name: '导入家园' }).lean();
      expect(home).toMatchObject({ setting: 'URBAN', embeddedIn: 'PARTY_SERVICE_CENTER', services: ['ELDERLY_CARE', 'VOLUNTEER_SERVICE'] });
      const exp = await ok(`{ exportBoaiHomes(format: CSV, organizationId: "${ids.yh}") { rows content } }`);
      expect(exp.exportBoaiHomes.content).toContain('导入家园,城市,2021-01-01,330110,,宝石社区');
      expect(exp.exportBoaiHomes.content).toContain('养老助老、志愿服务');

      // A name typed as a formula (issue 17, CSV injection) is exported as text, and imports back as it was.
      await ok(`mutation($input: OpenBoaiHomeInput!) { openBoaiHome(input: $input) { id } }`, {
        input: {
          organizationId: ids.yh,
          name: '=HYPERLINK("http://x.example","家园")',
          setting: 'URBAN',
          community: '某社区',
          openedOn: '2021-01-01',
        },
      });
      const csv = (await ok(`{ exportBoaiHomes(format: CSV, organizationId: "${ids.yh}") { content } }`)).exportBoaiHomes.content as string;
      expect(csv).toContain(`"'=HYPERLINK(""http://x.example"",""家园"")"`);
      expect(csv.split('\r\n').some((l) => l.startsWith('=') || l.startsWith('"='))).toBe(false);
      const again = await ok(
        `mutation($input: GrassrootsImportInput!) { importBoaiHomes(input: $input) { created existing errors { line field } } }`,
        { input: { organizationId: ids.yh, format: 'CSV', content: csv } },
      );
      expect(again.importBoaiHomes).toMatchObject({ created: 0, errors: [] });
    });
  });

  describe('aggregates stay bounded', () => {
    it('reads equipment totals, yearly installs and group counts with the same commands for the nation as for a county', async () => {
      const commands = async (id: string, selection: string) => {
        svc.db.commands.reset();
        const r = await org(id, selection);
        expect(r.errors).toBeUndefined();
        return svc.db.commands.count();
      };
      for (const selection of [
        'schoolEquipment(asOf: "2021-06-01") { aeds }',
        'schoolEquipmentInstalled(year: 2021) { aeds }',
        'grassrootsGroupCounts(kind: UNITS, asOf: "2021-06-01") { count }',
      ]) {
        expect(await commands(ids.hq, selection)).toBe(await commands(ids.xh, selection));
      }
    });
  });

  describe('records stored before dated facts', () => {
    it('get them once at boot: equipment dated the establishment, periods from the old fields, institutions’ unit periods', async () => {
      const { GrassrootsUnit, BoaiHome, MedicalInstitution, CounterBuilt } = svc.subgraph.models;
      const xh = tree.find((b) => b.id === ids.xh)!;
      const owned = { organizationId: new Types.ObjectId(ids.xh), orgPath: [...xh.ancestorIds, xh.id].map((x) => new Types.ObjectId(x)) };
      const instId = new Types.ObjectId();
      const unitId = new Types.ObjectId();
      await MedicalInstitution.collection.insertOne({
        _id: instId,
        ...owned,
        name: '旧医院',
        redCrossNamed: true,
        grassrootsUnitId: unitId,
      });
      await GrassrootsUnit.collection.insertMany([
        {
          _id: unitId,
          ...owned,
          name: '旧医院红十字会',
          type: 'HOSPITAL',
          establishedOn: new Date('2018-01-01'),
          dissolvedOn: null,
          assessments: [],
          meetsFiveHas: false,
          medicalInstitutionId: instId,
        },
        {
          ...owned,
          name: '旧学校红十字会',
          type: 'SCHOOL',
          establishedOn: new Date('2017-09-01'),
          dissolvedOn: null,
          meetsFiveHas: true,
          assessments: [
            {
              assessedOn: new Date('2019-01-01'),
              meetsAll: true,
              leader: { met: true },
              team: { met: true },
              rules: { met: true },
              platform: { met: true },
              activities: { met: true },
            },
          ],
          school: { schoolClinic: false, firstAidKiosks: 0, firstAidKits: 4, aeds: 2 },
          medicalInstitutionId: null,
        },
      ]);
      await BoaiHome.collection.insertOne({
        ...owned,
        name: '旧示范家园',
        setting: 'URBAN',
        community: '某社区',
        embeddedIn: 'STANDALONE',
        services: [],
        openedOn: new Date('2018-01-01'),
        closedOn: null,
        demonstrationDesignatedOn: new Date('2019-05-01'),
      });
      await BoaiHome.collection.insertOne({
        ...owned,
        name: '旧已关闭示范家园',
        setting: 'URBAN',
        community: '某社区',
        embeddedIn: 'STANDALONE',
        services: [],
        openedOn: new Date('2018-01-01'),
        closedOn: new Date('2020-06-01'),
        demonstrationDesignatedOn: new Date('2019-05-01'),
      });
      await CounterBuilt.deleteOne({ _id: 'dated-facts' });
      const migrated = await migrateDatedFacts(svc.subgraph.models);
      expect(migrated).toMatchObject({ institutions: 1, homes: 2 });
      expect(await migrateDatedFacts(svc.subgraph.models)).toBeNull();

      const school = await GrassrootsUnit.findOne({ name: '旧学校红十字会' }).lean();
      expect(school!.school).toBeUndefined();
      expect(school!.equipment!.map((e) => [e.kind, e.count, e.installedOn.toISOString().slice(0, 10)])).toEqual([
        ['FIRST_AID_KIT', 4, '2017-09-01'],
        ['AED', 2, '2017-09-01'],
      ]);
      expect(school!.fiveHas).toEqual([{ since: new Date('2019-01-01'), until: null, meets: true }]);
      const home = await BoaiHome.findOne({ name: '旧示范家园' }).lean();
      expect(home!.demonstrationPeriods).toEqual([expect.objectContaining({ since: new Date('2019-05-01'), until: null })]);
      const closed = await BoaiHome.findOne({ name: '旧已关闭示范家园' }).lean();
      expect(closed).toMatchObject({
        demonstrationDesignatedOn: null,
        demonstrationPeriods: [expect.objectContaining({ until: new Date('2020-06-01') })],
      });
      const inst = await MedicalInstitution.findById(instId).lean();
      expect(inst!.unitPeriods).toEqual([{ unitId, since: new Date('2018-01-01'), until: null }]);
      const filtered = await ok(`query($f: GrassrootsUnitFilter) { grassrootsUnits(filter: $f) { nodes { name } } }`, {
        f: { within: ids.xh, hasEquipment: ['AED'], asOf: '2018-01-01' },
      });
      expect(filtered.grassrootsUnits.nodes).toEqual([{ name: '旧学校红十字会' }]);
    });
  });
});
