import { GraphQLError } from 'graphql';
import { ErrorCode, formatDate } from '@rcsc/service-kit';
import { ANNUAL_FIELDS, SURVEY_FIELDS, type TableValues } from './tables';

/**
 * One live table to read: annex 1 of a branch's subtree on a date, annex 2 for a year, or the
 * register figures of a year the annex tables do not hold (REGISTER_FIELDS: Boai homes opened,
 * demonstration sites designated, Member Stars awarded), for the targets' progress.
 */
export type TableRequest =
  | { organizationId: string; table: 'SURVEY'; asOf: Date }
  | { organizationId: string; table: 'ANNUAL'; year: number; baseYear?: number | null }
  | { organizationId: string; table: 'REGISTERS'; year: number };

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

/**
 * Boai homes are counted from their list (the graph has no count by opening date): pages of
 * 100, at most this many per branch (20,000 homes; the national dataset has 4,352), else the
 * figures are not answered (null).
 */
export const MAX_HOME_PAGES = 200;
const HOME_PAGE = 100;
const homesPage = (after: string | null) =>
  `boaiHomes(filter: { includeClosed: true }, first: ${HOME_PAGE}${after ? `, after: ${after}` : ''}) { pageInfo { hasNextPage endCursor } nodes { openedOn demonstrationDesignatedOn } }`;

interface HomesConnection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { openedOn: string | null; demonstrationDesignatedOn: string | null }[];
}

/** A branch's register figures of a year being read (filled in place). */
interface RegisterRead {
  organizationId: string;
  year: number;
  values: TableValues;
}

/** A branch's Boai homes still to count, page by page. */
interface HomesCount extends RegisterRead {
  cursor: string;
  pages: number;
}

