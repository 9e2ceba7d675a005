import {
  Authenticator,
  createLogger,
  createSubgraph,
  forbidden,
  ScopeLog,
  type BaseRequestContext,
  type RunningServer,
  type Subgraph,
  type VersionStore,
} from '@rcsc/service-kit';
import { composeSupergraph } from '../src/compose';
import { createGateway } from '../src/server';
import { ByteLru, fetchedServices, viewerKey } from '../src/response-cache';
import { WriteEpochs } from '../src/writes';

const log = createLogger('test', 'silent');

/** The version document, in memory: `bumpElsewhere` is another replica or a CLI writer. */
function memoryStore() {
  const doc = { v: 0, since: 'mem' };
  const store: VersionStore & { bumpElsewhere(): void; fail: boolean } = {
    fail: false,
    read: async () => ({ ...doc }),
    bump: async () => {
      if (store.fail) throw new Error('database down');
      doc.v++;
      return { ...doc };
    },
    bumpElsewhere: () => void doc.v++,
  };
  return store;
}

type Ctx = BaseRequestContext;

/** A subgraph whose answers change with its data and with the viewer's role. */
function counterSubgraph(state: { n: number; calls: number; gate?: Promise<void> }) {
  return createSubgraph<Ctx>({
    name: 'counter',
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { counter: Int! secret: String! boom: Int! slow: Int! }
      type Mutation { incr: Int! refused: Int }
    `,
    resolvers: {
      Query: {
        counter: () => (state.calls++, state.n),
        // What an ADMIN sees unmasked and a VIEWER masked, as personal data is.
        secret: (_: unknown, __: unknown, ctx: Ctx) => (
          state.calls++,
          ctx.viewer.roles.includes('ADMIN') ? '110101199001011234' : '1101**********1234'
        ),
        slow: async () => {
          state.calls++;
          await state.gate;
          return state.n;
        },
        boom: () => {
          state.calls++;
          throw new Error('boom');
        },
      },
      Mutation: {
        incr: () => ++state.n,
        // Checked before anything is written, as every refusal in the services is.
        refused: () => {
          throw forbidden('not yours');
        },
      },
    },
    log,
    context: (base) => base,
  });
}

/** Polls `fn` until it returns true, or fails after `ms`. */
async function eventually(fn: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

describe('response cache', () => {
  const state: { n: number; calls: number; gate?: Promise<void> } = { n: 0, calls: 0 };
  const store = memoryStore();
  const auth = Authenticator.fromEnv();
  let subgraph: Subgraph<Ctx>;
  let sub: RunningServer;
  let gw: RunningServer;
  let created: ReturnType<typeof createGateway>;
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    admin = await auth.sign({ sub: 'u1', org: 'o1', roles: ['ADMIN'] });
    viewer = await auth.sign({ sub: 'u1', org: 'o1', roles: ['VIEWER'] });
    subgraph = counterSubgraph(state);
    subgraph.enableChangeFeed(store, { pollMs: 50 });
    sub = await subgraph.listen(0);
    const supergraphSdl = composeSupergraph([{ name: subgraph.name, url: sub.url, typeDefs: subgraph.typeDefs }]);
    created = createGateway({ supergraphSdl, log, auth, responseCache: { maxBytes: 1 << 20 } });
    gw = await created.listen(0);
    expect(await created.feeds?.ready()).toBe(true);
  });
  afterAll(async () => {
    await gw.close();
    await sub.close();
  });

  const post = async (query: string, token = admin, headers: Record<string, string> = {}, url = gw.url) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, cache: res.headers.get('x-cache'), body: (await res.json()) as { data?: any; errors?: any[] } };
  };

  it('serves a repeated query from the cache, equal to the uncached answer, without calling the subgraph', async () => {
    const first = await post('{ counter }');
    expect(first.cache).toBe('miss');
    const calls = state.calls;
    const second = await post('{ counter }');
    expect(second.cache).toBe('hit');
    expect(second.body).toEqual(first.body);
    expect(state.calls).toBe(calls);
    const fresh = await post('{ counter }', admin, { 'cache-control': 'no-cache' });
    expect(fresh.cache).toBe('bypass');
    expect(fresh.body).toEqual(first.body);
    expect(state.calls).toBe(calls + 1);
  });

  it('answers the next read fresh after a mutation through this gateway', async () => {
    const before = (await post('{ counter }')).body.data.counter;
    expect((await post('{ counter }')).cache).toBe('hit');
    const m = await post('mutation { incr }');
    expect(m.cache).toBe('bypass');
    const after = await post('{ counter }');
    expect(after.cache).toBe('miss');
    expect(after.body.data.counter).toBe(before + 1);
  });

  it('sees a write that bypassed this gateway once the feed event arrives', async () => {
    expect((await post('{ counter }')).body.data.counter).toBe(state.n);
    expect((await post('{ counter }')).cache).toBe('hit');
    // Straight to the subgraph: this gateway's epoch does not move, only the feed tells it.
    const direct = await post('mutation { incr }', admin, {}, sub.url);
    expect(direct.body.data.incr).toBe(state.n);
    await eventually(async () => (await post('{ counter }')).body.data.counter === state.n);
    // And a bump by another replica or a CLI writer, learnt by polling the version document.
    expect((await post('{ counter }')).cache).toBe('hit');
    state.n += 10; // the "write"...
    store.bumpElsewhere(); // ...and its bump
    await eventually(async () => (await post('{ counter }')).body.data.counter === state.n);
  });

  it('never shares entries between viewers: a VIEWER does not get the ADMIN answer', async () => {
    const a = await post('{ secret }', admin);
    expect((await post('{ secret }', admin)).cache).toBe('hit');
    const v = await post('{ secret }', viewer);
    expect(v.cache).toBe('miss');
    expect(v.body.data.secret).toBe('1101**********1234');
    expect(a.body.data.secret).toBe('110101199001011234');
    expect((await post('{ secret }', viewer)).body.data.secret).toBe('1101**********1234');
    // Another token of the same grant (new iat/exp) shares the entry: exp and iat are not in the key.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await auth.sign({ sub: 'u1', org: 'o1', roles: ['ADMIN'] }, '1h');
    expect(again).not.toBe(admin);
    const hit = await post('{ secret }', again);
    expect(hit.cache).toBe('hit');
    expect(hit.body.data.secret).toBe('110101199001011234');
  });

  it('refuses an expired or forged token even when an entry for its claims exists', async () => {
    const short = await auth.sign({ sub: 'u2', org: 'o1', roles: ['ADMIN'] }, '2s');
    await post('{ counter }', short);
    expect((await post('{ counter }', short)).cache).toBe('hit');
    await eventually(async () => (await post('{ counter }', short)).status === 401, 5_000);
    const expired = await auth.sign({ sub: 'u2', org: 'o1', roles: ['ADMIN'] }, '-10s');
    const refused = await post('{ counter }', expired);
    expect(refused.status).toBe(401);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await new Authenticator({ secret: 'x'.repeat(40), issuer: 'rcsc', audience: 'rcsc-graph' }).sign({
      sub: 'u1',
      org: 'o1',
      roles: ['ADMIN'],
    });
    expect((await post('{ counter }', forged)).status).toBe(401);
  });

  it('keeps every entry after a mutation that changed nothing: __typename only, refused by a subgraph, or by the limits', async () => {
    await post('{ counter }');
    expect((await post('{ counter }')).cache).toBe('hit');
    const epoch = created.writes.all();
    // A VIEWER's mutation that asks no subgraph anything.
    const typename = await post('mutation { __typename }', viewer);
    expect(typename.body.data).toEqual({ __typename: 'Mutation' });
    // A mutation the subgraph refuses as a whole (FORBIDDEN, nothing written).
    const refused = await post('mutation { refused }', viewer);
    expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    // And one the gateway refuses before execution.
    const aliases = await post(`mutation { ${Array.from({ length: 40 }, (_, i) => `a${i}: refused`).join(' ')} }`, viewer);
    expect(aliases.status).toBe(400);
    expect(created.writes.all()).toBe(epoch);
    // The subgraph did not move its data version either (its feed would void the entry).
    await new Promise((r) => setTimeout(r, 150));
    expect((await post('{ counter }')).cache).toBe('hit');
    // A mutation that changed data still voids it.
    await post('mutation { incr }', viewer);
    expect(created.writes.all()).toBe(epoch + 1);
    expect((await post('{ counter }')).cache).toBe('miss');
  });

  it('merges identical requests in flight once (in the fetcher), unless a write came between', async () => {
    let open: () => void = () => undefined;
    state.gate = new Promise<void>((r) => (open = r));
    const calls = state.calls;
    const first = post('{ slow }');
    await eventually(async () => state.calls > calls);
    const waiting = [post('{ slow }'), post('{ slow }'), post('{ slow }')];
    await new Promise((r) => setTimeout(r, 50));
    // A mutation through this gateway completes: later arrivals must not take the old answer.
    await post('mutation { incr }');
    const late = post('{ slow }');
    await eventually(async () => state.calls > calls + 1);
    open();
    const answers = await Promise.all([first, ...waiting, late]);
    // Each is a miss (the cache itself merges nothing), but one subgraph call answers the first four.
    expect(answers.map((a) => a.cache)).toEqual(['miss', 'miss', 'miss', 'miss', 'miss']);
    expect(answers.map((a) => a.body.data.slow)).toEqual(Array(5).fill(state.n));
    expect(state.calls).toBe(calls + 2);
    state.gate = undefined;
  });

  it('never caches an answer with errors, nor one refused by the limits', async () => {
    const one = await post('{ counter boom }');
    expect(one.body.errors?.length).toBeGreaterThan(0);
    const calls = state.calls;
    const two = await post('{ counter boom }');
    expect(two.cache).toBe('miss');
    expect(two.body.errors?.length).toBeGreaterThan(0);
    expect(state.calls).toBeGreaterThan(calls);
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: counter`).join(' ')} }`;
    for (let i = 0; i < 2; i++) {
      const r = await post(aliases);
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0].message).toMatch(/aliases exceed/);
    }
  });

  it('bypasses the cache while a feed is down, and never serves a stale answer after it comes back', async () => {
    await post('{ counter }');
    expect((await post('{ counter }')).cache).toBe('hit');
    // The version cannot be bumped: the subgraph closes its feed until it can.
    store.fail = true;
    const m = await post('mutation { incr }', admin, {}, sub.url);
    expect(m.body.data.incr).toBe(state.n);
    await eventually(async () => !created.feeds?.state('counter').connected);
    const during = await post('{ counter }');
    expect(during.cache).toBe('bypass');
    expect(during.body.data.counter).toBe(state.n);
    store.fail = false;
    await eventually(async () => !!created.feeds?.state('counter').connected);
    const after = await post('{ counter }');
    expect(after.cache).toBe('miss');
    expect(after.body.data.counter).toBe(state.n);
  });

  it('bypasses while the subgraph is down and restarts, then caches again', async () => {
    await post('{ counter }');
    expect((await post('{ counter }')).cache).toBe('hit');
    const port = sub.port;
    await sub.close();
    await eventually(async () => !created.feeds?.state('counter').connected);
    state.n += 5; // written while the service was down (e.g. a restore), bumped by its writer
    store.bumpElsewhere();
    // A new process of the same service: same data and version document.
    subgraph = counterSubgraph(state);
    subgraph.enableChangeFeed(store, { pollMs: 50 });
    sub = await subgraph.listen(port);
    // Until the feed is back, answers bypass the cache; after it, the old entry is void.
    await eventually(async () => {
      const r = await post('{ counter }');
      expect(r.body.data?.counter ?? state.n).toBe(state.n);
      return r.cache !== 'bypass';
    });
    expect((await post('{ counter }')).cache).toBe('hit');
    expect((await post('{ counter }')).body.data.counter).toBe(state.n);
  });
});

describe('response cache parts', () => {
  it('keeps its entries under the byte bound, least recently used out first', () => {
    const lru = new ByteLru<{ bytes: number }>(100);
    lru.set('a', { bytes: 20 });
    lru.set('b', { bytes: 20 });
    lru.get('a');
    lru.set('c', { bytes: 25 });
    lru.set('d', { bytes: 25 });
    lru.set('e', { bytes: 25 });
    expect(lru.bytes).toBeLessThanOrEqual(100);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBeDefined();
    expect(lru.set('huge', { bytes: 60 })).toBe(false);
  });

  it('moves the write epoch of the subgraphs a mutation wrote to only (issue 17: only what it changed)', () => {
    const writes = new WriteEpochs();
    const before = writes.snapshot();
    writes.bump(['people']);
    expect(writes.unchangedSince(before, ['training', 'organizations'])).toBe(true);
    expect(writes.unchangedSince(before, ['training', 'people'])).toBe(false);
    expect([writes.of('people'), writes.of('training'), writes.all()]).toEqual([1, 0, 1]);
  });

  it("moves the cache's epoch only for writes whose answer did not say what they wrote (issue 22 item 3)", () => {
    const writes = new WriteEpochs();
    const before = writes.snapshot();
    writes.bump(['people', 'grassroots'], new Set(['people']));
    // The fetcher's merge sees both; the cache only the one it could not learn.
    expect([writes.of('people'), writes.of('grassroots')]).toEqual([1, 1]);
    expect(writes.unchangedSince(before, ['people'])).toBe(true);
    expect(writes.unchangedSince(before, ['grassroots'])).toBe(false);
  });

  it('knows which versions of a subgraph wrote what, and calls any gap or touched read a change (issue 22 item 3)', () => {
    const log = new ScopeLog(4);
    log.add(5, 6, [{ ids: ['n', 'zj', 'hz'] }]);
    log.add(6, 8, [{ ids: ['n', 'js'] }]);
    expect(log.quiet(5, 5, new Set(['zj']))).toBe(true);
    expect(log.quiet(5, 8, new Set(['gs']))).toBe(true);
    expect(log.quiet(5, 8, new Set(['zj']))).toBe(false);
    expect(log.quiet(6, 8, new Set(['zj']))).toBe(true);
    expect(log.quiet(5, 8, '*')).toBe(false);
    // Version 9 is not known: nothing after 8 can be vouched for.
    expect(log.quiet(5, 9, new Set(['gs']))).toBe(false);
    log.add(9, 10, '*');
    expect(log.quiet(8, 10, new Set(['gs']))).toBe(false);
    // Bounded: the oldest ranges go, and what needed them is a change.
    for (let v = 10; v < 14; v++) log.add(v, v + 1, [{ ids: ['n', 'sc'] }]);
    expect(log.quiet(10, 14, new Set(['gs']))).toBe(true);
    expect(log.quiet(5, 14, new Set(['gs']))).toBe(false);
  });

  it('leaves the volatile claims out of the viewer key', () => {
    const base = { sub: 'u', org: 'o', roles: ['VIEWER'], iss: 'rcsc', aud: 'rcsc-graph' };
    expect(viewerKey({ ...base, iat: 1, exp: 2, jti: 'x' })).toBe(viewerKey({ ...base, iat: 5, exp: 9, nbf: 3 }));
    expect(viewerKey({ ...base, roles: ['ADMIN'] })).not.toBe(viewerKey(base));
    expect(viewerKey({ ...base, org: 'p' })).not.toBe(viewerKey(base));
  });

  it('reads the subgraphs a plan fetches from, and gives up on nodes it does not know', () => {
    const plan = {
      node: {
        kind: 'Sequence',
        nodes: [
          { kind: 'Fetch', serviceName: 'organizations' },
          { kind: 'Parallel', nodes: [{ kind: 'Flatten', node: { kind: 'Fetch', serviceName: 'people' } }] },
          { kind: 'Condition', ifClause: { kind: 'Fetch', serviceName: 'training' } },
        ],
      },
    };
    expect([...(fetchedServices(plan) as Set<string>)].sort()).toEqual(['organizations', 'people', 'training']);
    expect(fetchedServices({ node: { kind: 'Sequence', nodes: [{ kind: 'Mystery' }] } })).toBe('all');
  });
});
