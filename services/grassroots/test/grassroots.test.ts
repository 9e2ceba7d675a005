import { Types } from 'mongoose';
import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory, type BranchInfo } from '@rcsc/directory';
import { anonymousViewer } from '@rcsc/service-kit';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';
import { rebuildCounters } from '../src/counters';
import { expectCountersMatchScan } from './scan';

const tree = buildBranchTree();
const code = (c: string) => tree.find((b) => b.divisionCode === c)!.id;
const ids = {
  hq: nationalId(),
  zj: code('330000'),
  hz: code('330100'),
  xh: code('330106'), // 西湖区 (DISTRICT) under 杭州市 (PREFECTURE_CITY)
  yh: code('330110'), // 余杭区
  jh: code('330700'), // 金华市
  yw: code('330782'), // 义乌市 (COUNTY_CITY) under 金华市
  js: code('320000'),
  xw: code('320102'), // 玄武区, Nanjing
};
/** A branch that was dissolved (only this test's directory knows it). */
const dissolvedBranch: BranchInfo = {
  id: 'dd'.repeat(12),
  name: '撤销的红十字会',
  level: 'COUNTY',
  kind: 'REGIONAL',
  divisionCode: '330199',
  divisionType: 'DISTRICT',
  parentId: ids.hz,
  ancestorIds: [ids.hq, ids.zj, ids.hz],
  dissolvedOn: '2020-01-01',
};

const fieldsOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  ((r.errors?.[0].extensions?.fields ?? []) as { field: string }[]).map((f) => f.field).sort();
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0].extensions?.code;

