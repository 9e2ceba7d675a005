// Issue 19.4: one membership per person nationally, transfers between branches as dated events,
// rejoining with the earlier history kept; and (19, "done when") annex rows 9-14 of the branches
// concerned, before and after, equal a recount from the raw registers.
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { startTestService, type TestService } from '@rcsc/testing';
import type { Viewer } from '@rcsc/service-kit';
import { withCreditCheck } from '../src/rules';
import { createServer } from '../src/server';
import { countedSurvey, recountFromRegisters } from './scan';
import { code, fields, operations, viewerAt } from './operations';

const tree = buildBranchTree();
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ids = {
  hq: tree.find((b) => b.level === 'NATIONAL')!.id,
  zj: byCode('330000'),
  hz: byCode('330100'),
  xh: byCode('330106'),
  sc: byCode('330102'),
  bj: byCode('330108'), // 滨江区: dissolved in this test's directory
  nb: byCode('330200'),
  hs: byCode('330203'),
};
const directory = new StaticDirectory(tree.map((b) => ({ ...b, dissolvedOn: b.id === ids.bj ? '2020-01-01' : null })));
const d = (s: string) => new Date(`${s}T00:00:00Z`);
let seq = 300;
const idNumber = (birth = '19800101') => withCheckDigit(`330106${birth}${seq++}`);
const staff = viewerAt;

