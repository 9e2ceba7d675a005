import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { bumpDataVersion, type RunningServer } from '@rcsc/service-kit';
import { composeSupergraph, createGateway } from '@rcsc/gateway';
import { eventually, startTestService, testToken } from '@rcsc/testing';
import * as organizations from '@rcsc/organizations';
import * as training from '@rcsc/training';

const tree = buildBranchTree();
const ZJ = tree.find((b) => b.divisionCode === '330000')!.id;
const directory = StaticDirectory.fromTree(buildBranchTree());
const vault = PersonalDataVault.fromEnv();

const POOL = `query($org: ID!) {
  organization(id: $org) {
    name
    instructorPool(first: 50) { totalCount nodes { id name contact { phone } organization { name } } }
  }
}`;
const CREATE = `mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id } }`;
let phones = 0;
const input = (name: string) => ({
  name,
  category: 'EXPERT',
  organizationId: ZJ,
  topics: ['IHL-01'],
  phone: `1381234${String(5000 + ++phones)}`,
  joinedOn: '2021-05-01',
});

/**
 * The gateway's response cache over real subgraphs and databases, each with its change feed
 * (docs/adr/0006): hits equal fresh answers, writes from anywhere are seen, viewers never share.
 */
describe('response cache end to end', () => {
  let services: Awaited<ReturnType<typeof startTestService>>[] = [];
  let orgRunning: RunningServer;
  let trainingRunning: RunningServer;
  let gateway: RunningServer;
  let admin: string;
  let viewer: string;
  let pool: Awaited<ReturnType<typeof startTestService<ReturnType<typeof training.createServer>>>>;

  beforeAll(async () => {
    const org = await startTestService('organizations', (c) => organizations.createServer(c));
    pool = await startTestService('training', (c) => training.createServer(c, { directory, vault }));
    services = [org, pool];
    await organizations.seed(org.subgraph.models);
    await training.seed(pool.subgraph.models, { vault });
    for (const s of services) s.subgraph.enableChangeFeed(s.db.connection, { pollMs: 100 });
    orgRunning = await org.subgraph.listen(0);
    trainingRunning = await pool.subgraph.listen(0);
    const supergraphSdl = composeSupergraph([
      { name: org.subgraph.name, url: orgRunning.url, typeDefs: org.subgraph.typeDefs },
      { name: pool.subgraph.name, url: trainingRunning.url, typeDefs: pool.subgraph.typeDefs },
    ]);
    gateway = await createGateway({ supergraphSdl, responseCache: { maxBytes: 8 << 20 } }).listen(0);
    admin = await testToken({ sub: 'cache:admin', org: ZJ, roles: ['ADMIN'] });
    viewer = await testToken({ sub: 'cache:viewer', org: ZJ, roles: ['VIEWER'] });
    // The feeds connect right after the gateway loads: wait for the first cacheable answer.
    await eventually(async () => {
      const r = await ask(POOL, admin);
      return r.cache !== 'bypass';
    });
  });

  afterAll(async () => {
    for (const r of [gateway, trainingRunning, orgRunning]) await r?.close().catch(() => undefined);
    for (const s of services) await s.stop();
  });

  async function ask(query: string, token: string, variables: Record<string, unknown> = { org: ZJ }, url?: string) {
    const res = await fetch(url ?? gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: any[] };
    return { status: res.status, cache: res.headers.get('x-cache'), ...body };
  }

  it('serves a cached answer equal to the fresh one', async () => {
    const fresh = await ask(POOL, admin);
    expect(fresh.errors).toBeUndefined();
    expect(fresh.data.organization.instructorPool.totalCount).toBeGreaterThan(0);
    const cached = await ask(POOL, admin);
    expect(cached.cache).toBe('hit');
    expect(cached.data).toEqual(fresh.data);
  });

  it('never gives a VIEWER the ADMIN answer (contacts are masked for ADMIN, hidden for VIEWER)', async () => {
    const a = await ask(POOL, admin);
    expect(a.data.organization.instructorPool.nodes.some((n: any) => n.contact.phone)).toBe(true);
    const v = await ask(POOL, viewer);
    expect(v.cache).toBe('miss');
    expect(v.data.organization.instructorPool.nodes.every((n: any) => n.contact.phone === null)).toBe(true);
    const again = await ask(POOL, viewer);
    expect(again.cache).toBe('hit');
    expect(again.data).toEqual(v.data);
  });

  it('answers fresh right after a mutation through the gateway', async () => {
    const before = (await ask(POOL, admin)).data.organization.instructorPool.totalCount;
    expect((await ask(POOL, admin)).cache).toBe('hit');
    const created = await ask(CREATE, admin, { input: input('缓存甲') });
    expect(created.errors).toBeUndefined();
    const after = await ask(POOL, admin);
    expect(after.cache).toBe('miss');
    expect(after.data.organization.instructorPool.totalCount).toBe(before + 1);
  });

  it('sees a mutation sent straight to the subgraph once its feed event arrives', async () => {
    const before = (await ask(POOL, admin)).data.organization.instructorPool.totalCount;
    expect((await ask(POOL, admin)).cache).toBe('hit');
    const direct = await ask(CREATE, admin, { input: input('缓存乙') }, trainingRunning.url);
    expect(direct.errors).toBeUndefined();
    await eventually(async () => (await ask(POOL, admin)).data.organization.instructorPool.totalCount === before + 1);
  });

  it('sees a write outside any mutation once its writer bumps the version (seed, restore)', async () => {
    const before = (await ask(POOL, admin)).data.organization.instructorPool.totalCount;
    expect((await ask(POOL, admin)).cache).toBe('hit');
    const one = await pool.subgraph.models.Instructor.findOne({ name: '缓存甲' }).lean();
    await pool.subgraph.models.Instructor.deleteOne({ _id: one!._id });
    await bumpDataVersion(pool.db.connection);
    await eventually(async () => (await ask(POOL, admin)).data.organization.instructorPool.totalCount === before - 1);
  });

  it('bypasses while a subgraph is down and gives no stale answer after its restart', async () => {
    const before = (await ask(POOL, admin)).data.organization.instructorPool.totalCount;
    expect((await ask(POOL, admin)).cache).toBe('hit');
    const port = trainingRunning.port;
    await trainingRunning.close();
    await eventually(async () => (await ask(POOL, admin)).cache === 'bypass');
    // Written while the service is down (by a CLI writer, which bumps).
    await pool.subgraph.models.Instructor.create({ ...(await instructorDoc()), name: '缓存丙' });
    await bumpDataVersion(pool.db.connection);
    // A new process of the service on the same port and database.
    const fresh = training.createServer(pool.db.connection, { directory, vault });
    fresh.enableChangeFeed(pool.db.connection, { pollMs: 100 });
    trainingRunning = await fresh.listen(port);
    await eventually(async () => {
      const r = await ask(POOL, admin);
      if (r.data?.organization?.instructors) expect(r.data.organization.instructorPool.totalCount).toBe(before + 1);
      return r.cache === 'miss' || r.cache === 'hit';
    });
    expect((await ask(POOL, admin)).data.organization.instructorPool.totalCount).toBe(before + 1);
  });

  it('refuses an expired token even though an entry for the same grant exists', async () => {
    expect((await ask(POOL, admin)).cache).toBe('hit');
    const { Authenticator } = await import('@rcsc/service-kit');
    const expired = await Authenticator.fromEnv().sign({ sub: 'cache:admin', org: ZJ, roles: ['ADMIN'] }, '-1m');
    const r = await ask(POOL, expired);
    expect(r.status).toBe(401);
    expect(r.data).toBeUndefined();
  });

  /** A stored instructor as a template for a raw insert. */
  async function instructorDoc() {
    const one = (await pool.subgraph.models.Instructor.findOne({ name: '缓存乙' }).lean()) as unknown as Record<string, unknown>;
    const { _id, __v, ...rest } = one;
    void _id;
    void __v;
    return rest;
  }
});