/** Adds a page of homes to the counts of a year: opened in it, designated a demonstration site in it. */
function countHomes(values: TableValues, year: number, page: HomesConnection): void {
  const inYear = (d: string | null) => !!d && d.startsWith(`${year}-`);
  values.boaiHomesOpened = (values.boaiHomesOpened ?? 0) + page.nodes.filter((n) => inYear(n.openedOn)).length;
  values.demonstrationSitesDesignated =
    (values.demonstrationSitesDesignated ?? 0) + page.nodes.filter((n) => inYear(n.demonstrationDesignatedOn)).length;
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
    const out: (TableValues | Error)[] = new Array(requests.length);
    // The register figures go in operations of their own, one per subgraph asked: a gateway
    // whose supergraph lacks one of them (a partial stack) then fails only those figures.
    const tables = requests.flatMap((r, i) => (r.table === 'REGISTERS' ? [] : [i]));
    const registers = requests.flatMap((r, i) => (r.table === 'REGISTERS' ? [{ i, r }] : []));
    for (let k = 0; k < tables.length; k += MAX_TABLES_PER_CALL) {
      const chunk = tables.slice(k, k + MAX_TABLES_PER_CALL);
      const values = await this.readChunk(
        chunk.map((i) => requests[i]),
        authorization,
      );
      chunk.forEach((i, j) => (out[i] = values[j]));
    }
    const homes: HomesCount[] = [];
    for (let k = 0; k < registers.length; k += MAX_TABLES_PER_CALL) {
      const chunk = registers.slice(k, k + MAX_TABLES_PER_CALL).map(({ i, r }) => {
        const values: TableValues = { boaiHomesOpened: null, demonstrationSitesDesignated: null, memberStarsAwarded: null };
        out[i] = values;
        return { organizationId: r.organizationId, year: 'year' in r ? r.year : 0, values };
      });
      await this.readStars(chunk, authorization);
      await this.readHomes(chunk, authorization, homes);
    }
    await this.countRemainingHomes(homes, authorization);
    return out;
  }

  /** Member Stars awarded for the year, one alias per branch (people subgraph); unanswered stays null. */
  private async readStars(chunk: RegisterRead[], authorization: string): Promise<void> {
    const defs: string[] = [];
    const variables: Record<string, unknown> = {};
    const selections = chunk.map((c, i) => {
      defs.push(`$o${i}: ID!`, `$y${i}: Int!`);
      variables[`o${i}`] = c.organizationId;
      variables[`y${i}`] = c.year;
      return `m${i}: organization(id: $o${i}) { memberStars(year: $y${i}, first: 0) { totalCount } }`;
    });
    const answer = await this.post(`query ReportingStars(${defs.join(', ')}) { ${selections.join(' ')} }`, variables, authorization);
    if (answer instanceof Error) return;
    chunk.forEach((c, i) => {
      if (answer.body.errors?.some((e) => e.path?.[0] === `m${i}` || !e.path)) return;
      const stars = answer.body.data?.[`m${i}`]?.memberStars as { totalCount?: unknown } | null | undefined;
      if (typeof stars?.totalCount === 'number') c.values.memberStarsAwarded = stars.totalCount;
    });
  }

  /** The first page of Boai homes of each branch (grassroots subgraph); branches with more go on `homes`. */
  private async readHomes(chunk: RegisterRead[], authorization: string, homes: HomesCount[]): Promise<void> {
    const defs: string[] = [];
    const variables: Record<string, unknown> = {};
    const selections = chunk.map((c, i) => {
      defs.push(`$o${i}: ID!`);
      variables[`o${i}`] = c.organizationId;
      return `t${i}: organization(id: $o${i}) { ${homesPage(null)} }`;
    });
    const answer = await this.post(`query ReportingHomes(${defs.join(', ')}) { ${selections.join(' ')} }`, variables, authorization);
    if (answer instanceof Error) return;
    chunk.forEach((c, i) => {
      if (answer.body.errors?.some((e) => e.path?.[0] === `t${i}` || !e.path)) return;
      const page = answer.body.data?.[`t${i}`]?.boaiHomes as HomesConnection | null | undefined;
      if (!page) return;
      countHomes(c.values, c.year, page);
      if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) homes.push({ ...c, cursor: page.pageInfo.endCursor, pages: 1 });
    });
  }

  /** The POST of one operation: the body and status, or the network error. */
  private async post(query: string, variables: Record<string, unknown>, authorization: string) {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
      const body = (await res.json().catch(() => ({}))) as {
        data?: Record<string, Record<string, TableValues | HomesConnection | null> | null> | null;
        errors?: GatewayError[];
      };
      return { status: res.status, body };
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  /**
   * The further pages of Boai homes, one page of every branch still counting per call (up to
   * MAX_TABLES_PER_CALL aliases). An error or too many pages leaves that branch's figures null.
   */
  private async countRemainingHomes(pending: HomesCount[], authorization: string): Promise<void> {
    const unanswered = (h: HomesCount) => {
      h.values.boaiHomesOpened = null;
      h.values.demonstrationSitesDesignated = null;
    };
    while (pending.length) {
      const batch = pending.splice(0, MAX_TABLES_PER_CALL);
      const defs: string[] = [];
      const variables: Record<string, unknown> = {};
      const selections = batch.map((h, i) => {
        defs.push(`$o${i}: ID!`, `$a${i}: String!`);
        variables[`o${i}`] = h.organizationId;
        variables[`a${i}`] = h.cursor;
        return `p${i}: organization(id: $o${i}) { ${homesPage(`$a${i}`)} }`;
      });
      const answer = await this.post(`query ReportingHomes(${defs.join(', ')}) { ${selections.join(' ')} }`, variables, authorization);
      batch.forEach((h, i) => {
        if (answer instanceof Error || answer.body.errors?.some((e) => e.path?.[0] === `p${i}` || !e.path)) return unanswered(h);
        const page = answer.body.data?.[`p${i}`]?.boaiHomes as HomesConnection | null | undefined;
        if (!page) return unanswered(h);
        countHomes(h.values, h.year, page);
        h.pages += 1;
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
        if (h.pages >= MAX_HOME_PAGES) return unanswered(h);
        pending.push({ ...h, cursor: page.pageInfo.endCursor });
      });
    }
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
      if (r.table === 'REGISTERS') throw new Error('register figures are read by readStars and readHomes');
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
    const answer = await this.post(query, variables, authorization);
    if (answer instanceof Error) return requests.map(() => answer);
    const { body, status } = answer;
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
      if (r.table === 'REGISTERS') return new Error('register figures are read by readStars and readHomes');
      const row = body.data?.[`t${i}`] as Record<string, TableValues | null> | null | undefined;
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
