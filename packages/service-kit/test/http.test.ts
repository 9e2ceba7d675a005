import { createLogger, createSubgraph, Authenticator, type BaseRequestContext } from '../src';

const log = createLogger('test', 'silent');

/** Ctrl-C or SIGTERM closes the server: requests already in flight finish, new ones are refused. */
describe('serving and draining', () => {
  it('lets in-flight requests finish when closing, and refuses new connections', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const subgraph = createSubgraph<BaseRequestContext>({
      name: 'slow',
      typeDefs: `type Query { slow: String! fast: String! }`,
      resolvers: { Query: { slow: async () => (await slow, 'done'), fast: () => 'ok' } },
      log,
      context: (base) => base,
    });
    const running = await subgraph.listen(0);
    const token = await Authenticator.fromEnv().sign({ sub: 'u', roles: ['VIEWER'] });
    const post = (query: string) =>
      fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' },
        body: JSON.stringify({ query }),
      });

    expect(await (await post('{ fast }')).json()).toEqual({ data: { fast: 'ok' } });
    const inFlight = post('{ slow }');
    await new Promise((r) => setTimeout(r, 100));
    const closing = running.close();
    await new Promise((r) => setTimeout(r, 100));
    await expect(post('{ fast }')).rejects.toThrow();
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { slow: 'done' } });
    await closing;
  });

  it('with a shutdown delay, goes on serving while /ready answers 503, then closes', async () => {
    const subgraph = createSubgraph<BaseRequestContext>({
      name: 'x',
      typeDefs: `type Query { fast: String! }`,
      resolvers: { Query: { fast: () => 'ok' } },
      log,
      context: (base) => base,
    });
    const running = await subgraph.listen(0, undefined, { shutdownDelayMs: 1500 });
    const token = await Authenticator.fromEnv().sign({ sub: 'u', roles: ['VIEWER'] });
    const post = () =>
      fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ fast }' }),
      });
    const ready = () => fetch(running.url.replace('/graphql', '/ready'));
    expect((await ready()).status).toBe(200);
    expect((await post()).headers.get('connection')).not.toBe('close');
    const started = Date.now();
    const closing = running.close();
    await new Promise((r) => setTimeout(r, 100));
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ reason: 'stopping' });
    // Still served, on a new connection, and the client is told not to keep it.
    const res = await post();
    expect(await res.json()).toEqual({ data: { fast: 'ok' } });
    expect(res.headers.get('connection')).toBe('close');
    await closing;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    await expect(post()).rejects.toThrow();
  });

  it('refuses a request body over the limit with 413, before parsing it', async () => {
    const subgraph = createSubgraph<BaseRequestContext>({
      name: 'x',
      typeDefs: `type Query { a: Int }`,
      resolvers: {},
      log,
      context: (b) => b,
    });
    const running = await subgraph.listen(0);
    try {
      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(1_500_000),
      });
      expect(res.status).toBe(413);
    } finally {
      await running.close();
    }
  });
});
