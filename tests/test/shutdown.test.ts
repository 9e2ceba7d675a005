import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmbeddedMongo } from '@rcsc/embedded-mongo';
import { Authenticator } from '@rcsc/service-kit';

// A subgraph process as deployed (boot, built dist) with tracing on: SIGTERM must run its own
// shutdown (drain, close the database, flush the spans) and exit 0. Apollo Server's default
// signal handler stopped the server and re-sent SIGTERM, killing the process before any of it.

const ROOT = join(__dirname, '..', '..');

describe('a subgraph process on SIGTERM (issue 18)', () => {
  it('exits 0 after its own shutdown, having exported its spans', async () => {
    const spans: { scope: string; name: string; traceId: string; parentSpanId?: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const parsed = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { scope: { name: string }; spans: { name: string; traceId: string; parentSpanId?: string }[] }[] }[];
        };
        for (const rs of parsed.resourceSpans)
          for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, scope: ss.scope.name });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const mongo = await startEmbeddedMongo({});
    const secret = 'k'.repeat(44);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AUTH_JWT_SECRET: secret,
      MONGODB_URI: mongo.uri,
      PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    };
    delete env.JEST_WORKER_ID;
    delete env.NODE_OPTIONS;
    delete env.NODE_ENV; // jest's "test" turns Apollo's own signal handling off; deployed processes have it
    const child = spawn(process.execPath, [join(ROOT, 'services/organizations/dist/index.js')], { cwd: ROOT, env });
    try {
      const lines: string[] = [];
      child.stdout.on('data', (d: Buffer) => lines.push(...d.toString('utf8').split('\n').filter(Boolean)));
      child.stderr.on('data', (d: Buffer) => lines.push(d.toString('utf8')));
      const exited = new Promise<[number | null, string | null]>((resolve) =>
        child.once('exit', (code, signal) => resolve([code, signal])),
      );
      let url: string | undefined;
      for (let i = 0; i < 1200 && !url && child.exitCode === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        url = lines.map((l) => /"url":"([^"]+)".*subgraph ready/.exec(l)?.[1]).find(Boolean);
      }
      expect([url, lines.join('\n').slice(-500)]).toEqual([
        expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/),
        expect.anything(),
      ]);
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const token = await Authenticator.fromEnv({ AUTH_JWT_SECRET: secret }).sign({ sub: 'shutdown-test', roles: ['SERVICE'] });
      const res = await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        body: JSON.stringify({ query: '{ organizations(first: 1) { totalCount } }' }),
      });
      expect(res.status).toBe(200);

      child.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);
      expect(lines.some((l) => l.includes('stopping: draining in-flight requests'))).toBe(true);
      // Batched spans were still waiting: the shutdown sent them.
      const mine = spans.filter((s) => s.traceId === traceId);
      expect(mine.find((s) => s.scope === 'organizations')).toMatchObject({ name: 'POST /graphql', parentSpanId: '00f067aa0ba902b7' });
      expect(mine.some((s) => s.scope === 'organizations-mongodb')).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await mongo.stop();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
