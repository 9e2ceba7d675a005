import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import type { GraphQLError } from 'graphql';
import {
  IDEMPOTENCY_HEADER,
  IMPORT_MAX_BYTES,
  IMPORT_TYPES_TEXT,
  importFormatOf,
  importRegisterOf,
  injectTraceContext,
  requireAuthenticated,
  sendProblem,
  TREE_VERSION_HEADER,
  type Authenticator,
  type Logger,
  type Route,
} from '@rcsc/service-kit';
import { RateLimiter } from './rate-limit';
import type { WriteEpochs } from './writes';

/** Each register that takes file uploads, and the subgraph that owns (and imports) it. */
export const IMPORT_REGISTERS: Record<string, string> = {
  members: 'people',
  volunteers: 'people',
  'grassroots-units': 'grassroots',
  'boai-homes': 'grassroots',
  'branch-contacts': 'organizations',
};

export interface ImportRouteOptions {
  auth: Authenticator;
  /** Subgraph URLs (…/graphql) by name, as the gateway calls them. */
  urls: Map<string, string>;
  writes: WriteEpochs;
  treeVersion: { value: number };
  rateLimiter?: RateLimiter | null;
  log: Logger;
  /** The largest file (default IMPORT_MAX_BYTES, 40 MB). */
  maxBytes?: number;
}

const MB = (n: number) => `${Math.round(n / 1e5) / 10} MB`;

/**
 * POST /imports/<register>?organizationId=<id> with the file as the body (Content-Type text/csv
 * or the .xlsx type; registers: members, volunteers, grassroots-units, boai-homes): the bearer
 * token is checked as for /graphql, then the file is streamed (never held whole here) to the
 * subgraph that owns the register, with the caller's token, request id and tree version, and
 * its answer passed back: the import's report (rows, created, already registered or existing,
 * and per-row errors by line, column and reason), or `{ errors }` with the status of the
 * refusal. Above the limit (declared or counted while streaming): 413, and the subgraph's
 * transfer is cut, so it writes nothing. The content types are not ones a browser sends
 * cross-site without a preflight, so no other site can make a viewer's browser upload (CSRF).
 */
export function importRoute(opts: ImportRouteOptions): Route {
  const max = opts.maxBytes ?? IMPORT_MAX_BYTES;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const register = importRegisterOf(url.pathname);
    if (register === null) return false;
    const service = IMPORT_REGISTERS[register];
    const refuse = (status: number, message: string, code: string, extra?: Record<string, unknown>) => {
      // A body left unread: the connection is not reused.
      if (!req.readableEnded) res.setHeader('connection', 'close');
      sendProblem(res, status, message, code, extra);
      return true;
    };
    if (!service) return refuse(404, `No import of ${register}: use one of ${Object.keys(IMPORT_REGISTERS).join(', ')}`, 'NOT_FOUND');
    if (req.method !== 'POST') return refuse(405, `Use POST ${url.pathname} with the file as the body`, 'BAD_REQUEST');
    let roles: string[];
    try {
      const { viewer } = await opts.auth.authenticate(req.headers);
      requireAuthenticated(viewer);
      roles = viewer.roles;
    } catch (err) {
      return refuse(401, (err as Error).message, 'UNAUTHENTICATED');
    }
    if (!importFormatOf(req.headers['content-type']))
      return refuse(415, `An import needs ${IMPORT_TYPES_TEXT}; got ${req.headers['content-type'] ?? 'none'}`, 'BAD_REQUEST');
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    if (declared !== null && declared > max)
      return refuse(413, `The file (${MB(declared)}) is larger than ${MB(max)}, the largest import`, 'PAYLOAD_TOO_LARGE');
    try {
      await opts.rateLimiter?.admit(RateLimiter.keyOf(req.headers.authorization, roles));
    } catch (err) {
      const e = err as GraphQLError;
      if (e.extensions?.retryAfter) res.setHeader('retry-after', String(e.extensions.retryAfter));
      return refuse(429, e.message, String(e.extensions?.code ?? 'TOO_MANY_REQUESTS'));
    }
    const base = opts.urls.get(service);
    if (!base) return refuse(502, `The ${service} service is not known to this gateway`, 'INTERNAL_SERVER_ERROR', { service });
    const target = new URL(base);
    target.pathname = `/imports/${register}`;
    target.search = url.search;

    const headers: Record<string, string> = {
      authorization: req.headers.authorization ?? '',
      'content-type': req.headers['content-type'] ?? '',
      'x-request-id': String(res.getHeader('x-request-id') ?? req.headers['x-request-id'] ?? ''),
    };
    if (declared !== null) headers['content-length'] = String(declared);
    // A retried upload with the same key is answered the first report (service-kit onceWithKey).
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (typeof key === 'string') headers[IDEMPOTENCY_HEADER] = key;
    if (opts.treeVersion.value) headers[TREE_VERSION_HEADER] = String(opts.treeVersion.value);
    injectTraceContext({ set: (k, v) => (headers[k] = v) });

    await new Promise<void>((resolve) => {
      let settled = false;
      const settle = (answer?: () => void) => {
        if (settled) return;
        settled = true;
        answer?.();
        resolve();
      };
      let size = 0;
      const upstream = http.request(target, { method: 'POST', headers }, (answer) => {
        if (settled) return answer.resume();
        // Reads after an import see it at once (the cache's and the fetcher's write epoch).
        if (answer.statusCode === 200) opts.writes.bump([service]);
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json; charset=utf-8' });
        answer.pipe(res);
        answer.on('end', () => settle());
        answer.on('error', () => settle(() => res.destroy()));
      });
      upstream.on('error', (err) => {
        if (settled) return;
        if (res.headersSent) return settle(() => res.destroy());
        opts.log.warn({ err, service }, 'import upload failed');
        settle(() => refuse(502, `The ${service} service is unavailable: nothing was imported`, 'INTERNAL_SERVER_ERROR', { service }));
      });
      // Streamed through, counted: past the limit the subgraph's transfer is cut (it never runs
      // the import of a partial file), the rest of the caller's body is discarded, and 413 answered.
      const counter = new Transform({
        transform(chunk: Buffer, _enc, next) {
          size += chunk.length;
          if (size <= max) return next(null, chunk);
          req.unpipe(counter);
          counter.unpipe(upstream);
          upstream.destroy();
          req.resume();
          settle(() => refuse(413, `The file is larger than ${MB(max)}, the largest import`, 'PAYLOAD_TOO_LARGE'));
          next();
        },
      });
      req.on('error', () => settle(() => upstream.destroy()));
      req.pipe(counter).pipe(upstream);
    });
    return true;
  };
}
