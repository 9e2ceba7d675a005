import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { generateProvince, isUncoveredCity, type GenerateOptions } from '../src/seed';
import { createServer, seed } from '../src/server';
import { expectCountersMatchScan } from './scan';

const tree = buildBranchTree();
const ZJ = tree.find((b) => b.divisionCode === '330000')!.id;

describe('the national dataset (grassroots part, default scale)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = (query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables);
  let first: Awaited<ReturnType<typeof seed>>;
  let loadMs = 0;

  beforeAll(async () => {
    svc = await startTestService('grassroots', (connection) => createServer(connection, { directory: StaticDirectory.fromTree(tree) }));
    const t = Date.now();
    first = await seed(svc.subgraph.models);
    loadMs = Date.now() - t;
  }, 180_000);
  afterAll(() => svc.stop());

  it('loads about 8,000 units and 1,500 Boai homes, and a second load changes nothing', async () => {
    expect(first.units).toBeGreaterThan(7_000);
    expect(first.units).toBeLessThan(10_000);
    expect(first.homes).toBeGreaterThan(1_200);
    expect(first.homes).toBeLessThan(2_000);
    expect(first.inserted).toBe(first.units + first.institutions + first.homes);
    // Timing is reported, not asserted (shared machines): scripts/bench.mjs measures loads.
    console.log(`grassroots default load: ${loadMs} ms`);
    const second = await seed(svc.subgraph.models);
    expect(second).toEqual({ ...first, inserted: 0 });
    expect(await svc.subgraph.models.GrassrootsUnit.countDocuments()).toBe(first.units);
  }, 180_000);

  it('is deterministic: the same seed generates the same records', () => {
    const opts: GenerateOptions = {
      seed: 7,
      scale: 'default',
      protectPhone: (p) => ({ hash: p, cipher: p, masked: p }),
      uncovered: (b) => isUncoveredCity(b, 7),
    };
    const zhejiang = tree.filter((b) => b.id === ZJ || b.ancestorIds.includes(ZJ));
    expect(JSON.stringify(generateProvince(zhejiang, opts))).toBe(JSON.stringify(generateProvince(zhejiang, opts)));
    const other = generateProvince(zhejiang, { ...opts, seed: 8 });
    expect(other.units.length).not.toBe(0);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(generateProvince(zhejiang, opts)));
  });

  it('puts units of every type, schools included, under every provincial branch', async () => {
    const rows = await svc.subgraph.models.GrassrootsUnit.aggregate<{ _id: string; n: number }>([
      { $match: { type: 'SCHOOL' } },
      { $group: { _id: { $arrayElemAt: ['$orgPath', 1] }, n: { $sum: 1 } } },
    ]);
    expect(rows).toHaveLength(tree.filter((b) => b.level === 'PROVINCIAL').length);
    const types = await svc.subgraph.models.GrassrootsUnit.distinct('type');
    expect(types.sort()).toEqual(['COMMUNITY', 'ENTERPRISE', 'HOSPITAL', 'OTHER', 'PUBLIC_INSTITUTION', 'SCHOOL', 'STREET', 'TOWNSHIP']);
    const r = await run(
      `query($id: ID!) { grassrootsUnit: _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
      schools: grassrootsUnits(filter: { type: SCHOOL }, first: 10) { totalCount nodes { name township { name } school { firstAidKits } } }
      towns: grassrootsUnits(filter: { type: TOWNSHIP }, first: 1) { totalCount nodes { name township { code name } } } } } }`,
      { id: ZJ },
    );
    const zj = r.data.grassrootsUnit[0];
    expect(zj.schools.totalCount).toBeGreaterThan(20);
    expect(zj.schools.nodes).toHaveLength(10);
    expect(zj.towns.totalCount).toBeGreaterThan(10);
    // Township units are named after, and placed in, a real township of the division data.
    expect(zj.towns.nodes[0].name).toBe(`${zj.towns.nodes[0].township.name}红十字会`);
    expect(zj.towns.nodes[0].township.code.startsWith('33')).toBe(true);
  });

  it('leaves some cities uncovered, covers more at the end of 2021 than of 2020, and lists non-compliant institutions', async () => {
    const q = `query($id: ID!, $d: Date) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
      boaiHomeCoverage(asOf: $d) { prefectureCities { total covered uncovered { id } } countyCities { total covered } }
      namedMedicalInstitutionsWithoutUnit { totalCount } boaiHomes(filter: { demonstration: true }) { totalCount } } } }`;
    const end2020 = (await run(q, { id: nationalId(), d: '2020-12-31' })).data._entities[0];
    const end2021 = (await run(q, { id: nationalId(), d: '2021-12-31' })).data._entities[0];
    const c2021 = end2021.boaiHomeCoverage;
    expect(c2021.prefectureCities.total).toBe(tree.filter((b) => b.divisionType === 'PREFECTURE_CITY').length);
    expect(c2021.prefectureCities.covered).toBeGreaterThan(c2021.prefectureCities.total * 0.8);
    expect(c2021.prefectureCities.uncovered.length).toBeGreaterThan(0);
    expect(c2021.countyCities.covered).toBeGreaterThan(c2021.countyCities.total * 0.5);
    expect(c2021.countyCities.covered).toBeLessThan(c2021.countyCities.total);
    expect(end2020.boaiHomeCoverage.prefectureCities.covered).toBeLessThan(c2021.prefectureCities.covered);
    expect(end2021.namedMedicalInstitutionsWithoutUnit.totalCount).toBeGreaterThan(0);
    // The 2021 target is 100 urban demonstration sites nationally; the default scale has some.
    expect(end2021.boaiHomes.totalCount).toBeGreaterThan(20);
    const uncovered = c2021.prefectureCities.uncovered.map((c: any) => c.id);
    expect(uncovered.every((id: string) => isUncoveredCity(tree.find((b) => b.id === id)!, 2021))).toBe(true);
  });

  it('keeps the row 8 counters equal to a count of the units for every branch, on several dates', async () => {
    expect(await expectCountersMatchScan(svc.subgraph.models, ['2010-12-31', '2020-12-31', '2021-06-30', '2021-12-31'])).toBeGreaterThan(
      3000,
    );
  }, 120_000);

  it('answers row 8 additively and with yearly increases on the dataset', async () => {
    const children = tree.filter((b) => b.parentId === ZJ).map((b) => b.id);
    const survey = async (ids: string[], asOf: string) =>
      (
        await run(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Survey { grassrootsUnits } } }`, {
          reps: ids.map((id) => ({ __typename: 'Survey', organizationId: id, asOf })),
        })
      ).data._entities.map((e: any) => e.grassrootsUnits) as number[];
    const [zj, ...kids] = await survey([ZJ, ...children], '2021-12-31');
    const ownZj = await svc.subgraph.models.GrassrootsUnit.countDocuments({
      organizationId: ZJ,
      establishedOn: { $lte: new Date('2021-12-31') },
      $or: [{ dissolvedOn: null }, { dissolvedOn: { $gt: new Date('2021-12-31') } }],
    });
    expect(zj).toBe(ownZj + kids.reduce((a, b) => a + b, 0));
    expect(zj).toBeGreaterThan(100);

    const [y2020, y2021] = await survey([ZJ], '2020-12-31').then(async (a) => [a[0], (await survey([ZJ], '2021-12-31'))[0]]);
    const inc = await run(
      `query($id: ID!) { _entities(representations: [{ __typename: "AnnualIncrease", organizationId: $id, year: 2021, baseYear: 2020 }]) { ... on AnnualIncrease { grassrootsUnits } } }`,
      { id: ZJ },
    );
    expect(inc.data._entities[0].grassrootsUnits).toBe(y2021 - y2020);
    expect(y2021).toBeGreaterThan(y2020);
  });
});
