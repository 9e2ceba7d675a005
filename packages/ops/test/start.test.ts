// npm start's supervisor, end to end (issue 18): one stack with the small dataset in a temporary
// data dir, on free ports. The tests run in order and share it; the last one stops it with Ctrl-C.
import { spawnSync } from 'node:child_process';
import { nationalId } from '@rcsc/dataset';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findChromium, inChromium, isAlive, run, sleep, startStack, type Stack } from './helpers';

let stack: Stack;

/**
 * A front end on another loopback origin: serves /page.html, which calls the gateway from the
 * browser and POSTs what happened to /result.
 */
const results: ((r: unknown) => void)[] = [];
const page = http.createServer((req, res) => {
  if (req.url?.startsWith('/result')) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      results.shift()?.(JSON.parse(body));
      res.end('ok');
    });
    return;
  }
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><meta charset="utf-8"><script>
    const report = (r) => fetch('/result', { method: 'POST', body: JSON.stringify(r) });
    fetch(${JSON.stringify(q.get('gateway'))}, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + ${JSON.stringify(q.get('token'))} },
      body: JSON.stringify({ query: '{ organizations(first: 2) { totalCount nodes { name } } }' }),
    })
      .then((r) => r.json())
      .then((body) => report({ ok: true, origin: location.origin, body }), (e) => report({ ok: false, origin: location.origin, error: String(e) }));
  </script>`);
});
let pageOrigin = '';

beforeAll(async () => {
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  stack = await startStack({ CORS_ORIGINS: pageOrigin });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => page.close(r));
});

const FIGURES = `query($id: ID!) { organization(id: $id) {
  survey(asOf: "2021-12-31") { countiesRationalized grassrootsUnits adultMembers youthMembers groupMembers registeredVolunteers serviceHours }
  annualIncrease(year: 2021) { adultMembers youthMembers groupMembers registeredVolunteers countiesRationalized } } }`;

async function nationalFigures(): Promise<unknown> {
  const r = await stack.query(FIGURES, { id: nationalId() });
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
}

describe('/ready', () => {
  test('the gateway is ready and names each subgraph it checked; a subgraph names its database', async () => {
    const gw = await fetch(`http://127.0.0.1:${stack.base}/ready`);
    const body = (await gw.json()) as { status: string; checks: Record<string, string> };
    expect(gw.status).toBe(200);
    expect(body.checks).toEqual({ organizations: 'ok', grassroots: 'ok', people: 'ok', training: 'ok', reporting: 'ok' });
    const sub = await fetch(`http://127.0.0.1:${stack.base + 3}/ready`);
    expect(sub.status).toBe(200);
    expect(await sub.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });
});