describe('grassroots subgraph', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = <T = any>(query: string, variables?: Record<string, unknown>) => execute<T>(svc.subgraph, query, variables);

  const register = async (input: Record<string, unknown>) => {
    const r = await run(`mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`, { input });
    expect(r.errors).toBeUndefined();
    return r.data.registerGrassrootsUnit.id as string;
  };
  const openHome = async (input: Record<string, unknown>) => {
    const r = await run(`mutation($input: OpenBoaiHomeInput!) { openBoaiHome(input: $input) { id } }`, { input });
    expect(r.errors).toBeUndefined();
    return r.data.openBoaiHome.id as string;
  };
  const entities = (reps: Record<string, unknown>[], selection: string) =>
    run(`query($reps: [_Any!]!) { _entities(representations: $reps) { ${selection} } }`, { reps });

  beforeAll(async () => {
    const directory = new StaticDirectory([...tree.map((b) => ({ ...b, dissolvedOn: null })), dissolvedBranch]);
    svc = await startTestService('grassroots', (connection) => createServer(connection, { directory }));
  });
  afterAll(() => svc.stop());

  describe('grassroots units', () => {
    const units: Record<string, string> = {};

    beforeAll(async () => {
      units.school = await register({
        organizationId: ids.xh,
        name: '杭州市西湖区第一中学红十字会',
        type: 'SCHOOL',
        townshipCode: '330106002',
        establishedOn: '2019-03-01',
        leader: { name: '王伟', phone: '13812345678' },
        school: { schoolClinic: true, firstAidKits: 12, aeds: 2 },
      });
      units.community = await register({
        organizationId: ids.xh,
        name: '北山街道宝石社区红十字会',
        type: 'COMMUNITY',
        community: '宝石社区',
        establishedOn: '2021-04-01',
      });
      units.enterprise = await register({
        organizationId: ids.hz,
        name: '杭州市燃气集团有限公司红十字会',
        type: 'ENTERPRISE',
        establishedOn: '2018-01-01',
      });
      units.yiwu = await register({
        organizationId: ids.yw,
        name: '稠城街道红十字会',
        type: 'STREET',
        townshipCode: '330782001',
        establishedOn: '2020-06-01',
      });
    });

    it('registers units with their township, school equipment and a masked leader phone', async () => {
      const r = await run(
        `query($id: ID!) { grassrootsUnit(id: $id) {
        name type organization { id } township { code name } establishedOn dissolvedOn active meetsFiveHas
        leader { name phone } school { schoolClinic firstAidKiosks firstAidKits aeds } medicalInstitution { id } } }`,
        { id: units.school },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.grassrootsUnit).toEqual({
        name: '杭州市西湖区第一中学红十字会',
        type: 'SCHOOL',
        organization: { id: ids.xh },
        township: { code: '330106002', name: '北山街道' },
        establishedOn: '2019-03-01',
        dissolvedOn: null,
        active: true,
        meetsFiveHas: false,
        leader: { name: '王伟', phone: '138****5678' },
        school: { schoolClinic: true, firstAidKiosks: 0, firstAidKits: 12, aeds: 2 },
        medicalInstitution: null,
      });
      const stored = await svc.subgraph.models.GrassrootsUnit.findById(units.school).lean();
      expect(JSON.stringify(stored)).not.toContain('13812345678');
      expect(stored!.orgPath.map(String)).toEqual([ids.hq, ids.zj, ids.hz, ids.xh]);
    });

    it('lists the units of a whole subtree, filtered, with cursor pages that cover every unit once', async () => {
      const q = `query($id: ID!, $f: GrassrootsUnitFilter) { _entities(representations: [{ __typename: "Organization", id: $id }]) {
        ... on Organization { grassrootsUnits(filter: $f, first: 100) { totalCount nodes { name } } } } }`;
      const count = async (id: string, f?: Record<string, unknown>) =>
        (await run(q, { id, f })).data._entities[0].grassrootsUnits.totalCount;
      expect(await count(ids.zj)).toBe(4);
      expect(await count(ids.hz)).toBe(3);
      expect(await count(ids.xh)).toBe(2);
      expect(await count(ids.zj, { type: 'SCHOOL' })).toBe(1);
      expect(await count(ids.zj, { types: ['SCHOOL', 'STREET'] })).toBe(2);
      expect(await count(ids.zj, { townshipCode: '330106002' })).toBe(1);
      expect(await count(ids.zj, { search: '燃气' })).toBe(1);
      expect(await count(ids.js)).toBe(0);

      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const r: any = await run(
          `query($after: String, $id: ID!) { grassrootsUnits(filter: { within: $id }, first: 3, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`,
          {
            after,
            id: ids.zj,
          },
        );
        seen.push(...r.data.grassrootsUnits.nodes.map((n: any) => n.id));
        if (!r.data.grassrootsUnits.pageInfo.hasNextPage) break;
        after = r.data.grassrootsUnits.pageInfo.endCursor;
      }
      expect(seen.sort()).toEqual(Object.values(units).sort());
    });

    it('records five-point assessments; meetsFiveHas follows the latest', async () => {
      const assess = (assessedOn: string, platform: boolean) =>
        run(
          `mutation($id: ID!, $input: FiveHasAssessmentInput!) { assessGrassrootsUnit(id: $id, input: $input) {
            meetsFiveHas latestAssessment { assessedOn meetsAll platform { met evidence } } assessments { assessedOn } } }`,
          {
            id: units.school,
            input: {
              assessedOn,
              leader: { met: true, evidence: '校长兼任会长' },
              team: { met: true },
              rules: { met: true },
              platform: { met: platform, evidence: platform ? '设有博爱校医室' : null },
              activities: { met: true },
              assessedBy: '西湖区红十字会',
            },
          },
        );
      const later = await assess('2021-05-10', true);
      expect(later.errors).toBeUndefined();
      expect(later.data.assessGrassrootsUnit.meetsFiveHas).toBe(true);
      // Issue 16: an older assessment recorded afterwards rewrote the past; now it is refused ...
      const earlier = await assess('2020-05-10', false);
      expect(codeOf(earlier)).toBe('CONFLICT');
      expect(fieldsOf(earlier)).toEqual(['input.assessedOn']);
      // ... and made as a correction with a reason (audited with it).
      const correct = (input: Record<string, unknown>) =>
        run(
          `mutation($id: ID!, $input: CorrectFiveHasAssessmentInput!) { correctGrassrootsAssessment(id: $id, input: $input) {
            meetsFiveHas latestAssessment { assessedOn meetsAll platform { met evidence } } assessments { assessedOn correctionReason } } }`,
          { id: units.school, input },
        );
      const five = { leader: { met: true }, team: { met: true }, rules: { met: true }, activities: { met: true } };
      const missed = await correct({ assessedOn: '2020-05-10', ...five, platform: { met: false }, reason: '补录2020年评估' });
      expect(missed.errors).toBeUndefined();
      expect(missed.data.correctGrassrootsAssessment).toEqual({
        meetsFiveHas: true,
        latestAssessment: { assessedOn: '2021-05-10', meetsAll: true, platform: { met: true, evidence: '设有博爱校医室' } },
        assessments: [
          { assessedOn: '2021-05-10', correctionReason: null },
          { assessedOn: '2020-05-10', correctionReason: '补录2020年评估' },
        ],
      });
      const entry = await svc.subgraph.models.Audit.findOne({ action: 'correctGrassrootsAssessment' }).lean();
      expect(entry!.after).toMatchObject({ reason: '补录2020年评估' });
      expect(fieldsOf(await correct({ assessedOn: '2020-05-10', ...five, platform: { met: false }, reason: '' }))).toEqual([
        'input.reason',
      ]);
      expect(fieldsOf(await correct({ assessedOn: '2019-01-01', ...five, platform: { met: false }, reason: '早于成立' }))).toEqual([
        'input.assessedOn',
      ]);
      const again = await assess('2021-05-10', false);
      expect(codeOf(again)).toBe('CONFLICT');
      const early = await assess('2019-01-01', true);
      expect(fieldsOf(early)).toEqual(['input.assessedOn']);

      // asOf reaches meetsFiveHas and its list filter: each assessment holds until the next.
      const dated = await run(
        `query($id: ID!) { grassrootsUnit(id: $id) { before: meetsFiveHas(asOf: "2020-05-09") y2020: meetsFiveHas(asOf: "2020-12-31")
          y2021: meetsFiveHas(asOf: "2021-05-10") now: meetsFiveHas fiveHasPeriods { since until meets } } }`,
        { id: units.school },
      );
      expect(dated.data.grassrootsUnit).toEqual({
        before: false,
        y2020: false,
        y2021: true,
        now: true,
        fiveHasPeriods: [
          { since: '2020-05-10', until: '2021-05-10', meets: false },
          { since: '2021-05-10', until: null, meets: true },
        ],
      });
      const met = await run(`query($id: ID!) { grassrootsUnits(filter: { within: $id, meetsFiveHas: true }) { nodes { id } } }`, {
        id: ids.zj,
      });
      expect(met.data.grassrootsUnits.nodes).toEqual([{ id: units.school }]);
      const metOn = async (asOf: string, meets: boolean) =>
        (
          await run(`query($f: GrassrootsUnitFilter) { grassrootsUnits(filter: $f) { nodes { id } } }`, {
            f: { within: ids.zj, meetsFiveHas: meets, asOf },
          })
        ).data.grassrootsUnits.nodes.map((n: { id: string }) => n.id);
      expect(await metOn('2020-12-31', true)).toEqual([]);
      expect(await metOn('2021-06-01', true)).toEqual([units.school]);
      expect(await metOn('2020-12-31', false)).toContain(units.school);
      expect(await metOn('2021-06-01', false)).not.toContain(units.school);
    });

    it('updates a unit and refuses changes that break its facts', async () => {
      const ok = await run(
        `mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { name: "杭州市西湖区第一中学红十字会（高中部）", school: { aeds: 3 }, leader: null }) { name school { aeds schoolClinic } leader { name } } }`,
        {
          id: units.school,
        },
      );
      expect(ok.data.updateGrassrootsUnit).toEqual({
        name: '杭州市西湖区第一中学红十字会（高中部）',
        school: { aeds: 3, schoolClinic: false },
        leader: null,
      });
      const school = await run(`mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { school: { aeds: 1 } }) { id } }`, {
        id: units.enterprise,
      });
      expect(fieldsOf(school)).toEqual(['input.school']);
      const late = await run(`mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { establishedOn: "2020-06-01" }) { id } }`, {
        id: units.school,
      });
      expect(fieldsOf(late)).toEqual(['input.establishedOn']);
      const outside = await run(`mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { townshipCode: "330782001" }) { id } }`, {
        id: units.community,
      });
      expect(fieldsOf(outside)).toEqual(['input.townshipCode']);
      const empty = await run(`mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: {}) { id } }`, { id: units.community });
      expect(codeOf(empty)).toBe('BAD_USER_INPUT');
    });

    it('dissolves a unit on a date: it leaves lists and counts from then on but stays for history', async () => {
      const r = await run(
        `mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-09-01", reason: "企业改制" }) {
        dissolvedOn dissolvedReason active before: active(asOf: "2021-08-31") } }`,
        { id: units.enterprise },
      );
      expect(r.data.dissolveGrassrootsUnit).toEqual({
        dissolvedOn: '2021-09-01',
        dissolvedReason: '企业改制',
        active: false,
        before: true,
      });
      const again = await run(`mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-10-01" }) { id } }`, {
        id: units.enterprise,
      });
      expect(codeOf(again)).toBe('CONFLICT');
      const list = await run(
        `query($id: ID!) { a: grassrootsUnits(filter: { within: $id }) { totalCount } b: grassrootsUnits(filter: { within: $id, includeDissolved: true }) { totalCount } }`,
        {
          id: ids.hz,
        },
      );
      expect(list.data).toEqual({ a: { totalCount: 2 }, b: { totalCount: 3 } });
    });
  });

  describe('medical institutions and the compliance list', () => {
    it('lists Red Cross-named institutions without a unit until one is registered, and again once it is dissolved', async () => {
      const inst = await run(
        `mutation($org: ID!) { registerMedicalInstitution(input: { organizationId: $org, name: "余杭区红十字医院", redCrossNamed: true }) { id redCrossNamed grassrootsUnit { id } } }`,
        {
          org: ids.yh,
        },
      );
      expect(inst.errors).toBeUndefined();
      const instId = inst.data.registerMedicalInstitution.id;
      await run(`mutation($org: ID!) { registerMedicalInstitution(input: { organizationId: $org, name: "余杭区第一人民医院" }) { id } }`, {
        org: ids.yh,
      });
      const compliance = `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) {
        ... on Organization { namedMedicalInstitutionsWithoutUnit { totalCount nodes { id name } } medicalInstitutions { totalCount } } } }`;
      const before = (await run(compliance, { id: ids.zj })).data._entities[0];
      expect(before).toEqual({
        namedMedicalInstitutionsWithoutUnit: { totalCount: 1, nodes: [{ id: instId, name: '余杭区红十字医院' }] },
        medicalInstitutions: { totalCount: 2 },
      });

      const unit = await register({
        organizationId: ids.yh,
        name: '余杭区红十字医院红十字会',
        type: 'HOSPITAL',
        establishedOn: '2020-02-01',
        medicalInstitutionId: instId,
      });
      expect((await run(compliance, { id: ids.zj })).data._entities[0].namedMedicalInstitutionsWithoutUnit.totalCount).toBe(0);
      const linked = await run(`query($id: ID!) { medicalInstitution(id: $id) { grassrootsUnit { id medicalInstitution { name } } } }`, {
        id: instId,
      });
      expect(linked.data.medicalInstitution.grassrootsUnit).toEqual({ id: unit, medicalInstitution: { name: '余杭区红十字医院' } });

      // A second unit for the same institution is a CONFLICT, and nothing of it is written.
      const unitsBefore = await svc.subgraph.models.GrassrootsUnit.countDocuments();
      const second = await run(`mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`, {
        input: { organizationId: ids.yh, name: '重复', type: 'HOSPITAL', establishedOn: '2021-01-01', medicalInstitutionId: instId },
      });
      expect(codeOf(second)).toBe('CONFLICT');
      expect(fieldsOf(second)).toEqual(['input.medicalInstitutionId']);
      expect(await svc.subgraph.models.GrassrootsUnit.countDocuments()).toBe(unitsBefore);
      // An institution outside the unit's branch is refused.
      const elsewhere = await run(`mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`, {
        input: { organizationId: ids.xh, name: '跨区', type: 'HOSPITAL', establishedOn: '2021-01-01', medicalInstitutionId: instId },
      });
      expect(fieldsOf(elsewhere)).toEqual(['input.medicalInstitutionId']);
      const missing = await run(`mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`, {
        input: { organizationId: ids.yh, name: '无', type: 'HOSPITAL', establishedOn: '2021-01-01', medicalInstitutionId: 'e'.repeat(24) },
      });
      expect(codeOf(missing)).toBe('NOT_FOUND');

      await run(`mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-03-01" }) { id } }`, { id: unit });
      expect((await run(compliance, { id: ids.zj })).data._entities[0].namedMedicalInstitutionsWithoutUnit.totalCount).toBe(1);
      const filtered = await run(`{ medicalInstitutions(filter: { redCrossNamed: true, hasUnit: false }) { totalCount } }`);
      expect(filtered.data.medicalInstitutions.totalCount).toBe(1);
    });
  });

  describe('Boai homes and coverage', () => {
    const homes: Record<string, string> = {};
    const coverage = `query($id: ID!, $d: Date) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
      boaiHomeCoverage(asOf: $d) { asOf prefectureCities { total covered uncovered { id } } countyCities { total covered uncovered { id } } } } } }`;
    const zjCities = (type: string) => tree.filter((b) => b.ancestorIds.includes(ids.zj) && b.divisionType === type).length;

    beforeAll(async () => {
      homes.xihu = await openHome({
        organizationId: ids.xh,
        name: '北山街道宝石社区博爱家园',
        setting: 'URBAN',
        townshipCode: '330106002',
        community: '宝石社区',
        embeddedIn: 'PARTY_SERVICE_CENTER',
        services: ['FIRST_AID_TRAINING', 'ELDERLY_CARE'],
        openedOn: '2019-05-01',
      });
      homes.yiwu = await openHome({
        organizationId: ids.yw,
        name: '义乌市佛堂镇博爱家园',
        setting: 'RURAL',
        community: '佛堂村',
        openedOn: '2021-03-01',
      });
    });

    it('opens homes and lists them under a subtree', async () => {
      const r = await run(
        `query($id: ID!) { boaiHome(id: $id) { name setting community embeddedIn services openedOn open demonstration township { name } organization { id } } }`,
        {
          id: homes.xihu,
        },
      );
      expect(r.data.boaiHome).toEqual({
        name: '北山街道宝石社区博爱家园',
        setting: 'URBAN',
        community: '宝石社区',
        embeddedIn: 'PARTY_SERVICE_CENTER',
        services: ['FIRST_AID_TRAINING', 'ELDERLY_CARE'],
        openedOn: '2019-05-01',
        open: true,
        demonstration: false,
        township: { name: '北山街道' },
        organization: { id: ids.xh },
      });
      const list = await run(
        `query($id: ID!) { boaiHomes(filter: { within: $id }) { totalCount } rural: boaiHomes(filter: { within: $id, setting: RURAL }) { nodes { id } } }`,
        { id: ids.zj },
      );
      expect(list.data).toEqual({ boaiHomes: { totalCount: 2 }, rural: { nodes: [{ id: homes.yiwu }] } });
    });

    it('designates urban homes as demonstration sites, once', async () => {
      const ok = await run(
        `mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2021-06-01") { demonstration demonstrationDesignatedOn } }`,
        { id: homes.xihu },
      );
      expect(ok.data.designateDemonstrationSite).toEqual({ demonstration: true, demonstrationDesignatedOn: '2021-06-01' });
      const twice = await run(`mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2021-07-01") { id } }`, {
        id: homes.xihu,
      });
      expect(codeOf(twice)).toBe('CONFLICT');
      const rural = await run(`mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2021-07-01") { id } }`, {
        id: homes.yiwu,
      });
      expect(fieldsOf(rural)).toEqual(['id']);
      const toRural = await run(`mutation($id: ID!) { updateBoaiHome(id: $id, input: { setting: RURAL }) { id } }`, { id: homes.xihu });
      expect(fieldsOf(toRural)).toEqual(['input.setting']);
      const sites = await run(`{ boaiHomes(filter: { demonstration: true }) { nodes { id } } }`);
      expect(sites.data.boaiHomes.nodes).toEqual([{ id: homes.xihu }]);
    });

    it('counts covered prefecture-level and county-level cities as of a date, with the uncovered list', async () => {
      const at = async (d: string) => (await run(coverage, { id: ids.zj, d })).data._entities[0].boaiHomeCoverage;
      const end2020 = await at('2020-12-31');
      expect(end2020.prefectureCities.total).toBe(zjCities('PREFECTURE_CITY'));
      expect(end2020.prefectureCities.total).toBe(11);
      expect(end2020.prefectureCities.covered).toBe(1);
      expect(end2020.countyCities.total).toBe(zjCities('COUNTY_CITY'));
      expect(end2020.countyCities.covered).toBe(0);
      expect(end2020.prefectureCities.uncovered.map((c: any) => c.id)).not.toContain(ids.hz);
      expect(end2020.prefectureCities.uncovered.map((c: any) => c.id)).toContain(ids.jh);

      const end2021 = await at('2021-12-31');
      expect(end2021.prefectureCities.covered).toBe(2);
      expect(end2021.countyCities.covered).toBe(1);
      expect(end2021.prefectureCities.uncovered).toHaveLength(9);
      expect(end2021.countyCities.uncovered.map((c: any) => c.id)).not.toContain(ids.yw);

      // The national view and a county's own view.
      const national = (await run(coverage, { id: ids.hq, d: '2021-12-31' })).data._entities[0].boaiHomeCoverage;
      expect(national.prefectureCities.covered).toBe(2);
      expect(national.prefectureCities.total).toBe(tree.filter((b) => b.divisionType === 'PREFECTURE_CITY').length);
      const yiwu = (await run(coverage, { id: ids.yw, d: '2021-12-31' })).data._entities[0].boaiHomeCoverage;
      expect(yiwu).toMatchObject({ prefectureCities: { total: 0, covered: 0 }, countyCities: { total: 1, covered: 1, uncovered: [] } });
    });

    it('closes a home on a date: the city is uncovered from then on', async () => {
      const closed = await run(
        `mutation($id: ID!) { closeBoaiHome(id: $id, input: { closedOn: "2021-10-01", reason: "场地拆迁" }) { closedOn open } }`,
        { id: homes.yiwu },
      );
      expect(closed.data.closeBoaiHome).toEqual({ closedOn: '2021-10-01', open: false });
      const r = (await run(coverage, { id: ids.zj, d: '2021-12-31' })).data._entities[0].boaiHomeCoverage;
      expect(r.countyCities.covered).toBe(0);
      expect(r.prefectureCities.covered).toBe(1);
      const sept = (await run(coverage, { id: ids.zj, d: '2021-09-30' })).data._entities[0].boaiHomeCoverage;
      expect(sept.countyCities.covered).toBe(1);
      const list = await run(
        `query($id: ID!) { a: boaiHomes(filter: { within: $id }) { totalCount } b: boaiHomes(filter: { within: $id, includeClosed: true }) { totalCount } }`,
        { id: ids.zj },
      );
      expect(list.data).toEqual({ a: { totalCount: 1 }, b: { totalCount: 2 } });
    });
  });

  describe('bad input and unknown records', () => {
    it('answers BAD_USER_INPUT naming the field, NOT_FOUND for unknown branches and records', async () => {
      const bad = await run(
        `mutation { registerGrassrootsUnit(input: { organizationId: "zz", name: "", type: SCHOOL, establishedOn: "2020-01-01" }) { id } }`,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual(['input.name', 'input.organizationId']);

      const unknown = await run(
        `mutation { registerGrassrootsUnit(input: { organizationId: "${'f'.repeat(24)}", name: "某校", type: SCHOOL, establishedOn: "2020-01-01" }) { id } }`,
      );
      expect(codeOf(unknown)).toBe('NOT_FOUND');
      expect(fieldsOf(unknown)).toEqual(['input.organizationId']);

      const dissolved = await run(
        `mutation { openBoaiHome(input: { organizationId: "${dissolvedBranch.id}", name: "家园", setting: URBAN, community: "某社区", openedOn: "2020-01-01" }) { id } }`,
      );
      expect(fieldsOf(dissolved)).toEqual(['input.organizationId']);

      const outside = await run(
        `mutation($org: ID!) { openBoaiHome(input: { organizationId: $org, name: "家园", setting: URBAN, community: "某社区", townshipCode: "320102002", openedOn: "2020-01-01" }) { id } }`,
        {
          org: ids.xh,
        },
      );
      expect(fieldsOf(outside)).toEqual(['input.townshipCode']);
      const noSuchTownship = await run(
        `mutation($org: ID!) { registerMedicalInstitution(input: { organizationId: $org, name: "某院", townshipCode: "330106999" }) { id } }`,
        { org: ids.xh },
      );
      expect(fieldsOf(noSuchTownship)).toEqual(['input.townshipCode']);

      const missingUnit = await run(
        `mutation { dissolveGrassrootsUnit(id: "${'e'.repeat(24)}", input: { dissolvedOn: "2021-01-01" }) { id } }`,
      );
      expect(codeOf(missingUnit)).toBe('NOT_FOUND');
      const missingHome = await run(`mutation { closeBoaiHome(id: "${'e'.repeat(24)}", input: { closedOn: "2021-01-01" }) { id } }`);
      expect(codeOf(missingHome)).toBe('NOT_FOUND');
      const badId = await run(`{ grassrootsUnit(id: "nope") { id } }`);
      expect(fieldsOf(badId)).toEqual(['id']);
      expect((await run(`{ grassrootsUnit(id: "${'e'.repeat(24)}") { id } }`)).data.grassrootsUnit).toBeNull();
      const tooMany = await run(`{ grassrootsUnits(first: 101) { totalCount } }`);
      expect(tooMany.errors?.[0].extensions?.fields).toEqual([{ field: 'first', message: 'must be an integer from 0 to 100' }]);
      const badSearch = await run(`{ boaiHomes(filter: { search: " " }) { totalCount } }`);
      expect(fieldsOf(badSearch)).toEqual(['filter.search']);
      const badDivision = await run(`{ townships(divisionCode: "33") { code } }`);
      expect(fieldsOf(badDivision)).toEqual(['divisionCode']);
      const anonymous = await execute(svc.subgraph, `{ grassrootsUnits { totalCount } }`, {}, anonymousViewer);
      expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
      const townships = await run(`{ townships(divisionCode: "330106") { code name } }`);
      expect(townships.data.townships[0]).toEqual({ code: '330106002', name: '北山街道' });
    });
  });

  describe('the report tables (row 8)', () => {
    const own = (org: string, n: number, from: string) =>
      Array.from({ length: n }, (_, i) => {
        const branch = tree.find((b) => b.id === org)!;
        return {
          organizationId: new Types.ObjectId(org),
          orgPath: [...branch.ancestorIds, org].map((x) => new Types.ObjectId(x)),
          name: `单位${org.slice(0, 4)}${i}`,
          type: 'ENTERPRISE',
          establishedOn: new Date(`${from}T00:00:00Z`),
          dissolvedOn: i === 0 ? new Date('2021-07-01T00:00:00Z') : null,
        };
      });

    beforeAll(async () => {
      // Jiangsu: units under the province itself, under Nanjing and under a Nanjing county.
      const nj = code('320100');
      await svc.subgraph.models.GrassrootsUnit.insertMany([
        ...own(ids.js, 3, '2020-03-01'),
        ...own(nj, 4, '2021-02-01'),
        ...own(ids.xw, 5, '2019-08-01'),
        ...own(code('320200'), 2, '2021-05-05'),
      ]);
      // Written directly, not through the mutations: counted into the annex counters by a rebuild.
      await rebuildCounters(svc.subgraph.models);
    });

    const survey = async (reps: { id: string; asOf: string }[]) => {
      const r = await entities(
        reps.map((x) => ({ __typename: 'Survey', organizationId: x.id, asOf: x.asOf })),
        '... on Survey { organizationId asOf grassrootsUnits }',
      );
      expect(r.errors).toBeUndefined();
      return r.data._entities as { organizationId: string; asOf: string; grassrootsUnits: number }[];
    };

    it('counts active units over the whole subtree on a date', async () => {
      const [end2021] = await survey([{ id: ids.js, asOf: '2021-12-31' }]);
      // 3 + 4 + 5 + 2, minus one dissolved in each of the four branches.
      expect(end2021).toEqual({ organizationId: ids.js, asOf: '2021-12-31', grassrootsUnits: 10 });
      const [mid2021] = await survey([{ id: ids.js, asOf: '2021-03-01' }]);
      expect(mid2021.grassrootsUnits).toBe(3 + 4 + 5);
    });

    it('is additive: a branch counts its own units plus those of its children (one snapshot read for the batch)', async () => {
      const children = tree.filter((b) => b.parentId === ids.js).map((b) => b.id);
      for (const asOf of ['2020-12-31', '2021-06-30', '2021-12-31']) {
        svc.db.commands.reset();
        const rows = await survey([ids.js, ...children].map((id) => ({ id, asOf })));
        // The counters' year totals, the days of the date's own year unless it is 31 December, and
        // the pending deltas not yet rolled up, in one snapshot read (whatever the batch).
        expect(svc.db.commands.names()).toEqual(['aggregate']);
        const [root, ...kids] = rows;
        const ownRows = own(ids.js, 3, '2020-03-01').filter(
          (u) => u.establishedOn <= new Date(asOf) && (!u.dissolvedOn || u.dissolvedOn > new Date(asOf)),
        );
        expect(root.grassrootsUnits).toBe(ownRows.length + kids.reduce((s, k) => s + k.grassrootsUnits, 0));
        // The batch answers exactly what single requests answer.
        const [single] = await survey([{ id: code('320100'), asOf }]);
        expect(kids[children.indexOf(code('320100'))].grassrootsUnits).toBe(single.grassrootsUnits);
      }
      const national = await survey([
        { id: ids.hq, asOf: '2021-12-31' },
        { id: ids.zj, asOf: '2021-12-31' },
        { id: ids.js, asOf: '2021-12-31' },
      ]);
      expect(national[0].grassrootsUnits).toBe(national[1].grassrootsUnits + national[2].grassrootsUnits);
    });

    it('gives the annual increase as the year-end count minus the previous year-end count', async () => {
      const r = await entities(
        [2020, 2021].map((year) => ({ __typename: 'AnnualIncrease', organizationId: ids.js, year, baseYear: year - 1 })),
        '... on AnnualIncrease { organizationId year grassrootsUnits }',
      );
      expect(r.errors).toBeUndefined();
      const counts = await survey(['2019-12-31', '2020-12-31', '2021-12-31'].map((asOf) => ({ id: ids.js, asOf })));
      expect(r.data._entities).toEqual([
        { organizationId: ids.js, year: 2020, grassrootsUnits: counts[1].grassrootsUnits - counts[0].grassrootsUnits },
        { organizationId: ids.js, year: 2021, grassrootsUnits: counts[2].grassrootsUnits - counts[1].grassrootsUnits },
      ]);
      // End of 2020: 3 in Jiangsu itself and 5 in Xuanwu; end of 2021: 10.
      expect(r.data._entities[1].grassrootsUnits).toBe(10 - 8);
    });
  });

  describe('entities, loaders and indexes', () => {
    it('resolves its own entities and adds its fields to Organization', async () => {
      const unit = await svc.subgraph.models.GrassrootsUnit.findOne({ type: 'SCHOOL' }).lean();
      const home = await svc.subgraph.models.BoaiHome.findOne().lean();
      const inst = await svc.subgraph.models.MedicalInstitution.findOne().lean();
      const r = await entities(
        [
          { __typename: 'GrassrootsUnit', id: String(unit!._id) },
          { __typename: 'GrassrootsUnit', id: 'f'.repeat(24) },
          { __typename: 'BoaiHome', id: String(home!._id) },
          { __typename: 'MedicalInstitution', id: String(inst!._id) },
          { __typename: 'Organization', id: ids.xh },
        ],
        `... on GrassrootsUnit { name type } ... on BoaiHome { name } ... on MedicalInstitution { name }
         ... on Organization { id grassrootsUnits { totalCount } boaiHomes { totalCount } }`,
      );
      expect(r.errors).toBeUndefined();
      expect(r.data._entities).toEqual([
        { name: unit!.name, type: 'SCHOOL' },
        null,
        { name: home!.name },
        { name: inst!.name },
        { id: ids.xh, grassrootsUnits: { totalCount: 2 }, boaiHomes: { totalCount: 1 } },
      ]);
    });

    it('makes a constant number of database commands for a page of units with nested fields', async () => {
      const { GrassrootsUnit, MedicalInstitution } = svc.subgraph.models;
      const xw = tree.find((b) => b.id === ids.xw)!;
      const orgPath = [...xw.ancestorIds, xw.id].map((x) => new Types.ObjectId(x));
      const insts = await MedicalInstitution.insertMany(
        Array.from({ length: 25 }, (_, i) => ({ organizationId: orgPath[3], orgPath, name: `玄武区医院${i}`, redCrossNamed: i % 2 === 0 })),
      );
      const hospitalUnits = await GrassrootsUnit.insertMany(
        insts.map((inst, i) => ({
          organizationId: orgPath[3],
          orgPath,
          name: `玄武区医院${i}红十字会`,
          type: 'HOSPITAL',
          establishedOn: new Date('2020-01-01'),
          medicalInstitutionId: inst._id,
        })),
      );
      await MedicalInstitution.bulkWrite(
        insts.map((inst, i) => ({
          updateOne: { filter: { _id: inst._id }, update: { $set: { grassrootsUnitId: hospitalUnits[i]._id } } },
        })),
      );
      await rebuildCounters(svc.subgraph.models); // the units above bypassed the mutations

      const q = `query($n: Int, $id: ID!) { grassrootsUnits(filter: { within: $id, type: HOSPITAL }, first: $n) { totalCount nodes {
        name organization { id } school { aeds } latestAssessment { assessedOn } leader { phone }
        medicalInstitution { name redCrossNamed organization { id } grassrootsUnit { name medicalInstitution { name } } } } } }`;
      svc.db.commands.reset();
      const small = await run(q, { n: 2, id: ids.xw });
      const smallCount = svc.db.commands.count();
      svc.db.commands.reset();
      const large = await run(q, { n: 20, id: ids.xw });
      expect(large.errors).toBeUndefined();
      expect(large.data.grassrootsUnits.nodes).toHaveLength(20);
      expect(large.data.grassrootsUnits.nodes[5].medicalInstitution.grassrootsUnit.medicalInstitution.name).toMatch(/^玄武区医院/);
      expect(small.data.grassrootsUnits.nodes).toHaveLength(2);
      expect(svc.db.commands.count()).toBe(smallCount);
      expect(smallCount).toBeLessThanOrEqual(4);
    });

    it('serves subtree lists, counts and coverage through indexes', async () => {
      const { GrassrootsUnit, BoaiHome, MedicalInstitution } = svc.subgraph.models;
      const zj = new Types.ObjectId(ids.zj);
      const plans = [
        await GrassrootsUnit.find({ $and: [{ orgPath: zj }, { type: 'SCHOOL' }, { dissolvedOn: null }] })
          .sort({ name: 1, _id: 1 })
          .explain(),
        await GrassrootsUnit.aggregate([{ $match: { orgPath: zj, establishedOn: { $lte: new Date() } } }, { $count: 'n' }]).explain(),
        await BoaiHome.aggregate([{ $match: { orgPath: zj, openedOn: { $lte: new Date() } } }]).explain(),
        await MedicalInstitution.find({ orgPath: zj, redCrossNamed: true, grassrootsUnitId: null }).explain(),
      ];
      for (const plan of plans) expect(JSON.stringify(plan)).toContain('IXSCAN');
    });
  });

  // Runs last: the units registered, updated (establishment dates), dissolved and inserted above
  // have moved the annex counters; they must still equal a count of the units themselves.
  describe('annex counters after the changes above', () => {
    it('equal a scan for every branch with units, on every date that matters', async () => {
      const dates = ['2015-12-31', '2019-08-01', '2020-12-31', '2021-03-01', '2021-06-30', '2021-07-01', '2021-12-31', '2030-01-01'];
      expect(await expectCountersMatchScan(svc.subgraph.models, dates)).toBeGreaterThan(5);
    });
  });
});
