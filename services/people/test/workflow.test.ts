// Issue 19.5 (dues totals, renewal reminders, the member list exported) and 19.6 (the service
// hours workflow: pending, confirmed or rejected by the team's branch, voided; the plausibility
// rule; the service certificate).
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import type { Viewer } from '@rcsc/service-kit';
import { startTestService, type TestService } from '@rcsc/testing';
import { Types } from 'mongoose';
import { ensureServiceRecordStatus } from '../src/migrations';
import { createServer } from '../src/server';
import { countedSurvey, recountFromRegisters } from './scan';
import { code, fields, operations, viewerAt } from './operations';

const tree = buildBranchTree();
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ids = { zj: byCode('330000'), hz: byCode('330100'), xh: byCode('330106'), sc: byCode('330102') };
const d = (s: string) => new Date(`${s}T00:00:00Z`);
let seq = 500;
const idNumber = (birth = '19800101') => withCheckDigit(`330106${birth}${seq++}`);
const as = viewerAt;

describe('dues reports and the service-hours workflow (issue 19.5, 19.6)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 11));
  const { run, ok } = operations(() => svc.subgraph);
  const ORG = (fields: string) =>
    `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { ${fields} } } }`;
  const member = async (organizationId: string, name = '冯', joinedOn = '2019-01-01') =>
    (
      await ok(`mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`, {
        input: { organizationId, kind: 'ADULT', name, idNumber: idNumber(), phone: '13800001111', joinedOn },
      })
    ).registerMember.id as string;
  const pay = async (memberId: string, receivedBy: string, periodFrom: number, paidOn: string, periodTo = periodFrom) =>
    (
      await ok(`mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { id } }`, {
        input: { memberId, receivedBy, periodFrom, periodTo, paidOn },
      })
    ).recordDuesPayment.id as string;

  beforeAll(async () => {
    svc = await startTestService('people-workflow', (c) =>
      createServer(c, { directory: StaticDirectory.fromTree(tree), vault, config: { memberExportMaxRows: 5 } }),
    );
  });
  afterAll(() => svc.stop());

  describe('dues (19.5)', () => {
    const m: Record<string, string> = {};
    beforeAll(async () => {
      m.a = await member(ids.xh, '=HYPERLINK("http://x","点我")');
      m.b = await member(ids.xh, '蒋');
      m.c = await member(ids.sc, '沈');
      m.d = await member(ids.xh, '韩');
      await pay(m.a, ids.xh, 2019, '2019-02-01', 2021); // 30 yuan in 2019, paid through 2021
      await pay(m.b, ids.xh, 2019, '2019-01-05', 2020);
      await pay(m.b, ids.xh, 2021, '2019-12-01', 2022); // paid through 2022
      const wrong = await pay(m.c, ids.sc, 2019, '2019-03-01', 2021);
      await ok(`mutation($id: ID!) { reverseDuesPayment(id: $id, reason: "错账", on: "2019-04-01") { id } }`, { id: wrong });
      await pay(m.d, ids.xh, 2020, '2020-01-05', 2021);
    });

    it('totals a subtree and year: amount, payments and members paid, reversals left out', async () => {
      const totals = async (id: string, year: number, viewer?: Viewer) =>
        run(ORG(`duesTotals(year: ${year}) { year amount payments membersPaid }`), { id }, viewer);
      expect((await totals(ids.xh, 2019)).data!._entities[0].duesTotals).toEqual({ year: 2019, amount: 70, payments: 3, membersPaid: 2 });
      expect((await totals(ids.hz, 2019, as(ids.hz, ['REPORTER']))).data!._entities[0].duesTotals).toEqual({
        year: 2019,
        amount: 70,
        payments: 3,
        membersPaid: 2,
      });
      expect((await totals(ids.sc, 2019)).data!._entities[0].duesTotals).toEqual({ year: 2019, amount: 0, payments: 0, membersPaid: 0 });
      expect((await totals(ids.hz, 2020)).data!._entities[0].duesTotals).toMatchObject({ amount: 20, payments: 1, membersPaid: 1 });
      const outside = await totals(ids.xh, 2019, as(ids.sc));
      expect([code(outside), outside.data!._entities[0].duesTotals]).toEqual(['FORBIDDEN', null]);
      expect(fields(await totals(ids.xh, 1900))).toEqual(['year']);
    });

    it('lists members about to lapse in the viewer subtree, paginated, refusing a bad window', async () => {
      const LIST = ORG(`membersAboutToLapse(asOf: "2021-12-01", withinDays: 30, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id paidThrough } }`).replace(
        'query($id: ID!)',
        'query($id: ID!, $first: Int, $after: String)',
      );
      const page1 = await ok(LIST, { id: ids.hz, first: 1 }, as(ids.hz));
      const first = page1._entities[0].membersAboutToLapse;
      expect(first.totalCount).toBe(2); // a and d: paid through 2021; b through 2022; c never (reversed)
      expect(first.pageInfo.hasNextPage).toBe(true);
      const page2 = (await ok(LIST, { id: ids.hz, first: 1, after: first.pageInfo.endCursor }, as(ids.hz)))._entities[0]
        .membersAboutToLapse;
      expect([...first.nodes, ...page2.nodes].map((n: { id: string }) => n.id).sort()).toEqual([m.a, m.d].sort());
      expect(page2.nodes[0].paidThrough).toBe(2021);
      // Not yet within 30 days of 31 December on 2021-11-30; 上城区's staff see none of 西湖区's.
      const early = ORG(`membersAboutToLapse(asOf: "2021-11-30", withinDays: 30) { totalCount }`);
      expect((await ok(early, { id: ids.hz }))._entities[0].membersAboutToLapse.totalCount).toBe(0);
      expect((await ok(LIST, { id: ids.hz, first: 5 }, as(ids.sc)))._entities[0].membersAboutToLapse.totalCount).toBe(0);
      const bad = await run(ORG(`membersAboutToLapse(withinDays: 4000) { totalCount }`), { id: ids.hz });
      expect(fields(bad)).toEqual(['withinDays']);
    });

    it('exports the member list as CSV and XLSX with the viewer masking, formulas neutralised, within the limit', async () => {
      const EXPORT = (format: string, filter = '') => ORG(`exportMembers(format: ${format}${filter}) { filename contentType base64 rows }`);
      const csv = (await ok(EXPORT('CSV'), { id: ids.xh }, as(ids.xh)))._entities[0].exportMembers;
      expect(csv.rows).toBe(3);
      expect(csv.filename).toMatch(/^会员名册-杭州市西湖区红十字会-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = Buffer.from(csv.base64, 'base64').toString('utf8');
      const lines = text
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe('会员证号,姓名/名称,类别,证件号码,电话,所属红十字会,入会日期,会费缴至,状态,退会日期');
      expect(lines).toHaveLength(4);
      expect(text).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);
      expect(text).toMatch(/3301\*+\d{4}/); // masked identity numbers, never in clear
      expect(text).not.toMatch(/330106\d{12}/);
      expect(text).toContain('138****1111');
      // A REPORTER gets names only; XLSX likewise neutralised.
      const xlsx = (await ok(EXPORT('XLSX'), { id: ids.xh }, as(ids.hz, ['REPORTER'])))._entities[0].exportMembers;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(xlsx.base64, 'base64') as never);
      const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
      expect(rows).toHaveLength(4);
      const aRow = rows.find((r) => String(r[2]).includes('HYPERLINK'))!;
      expect(aRow[2]).toBe(`'=HYPERLINK("http://x","点我")`);
      expect([aRow[4] ?? '', aRow[5] ?? '']).toEqual(['', '']);
      // Outside the subtree: FORBIDDEN; more than the limit: BAD_USER_INPUT (narrow the filter).
      expect(code(await run(EXPORT('CSV'), { id: ids.xh }, as(ids.sc)))).toBe('FORBIDDEN');
      for (let i = 0; i < 3; i++) await member(ids.xh, `批量${i}`);
      expect(fields(await run(EXPORT('CSV'), { id: ids.hz }))).toEqual(['filter']);
      expect((await ok(EXPORT('CSV', ', filter: { namePrefix: "批量" }'), { id: ids.hz }))._entities[0].exportMembers.rows).toBe(3);
    });
  });

  describe('service hours (19.6)', () => {
    const RECORD = `mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { id status confirmingBranch { id } } }`;
    const CONFIRM = `mutation($id: ID!) { confirmServiceHours(id: $id) { status decidedOn } }`;
    const REJECT = `mutation($id: ID!, $reason: String!) { rejectServiceHours(id: $id, reason: $reason) { status reason } }`;
    const VOID = `mutation($id: ID!, $reason: String!) { voidServiceHours(id: $id, reason: $reason) { status reason } }`;
    const volunteer = async (organizationId: string, teamIds: string[] = []) =>
      (
        await ok(`mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
          input: {
            organizationId,
            name: '卫',
            idNumber: idNumber('19910101'),
            registeredOn: '2018-01-01',
            nationalSystemRegisteredOn: '2018-01-01',
            teamIds,
          },
        })
      ).registerVolunteer.id as string;
    const record = (volunteerId: string, date: string, hours: number, viewer?: Viewer, teamId?: string) =>
      run(RECORD, { input: { volunteerId, date, hours, activity: '应急值守', ...(teamId ? { teamId } : {}) } }, viewer);
    const hoursOf = async (id: string) =>
      (await ok(`query($id: ID!) { volunteer(id: $id) { serviceHours } }`, { id })).volunteer.serviceHours;

    it('refuses the absurd series of the issue: 648 hours over 27 consecutive days', async () => {
      const v = await volunteer(ids.xh);
      const results = [];
      for (let i = 0; i < 27; i++) results.push(await record(v, new Date(Date.UTC(2020, 5, 1 + i)).toISOString().slice(0, 10), 24));
      const accepted = results.filter((r) => !r.errors).length;
      expect(accepted * 24).toBeLessThan(648);
      // At most 84 hours in any 7 consecutive days: the fourth 24-hour day is refused, naming input.hours.
      expect(results.slice(0, 3).every((r) => !r.errors)).toBe(true);
      expect(fields(results[3])).toEqual(['input.hours']);
      expect(results[3].errors![0].message).toContain('at most 84 hours');
      const stored = await svc.subgraph.models.ServiceRecord.find({ volunteerId: new Types.ObjectId(v) })
        .sort({ date: 1 })
        .lean();
      for (const r of stored) {
        const week = stored.filter((x) => x.date >= r.date && x.date.getTime() < r.date.getTime() + 7 * 86_400_000);
        expect(week.reduce((s, x) => s + x.hours, 0)).toBeLessThanOrEqual(84);
      }
      // A plausible week is accepted: 8 hours a day for 7 days; more than 24 on a day is still refused.
      const w = await volunteer(ids.xh);
      for (let i = 0; i < 7; i++) expect((await record(w, `2020-08-0${i + 1}`, 8)).errors).toBeUndefined();
      expect(fields(await record(w, '2020-08-01', 17))).toEqual(['input.hours']);
    });

    it('counts only confirmed hours: pending, then confirmed by another member of the team branch staff', async () => {
      const team = (
        await ok(`mutation($input: CreateServiceTeamInput!) { createServiceTeam(input: $input) { id } }`, {
          input: { organizationId: ids.hz, name: '杭州市红十字赛事保障队', specialty: 'FIRST_AID', foundedOn: '2018-01-01' },
        })
      ).createServiceTeam.id;
      const v = await volunteer(ids.xh, [team]);
      // The team's activity is recorded by its organiser: 西湖区's staff are not over 杭州市's team.
      expect(code(await record(v, '2021-03-01', 6, as(ids.xh), team))).toBe('FORBIDDEN');
      expect(code(await record(v, '2021-03-01', 6, as(ids.xh, ['REPORTER'])))).toBe('FORBIDDEN');
      const organiser = as(ids.hz, ['STAFF'], 'organiser');
      const r = await record(v, '2021-03-01', 6, organiser, team);
      expect(r.data!.recordServiceHours).toMatchObject({ status: 'PENDING', confirmingBranch: { id: ids.hz } });
      const id = r.data!.recordServiceHours.id;
      const before = await countedSurvey(svc.subgraph.models, ids.hz, d('2021-12-31'));
      expect(await hoursOf(v)).toBe(0);
      // Listed for the confirming branch; not for 西湖区 (the confirming branch is above it).
      const TODO = ORG(`serviceRecordsToConfirm(first: 100) { totalCount nodes { id } }`);
      expect((await ok(TODO, { id: ids.hz }, as(ids.hz)))._entities[0].serviceRecordsToConfirm.nodes).toContainEqual({ id });
      expect((await ok(TODO, { id: ids.hz }, as(ids.xh)))._entities[0].serviceRecordsToConfirm.nodes).not.toContainEqual({ id });
      // Not the recorder, not 西湖区 (the team's branch decides), not a REPORTER.
      expect(code(await run(CONFIRM, { id }, organiser))).toBe('FORBIDDEN');
      expect(code(await run(CONFIRM, { id }, as(ids.xh, ['STAFF'], 'other')))).toBe('FORBIDDEN');
      expect(code(await run(CONFIRM, { id }, as(ids.hz, ['REPORTER'], 'other')))).toBe('FORBIDDEN');
      // Two confirmations at once: one is applied, the other is a CONFLICT.
      const both = await Promise.all([
        run(CONFIRM, { id }, as(ids.hz, ['STAFF'], 'c1')),
        run(CONFIRM, { id }, as(ids.hz, ['ADMIN'], 'c2')),
      ]);
      expect(both.map((x) => code(x) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
      expect(await hoursOf(v)).toBe(6);
      const after = await countedSurvey(svc.subgraph.models, ids.hz, d('2021-12-31'));
      expect(after.serviceHours).toBe(before.serviceHours + 6);
      expect(after).toEqual(await recountFromRegisters(svc.subgraph.models, ids.hz, d('2021-12-31')));
      // A wrong record is voided with a reason (audited), and stops counting; a second void is a CONFLICT.
      expect(fields(await run(VOID, { id, reason: '' }, as(ids.hz)))).toEqual(['reason']);
      expect((await ok(VOID, { id, reason: '活动日期录错' }, as(ids.hz))).voidServiceHours).toEqual({
        status: 'VOIDED',
        reason: '活动日期录错',
      });
      expect(code(await run(VOID, { id, reason: '再次' }, as(ids.hz)))).toBe('CONFLICT');
      expect(await hoursOf(v)).toBe(0);
      expect((await countedSurvey(svc.subgraph.models, ids.hz, d('2021-12-31'))).serviceHours).toBe(before.serviceHours);
      const entry = await svc.subgraph.models.Audit.findOne({ action: 'voidServiceHours', entityId: id }).lean();
      expect(entry?.after).toMatchObject({ status: 'VOIDED', reason: '活动日期录错' });
    });

    it('rejects with a reason (never counted, a decision once), and weighs only confirmed hours for stars', async () => {
      const v = await volunteer(ids.sc);
      const ids2: string[] = [];
      for (let i = 0; i < 10; i++)
        ids2.push((await record(v, `2019-${String(1 + i).padStart(2, '0')}-10`, 12)).data!.recordServiceHours.id);
      const REQUEST = `mutation($input: RequestStarRatingInput!) { requestStarRating(input: $input) { stars } }`;
      const star = () => run(REQUEST, { input: { volunteerId: v, stars: 1, requestedOn: '2020-01-01' } });
      expect(fields(await star())).toEqual(['input.stars']); // 120 hours, none confirmed
      const rejected = await ok(REJECT, { id: ids2[0], reason: '无活动记录' }, as(ids.sc, ['STAFF'], 'checker'));
      expect(rejected.rejectServiceHours).toEqual({ status: 'REJECTED', reason: '无活动记录' });
      expect(code(await run(CONFIRM, { id: ids2[0] }, as(ids.sc, ['STAFF'], 'checker')))).toBe('CONFLICT');
      expect(fields(await run(REJECT, { id: ids2[1], reason: '' }, as(ids.sc)))).toEqual(['reason']);
      for (const id of ids2.slice(1)) await ok(CONFIRM, { id }, as(ids.sc, ['STAFF'], 'checker'));
      expect(await hoursOf(v)).toBe(108);
      expect((await ok(REQUEST, { input: { volunteerId: v, stars: 1, requestedOn: '2020-01-01' } })).requestStarRating.stars).toBe(1);
      expect(code(await run(CONFIRM, { id: 'a'.repeat(24) }))).toBe('NOT_FOUND');
    });

    it('of two simultaneous recordings that together exceed a day, one is refused', async () => {
      const v = await volunteer(ids.xh);
      const both = await Promise.all([record(v, '2021-02-02', 20), record(v, '2021-02-02', 20)]);
      expect(both.map((r) => code(r) ?? 'OK').sort()).toEqual(['BAD_USER_INPUT', 'OK']);
    });

    it('prints a service certificate of the confirmed hours (PDF), for roles that see personal data', async () => {
      const v = await volunteer(ids.xh);
      const a = (await record(v, '2020-03-01', 5)).data!.recordServiceHours.id;
      await record(v, '2020-04-01', 7); // pending: not printed
      await ok(CONFIRM, { id: a }, as(ids.xh, ['STAFF'], 'checker'));
      const Q = `query($id: ID!) { volunteer(id: $id) { serviceCertificate(from: "2020-01-01", to: "2020-12-31") { filename contentType base64 rows } } }`;
      const cert = (await ok(Q, { id: v }, as(ids.xh))).volunteer.serviceCertificate;
      expect(cert).toMatchObject({ contentType: 'application/pdf', rows: 1 });
      const pdf = await PDFDocument.load(Buffer.from(cert.base64, 'base64'));
      expect(pdf.getPageCount()).toBe(1);
      expect(pdf.getSubject()).toBe('卫 5');
      expect(pdf.getTitle()).toMatch(/^志愿服务证明 VS-/);
      expect(code(await run(Q, { id: v }, as(ids.xh, ['REPORTER'])))).toBe('FORBIDDEN');
      expect(code(await run(Q, { id: v }, as(ids.sc)))).toBe('FORBIDDEN');
    });

    it('counts hours stored before the workflow as CONFIRMED, and the boot migration says so once', async () => {
      const v = await volunteer(ids.sc);
      await svc.subgraph.models.ServiceRecord.collection.insertOne({
        volunteerId: new Types.ObjectId(v),
        teamId: null,
        organizationId: new Types.ObjectId(ids.sc),
        orgPath: [ids.zj, ids.hz, ids.sc].map((x) => new Types.ObjectId(x)),
        activity: '旧记录',
        date: d('2018-05-05'),
        hours: 4,
      });
      expect(await hoursOf(v)).toBe(4);
      expect(await ensureServiceRecordStatus(svc.subgraph.models)).toBe(1);
      expect(await ensureServiceRecordStatus(svc.subgraph.models)).toBe(0);
      expect(
        (await ok(`query($id: ID!) { volunteer(id: $id) { serviceRecords { nodes { status } } } }`, { id: v })).volunteer.serviceRecords
          .nodes,
      ).toEqual([{ status: 'CONFIRMED' }]);
    });
  });
});
