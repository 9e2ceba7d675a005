import { execute, startTestService, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';
import { seed } from '../src/seed';
import { expectCountersMatchScan } from './scan';

describe('the national dataset (organizations part)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = (query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables);

  beforeAll(async () => {
    svc = await startTestService('organizations', createServer);
  });
  afterAll(() => svc.stop());

  it('loads every branch once, and a second load changes nothing', async () => {
    const first = await seed(svc.subgraph.models);
    expect(first.inserted).toBe(first.branches);
    const second = await seed(svc.subgraph.models);
    expect(second.inserted).toBe(0);
    expect(await svc.subgraph.models.Organization.countDocuments()).toBe(first.branches);
    expect(await svc.subgraph.models.Term.countDocuments()).toBe(first.branches * 2);
  }, 120_000);

  it('keeps the rows 1-7 counters equal to aggregations over the branches and terms', async () => {
    const all = await svc.subgraph.models.Organization.find({}, { level: 1 }).lean();
    // The national HQ, a few provinces and branches at every level below (the scans are slow).
    const sample = all.filter((o, i) => o.level === 'NATIONAL' || i % 211 === 7).map((o) => String(o._id));
    expect(sample.length).toBeGreaterThan(12);
    await expectCountersMatchScan(svc.subgraph.models, sample, ['2016-12-31', '2020-01-01', '2021-06-30', '2023-03-01'], [2021, 2022]);
  }, 240_000);

  it('answers the contract branch profile for Zhejiang', async () => {
    const r = await run(`{ organization(divisionCode: "330000") {
      name level divisionType parent { level } children { level divisionType }
      governance { managementRationalized } currentTerm { number dueDate overdue } } }`);
    expect(r.errors).toBeUndefined();
    const zj = r.data.organization;
    expect(zj.name).toBe('浙江省红十字会');
    expect(zj.parent.level).toBe('NATIONAL');
    expect(zj.children.filter((c: any) => c.divisionType === 'PREFECTURE_CITY')).toHaveLength(11);
    expect(zj.governance.managementRationalized).toBe(true);
    expect(zj.currentTerm.number).toBeGreaterThan(1);
  });

  it('has governance and term facts that differ between 2020 and 2021', async () => {
    const q = `query($y: Int!) { due: termChangesDue(year: $y, level: COUNTY) { totalCount } done: termChangesCompleted(year: $y, level: COUNTY) { totalCount } }`;
    const y2020 = (await run(q, { y: 2020 })).data;
    const y2021 = (await run(q, { y: 2021 })).data;
    // About a fifth of the 2,975 county branches fall due each year; some complete their change.
    expect(y2021.due.totalCount).toBeGreaterThan(400);
    expect(y2021.done.totalCount).toBeGreaterThan(200);
    expect(y2021.done.totalCount).toBeLessThan(y2021.due.totalCount);
    expect(y2020.done.totalCount).not.toBe(y2021.done.totalCount);

    const count = (d: string) =>
      svc.subgraph.models.Organization.countDocuments({
        level: 'COUNTY',
        'governance.managementRationalized.since': { $lte: new Date(`${d}T00:00:00Z`) },
      });
    const end2020 = await count('2020-12-31');
    const end2021 = await count('2021-12-31');
    // The 2021 target is 100 more rationalized county branches nationally; the dataset grows by about that.
    expect(end2021 - end2020).toBeGreaterThan(60);
    expect(end2021 - end2020).toBeLessThan(200);
  });

  it('keeps lookups indexed', async () => {
    const plan = await svc.subgraph.models.Organization.find({ divisionCode: '330000' }).explain();
    expect(JSON.stringify(plan)).toContain('IXSCAN');
  });
});
