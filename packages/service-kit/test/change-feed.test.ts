import {
  Authenticator,
  ChangeFeed,
  createLogger,
  createSubgraph,
  forbidden,
  RECENT_SCOPES,
  type BaseRequestContext,
  type VersionStore,
} from '../src';

const log = createLogger('test', 'silent');

function memoryStore() {
  const doc: { v: number; since: string; recent?: string[] } = { v: 0, since: 's1' };
  let fail = false;
  let slowRead: Promise<void> | null = null;
  const store: VersionStore & { doc: typeof doc; setFail(f: boolean): void; holdReads(p: Promise<void> | null): void } = {
    doc,
    setFail: (f) => void (fail = f),
    holdReads: (p) => void (slowRead = p),
    read: async () => {
      const { recent: _, ...copy } = doc;
      if (slowRead) await slowRead;
      return copy;
    },
    readRecent: async (n) => ({ ...doc, ...(doc.recent ? { recent: doc.recent.slice(-n) } : {}) }),
    bump: async (scope = '*') => {
      if (fail) throw new Error('database down');
      doc.v++;
      doc.recent = [...(doc.recent ?? []), scope].slice(-RECENT_SCOPES);
      return { ...doc };
    },
  };
  return store;
}

/** Reads Server-Sent Events from `url` until `count` data lines came (or the stream ended). */
/** The feed is for services: the gateway subscribes with a SERVICE token. */
const serviceHeaders = async () => ({
  authorization: `Bearer ${await Authenticator.fromEnv().sign({ sub: 'service:gateway', roles: ['SERVICE'] })}`,
});

/** The feed of the subgraph at `graphqlUrl`, read until a pattern shows; `close` answers its events. */
async function openStream(graphqlUrl: string) {
  const res = await fetch(graphqlUrl.replace('/graphql', '/changes'), { headers: await serviceHeaders() });
  const reader = res.body!.getReader();
  let text = '';
  return {
    until: async (pattern: RegExp) => {
      while (!pattern.test(text)) text += Buffer.from((await reader.read()).value!).toString('utf8');
    },
    close: async () => {
      await reader.cancel();
      return text.split('\n\n').filter(Boolean);
    },
  };
}

async function events(url: string, count: number, during: () => Promise<void> = async () => undefined): Promise<string[]> {
  const res = await fetch(url, { headers: await serviceHeaders() });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const reader = res.body!.getReader();
  const out: string[] = [];
  let buffer = '';
  let started = false;
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += Buffer.from(value).toString('utf8');
    for (const m of buffer.matchAll(/^data: (.*)$/gm)) out.push(m[1]);
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    if (!started) {
      started = true;
      void during();
    }
  }
  await reader.cancel().catch(() => undefined);
  return out;
}

