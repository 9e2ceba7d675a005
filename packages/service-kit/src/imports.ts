// File uploads of bulk imports (POST /imports/<register>): the gateway streams the file to the
// subgraph that owns the register, which reads it (up to IMPORT_MAX_BYTES) and runs its import
// mutation in process, so the file never passes through a GraphQL request body and its limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Authenticator } from './auth';
import { requireAuthenticated } from './auth';
import { sendJson, type Route } from './http';
import type { Viewer } from './viewer';
import { IDEMPOTENCY_HEADER } from './mutation';

/** The largest import file (40 MB), at the gateway and at the subgraph. */
export const IMPORT_MAX_BYTES = 40_000_000;

/** The content types an upload may have, and the import format each means. */
export const IMPORT_CONTENT_TYPES: Record<string, 'CSV' | 'XLSX'> = {
  'text/csv': 'CSV',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
};

/**
 * The import format of a request's content type, or null. Neither type is one a browser may send
 * cross-site without a preflight (text/plain, form encodings and multipart are refused), so an
 * upload cannot be forged by another site (CSRF).
 */
export function importFormatOf(contentType: string | undefined): 'CSV' | 'XLSX' | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return IMPORT_CONTENT_TYPES[type] ?? null;
}

export const IMPORT_TYPES_TEXT = `Content-Type: text/csv (UTF-8) or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (.xlsx)`;

/** An import's register name from a path /imports/<register>, or null when the path is another. */
export function importRegisterOf(pathname: string): string | null {
  const m = /^\/imports\/([a-z-]+)\/?$/.exec(pathname);
  return m ? m[1] : null;
}

/** HTTP status of a GraphQL error code in a route's answer. */
export const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

export function sendProblem(res: ServerResponse, status: number, message: string, code: string, extra: Record<string, unknown> = {}) {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extra } }] });
}

class TooLarge extends Error {}

/** The request body, refused (TooLarge) past `max` bytes, declared or streamed. */
function readUpload(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > max) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new TooLarge());
        req.pause();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A register's import: the mutation run with `$input: { organizationId, format, content }`, and its root field. */
export interface ImportMutation {
  /** e.g. `mutation ($input: ImportMembersInput!) { importMembers(input: $input) { rows created ... } }` */
  document: string;
  field: string;
}

/**
 * POST /imports/<register>?organizationId=<id> on a subgraph: the body is the file (CSV text or
 * .xlsx bytes, by Content-Type), at most IMPORT_MAX_BYTES; the register's import mutation runs
 * with the caller's token, exactly as through /graphql (roles, subtree, per-row report, audit,
 * the change feed). organizationId defaults to the caller's own branch. Answers the mutation's
 * result as JSON (200), or `{ errors }` with the status of its code.
 */
export function importRoute<C>(
  apollo: ApolloServer<C & object>,
  auth: Authenticator,
  imports: Record<string, ImportMutation>,
  context: (viewer: Viewer, req: IncomingMessage) => Promise<C>,
): Route {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    const register = importRegisterOf(url.pathname);
    if (register === null) return false;
    const mutation = imports[register];
    if (!mutation) return (sendProblem(res, 404, `No import of ${register} here: ${Object.keys(imports).join(', ')}`, 'NOT_FOUND'), true);
    if (req.method !== 'POST') return (sendProblem(res, 405, `Use POST ${url.pathname}`, 'BAD_REQUEST'), true);
    let viewer: Viewer;
    try {
      viewer = await auth.viewer(req.headers);
      requireAuthenticated(viewer);
    } catch (err) {
      return (sendProblem(res, 401, (err as Error).message, 'UNAUTHENTICATED'), true);
    }
    const format = importFormatOf(req.headers['content-type']);
    if (!format) return (sendProblem(res, 415, `An import needs ${IMPORT_TYPES_TEXT}`, 'BAD_REQUEST'), true);
    let body: Buffer;
    try {
      body = await readUpload(req, IMPORT_MAX_BYTES);
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      res.setHeader('connection', 'close');
      return (sendProblem(res, 413, `The file is larger than ${IMPORT_MAX_BYTES / 1e6} MB, the largest import`, 'PAYLOAD_TOO_LARGE'), true);
    }
    const organizationId = url.searchParams.get('organizationId') ?? viewer.organizationId;
    const input = { organizationId, format, content: format === 'CSV' ? body.toString('utf8') : body.toString('base64') };
    body = Buffer.alloc(0);
    // An Idempotency-Key reaches the mutation as through /graphql: a retried upload is answered the first report.
    const key = req.headers[IDEMPOTENCY_HEADER];
    const http = {
      method: 'POST',
      headers: new HeaderMap(typeof key === 'string' ? [[IDEMPOTENCY_HEADER, key]] : []),
      search: '',
      body: undefined,
    };
    const response = await apollo.executeOperation(
      { query: mutation.document, variables: { input }, http },
      { contextValue: (await context(viewer, req)) as never },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : { errors: [new GraphQLError('unexpected response')] };
    const answer = (result.data as Record<string, unknown> | null | undefined)?.[mutation.field];
    if (answer) return (sendJson(res, 200, answer), true);
    const first = result.errors?.[0];
    const code = String(first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    sendJson(res, STATUS_OF_CODE[code] ?? 500, { errors: result.errors });
    return true;
  };
}
