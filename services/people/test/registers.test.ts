// Issue 19 (registers): member numbers, search, edits. Each named need is a test here.
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';
import { scanCounts } from './scan';

const tree = buildBranchTree();
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ids = { hz: byCode('330100'), xh: byCode('330106'), sc: byCode('330102') };
const rail = tree.find((b) => b.name === '中国铁路红十字会')!;
let seq = 100;
const idNumber = (birth = '19850614') => withCheckDigit(`330106${birth}${seq++}`);

describe('people registers (issue 19)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 4));
  const run = <T = any>(query: string, variables?: Record<string, unknown>, viewer = testViewer(['SERVICE'])) =>
    execute<T>(svc.subgraph, query, variables, viewer);
  const ok = async (query: string, variables?: Record<string, unknown>, viewer = testViewer(['SERVICE'])) => {
    const r = await run(query, variables, viewer);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id memberNumber } }`;
  const member = (over: Record<string, unknown> = {}) => ({
    organizationId: ids.xh,
    kind: 'ADULT',
    name: '王伟',
    idNumber: idNumber(),
    joinedOn: '2021-03-01',
    ...over,
  });
  // Organization is an entity here (the organizations subgraph owns the entry point).
  const MEMBERS = `query($r: [_Any!]!, $filter: MemberFilter) { _entities(representations: $r) { ... on Organization {
    members(filter: $filter) { totalCount nodes { id memberNumber name } } } } }`;
  const org = (id: string) => [{ __typename: 'Organization', id }];

  beforeAll(async () => {
    svc = await startTestService('people-registers', (c) => createServer(c, { directory: StaticDirectory.fromTree(tree), vault }));
  });
  afterAll(() => svc.stop());

  describe('member numbers (19.1)', () => {
    it('issues division code + joining year + a 6-digit sequence per branch and year, at registration and on import', async () => {
      const a = (await ok(REGISTER, { input: member() })).registerMember.memberNumber;
      const b = (await ok(REGISTER, { input: member() })).registerMember.memberNumber;
      const older = (await ok(REGISTER, { input: member({ joinedOn: '2019-05-01' }) })).registerMember.memberNumber;
      const other = (await ok(REGISTER, { input: member({ organizationId: ids.sc }) })).registerMember.memberNumber;
      expect([a, b, older, other]).toEqual(['3301062021000001', '3301062021000002', '3301062019000001', '3301022021000001']);
      const csv = ['kind,name,idNumber,joinedOn', `ADULT,甲,${idNumber()},2021-05-01`, `ADULT,乙,${idNumber()},2019-05-02`].join('\n');
      const imported = await ok(`mutation($input: ImportMembersInput!) { importMembers(input: $input) { created } }`, {
        input: { organizationId: ids.xh, format: 'CSV', content: csv },
      });
      expect(imported.importMembers.created).toBe(2);
      const numbers = (await svc.subgraph.models.Member.find({ organizationId: ids.xh }, { memberNumber: 1 }).lean()).map(
        (m) => m.memberNumber,
      );
      expect(numbers.sort()).toEqual(['3301062019000001', '3301062019000002', '3301062021000001', '3301062021000002', '3301062021000003']);
      // A special system has no division code: S + five characters of its id.
      const special = (await ok(REGISTER, { input: member({ organizationId: rail.id }) })).registerMember.memberNumber;
      expect(special).toBe(`S${rail.id.slice(-5).toUpperCase()}2021000001`);
    });

    it('never issues one number twice, even to simultaneous registrations, and the database refuses a duplicate', async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => run(REGISTER, { input: member({ joinedOn: '2020-01-02' }) })));
      expect(results.every((r) => !r.errors)).toBe(true);
      const numbers = results.map((r) => r.data!.registerMember.memberNumber);
      expect(new Set(numbers).size).toBe(4);
      expect(numbers.sort()).toEqual(['3301062020000001', '3301062020000002', '3301062020000003', '3301062020000004']);
      const indexes = await svc.subgraph.models.Member.collection.indexes();
      expect(indexes.find((i) => i.key.memberNumber === 1)).toMatchObject({ unique: true });
      // A refused registration takes no number (its transaction is rolled back).
      const refused = await run(REGISTER, { input: member({ joinedOn: '2020-01-02', idNumber: '123' }) });
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const next = await ok(REGISTER, { input: member({ joinedOn: '2020-01-02' }) });
      expect(next.registerMember.memberNumber).toBe('3301062020000005');
    });

    it('finds a member by number (exact)', async () => {
      const data = await ok(MEMBERS, { r: org(ids.hz), filter: { memberNumber: '3301062021000002' } });
      expect(data._entities[0].members.totalCount).toBe(1);
      expect(data._entities[0].members.nodes[0].memberNumber).toBe('3301062021000002');
      expect((await ok(MEMBERS, { r: org(ids.hz), filter: { memberNumber: '330106202100000' } }))._entities[0].members.totalCount).toBe(0);
    });
  });

  describe('search (19.2)', () => {
    it('by name prefix, identity number and phone (exact, through the keyed hash)', async () => {
      const id = idNumber('19770707');
      const { registerMember } = await ok(REGISTER, { input: member({ name: '欧阳明', idNumber: id, phone: '13912345678' }) });
      await ok(REGISTER, { input: member({ name: '欧阳丽' }) });
      const names = await ok(MEMBERS, { r: org(ids.xh), filter: { namePrefix: '欧阳' } });
      expect(names._entities[0].members.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['欧阳丽', '欧阳明']);
      // Regex characters are literal.
      expect((await ok(MEMBERS, { r: org(ids.xh), filter: { namePrefix: '.*' } }))._entities[0].members.totalCount).toBe(0);
      const byId = await ok(MEMBERS, { r: org(ids.xh), filter: { idNumber: id.toLowerCase() } });
      expect(byId._entities[0].members.nodes.map((n: { id: string }) => n.id)).toEqual([registerMember.id]);
      // Never a partial identity number.
      expect((await ok(MEMBERS, { r: org(ids.xh), filter: { idNumber: id.slice(0, 10) } }))._entities[0].members.totalCount).toBe(0);
      const byPhone = await ok(MEMBERS, { r: org(ids.xh), filter: { phone: '139-1234-5678' } });
      expect(byPhone._entities[0].members.nodes.map((n: { id: string }) => n.id)).toEqual([registerMember.id]);
    });

    it('refuses identity-number and phone searches to roles without personal data', async () => {
      for (const filter of [{ idNumber: idNumber() }, { phone: '13912345678' }]) {
        const r = await run(MEMBERS, { r: org(ids.xh), filter }, testViewer(['REPORTER'], ids.xh));
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      const staff = await run(MEMBERS, { r: org(ids.xh), filter: { phone: '13912345678' } }, testViewer(['STAFF'], ids.xh));
      expect(staff.errors).toBeUndefined();
      expect(staff.data!._entities[0].members.totalCount).toBe(1);
      // Outside the viewer's subtree nothing is found, whatever the filter.
      const other = await run(MEMBERS, { r: org(ids.xh), filter: { phone: '13912345678' } }, testViewer(['STAFF'], ids.sc));
      expect(other.data!._entities[0].members.totalCount).toBe(0);
    });

    it('volunteers by name prefix, skill, identity number and phone', async () => {
      const vid = idNumber('19880808');
      const V = `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`;
      const { registerVolunteer } = await ok(V, {
        input: {
          organizationId: ids.xh,
          name: '司马光',
          idNumber: vid,
          phone: '13600001111',
          registeredOn: '2020-01-01',
          skills: ['急救', '驾驶'],
        },
      });
      await ok(V, {
        input: { organizationId: ids.xh, name: '司徒雷', idNumber: idNumber('19880808'), registeredOn: '2020-01-01', skills: ['心理支持'] },
      });
      const Q = `query($r: [_Any!]!, $filter: VolunteerFilter) { _entities(representations: $r) { ... on Organization {
        volunteers(filter: $filter) { totalCount nodes { id } } } } }`;
      const count = async (filter: Record<string, unknown>) => (await ok(Q, { r: org(ids.hz), filter }))._entities[0].volunteers.totalCount;
      expect(await count({ namePrefix: '司' })).toBe(2);
      expect(await count({ namePrefix: '司马' })).toBe(1);
      expect(await count({ skill: '急救' })).toBe(1);
      expect(await count({ idNumber: vid })).toBe(1);
      expect(await count({ phone: '136 0000 1111' })).toBe(1);
      const found = await ok(Q, { r: org(ids.hz), filter: { skill: '驾驶' } });
      expect(found._entities[0].volunteers.nodes).toEqual([{ id: registerVolunteer.id }]);
    });
  });

  describe('edits (19.3)', () => {
    it('edits a member name and phone, audited with the phone masked; the new phone is searchable', async () => {
      const { registerMember } = await ok(REGISTER, { input: member({ phone: '13811112222' }) });
      const r = await ok(
        `mutation($id: ID!) { updateMember(id: $id, input: { name: "王小伟", phone: "13733334444" }) { name phoneMasked } }`,
        {
          id: registerMember.id,
        },
      );
      expect(r.updateMember).toEqual({ name: '王小伟', phoneMasked: '137****4444' });
      const entry = (await svc.subgraph.models.Audit.findOne({ action: 'updateMember', entityId: registerMember.id }).lean()) as any;
      expect(entry.before).toEqual({ name: '王伟', phoneMasked: '138****2222' });
      expect(entry.after).toEqual({ name: '王小伟', phoneMasked: '137****4444' });
      expect(JSON.stringify(entry)).not.toMatch(/13733334444|13811112222/);
      expect((await ok(MEMBERS, { r: org(ids.xh), filter: { phone: '13733334444' } }))._entities[0].members.totalCount).toBe(1);
      expect((await ok(MEMBERS, { r: org(ids.xh), filter: { phone: '13811112222' } }))._entities[0].members.totalCount).toBe(0);
      // Removing the phone.
      const cleared = await ok(`mutation($id: ID!) { updateMember(id: $id, input: { phone: null }) { phoneMasked } }`, {
        id: registerMember.id,
      });
      expect(cleared.updateMember.phoneMasked).toBeNull();
    });

    it('refuses an empty edit, a bad phone, a withdrawn member, and other branches', async () => {
      const { registerMember } = await ok(REGISTER, { input: member() });
      const U = `mutation($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { id } }`;
      expect((await run(U, { id: registerMember.id, input: {} })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await run(U, { id: registerMember.id, input: { phone: '12' } })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const other = await run(U, { id: registerMember.id, input: { name: '甲' } }, testViewer(['STAFF'], ids.sc));
      expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const reporter = await run(U, { id: registerMember.id, input: { name: '甲' } }, testViewer(['REPORTER'], ids.xh));
      expect(reporter.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await ok(`mutation($id: ID!) { withdrawMember(id: $id, on: "2021-06-01") { id } }`, { id: registerMember.id });
      expect((await run(U, { id: registerMember.id, input: { name: '甲' } })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it("edits a volunteer's skills, searchable afterwards", async () => {
      const V = `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`;
      const { registerVolunteer } = await ok(V, {
        input: { organizationId: ids.sc, name: '林', idNumber: idNumber('19900101'), registeredOn: '2020-01-01' },
      });
      const r = await ok(`mutation($id: ID!) { updateVolunteer(id: $id, input: { skills: ["水上救生"] }) { skills } }`, {
        id: registerVolunteer.id,
      });
      expect(r.updateVolunteer.skills).toEqual(['水上救生']);
      const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { volunteers(filter: { skill: "水上救生" }) { totalCount } } } }`;
      expect((await ok(Q, { r: org(ids.sc) }))._entities[0].volunteers.totalCount).toBe(1);
      const entry = (await svc.subgraph.models.Audit.findOne({ action: 'updateVolunteer', entityId: registerVolunteer.id }).lean()) as any;
      expect(entry.after).toEqual({ skills: ['水上救生'] });
    });
  });

  describe('dues reversal and receipt numbers (19.5)', () => {
    const PAY = `mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { id receiptNumber } }`;
    const REVERSE = `mutation($id: ID!, $reason: String!, $on: Date) { reverseDuesPayment(id: $id, reason: $reason, on: $on) {
      reversedOn reversalReason member { paidThrough lapsesOn status(asOf: "2023-06-01") } } }`;
    const SURVEY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { peopleSurvey(asOf: "2023-06-01") { adultMembers } } } }`;

    it('numbers receipts per receiving branch and year; a reversal recomputes the lapse and the counters follow', async () => {
      const { registerMember } = await ok(REGISTER, { input: member({ organizationId: ids.sc, joinedOn: '2021-01-05' }) });
      const before = (await ok(SURVEY, { r: org(ids.sc) }))._entities[0].peopleSurvey.adultMembers;
      const pay = await ok(PAY, {
        input: { memberId: registerMember.id, receivedBy: ids.sc, periodFrom: 2021, periodTo: 2022, paidOn: '2021-02-01' },
      });
      expect(pay.recordDuesPayment.receiptNumber).toBe('R3301022021000001');
      const second = await ok(PAY, { input: { memberId: registerMember.id, receivedBy: ids.hz, periodFrom: 2023, paidOn: '2021-03-01' } });
      expect(second.recordDuesPayment.receiptNumber).toBe('R3301002021000001');
      // Paid through 2023: active in mid-2023.
      expect((await ok(SURVEY, { r: org(ids.sc) }))._entities[0].peopleSurvey.adultMembers).toBe(before + 1);

      const r = await ok(REVERSE, { id: second.recordDuesPayment.id, reason: '重复收费', on: '2021-04-01' });
      expect(r.reverseDuesPayment).toEqual({
        reversedOn: '2021-04-01',
        reversalReason: '重复收费',
        member: { paidThrough: 2022, lapsesOn: '2025-01-01', status: 'ACTIVE' },
      });
      const r2 = await ok(REVERSE, { id: pay.recordDuesPayment.id, reason: '退款', on: '2021-04-02' });
      // Never paid now: lapses on 1 January 2023 (joined 2021, two unpaid years).
      expect(r2.reverseDuesPayment.member).toEqual({ paidThrough: null, lapsesOn: '2023-01-01', status: 'LAPSED' });
      expect((await ok(SURVEY, { r: org(ids.sc) }))._entities[0].peopleSurvey.adultMembers).toBe(before);
      const scanned = await scanCounts(svc.subgraph.models, ids.sc, new Date('2023-06-01T00:00:00Z'));
      expect(scanned.adultMembers).toBe(before);
      // The ledger keeps both lines; the period may be paid again.
      const again = await ok(PAY, { input: { memberId: registerMember.id, receivedBy: ids.sc, periodFrom: 2021, paidOn: '2021-05-01' } });
      expect(again.recordDuesPayment.receiptNumber).toBe('R3301022021000002');
      const ledger = await ok(`query($id: ID!) { member(id: $id) { duesPayments { reversedOn } paidThrough } }`, { id: registerMember.id });
      expect(ledger.member.duesPayments).toHaveLength(3);
      expect(ledger.member.paidThrough).toBe(2021);
    });

    it('refuses a second reversal, an empty reason, a date before the payment, and other branches', async () => {
      const { registerMember } = await ok(REGISTER, { input: member({ joinedOn: '2021-01-05' }) });
      const pay = await ok(PAY, { input: { memberId: registerMember.id, receivedBy: ids.xh, periodFrom: 2021, paidOn: '2021-02-01' } });
      const id = pay.recordDuesPayment.id;
      const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
      expect(code(await run(REVERSE, { id, reason: ' ' }))).toBe('BAD_USER_INPUT');
      expect(code(await run(REVERSE, { id, reason: '错', on: '2021-01-31' }))).toBe('BAD_USER_INPUT');
      expect(code(await run(REVERSE, { id, reason: '错' }, testViewer(['STAFF'], ids.sc)))).toBe('FORBIDDEN');
      expect(code(await run(REVERSE, { id, reason: '错' }, testViewer(['REPORTER'], ids.xh)))).toBe('FORBIDDEN');
      await ok(REVERSE, { id, reason: '错' });
      expect(code(await run(REVERSE, { id, reason: '错' }))).toBe('CONFLICT');
      const entries = await svc.subgraph.models.Audit.countDocuments({ action: 'reverseDuesPayment', entityId: id });
      expect(entries).toBe(1);
    });
  });
});
