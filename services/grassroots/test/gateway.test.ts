import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as organizations from '@rcsc/organizations';
import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { startTestService, startTestStack, testToken, type TestService, type TestStack } from '@rcsc/testing';
import { createServer, seed } from '../src/server';

const CONTRACT = join(__dirname, '..', '..', '..', '..', 'shared', 'contract');

describe('the grassroots contract through a gateway, on the national dataset', () => {
  let stack: TestStack;
  const services: TestService<any>[] = [];
  const mine = () => services[1] as TestService<ReturnType<typeof createServer>>;

  beforeAll(async () => {
    const org = await startTestService('organizations', organizations.createServer);
    services.push(org);
    const mine = await startTestService('grassroots', (connection) =>
      createServer(connection, { directory: StaticDirectory.fromTree(buildBranchTree()) }),
    );
    services.push(mine);
    await Promise.all([organizations.seed(org.subgraph.models), seed(mine.subgraph.models)]);
    stack = await startTestStack([org.subgraph, mine.subgraph]);
  });
  afterAll(async () => {
    await stack?.stop();
    for (const s of services) await s.stop();
  });

  it('answers the operations of 02-grassroots.graphql with data, no errors and real counts', async () => {
    const text = readFileSync(join(CONTRACT, '02-grassroots.graphql'), 'utf8');
    const vars = JSON.parse(readFileSync(join(CONTRACT, '02-grassroots.vars.json'), 'utf8')) as Record<string, { divisionCode: string }>;
    const lookup = await stack.query<any>('query($c: String!) { organization(divisionCode: $c) { id } }', {
      c: vars.Grassroots.divisionCode,
    });
    const id = lookup.data!.organization.id;

    const r = await stack.query<any>(text, { id });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    const zj = r.data!.organization;
    expect(zj.name).toBe('浙江省红十字会');
    expect(zj.grassrootsUnits.totalCount).toBeGreaterThan(20);
    expect(zj.grassrootsUnits.nodes).toHaveLength(10);
    for (const unit of zj.grassrootsUnits.nodes) {
      expect(unit.type).toBe('SCHOOL');
      expect(typeof unit.meetsFiveHas).toBe('boolean');
      // The branch's name comes from the organizations subgraph.
      expect(unit.organization.name).toMatch(/红十字会$/);
    }
    expect(zj.boaiHomes.totalCount).toBeGreaterThan(10);
    expect(zj.boaiHomes.nodes.length).toBeGreaterThan(0);
    const { prefectureCities, countyCities } = zj.boaiHomeCoverage;
    expect(prefectureCities.total).toBe(11);
    expect(prefectureCities.covered).toBeGreaterThan(0);
    expect(prefectureCities.covered).toBeLessThanOrEqual(11);
    expect(countyCities.total).toBeGreaterThan(10);
    expect(countyCities.covered).toBeGreaterThan(0);
  });

  it("names the uncovered cities and the units' branches across subgraphs", async () => {
    const r = await stack.query<any>(`{ organization(divisionCode: "100000") { boaiHomeCoverage(asOf: "2021-12-31") {
      prefectureCities { total covered uncovered { name divisionType parent { name } } } } } }`);
    expect(r.errors).toBeUndefined();
    const c = r.data!.organization.boaiHomeCoverage.prefectureCities;
    expect(c.uncovered).toHaveLength(c.total - c.covered);
    expect(c.uncovered.length).toBeGreaterThan(0);
    for (const city of c.uncovered) {
      expect(city.divisionType).toBe('PREFECTURE_CITY');
      expect(city.parent.name).toMatch(/红十字会$/);
    }
  });
  it('applies the subtree rules through the gateway: tokens, lists, aggregates and entity references', async () => {
    const tree = buildBranchTree();
    const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
    const bearer = async (roles: ('ADMIN' | 'STAFF' | 'VIEWER' | 'REPORTER')[], org: string) => ({
      authorization: `Bearer ${await testToken({ sub: `test:${roles.join('+')}`, roles, org })}`,
    });
    const text = readFileSync(join(CONTRACT, '02-grassroots.graphql'), 'utf8');
    // The national ADMIN (what the contract runs with) and a Zhejiang VIEWER get Zhejiang's page whole.
    for (const headers of [await bearer(['ADMIN'], nationalId()), await bearer(['VIEWER'], id('330000'))]) {
      const r = await stack.query<any>(text, { id: id('330000') }, headers);
      expect(r.errors).toBeUndefined();
      expect(r.data!.organization.grassrootsUnits.totalCount).toBeGreaterThan(20);
    }
    // A Hangzhou STAFF member asking for Zhejiang sees only Hangzhou's units, and not the
    // province's coverage (an aggregate outside the subtree): FORBIDDEN on that field only.
    const hz = await bearer(['STAFF'], id('330100'));
    const r = await stack.query<any>(text, { id: id('330000') }, hz);
    expect(r.data!.organization.name).toBe('浙江省红十字会');
    expect(r.data!.organization.boaiHomeCoverage).toBeNull();
    expect(r.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['organization', 'boaiHomeCoverage'], 'FORBIDDEN']]);
    const units = r.data!.organization.grassrootsUnits;
    expect(units.totalCount).toBeGreaterThan(0);
    const own = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { grassrootsUnits(filter: { type: SCHOOL }) { totalCount } } }`,
      { id: id('330100') },
      hz,
    );
    expect(units.totalCount).toBe(own.data!.organization.grassrootsUnits.totalCount);
    for (const unit of units.nodes) expect(unit.organization.name).toMatch(/^杭州市/);
    // Another province's units: not visible in lists, FORBIDDEN one by one.
    const js = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { grassrootsUnits(first: 1) { totalCount } } grassrootsUnits(filter: { within: $id }) { totalCount } }`,
      { id: id('320000') },
      hz,
    );
    expect(js.data).toEqual({ organization: { grassrootsUnits: { totalCount: 0 } }, grassrootsUnits: { totalCount: 0 } });
    const jsUnit = await mine()
      .subgraph.models.GrassrootsUnit.findOne({ orgPath: id('320000') })
      .lean();
    const one = await stack.query<any>(`query($id: ID!) { grassrootsUnit(id: $id) { name } }`, { id: String(jsUnit!._id) }, hz);
    expect(one.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(one)).not.toContain(jsUnit!.name);
    // Without a token the gateway answers 401.
    const anonymous = await stack.query<any>(text, { id: id('330000') }, { authorization: '' });
    expect(anonymous.status).toBe(401);
  });
});
