import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { sendJson, type Authenticator, type TokenClaims } from '@rcsc/service-kit';
import { DownloadLinks, LinkError } from './download-links';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './server';

const QUERY = `query Export($id: ID, $divisionCode: String, $period: PeriodInput!, $format: ExportFormat!, $source: ExportSource, $baseYear: Int) {
  organization(id: $id, divisionCode: $divisionCode) {
    exportTable(period: $period, format: $format, source: $source, baseYear: $baseYear) { filename contentType base64 }
  }
}`;

/** The member register of a branch's subtree (people's Organization.exportMembers, issue 19.5). */
const MEMBERS_QUERY = `query ExportMembers($id: ID!, $format: MemberExportFormat!, $filter: MemberFilter) {
  organization(id: $id) { exportTable: exportMembers(format: $format, filter: $filter) { filename contentType base64 } }
}`;

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

function problem(res: ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** The export's variables from its query parameters, or what is wrong with them. */
function exportVariables(q: URLSearchParams): { bad: string[]; variables: Record<string, unknown>; fallbackName: string } {
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
  const asOf = q.get('asOf');
  if (table === 'SURVEY' && !asOf) bad.push('asOf: must be a date, YYYY-MM-DD');
  const baseYear = q.get('baseYear');
  if (baseYear !== null && (table !== 'ANNUAL' || !/^\d{4}$/.test(baseYear))) bad.push('baseYear: only for annual, a four-digit year');
  const period = table === 'ANNUAL' ? { table, year: Number(year) } : { table, asOf };
  // The file's own name is Chinese; old clients that only read filename= get a readable ASCII one.
  const fallbackName = `rcsc-annex-${table === 'ANNUAL' ? 2 : 1}-${(divisionCode ?? id ?? '').replace(/[^\w-]/g, '')}-${
    table === 'ANNUAL' ? year : (asOf ?? '').replace(/[^\d-]/g, '')
  }.${format.toLowerCase()}`;
  return {
    bad,
    variables: { id, divisionCode, period, format, source, baseYear: baseYear === null ? null : Number(baseYear) },
    fallbackName,
  };
}

const MEMBER_KINDS = ['ADULT', 'YOUTH', 'GROUP'];
const MEMBER_STATUSES = ['ACTIVE', 'LAPSED', 'WITHDRAWN', 'NOT_MEMBER'];

/** The member export's variables (organizationId, format, optional kind, status, directOnly), or what is wrong with them. */
function memberExportVariables(q: URLSearchParams): { bad: string[]; variables: Record<string, unknown>; fallbackName: string } {
  const bad: string[] = [];
  const id = q.get('organizationId') ?? '';
  if (!/^[0-9a-f]{24}$/i.test(id)) bad.push('organizationId: must be a branch id');
  const format = (q.get('format') ?? 'xlsx').toUpperCase();
  if (format !== 'CSV' && format !== 'XLSX') bad.push('format: must be csv or xlsx');
  const filter: Record<string, unknown> = {};
  const kind = q.get('kind')?.toUpperCase();
  if (kind !== undefined) {
    if (MEMBER_KINDS.includes(kind)) filter.kind = kind;
    else bad.push(`kind: must be one of ${MEMBER_KINDS.join(', ').toLowerCase()}`);
  }
  const status = q.get('status')?.toUpperCase();
  if (status !== undefined) {
    if (MEMBER_STATUSES.includes(status)) filter.status = status;
    else bad.push(`status: must be one of ${MEMBER_STATUSES.join(', ').toLowerCase()}`);
  }
  const directOnly = q.get('directOnly');
  if (directOnly !== null) {
    if (directOnly === 'true' || directOnly === 'false') filter.directOnly = directOnly === 'true';
    else bad.push('directOnly: must be true or false');
  }
  return {
    bad,
    variables: { id, format, filter },
    fallbackName: `rcsc-members-${id.replace(/[^\w-]/g, '')}.${format.toLowerCase()}`,
  };
}

/**
 * GET /export?divisionCode=330000&table=survey&asOf=2021-06-30&format=xlsx (or organizationId=,
 * table=annual&year=2021[&baseYear=2020], format=csv, source=live|submitted): the annex table as a file download,
 * for the bearer of a token allowed to read that branch. It runs the reporting subgraph's
 * `exportTable` through this gateway, so the same checks apply as to the GraphQL query.
 *
 * GET /export/link?<the same parameters> (with the token) answers { url, expiresAt }: a signed
 * link that downloads the file without a token until it expires (download-links.ts), for
 * links and buttons in a browser.
 *
 * GET /export/members?organizationId=<id>&format=csv|xlsx[&kind=adult|youth|group][&status=active|...][&directOnly=true]
 * (with the token): the member register of the branch's subtree, masked as the viewer sees
 * members (people's `exportMembers`).
 */
export function exportRoute(apollo: ApolloServer<GatewayContext>, auth: Authenticator, links = DownloadLinks.fromEnv()) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const members = url.pathname === '/export/members';
    if (url.pathname !== '/export' && url.pathname !== '/export/link' && !members) return false;
    if (req.method !== 'GET') {
      problem(res, 405, `Use GET ${url.pathname}`, 'BAD_REQUEST');
      return true;
    }
    const q = url.searchParams;
    const signed = url.pathname === '/export' && q.has('signature');
    let authorization = req.headers.authorization;
    let claims: TokenClaims | null = null;
    try {
      if (signed) {
        // The link stands for its maker: a token for this one request, with the maker's claims.
        claims = links.verify(q);
        authorization = `Bearer ${await auth.sign(claims, '60s')}`;
      } else {
        const who = await auth.authenticate(req.headers);
        if (!who.viewer.userId)
          return (problem(res, 401, 'Authentication required: send Authorization: Bearer <token>', 'UNAUTHENTICATED'), true);
        claims = who.claims as unknown as TokenClaims;
      }
    } catch (e) {
      if (e instanceof LinkError) problem(res, 403, e.message, 'FORBIDDEN');
      else problem(res, 401, (e as Error).message, 'UNAUTHENTICATED');
      return true;
    }
    const { bad, variables, fallbackName } = members ? memberExportVariables(q) : exportVariables(q);
    if (bad.length) return (problem(res, 400, `Invalid export request: ${bad.join('; ')}`, 'BAD_USER_INPUT'), true);
    if (url.pathname === '/export/link') {
      const link = links.sign(q, claims);
      sendJson(res, 200, { url: link.path, expiresAt: link.expiresAt });
      return true;
    }

    const requestId = String(res.getHeader('x-request-id') ?? 'export');
    const response = await apollo.executeOperation(
      { query: members ? MEMBERS_QUERY : QUERY, variables },
      { contextValue: { authorization, requestId } },
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
      'content-disposition': `attachment; filename="${fallbackName}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    });
    res.end(body);
    return true;
  };
}
