import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dedupingFetcher, keepAliveFetcher, retryingFetcher } from '../src/fetcher';

describe('the subgraph fetcher', () => {
  let calls = 0;
  const server = http.createServer((req, res) => {
    calls++;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () =>
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { echo: body.length, n: calls } }));
      }, 50),
    );
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (f: ReturnType<typeof dedupingFetcher>, query: string, auth = 'Bearer a') =>
    f(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ query }) });

  it('sends identical concurrent queries once, and each caller gets its own readable answer', async () => {
    const f = dedupingFetcher(keepAliveFetcher());
    calls = 0;
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(f, '{ a }')));
    expect(calls).toBe(1);
    expect(f.merged()).toBe(4);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(f.inFlight()).toBe(0);
  });

  it('never merges mutations, different tokens, or requests that are not concurrent', async () => {
    const f = dedupingFetcher(keepAliveFetcher());
    calls = 0;
    await Promise.all([post(f, 'mutation { m }'), post(f, 'mutation { m }')]);
    expect(calls).toBe(2);
    await Promise.all([post(f, '{ a }', 'Bearer a'), post(f, '{ a }', 'Bearer b')]);
    expect(calls).toBe(4);
    await post(f, '{ a }');
    await post(f, '{ a }');
    expect(calls).toBe(6);
  });

  it('never merges a request made after a write to its subgraph with one sent before it', async () => {
    let epoch = 0;
    const f = dedupingFetcher(keepAliveFetcher(), (u) => (u === url ? epoch : 0));
    calls = 0;
    const before = post(f, '{ a }');
    epoch++; // a mutation through the gateway changed this subgraph's data
    const after = post(f, '{ a }');
    const again = post(f, '{ a }');
    await Promise.all([before, after, again]);
    expect(calls).toBe(2);
    expect(f.merged()).toBe(1);
  });
});

describe('retries of subgraph requests no replica answered (issue 23)', () => {
  // A load balancer whose replicas fail `failures` times (502, or the connection cut), then answer.
  let failures = 0;
  let mode: '502' | 'cut' = '502';
  let calls = 0;
  const server = http.createServer((req, res) => {
    calls++;
    req.resume();
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        if (mode === 'cut') return req.socket.destroy();
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html>502 Bad Gateway</html>');
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { ok: true } }));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const send = (f: ReturnType<typeof retryingFetcher>, query: string, headers: Record<string, string> = {}) =>
    f(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it.each(['502', 'cut'] as const)('retries a query until a replica answers (%s)', async (how) => {
    const f = retryingFetcher(keepAliveFetcher(), [1, 1, 1]);
    mode = how;
    failures = 2;
    calls = 0;
    const res = await send(f, '{ a }');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { ok: true } });
    expect([calls, f.retries()]).toEqual([3, 2]);
  });

  it('retries a mutation only when it carries an Idempotency-Key', async () => {
    const f = retryingFetcher(keepAliveFetcher(), [1, 1, 1]);
    mode = '502';
    failures = 1;
    calls = 0;
    expect((await send(f, 'mutation { a }')).status).toBe(502);
    expect(calls).toBe(1);
    failures = 1;
    calls = 0;
    expect((await send(f, 'mutation { a }', { 'idempotency-key': 'k1' })).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('gives up after its last delay, answering what the load balancer said', async () => {
    const f = retryingFetcher(keepAliveFetcher(), [1, 1]);
    mode = '502';
    failures = 5;
    calls = 0;
    expect((await send(f, '{ a }')).status).toBe(502);
    expect(calls).toBe(3);
    failures = 0;
  });
});
