import { GraphQLError } from 'graphql';
import { ErrorCode, formatDate } from '@rcsc/service-kit';
import { ANNUAL_FIELDS, SURVEY_FIELDS, type TableValues } from './tables';

/** One live table to read: annex 1 of a branch's subtree on a date, or annex 2 for a year. */
export type TableRequest =
  | { organizationId: string; table: 'SURVEY'; asOf: Date }
  | { organizationId: string; table: 'ANNUAL'; year: number; baseYear?: number | null };

/**
 * Where the reporting service reads the live values of the two tables. It never reads another
 * service's database: in production it asks the supergraph (the gateway), which joins the
 * indicators of every subgraph; tests use a fake.
 */
export interface TableSource {
  /**
   * Several tables in one call (one gateway query, one alias per table). `authorization` is the
   * header to send (the caller's or a service token). One result per request, in order: the
   * values, or the error of that table alone (e.g. FORBIDDEN for a branch outside the caller's
   * subtree), so one refused table does not fail the others.
   */
  read(requests: readonly TableRequest[], authorization: string): Promise<(TableValues | Error)[]>;
}

/** The most tables one gateway query asks for: the gateway allows 30 aliases per operation. */
export const MAX_TABLES_PER_CALL = 25;

export interface GatewayTableSourceOptions {
  /** The gateway's GraphQL URL (a function, so tests can set it once the gateway is listening). */
  url: string | (() => string);
  /** The rows to ask for (default: all 14); rows not asked for read as null. */
  surveyFields?: readonly string[];
  annualFields?: readonly string[];
  timeoutMs?: number;
}

const PASSED_ON = new Set<string>([ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED, ErrorCode.NOT_FOUND, ErrorCode.BAD_USER_INPUT]);

interface GatewayError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

/** The viewer's own problems (not allowed, unknown branch) reach the viewer as they are; others are internal. */
function asError(errors: GatewayError[]): Error {
  const code = errors[0].extensions?.code;
  if (code && PASSED_ON.has(code)) return new GraphQLError(errors[0].message, { extensions: { code } });
  return new Error(`the gateway answered the table query with errors: ${errors.map((e) => e.message).join('; ')}`);
}

/**
 * POSTs the table queries to the gateway, forwarding the caller's Authorization header: every
 * table of one `read` in one operation, `t0: organization(id: $o0) { survey(asOf: $d0) { … } }`,
 * `t1: …`, split into calls of at most MAX_TABLES_PER_CALL.
 */
export class GatewayTableSource implements TableSource {
  constructor(private readonly opts: GatewayTableSourceOptions) {}

  get url(): string {
    return typeof this.opts.url === 'function' ? this.opts.url() : this.opts.url;
  }

  async read(requests: readonly TableRequest[], authorization: string): Promise<(TableValues | Error)[]> {
    const out: (TableValues | Error)[] = [];
    for (let i = 0; i < requests.length; i += MAX_TABLES_PER_CALL) {
      out.push(...(await this.readChunk(requests.slice(i, i + MAX_TABLES_PER_CALL), authorization)));
    }
    return out;
  }

  /** Annex 1 for one branch's subtree on a date (throws the table's error). */
  async survey(organizationId: string, asOf: Date, authorization: string): Promise<TableValues> {
    return orThrow((await this.read([{ organizationId, table: 'SURVEY', asOf }], authorization))[0]);
  }

  /** Annex 2 for one branch's subtree and a year (throws the table's error). */
  async annualIncrease(organizationId: string, year: number, authorization: string): Promise<TableValues> {
    return orThrow((await this.read([{ organizationId, table: 'ANNUAL', year }], authorization))[0]);
  }

  private async readChunk(requests: readonly TableRequest[], authorization: string): Promise<(TableValues | Error)[]> {
    if (!requests.length) return [];
    const surveyFields = this.opts.surveyFields ?? SURVEY_FIELDS;
    const annualFields = this.opts.annualFields ?? ANNUAL_FIELDS;
    const defs: string[] = [];
    const selections: string[] = [];
    const variables: Record<string, unknown> = {};
    requests.forEach((r, i) => {
      defs.push(`$o${i}: ID!`);
      variables[`o${i}`] = r.organizationId;
      if (r.table === 'SURVEY') {
        defs.push(`$d${i}: Date!`);
        variables[`d${i}`] = formatDate(r.asOf);
        selections.push(`t${i}: organization(id: $o${i}) { survey(asOf: $d${i}) { ${surveyFields.join(' ')} } }`);
      } else {
        defs.push(`$y${i}: Int!`);
        variables[`y${i}`] = r.year;
        if (r.baseYear != null) {
          // A base year other than the default (the year before): passed on, and the base the
          // graph used read back (AnnualIncrease.baseYear) so that a table never says the wrong one.
          defs.push(`$b${i}: Int!`);
          variables[`b${i}`] = r.baseYear;
          selections.push(
            `t${i}: organization(id: $o${i}) { annualIncrease(year: $y${i}, baseYear: $b${i}) { baseYear ${annualFields.join(' ')} } }`,
          );
        } else {
          selections.push(`t${i}: organization(id: $o${i}) { annualIncrease(year: $y${i}) { ${annualFields.join(' ')} } }`);
        }
      }
    });
    const query = `query ReportingTables(${defs.join(', ')}) { ${selections.join(' ')} }`;
    let body: { data?: Record<string, Record<string, TableValues | null> | null> | null; errors?: GatewayError[] };
    let status: number;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
      status = res.status;
      body = (await res.json().catch(() => ({}))) as typeof body;
    } catch (err) {
      const failed = err instanceof Error ? err : new Error(String(err));
      return requests.map(() => failed);
    }
    const errors = body.errors ?? [];
    // Errors without an alias in their path (validation, limits, authentication) concern the whole operation.
    const general = errors.filter((e) => typeof e.path?.[0] !== 'string' || !/^t\d+$/.test(String(e.path[0])));
    if (general.length) {
      const failed = asError(general);
      return requests.map(() => failed);
    }
    if (!body.data) {
      const failed = errors.length ? asError(errors) : new Error(`the gateway answered the table query with HTTP ${status}`);
      return requests.map(() => failed);
    }
    return requests.map((r, i) => {
      const own = errors.filter((e) => e.path?.[0] === `t${i}`);
      if (own.length) return asError(own);
      const row = body.data?.[`t${i}`];
      if (r.table === 'SURVEY') return pick(row?.survey, surveyFields);
      const base = row?.annualIncrease?.baseYear;
      if (r.baseYear != null && row?.annualIncrease && base !== r.baseYear) {
        return new Error(`the gateway answered annex 2 of ${r.year} against ${base ?? 'no base year'}, not ${r.baseYear}`);
      }
      return pick(row?.annualIncrease, annualFields);
    });
  }
}

function orThrow(v: TableValues | Error): TableValues {
  if (v instanceof Error) throw v;
  return v;
}

/** Rows the graph did not answer read as null ("not answered"), never as 0. */
function pick(row: TableValues | null | undefined, fields: readonly string[]): TableValues {
  const out: TableValues = {};
  for (const f of fields) out[f] = typeof row?.[f] === 'number' ? row[f] : null;
  return out;
}
