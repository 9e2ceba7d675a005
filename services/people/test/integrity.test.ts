// Issue 16 (history and plausibility), people part, and issue 24 item 6 (units' members): each
// named bug is a test here that failed before its fix.
import { Types } from 'mongoose';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { countCommands, execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';
import { StaticUnitLookup } from '../src/units';

const tree = buildBranchTree();
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ids = {
  hq: tree.find((b) => b.level === 'NATIONAL')!.id,
  zj: byCode('330000'),
  hz: byCode('330100'),
  xh: byCode('330106'),
  sc: byCode('330102'),
  gs: byCode('330105'),
};
const person = (birth: string, seq: string) => withCheckDigit(`330106${birth}${seq}`);
const oid = () => new Types.ObjectId().toHexString();
const d = (s: string) => new Date(`${s}T00:00:00Z`);

// Units of the grassroots subgraph as the lookup reports them.
const units = {
  xh: { id: oid(), organizationId: ids.xh, establishedOn: d('2015-01-01'), dissolvedOn: null },
  xhLate: { id: oid(), organizationId: ids.xh, establishedOn: d('2021-06-01'), dissolvedOn: null },
  xhGone: { id: oid(), organizationId: ids.xh, establishedOn: d('2015-01-01'), dissolvedOn: d('2018-01-01') },
  sc: { id: oid(), organizationId: ids.sc, establishedOn: d('2015-01-01'), dissolvedOn: null },
};
// 拱墅区 with a known establishment date (the dataset's branches have none).
const GS_ESTABLISHED = '2016-05-01';

describe('people plausibility (issue 16) and grassroots units (issue 24.6)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 9));
  const run = <T = any>(query: string, variables?: Record<string, unknown>, viewer = testViewer(['SERVICE'])) =>
    execute<T>(svc.subgraph, query, variables, viewer);
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const r = await run(query, variables);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const refusal = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => ({
    code: r.errors?.[0]?.extensions?.code,
    fields: ((r.errors?.[0]?.extensions?.fields as { field: string }[]) ?? []).map((f) => f.field),
  });

  const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id grassrootsUnitId grassrootsUnit { id } } }`;
  const REGISTER_V = `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id grassrootsUnit { id } } }`;
  let seq = 100;
  const member = (over: Record<string, unknown> = {}) => ({
    organizationId: ids.xh,
    kind: 'ADULT',
    name: '王伟',
    idNumber: person('19850614', String(seq++)),
    joinedOn: '2021-03-01',
    ...over,
  });
  const volunteer = (over: Record<string, unknown> = {}) => ({
    organizationId: ids.xh,
    name: '陈洋',
    idNumber: person('19900909', String(seq++)),
    registeredOn: '2019-01-01',
    ...over,
  });

  beforeAll(async () => {
    const directory = new StaticDirectory(
      tree.map((b) => ({ ...b, dissolvedOn: null, establishedOn: b.id === ids.gs ? GS_ESTABLISHED : null })),
    );
    svc = await startTestService('people-integrity', (c) =>
      createServer(c, { directory, vault, units: new StaticUnitLookup(Object.values(units)) }),
    );
  });
  afterAll(() => svc.stop());

  describe('grassroots unit references (16.1)', () => {
    it.each([
      ['an id no unit has', oid()],
      ['a unit of another county', units.sc.id],
      ['a unit established after the joining date', units.xhLate.id],
      ['a unit dissolved before the joining date', units.xhGone.id],
    ])('refuses a member naming %s (BAD_USER_INPUT on input.grassrootsUnitId), writing nothing', async (_, unitId) => {
      const before = await svc.subgraph.models.Member.countDocuments();
      const r = await run(REGISTER, { input: member({ grassrootsUnitId: unitId }) });
      expect(refusal(r)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.grassrootsUnitId'] });
      expect(await svc.subgraph.models.Member.countDocuments()).toBe(before);
    });

    it('accepts a unit of the branch or of a branch below it, as a federated reference', async () => {
      const own = await ok(REGISTER, { input: member({ grassrootsUnitId: units.xh.id }) });
      expect(own.registerMember).toMatchObject({ grassrootsUnitId: units.xh.id, grassrootsUnit: { id: units.xh.id } });
      // A member registered by the prefecture may belong to a unit of a county below it.
      const above = await ok(REGISTER, { input: member({ organizationId: ids.hz, grassrootsUnitId: units.xh.id }) });
      expect(above.registerMember.grassrootsUnit).toEqual({ id: units.xh.id });
      const none = await ok(REGISTER, { input: member() });
      expect(none.registerMember).toMatchObject({ grassrootsUnitId: null, grassrootsUnit: null });
    });

    it('checks a volunteer unit the same way', async () => {
      const r = await run(REGISTER_V, { input: volunteer({ grassrootsUnitId: units.sc.id }) });
      expect(refusal(r)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.grassrootsUnitId'] });
      const good = await ok(REGISTER_V, { input: volunteer({ grassrootsUnitId: units.xh.id }) });
      expect(good.registerVolunteer.grassrootsUnit).toEqual({ id: units.xh.id });
    });

    it('checks the units named in an import, row by row', async () => {
      const csv = [
        'kind,name,idNumber,joinedOn,基层组织',
        `ADULT,甲,${person('19800101', String(seq++))},2021-05-01,${units.xh.id}`,
        `ADULT,乙,${person('19800101', String(seq++))},2021-05-01,${units.sc.id}`,
        `ADULT,丙,${person('19800101', String(seq++))},2021-05-01,${oid()}`,
        `ADULT,丁,${person('19800101', String(seq++))},2021-05-01,`,
      ].join('\n');
      const r = await ok(
        `mutation($input: ImportMembersInput!) { importMembers(input: $input) { created failed errors { line field } } }`,
        { input: { organizationId: ids.xh, format: 'CSV', content: csv } },
      );
      expect(r.importMembers).toEqual({
        created: 2,
        failed: 2,
        errors: [
          { line: 3, field: 'grassrootsUnitId' },
          { line: 4, field: 'grassrootsUnitId' },
        ],
      });
      const withUnit = await svc.subgraph.models.Member.countDocuments({ name: '甲', grassrootsUnitId: new Types.ObjectId(units.xh.id) });
      expect(withUnit).toBe(1);
    });

    it('refuses a reference when no lookup is configured rather than accepting it unchecked', async () => {
      const bare = createServer(svc.db.connection, { directory: StaticDirectory.fromTree(tree), vault });
      const r = await execute(bare, REGISTER, { input: member({ grassrootsUnitId: units.xh.id }) });
      expect(r.errors?.[0]).toBeDefined();
      await bare.apollo.stop();
    });
  });

  describe('status before joining (16.2)', () => {
    it('is NOT_MEMBER before the joining date, not ACTIVE', async () => {
      const { registerMember } = await ok(REGISTER, { input: member({ joinedOn: '2020-05-01' }) });
      const data = await ok(`query($id: ID!) { member(id: $id) { before: status(asOf: "2020-04-30") on: status(asOf: "2020-05-01") } }`, {
        id: registerMember.id,
      });
      expect(data.member).toEqual({ before: 'NOT_MEMBER', on: 'ACTIVE' });
    });
  });

  describe('volunteer ages and national registration (16.3)', () => {
    it('refuses a volunteer born the day before registering (age 0)', async () => {
      const r = await run(REGISTER_V, { input: volunteer({ idNumber: person('20181231', '101'), registeredOn: '2019-01-01' }) });
      expect(refusal(r)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.idNumber'] });
    });

    it('registers from 14, under 18 only with a guardian consent', async () => {
      const thirteen = await run(REGISTER_V, { input: volunteer({ idNumber: person('20060102', '103'), registeredOn: '2020-01-01' }) });
      expect(refusal(thirteen)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.idNumber'] });
      const fifteen = { idNumber: person('20040601', '105'), registeredOn: '2020-01-01' };
      expect(refusal(await run(REGISTER_V, { input: volunteer(fifteen) }))).toEqual({
        code: 'BAD_USER_INPUT',
        fields: ['input.guardianConsent'],
      });
      await ok(REGISTER_V, { input: volunteer({ ...fifteen, guardianConsent: true }) });
    });

    it('refuses a national registration before birth or before 14 (1980 for someone born 1995)', async () => {
      const { registerVolunteer } = await ok(REGISTER_V, {
        input: volunteer({ idNumber: person('19950101', '107'), registeredOn: '2019-01-01' }),
      });
      const RECORD = `mutation($id: ID!, $on: Date!) { recordNationalRegistration(volunteerId: $id, registeredOn: $on) { nationalSystemRegisteredOn } }`;
      for (const on of ['1980-01-01', '2008-06-01']) {
        expect(refusal(await run(RECORD, { id: registerVolunteer.id, on }))).toEqual({ code: 'BAD_USER_INPUT', fields: ['registeredOn'] });
      }
      expect((await svc.subgraph.models.Volunteer.findById(registerVolunteer.id).lean())!.nationalRegisteredOn).toBeNull();
      // Registering with the national date at once is checked too.
      const r = await run(REGISTER_V, {
        input: volunteer({ idNumber: person('19950101', '109'), nationalSystemRegisteredOn: '1980-01-01', nationalSystemId: 'ZYZ-EARLY' }),
      });
      expect(refusal(r)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.nationalSystemRegisteredOn'] });
    });

    it('refuses a national volunteer code twice: CONFLICT naming the field, enforced by a unique partial index', async () => {
      const code = 'ZYZ330106000001';
      await ok(REGISTER_V, { input: volunteer({ nationalSystemRegisteredOn: '2019-02-01', nationalSystemId: code }) });
      const again = await run(REGISTER_V, { input: volunteer({ nationalSystemRegisteredOn: '2019-02-01', nationalSystemId: code }) });
      expect(refusal(again)).toEqual({ code: 'CONFLICT', fields: ['input.nationalSystemId'] });
      const { registerVolunteer } = await ok(REGISTER_V, { input: volunteer() });
      const later = await run(
        `mutation($id: ID!) { recordNationalRegistration(volunteerId: $id, registeredOn: "2019-03-01", nationalSystemId: "${code}") { id } }`,
        { id: registerVolunteer.id },
      );
      expect(refusal(later)).toEqual({ code: 'CONFLICT', fields: ['nationalSystemId'] });
      // The database itself refuses it (not only a read before the write).
      const indexes = await svc.subgraph.models.Volunteer.collection.indexes();
      expect(indexes.find((i) => i.key.nationalSystemId === 1)).toMatchObject({ unique: true, partialFilterExpression: expect.anything() });
      // Volunteers without a code are many.
      expect(await svc.subgraph.models.Volunteer.countDocuments({ nationalSystemId: null })).toBeGreaterThan(1);
    });
  });

  describe('one pending star rating (16.4)', () => {
    it('of two simultaneous requests exactly one succeeds; the other is a CONFLICT', async () => {
      const { registerVolunteer } = await ok(REGISTER_V, { input: volunteer({ registeredOn: '2020-01-01' }) });
      // A week apart (at most 84 hours in 7 days), confirmed so that they count (issue 19.6).
      for (let i = 0; i < 5; i++) {
        const { recordServiceHours } = await ok(`mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { id } }`, {
          input: {
            volunteerId: registerVolunteer.id,
            activity: '急救培训',
            date: `2020-02-${String(1 + i * 7).padStart(2, '0')}`,
            hours: 20,
          },
        });
        await ok(`mutation($id: ID!) { confirmServiceHours(id: $id) { id } }`, { id: recordServiceHours.id });
      }
      const REQUEST = `mutation($input: RequestStarRatingInput!) { requestStarRating(input: $input) { id status } }`;
      const input = { volunteerId: registerVolunteer.id, stars: 1, requestedOn: '2020-03-01' };
      const results = await Promise.all([run(REQUEST, { input }), run(REQUEST, { input })]);
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
      expect(await svc.subgraph.models.StarRating.countDocuments({ volunteerId: registerVolunteer.id, status: 'PENDING' })).toBe(1);
      const indexes = await svc.subgraph.models.StarRating.collection.indexes();
      expect(indexes.find((i) => i.name === 'one_pending_per_volunteer')).toMatchObject({
        unique: true,
        partialFilterExpression: { status: 'PENDING' },
      });
    });
  });

  describe('dates not before the branch existed (16.5)', () => {
    it('refuses members, imported rows, volunteers and teams dated before the branch was established', async () => {
      const early = await run(REGISTER, { input: member({ organizationId: ids.gs, joinedOn: '2016-04-30' }) });
      expect(refusal(early)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.joinedOn'] });
      await ok(REGISTER, { input: member({ organizationId: ids.gs, joinedOn: GS_ESTABLISHED }) });

      const v = await run(REGISTER_V, { input: volunteer({ organizationId: ids.gs, registeredOn: '2016-01-01' }) });
      expect(refusal(v)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.registeredOn'] });

      const team = await run(`mutation($input: CreateServiceTeamInput!) { createServiceTeam(input: $input) { id } }`, {
        input: { organizationId: ids.gs, name: '拱墅救护队', specialty: 'FIRST_AID', foundedOn: '2015-12-31' },
      });
      expect(refusal(team)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.foundedOn'] });

      const csv = [
        'kind,name,idNumber,joinedOn',
        `ADULT,甲,${person('19800101', '301')},2016-01-01`,
        `ADULT,乙,${person('19800101', '302')},2017-01-01`,
      ].join('\n');
      const imported = await ok(
        `mutation($input: ImportMembersInput!) { importMembers(input: $input) { created failed errors { line field } } }`,
        { input: { organizationId: ids.gs, format: 'CSV', content: csv } },
      );
      expect(imported.importMembers).toEqual({ created: 1, failed: 1, errors: [{ line: 2, field: 'joinedOn' }] });
    });

    it('refuses dates in the future', async () => {
      const r = await run(REGISTER, { input: member({ joinedOn: '2999-01-01' }) });
      expect(refusal(r)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.joinedOn'] });
    });

    it('takes today in China as today: a member joining at 00:30 in Beijing (16:30 UTC the day before) is not in the future', async () => {
      // The calendar day in Beijing, whatever the clock of the machine running the test.
      const beijing = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const r = await run(REGISTER, { input: member({ joinedOn: beijing }) });
      expect(r.errors).toBeUndefined();
    });
  });

  describe('GrassrootsUnit.members / memberCount / volunteers / volunteerCount (24.6)', () => {
    const UNIT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on GrassrootsUnit {
      id members(first: 5) { totalCount nodes { id idNumberMasked } } memberCount(asOf: "2021-06-01")
      volunteers { totalCount } volunteerCount(asOf: "2021-06-01") } } }`;
    const rep = (id: string) => ({ __typename: 'GrassrootsUnit', id });

    it("lists and counts a unit's members and volunteers within the viewer's subtree only", async () => {
      const all = await ok(UNIT, { r: [rep(units.xh.id)] });
      const unit = all._entities[0];
      expect(unit.members.totalCount).toBeGreaterThanOrEqual(2);
      expect(unit.memberCount).toBe(unit.members.totalCount);
      expect(unit.volunteers.totalCount).toBe(1);
      expect(unit.volunteerCount).toBe(0); // not registered nationally

      // STAFF of 西湖区 sees its own member, not the prefecture's.
      const staff = await run(UNIT, { r: [rep(units.xh.id)] }, testViewer(['STAFF'], ids.xh));
      expect(staff.errors).toBeUndefined();
      expect(staff.data!._entities[0].members.totalCount).toBe(unit.members.totalCount - 1);
      expect(staff.data!._entities[0].memberCount).toBe(unit.members.totalCount - 1);

      // Another county's staff: nothing of it.
      const other = await run(UNIT, { r: [rep(units.xh.id)] }, testViewer(['STAFF'], ids.sc));
      expect(other.data!._entities[0]).toMatchObject({ members: { totalCount: 0 }, memberCount: 0, volunteers: { totalCount: 0 } });

      // A VIEWER counts, and lists names without personal data.
      const viewer = await run(UNIT, { r: [rep(units.xh.id)] }, testViewer(['VIEWER'], ids.hz));
      expect(viewer.errors).toBeUndefined();
      expect(viewer.data!._entities[0].memberCount).toBe(unit.memberCount);
      expect(viewer.data!._entities[0].members.nodes.every((m: { idNumberMasked: unknown }) => m.idNumberMasked === null)).toBe(true);

      // Counts are for report readers: a training manager is refused them.
      const tm = await run(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on GrassrootsUnit { memberCount } } }`,
        { r: [rep(units.xh.id)] },
        testViewer(['TRAINING_MANAGER'], ids.hz),
      );
      expect(tm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('counts many units with a constant number of database commands (batched)', async () => {
      const COUNT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on GrassrootsUnit { memberCount volunteerCount } } }`;
      const counter = countCommands(svc.db.connection);
      const measure = async (n: number) => {
        counter.reset();
        const r = await ok(COUNT, { r: Array.from({ length: n }, (_, i) => rep(i === 0 ? units.xh.id : oid())) });
        expect(r._entities).toHaveLength(n);
        return counter.count();
      };
      const two = await measure(2);
      const twenty = await measure(20);
      expect(twenty).toBe(two);
    });
  });

  describe('DataQuality.peopleFindings (16.6)', () => {
    const DQ = `query($r: [_Any!]!) { _entities(representations: $r) { ... on DataQuality {
      organizationId from to peopleFindings { rule recordType recordId organizationId on message } } } }`;
    const rep = { __typename: 'DataQuality', organizationId: ids.sc, from: '2020-01-01', to: '2020-12-31' };
    const future = { ...rep, from: '2999-01-01', to: '2999-12-31' };
    const planted: Record<string, string> = {};

    beforeAll(async () => {
      // Implausible records as they may come from old data: written past the API's rules.
      const { Member, Volunteer, ServiceRecord, DuesPayment } = svc.subgraph.models;
      const path = [ids.hq, ids.zj, ids.hz, ids.sc].map((id) => new Types.ObjectId(id));
      const base = { organizationId: path[3], orgPath: path, idNumberCipher: 'x', idNumberMasked: 'x' };
      const m = await Member.create({
        ...base,
        kind: 'ADULT',
        name: '甲',
        idNumberHash: 'dq-1',
        birthDate: d('2021-01-01'),
        joinedOn: d('2020-06-01'),
        lapsesOn: d('2023-01-01'),
      });
      planted.MEMBER_JOINED_BEFORE_BIRTH = String(m._id);
      const m2 = await Member.create({
        ...base,
        kind: 'ADULT',
        name: '乙',
        idNumberHash: 'dq-2',
        joinedOn: d('2020-06-01'),
        lapsesOn: d('2023-01-01'),
      });
      const p = await DuesPayment.create({
        memberId: m2._id,
        memberOrgPath: path,
        organizationId: path[3],
        orgPath: path,
        periodFrom: 2020,
        periodTo: 2020,
        amountCents: 1000,
        paidOn: d('2020-03-01'),
      });
      planted.DUES_PAID_BEFORE_JOINING = String(p._id);
      const young = await Volunteer.create({
        ...base,
        name: '丙',
        idNumberHash: 'dq-3',
        birthDate: d('2012-01-01'),
        registeredOn: d('2020-02-01'),
      });
      planted.VOLUNTEER_UNDER_AGE = String(young._id);
      const tired = await Volunteer.create({
        ...base,
        name: '丁',
        idNumberHash: 'dq-4',
        birthDate: d('1990-01-01'),
        registeredOn: d('2020-01-01'),
      });
      planted.VOLUNTEER_LONG_DAYS_STREAK = String(tired._id);
      const rec = (date: Date, hours: number) => ({
        volunteerId: tired._id,
        organizationId: path[3],
        orgPath: path,
        activity: 'x',
        date,
        hours,
      });
      // Eight days of 24 hours, then a gap, then six days (too short a run).
      const days = [...Array.from({ length: 8 }, (_, i) => d(`2020-03-${String(i + 1).padStart(2, '0')}`))];
      const short = [...Array.from({ length: 6 }, (_, i) => d(`2020-04-${String(i + 1).padStart(2, '0')}`))];
      await ServiceRecord.insertMany([...days.map((x) => rec(x, 24)), ...short.map((x) => rec(x, 24))]);
      const future = await ServiceRecord.create(rec(d('2999-01-01'), 2));
      planted.SERVICE_RECORD_IN_FUTURE = String(future._id);
    });

    it('finds each planted implausibility, and nothing of plausible records', async () => {
      const r = await run(DQ, { r: [rep] }, testViewer(['REPORTER'], ids.sc));
      expect(r.errors).toBeUndefined();
      const findings = r.data!._entities[0].peopleFindings as { rule: string; recordId: string; on: string; message: string }[];
      const byRule = Object.fromEntries(findings.map((f) => [f.rule, f]));
      for (const [rule, id] of Object.entries(planted)) {
        if (rule !== 'SERVICE_RECORD_IN_FUTURE') expect([rule, byRule[rule]?.recordId]).toEqual([rule, id]);
      }
      const later = await run(DQ, { r: [future] }, testViewer(['REPORTER'], ids.sc));
      expect(later.data!._entities[0].peopleFindings.map((f: { rule: string; recordId: string }) => [f.rule, f.recordId])).toEqual([
        ['SERVICE_RECORD_IN_FUTURE', planted.SERVICE_RECORD_IN_FUTURE],
      ]);
      const tooLong = await run(DQ, { r: [{ ...rep, to: '2022-01-01' }] }, testViewer(['REPORTER'], ids.sc));
      expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(findings.filter((f) => f.rule === 'VOLUNTEER_LONG_DAYS_STREAK')).toHaveLength(1);
      expect(byRule.VOLUNTEER_LONG_DAYS_STREAK.on).toBe('2020-03-01');
      // No personal data in the messages.
      for (const f of findings) expect(f.message).not.toMatch(/甲|乙|丙|丁/);
    });

    it('re-checks access: outside the subtree FORBIDDEN, and not for roles that read no reports', async () => {
      const outside = await run(DQ, { r: [rep] }, testViewer(['ADMIN'], ids.xh));
      expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const tm = await run(DQ, { r: [rep] }, testViewer(['TRAINING_MANAGER'], ids.sc));
      expect(tm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const above = await run(DQ, { r: [rep] }, testViewer(['VIEWER'], ids.zj));
      expect(above.errors).toBeUndefined();
    });
  });
});