describe('/metrics', () => {
  test('the gateway and each subgraph publish requests per operation, subgraph calls, errors by code, cache, db latency, event-loop lag', async () => {
    const q = `query OpsMetricsProbe { organizations(first: 2) { nodes { name } } }`;
    await stack.query(q);
    await stack.query(q);
    await stack.query(`query OpsBad { nope }`);
    const gw = await (await fetch(`http://127.0.0.1:${stack.base}/metrics`)).text();
    expect(gw).toMatch(/rcsc_graphql_operations_total\{service="gateway",operation="OpsMetricsProbe",type="query"\} 2/);
    expect(gw).toMatch(/rcsc_graphql_operation_duration_seconds_count\{service="gateway",operation="OpsMetricsProbe"\} 2/);
    expect(gw).toMatch(/rcsc_graphql_errors_total\{service="gateway",code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/);
    expect(gw).toMatch(/rcsc_subgraph_requests_total\{subgraph="organizations",status="200"\} [1-9]/);
    expect(gw).toMatch(/rcsc_response_cache_total\{service="gateway",result="(hit|miss)"\} [1-9]/);
    expect(gw).toMatch(/nodejs_eventloop_lag_seconds \d/);
    const sub = await (await fetch(`http://127.0.0.1:${stack.base + 1}/metrics`)).text();
    expect(sub).toMatch(/rcsc_db_command_duration_seconds_count\{service="organizations",command="find",outcome="ok"\} [1-9]/);
    expect(sub).toMatch(/rcsc_http_requests_total\{service="organizations",route="\/graphql",status="200"\} [1-9]/);
  });
});

describe('CORS (CORS_ORIGINS: the page origin)', () => {
  test('a preflight from an allowed origin is answered with its Access-Control-* headers', async () => {
    const res = await fetch(stack.gateway, {
      method: 'OPTIONS',
      headers: {
        origin: pageOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(pageOrigin);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  test('another origin gets no Access-Control-Allow-Origin', async () => {
    const res = await fetch(stack.gateway, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

const chromium = findChromium();
// CI installs no browser unless told to: say so instead of passing silently.
const inBrowser = chromium ? test : test.skip;
describe(`a page on another loopback origin, in headless Chromium${chromium ? '' : ' (SKIPPED: chromium is not installed; apt-get install -y chromium)'}`, () => {
  const open = async (origin: string) => {
    const result = new Promise((r) => results.push(r));
    const q = new URLSearchParams({ gateway: stack.gateway, token: await stack.token() });
    return (await inChromium(chromium!, `${origin}/page.html?${q}`, result)) as { ok: boolean; origin: string; body?: any; error?: string };
  };

  inBrowser('fetches the graph from an allowed origin (preflight answered)', async () => {
    const r = await open(pageOrigin);
    expect(r).toMatchObject({ ok: true, origin: pageOrigin });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.organizations.totalCount).toBeGreaterThan(0);
  });

  inBrowser('is refused by the browser from an origin not on the list', async () => {
    const other = pageOrigin.replace('127.0.0.1', 'localhost');
    const r = await open(other);
    expect(r).toMatchObject({ ok: false, origin: other, error: 'TypeError: Failed to fetch' });
  });
});

describe('npm run soak', () => {
  test('--read-only writes nothing; the default mode writes to a test branch dated today, dissolved at the end; the 2021 annex figures stay the same', async () => {
    const before = await nationalFigures();
    const soak = (args: string[]) =>
      run(process.execPath, ['scripts/soak.mjs', '--url', stack.gateway, '--workers', '2', ...args], stack.env, 120_000);
    const ro = soak(['--seconds', '3', '--read-only']);
    expect(ro.stderr).toBe('');
    expect(ro.stdout).toMatch(/read-only/);
    expect(ro.stdout).not.toMatch(/register member/);
    expect(ro.code).toBe(0);

    const rw = soak(['--seconds', '4']);
    expect(rw.code).toBe(0);
    const branch = /writes to the test branch .* \((\w+)\)/.exec(rw.stdout)?.[1];
    expect(branch).toBeDefined();
    const written = Number(/(\d+) members withdrawn and the branch dissolved/.exec(rw.stdout)?.[1]);
    expect(written).toBeGreaterThan(0);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const b = await stack.query(
      `query($id: ID!) { organization(id: $id) { establishedOn dissolvedOn members(first: 1) { totalCount } } }`,
      {
        id: branch,
      },
    );
    expect(b.body.data.organization).toMatchObject({ establishedOn: today, dissolvedOn: today });
    expect(await nationalFigures()).toEqual(before);
  });
});

describe('supervisor', () => {
  test('kill -9 of a subgraph under load: it is restarted and the stack answers again within 30 s; the others keep their pids', async () => {
    const before = stack.pids();
    expect(Object.keys(before).sort()).toEqual(['database', 'gateway', 'grassroots', 'organizations', 'people', 'reporting', 'training']);
    const q = `{ organizations(first: 3) { nodes { name members(first: 1) { totalCount } } } }`;
    let load = true;
    const answers: boolean[] = [];
    const loader = (async () => {
      while (load) {
        const r = await stack.query(q).catch(() => null);
        answers.push(Boolean(r && r.status === 200 && !r.body.errors));
        await sleep(100);
      }
    })();
    await sleep(500);
    process.kill(before.people, 'SIGKILL');
    const killedAt = Date.now();
    // While it is down the gateway says which subgraph is missing.
    let missing: string[] | undefined;
    while (!missing && Date.now() - killedAt < 5000) {
      const r = await fetch(`http://127.0.0.1:${stack.base}/ready`);
      if (r.status === 503) missing = ((await r.json()) as { missing: string[] }).missing;
    }
    expect(missing).toEqual(['people']);
    await stack.waitFor(/\[start\] people exited unexpectedly \(SIGKILL\); restart 1/, 5000);
    await stack.waitFor(/\[start\] people is back/, 30_000);
    let ok = false;
    while (!ok && Date.now() - killedAt < 30_000) {
      const r = await stack.query(q);
      ok = r.status === 200 && !r.body.errors;
      if (!ok) await sleep(250);
    }
    load = false;
    await loader;
    expect(ok).toBe(true);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(answers.filter(Boolean).length).toBeGreaterThan(0);
    const after = stack.pids();
    expect(after.people).not.toBe(before.people);
    expect(isAlive(after.people)).toBe(true);
    for (const name of ['database', 'gateway', 'organizations', 'grassroots', 'training', 'reporting']) {
      expect([name, after[name]]).toEqual([name, before[name]]);
      expect([name, isAlive(before[name])]).toEqual([name, true]);
    }
  });

  test('Ctrl-C (SIGINT to the process group) stops everything within 10 s', async () => {
    const pids = Object.values(stack.pids());
    const started = Date.now();
    process.kill(-stack.proc.pid!, 'SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 15_000)));
    const exit = await Promise.race([stack.exited, timeout]);
    clearTimeout(timer);
    const took = Date.now() - started;
    expect(exit).not.toBe('timeout');
    expect(took).toBeLessThan(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    // No child left behind.
    const left = spawnSync('ps', ['-o', 'pid=', '-g', String(stack.proc.pid)], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('');
    for (const pid of pids) expect([pid, isAlive(pid)]).toEqual([pid, false]);
  });

  test('the database dying stops the stack with exit code 1, saying why, and leaves no child behind', async () => {
    const again = await startStack({}, { dir: stack.dir });
    try {
      const pids = again.pids();
      expect(Object.keys(pids)).toHaveLength(7);
      process.kill(pids.database, 'SIGKILL');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 15_000)));
      const exit = await Promise.race([again.exited, timeout]);
      clearTimeout(timer);
      expect(exit).toEqual({ code: 1, signal: null });
      expect(again.output()).toMatch(/\[start\] the embedded database exited \(SIGKILL\): stopping/);
      await sleep(200);
      for (const pid of Object.values(pids)) expect([pid, isAlive(pid)]).toEqual([pid, false]);
    } finally {
      await again.stop();
    }
  });

  test('SIGTERM to the supervisor alone (as a service manager sends it) stops every child within 10 s; a second start reuses the data dir', async () => {
    const again = await startStack({}, { dir: stack.dir });
    try {
      expect(again.output()).not.toMatch(/loading the/);
      const pids = Object.values(again.pids());
      expect(pids).toHaveLength(7); // the database, the five subgraphs and the gateway
      const started = Date.now();
      again.proc.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 15_000)));
      const exit = await Promise.race([again.exited, timeout]);
      clearTimeout(timer);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(10_000);
      await sleep(200);
      for (const pid of pids) expect([pid, isAlive(pid)]).toEqual([pid, false]);
    } finally {
      await again.stop();
    }
  });
});
