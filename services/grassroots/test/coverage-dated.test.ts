// Issue 15: coverage on a past date reads the tree of that date. A county-level city moved to
// another prefecture after the date still counts (and is covered) under its parent of the date,
// and only from the day of the move under the new one; its homes cover the new parent's
// prefecture-level city from that day, not before.
import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const code = (c: string) => tree.find((b) => b.divisionCode === c)!.id;
const ids = { hq: nationalId(), zj: code('330000'), hz: code('330100'), jh: code('330700'), lx: code('330781') /* 兰溪市 */ };
const MOVED_ON = '2021-06-01';

type Result = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };

describe('Boai home coverage on a date before a reorganization', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = (query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables) as Promise<Result>;

  beforeAll(async () => {
    // 兰溪市 hangs under 金华 today; in this directory it hung under 杭州 until 2021-06-01.
    const directory = new StaticDirectory(
      tree.map((b) => ({
        ...b,
        dissolvedOn: null,
        pathHistory: b.id === ids.lx ? [{ ancestorIds: [ids.hq, ids.zj, ids.hz], until: MOVED_ON }] : null,
      })),
    );
    svc = await startTestService('grassroots_coverage_dated', (connection) => createServer(connection, { directory }));
    const r = await run(`mutation($input: OpenBoaiHomeInput!) { openBoaiHome(input: $input) { id } }`, {
      input: { organizationId: ids.lx, name: '兰江博爱家园', setting: 'URBAN', community: '某社区', openedOn: '2020-01-01' },
    });
    expect(r.errors).toBeUndefined();
  });
  afterAll(() => svc.stop());

  const coverage = async (id: string, asOf: string) => {
    const r = await run(
      `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        boaiHomeCoverage(asOf: "${asOf}") { prefectureCities { total covered } countyCities { total covered uncovered { id } } } } } }`,
      { id },
    );
    expect(r.errors).toBeUndefined();
    return r.data._entities[0].boaiHomeCoverage;
  };
  const countyCitiesUnder = (parent: string) =>
    tree.filter((b) => b.ancestorIds.includes(parent) && b.divisionType === 'COUNTY_CITY' && b.id !== ids.lx).length;

  it('counts the moved city under its parent of the date, and under the new parent from the day of the move', async () => {
    const [hz, jh] = [countyCitiesUnder(ids.hz), countyCitiesUnder(ids.jh)];
    const before = { hz: await coverage(ids.hz, '2021-05-31'), jh: await coverage(ids.jh, '2021-05-31') };
    expect(before.hz).toEqual({
      prefectureCities: { total: 1, covered: 1 },
      countyCities: expect.objectContaining({ total: hz + 1, covered: 1 }),
    });
    expect(before.hz.countyCities.uncovered.map((c: { id: string }) => c.id)).not.toContain(ids.lx);
    expect(before.jh).toEqual({
      prefectureCities: { total: 1, covered: 0 },
      countyCities: expect.objectContaining({ total: jh, covered: 0 }),
    });
    const after = { hz: await coverage(ids.hz, MOVED_ON), jh: await coverage(ids.jh, MOVED_ON) };
    expect(after.hz).toEqual({
      prefectureCities: { total: 1, covered: 0 },
      countyCities: expect.objectContaining({ total: hz, covered: 0 }),
    });
    expect(after.jh).toEqual({
      prefectureCities: { total: 1, covered: 1 },
      countyCities: expect.objectContaining({ total: jh + 1, covered: 1 }),
    });
  });

  it('leaves the province, which held the city on both days, unchanged', async () => {
    const [before, after] = [await coverage(ids.zj, '2021-05-31'), await coverage(ids.zj, MOVED_ON)];
    expect(before).toEqual(after);
    expect(before.countyCities.covered).toBe(1);
    expect(before.prefectureCities.covered).toBe(1);
  });
});
