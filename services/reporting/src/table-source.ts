import { GraphQLError } from 'graphql';
import { ErrorCode, formatDate } from '@rcsc/service-kit';
import { ANNUAL_FIELDS, SURVEY_FIELDS, type TableValues } from './tables';

/**
 * Where the reporting service reads the live values of the two tables. It never reads another
 * service's database: in production it asks the supergraph (the gateway), which joins the
 * indicators of every subgraph; tests use a fake.
 */
export interface TableSource {
  /** Annex 1 for a branch's subtree on a date; `authorization` is the header to send (the caller's or a service token). */
  survey(organizationId: string, asOf: Date, authorization: string): Promise<TableValues>;
  /** Annex 2 for a branch's subtree and a year. */
  annualIncrease(organizationId: string, year: number, authorization: string): Promise<TableValues>;
}

export interface GatewayTableSourceOptions {
  /** The gateway's GraphQL URL (a function, so tests can set it once the gateway is listening). */
  url: string | (() => string);
  /** The rows to ask for (default: all 14); rows not asked for read as null. */
  surveyFields?: readonly string[];
  annualFields?: readonly string[];
  timeoutMs?: number;
}

const PASSED_ON = new Set<string>([ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED, ErrorCode.NOT_FOUND, ErrorCode.BAD_USER_INPUT]);

/** POSTs the table queries to the gateway, forwarding the caller's Authorization header. */
export class GatewayTableSource implements TableSource {
  constructor(private readonly opts: GatewayTableSourceOptions) {}

  get url(): string {
    return typeof this.opts.url === 'function' ? this.opts.url() : this.opts.url;
  }

  async survey(organizationId: string, asOf: Date, authorization: string): Promise<TableValues> {
    const fields = this.opts.surveyFields ?? SURVEY_FIELDS;
    const query = `query ReportingSurvey($id: ID!, $asOf: Date!) { organization(id: $id) { survey(asOf: $asOf) { ${fields.join(' ')} } } }`;
    const data = await this.post<{ survey: TableValues }>(query, { id: organizationId, asOf: formatDate(asOf) }, authorization);
    return pick(data?.survey, fields);
  }

  async annualIncrease(organizationId: string, year: number, authorization: string): Promise<TableValues> {
    const fields = this.opts.annualFields ?? ANNUAL_FIELDS;
    const query = `query ReportingAnnualIncrease($id: ID!, $year: Int!) { organization(id: $id) { annualIncrease(year: $year) { ${fields.join(' ')} } } }`;
    const data = await this.post<{ annualIncrease: TableValues }>(query, { id: organizationId, year }, authorization);
    return pick(data?.annualIncrease, fields);
  }

  private async post<T>(query: string, variables: Record<string, unknown>, authorization: string): Promise<T | null> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
    });
    const body = (await res.json().catch(() => ({}))) as {
      data?: { organization: T | null } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      // The viewer's own problems (not allowed, unknown branch) reach the viewer as they are.
      if (code && PASSED_ON.has(code)) throw new GraphQLError(first.message, { extensions: { code } });
      throw new Error(`the gateway answered the table query with errors: ${body.errors!.map((e) => e.message).join('; ')}`);
    }
    if (!res.ok || !body.data) throw new Error(`the gateway answered the table query with HTTP ${res.status}`);
    return body.data.organization;
  }
}

function pick(row: TableValues | null | undefined, fields: readonly string[]): TableValues {
  const out: TableValues = {};
  for (const f of fields) out[f] = typeof row?.[f] === 'number' ? row[f] : null;
  return out;
}