describe('change feed', () => {
  const subgraph = () =>
    createSubgraph<BaseRequestContext>({
      name: 'feed',
      typeDefs: `type Query { a: Int } type Mutation { touch: Int refuse: Int forbid: Int }`,
      resolvers: {
        Mutation: {
          touch: () => 1,
          forbid: () => {
            throw forbidden('not yours');
          },
          refuse: () => {
            throw new Error('no');
          },
        },
      },
      log,
      context: (b) => b,
    });

  it('streams the version on connect and after every mutation, failed ones included', async () => {
    const store = memoryStore();
    const s = subgraph();
    s.enableChangeFeed(store, { pollMs: 1_000 });
    const running = await s.listen(0);
    const token = await Authenticator.fromEnv().sign({ sub: 'u', roles: ['VIEWER'] });
    const post = (query: string) =>
      fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
    try {
      const seen = await events(running.url.replace('/graphql', '/changes'), 4, async () => {
        await post('mutation { touch }');
        await post('{ a }'); // a query moves nothing
        await post('mutation { refuse }');
        await post('mutation { touch }');
      });
      expect(seen).toEqual(['s1:0', 's1:1', 's1:2', 's1:3']);
    } finally {
      await running.close();
    }
  });

  it('does not move the version for a mutation that changed nothing: refused as a whole, or __typename only (issue 17)', async () => {
    const store = memoryStore();
    const s = subgraph();
    const feed = s.enableChangeFeed(store, { pollMs: 1_000 });
    const running = await s.listen(0);
    const token = await Authenticator.fromEnv().sign({ sub: 'u', roles: ['VIEWER'] });
    const post = async (query: string) =>
      (await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      }).then((r) => r.json())) as { errors?: { extensions: { code: string } }[] };
    try {
      expect(feed.current()).toBe('s1:0');
      expect((await post('mutation { forbid }')).errors?.[0].extensions.code).toBe('FORBIDDEN');
      await post('mutation { __typename }');
      await post('mutation { a: forbid b: forbid }');
      expect(feed.current()).toBe('s1:0');
      // A refusal next to a field that ran, or a failure of another kind, may have written: they count.
      await post('mutation { touch forbid }');
      expect(feed.current()).toBe('s1:1');
      await post('mutation { refuse }');
      expect(feed.current()).toBe('s1:2');
    } finally {
      await running.close();
    }
  });

  it('announces the tree version as its own event, on connect and when it moves, never going back (ADR 0008)', async () => {
    const store = memoryStore() as ReturnType<typeof memoryStore> & { doc: { tree?: number } };
    store.doc.tree = 3;
    const s = subgraph();
    s.enableChangeFeed(store, { pollMs: 20 });
    const running = await s.listen(0);
    try {
      const stream = await openStream(running.url);
      await stream.until(/event: tree\ndata: 3\n\n/);
      // A reorganization elsewhere: the tree moves without the data version (read by the poll).
      store.doc.tree = 5;
      await stream.until(/event: tree\ndata: 5\n\n/);
      // An older read (a restore) does not take it back; the data version still moves.
      store.doc.tree = 4;
      store.doc.v = 9;
      await stream.until(/data: s1:9\n[^\n]*\n\n/);
      const events = await stream.close();
      // Versions 1-9 were not recorded with what they wrote: 'anything'.
      expect(events).toEqual(['data: s1:0', 'event: tree\ndata: 3', 'event: tree\ndata: 5', 'data: s1:9\nchanged: 0 *']);
    } finally {
      await running.close();
    }
  });

  // Issue 22 item 3: each version event says what the versions since the previous one wrote
  // (the paths of their records), so a gateway keeps its answers about other subtrees.
  it('says with each version what the bumps since the previous one wrote, and "*" once they are forgotten', async () => {
    const store = memoryStore();
    const s = subgraph();
    const feed = s.enableChangeFeed(store, { pollMs: 20 });
    const running = await s.listen(0);
    try {
      const stream = await openStream(running.url);
      await stream.until(/data: s1:0\n\n/);
      // A local bump: its own scope at once.
      expect(await feed.bump('n.zj.hz')).toBe('s1:1');
      await stream.until(/data: s1:1\n/);
      // Two bumps by other replicas, seen by one poll: both scopes, merged.
      await store.bump('n.js.nj');
      await store.bump('n.zj.nb,n.zj.wz');
      await stream.until(/data: s1:3\n/);
      // More bumps than the document remembers: anything.
      for (let i = 0; i < RECENT_SCOPES + 1; i++) await store.bump('n.gs.lz');
      await stream.until(new RegExp(`data: s1:${3 + RECENT_SCOPES + 1}\n`));
      expect(await stream.close()).toEqual([
        'data: s1:0',
        'data: s1:1\nchanged: 0 n.zj.hz',
        'data: s1:3\nchanged: 1 n.js.nj,n.zj.nb,n.zj.wz',
        `data: s1:${3 + RECENT_SCOPES + 1}\nchanged: 3 *`,
      ]);
    } finally {
      await running.close();
    }
  });

  it('learns of other writers by polling, never goes back to an older read, and closes while a bump fails', async () => {
    const store = memoryStore();
    const s = subgraph();
    const feed = s.enableChangeFeed(store, { pollMs: 20 });
    const running = await s.listen(0);
    try {
      expect(feed.current()).toBe('s1:0');
      store.doc.v = 7; // another replica's bump
      await new Promise((r) => setTimeout(r, 100));
      expect(feed.current()).toBe('s1:7');
      // A read that started before a local bump must not win over it.
      let release: () => void = () => undefined;
      store.holdReads(new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 50));
      await feed.bump();
      expect(feed.current()).toBe('s1:8');
      store.holdReads(null);
      release();
      await new Promise((r) => setTimeout(r, 60));
      expect(feed.current()).toBe('s1:8');
      // A re-created document (new since) is taken even with a lower count.
      Object.assign(store.doc, { since: 's2', v: 1 });
      await new Promise((r) => setTimeout(r, 100));
      expect(feed.current()).toBe('s2:1');

      store.setFail(true);
      await feed.bump();
      const url = running.url.replace('/graphql', '/changes');
      expect((await fetch(url, { headers: await serviceHeaders() })).status).toBe(503);
      store.setFail(false);
      await new Promise((r) => setTimeout(r, 100)); // the poller retries the bump
      expect(feed.current()).toBe('s2:2');
      expect((await fetch(url, { headers: await serviceHeaders() })).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('reads again as soon as a slow read ends when a tick came meanwhile, instead of waiting for the next tick (ADR 0006 bound)', async () => {
    const store = memoryStore();
    const feed = new ChangeFeed({ store, log, pollMs: 300 });
    await feed.start();
    try {
      let release: () => void = () => undefined;
      store.holdReads(new Promise<void>((r) => (release = r)));
      // The tick at 300 ms starts a read that is held (it saw version 0); the tick at 600 ms comes while it waits.
      await new Promise((r) => setTimeout(r, 700));
      store.doc.v = 5; // another replica's bump, after the held read looked
      store.holdReads(null);
      release();
      // The next tick is at 900 ms: the bump is seen well before it.
      const deadline = Date.now() + 150;
      while (feed.current() !== 's1:5' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(feed.current()).toBe('s1:5');
    } finally {
      feed.stop();
    }
  });

  it('does not hold the drain up with open streams', async () => {
    const s = subgraph();
    s.enableChangeFeed(memoryStore());
    const running = await s.listen(0);
    const res = await fetch(running.url.replace('/graphql', '/changes'), { headers: await serviceHeaders() });
    expect(res.status).toBe(200);
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await res.body?.cancel().catch(() => undefined);
  });

  it('serves its stream to SERVICE tokens only, and bounds the streams open at once (issue 17)', async () => {
    const s = subgraph();
    s.enableChangeFeed(memoryStore(), { maxStreams: 3 });
    const running = await s.listen(0);
    const url = running.url.replace('/graphql', '/changes');
    const opened: Response[] = [];
    try {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
      const viewer = await Authenticator.fromEnv().sign({ sub: 'u', roles: ['ADMIN'] });
      const refused = await fetch(url, { headers: { authorization: `Bearer ${viewer}` } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
      for (let i = 0; i < 3; i++) {
        const r = await fetch(url, { headers: await serviceHeaders() });
        expect(r.status).toBe(200);
        opened.push(r);
      }
      expect(s.changeFeed?.streamCount()).toBe(3);
      const past = await fetch(url, { headers: await serviceHeaders() });
      expect(past.status).toBe(429);
      expect(past.headers.get('retry-after')).toBe('5');
      // A closed stream frees its place.
      await opened.shift()!.body!.cancel();
      await new Promise((r) => setTimeout(r, 100));
      const again = await fetch(url, { headers: await serviceHeaders() });
      expect(again.status).toBe(200);
      opened.push(again);
    } finally {
      for (const r of opened) await r.body?.cancel().catch(() => undefined);
      await running.close();
    }
  });
});
