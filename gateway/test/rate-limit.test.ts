import { Authenticator, createLogger, createSubgraph, type BaseRequestContext, type RunningServer } from '@rcsc/service-kit';
import { composeSupergraph } from '../src/compose';
import { createGateway } from '../src/server';
import { rateLimitConfigFromEnv } from '../src/rate-limit';

const log = createLogger('test', 'silent');

describe('per-token rate limit and cost budget (issue 17)', () => {
  const gate: { wait?: Promise<void> } = {};
  let sub: RunningServer;
  let gw: RunningServer;
  let created: ReturnType<typeof createGateway>;
  const auth = Authenticator.fromEnv();

  beforeAll(async () => {
    const s = createSubgraph<BaseRequestContext>({
      name: 'items',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query { ping: Int! items(first: Int): [Item!]! }
        type Item { id: ID! }
      `,
      resolvers: {
        Query: {
          ping: () => 1,
          items: async (_: unknown, { first }: { first?: number }) => {
            await gate.wait;
            return Array.from({ length: first ?? 20 }, (_, i) => ({ id: String(i) }));
          },
        },
      },
      log,
      context: (b) => b,
    });
    sub = await s.listen(0);
    const supergraphSdl = composeSupergraph([{ name: s.name, url: sub.url, typeDefs: s.typeDefs }]);
    created = createGateway({ supergraphSdl, log, auth, responseCache: false, rateLimit: { requestsPerSecond: 5, costBudget: 100 } });
    gw = await created.listen(0);
  });
  afterAll(async () => {
    await gw.close();
    await sub.close();
  });

  const post = async (query: string, token: string) => {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
  };

  it('answers 429 with Retry-After past the request rate of one token, and not for another token', async () => {
    const flood = await auth.sign({ sub: 'flood', roles: ['VIEWER'] });
    const other = await auth.sign({ sub: 'other', roles: ['VIEWER'] });
    const answers = await Promise.all(Array.from({ length: 12 }, () => post('{ ping }', flood)));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(7);
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(5);
    expect(refused[0].retryAfter).toMatch(/^[1-9]\d*$/);
    expect(refused[0].body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(refused[0].body.errors[0].message).toMatch(/More than 5 requests per second/);
    expect((await post('{ ping }', other)).status).toBe(200);
    // The window passes: the flooding token is answered again.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post('{ ping }', flood)).status).toBe(200);
  });

  it("refuses an operation that would pass the token's cost budget while others run, and frees it when they end", async () => {
    const token = await auth.sign({ sub: 'heavy', roles: ['VIEWER'] });
    let open: () => void = () => undefined;
    gate.wait = new Promise<void>((r) => (open = r));
    // Estimated cost 61 each (the field, and 60 items): one fits the budget of 100, two do not.
    const first = post('{ items(first: 60) { id } }', token);
    await new Promise((r) => setTimeout(r, 200));
    expect(created.rateLimiter?.costInFlight(`Bearer ${token}`)).toBe(61);
    const second = await post('{ items(first: 60) { id } }', token);
    expect(second.status).toBe(429);
    expect(second.retryAfter).toBe('1');
    expect(second.body.errors[0].message).toMatch(/budget of 100/);
    // A cheap one still fits beside it; another token is not concerned.
    expect((await post('{ ping }', token)).status).toBe(200);
    const stranger = await auth.sign({ sub: 'stranger', roles: ['VIEWER'] });
    gate.wait = undefined;
    expect((await post('{ items(first: 60) { id } }', stranger)).status).toBe(200);
    open();
    expect((await first).status).toBe(200);
    expect(created.rateLimiter?.costInFlight(`Bearer ${token}`)).toBe(0);
    expect((await post('{ items(first: 60) { id } }', token)).status).toBe(200);
  });

  it("does not limit SERVICE tokens (the subgraphs' own calls through the gateway)", async () => {
    const service = await auth.sign({ sub: 'service:reporting', roles: ['SERVICE'] });
    const answers = await Promise.all(Array.from({ length: 12 }, () => post('{ ping }', service)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
  });

  it('reads its settings from the environment', () => {
    expect(rateLimitConfigFromEnv({})).toEqual({ requestsPerSecond: 100, costBudget: 250_000 });
    expect(rateLimitConfigFromEnv({ GATEWAY_RATE_LIMIT: 'off' })).toBe(false);
    expect(rateLimitConfigFromEnv({ GATEWAY_RATE_LIMIT_RPS: '20', GATEWAY_COST_BUDGET: '1000' })).toEqual({
      requestsPerSecond: 20,
      costBudget: 1000,
    });
    expect(() => rateLimitConfigFromEnv({ GATEWAY_RATE_LIMIT_RPS: 'many' })).toThrow(/GATEWAY_RATE_LIMIT_RPS/);
  });
});
