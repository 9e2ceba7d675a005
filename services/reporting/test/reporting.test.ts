import ExcelJS from 'exceljs';
import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import type { Role, Viewer } from '@rcsc/service-kit';
import { createServer } from '../src/server';
import { directory, ids } from './tree';
import { seed } from '../src/seed';
import { FakeTables } from './fake-tables';

const as = (roles: Role[], org: string): Viewer => testViewer(roles, org);
const codeOf = (r: any) => r.errors?.[0]?.extensions?.code;
const fieldsOf = (r: any) => (r.errors?.[0]?.extensions?.fields ?? []).map((f: any) => f.field);

describe('reporting subgraph', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const tables = new FakeTables();
  let now = new Date('2021-12-10T08:00:00Z');
  const run = <T = any>(query: string, variables?: Record<string, unknown>, viewer?: Viewer) =>
    execute<T>(svc.subgraph, query, variables, viewer) as Promise<any>;
  /** Fields of one Organization, through _entities as the gateway asks for them. */
  const org = async (id: string, selection: string, variables: Record<string, unknown> = {}, viewer?: Viewer, varDefs = '') => {
    const r = await run(
      `query($id: ID!${varDefs}) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { ${selection} } } }`,
      { id, ...variables },
      viewer,
    );
    return { ...r, org: r.data?._entities?.[0] };
  };
  const ANNUAL = { table: 'ANNUAL', year: 2021 };
  const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { id status timeliness submittedBy { userId } values { number field label value } period { key dueDate } } }`;
  const submit = (orgId: string, viewer: Viewer, period: Record<string, unknown> = ANNUAL) =>
    run(SUBMIT, { input: { organizationId: orgId, period } }, viewer);
  const APPROVE = `mutation($id: ID!, $c: String) { approveSubmission(id: $id, comment: $c) { status comment reviewedBy { userId } history { action } } }`;
  const RETURN = `mutation($id: ID!, $c: String!) { returnSubmission(id: $id, comment: $c) { status comment } }`;

  beforeAll(async () => {
    svc = await startTestService('reporting', (c) => createServer(c, { directory, tables, now: () => now }));
    await seed(svc.subgraph.models);
  });
  afterAll(() => svc.stop());

  describe('submissions up the tree', () => {
    let c1Sub: string;
    let c2Sub: string;

    it('freezes the live values with who and when when a county submits', async () => {
      const r = await submit(ids.c1, as(['REPORTER'], ids.c1));
      expect(r.errors).toBeUndefined();
      const s = r.data.submitReport;
      c1Sub = s.id;
      expect(s.status).toBe('SUBMITTED');
      expect(s.timeliness).toBe('ON_TIME');
      expect(s.submittedBy.userId).toBe('test:REPORTER');
      expect(s.period).toEqual({ key: 'ANNUAL:2021', dueDate: '2021-12-31' });
      expect(s.values).toHaveLength(14);
      expect(s.values[1]).toEqual({
        number: 2,
        field: 'prefecturesCompletedTermChange',
        label: '市级红十字会完成换届增加数',
        value: tables.live(ids.c1, 'ANNUAL:2021', 'prefecturesCompletedTermChange'),
      });
      // No caller token in these tests: the service asks the gateway with its own token.
      expect(tables.authorizations.at(-1)).toMatch(/^Bearer \S+/);
    });

    it('lets a branch submit only once all its children are approved or excused', async () => {
      const r = await submit(ids.szs, as(['ADMIN'], ids.szs));
      expect(codeOf(r)).toBe('CONFLICT');
      expect(r.errors[0].message).toContain('3 of 3');
      expect(r.errors[0].message).toContain('石嘴山市大武口区红十字会');
    });

    it('lets only ADMIN of the branch above approve, and locks approved data', async () => {
      expect(codeOf(await run(APPROVE, { id: c1Sub }, as(['ADMIN'], ids.c2)))).toBe('FORBIDDEN');
      const province = await run(APPROVE, { id: c1Sub }, as(['ADMIN'], ids.nx));
      expect(codeOf(province)).toBe('FORBIDDEN');
      expect(province.errors[0].message).toContain('石嘴山市红十字会');
      expect(codeOf(await run(APPROVE, { id: c1Sub }, as(['REPORTER'], ids.szs)))).toBe('FORBIDDEN');
      const ok = await run(APPROVE, { id: c1Sub, c: '数据准确' }, as(['ADMIN'], ids.szs));
      expect(ok.errors).toBeUndefined();
      expect(ok.data.approveSubmission).toEqual({
        status: 'APPROVED',
        comment: '数据准确',
        reviewedBy: { userId: 'test:ADMIN' },
        history: [{ action: 'SUBMITTED' }, { action: 'APPROVED' }],
      });
      const again = await submit(ids.c1, as(['REPORTER'], ids.c1));
      expect(codeOf(again)).toBe('CONFLICT');
      expect(again.errors[0].message).toContain('locked');
      expect(codeOf(await run(APPROVE, { id: c1Sub }, as(['ADMIN'], ids.szs)))).toBe('CONFLICT');
    });

    it('returns with a comment, and takes a corrected submission (late after the due date)', async () => {
      const s = await submit(ids.c2, as(['ADMIN'], ids.c2));
      c2Sub = s.data.submitReport.id;
      const empty = await run(RETURN, { id: c2Sub, c: '  ' }, as(['ADMIN'], ids.szs));
      expect(codeOf(empty)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(empty)).toEqual(['comment']);
      const ret = await run(RETURN, { id: c2Sub, c: '第10项成人会员数请核实' }, as(['ADMIN'], ids.szs));
      expect(ret.data.returnSubmission).toEqual({ status: 'RETURNED', comment: '第10项成人会员数请核实' });
      now = new Date('2022-01-05T08:00:00Z');
      const again = await submit(ids.c2, as(['REPORTER'], ids.c2));
      expect(again.data.submitReport).toMatchObject({ status: 'SUBMITTED', timeliness: 'LATE' });
      expect((await run(APPROVE, { id: c2Sub }, as(['ADMIN'], ids.szs))).data.approveSubmission.history.map((h: any) => h.action)).toEqual([
        'SUBMITTED',
        'RETURNED',
        'SUBMITTED',
        'APPROVED',
      ]);
    });

    it('excuses a branch with a reason, only while it has nothing submitted', async () => {
      const EXCUSE = `mutation($input: ExcuseBranchInput!) { excuseBranch(input: $input) { status excuseReason values { value } timeliness } }`;
      const noReason = await run(EXCUSE, { input: { organizationId: ids.c3, period: ANNUAL, reason: '' } }, as(['ADMIN'], ids.szs));
      expect(fieldsOf(noReason)).toEqual(['input.reason']);
      expect(codeOf(await run(EXCUSE, { input: { organizationId: ids.c3, period: ANNUAL, reason: '撤并' } }, as(['ADMIN'], ids.c3)))).toBe(
        'FORBIDDEN',
      );
      const approved = await run(EXCUSE, { input: { organizationId: ids.c1, period: ANNUAL, reason: '撤并' } }, as(['ADMIN'], ids.szs));
      expect(codeOf(approved)).toBe('CONFLICT');
      const ok = await run(
        EXCUSE,
        { input: { organizationId: ids.c3, period: ANNUAL, reason: '撤并重组中，本期免报' } },
        as(['ADMIN'], ids.szs),
      );
      expect(ok.data.excuseBranch).toEqual({ status: 'EXCUSED', excuseReason: '撤并重组中，本期免报', values: [], timeliness: null });
    });

    it('then lets the prefecture submit, and shows completeness with timeliness', async () => {
      const r = await submit(ids.szs, as(['REPORTER'], ids.szs));
      expect(r.errors).toBeUndefined();
      expect(r.data.submitReport.status).toBe('SUBMITTED');
      const c = await org(
        ids.szs,
        `completeness(period: { table: ANNUAL, year: 2021 }) { counts { total approved excused notSubmitted onTime late overdue }
          entries { totalCount nodes { name status timeliness submission { id } } } }`,
        {},
        as(['VIEWER'], ids.nx),
      );
      expect(c.errors).toBeUndefined();
      expect(c.org.completeness.counts).toEqual({ total: 3, approved: 2, excused: 1, notSubmitted: 0, onTime: 1, late: 1, overdue: 0 });
      expect(c.org.completeness.entries.nodes.map((n: any) => [n.name, n.status, n.timeliness])).toEqual([
        ['石嘴山市大武口区红十字会', 'APPROVED', 'ON_TIME'],
        ['石嘴山市惠农区红十字会', 'APPROVED', 'LATE'],
        ['石嘴山市平罗县红十字会', 'EXCUSED', null],
      ]);
      const nx = await org(
        ids.nx,
        `completeness(period: { table: ANNUAL, year: 2021 }, status: [NOT_SUBMITTED], first: 2) { counts { total submitted notSubmitted overdue }
          entries { totalCount pageInfo { hasNextPage endCursor } nodes { name } } }`,
      );
      expect(nx.org.completeness.counts).toEqual({ total: 5, submitted: 1, notSubmitted: 4, overdue: 4 });
      expect(nx.org.completeness.entries.totalCount).toBe(4);
      const next = await org(
        ids.nx,
        `completeness(period: { table: ANNUAL, year: 2021 }, status: [NOT_SUBMITTED], first: 2, after: $after) { entries { pageInfo { hasNextPage } nodes { name } } }`,
        { after: nx.org.completeness.entries.pageInfo.endCursor },
        undefined,
        ', $after: String',
      );
      expect(next.org.completeness.entries.nodes.map((n: any) => n.name)).toEqual(['固原市红十字会', '中卫市红十字会']);
      expect(next.org.completeness.entries.pageInfo.hasNextPage).toBe(false);
      const subtree = await org(
        ids.nx,
        `completeness(period: { table: ANNUAL, year: 2021 }, scope: SUBTREE) { counts { total approved excused submitted } }`,
      );
      expect(subtree.org.completeness.counts).toEqual({ total: 27, approved: 2, excused: 1, submitted: 1 });
    });

    it('flags a submission whose frozen values now differ from the live ones', async () => {
      const q = `query($id: ID!) { submission(id: $id) { stale staleIndicators { number field frozen live } } }`;
      expect((await run(q, { id: c1Sub })).data.submission).toEqual({ stale: false, staleIndicators: [] });
      const frozen = tables.live(ids.c1, 'ANNUAL:2021', 'grassrootsUnits');
      tables.overrides.set(`${ids.c1}|ANNUAL:2021|grassrootsUnits`, frozen + 5);
      expect((await run(q, { id: c1Sub })).data.submission).toEqual({
        stale: true,
        staleIndicators: [{ number: 8, field: 'grassrootsUnits', frozen, live: frozen + 5 }],
      });
      const hidden = await run(q, { id: c1Sub }, as(['ADMIN'], ids.zj));
      expect(codeOf(hidden)).toBe('FORBIDDEN');
    });

    it('makes the national headquarters submission final, once its children are done', async () => {
      const r = await submit(ids.hq, as(['ADMIN'], ids.hq));
      expect(codeOf(r)).toBe('CONFLICT');
      expect(r.errors[0].message).toMatch(/of 33 branches below it/);
    });

    it('answers bad input with BAD_USER_INPUT naming the field, unknown ids with NOT_FOUND', async () => {
      const noDate = await submit(ids.c1, as(['REPORTER'], ids.c1), { table: 'SURVEY' });
      expect(fieldsOf(noDate)).toEqual(['input.period.asOf']);
      const future = await submit(ids.c1, as(['REPORTER'], ids.c1), { table: 'ANNUAL', year: 2030 });
      expect(fieldsOf(future)).toEqual(['input.period.year']);
      const mixed = await submit(ids.c1, as(['REPORTER'], ids.c1), { table: 'ANNUAL', year: 2021, asOf: '2021-06-30' });
      expect(fieldsOf(mixed)).toEqual(['input.period.asOf']);
      const unknown = await run(SUBMIT, { input: { organizationId: 'f'.repeat(24), period: ANNUAL } });
      expect(fieldsOf(unknown)).toEqual(['input.organizationId']);
      const badId = await run(SUBMIT, { input: { organizationId: 'nope', period: ANNUAL } });
      expect(fieldsOf(badId)).toEqual(['input.organizationId']);
      expect(codeOf(await run(APPROVE, { id: 'e'.repeat(24) }))).toBe('NOT_FOUND');
      const otherBranch = await submit(ids.c1, as(['REPORTER'], ids.szs), { table: 'SURVEY', asOf: '2021-06-30' });
      expect(codeOf(otherBranch)).toBe('FORBIDDEN');
      expect(otherBranch.errors[0].message).toContain('itself');
      expect(codeOf(await submit(ids.c1, as(['STAFF'], ids.c1), { table: 'SURVEY', asOf: '2021-06-30' }))).toBe('FORBIDDEN');
    });

    it('lets only the national headquarters set a due date', async () => {
      const M = `mutation($input: SetDueDateInput!) { setDueDate(input: $input) { key dueDate } }`;
      const input = { period: { table: 'SURVEY', asOf: '2021-09-30' }, dueDate: '2021-10-31' };
      expect(codeOf(await run(M, { input }, as(['ADMIN'], ids.nx)))).toBe('FORBIDDEN');
      const early = await run(M, { input: { ...input, dueDate: '2021-09-01' } }, as(['ADMIN'], ids.hq));
      expect(fieldsOf(early)).toEqual(['input.dueDate']);
      expect((await run(M, { input }, as(['ADMIN'], ids.hq))).data.setDueDate).toEqual({ key: 'SURVEY:2021-09-30', dueDate: '2021-10-31' });
      const read = await run(`{ reportingPeriod(period: { table: SURVEY, asOf: "2021-09-30" }) { dueDate } }`);
      expect(read.data.reportingPeriod.dueDate).toBe('2021-10-31');
    });
  });

  describe('targets and progress', () => {
    const TARGETS = `targets(year: 2021) { id measure value allocated unallocated allocatedFrom { organization { id } } allocations { value organization { id } } }`;
    const ALLOCATE = `mutation($input: AllocateTargetInput!) { allocateTarget(input: $input) { value allocated unallocated allocations { value organization { id } } } }`;
    let members: any;

    beforeAll(async () => {
      const r = await org(ids.nx, TARGETS);
      members = r.org.targets.find((t: any) => t.measure === 'MEMBERS');
    });

    it('has the national share of each province, allocated from the national target', async () => {
      expect(members.value).toBeGreaterThan(0);
      expect(members.allocatedFrom.organization.id).toBe(ids.hq);
      expect(members.allocations).toEqual([]);
      // The province's admin sees its own target, but not the national one it came from (nor,
      // through its allocations, the other provinces' shares): FORBIDDEN on that field only.
      const r = await org(ids.nx, TARGETS, {}, as(['ADMIN'], ids.nx));
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(r.errors.every((e: any) => e.path.at(-1) === 'allocatedFrom')).toBe(true);
      const own = r.org.targets.find((t: any) => t.measure === 'MEMBERS');
      expect(own).toEqual({ ...members, allocatedFrom: null });
    });

    it('allocates down to the branches directly below, at most the target in sum', async () => {
      const half = Math.floor(members.value / 2);
      const ok = await run(
        ALLOCATE,
        {
          input: {
            targetId: members.id,
            allocations: [
              { organizationId: ids.szs, value: half },
              { organizationId: ids.yc, value: 10 },
            ],
          },
        },
        as(['ADMIN'], ids.nx),
      );
      expect(ok.errors).toBeUndefined();
      expect(ok.data.allocateTarget).toMatchObject({ value: members.value, allocated: half + 10, unallocated: members.value - half - 10 });
      const tooMuch = await run(
        ALLOCATE,
        { input: { targetId: members.id, allocations: [{ organizationId: ids.yc, value: members.value }] } },
        as(['ADMIN'], ids.nx),
      );
      expect(codeOf(tooMuch)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(tooMuch)).toEqual(['input.allocations']);
      const notChild = await run(
        ALLOCATE,
        { input: { targetId: members.id, allocations: [{ organizationId: ids.c1, value: 1 }] } },
        as(['ADMIN'], ids.nx),
      );
      expect(fieldsOf(notChild)).toEqual(['input.allocations.0.organizationId']);
      const staff = await run(
        ALLOCATE,
        { input: { targetId: members.id, allocations: [{ organizationId: ids.yc, value: 1 }] } },
        as(['STAFF'], ids.nx),
      );
      expect(codeOf(staff)).toBe('FORBIDDEN');
      const twice = await run(
        ALLOCATE,
        {
          input: {
            targetId: members.id,
            allocations: [
              { organizationId: ids.yc, value: 1 },
              { organizationId: ids.yc, value: 2 },
            ],
          },
        },
        as(['ADMIN'], ids.nx),
      );
      expect(fieldsOf(twice)).toEqual(['input.allocations']);
      expect(
        codeOf(await run(ALLOCATE, { input: { targetId: 'a'.repeat(24), allocations: [{ organizationId: ids.yc, value: 1 }] } })),
      ).toBe('NOT_FOUND');
    });

    it('no longer lists a withdrawn share (0) among the allocations, and keeps its record', async () => {
      const r = await run(
        ALLOCATE,
        { input: { targetId: members.id, allocations: [{ organizationId: ids.yc, value: 0 }] } },
        as(['ADMIN'], ids.nx),
      );
      expect(r.errors).toBeUndefined();
      const half = Math.floor(members.value / 2);
      expect(r.data.allocateTarget).toMatchObject({ allocated: half, allocations: [{ value: half, organization: { id: ids.szs } }] });
      const listed = (await org(ids.nx, TARGETS)).org.targets.find((t: any) => t.measure === 'MEMBERS');
      expect(listed.allocations.map((a: any) => a.organization.id)).toEqual([ids.szs]);
      // The withdrawn share stays as a record of the branch (value 0, its history kept).
      const yc = (await org(ids.yc, TARGETS)).org.targets.find((t: any) => t.measure === 'MEMBERS');
      expect(yc.value).toBe(0);
    });

    it('refuses to cut a share below what its holder has allocated further down', async () => {
      const national = (await org(ids.hq, TARGETS, {}, as(['ADMIN'], ids.hq))).org.targets.find((t: any) => t.measure === 'MEMBERS');
      const r = await run(
        ALLOCATE,
        { input: { targetId: national.id, allocations: [{ organizationId: ids.nx, value: 5 }] } },
        as(['ADMIN'], ids.hq),
      );
      expect(fieldsOf(r)).toEqual(['input.allocations.0.value']);
    });

    it('computes progress = actual increase (live annex 2) / target, per branch and nationally', async () => {
      const r = await org(
        ids.szs,
        `targetProgress(year: 2021) { measure fields actual ratio target { value } }`,
        {},
        as(['REPORTER'], ids.szs),
      );
      expect(r.errors).toBeUndefined();
      const m = r.org.targetProgress.find((p: any) => p.measure === 'MEMBERS');
      const actual = tables.live(ids.szs, 'ANNUAL:2021', 'adultMembers') + tables.live(ids.szs, 'ANNUAL:2021', 'youthMembers');
      expect(m).toEqual({
        measure: 'MEMBERS',
        fields: ['adultMembers', 'youthMembers'],
        actual,
        ratio: expect.closeTo(actual / m.target.value, 4),
        target: { value: Math.floor(members.value / 2) },
      });
      // Measures the annex tables do not hold are counted from the registers (null before issue 16).
      for (const [measure, field] of [
        ['BOAI_HOMES', 'boaiHomesOpened'],
        ['DEMONSTRATION_BOAI_HOMES', 'demonstrationSitesDesignated'],
        ['MEMBER_STARS', 'memberStarsAwarded'],
      ]) {
        const p = r.org.targetProgress.find((x: any) => x.measure === measure);
        const actual = tables.live(ids.szs, 'REGISTERS:2021', field);
        expect(p).toEqual({
          measure,
          fields: [],
          actual,
          ratio: p.target ? expect.closeTo(actual / p.target.value, 4) : null,
          target: p.target,
        });
      }
      const calls = tables.calls.length;
      await org(ids.yc, `targetProgress(year: 2021) { actual }`, {}, as(['REPORTER'], ids.yc));
      // The annex 2 table and the register figures in one read of the table source (one loader batch).
      expect(tables.calls.slice(calls)).toEqual([[`${ids.yc}|ANNUAL:2021`, `${ids.yc}|REGISTERS:2021`]]);
      const nat = await run(`{ nationalProgress(year: 2021) { measure actual target { value } } }`, {}, as(['REPORTER'], ids.hq));
      expect(nat.data.nationalProgress.find((p: any) => p.measure === 'COUNTIES_RATIONALIZED')).toEqual({
        measure: 'COUNTIES_RATIONALIZED',
        actual: tables.live(ids.hq, 'ANNUAL:2021', 'countiesRationalized'),
        target: { value: 100 },
      });
      expect(codeOf(await run(`{ nationalProgress(year: 2021) { measure } }`, {}, as(['ADMIN'], ids.zj)))).toBe('FORBIDDEN');
    });
  });

  describe('the work plan', () => {
    const SET = `mutation($input: SetTaskStatusInput!) { setTaskStatus(input: $input) { state startedOn completedOn note task { number months } updatedBy { userId } } }`;

    it('records a branch status on a task (ADMIN or STAFF of the branch itself)', async () => {
      const ok = await run(
        SET,
        {
          input: { organizationId: ids.szs, taskNumber: 5, state: 'IN_PROGRESS', startedOn: '2021-05-20', note: '已在3个街道建立基层组织' },
        },
        as(['STAFF'], ids.szs),
      );
      expect(ok.errors).toBeUndefined();
      expect(ok.data.setTaskStatus).toEqual({
        state: 'IN_PROGRESS',
        startedOn: '2021-05-20',
        completedOn: null,
        note: '已在3个街道建立基层组织',
        task: { number: 5, months: '5月-12月' },
        updatedBy: { userId: 'test:STAFF' },
      });
      const done = await run(
        SET,
        { input: { organizationId: ids.szs, taskNumber: 5, state: 'DONE', startedOn: '2021-05-20', completedOn: '2021-11-30' } },
        as(['ADMIN'], ids.szs),
      );
      expect(done.data.setTaskStatus).toMatchObject({ state: 'DONE', completedOn: '2021-11-30' });
      const backwards = await run(
        SET,
        { input: { organizationId: ids.szs, taskNumber: 6, state: 'DONE', startedOn: '2021-06-01', completedOn: '2021-05-01' } },
        as(['ADMIN'], ids.szs),
      );
      expect(fieldsOf(backwards)).toEqual(['input.completedOn']);
      const noTask = await run(SET, { input: { organizationId: ids.szs, taskNumber: 21, state: 'DONE' } }, as(['ADMIN'], ids.szs));
      expect(fieldsOf(noTask)).toEqual(['input.taskNumber']);
      expect(codeOf(await run(SET, { input: { organizationId: ids.szs, taskNumber: 5, state: 'DONE' } }, as(['STAFF'], ids.nx)))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await run(SET, { input: { organizationId: ids.szs, taskNumber: 5, state: 'DONE' } }, as(['REPORTER'], ids.szs)))).toBe(
        'FORBIDDEN',
      );
    });

    it('keeps the recorded start and note when a task is marked DONE without them (issue 16), and refuses a completion before the start', async () => {
      const started = await run(
        SET,
        { input: { organizationId: ids.szs, taskNumber: 7, state: 'IN_PROGRESS', startedOn: '2021-03-01', note: '已启动' } },
        as(['STAFF'], ids.szs),
      );
      expect(started.errors).toBeUndefined();
      const done = await run(
        SET,
        { input: { organizationId: ids.szs, taskNumber: 7, state: 'DONE', completedOn: '2021-05-01' } },
        as(['STAFF'], ids.szs),
      );
      expect(done.data.setTaskStatus).toMatchObject({ state: 'DONE', startedOn: '2021-03-01', completedOn: '2021-05-01', note: '已启动' });
      const before = await run(
        SET,
        { input: { organizationId: ids.szs, taskNumber: 7, state: 'DONE', completedOn: '2021-02-01' } },
        as(['STAFF'], ids.szs),
      );
      expect(fieldsOf(before)).toEqual(['input.completedOn']);
    });

    it('shows a branch its tasks and a parent how its children stand', async () => {
      const own = await org(ids.szs, `workPlan { state task { number } }`, {}, as(['VIEWER'], ids.szs));
      expect(own.org.workPlan).toHaveLength(20);
      expect(own.org.workPlan[4]).toEqual({ state: 'DONE', task: { number: 5 } });
      expect(own.org.workPlan[5].state).toBe('NOT_STARTED');
      const overview = await org(ids.nx, `workPlanOverview { task { number } notStarted inProgress done }`, {}, as(['ADMIN'], ids.nx));
      expect(overview.org.workPlanOverview[4]).toEqual({ task: { number: 5 }, notStarted: 4, inProgress: 0, done: 1 });
    });
  });

  describe('notices', () => {
    const SEND = `mutation($input: SendNoticeInput!) { sendNotice(input: $input) { id kind title recipients { id } taskNumbers sender { id } } }`;
    let noticeId: string;

    it('are sent by ADMIN of a branch to branches below it', async () => {
      const input = {
        senderId: ids.nx,
        kind: 'BULLETIN',
        title: '工作通报',
        body: '石嘴山市按时完成报送。\n特此通报。',
        recipientIds: [ids.szs, ids.yc],
        taskNumbers: [3],
      };
      const ok = await run(SEND, { input }, as(['ADMIN'], ids.nx));
      expect(ok.errors).toBeUndefined();
      noticeId = ok.data.sendNotice.id;
      expect(ok.data.sendNotice).toMatchObject({
        kind: 'BULLETIN',
        recipients: [{ id: ids.szs }, { id: ids.yc }],
        taskNumbers: [3],
        sender: { id: ids.nx },
      });
      const outside = await run(SEND, { input: { ...input, recipientIds: [ids.zj] } }, as(['ADMIN'], ids.nx));
      expect(codeOf(outside)).toBe('FORBIDDEN');
      const empty = await run(SEND, { input: { ...input, recipientIds: [], title: '' } }, as(['ADMIN'], ids.nx));
      expect(fieldsOf(empty).sort()).toEqual(['input.recipientIds', 'input.title']);
      expect(codeOf(await run(SEND, { input }, as(['STAFF'], ids.nx)))).toBe('FORBIDDEN');
      expect(codeOf(await run(SEND, { input }, as(['ADMIN'], ids.szs)))).toBe('FORBIDDEN');
    });

    it('send a reminder letter to every child lagging on a period', async () => {
      now = new Date(now.getTime() + 3_600_000);
      const r = await run(
        `mutation($input: RemindLaggingInput!) { remindLagging(input: $input) { kind title body recipients { id } period { key } } }`,
        { input: { senderId: ids.nx, period: ANNUAL } },
        as(['ADMIN'], ids.nx),
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.remindLagging.kind).toBe('REMINDER');
      expect(r.data.remindLagging.recipients).toHaveLength(4); // all but 石嘴山, which submitted
      expect(r.data.remindLagging.body).toContain('银川市红十字会');
      expect(r.data.remindLagging.period.key).toBe('ANNUAL:2021');
    });

    it('are listed for recipients, newest first, with read receipts', async () => {
      const list = await org(ids.yc, `notices { totalCount nodes { id kind } }`, {}, as(['VIEWER'], ids.yc));
      expect(list.org.notices.nodes.map((n: any) => n.kind)).toEqual(['REMINDER', 'BULLETIN']);
      const READ = `mutation($id: ID!, $org: ID!) { markNoticeRead(id: $id, organizationId: $org) { readReceipts { organization { id } readBy { userId } } } }`;
      expect(codeOf(await run(READ, { id: noticeId, org: ids.yc }, as(['VIEWER'], ids.szs)))).toBe('FORBIDDEN');
      // A receipt is a write: not for the read-only VIEWER (issue 17).
      expect(codeOf(await run(READ, { id: noticeId, org: ids.yc }, as(['VIEWER'], ids.yc)))).toBe('FORBIDDEN');
      const read = await run(READ, { id: noticeId, org: ids.yc }, as(['REPORTER'], ids.yc));
      expect(read.data.markNoticeRead.readReceipts).toEqual([{ organization: { id: ids.yc }, readBy: { userId: 'test:REPORTER' } }]);
      const twice = await run(READ, { id: noticeId, org: ids.yc }, as(['STAFF'], ids.yc));
      expect(twice.data.markNoticeRead.readReceipts).toHaveLength(1);
      expect(fieldsOf(await run(READ, { id: noticeId, org: ids.c1 }, as(['REPORTER'], ids.c1)))).toEqual(['organizationId']);
      const sent = await org(ids.nx, `notices(direction: SENT, kind: BULLETIN) { totalCount }`, {}, as(['ADMIN'], ids.nx));
      expect(sent.org.notices.totalCount).toBe(1);
      expect(codeOf(await run(`query($id: ID!) { notice(id: $id) { title } }`, { id: noticeId }, as(['ADMIN'], ids.zj)))).toBe('FORBIDDEN');
      expect((await run(`query($id: ID!) { notice(id: $id) { title } }`, { id: noticeId }, as(['VIEWER'], ids.yc))).data.notice.title).toBe(
        '工作通报',
      );
      // Addressed to 银川市, not to the branches below it.
      expect(codeOf(await run(`query($id: ID!) { notice(id: $id) { title } }`, { id: noticeId }, as(['VIEWER'], ids.ycCounty)))).toBe(
        'FORBIDDEN',
      );
    });
  });

  describe('exports', () => {
    const EXPORT = `query($id: ID!, $p: PeriodInput!, $f: ExportFormat!, $s: ExportSource) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
      exportTable(period: $p, format: $f, source: $s) { filename contentType byteLength base64 } } } }`;

    it('writes CSV laid out like the annex, with Chinese headers', async () => {
      const r = await run(EXPORT, { id: ids.szs, p: { table: 'SURVEY', asOf: '2021-06-30' }, f: 'CSV' }, as(['REPORTER'], ids.szs));
      expect(r.errors).toBeUndefined();
      const file = r.data._entities[0].exportTable;
      expect(file.filename).toBe('附件1_组织体系建设工作情况调查表_石嘴山市红十字会_2021-06-30.csv');
      expect(file.contentType).toBe('text/csv; charset=utf-8');
      const text = Buffer.from(file.base64, 'base64').toString('utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).split('\r\n');
      expect(lines.slice(0, 4)).toEqual(['附件1', '组织体系建设工作情况调查表', '填报单位,石嘴山市红十字会', '统计时点,2021-06-30']);
      expect(lines[5]).toBe('序号,工作事项,个(人、小时)');
      expect(lines[6]).toBe(`1,县级红十字会理顺管理体制数,${tables.live(ids.szs, 'SURVEY:2021-06-30', 'countiesRationalized')}`);
      expect(lines[19]).toBe(`14,红十字会志愿服务总时长,${tables.live(ids.szs, 'SURVEY:2021-06-30', 'serviceHours')}`);
      expect(file.byteLength).toBe(Buffer.from(file.base64, 'base64').length);
    });

    it('writes the submitted values to an Excel workbook', async () => {
      const r = await run(EXPORT, { id: ids.szs, p: ANNUAL, f: 'XLSX', s: 'SUBMITTED' }, as(['ADMIN'], ids.nx));
      expect(r.errors).toBeUndefined();
      const file = r.data._entities[0].exportTable;
      expect(file.filename).toBe('附件2_组织体系建设年工作成效统计表_石嘴山市红十字会_2021_已报送.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(file.base64, 'base64') as never);
      const ws = wb.getWorksheet('附件2')!;
      const cells = (row: number) => [1, 2, 3].map((c) => ws.getRow(row).getCell(c).value);
      expect(ws.getRow(2).getCell(1).value).toBe('组织体系建设年工作成效统计表');
      expect(ws.getRow(3).getCell(1).value).toBe('填报单位：石嘴山市红十字会');
      expect(ws.getRow(4).getCell(1).value).toBe('统计年度：2021年');
      expect(cells(6)).toEqual(['序号', '工作事项', '个(人、小时)']);
      const submitted = (
        await org(ids.szs, `submission(period: { table: ANNUAL, year: 2021 }) { values { value } }`, {}, as(['ADMIN'], ids.nx))
      ).org.submission;
      expect(cells(7)).toEqual([1, '县级红十字会理顺管理体制增加数', submitted.values[0].value]);
      expect(cells(20)).toEqual([14, '红十字会志愿服务总时长增加数', submitted.values[13].value]);
      expect(ws.getRow(21).getCell(1).value).toBe('说明：表中“增加数”是指与上年相比的增加数。');
    });

    it('states the export time in Beijing time and the base year in the note (issues 18, 16)', async () => {
      const Q = `query($id: ID!, $p: PeriodInput!, $s: ExportSource, $b: Int) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        exportTable(period: $p, format: CSV, source: $s, baseYear: $b) { base64 } } } }`;
      const lines = (r: any) => Buffer.from(r.data._entities[0].exportTable.base64, 'base64').toString('utf8').slice(1).split('\r\n');
      const based = await run(Q, { id: ids.szs, p: ANNUAL, b: 2019 }, as(['REPORTER'], ids.szs));
      expect(based.errors).toBeUndefined();
      expect(tables.requests.at(-1)).toEqual({ organizationId: ids.szs, table: 'ANNUAL', year: 2021, baseYear: 2019 });
      expect(lines(based)[20]).toBe('说明：表中“增加数”是指与2019年相比的增加数。');
      const beijing = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      expect(lines(based)[4]).toBe(`数据来源,实时数据（导出时间 ${beijing}（北京时间 UTC+8））`);
      const plain = await run(Q, { id: ids.szs, p: ANNUAL }, as(['REPORTER'], ids.szs));
      expect(tables.requests.at(-1)).toEqual({ organizationId: ids.szs, table: 'ANNUAL', year: 2021 });
      expect(lines(plain)[20]).toBe('说明：表中“增加数”是指与上年相比的增加数。');
      const submitted = await run(Q, { id: ids.szs, p: ANNUAL, s: 'SUBMITTED' }, as(['REPORTER'], ids.szs));
      expect(lines(submitted)[4]).toMatch(/^数据来源,已报送数据（已[^，]+，报送时间 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间 UTC\+8））$/);
      for (const [p, b, s] of [
        [{ table: 'SURVEY', asOf: '2021-06-30' }, 2020, 'LIVE'],
        [ANNUAL, 2021, 'LIVE'],
        [ANNUAL, 2019, 'SUBMITTED'],
      ] as const) {
        const bad = await run(Q, { id: ids.szs, p, b, s }, as(['REPORTER'], ids.szs));
        expect([codeOf(bad), fieldsOf(bad)]).toEqual(['BAD_USER_INPUT', ['baseYear']]);
      }
    });

    it('refuses exports outside the subtree and of missing submissions', async () => {
      expect(codeOf(await run(EXPORT, { id: ids.zj, p: ANNUAL, f: 'CSV' }, as(['REPORTER'], ids.nx)))).toBe('FORBIDDEN');
      expect(codeOf(await run(EXPORT, { id: ids.yc, p: ANNUAL, f: 'CSV', s: 'SUBMITTED' }, as(['REPORTER'], ids.nx)))).toBe('NOT_FOUND');
    });
  });

  describe('performance habits', () => {
    it('makes a constant number of database commands for a page of submissions with nested fields', async () => {
      const q = `query($id: ID!, $n: Int) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        submissions(filter: { period: { table: ANNUAL, year: 2021 } }, first: $n) { nodes { status timeliness period { dueDate }
          reviewer { id } parentSubmission { status parentSubmission { status } } organization { id } } } } } }`;
      svc.db.commands.reset();
      const small = await run(q, { id: ids.zj, n: 2 });
      expect(small.errors).toBeUndefined();
      expect(small.data._entities[0].submissions.nodes).toHaveLength(2);
      const few = svc.db.commands.count();
      svc.db.commands.reset();
      const big = await run(q, { id: ids.zj, n: 20 });
      expect(big.data._entities[0].submissions.nodes).toHaveLength(20);
      expect(svc.db.commands.count()).toBe(few);
    });

    it('lists submissions with one orgPath condition, the deeper of the asked branch and the viewer (no $and)', async () => {
      const { Submission } = svc.subgraph.models;
      const find = jest.spyOn(Submission, 'find');
      try {
        const r = await org(
          ids.zj,
          'submissions(filter: { period: { table: ANNUAL, year: 2021 } }, first: 5) { nodes { id } }',
          {},
          as(['VIEWER'], ids.zj),
        );
        expect(r.errors).toBeUndefined();
        expect(r.org.submissions.nodes).toHaveLength(5);
        const condition = find.mock.calls
          .map(([c]) => c as unknown as Record<string, unknown>)
          .find((c) => c && ('orgPath' in c || '$and' in c))!;
        expect(condition).not.toHaveProperty('$and');
        expect(String(condition.orgPath)).toBe(ids.zj);
        expect(condition.periodKey).toBe('ANNUAL:2021');
        const plan = JSON.stringify(await Submission.find(condition).sort({ branchSortKey: 1, _id: 1 }).explain());
        expect(plan).toContain('IXSCAN');
        expect(plan).toContain('orgPath_1_periodKey_1_branchSortKey_1');
      } finally {
        find.mockRestore();
      }
    });

    it('uses indexes for notices and targets', async () => {
      const { Notice, Target, TaskStatus } = svc.subgraph.models;
      expect(JSON.stringify(await Notice.find({ recipientIds: ids.yc }).sort({ newestFirst: 1, _id: 1 }).explain())).toContain('IXSCAN');
      expect(JSON.stringify(await Target.find({ organizationId: ids.nx, year: 2021 }).explain())).toContain('IXSCAN');
      expect(JSON.stringify(await TaskStatus.find({ parentId: ids.nx, year: 2021 }).explain())).toContain('IXSCAN');
    });
  });
});
