import { Types } from 'mongoose';
import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import type { Role, Viewer } from '@rcsc/service-kit';
import { createServer } from '../src/server';
import { directory, ids, tree } from './tree';
import { FakeTables } from './fake-tables';

const as = (roles: Role[], org: string): Viewer => testViewer(roles, org);
const codeOf = (r: any) => r.errors?.[0]?.extensions?.code;

/** Issue 16 item 5: the data-quality report's table findings. */
describe('data quality: tableFindings', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const tables = new FakeTables();
  const run = (query: string, variables: Record<string, unknown>, viewer: Viewer) =>
    execute<any>(svc.subgraph, query, variables, viewer) as Promise<any>;
  const FINDINGS = `query($id: ID!, $from: Date!, $to: Date!) { _entities(representations: [{ __typename: "Organization", id: $id }]) {
    ... on Organization { dataQuality(from: $from, to: $to) { organizationId from to tableFindings { rule recordType recordId organizationId on message } } } } }`;
  const report = async (id: string, viewer: Viewer, from = '2021-06-01', to = '2021-12-10') => {
    const r = await run(FINDINGS, { id, from, to }, viewer);
    return { ...r, dq: r.data?._entities?.[0]?.dataQuality };
  };
  const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { id } }`;
  const submit = async (org: string, asOf: string) => {
    const r = await run(SUBMIT, { input: { organizationId: org, period: { table: 'SURVEY', asOf } } }, as(['REPORTER'], org));
    expect(r.errors).toBeUndefined();
    return r.data.submitReport.id as string;
  };
  let juneSub: string;

  beforeAll(async () => {
    svc = await startTestService('reporting', (c) => createServer(c, { directory, tables, now: () => new Date('2021-12-10T08:00:00Z') }));
    // 大武口区 (c1): adult members 100 on 31 March, 70 on 30 June (−30 %); youth 100 → 95 (−5 %, not sharp).
    tables.overrides.set(`${ids.c1}|SURVEY:2021-03-31|adultMembers`, 100);
    tables.overrides.set(`${ids.c1}|SURVEY:2021-03-31|youthMembers`, 100);
    tables.overrides.set(`${ids.c1}|SURVEY:2021-06-30|adultMembers`, 70);
    tables.overrides.set(`${ids.c1}|SURVEY:2021-06-30|youthMembers`, 95);
    await submit(ids.c1, '2021-03-31');
    juneSub = await submit(ids.c1, '2021-06-30');
    // The registers change after the June table was submitted.
    tables.overrides.set(`${ids.c1}|SURVEY:2021-06-30|adultMembers`, 75);
  });
  afterAll(() => svc.stop());

  it('finds sharp falls between consecutive tables and tables submitted with drift', async () => {
    const r = await report(ids.szs, as(['VIEWER'], ids.szs));
    expect(r.errors).toBeUndefined();
    expect(r.dq).toMatchObject({ organizationId: ids.szs, from: '2021-06-01', to: '2021-12-10' });
    const fall = r.dq.tableFindings.filter((f: any) => f.rule === 'TABLE_SHARP_FALL');
    expect(fall).toEqual([
      {
        rule: 'TABLE_SHARP_FALL',
        recordType: 'Submission',
        recordId: juneSub,
        organizationId: ids.c1,
        on: '2021-06-30',
        message: expect.stringContaining('第10项 红十字会成人会员数 fell from 100 to 70 (−30%)'),
      },
    ]);
    expect(fall[0].message).not.toContain('青少年');
    const drift = r.dq.tableFindings.filter((f: any) => f.rule === 'TABLE_SUBMITTED_DRIFT');
    expect(drift.map((f: any) => [f.recordId, f.on])).toEqual([[juneSub, '2021-06-30']]);
    expect(drift[0].message).toContain('第10项 红十字会成人会员数 70 → 75');
    // The March table lies before the range: neither its own fall nor its drift is reported.
    expect(r.dq.tableFindings.every((f: any) => f.on >= '2021-06-01')).toBe(true);
  });

  it('lists the children not submitted once the due date has passed, upper levels first, at most 200 per rule', async () => {
    const before = await report(ids.szs, as(['VIEWER'], ids.szs));
    // Due 31 December by default: not yet.
    expect(before.dq.tableFindings.filter((f: any) => f.rule === 'CHILDREN_NOT_SUBMITTED')).toEqual([]);
    const due = await run(
      `mutation { setDueDate(input: { period: { table: SURVEY, asOf: "2021-06-30" }, dueDate: "2021-07-31" }) { dueDate } }`,
      {},
      as(['ADMIN'], ids.hq),
    );
    expect(due.errors).toBeUndefined();
    const after = await report(ids.szs, as(['VIEWER'], ids.szs));
    const missing = after.dq.tableFindings.filter((f: any) => f.rule === 'CHILDREN_NOT_SUBMITTED');
    expect(missing.map((f: any) => [f.organizationId, f.recordType, f.on])).toEqual([
      [ids.c2, 'Organization', '2021-07-31'],
      [ids.c3, 'Organization', '2021-07-31'],
    ]);
    expect(missing[0].message).toContain('石嘴山市红十字会 is waiting for it');
    const nationwide = await report(ids.hq, as(['VIEWER'], ids.hq));
    const all = nationwide.dq.tableFindings.filter((f: any) => f.rule === 'CHILDREN_NOT_SUBMITTED');
    expect(all).toHaveLength(200);
    // Provinces come before prefectures and counties.
    expect(tree.find((b) => b.id === all[0].organizationId)?.parentId).toBe(ids.hq);
  });

  it("reads the subtree's tables through the {orgPath, periodKey} index", async () => {
    const { Submission } = svc.subgraph.models;
    const range: Record<string, unknown> = {
      orgPath: new Types.ObjectId(ids.szs),
      periodKey: { $gte: 'SURVEY:2020-06-01', $lte: 'SURVEY:2021-12-10' },
      status: { $in: ['SUBMITTED', 'APPROVED'] },
    };
    expect(JSON.stringify(await Submission.find(range).sort({ periodKey: -1 }).limit(200).explain())).toContain('IXSCAN');
  });

  it('is for report readers in the subtree only; the entity reference checks again', async () => {
    const outside = await report(ids.szs, as(['ADMIN'], ids.c1));
    expect(codeOf(outside)).toBe('FORBIDDEN');
    expect(outside.data._entities[0].dataQuality).toBeNull();
    expect(codeOf(await report(ids.szs, as(['TRAINING_MANAGER'], ids.szs)))).toBe('FORBIDDEN');
    expect((await report(ids.szs, as(['STAFF'], ids.nx))).errors).toBeUndefined();
    const reversed = await report(ids.szs, as(['VIEWER'], ids.szs), '2021-12-01', '2021-06-01');
    expect([codeOf(reversed), reversed.errors[0].extensions.fields[0].field]).toEqual(['BAD_USER_INPUT', 'to']);
    const ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on DataQuality { organizationId tableFindings { rule } } } }`;
    const rep = { __typename: 'DataQuality', organizationId: ids.szs, from: '2021-06-01', to: '2021-12-10' };
    const other = await run(ENTITY, { r: [rep] }, as(['VIEWER'], ids.yc));
    expect(codeOf(other)).toBe('FORBIDDEN');
    const own = await run(ENTITY, { r: [rep] }, as(['REPORTER'], ids.szs));
    expect(own.errors).toBeUndefined();
    expect(own.data._entities[0].tableFindings.map((f: any) => f.rule)).toContain('TABLE_SHARP_FALL');
    const badDate = await run(ENTITY, { r: [{ ...rep, to: '2021-02-30' }] }, as(['REPORTER'], ids.szs));
    expect(codeOf(badDate)).toBe('BAD_USER_INPUT');
  });
});
