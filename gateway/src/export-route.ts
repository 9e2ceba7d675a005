import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { sendJson, type Authenticator } from '@rcsc/service-kit';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './server';

const QUERY = `query Export($id: ID, $divisionCode: String, $period: PeriodInput!, $format: ExportFormat!, $source: ExportSource) {
  organization(id: $id, divisionCode: $divisionCode) {
    exportTable(period: $period, format: $format, source: $source) { filename contentType base64 }
  }
}`;

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

function problem(res: ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * GET /export?divisionCode=330000&table=survey&asOf=2021-06-30&format=xlsx (or organizationId=,
 * table=annual&year=2021, format=csv, source=live|submitted): the annex table as a file download,
 * for the bearer of a token allowed to read that branch. It runs the reporting subgraph's
 * `exportTable` through this gateway, so the same checks apply as to the GraphQL query.
 */
export function exportRoute(apollo: ApolloServer<GatewayContext>, auth: Authenticator) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname !== '/export') return false;
    if (req.method !== 'GET') {
      problem(res, 405, 'Use GET /export', 'BAD_REQUEST');
      return true;
    }
    try {
      const viewer = await auth.viewer(req.headers);
      if (!viewer.userId)
        return (problem(res, 401, 'Authentication required: send Authorization: Bearer <token>', 'UNAUTHENTICATED'), true);
    } catch (e) {
      problem(res, 401, (e as Error).message, 'UNAUTHENTICATED');
      return true;
    }
    const q = url.searchParams;
    const bad: string[] = [];
    const table = (q.get('table') ?? '').toUpperCase();
    if (table !== 'SURVEY' && table !== 'ANNUAL') bad.push('table: must be survey or annual');
    const format = (q.get('format') ?? 'xlsx').toUpperCase();
    if (format !== 'CSV' && format !== 'XLSX') bad.push('format: must be csv or xlsx');
    const source = (q.get('source') ?? 'live').toUpperCase();
    if (source !== 'LIVE' && source !== 'SUBMITTED') bad.push('source: must be live or submitted');
    const id = q.get('organizationId');
    const divisionCode = q.get('divisionCode');
    if (!id === !divisionCode) bad.push('organizationId or divisionCode: give exactly one');
    const year = q.get('year');
    if (table === 'ANNUAL' && !/^\d{4}$/.test(year ?? '')) bad.push('year: must be a four-digit year');
    if (table === 'SURVEY' && !q.get('asOf')) bad.push('asOf: must be a date, YYYY-MM-DD');
    if (bad.length) return (problem(res, 400, `Invalid export request: ${bad.join('; ')}`, 'BAD_USER_INPUT'), true);

    const period = table === 'ANNUAL' ? { table, year: Number(year) } : { table, asOf: q.get('asOf') };
    const requestId = String(res.getHeader('x-request-id') ?? 'export');
    const response = await apollo.executeOperation(
      { query: QUERY, variables: { id, divisionCode, period, format, source } },
      { contextValue: { authorization: req.headers.authorization, requestId } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : { errors: [new GraphQLError('unexpected response')] };
    const file = (result.data as { organization?: { exportTable?: { filename: string; contentType: string; base64: string } } } | null)
      ?.organization?.exportTable;
    if (!file) {
      const error = result.errors?.[0];
      const code = String(error?.extensions?.code ?? (result.data?.organization === null ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR'));
      problem(res, STATUS[code] ?? 500, error?.message ?? 'No such branch', code);
      return true;
    }
    const body = Buffer.from(file.base64, 'base64');
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': body.length,
      'content-disposition': `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    });
    res.end(body);
    return true;
  };
}
