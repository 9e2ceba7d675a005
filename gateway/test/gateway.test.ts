import { Authenticator, createLogger, createSubgraph, DateScalar, type BaseRequestContext, type RunningServer } from '@rcsc/service-kit';
import { composeSupergraph } from '../src/compose';
import { createGateway, introspectionFromEnv } from '../src/server';
import { getIntrospectionQuery } from 'graphql';

const log = createLogger('test', 'silent');

/** A tiny subgraph that reports the headers the gateway forwarded to it. */
function echoSubgraph() {
  return createSubgraph<BaseRequestContext & { auth: string | null; rid: string }>({
    name: 'echo',
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      scalar Date
      type Query { whoami: Echo! node: Node! day(on: Date!): String! }
      type Echo { authorization: String requestId: String! }
      type Node { id: ID! children(first: Int): [Node!]! parent: Node }
    `,
    resolvers: {
      Query: {
        whoami: (_: unknown, __: unknown, ctx: { auth: string | null; rid: string }) => ({ authorization: ctx.auth, requestId: ctx.rid }),
        node: () => ({ id: 'root' }),
        day: (_: unknown, { on }: { on: Date }) => on.toISOString().slice(0, 10),
      },
      Date: DateScalar,
      Node: { children: () => [{ id: 'c' }], parent: () => ({ id: 'p' }) },
    },
    log,
    context: (base) => ({ ...base, auth: base.viewer.token ? `Bearer ${base.viewer.token}` : null, rid: base.requestId }),
  });
}

describe('gateway', () => {
  let sub: RunningServer;
  let gw: RunningServer;
  let token: string;

  beforeAll(async () => {
    token = await Authenticator.fromEnv().sign({ sub: 'u1', roles: ['VIEWER'] });
    const echo = echoSubgraph();
    sub = await echo.listen(0);
    const supergraphSdl = composeSupergraph([{ name: echo.name, url: sub.url, typeDefs: echo.typeDefs }]);
    gw = await createGateway({ supergraphSdl, log }).listen(0);
  });
  afterAll(async () => {
    await gw.close();
    await sub.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('forwards the Authorization header and the request id to subgraphs', async () => {
    const res = await post(
      { query: '{ whoami { authorization requestId } }' },
      { authorization: `Bearer ${token}`, 'x-request-id': 'req-42' },
    );
    expect(res.headers.get('x-request-id')).toBe('req-42');
    expect(await res.json()).toEqual({ data: { whoami: { authorization: `Bearer ${token}`, requestId: 'req-42' } } });
  });

  it('answers anonymous and forged requests with 401 UNAUTHENTICATED, at the gateway and at subgraphs', async () => {
    for (const url of [gw.url, sub.url]) {
      const anonymous = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ whoami { requestId } }' }),
      });
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const forged = await new Authenticator({ secret: 'x'.repeat(40), issuer: 'rcsc', audience: 'rcsc-graph' }).sign({
        sub: 'evil',
        roles: ['ADMIN'],
      });
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
        body: JSON.stringify({ query: '{ whoami { requestId } }' }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).errors[0].message).toBe('The bearer token is invalid');
    }
  });

  it('answers health and readiness', async () => {
    const base = gw.url.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // Ready names the subgraphs it checked (issue 18).
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({ status: 'ready', checks: { echo: 'ok' } });
  });

  it('serves the explorer and its assets from local packages, not a CDN', async () => {
    const base = gw.url.replace('/graphql', '');
    const page = await (await fetch(`${base}/explorer`)).text();
    expect(page).toContain('/explorer/graphiql.js');
    expect(page).not.toMatch(/https?:\/\/(?!localhost)/);
    const js = await fetch(`${base}/explorer/graphiql.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    const html = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(await html.text()).toContain('GraphiQL');
  });

  it('refuses malformed bodies with 400 and a clear message, never 5xx', async () => {
    const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('Malformed JSON');
    const big = await post(
      { query: `{ whoami { requestId } }`, padding: 'x'.repeat(2 * 1024 * 1024) },
      { authorization: `Bearer ${token}` },
    );
    expect(big.status).toBe(413);
  });

  it('refuses operations past the depth, alias, page-size and cost limits, before calling subgraphs', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const refused = async (query: string, pattern: RegExp) => {
      const res = await post({ query }, auth);
      expect(res.status).toBe(400);
      const body = (await res.json()) as any;
      expect(body.errors[0].message).toMatch(pattern);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toMatch(pattern);
    };
    await refused(`{ node { ${'parent { '.repeat(12)} id ${'} '.repeat(12)} } }`, /depth 14 exceeds the limit of 12/);
    await refused(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: whoami { requestId }`).join(' ')} }`, /31 aliases/);
    await refused(`{ node { children(first: 500) { id } } }`, /first: 500 on children exceeds the page-size limit of 100/);
    await refused(`{ node { children(first: 100) { children(first: 100) { children(first: 100) { id } } } } }`, /cost \d+ exceeds/);
    const ok = await post({ query: `{ node { children(first: 100) { children(first: 100) { id } } } }` }, auth);
    expect(ok.status).toBe(200);
  });

  it('checks the limits per value of a first: variable, though the analysis is remembered per document', async () => {
    const query = `query($n: Int) { node { children(first: $n) { id } } }`;
    const ask = async (n: number | null) => (await post({ query, variables: { n } }, { authorization: `Bearer ${token}` })).status;
    expect(await ask(10)).toBe(200);
    expect(await ask(500)).toBe(400);
    expect(await ask(10)).toBe(200);
    expect(await ask(101)).toBe(400);
    expect(await ask(null)).toBe(200);
  });

  it("checks the limits with a variable's default value when the variable is not sent (issue 17)", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const query = `query Q($n: Int = 100) { node { children(first: $n) { children(first: $n) { children(first: $n) { id } } } } }`;
    const withValue = await post({ query, variables: { n: 100 } }, auth);
    expect(withValue.status).toBe(400);
    expect(((await withValue.json()) as any).errors[0].message).toMatch(/cost \d+ exceeds/);
    // The same operation without variables runs with n = 100 too: refused alike.
    const withDefault = await post({ query }, auth);
    expect(withDefault.status).toBe(400);
    expect(((await withDefault.json()) as any).errors[0].message).toMatch(/cost \d+ exceeds/);
    const page = await post({ query: `query($n: Int = 500) { node { children(first: $n) { id } } }` }, auth);
    expect(((await page.json()) as any).errors[0].message).toMatch(/first: 500 on children exceeds/);
    // An explicit null is not the default: the subgraph's own page size applies.
    expect((await post({ query, variables: { n: null } }, auth)).status).toBe(200);
    expect((await post({ query, variables: { n: 10 } }, auth)).status).toBe(200);
  });

  it('counts introspection in depth and cost: the standard query runs, deeper or multiplying ones are refused (issue 17)', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const standard = await post(
      {
        query: getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          inputValueDeprecation: true,
        }),
      },
      auth,
    );
    expect(standard.status).toBe(200);
    expect(((await standard.json()) as any).data.__schema.queryType.name).toBe('Query');
    // Depth 23 through a chain of ofType: answered until now.
    const deep = await post({ query: `{ __type(name: "Query") { ${'ofType { '.repeat(21)} name ${'} '.repeat(21)} } }` }, auth);
    expect(deep.status).toBe(400);
    const body = (await deep.json()) as any;
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/Introspection depth 23 exceeds the limit of 15/);
    // Not deep, but every level a list (graphql-js itself refuses three nested `fields`).
    const cyclic = `{ __schema { types { fields { type { fields { args { type { enumValues { name } ofType { enumValues { name } } } } } } } } } }`;
    const wide = await post({ query: cyclic }, auth);
    expect(wide.status).toBe(400);
    expect(((await wide.json()) as any).errors[0].message).toMatch(/introspection cost \d+ exceeds/);
  });

  it('leaves introspection on unless configured off or in production', () => {
    expect(introspectionFromEnv({})).toBe(true);
    expect(introspectionFromEnv({ NODE_ENV: 'production' })).toBe(false);
    expect(introspectionFromEnv({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' })).toBe(true);
    expect(introspectionFromEnv({ GRAPHQL_INTROSPECTION: 'false' })).toBe(false);
  });

  it('applies the limits in a subgraph reached directly, and shows no landing page there (issue 17)', async () => {
    const direct = (query: string) =>
      fetch(sub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
    const deep = await direct(`{ node { ${'parent { '.repeat(14)} id ${'} '.repeat(14)} } }`);
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as any).errors[0].message).toMatch(/depth 16 exceeds the limit of 13/);
    const aliased = await direct(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: whoami { requestId }`).join(' ')} }`);
    expect(aliased.status).toBe(400);
    expect(((await aliased.json()) as any).errors[0].message).toMatch(/31 aliases exceed the limit of 30/);
    const introspection = await direct(`{ __type(name: "Query") { ${'ofType { '.repeat(21)} name ${'} '.repeat(21)} } }`);
    expect(introspection.status).toBe(400);
    // Anonymous browsers and scanners: a plain 404 in JSON, no page naming the server or loading scripts.
    for (const accept of ['text/html', 'application/json', '*/*']) {
      const page = await fetch(sub.url, { headers: { accept } });
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/application\/json/);
      const text = await page.text();
      expect(text).not.toMatch(/<script|apollo|cdn/i);
    }
    expect((await fetch(sub.url.replace('/graphql', '/'), { headers: { accept: 'text/html' } })).status).toBe(404);
  });

  it('answers client mistakes as such: a bad Date literal, a missing or unknown operation name (issue 16 item 4)', async () => {
    const auth = { authorization: `Bearer ${token}` };
    expect(await (await post({ query: '{ day(on: "2021-06-30") }' }, auth)).json()).toEqual({ data: { day: '2021-06-30' } });
    const date = await post({ query: '{ day(on: "2021-13-45") }' }, auth);
    expect(date.status).toBe(400);
    const dateError = ((await date.json()) as any).errors[0];
    expect(dateError.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(dateError.message).toMatch(/Expected value of type "Date!", found "2021-13-45"/);
    // In a variable, the subgraph's BAD_USER_INPUT reaches the client too.
    const variable = await post({ query: 'query($d: Date!) { day(on: $d) }', variables: { d: '2021-13-45' } }, auth);
    expect(((await variable.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const two = await post({ query: 'query A { day(on: "2021-06-30") } query B { whoami { requestId } }' }, auth);
    expect(two.status).toBe(400);
    expect(((await two.json()) as any).errors[0]).toMatchObject({
      message: 'Must provide operation name if query contains multiple operations',
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
    });
    const unknown = await post({ query: 'query A { whoami { requestId } }', operationName: 'Z' }, auth);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).errors[0].message).toBe('Unknown operation named "Z"');
    expect(
      (await post({ query: 'query A { day(on: "2021-06-30") } query B { whoami { requestId } }', operationName: 'A' }, auth)).status,
    ).toBe(200);
    // A subscription (the supergraph has none) reached the query planner, which threw: a 500.
    const subscription = await post({ query: 'subscription { day }' }, auth);
    expect(subscription.status).toBe(400);
    expect(((await subscription.json()) as any).errors[0]).toMatchObject({
      message: 'This API has no subscription operations',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('prevents CSRF: a simple GET without a preflight header is refused', async () => {
    const res = await fetch(`${gw.url}?query=${encodeURIComponent('{ whoami { requestId } }')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
  });

  it('turns introspection and the explorer off when configured', async () => {
    const echo = echoSubgraph();
    const supergraphSdl = composeSupergraph([{ name: echo.name, url: sub.url, typeDefs: echo.typeDefs }]);
    const closed = await createGateway({ supergraphSdl, log, introspection: false }).listen(0);
    try {
      const res = await fetch(closed.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
      });
      expect(JSON.stringify(await res.json())).toMatch(/introspection is not allowed/i);
      expect((await fetch(closed.url.replace('/graphql', '/explorer'))).status).toBe(404);
    } finally {
      await closed.close();
    }
  });

  it('fails composition with the problem named', () => {
    expect(() =>
      composeSupergraph([
        { name: 'a', url: 'http://a', typeDefs: 'type Query { x: Int }' },
        { name: 'b', url: 'http://b', typeDefs: 'type Query { x: String }' },
      ]),
    ).toThrow(/Supergraph composition failed:[\s\S]*x/);
  });
});
