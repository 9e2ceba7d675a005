import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { context as otelContext } from '@opentelemetry/api';
import type { Logger } from './logger';
import { endServerSpan, startServerSpan } from './tracing';
import { collectProcessMetrics, metrics, metricsPlugin, metricsRegistry } from './metrics';

/** Default largest request body accepted; larger ones get 413 before any parsing (BODY_LIMIT_BYTES). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A readiness check: resolves when the dependency answers, rejects (or times out) with the reason otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

/** How long one readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2000;

/** Runs every check in parallel; the answer of GET /ready. */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
): Promise<{ ready: boolean; checks: Record<string, string>; missing: string[] }> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'ok'] as const;
      } catch (err) {
        return [name, (err as Error).message || 'failed'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const missing = results.filter(([, r]) => r !== 'ok').map(([n]) => n);
  return { ready: missing.length === 0, checks: Object.fromEntries(results), missing };
}

export type Route = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface ServeOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  context: (req: IncomingMessage, requestId: string) => Promise<C>;
  log: Logger;
  port: number;
  host?: string;
  /** Extra routes tried before GraphQL (health, explorer page, …); return true when handled. */
  routes?: Route[];
  /** Readiness: /ready answers 200 only while this returns true. */
  ready?: () => boolean | Promise<boolean>;
  /** Named readiness checks (the database, each subgraph…): /ready answers 503 naming those that fail. */
  checks?: Record<string, ReadinessCheck> | (() => Record<string, ReadinessCheck>);
  /** Largest request body in bytes (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /**
   * On close, how long to go on serving while /ready answers 503 (default 0): a load balancer
   * that probes readiness stops sending meanwhile. Closing the listener resets every connection
   * still in its accept queue, and a POST already sent on one cannot be passed on (a 502).
   */
  shutdownDelayMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  /** Not ready for shutdownDelayMs while still serving, then stops accepting, lets in-flight requests finish, and stops Apollo. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) return reject(new HttpError(413, `Request body larger than ${max} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new HttpError(413, `Request body larger than ${max} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType?.includes('application/json') || contentType?.includes('application/graphql-response+json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, `Malformed JSON body: ${(e as Error).message}`);
    }
  }
  return text;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The route label of a request in the metrics: known paths only, so scans cannot grow the series. */
const KNOWN_ROUTES = new Set([
  '/',
  '/graphql',
  '/health',
  '/ready',
  '/metrics',
  '/explorer',
  '/export',
  '/changes',
  '/imports/members',
  '/imports/volunteers',
  '/imports/grassroots-units',
  '/imports/boai-homes',
  '/imports/branches',
]);

const UNTRACED = new Set(['/health', '/ready', '/metrics', '/changes']);

/** The service name in metrics: the logger's `service` binding. */
function serviceOf(log: Logger): string {
  const bindings = log.bindings() as { service?: string };
  return bindings.service ?? 'unknown';
}

/** GET /ready: the named checks (and `ready`), 503 with the failing ones named. */
async function readiness(opts: Pick<ServeOptions<BaseContext>, 'ready' | 'checks'>, closing: boolean) {
  if (closing) return { status: 503, body: { status: 'not ready', reason: 'stopping' } };
  const result = await runReadinessChecks((typeof opts.checks === 'function' ? opts.checks() : opts.checks) ?? {});
  if (opts.ready && !(await opts.ready())) result.missing.push('self');
  const ok = result.missing.length === 0;
  return {
    status: ok ? 200 : 503,
    body: { status: ok ? 'ready' : 'not ready', ...(ok ? {} : { missing: result.missing }), checks: result.checks },
  };
}

/**
 * Serves an ApolloServer on plain node:http (the documented executeHTTPGraphQLRequest
 * integration), with /health, /ready, /metrics, a body size limit, a request id and graceful close.
 */
export async function serveApollo<C extends BaseContext>(opts: ServeOptions<C>): Promise<RunningServer> {
  const { apollo, log } = opts;
  const routes = opts.routes ?? [];
  const service = serviceOf(log);
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  collectProcessMetrics();
  try {
    apollo.addPlugin(metricsPlugin(service));
  } catch {
    /* already started (a test ran operations first): no operation metrics for it */
  }
  let closing = false;
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = req.headers['x-request-id'] as string; // set (checked or new) by the server below
    res.setHeader('x-request-id', requestId);
    // Stopping: a kept-alive client opens its next connection elsewhere.
    if (closing) res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0];
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = res.statusCode === 404 || !KNOWN_ROUTES.has(path) ? 'other' : path;
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ service, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ service, route }, s);
      const cache = res.getHeader('x-cache');
      if (typeof cache === 'string') metrics.responseCache.inc({ service, result: cache });
      if (path === '/health' || path === '/ready' || path === '/metrics') return;
      log.info({ requestId, method: req.method, path, status: res.statusCode, ms: Math.round(s * 1e4) / 10 }, 'request');
    });
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      const r = await readiness(opts as never, closing);
      return sendJson(res, r.status, r.body);
    }
    if (path === '/metrics' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': metricsRegistry.contentType });
      res.end(await metricsRegistry.metrics());
      return;
    }
    try {
      for (const route of routes) if (await route(req, res)) return;
    } catch (e) {
      log.error({ err: e, requestId }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
      return;
    }
    if (path !== '/graphql' && path !== '/') return sendJson(res, 404, { error: `No route for ${path}` });
    try {
      const body = parseBody(await readBody(req, maxBody), req.headers['content-type']);
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: new URL(req.url ?? '/', 'http://x').search, body },
        context: () => opts.context(req, requestId),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') res.end(result.body.string);
      else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (e) {
      if (e instanceof HttpError) {
        // The body may be left unread (too large): close the connection rather than reuse it.
        res.setHeader('connection', 'close');
        return sendJson(res, e.status, { errors: [{ message: e.message, extensions: { code: 'BAD_REQUEST' } }] });
      }
      log.error({ err: e, requestId }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  };
  // A request's access line and its errors carry its id (the context's requestId). The
  // gateway's id crosses to the subgraphs, so one request can be followed in every log.
  const server = http.createServer((req, res) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    req.headers['x-request-id'] = requestId;
    const path = (req.url ?? '/').split('?')[0];
    // With tracing on, a server span per request, child of the caller's traceparent; not for
    // probes, scrapes and the gateways' /changes streams (open for hours: a span would never end).
    const traced = UNTRACED.has(path) ? null : startServerSpan(service, req.method ?? 'GET', path, req.headers);
    if (!traced) return void handler(req, res);
    traced.span.setAttribute('rcsc.request_id', requestId);
    res.once('close', () => endServerSpan(traced.span, res.statusCode));
    otelContext.with(traced.context, () => void handler(req, res));
  });
  server.keepAliveTimeout = 65_000; // longer than the gateway's pooled-connection idle time
  await apollo.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    url,
    port,
    server,
    async close() {
      closing = true;
      if (opts.shutdownDelayMs) {
        log.info({ ms: opts.shutdownDelayMs }, 'not ready: serving until the load balancer stops sending');
        await new Promise((r) => setTimeout(r, opts.shutdownDelayMs));
      }
      // Let in-flight requests finish; connections still busy after the grace period are cut.
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearTimeout(force);
      await apollo.stop();
    },
  };
}

/** Closes `running` on SIGINT/SIGTERM, then runs `after` (e.g. disconnect the database) and exits. */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: draining in-flight requests');
    stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handle);
  process.once('SIGTERM', handle);
}
