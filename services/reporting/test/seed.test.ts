import { StaticDirectory } from '@rcsc/directory';
import { buildBranchTree } from '@rcsc/dataset';
import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';
import { seed } from '../src/seed';
import type { TableSource } from '../src/table-source';

const tree = buildBranchTree();
const directory = StaticDirectory.fromTree(tree);
const zhejiang = tree.find((b) => b.divisionCode === '330000')!;
const national = tree.find((b) => !b.parentId)!;
/** No live values needed here. */
const tables: TableSource = { read: async (requests) => requests.map(() => ({})) };

describe('the national dataset (reporting part)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  let result: Awaited<ReturnType<typeof seed>>;
  let seconds = 0;
  const run = (query: string, variables?: Record<string, unknown>, viewer = testViewer(['REPORTER'], zhejiang.id)) =>
    execute<any>(svc.subgraph, query, variables, viewer);

  beforeAll(async () => {
    svc = await startTestService('reporting', (c) => createServer(c, { directory, tables, now: () => new Date('2022-03-01T00:00:00Z') }));
    const started = Date.now();
    result = await seed(svc.subgraph.models);
    seconds = (Date.now() - started) / 1000;
  });
  afterAll(() => svc.stop());

  it('loads the default scale in a few seconds, and a second load changes nothing', async () => {
    console.log(`reporting default seed: ${JSON.stringify(result)} in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(10);
    expect(result.tasks).toBe(20);
    expect(result.inserted).toBe(result.tasks + result.targets + result.submissions + result.taskStatuses + result.notices);
    const again = await seed(svc.subgraph.models);
    expect(again.inserted).toBe(0);
    expect(again.submissions).toBe(result.submissions);
    expect(await svc.subgraph.models.Submission.countDocuments()).toBe(result.submissions);
  });

  it('has the 20 tasks of the seed with their months and responsible departments', async () => {
    const r = await run(`{ workPlan { number section heading months fromMonth toMonth responsibleUnits } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.workPlan.map((t: any) => t.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.data.workPlan[0]).toEqual({
      number: 1,
      section: 1,
      heading: '推进地方红十字会规范化建设',
      months: '5月—7月',
      fromMonth: 5,
      toMonth: 7,
      responsibleUnits: ['总会组织宣传部', '各省级红十字会'],
    });
    expect(r.data.workPlan[13]).toMatchObject({
      number: 14,
      months: '7月',
      fromMonth: 7,
      toMonth: 7,
      responsibleUnits: ['总会组织宣传部', '浙江省红十字会'],
    });
    expect(r.data.workPlan[19].responsibleUnits).toContain('机关党委（人事部）');
    expect(new Set(r.data.workPlan.map((t: any) => t.heading)).size).toBe(4);
  });

  it('shows real completeness under Zhejiang for both 2021 periods', async () => {
    for (const period of [
      { table: 'ANNUAL', year: 2021 },
      { table: 'SURVEY', asOf: '2021-06-30' },
    ]) {
      const r = await run(
        `query($id: ID!, $p: PeriodInput!) { organization: _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
          completeness(period: $p, scope: SUBTREE) { period { key dueDate } counts { total notSubmitted submitted returned approved excused onTime late overdue }
            entries { totalCount nodes { name status timeliness } } } } } }`,
        { id: zhejiang.id, p: period },
      );
      expect(r.errors).toBeUndefined();
      const c = r.data.organization[0].completeness;
      expect(c.counts.total).toBeGreaterThan(90);
      expect(c.counts.approved).toBeGreaterThan(c.counts.total / 2);
      expect(c.counts.approved + c.counts.submitted + c.counts.returned + c.counts.excused + c.counts.notSubmitted).toBe(c.counts.total);
      expect(c.counts.onTime + c.counts.late).toBe(c.counts.approved + c.counts.submitted);
      expect(c.entries.totalCount).toBe(c.counts.total);
    }
  });

  it('holds the national 2021 targets, allocated to the provinces without exceeding them', async () => {
    const r = await run(
      `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        targets(year: 2021) { measure value allocated unallocated allocations { value organization { id } } } } } }`,
      { id: national.id },
      testViewer(['ADMIN'], national.id),
    );
    expect(r.errors).toBeUndefined();
    const targets = r.data._entities[0].targets;
    const byMeasure = Object.fromEntries(targets.map((t: any) => [t.measure, t]));
    expect(byMeasure.COUNTIES_RATIONALIZED.value).toBe(100);
    expect(byMeasure.GRASSROOTS_UNITS.value).toBe(10000);
    expect(byMeasure.MEMBERS.value).toBe(700000);
    expect(byMeasure.REGISTERED_VOLUNTEERS.value).toBe(100000);
    expect(byMeasure.MEMBER_STARS.value).toBe(500);
    const members = byMeasure.MEMBERS;
    expect(members.allocations).toHaveLength(33);
    const sum = members.allocations.reduce((a: number, t: any) => a + t.value, 0);
    expect(sum).toBe(members.allocated);
    expect(sum).toBeLessThanOrEqual(700000);
    expect(sum).toBeGreaterThan(690000);
  });

  it('has notices and task statuses', async () => {
    const r = await run(
      `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        notices { totalCount nodes { kind title readReceipts { readAt } } }
        workPlan { state task { number } } workPlanOverview { task { number } notStarted inProgress done } } } }`,
      { id: zhejiang.id },
    );
    expect(r.errors).toBeUndefined();
    const org = r.data._entities[0];
    expect(org.notices.totalCount).toBeGreaterThan(0);
    expect(org.workPlan).toHaveLength(20);
    expect(org.workPlan.some((t: any) => t.state === 'DONE')).toBe(true);
    const tally = org.workPlanOverview[0];
    expect(tally.notStarted + tally.inProgress + tally.done).toBe(11); // Zhejiang's 11 prefecture-level cities
  });

  it('keeps the completeness and subtree lists indexed', async () => {
    const { Submission } = svc.subgraph.models;
    const plan = await Submission.find({ orgPath: zhejiang.id, periodKey: 'ANNUAL:2021' }).sort({ branchSortKey: 1, _id: 1 }).explain();
    expect(JSON.stringify(plan)).toContain('IXSCAN');
    const children = await Submission.find({ parentId: zhejiang.id, periodKey: 'ANNUAL:2021', status: 'APPROVED' }).explain();
    expect(JSON.stringify(children)).toContain('IXSCAN');
  });
});
