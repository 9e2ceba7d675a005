import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as organizations from '@rcsc/organizations';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { startTestService, startTestStack, type TestService, type TestStack } from '@rcsc/testing';
import { createServer, seed } from '../src/server';

const CONTRACT = join(__dirname, '..', '..', '..', '..', 'shared', 'contract');

describe('the grassroots contract through a gateway, on the national dataset', () => {
  let stack: TestStack;
  const services: TestService<any>[] = [];

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
});
