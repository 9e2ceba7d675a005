import ExcelJS from 'exceljs';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';
import { withCreditCheck } from '../src/rules';
import { rebuildCounters } from '../src/counters';
import { DEFAULT_CONFIG } from '../src/config';
import { countedSurvey, scanCounts } from './scan';

const tree = buildBranchTree();
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ids = {
  hq: tree.find((b) => b.level === 'NATIONAL')!.id,
  zj: byCode('330000'),
  hz: byCode('330100'),
  xh: byCode('330106'),
  sc: byCode('330102'),
  bj: byCode('110000'),
  dc: byCode('110101'),
};
const person = (birth: string, seq: string) => withCheckDigit(`330106${birth}${seq}`);
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

describe('people subgraph', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 7));
  const run = <T = any>(query: string, variables?: Record<string, unknown>) => execute<T>(svc.subgraph, query, variables);
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const r = await run(query, variables);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const fields = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    ((r.errors?.[0].extensions?.fields as { field: string }[]) ?? []).map((f) => f.field).sort();

  // Dataset and examples are dated 2016-2021: standings are read in 2021, not today.
  const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) {
    id kind name gender birthDate idNumberMasked phoneMasked joinedOn status(asOf: "2021-06-01") paidThrough lapsesOn organization { id } } }`;

  beforeAll(async () => {
    svc = await startTestService('people', (c) => createServer(c, { directory: StaticDirectory.fromTree(tree), vault }));
  });
  afterAll(() => svc.stop());

  describe('members', () => {
    it('registers a member, storing the identity number protected and returning it masked', async () => {
      const idNumber = person('19850614', '123');
      const data = await ok(REGISTER, {
        input: { organizationId: ids.xh, kind: 'ADULT', name: '王伟', idNumber, phone: '13800138000', joinedOn: '2021-03-01' },
      });
      expect(data.registerMember).toMatchObject({
        kind: 'ADULT',
        name: '王伟',
        gender: 'MALE',
        birthDate: '1985-06-14',
        idNumberMasked: `3301**********${idNumber.slice(-4)}`,
        phoneMasked: '138****8000',
        status: 'ACTIVE',
        paidThrough: null,
        lapsesOn: '2023-01-01',
        organization: { id: ids.xh },
      });
      const stored = (await svc.subgraph.models.Member.findById(data.registerMember.id).lean())!;
      expect(JSON.stringify(stored)).not.toContain(idNumber);
      expect(JSON.stringify(stored)).not.toContain('13800138000');
      expect(vault.reveal({ cipher: stored.idNumberCipher })).toBe(idNumber);
      expect(stored.orgPath.map(String)).toEqual([ids.hq, ids.zj, ids.hz, ids.xh]);
    });

    it('refuses the same person twice in one branch, and in another branch too (one membership nationally, issue 19.4)', async () => {
      const input = {
        organizationId: ids.xh,
        kind: 'ADULT',
        name: '王伟',
        idNumber: person('19850614', '123').toLowerCase(),
        joinedOn: '2021-04-01',
      };
      const dup = await run(REGISTER, { input });
      expect(dup.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(fields(dup)).toEqual(['input.idNumber']);
      const elsewhere = await run(REGISTER, { input: { ...input, organizationId: ids.sc } });
      expect(elsewhere.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(elsewhere.errors?.[0].message).toContain('already a member of 杭州市西湖区红十字会');
    });

    it('validates every field, naming each one', async () => {
      const bad = await run(REGISTER, {
        input: { organizationId: 'nope', kind: 'ADULT', name: ' ', idNumber: 'x', phone: '123', joinedOn: '2099-01-01' },
      });
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(fields(bad)).toEqual(['input.joinedOn', 'input.name', 'input.organizationId', 'input.phone']);
      const unknownBranch = await run(REGISTER, {
        input: { organizationId: 'f'.repeat(24), kind: 'ADULT', name: '李娜', idNumber: person('19900101', '222'), joinedOn: '2021-01-01' },
      });
      expect(fields(unknownBranch)).toEqual(['input.organizationId']);
      const badId = await run(REGISTER, {
        input: { organizationId: ids.xh, kind: 'ADULT', name: '李娜', idNumber: '330106199001012220', joinedOn: '2021-01-01' },
      });
      expect(fields(badId)).toEqual(['input.idNumber']);
      const tooYoung = await run(REGISTER, {
        input: { organizationId: ids.xh, kind: 'ADULT', name: '李娜', idNumber: person('20100101', '222'), joinedOn: '2021-01-01' },
      });
      expect(fields(tooYoung)).toEqual(['input.kind']);
      const group = await run(REGISTER, {
        input: {
          organizationId: ids.xh,
          kind: 'GROUP',
          name: '西湖区第一中学',
          idNumber: person('19900101', '222'),
          joinedOn: '2021-01-01',
        },
      });
      expect(fields(group)).toEqual(['input.idNumber']);
    });

    it('keeps a dues ledger: rates from configuration, standing derived, lapses and returns kept', async () => {
      const m = (
        await ok(REGISTER, {
          input: { organizationId: ids.xh, kind: 'YOUTH', name: '张敏', idNumber: person('20080808', '042'), joinedOn: '2017-09-01' },
        })
      ).registerMember;
      expect(m.lapsesOn).toBe('2019-01-01');
      expect(m.status).toBe('LAPSED');
      const PAY = `mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) {
        amount periodFrom periodTo receivedBy { id } member { status(asOf: "2021-06-01") paidThrough lapsesOn } } }`;
      const paid = await ok(PAY, { input: { memberId: m.id, receivedBy: ids.hz, periodFrom: 2021, periodTo: 2022, paidOn: '2021-03-15' } });
      expect(paid.recordDuesPayment).toEqual({
        amount: 4,
        periodFrom: 2021,
        periodTo: 2022,
        receivedBy: { id: ids.hz },
        member: { status: 'ACTIVE', paidThrough: 2022, lapsesOn: '2025-01-01' },
      });
      const q = `query($id: ID!, $d: Date) { member(id: $id) { status(asOf: $d) duesPayments { periodFrom } } }`;
      expect((await ok(q, { id: m.id, d: '2020-06-01' })).member.status).toBe('LAPSED');
      expect((await ok(q, { id: m.id, d: '2018-06-01' })).member.status).toBe('ACTIVE');

      const overlap = await run(PAY, { input: { memberId: m.id, receivedBy: ids.xh, periodFrom: 2022, paidOn: '2021-04-01' } });
      expect(overlap.errors?.[0].extensions?.code).toBe('CONFLICT');
      const tooLittle = await run(PAY, {
        input: { memberId: m.id, receivedBy: ids.xh, periodFrom: 2023, amount: 1, paidOn: '2021-04-01' },
      });
      expect(fields(tooLittle)).toEqual(['input.amount']);
      expect(tooLittle.errors?.[0].message).toContain('2.00 yuan');
      const outsider = await run(PAY, { input: { memberId: m.id, receivedBy: ids.bj, periodFrom: 2023, paidOn: '2021-04-01' } });
      expect(fields(outsider)).toEqual(['input.receivedBy']);
      const unknown = await run(PAY, { input: { memberId: 'e'.repeat(24), receivedBy: ids.xh, periodFrom: 2023, paidOn: '2021-04-01' } });
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const backwards = await run(PAY, {
        input: { memberId: m.id, receivedBy: ids.xh, periodFrom: 2020, periodTo: 2019, paidOn: '2021-04-01' },
      });
      expect(fields(backwards)).toEqual(['input.periodTo']);

      const w = await ok(`mutation($id: ID!) { withdrawMember(id: $id, on: "2021-10-01", reason: "迁出") { status withdrawnOn } }`, {
        id: m.id,
      });
      expect(w.withdrawMember).toEqual({ status: 'WITHDRAWN', withdrawnOn: '2021-10-01' });
      const again = await run(`mutation($id: ID!) { withdrawMember(id: $id, on: "2021-10-02") { id } }`, { id: m.id });
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('imports a CSV: good rows saved, bad rows reported by line and field, the same file twice registers nobody twice', async () => {
      const csv = [
        '类别,姓名,身份证号,手机,入会日期',
        `成人,赵强,${person('19700101', '011')},13900000001,2021-05-01`,
        `YOUTH,钱芳,${person('20090202', '022')},,2021/5/2`,
        `GROUP,西湖区人民医院,${withCreditCheck('12330106MB1234567')},,2021-05-03`,
        `ADULT,孙杰,${wrongCheck(person('19700101', '000'))},,2021-05-04`,
        `CHILD,李静,${person('20100303', '033')},,2021-05-05`,
        `ADULT,周涛,${person('19800505', '055')},,not a date`,
        `ADULT,赵强,${person('19700101', '011')},,2021-05-06`,
      ].join('\n');
      const IMPORT = `mutation($input: ImportMembersInput!) { importMembers(input: $input) { rows created alreadyRegistered failed errors { line field message } } }`;
      const first = (await ok(IMPORT, { input: { organizationId: ids.xh, format: 'CSV', content: csv } })).importMembers;
      expect(first).toMatchObject({ rows: 7, created: 3, alreadyRegistered: 0, failed: 4 });
      expect(first.errors.map((e: any) => [e.line, e.field])).toEqual([
        [5, 'idNumber'],
        [6, 'kind'],
        [7, 'joinedOn'],
        [8, 'idNumber'],
      ]);
      expect(first.errors[3].message).toBe('the same person as line 2');
      const second = (await ok(IMPORT, { input: { organizationId: ids.xh, format: 'CSV', content: csv } })).importMembers;
      expect(second).toMatchObject({ rows: 7, created: 0, alreadyRegistered: 3, failed: 4 });

      const missing = await run(IMPORT, { input: { organizationId: ids.xh, format: 'CSV', content: 'name,idNumber\n王伟,1' } });
      expect(fields(missing)).toEqual(['input.content']);
      expect(missing.errors?.[0].message).toContain('kind, joinedOn');
    });

    it('imports an Excel workbook (base64), with rows numbered as in the sheet', async () => {
      const wb = new ExcelJS.Workbook();
      const sheet = wb.addWorksheet('会员');
      sheet.addRow(['kind', 'name', 'idNumber', 'joinedOn', 'contactPerson']);
      sheet.addRow(['ADULT', '吴磊', person('19750707', '077'), new Date('2021-06-01T00:00:00Z'), null]);
      sheet.addRow(['GROUP', '西湖区商会', withCreditCheck('51330106MJ7654321'), '2021-06-02', '郑丽']);
      sheet.addRow(['ADULT', '', person('19760808', '088'), '2021-06-03', null]);
      const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
      const r = (
        await ok(`mutation($input: ImportMembersInput!) { importMembers(input: $input) { created failed errors { line field } } }`, {
          input: { organizationId: ids.sc, format: 'XLSX', content },
        })
      ).importMembers;
      expect(r).toEqual({ created: 2, failed: 1, errors: [{ line: 4, field: 'name' }] });
      const broken = await run(`mutation($input: ImportMembersInput!) { importMembers(input: $input) { created } }`, {
        input: { organizationId: ids.sc, format: 'XLSX', content: 'bm90IGEgd29ya2Jvb2s=' },
      });
      expect(fields(broken)).toEqual(['input.content']);
    });

    it("lists a subtree's members with filters and pages", async () => {
      const q = `query($id: ID!, $f: MemberFilter) { _entities(representations: [{ __typename: "Organization", id: $id }]) {
        ... on Organization { members(filter: $f, first: 100) { totalCount nodes { name kind } } } } }`;
      const zj = (await ok(q, { id: ids.zj })) as any;
      const xh = (await ok(q, { id: ids.xh })) as any;
      const sc = (await ok(q, { id: ids.sc })) as any;
      expect(zj._entities[0].members.totalCount).toBe(xh._entities[0].members.totalCount + sc._entities[0].members.totalCount);
      const youth = (await ok(q, { id: ids.xh, f: { kind: 'YOUTH' } })) as any;
      expect(youth._entities[0].members.nodes.every((n: any) => n.kind === 'YOUTH')).toBe(true);
      const lapsed = (await ok(q, { id: ids.zj, f: { status: 'WITHDRAWN' } })) as any;
      expect(lapsed._entities[0].members.nodes.map((n: any) => n.name)).toEqual(['张敏']);
      const direct = (await ok(q, { id: ids.hz, f: { directOnly: true } })) as any;
      expect(direct._entities[0].members.totalCount).toBe(0);
    });
  });

  describe('volunteers, teams, hours and star ratings', () => {
    const v: Record<string, string> = {};
    const t: Record<string, string> = {};

    const REGISTER_V = `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) {
      id name idNumberMasked registeredInNationalSystem stars teams { name } organization { id } } }`;
    const HOURS = `mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { hours team { id } organization { id } } }`;
    const REQUEST = `mutation($input: RequestStarRatingInput!) { requestStarRating(input: $input) { id stars status hoursAtRequest approver { id } } }`;

    beforeAll(async () => {
      const team = async (organizationId: string, name: string, specialty: string, foundedOn = '2018-01-01') =>
        (
          await ok(`mutation($input: CreateServiceTeamInput!) { createServiceTeam(input: $input) { id } }`, {
            input: { organizationId, name, specialty, foundedOn },
          })
        ).createServiceTeam.id as string;
      t.rescue = await team(ids.xh, '西湖区红十字应急救援队', 'EMERGENCY_RESCUE');
      t.aid = await team(ids.hz, '杭州市红十字救护志愿服务队', 'FIRST_AID');
      t.bj = await team(ids.dc, '东城区红十字志愿服务队', 'COMMUNITY_SERVICE');
    });

    it('creates teams (a duplicate name in a branch is a CONFLICT) and registers volunteers in them', async () => {
      const dupTeam = await run(
        `mutation { createServiceTeam(input: { organizationId: "${ids.xh}", name: "西湖区红十字应急救援队", specialty: OTHER, foundedOn: "2019-01-01" }) { id } }`,
      );
      expect(dupTeam.errors?.[0].extensions?.code).toBe('CONFLICT');

      const a = await ok(REGISTER_V, {
        input: {
          organizationId: ids.xh,
          name: '陈洋',
          idNumber: person('19900909', '099'),
          registeredOn: '2018-03-01',
          nationalSystemRegisteredOn: '2018-03-10',
          teamIds: [t.rescue, t.aid],
        },
      });
      expect(a.registerVolunteer).toMatchObject({
        name: '陈洋',
        registeredInNationalSystem: true,
        stars: 0,
        teams: [{ name: '西湖区红十字应急救援队' }, { name: '杭州市红十字救护志愿服务队' }],
      });
      v.a = a.registerVolunteer.id;
      v.b = (
        await ok(REGISTER_V, {
          input: { organizationId: ids.dc, name: '刘刚', idNumber: withCheckDigit('11010119800101011'), registeredOn: '2017-01-01' },
        })
      ).registerVolunteer.id;

      const wrongTeam = await run(REGISTER_V, {
        input: {
          organizationId: ids.xh,
          name: '黄玲',
          idNumber: person('19920202', '012'),
          registeredOn: '2019-01-01',
          teamIds: [t.bj, 'f'.repeat(24)],
        },
      });
      expect(fields(wrongTeam)).toEqual(['input.teamIds.0', 'input.teamIds.1']);
      const dup = await run(REGISTER_V, {
        input: { organizationId: ids.xh, name: '陈洋', idNumber: person('19900909', '099'), registeredOn: '2019-01-01' },
      });
      expect(dup.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('records service hours with their rules', async () => {
      // 110 days x 9 hours = 990 hours for volunteer a; 20 x 8 for b.
      for (let i = 0; i < 110; i++) {
        const date = new Date(Date.UTC(2019, 0, 1) + i * 3 * 86_400_000).toISOString().slice(0, 10);
        await ok(HOURS, { input: { volunteerId: v.a, teamId: i % 2 ? t.rescue : null, activity: '应急救护培训', date, hours: 9 } });
      }
      for (let i = 0; i < 20; i++) {
        await ok(HOURS, { input: { volunteerId: v.b, activity: '社区服务', date: `2020-0${1 + (i % 9)}-1${i % 10}`, hours: 8 } });
      }
      // Recorded as PENDING: nothing counts until the confirming branch confirms (issue 19.6).
      const pending = await ok(`query($v: ID!) { volunteer(id: $v) { serviceHours } }`, { v: v.a });
      expect(pending.volunteer.serviceHours).toBe(0);
      for (const r of await svc.subgraph.models.ServiceRecord.find({ status: 'PENDING' }, { _id: 1 }).lean())
        await ok(`mutation($id: ID!) { confirmServiceHours(id: $id) { status } }`, { id: String(r._id) });
      const tooMuch = await run(HOURS, { input: { volunteerId: v.a, activity: 'x', date: '2019-01-01', hours: 16 } });
      expect(fields(tooMuch)).toEqual(['input.hours']);
      const early = await run(HOURS, { input: { volunteerId: v.a, activity: 'x', date: '2017-01-01', hours: 1 } });
      expect(fields(early)).toEqual(['input.date']);
      const notMine = await run(HOURS, { input: { volunteerId: v.b, teamId: t.rescue, activity: 'x', date: '2021-01-01', hours: 1 } });
      expect(fields(notMine)).toEqual(['input.teamId']);
      const bad = await run(HOURS, { input: { volunteerId: v.a, activity: '', date: '2021-01-01', hours: 0.1 } });
      expect(fields(bad)).toEqual(['input.activity', 'input.hours']);
      const unknown = await run(HOURS, { input: { volunteerId: 'a'.repeat(24), activity: 'x', date: '2021-01-01', hours: 1 } });
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');

      const totals = await ok(
        `query($v: ID!, $t: ID!) {
        volunteer(id: $v) { serviceHours y2019: serviceHours(from: "2019-01-01", to: "2019-12-31") }
        serviceTeam(id: $t) { serviceHours memberCount }
      }`,
        { v: v.a, t: t.rescue },
      );
      expect(totals.volunteer.serviceHours).toBe(990);
      expect(totals.volunteer.y2019).toBe(990);
      expect(totals.serviceTeam).toEqual({ serviceHours: 55 * 9, memberCount: 1 });
      const sub = await ok(
        `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { serviceHours } } }`,
        { id: ids.hz },
      );
      expect(sub._entities[0].serviceHours).toBe(990);
    });

    it('requests a star rating only when the hours reach the threshold, one pending at a time', async () => {
      const five = await run(REQUEST, { input: { volunteerId: v.a, stars: 5 } });
      expect(fields(five)).toEqual(['input.stars']);
      expect(five.errors?.[0].message).toContain('needs 1500 service hours; the volunteer has 990');
      const three = (await ok(REQUEST, { input: { volunteerId: v.a, stars: 3 } })).requestStarRating;
      expect(three).toMatchObject({ stars: 3, status: 'PENDING', hoursAtRequest: 990, approver: { id: ids.xh } });
      const second = await run(REQUEST, { input: { volunteerId: v.a, stars: 2 } });
      expect(second.errors?.[0].extensions?.code).toBe('CONFLICT');

      const APPROVE = `mutation($id: ID!, $by: ID!) { approveStarRating(id: $id, approvedBy: $by) { status decidedBy { id } volunteer { stars starRatings { stars status } } } }`;
      const wrong = await run(APPROVE, { id: three.id, by: ids.hz });
      expect(wrong.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(wrong.errors?.[0].message).toContain('is decided by the county branch 杭州市西湖区红十字会');
      const unknownBranch = await run(APPROVE, { id: three.id, by: 'f'.repeat(24) });
      expect(fields(unknownBranch)).toEqual(['approvedBy']);
      const pending = await ok(
        `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { starRatingsToDecide { totalCount } } } }`,
        { id: ids.xh },
      );
      expect(pending._entities[0].starRatingsToDecide.totalCount).toBe(1);
      const approved = (await ok(APPROVE, { id: three.id, by: ids.xh })).approveStarRating;
      expect(approved).toEqual({
        status: 'APPROVED',
        decidedBy: { id: ids.xh },
        volunteer: { stars: 3, starRatings: [{ stars: 3, status: 'APPROVED' }] },
      });
      const twice = await run(APPROVE, { id: three.id, by: ids.xh });
      expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');
      const lower = await run(REQUEST, { input: { volunteerId: v.a, stars: 2 } });
      expect(fields(lower)).toEqual(['input.stars']);
    });

    it('sends 4 stars to the prefecture, and where there is none to the nearest branch above', async () => {
      await ok(HOURS, { input: { volunteerId: v.a, activity: '赛事医疗保障', date: '2021-05-01', hours: 10 } });
      for (const r of await svc.subgraph.models.ServiceRecord.find({ status: 'PENDING' }, { _id: 1 }).lean())
        await ok(`mutation($id: ID!) { confirmServiceHours(id: $id) { status } }`, { id: String(r._id) });
      const four = (await ok(REQUEST, { input: { volunteerId: v.a, stars: 4 } })).requestStarRating;
      expect(four.approver.id).toBe(ids.hz);
      const REJECT = `mutation($id: ID!, $by: ID!) { rejectStarRating(id: $id, rejectedBy: $by, reason: "材料不全") { status reason } }`;
      expect((await run(REJECT, { id: four.id, by: ids.xh })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await ok(REJECT, { id: four.id, by: ids.hz })).rejectStarRating).toEqual({ status: 'REJECTED', reason: '材料不全' });

      // 东城区 sits directly under 北京市: no prefecture on its chain.
      for (let i = 0; i < 110; i++) {
        const date = new Date(Date.UTC(2021, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
        await svc.subgraph.models.ServiceRecord.create({
          volunteerId: v.b,
          organizationId: ids.dc,
          orgPath: [ids.hq, ids.bj, ids.dc],
          activity: '社区服务',
          date,
          hours: 8,
          status: 'CONFIRMED',
        });
      }
      // Written directly, not through the mutation: counted into the annex counters by a rebuild.
      await rebuildCounters(svc.subgraph.models, DEFAULT_CONFIG);
      const bjFour = (await ok(REQUEST, { input: { volunteerId: v.b, stars: 4 } })).requestStarRating;
      expect(bjFour.approver.id).toBe(ids.bj);
      const APPROVE = `mutation($id: ID!, $by: ID!) { approveStarRating(id: $id, approvedBy: $by) { status } }`;
      const byCounty = await run(APPROVE, { id: bjFour.id, by: ids.dc });
      expect(byCounty.errors?.[0].message).toContain('nearest branch above');
      expect((await ok(APPROVE, { id: bjFour.id, by: ids.bj })).approveStarRating.status).toBe('APPROVED');
    });

    it('awards Member Stars within the branch subtree, once a year', async () => {
      const members = await ok(
        `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { members(filter: { kind: ADULT, joinedFrom: "2021-01-01" }, first: 1) { nodes { id } } } } }`,
        { id: ids.xh },
      );
      const memberId = members._entities[0].members.nodes[0].id;
      const AWARD = `mutation($input: AwardMemberStarInput!) { awardMemberStar(input: $input) { year organization { id } member { memberStars { year } } } }`;
      const award = await ok(AWARD, { input: { memberId, year: 2021, organizationId: ids.zj, citation: '年度会员之星' } });
      expect(award.awardMemberStar).toEqual({ year: 2021, organization: { id: ids.zj }, member: { memberStars: [{ year: 2021 }] } });
      expect((await run(AWARD, { input: { memberId, year: 2021, organizationId: ids.zj } })).errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(fields(await run(AWARD, { input: { memberId, year: 2020, organizationId: ids.bj } }))).toEqual(['input.organizationId']);
    });

    it('lists county branches with fewer than three teams', async () => {
      const r = await ok(
        `query($id: ID!) { countiesWithFewTeams(within: $id, first: 100) { totalCount nodes { name teamCount organization { id } } } }`,
        { id: ids.hz },
      );
      const counties = tree.filter((b) => b.parentId === ids.hz).length;
      expect(r.countiesWithFewTeams.totalCount).toBe(counties);
      expect(r.countiesWithFewTeams.nodes.find((n: any) => n.organization.id === ids.xh).teamCount).toBe(1);
      const page = await ok(`{ countiesWithFewTeams(first: 2) { pageInfo { hasNextPage endCursor } nodes { teamCount } } }`);
      expect(page.countiesWithFewTeams.pageInfo.hasNextPage).toBe(true);
      const next = await ok(`query($a: String) { countiesWithFewTeams(first: 2, after: $a) { nodes { name } } }`, {
        a: page.countiesWithFewTeams.pageInfo.endCursor,
      });
      expect(next.countiesWithFewTeams.nodes).toHaveLength(2);
    });

    it('resolves its entities, and Survey and AnnualIncrease for the people rows', async () => {
      const memberId = String((await svc.subgraph.models.Member.findOne({ name: '王伟' }).lean())!._id);
      const r = await ok(
        `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Volunteer { name stars }
        ... on ServiceTeam { name specialty }
        ... on Member { name kind }
        ... on Survey { organizationId asOf adultMembers youthMembers groupMembers registeredVolunteers serviceOrganizations serviceHours }
        ... on AnnualIncrease { year registeredVolunteers serviceOrganizations serviceHours }
      } }`,
        {
          reps: [
            { __typename: 'Volunteer', id: v.a },
            { __typename: 'ServiceTeam', id: t.rescue },
            { __typename: 'Volunteer', id: 'f'.repeat(24) },
            { __typename: 'Survey', organizationId: ids.hz, asOf: '2021-12-31' },
            { __typename: 'AnnualIncrease', organizationId: ids.hz, year: 2019, baseYear: 2018 },
            { __typename: 'Member', id: memberId },
          ],
        },
      );
      expect(r._entities[0]).toEqual({ name: '陈洋', stars: 3 });
      expect(r._entities[1]).toEqual({ name: '西湖区红十字应急救援队', specialty: 'EMERGENCY_RESCUE' });
      expect(r._entities[2]).toBeNull();
      expect(r._entities[3]).toMatchObject({
        organizationId: ids.hz,
        asOf: '2021-12-31',
        registeredVolunteers: 1,
        serviceOrganizations: 2,
        serviceHours: 1000,
      });
      expect(r._entities[3].adultMembers).toBeGreaterThan(0);
      expect(r._entities[4]).toEqual({ year: 2019, registeredVolunteers: 0, serviceOrganizations: 0, serviceHours: 990 });
      expect(r._entities[5]).toEqual({ name: '王伟', kind: 'ADULT' });
    });

    it('makes a constant number of database commands for a page of volunteers with nested fields', async () => {
      for (let i = 0; i < 25; i++) {
        await ok(REGISTER_V, {
          input: {
            organizationId: i % 2 ? ids.xh : ids.sc,
            name: `志愿者${i}`,
            idNumber: person('19950101', String(100 + i)),
            registeredOn: '2020-01-01',
            teamIds: [t.aid],
          },
        });
      }
      const q = `query($id: ID!, $n: Int) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        volunteers(first: $n) { totalCount nodes { name stars serviceHours organization { id } teams { name memberCount serviceHours } starRatings { stars approver { id } } } } } } }`;
      svc.db.commands.reset();
      const small = await ok(q, { id: ids.hz, n: 2 });
      const n2 = svc.db.commands.count();
      svc.db.commands.reset();
      const big = await ok(q, { id: ids.hz, n: 20 });
      expect(big._entities[0].volunteers.nodes).toHaveLength(20);
      expect(small._entities[0].volunteers.nodes).toHaveLength(2);
      expect(svc.db.commands.count()).toBe(n2);
    });

    it('answers subtree lists and lookups through indexes', async () => {
      const { Member, Volunteer, ServiceRecord, ServiceTeam } = svc.subgraph.models;
      const plans = await Promise.all([
        Member.find({ orgPath: ids.zj, kind: 'YOUTH' }).explain(),
        Member.find({ idNumberHash: { $in: ['x', 'y'] } }).explain(),
        Volunteer.find({ orgPath: ids.zj, endedOn: null }).sort({ _id: 1 }).explain(),
        ServiceRecord.aggregate([{ $match: { orgPath: ids.zj, date: { $lte: new Date() } } }]).explain(),
        ServiceTeam.find({ orgPath: ids.zj, orgLevel: 'COUNTY' }).explain(),
        Volunteer.find({ teamIds: t.aid }).explain(),
      ]);
      for (const plan of plans) expect(JSON.stringify(plan)).toContain('IXSCAN');
    });
  });

  // Runs last: every mutation above (registrations, withdrawals, dues that lapse and revive,
  // imports, volunteers registered nationally and ended, teams founded and dissolved, hours)
  // has moved the counters; they must still equal a scan of the registers.
  describe('annex counters after the mutations above', () => {
    it('equal a scan for every branch written to, on every date that matters', async () => {
      const { models } = svc.subgraph;
      const paths = new Set<string>();
      for (const m of [models.Member, models.Volunteer, models.ServiceTeam, models.ServiceRecord] as any[])
        for (const r of await m.find({}, { orgPath: 1 }).lean()) for (const p of r.orgPath) paths.add(String(p));
      expect(paths.size).toBeGreaterThan(5);
      const dates = [
        '2015-12-31',
        '2020-06-30',
        '2020-12-31',
        '2021-01-01',
        '2021-03-01',
        '2021-06-30',
        '2021-12-31',
        '2022-12-31',
        '2023-01-01',
        '2030-01-01',
      ];
      for (const id of paths)
        for (const d of dates) {
          const date = new Date(`${d}T00:00:00Z`);
          const [got, want] = await Promise.all([countedSurvey(models, id, date), scanCounts(models, id, date)]);
          expect({ id, d, ...got }).toEqual({ id, d, ...want });
        }
      // And a rebuild from the registers changes nothing.
      const before = await models.Counter.find().sort({ _id: 1 }).lean();
      await rebuildCounters(models, DEFAULT_CONFIG);
      const after = await models.Counter.find().sort({ _id: 1 }).lean();
      const nonzero = (docs: any[]) =>
        docs.map((d) => ({
          _id: d._id,
          total: Object.fromEntries(Object.entries(d.total).filter(([, v]) => v !== 0)),
          days: Object.fromEntries(
            Object.entries(d.days)
              .map(([k, byDay]) => [k, Object.fromEntries(Object.entries(byDay as object).filter(([, v]) => v !== 0))])
              .filter(([, byDay]) => Object.keys(byDay).length),
          ),
        }));
      expect(nonzero(after)).toEqual(nonzero(before).filter((d) => Object.keys(d.total).length || Object.keys(d.days).length));
    });
  });
});
