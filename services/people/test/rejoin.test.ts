// Issue 19.4 (first part): rejoining after a withdrawal, or registering again after leaving,
// keeps the earlier record and its history instead of a CONFLICT "already registered".
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { Types } from 'mongoose';
import { createServer } from '../src/server';
import { ensureCurrentKeys, migrate } from '../src/migrations';
import { countedSurvey, scanCounts } from './scan';

const tree = buildBranchTree();
const xh = tree.find((b) => b.divisionCode === '330106')!.id;
const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('rejoining (issue 19.4)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 6));
  const run = <T = any>(query: string, variables?: Record<string, unknown>) => execute<T>(svc.subgraph, query, variables);
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const r = await run(query, variables);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  beforeAll(async () => {
    svc = await startTestService('people-rejoin', (c) => createServer(c, { directory: StaticDirectory.fromTree(tree), vault }));
  });
  afterAll(() => svc.stop());

  it('a member who withdrew joins again as a new record; the old one keeps its history; twice current is still a CONFLICT', async () => {
    const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id memberNumber } }`;
    const idNumber = withCheckDigit('33010619800101555');
    const input = { organizationId: xh, kind: 'ADULT', name: '赵', idNumber, joinedOn: '2018-03-01' };
    const first = (await ok(REGISTER, { input })).registerMember;
    await ok(`mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { id } }`, {
      input: { memberId: first.id, receivedBy: xh, periodFrom: 2018, paidOn: '2018-03-01' },
    });
    const twice = await run(REGISTER, { input: { ...input, joinedOn: '2019-01-01' } });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await ok(`mutation($id: ID!) { withdrawMember(id: $id, on: "2019-06-01") { id } }`, { id: first.id });
    const again = (await ok(REGISTER, { input: { ...input, joinedOn: '2020-09-01' } })).registerMember;
    expect(again.id).not.toBe(first.id);
    expect(again.memberNumber).not.toBe(first.memberNumber);
    const old = await ok(`query($id: ID!) { member(id: $id) { status(asOf: "2018-12-31") withdrawnOn duesPayments { periodFrom } } }`, {
      id: first.id,
    });
    expect(old.member).toEqual({ status: 'ACTIVE', withdrawnOn: '2019-06-01', duesPayments: [{ periodFrom: 2018 }] });
    // Counted once on each date: the counters equal a scan.
    for (const on of ['2018-12-31', '2019-12-31', '2020-12-31']) {
      const [got, want] = await Promise.all([countedSurvey(svc.subgraph.models, xh, d(on)), scanCounts(svc.subgraph.models, xh, d(on))]);
      expect([on, got.adultMembers]).toEqual([on, want.adultMembers]);
    }
    expect((await countedSurvey(svc.subgraph.models, xh, d('2019-12-31'))).adultMembers).toBe(0);
    expect((await countedSurvey(svc.subgraph.models, xh, d('2020-12-31'))).adultMembers).toBe(1);
    // Current again: a third registration is a CONFLICT.
    expect((await run(REGISTER, { input: { ...input, joinedOn: '2021-01-01' } })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('a volunteer who left registers again; an import counts a current member as already registered, a withdrawn one joins again', async () => {
    const V = `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`;
    const idNumber = withCheckDigit('33010619800101556');
    const first = (await ok(V, { input: { organizationId: xh, name: '钱', idNumber, registeredOn: '2018-01-01' } })).registerVolunteer;
    expect(
      (await run(V, { input: { organizationId: xh, name: '钱', idNumber, registeredOn: '2019-01-01' } })).errors?.[0]?.extensions?.code,
    ).toBe('CONFLICT');
    await ok(`mutation($id: ID!) { endVolunteer(id: $id, on: "2019-01-01") { id } }`, { id: first.id });
    const again = (await ok(V, { input: { organizationId: xh, name: '钱', idNumber, registeredOn: '2020-01-01' } })).registerVolunteer;
    expect(again.id).not.toBe(first.id);

    const current = withCheckDigit('33010619800101557');
    const gone = withCheckDigit('33010619800101558');
    const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
    await ok(REGISTER, { input: { organizationId: xh, kind: 'ADULT', name: '孙', idNumber: current, joinedOn: '2018-01-01' } });
    const left = (await ok(REGISTER, { input: { organizationId: xh, kind: 'ADULT', name: '李', idNumber: gone, joinedOn: '2018-01-01' } }))
      .registerMember;
    await ok(`mutation($id: ID!) { withdrawMember(id: $id, on: "2019-01-01") { id } }`, { id: left.id });
    const csv = ['kind,name,idNumber,joinedOn', `ADULT,孙,${current},2021-01-01`, `ADULT,李,${gone},2021-01-01`].join('\n');
    const r = await ok(`mutation($input: ImportMembersInput!) { importMembers(input: $input) { created alreadyRegistered } }`, {
      input: { organizationId: xh, format: 'CSV', content: csv },
    });
    expect(r.importMembers).toEqual({ created: 1, alreadyRegistered: 1 });
  });

  /** A member as a version before current keys stored it (no currentKey). */
  const legacyMember = (idNumberHash: string, withdrawnOn: Date | null = null) => {
    const org = new Types.ObjectId(xh);
    return {
      kind: 'ADULT',
      name: '旧',
      organizationId: org,
      orgPath: [org],
      idNumberCipher: 'x',
      idNumberMasked: 'x',
      idNumberHash,
      lapsesOn: d('2030-01-01'),
      joinedOn: d('2015-01-01'),
      withdrawnOn,
    };
  };

  it('gives records stored before current keys theirs at boot and drops the old unique index (idempotent)', async () => {
    const { Member } = svc.subgraph.models;
    // A database as an older version left it: no current keys, the per-branch unique index.
    await Member.deleteMany({});
    await Member.collection.insertMany([legacyMember('legacy-1'), legacyMember('legacy-2', d('2016-01-01'))]);
    await Member.collection.createIndex({ organizationId: 1, idNumberHash: 1 }, { unique: true });
    expect(await ensureCurrentKeys(svc.subgraph.models)).toBeGreaterThanOrEqual(1);
    const [current, former] = await Promise.all([
      Member.findOne({ idNumberHash: 'legacy-1' }).lean(),
      Member.findOne({ idNumberHash: 'legacy-2' }).lean(),
    ]);
    // Members get the national key (one current membership per person, issue 19.4).
    expect(current!.currentKey).toBe('member:legacy-1');
    expect(former!.currentKey).toBeUndefined();
    expect((await Member.collection.indexes()).map((i) => i.name)).not.toContain('organizationId_1_idNumberHash_1');
    expect(await ensureCurrentKeys(svc.subgraph.models)).toBe(0);
  });

  it('runs each migration once per database: a restart does not scan the registers again', async () => {
    const { Member, CounterBuilt } = svc.subgraph.models;
    await CounterBuilt.deleteMany({ _id: { $in: ['current-keys', 'national-member-keys', 'service-record-status'] } });
    await Member.collection.insertOne(legacyMember('once-1'));
    await migrate(svc.subgraph.models);
    expect((await Member.findOne({ idNumberHash: 'once-1' }).lean())!.currentKey).toBe('member:once-1');
    expect(await CounterBuilt.countDocuments({ _id: { $in: ['current-keys', 'national-member-keys', 'service-record-status'] } })).toBe(3);
    // A second boot finds the markers and leaves the registers alone.
    await Member.collection.insertOne(legacyMember('once-2'));
    await migrate(svc.subgraph.models);
    expect((await Member.findOne({ idNumberHash: 'once-2' }).lean())!.currentKey).toBeUndefined();
  });
});
