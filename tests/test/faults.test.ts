import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBranchTree } from '@rcsc/dataset';
import { connectDatabase, ensureIndexes, type Database } from '@rcsc/db';
import { StaticDirectory } from '@rcsc/directory';
import { startEmbeddedMongo, type EmbeddedMongo } from '@rcsc/embedded-mongo';
import { composeSupergraph, createGateway } from '@rcsc/gateway';
import type { RunningServer } from '@rcsc/service-kit';
import { testToken } from '@rcsc/testing';
import * as organizations from '@rcsc/organizations';
import * as grassroots from '@rcsc/grassroots';

const directory = StaticDirectory.fromTree(buildBranchTree());
const QUERY = `{ organization(divisionCode: "330000") { name grassrootsUnits(first: 1) { totalCount } } }`;

/** Faults through the gateway: a subgraph down and back, the database restarted under running services. */
describe('faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcsc-faults-'));
  let mongo: EmbeddedMongo;
  let orgDb: Database;
  let unitDb: Database;
  let org: RunningServer;
  let units: RunningServer;
  let unitsPort = 0;
  let gateway: RunningServer;
  let token: string;
  const grassrootsSubgraph = () => grassroots.createServer(unitDb.connection, { directory });

  const ask = async (query = QUERY) => {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
  };

  beforeAll(async () => {
    token = await testToken();
    mongo = await startEmbeddedMongo({ dbPath: dir });
    // Quick server selection, so that requests during the outage fail fast instead of waiting 10 s.
    orgDb = await connectDatabase('faults_org', { uri: mongo.uri, serverSelectionTimeoutMS: 1500 });
    unitDb = await connectDatabase('faults_units', { uri: mongo.uri, serverSelectionTimeoutMS: 1500 });
    const o = organizations.createServer(orgDb.connection);
    const u = grassrootsSubgraph();
    await Promise.all([ensureIndexes(orgDb.connection), ensureIndexes(unitDb.connection)]);
    await Promise.all([organizations.seed(o.models), grassroots.seed(u.models)]);
    org = await o.listen(0);
    units = await u.listen(0);
    unitsPort = units.port;
    const supergraphSdl = composeSupergraph([
      { name: o.name, url: org.url, typeDefs: o.typeDefs },
      { name: u.name, url: units.url, typeDefs: u.typeDefs },
    ]);
    gateway = await createGateway({ supergraphSdl }).listen(0);
  });

  afterAll(async () => {
    for (const s of [gateway, units, org]) await s?.close().catch(() => undefined);
    await orgDb?.close().catch(() => undefined);
    await unitDb?.close().catch(() => undefined);
    await mongo?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the other subgraphs when one is down, with an error on the missing path, and recovers', async () => {
    const before = await ask();
    expect(before.errors).toBeUndefined();
    const count = before.data.organization.grassrootsUnits.totalCount;
    expect(count).toBeGreaterThan(0);

    await units.close();
    const during = await ask();
    expect(during.status).toBe(200);
    expect(during.data.organization).toEqual({ name: '浙江省红十字会', grassrootsUnits: null });
    expect(during.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/grassroots service is unavailable/),
      extensions: { service: 'grassroots' },
    });

    units = await grassrootsSubgraph().listen(unitsPort);
    const after = await ask();
    expect(after.errors).toBeUndefined();
    expect(after.data.organization.grassrootsUnits.totalCount).toBe(count);
  });

  it('keeps serving after the database restarts, with every acknowledged write, without restarting services', async () => {
    const port = mongo.port;
    const created = await ask(
      `mutation { updateOrganization(id: "${buildBranchTree().find((b) => b.divisionCode === '330106')!.id}", input: { name: "故障测试区红十字会" }) { id } }`,
    );
    expect(created.errors).toBeUndefined();

    await mongo.stop();
    const down = await ask(`{ organization(divisionCode: "330106") { name } }`);
    expect(down.status).toBeLessThan(500);
    expect(down.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(down)).not.toMatch(/mongodb:|ECONNREFUSED|stack/i);

    mongo = await startEmbeddedMongo({ dbPath: dir, port });
    let back: Awaited<ReturnType<typeof ask>> | undefined;
    for (let i = 0; i < 40 && !back?.data?.organization; i++) {
      back = await ask(`{ organization(divisionCode: "330106") { name } grassrootsUnits(first: 1) { totalCount } }`);
      if (!back.data?.organization) await new Promise((r) => setTimeout(r, 250));
    }
    expect(back?.errors).toBeUndefined();
    expect(back?.data.organization.name).toBe('故障测试区红十字会');
    expect(back?.data.grassrootsUnits.totalCount).toBeGreaterThan(0);
  });
});