describe('transfers and national membership (issue 19.4)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 9));
  const { run, ok } = operations(() => svc.subgraph);
  const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id memberNumber } }`;
  const TRANSFER = `mutation($id: ID!, $to: ID!, $on: Date!, $reason: String!) {
    transferMember(id: $id, toOrganizationId: $to, on: $on, reason: $reason) { id organization { id } memberNumber transfers { on from { id } to { id } reason } } }`;
  const PAY = `mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { id } }`;
  const register = async (organizationId: string, joinedOn: string, over: Record<string, unknown> = {}) =>
    (await ok(REGISTER, { input: { organizationId, kind: 'ADULT', name: '周', idNumber: idNumber(), joinedOn, ...over } }))
      .registerMember as {
      id: string;
      memberNumber: string;
    };

  beforeAll(async () => {
    svc = await startTestService('people-transfers', (c) => createServer(c, { directory, vault }));
  });
  afterAll(() => svc.stop());

  describe('one membership per person nationally', () => {
    it('refuses a person current anywhere: naming the branch to a viewer over it, "elsewhere" to others', async () => {
      const id = idNumber();
      const input = { organizationId: ids.xh, kind: 'ADULT', name: '吴', idNumber: id, joinedOn: '2019-01-01' };
      await ok(REGISTER, { input });
      // The same person in 宁波市海曙区: the province's staff see where; 海曙区's staff do not.
      const asProvince = await run(REGISTER, { input: { ...input, organizationId: ids.hs } }, staff(ids.zj));
      expect(code(asProvince)).toBe('CONFLICT');
      expect(fields(asProvince)).toEqual(['input.idNumber']);
      expect(asProvince.errors![0].message).toContain('already a member of 杭州市西湖区红十字会');
      const asCounty = await run(REGISTER, { input: { ...input, organizationId: ids.hs } }, staff(ids.hs));
      expect(code(asCounty)).toBe('CONFLICT');
      expect(asCounty.errors![0].message).toContain('already a member elsewhere');
      expect(asCounty.errors![0].message).not.toContain('西湖');
      expect(await svc.subgraph.models.Member.countDocuments({ idNumberHash: vault.hash(id) })).toBe(1);
    });

    it('of two simultaneous registrations of one person in two branches exactly one succeeds', async () => {
      const id = idNumber();
      const results = await Promise.all(
        [ids.sc, ids.hs].map((organizationId) =>
          run(REGISTER, { input: { organizationId, kind: 'ADULT', name: '郑', idNumber: id, joinedOn: '2020-01-01' } }),
        ),
      );
      expect(results.map((r) => code(r) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
      expect(await svc.subgraph.models.Member.countDocuments({ idNumberHash: vault.hash(id), withdrawnOn: null })).toBe(1);
    });
  });

  describe('transferMember', () => {
    it('moves the member, its number, ledger and history; the counts move on that date', async () => {
      const m = await register(ids.xh, '2018-03-01');
      await ok(PAY, { input: { memberId: m.id, receivedBy: ids.xh, periodFrom: 2018, periodTo: 2019, paidOn: '2018-03-01' } });
      const before = await Promise.all([
        countedSurvey(svc.subgraph.models, ids.xh, d('2020-04-30')),
        countedSurvey(svc.subgraph.models, ids.hs, d('2020-04-30')),
      ]);
      const moved = (await ok(TRANSFER, { id: m.id, to: ids.hs, on: '2020-05-01', reason: '迁居宁波' }, staff(ids.zj))).transferMember;
      expect(moved).toEqual({
        id: m.id,
        organization: { id: ids.hs },
        memberNumber: m.memberNumber,
        transfers: [{ on: '2020-05-01', from: { id: ids.xh }, to: { id: ids.hs }, reason: '迁居宁波' }],
      });
      const count = (id: string, on: string) => countedSurvey(svc.subgraph.models, id, d(on)).then((s) => s.adultMembers);
      // Before the day: still the old branch's (and 杭州市's); from it: the new branch's (and 宁波市's); 浙江 throughout.
      expect(await count(ids.xh, '2020-04-30')).toBe(before[0].adultMembers);
      expect(await count(ids.hs, '2020-04-30')).toBe(before[1].adultMembers);
      expect(await count(ids.xh, '2020-05-01')).toBe(before[0].adultMembers - 1);
      expect(await count(ids.hs, '2020-05-01')).toBe(before[1].adultMembers + 1);
      expect(await count(ids.hz, '2020-05-01')).toBe((await count(ids.hz, '2020-04-30')) - 1);
      expect(await count(ids.zj, '2020-05-01')).toBe(await count(ids.zj, '2020-04-30'));
      // The ledger follows: the new branch's staff read it and record the next payment; the history shows the move.
      const seen = await ok(
        `query($id: ID!) { member(id: $id) { paidThrough duesPayments { periodFrom receivedBy { id } } history { on kind organization { id } detail } } }`,
        { id: m.id },
        staff(ids.hs),
      );
      expect(seen.member.paidThrough).toBe(2019);
      expect(seen.member.duesPayments).toEqual([{ periodFrom: 2018, receivedBy: { id: ids.xh } }]);
      expect(seen.member.history).toEqual([
        { on: '2018-03-01', kind: 'JOINED', organization: { id: ids.xh }, detail: null },
        { on: '2018-03-01', kind: 'DUES_PAID', organization: { id: ids.xh }, detail: '2018-2019' },
        { on: '2020-05-01', kind: 'TRANSFERRED', organization: { id: ids.hs }, detail: '迁居宁波' },
        // Paid through 2019: lapsed on 1 January 2022 (LAPSE_AFTER_YEARS 2), in the branch it was in then.
        { on: '2022-01-01', kind: 'LAPSED', organization: { id: ids.hs }, detail: null },
      ]);
      await ok(PAY, { input: { memberId: m.id, receivedBy: ids.hs, periodFrom: 2020, paidOn: '2020-06-01' } }, staff(ids.hs));
      // The old branch's staff no longer reach the member; both logs show the transfer.
      expect(code(await run(`query($id: ID!) { member(id: $id) { id } }`, { id: m.id }, staff(ids.xh)))).toBe('FORBIDDEN');
      const audit = async (org: string) =>
        (await svc.subgraph.models.Audit.find({ action: 'transferMember', entityId: m.id, orgPath: org }).lean()).length;
      expect([await audit(ids.xh), await audit(ids.hs), await audit(ids.zj)]).toEqual([1, 1, 1]);
    });

    it('refuses other subtrees, other roles, bad input, withdrawn members and dissolved branches', async () => {
      const m = await register(ids.xh, '2019-03-01');
      await ok(PAY, { input: { memberId: m.id, receivedBy: ids.xh, periodFrom: 2019, paidOn: '2019-06-01' } });
      const t = (to: string, on: string, viewer?: Viewer, reason = '工作调动') => run(TRANSFER, { id: m.id, to, on, reason }, viewer);
      expect(code(await t(ids.sc, '2020-01-01', staff(ids.sc)))).toBe('FORBIDDEN'); // the member is outside 上城区
      expect(code(await t(ids.hs, '2020-01-01', staff(ids.xh)))).toBe('FORBIDDEN'); // the destination is outside 西湖区
      expect(code(await t(ids.sc, '2020-01-01', staff(ids.hz, ['REPORTER'])))).toBe('FORBIDDEN');
      expect(code(await t(ids.sc, '2020-01-01', staff(ids.hz, ['VIEWER'])))).toBe('FORBIDDEN');
      expect(fields(await t(ids.sc, '2019-01-01'))).toEqual(['on']); // before joining
      expect(fields(await t(ids.sc, '2019-05-01'))).toEqual(['on']); // before the last payment
      expect(fields(await t(ids.sc, '2099-01-01'))).toEqual(['on']); // in the future
      expect(fields(await t(ids.xh, '2020-01-01'))).toEqual(['toOrganizationId']); // the same branch
      expect(fields(await t(ids.bj, '2020-02-01'))).toEqual(['toOrganizationId']); // dissolved
      expect(fields(await t('f'.repeat(24), '2020-02-01'))).toEqual(['toOrganizationId']);
      expect(fields(await t(ids.sc, '2020-02-01', undefined, ''))).toEqual(['reason']);
      expect(code(await run(TRANSFER, { id: 'a'.repeat(24), to: ids.sc, on: '2020-02-01', reason: 'x' }))).toBe('NOT_FOUND');
      // Nothing written by any refusal.
      const stored = await svc.subgraph.models.Member.findById(m.id).lean();
      expect([String(stored!.organizationId), stored!.transfers ?? []]).toEqual([ids.xh, []]);
      expect(await svc.subgraph.models.Audit.countDocuments({ action: 'transferMember', entityId: m.id })).toBe(0);
      // The prefecture (over both) moves it; a second move must come later than the first.
      await ok(TRANSFER, { id: m.id, to: ids.sc, on: '2020-02-01', reason: '工作调动' }, staff(ids.hz));
      expect(fields(await t(ids.xh, '2020-02-01', staff(ids.hz)))).toEqual(['on']);
      expect(fields(await t(ids.xh, '2020-01-15', staff(ids.hz)))).toEqual(['on']);
      await ok(`mutation($id: ID!) { withdrawMember(id: $id, on: "2020-06-01") { id } }`, { id: m.id });
      expect(fields(await t(ids.xh, '2020-07-01'))).toEqual(['id']); // withdrawn
    });

    it('of two simultaneous transfers of one member exactly one is applied', async () => {
      const m = await register(ids.xh, '2019-03-01');
      const results = await Promise.all([ids.sc, ids.hs].map((to) => run(TRANSFER, { id: m.id, to, on: '2020-03-01', reason: '同时' })));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      // The loser conflicts, or is retried on the fresh record and refused (a second transfer the same day).
      expect(['CONFLICT', 'BAD_USER_INPUT']).toContain(results.map(code).find(Boolean));
      const stored = await svc.subgraph.models.Member.findById(m.id).lean();
      expect(stored!.transfers).toHaveLength(1);
      expect(stored!.orgPathHistory).toHaveLength(1);
    });
  });

  describe('rejoining keeps the earlier history', () => {
    it('a member who withdrew rejoins in another branch; the new record shows the earlier membership', async () => {
      const id = idNumber('19750505');
      const first = (
        await ok(REGISTER, { input: { organizationId: ids.sc, kind: 'ADULT', name: '钱', idNumber: id, joinedOn: '2016-04-01' } })
      ).registerMember;
      await ok(PAY, { input: { memberId: first.id, receivedBy: ids.sc, periodFrom: 2016, paidOn: '2016-04-01' } });
      await ok(`mutation($id: ID!) { withdrawMember(id: $id, on: "2017-06-01", reason: "出国") { id } }`, { id: first.id });
      const again = (
        await ok(REGISTER, { input: { organizationId: ids.xh, kind: 'ADULT', name: '钱', idNumber: id, joinedOn: '2019-09-01' } })
      ).registerMember;
      const H = `query($id: ID!) { member(id: $id) { history { on kind memberId organization { id } } } }`;
      const history = (await ok(H, { id: again.id }, staff(ids.hz))).member.history;
      expect(history).toEqual([
        { on: '2016-04-01', kind: 'JOINED', memberId: first.id, organization: { id: ids.sc } },
        { on: '2016-04-01', kind: 'DUES_PAID', memberId: first.id, organization: { id: ids.sc } },
        { on: '2017-06-01', kind: 'WITHDRAWN', memberId: first.id, organization: { id: ids.sc } },
        { on: '2019-09-01', kind: 'JOINED', memberId: again.id, organization: { id: ids.xh } },
        { on: '2021-01-01', kind: 'LAPSED', memberId: again.id, organization: { id: ids.xh } },
      ]);
      // The old record is untouched, still readable with its ledger.
      const old = await ok(`query($id: ID!) { member(id: $id) { withdrawnOn duesPayments { periodFrom } } }`, { id: first.id });
      expect(old.member).toEqual({ withdrawnOn: '2017-06-01', duesPayments: [{ periodFrom: 2016 }] });
      // 西湖区's staff see only what lies in their subtree; a REPORTER sees only this record (no linking by identity).
      expect((await ok(H, { id: again.id }, staff(ids.xh))).member.history.map((e: { memberId: string }) => e.memberId)).toEqual([
        again.id,
        again.id,
      ]);
      expect((await ok(H, { id: again.id }, staff(ids.hz, ['REPORTER']))).member.history).toHaveLength(2);
    });
  });

  describe('annex rows 9-14 after transfers, rejoins, reversals and voided or rejected hours', () => {
    it('equal a recount from the raw registers for every branch concerned, before and after each event', async () => {
      const { models } = svc.subgraph;
      // A group member moves down from 杭州市 to 西湖区, then across to 宁波市海曙区.
      const group = await register(ids.hz, '2017-05-01', { kind: 'GROUP', name: '某医院', idNumber: withCreditCheck('91330100MA2A12345') });
      await ok(PAY, { input: { memberId: group.id, receivedBy: ids.hz, periodFrom: 2017, periodTo: 2021, paidOn: '2017-05-01' } });
      await ok(TRANSFER, { id: group.id, to: ids.xh, on: '2018-07-01', reason: '属地管理' });
      await ok(TRANSFER, { id: group.id, to: ids.hs, on: '2020-10-01', reason: '迁址' });
      // A youth member pays, is transferred, then the payment is reversed (a lapse follows, counted where they are).
      const y = await register(ids.sc, '2016-09-01', { kind: 'YOUTH', idNumber: idNumber('20050301') });
      const pay = (await ok(PAY, { input: { memberId: y.id, receivedBy: ids.sc, periodFrom: 2017, periodTo: 2019, paidOn: '2017-01-10' } }))
        .recordDuesPayment;
      await ok(TRANSFER, { id: y.id, to: ids.xh, on: '2018-02-01', reason: '转学' });
      await ok(`mutation($id: ID!) { reverseDuesPayment(id: $id, reason: "重复录入", on: "2019-03-01") { id } }`, { id: pay.id });
      // A volunteer with confirmed, rejected and voided hours.
      const v = (
        await ok(`mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
          input: {
            organizationId: ids.xh,
            name: '孙',
            idNumber: idNumber('19900303'),
            registeredOn: '2018-01-01',
            nationalSystemRegisteredOn: '2018-01-02',
          },
        })
      ).registerVolunteer.id;
      const hours = async (date: string, h: number) =>
        (
          await ok(`mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { id } }`, {
            input: { volunteerId: v, activity: '献血宣传', date, hours: h },
          })
        ).recordServiceHours.id as string;
      const [h1, h2, h3, h4] = [
        await hours('2019-03-02', 6),
        await hours('2019-04-02', 5),
        await hours('2020-05-02', 7),
        await hours('2021-01-05', 3),
      ];
      const confirmer = staff(ids.xh, ['STAFF'], 'confirmer');
      for (const id of [h1, h2, h3]) await ok(`mutation($id: ID!) { confirmServiceHours(id: $id) { id } }`, { id }, confirmer);
      await ok(`mutation($id: ID!) { rejectServiceHours(id: $id, reason: "无签到记录") { id } }`, { id: h4 }, confirmer);
      await ok(`mutation($id: ID!) { voidServiceHours(id: $id, reason: "志愿者姓名录错") { id } }`, { id: h2 }, confirmer);

      const branches = [ids.hq, ids.zj, ids.hz, ids.xh, ids.sc, ids.nb, ids.hs];
      const dates = [
        '2016-12-31',
        '2017-06-30',
        '2018-01-31',
        '2018-02-01',
        '2018-06-30',
        '2018-07-01',
        '2019-02-28',
        '2019-12-31',
        '2020-09-30',
        '2020-10-01',
        '2021-12-31',
        '2022-01-01',
      ];
      for (const id of branches)
        for (const on of dates) {
          const [got, want] = await Promise.all([countedSurvey(models, id, d(on)), recountFromRegisters(models, id, d(on))]);
          expect({ id, on, ...got }).toEqual({ id, on, ...want });
        }
      // And the moves are visible in the figures: the group member counted in 杭州市 (and 西湖区 from 2018-07-01), then 宁波.
      expect((await countedSurvey(models, ids.nb, d('2020-09-30'))).groupMembers).toBe(0);
      expect((await countedSurvey(models, ids.nb, d('2020-10-01'))).groupMembers).toBe(1);
      expect((await countedSurvey(models, ids.xh, d('2021-12-31'))).serviceHours).toBe(13);
    });
  });
});
