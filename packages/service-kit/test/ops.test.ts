// Issue 18: readiness that checks, /metrics, the request id on its access line and errors, config validated at boot.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  Authenticator,
  createSubgraph,
  prettyLogs,
  readGatewayConfig,
  readSubgraphConfig,
  type BaseRequestContext,
  type Logger,
} from '../src';

function subgraph(log: Logger, resolvers: Record<string, unknown> = {}) {
  return createSubgraph<BaseRequestContext>({
    name: 'probe',
    typeDefs: `type Query { ok: String boom: String }`,
    resolvers: { Query: { ok: () => 'yes', boom: () => Promise.reject(new Error('database went away')), ...resolvers } },
    log,
    context: (base) => base,
  });
}

const silent = pino({ level: 'silent', base: { service: 'probe' } });

describe('/ready', () => {
  it('answers 503 naming each failing check (and why), 200 once they pass', async () => {
    let up = false;
    const running = await subgraph(silent).listen(0, undefined, {
      checks: {
        database: async () => {
          if (!up) throw new Error('connection refused');
        },
        slow: () => new Promise(() => undefined), // never answers: times out
      },
    });
    try {
      const url = running.url.replace('/graphql', '/ready');
      const res = await fetch(url);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'not ready',
        missing: ['database', 'slow'],
        checks: { database: 'connection refused', slow: 'no answer within 2 s' },
      });
      up = true;
      const again = await fetch(url);
      expect(again.status).toBe(503);
      expect(((await again.json()) as { missing: string[] }).missing).toEqual(['slow']);
    } finally {
      await running.close();
    }
  });
});

describe('/metrics and logs', () => {
  it('counts operations and errors by code, and the access line and the errors of a request carry its request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const log = pino(
      {
        level: 'info',
        base: { service: 'probe' },
      },
      sink,
    );
    const running = await subgraph(log).listen(0);
    const token = await Authenticator.fromEnv().sign({ sub: 'u', roles: ['VIEWER'] });
    try {
      const post = (query: string, id: string) =>
        fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': id },
          body: JSON.stringify({ query }),
        });
      await post('query Fine { ok }', 'req-fine');
      await post('query Broken { boom }', 'req-broken');
      const metrics = await (await fetch(running.url.replace('/graphql', '/metrics'))).text();
      expect(metrics).toMatch(/rcsc_graphql_operations_total\{service="probe",operation="Fine",type="query"\} 1/);
      expect(metrics).toMatch(/rcsc_graphql_errors_total\{service="probe",code="INTERNAL_SERVER_ERROR"\} 1/);
      expect(metrics).toMatch(/nodejs_eventloop_lag_seconds/);
      // The resolver's error is logged by formatError: with the id of the request it belongs to.
      const errors = lines.filter((l) => (l.level as number) >= 50);
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e.requestId).toBe('req-broken');
      expect(lines.filter((l) => l.msg === 'request').map((l) => l.requestId)).toEqual(['req-fine', 'req-broken']);
    } finally {
      await running.close();
    }
  });

  it('writes JSON lines to stdout in batches, a quiet line within the flush interval, and every line by exit', async () => {
    const script = `
      const { createLogger } = require(${JSON.stringify(join(__dirname, '../dist/index.js'))});
      const log = createLogger('probe', 'info');
      log.info('quiet');
      process.stdin.once('data', () => {
        for (let i = 0; i < 500; i++) log.info({ i }, 'burst');
        process.exit(0);
      });`;
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json' };
    delete env.JEST_WORKER_ID;
    const child = spawn(process.execPath, ['-e', script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // the one line of a quiet process is out while it still runs (periodic flush, not at exit)
    for (let i = 0; i < 100 && !out.includes('"quiet"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('"msg":"quiet"');
    child.stdin.write('go\n');
    expect(await exited).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.msg === 'burst').map((l) => l.i)).toEqual([...Array(500).keys()]);
  });

  it('logs pretty on a terminal, JSON otherwise, LOG_FORMAT decides when set', () => {
    expect(prettyLogs({}, true)).toBe(true);
    expect(prettyLogs({}, false)).toBe(false);
    expect(prettyLogs({ LOG_FORMAT: 'json' }, true)).toBe(false);
    expect(prettyLogs({ LOG_FORMAT: 'pretty' }, false)).toBe(true);
  });
});

describe('config from the environment', () => {
  const secret = { AUTH_JWT_SECRET: 'x'.repeat(32) };
  it('reads the limits and the CORS origins, with defaults', () => {
    const c = readGatewayConfig({ ...secret, GATEWAY_MAX_DEPTH: '8', CORS_ORIGINS: 'http://localhost:5173, https://app.example.org' });
    expect(c).toMatchObject({ GATEWAY_MAX_DEPTH: 8, GATEWAY_MAX_ALIASES: 30, GATEWAY_MAX_PAGE_SIZE: 100, BODY_LIMIT_BYTES: 1048576 });
    expect(c.corsOrigins).toEqual(['http://localhost:5173', 'https://app.example.org']);
  });

  it('refuses wrong values with one message naming every wrong variable', () => {
    expect(() =>
      readGatewayConfig({ ...secret, GATEWAY_MAX_DEPTH: 'deep', GATEWAY_MAX_PAGE_SIZE: '500', CORS_ORIGINS: 'http://a.example/' }),
    ).toThrow(/GATEWAY_MAX_DEPTH[\s\S]*GATEWAY_MAX_PAGE_SIZE/);
    expect(() => readGatewayConfig({ ...secret, CORS_ORIGINS: 'http://a.example/app' })).toThrow(
      /CORS_ORIGINS: http:\/\/a.example\/app is not an origin/,
    );
    expect(() => readSubgraphConfig({ ...secret, MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
    expect(() => readSubgraphConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET: at least 32 characters/);
    expect(() => readSubgraphConfig({})).toThrow(/AUTH_JWT_SECRET or AUTH_JWKS_URL/);
  });
});
