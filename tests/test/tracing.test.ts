import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing, traceDatabaseCommands, type Tracing } from '@rcsc/service-kit';
import { captureLogs, type CapturedLogs } from '@rcsc/testing';
import { startFullStack, type FullStack } from './stack';

// Issue 18: one trace from the gateway through a subgraph to its database, exported over
// OTLP/HTTP to a receiver run here (JSON, as @opentelemetry/exporter-trace-otlp-http sends it).
// The exporter loads node:http with a dynamic import(), which jest allows only under
// --experimental-vm-modules: this workspace's `npm test` runs jest with it.

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}
interface ReceivedSpan extends OtlpSpan {
  scope: string;
  service: string;
}
interface OtlpExport {
  resourceSpans: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { scope?: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes?.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

/** A tiny OTLP/HTTP receiver: POST /v1/traces with a JSON body, every span kept. */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const rs of body.resourceSpans) {
        const service = String(rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue);
        for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, scope: ss.scope?.name ?? '', service });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('OpenTelemetry traces (issue 18)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let tracing: Tracing | null;
  let stack: FullStack;
  let logs: CapturedLogs;
  const saved = { ...process.env };

  beforeAll(async () => {
    receiver = await startReceiver();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    logs = captureLogs();
    tracing = await startTracing('tests');
    stack = await startFullStack({ seed: false });
    // What boot does for every subgraph: a span per database command.
    for (const name of ['organizations', 'grassroots', 'people', 'training', 'reporting'])
      traceDatabaseCommands(name, stack.service(name).db.connection.getClient());
  });
  afterAll(async () => {
    await stack?.stop();
    await tracing?.shutdown();
    await receiver?.close();
    logs?.stop();
    process.env = saved;
  });

  it('exports one trace covering the gateway, a subgraph and a database command, linked by trace id; logs carry it', async () => {
    expect(tracing).not.toBeNull();
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}`, 'x-request-id': 'trace-test-1' },
      body: JSON.stringify({ query: '{ organizations(first: 2) { totalCount nodes { id name } } }' }),
    });
    expect(res.status).toBe(200);
    await tracing!.flush();
    expect(receiver.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);

    // The gateway's server span for this request (our own, with the request id) roots the trace.
    const root = receiver.spans.find((s) => s.scope === 'gateway' && attr(s, 'rcsc.request_id') === 'trace-test-1');
    expect(root).toMatchObject({ name: 'POST /graphql', kind: 2 });
    expect(root!.parentSpanId || undefined).toBeUndefined();
    const trace = receiver.spans.filter((s) => s.traceId === root!.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const ancestors = (s: ReceivedSpan): ReceivedSpan[] => {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    // @apollo/gateway's own spans, and one fetch per subgraph request.
    expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.fetch']));
    const fetchSpan = trace.find((s) => s.name === 'gateway.fetch' && attr(s, 'service') === 'organizations');
    expect(fetchSpan).toBeDefined();
    // The subgraph's server span is a child of that fetch: the traceparent crossed over HTTP.
    const subgraph = trace.find((s) => s.scope === 'organizations' && s.kind === 2);
    expect(subgraph?.parentSpanId).toBe(fetchSpan!.spanId);
    // A database command span under the subgraph's request.
    const db = trace.filter((s) => s.scope === 'organizations-mongodb');
    expect(db.length).toBeGreaterThan(0);
    expect(db.map((s) => attr(s, 'db.system'))).toContain('mongodb');
    expect(db.map((s) => attr(s, 'db.operation.name'))).toEqual(expect.arrayContaining(['find']));
    for (const s of db) expect(ancestors(s)).toContain(subgraph);
    expect(ancestors(subgraph!)).toContain(root);

    // Every log line of the request, in the gateway and in the subgraph, names it and its trace.
    const mine = logs.lines.filter((l) => l.requestId === 'trace-test-1');
    expect(new Set(mine.map((l) => l.service))).toEqual(new Set(['gateway', 'organizations']));
    for (const l of mine) expect(l.traceId).toBe(root!.traceId);
  });

  it('starts a new trace per request, and continues a caller’s traceparent', async () => {
    const before = receiver.spans.length;
    const parentTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await stack.token()}`,
        traceparent: `00-${parentTrace}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ query: '{ instructors(first: 1) { totalCount } }' }),
    });
    expect(res.status).toBe(200);
    await tracing!.flush();
    const spans = receiver.spans.slice(before);
    expect(spans.find((s) => s.scope === 'gateway')).toMatchObject({ traceId: parentTrace, parentSpanId: '00f067aa0ba902b7' });
    expect(spans.filter((s) => s.scope === 'training-mongodb').every((s) => s.traceId === parentTrace)).toBe(true);
    expect(spans.some((s) => s.scope === 'training-mongodb')).toBe(true);
  });
});
