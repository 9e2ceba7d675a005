import { Types } from 'mongoose';
import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import type { Role, Viewer } from '@rcsc/service-kit';
import { createServer } from '../src/server';
import { directory, ids, tree } from './tree';
import { FakeTables } from './fake-tables';

const as = (roles: Role[], org: string): Viewer => testViewer(roles, org);
const codeOf = (r: any) => r.errors?.[0]?.extensions?.code;
const survey = (asOf: string) => ({ table: 'SURVEY', asOf });

/**
 * Issue 16: approving a branch's table locks the tables below it for the period (DHIS2's data
 * approval), and `unapproveSubmission` re-opens them, top-down.
 */
describe('approval lock and unapprove', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const tables = new FakeTables();
  const run = (query: string, variables: Record<string, unknown>, viewer: Viewer) =>
    execute<any>(svc.subgraph, query, variables, viewer) as Promise<any>;
  const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { id status } }`;
  const APPROVE = `mutation($id: ID!) { approveSubmission(id: $id) { status } }`;
  const RETURN = `mutation($id: ID!, $c: String!) { returnSubmission(id: $id, comment: $c) { status } }`;
  const EXCUSE = `mutation($input: ExcuseBranchInput!) { excuseBranch(input: $input) { status } }`;
  const UNAPPROVE = `mutation($id: ID!, $r: String!) { unapproveSubmission(id: $id, reason: $r) { status comment history { action comment by { userId } } } }`;
  const submit = (org: string, period: object, viewer = as(['REPORTER'], org)) =>
    run(SUBMIT, { input: { organizationId: org, period } }, viewer);
  const approve = (id: string, viewer: Viewer) => run(APPROVE, { id }, viewer);
  const statusOf = async (org: string, asOf: string) =>
    ((await svc.subgraph.models.Submission.findOne({ organizationId: new Types.ObjectId(org), periodKey: `SURVEY:${asOf}` }).lean()) as any)
      ?.status ?? null;
  const ok = (r: any) => {
    expect(r.errors).toBeUndefined();
    return r.data;
  };

  /** 石嘴山's counties c1, c2 approved and c3 excused for the period; 石嘴山 submitted. Returns 石嘴山's submission id. */
  async function prefectureSubmitted(asOf: string): Promise<string> {
    const p = survey(asOf);
    for (const c of [ids.c1, ids.c2]) {
      const s = ok(await submit(c, p)).submitReport;
      ok(await approve(s.id, as(['ADMIN'], ids.szs)));
    }
    ok(await run(EXCUSE, { input: { organizationId: ids.c3, period: p, reason: '撤并重组中' } }, as(['ADMIN'], ids.szs)));
    return ok(await submit(ids.szs, p)).submitReport.id;
  }

  beforeAll(async () => {
    svc = await startTestService('reporting', (c) => createServer(c, { directory, tables, now: () => new Date('2021-12-10T08:00:00Z') }));
  });
  afterAll(() => svc.stop());

  let szsSub: string;
  const P1 = '2021-09-30';

  it('refuses a child table once its parent is approved, naming the locking approval (the named bug)', async () => {
    szsSub = await prefectureSubmitted(P1);
    ok(await approve(szsSub, as(['ADMIN'], ids.nx)));
    // Before the fix the excused county could submit (and be approved) under the approved prefecture.
    const late = await submit(ids.c3, survey(P1));
    expect(codeOf(late)).toBe('CONFLICT');
    expect(late.errors[0].message).toContain('石嘴山市红十字会');
    expect(late.errors[0].message).toContain('approved on 2021-12-10');
    expect(late.errors[0].message).toContain('unapproveSubmission');
    expect(await statusOf(ids.c3, P1)).toBe('EXCUSED');
    const excuse = await run(EXCUSE, { input: { organizationId: ids.c3, period: survey(P1), reason: '再次免报' } }, as(['ADMIN'], ids.szs));
    expect(codeOf(excuse)).toBe('CONFLICT');
    expect(excuse.errors[0].message).toContain('locked');
  });

  it('refuses to approve or return a child table under an approved parent (records stored before the lock)', async () => {
    // A county left SUBMITTED under the approved prefecture, as the old rules allowed.
    await svc.subgraph.models.Submission.updateOne(
      { organizationId: new Types.ObjectId(ids.c3), periodKey: `SURVEY:${P1}` },
      { $set: { status: 'SUBMITTED', submittedAt: new Date('2021-12-01T00:00:00Z') } },
    );
    const c3 = (await svc.subgraph.models.Submission.findOne({ organizationId: new Types.ObjectId(ids.c3), periodKey: `SURVEY:${P1}` }))!;
    for (const r of [
      await approve(String(c3._id), as(['ADMIN'], ids.szs)),
      await run(RETURN, { id: String(c3._id), c: '请核实' }, as(['ADMIN'], ids.szs)),
    ]) {
      expect(codeOf(r)).toBe('CONFLICT');
      expect(r.errors[0].message).toContain('the table of 石嘴山市红十字会 for SURVEY:2021-09-30 above it was approved');
    }
    await svc.subgraph.models.Submission.updateOne({ _id: c3._id }, { $set: { status: 'EXCUSED', submittedAt: null } });
  });

  it('refuses to approve a parent while a child is not approved or excused (the child that submitted after its excuse)', async () => {
    const P2 = '2021-09-29';
    const sub = await prefectureSubmitted(P2);
    // The excused county submits after all while its prefecture's table waits for review.
    const c3 = ok(await submit(ids.c3, survey(P2))).submitReport;
    const r = await approve(sub, as(['ADMIN'], ids.nx));
    expect(codeOf(r)).toBe('CONFLICT');
    expect(r.errors[0].message).toContain('cannot have its table approved yet');
    expect(r.errors[0].message).toContain('石嘴山市平罗县红十字会');
    ok(await approve(c3.id, as(['ADMIN'], ids.szs)));
    ok(await approve(sub, as(['ADMIN'], ids.nx)));
  });

  it('unapproves only for ADMIN of the branch above or higher, never refused ones changing anything', async () => {
    const refusals: [Role[], string][] = [
      [['ADMIN'], ids.szs], // the branch itself
      [['REPORTER'], ids.nx], // the right branch, the wrong role
      [['STAFF'], ids.nx],
      [['VIEWER'], ids.hq],
      [['ADMIN'], ids.yc], // a sibling prefecture
      [['ADMIN'], ids.c1], // a branch below
    ];
    const audits = await svc.subgraph.models.Audit.countDocuments();
    for (const [roles, org] of refusals) {
      const r = await run(UNAPPROVE, { id: szsSub, r: '数据有误' }, as(roles, org));
      expect({ who: `${roles}@${org}`, code: codeOf(r) }).toEqual({ who: `${roles}@${org}`, code: 'FORBIDDEN' });
    }
    const noReason = await run(UNAPPROVE, { id: szsSub, r: '  ' }, as(['ADMIN'], ids.nx));
    expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
    expect(noReason.errors[0].extensions.fields.map((f: any) => f.field)).toEqual(['reason']);
    expect(await statusOf(ids.szs, P1)).toBe('APPROVED');
    expect(await svc.subgraph.models.Audit.countDocuments()).toBe(audits);
  });

  it('unapproves top-down with a reason, audited, and re-opens the children', async () => {
    const c1 = (await svc.subgraph.models.Submission.findOne({ organizationId: new Types.ObjectId(ids.c1), periodKey: `SURVEY:${P1}` }))!;
    const below = await run(UNAPPROVE, { id: String(c1._id), r: '数据有误' }, as(['ADMIN'], ids.szs));
    expect(codeOf(below)).toBe('CONFLICT');
    expect(below.errors[0].message).toContain('石嘴山市红十字会');
    // ADMIN of the national headquarters is above the approver (宁夏): allowed.
    const r = ok(await run(UNAPPROVE, { id: szsSub, r: '平罗县数据需补报' }, as(['ADMIN'], ids.hq))).unapproveSubmission;
    expect(r.status).toBe('SUBMITTED');
    expect(r.comment).toBe('平罗县数据需补报');
    expect(r.history.at(-1)).toEqual({ action: 'UNAPPROVED', comment: '平罗县数据需补报', by: { userId: 'test:ADMIN' } });
    const entry = (await svc.subgraph.models.Audit.find({}).sort({ at: -1, _id: -1 }).limit(1).lean())[0] as any;
    expect(entry).toMatchObject({ action: 'unapproveSubmission', entity: 'Submission', entityId: szsSub });
    expect([entry.before.status, entry.after.status]).toEqual(['APPROVED', 'SUBMITTED']);
    expect(codeOf(await run(UNAPPROVE, { id: szsSub, r: '再次' }, as(['ADMIN'], ids.nx)))).toBe('CONFLICT');
    // Re-opened: the excused county submits, the prefecture approves it, 宁夏 approves the prefecture again.
    const c3 = ok(await submit(ids.c3, survey(P1))).submitReport;
    ok(await approve(c3.id, as(['ADMIN'], ids.szs)));
    ok(await submit(ids.szs, survey(P1)));
    ok(await approve(szsSub, as(['ADMIN'], ids.nx)));
    expect(await statusOf(ids.szs, P1)).toBe('APPROVED');
    // And the direct approver may unapprove too.
    expect(ok(await run(UNAPPROVE, { id: szsSub, r: '复核' }, as(['ADMIN'], ids.nx))).unapproveSubmission.status).toBe('SUBMITTED');
  });

  it("lets the headquarters' own submitters unapprove its final table, which locks the whole tree", async () => {
    const P3 = '2021-08-31';
    const hq = tree.find((b) => b.id === ids.hq)!;
    // The headquarters' table, final at its submission (inserted: submitting needs every province settled).
    const doc = await svc.subgraph.models.Submission.create({
      organizationId: new Types.ObjectId(ids.hq),
      orgPath: [new Types.ObjectId(ids.hq)],
      parentId: null,
      branchName: hq.name,
      branchSortKey: '000000',
      table: 'SURVEY',
      periodKey: `SURVEY:${P3}`,
      asOf: new Date(`${P3}T00:00:00Z`),
      year: 2021,
      status: 'APPROVED',
      values: {},
      submittedAt: new Date('2021-09-01T00:00:00Z'),
      submittedBy: { userId: 'u', name: '总会填报员' },
      reviewedAt: new Date('2021-09-01T00:00:00Z'),
      reviewedBy: { userId: 'u', name: '总会填报员' },
    });
    const locked = await submit(ids.c1, survey(P3));
    expect(codeOf(locked)).toBe('CONFLICT');
    expect(locked.errors[0].message).toContain(`the table of ${hq.name}`);
    expect(locked.errors[0].message).toContain('by 总会填报员');
    expect(codeOf(await run(UNAPPROVE, { id: String(doc._id), r: '重报' }, as(['ADMIN'], ids.nx)))).toBe('FORBIDDEN');
    expect(codeOf(await run(UNAPPROVE, { id: String(doc._id), r: '重报' }, as(['STAFF'], ids.hq)))).toBe('FORBIDDEN');
    const r = ok(await run(UNAPPROVE, { id: String(doc._id), r: '重报' }, as(['REPORTER'], ids.hq))).unapproveSubmission;
    expect(r.status).toBe('RETURNED');
    expect(ok(await submit(ids.c1, survey(P3))).submitReport.status).toBe('SUBMITTED');
  });

  it('approving a parent and submitting a child at once: exactly one wins, never both', async () => {
    for (const asOf of ['2021-10-01', '2021-10-02', '2021-10-03']) {
      const sub = await prefectureSubmitted(asOf);
      const [approval, child] = await Promise.all([approve(sub, as(['ADMIN'], ids.nx)), submit(ids.c3, survey(asOf))]);
      const outcome = { approval: approval.errors ? codeOf(approval) : 'ok', child: child.errors ? codeOf(child) : 'ok' };
      expect([
        { approval: 'ok', child: 'CONFLICT' },
        { approval: 'CONFLICT', child: 'ok' },
      ]).toContainEqual(outcome);
      const [parent, county] = [await statusOf(ids.szs, asOf), await statusOf(ids.c3, asOf)];
      // Never an approved prefecture over a county that is neither approved nor excused.
      expect([parent, county]).toEqual(outcome.approval === 'ok' ? ['APPROVED', 'EXCUSED'] : ['SUBMITTED', 'SUBMITTED']);
    }
  });
});
