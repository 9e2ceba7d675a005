/**
 * Command-line export of a table, through the gateway (so the same authorization applies):
 *
 *   node dist/export-cli.js --branch 330000 --year 2021 [--base-year 2019] [--format xlsx] [--source submitted] [--out DIR|FILE]
 *   node dist/export-cli.js --branch <branch id> --as-of 2021-06-30 --format csv
 *
 * GATEWAY_URL (default http://127.0.0.1:4000/graphql); RCSC_TOKEN (a bearer token, e.g. from
 * `npm run token`), else a service token signed with AUTH_JWT_SECRET.
 */
import { writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Authenticator, parseCli, ServiceCredentials } from '@rcsc/service-kit';
import { DEFAULT_GATEWAY_URL, SERVICE_NAME } from './server';

export interface ExportRequest {
  gatewayUrl: string;
  authorization: string;
  /** A six-digit division code or a branch id. */
  branch: string;
  asOf?: string;
  year?: number;
  /** Annex 2 only: the year the increases are measured from (default: the year before). */
  baseYear?: number;
  format: 'CSV' | 'XLSX';
  source: 'LIVE' | 'SUBMITTED';
  /** A directory (the file keeps its own name) or a file path; default the current directory. */
  out?: string;
}

async function post<T>(req: ExportRequest, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(req.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: req.authorization },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n'));
  if (!body.data) throw new Error(`the gateway answered HTTP ${res.status}`);
  return body.data;
}

/** Asks the gateway for the file and writes it; returns the path written. */
export async function runExport(req: ExportRequest): Promise<string> {
  const byCode = /^\d{6}$/.test(req.branch);
  const period = req.asOf ? { table: 'SURVEY', asOf: req.asOf } : { table: 'ANNUAL', year: req.year };
  const data = await post<{ organization: { exportTable: { filename: string; base64: string } } | null }>(
    req,
    `query Export(${byCode ? '$code: String' : '$id: ID'}, $period: PeriodInput!, $format: ExportFormat!, $source: ExportSource, $baseYear: Int) {
      organization(${byCode ? 'divisionCode: $code' : 'id: $id'}) { exportTable(period: $period, format: $format, source: $source, baseYear: $baseYear) { filename base64 } } }`,
    { [byCode ? 'code' : 'id']: req.branch, period, format: req.format, source: req.source, baseYear: req.baseYear ?? null },
  );
  if (!data.organization) throw new Error(`no branch ${req.branch}`);
  const file = data.organization.exportTable;
  const out = req.out ?? '.';
  const isDir = await stat(out).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const path = isDir ? join(out, file.filename) : out;
  await writeFile(path, Buffer.from(file.base64, 'base64'));
  return path;
}

async function main() {
  // Strict: an unknown flag, --format pdf or --source bogus is refused (exit 2) before any request.
  const { values } = parseCli({
    usage:
      'export-cli --branch <division code|id> (--as-of YYYY-MM-DD | --year YYYY [--base-year YYYY]) [--format csv|xlsx] [--source live|submitted] [--out DIR|FILE]',
    description: 'Exports a table through the gateway (GATEWAY_URL; RCSC_TOKEN, else a service token from AUTH_JWT_SECRET).',
    options: {
      branch: { type: 'string', description: 'six-digit division code or branch id' },
      'as-of': { type: 'string', description: 'the survey table (annex 1) on this date' },
      year: { type: 'string', integer: [1900, 2999], description: 'the annual table (annex 2) of this year' },
      'base-year': {
        type: 'string',
        integer: [1900, 2999],
        description: 'annex 2: increases measured from this year (default: the year before)',
      },
      format: { type: 'string', default: 'xlsx', choices: ['csv', 'xlsx'], description: 'file format' },
      source: { type: 'string', default: 'live', choices: ['live', 'submitted'], description: 'live figures or the submitted report' },
      out: { type: 'string', description: 'a directory (the file keeps its name) or a file path; default .' },
    },
  });
  const { branch, year, out } = values as Record<string, string | undefined>;
  const asOf = values['as-of'] as string | undefined;
  const baseYear = values['base-year'] as string | undefined;
  if (baseYear && !year) {
    console.error('--base-year goes only with --year (the annual table)');
    process.exit(2);
  }
  if (!branch || (!asOf && !year) || (asOf && year)) {
    console.error('--branch and exactly one of --as-of or --year are required (--help for more)');
    process.exit(2);
  }
  if (asOf && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    console.error(`--as-of takes a date YYYY-MM-DD, not "${asOf}"`);
    process.exit(2);
  }
  const token = process.env.RCSC_TOKEN;
  const authorization = token ? `Bearer ${token}` : await new ServiceCredentials(Authenticator.fromEnv(), SERVICE_NAME).authorization();
  const path = await runExport({
    gatewayUrl: process.env.GATEWAY_URL ?? DEFAULT_GATEWAY_URL,
    authorization,
    branch,
    asOf,
    year: year ? Number(year) : undefined,
    baseYear: baseYear ? Number(baseYear) : undefined,
    format: values.format === 'csv' ? 'CSV' : 'XLSX',
    source: values.source === 'submitted' ? 'SUBMITTED' : 'LIVE',
    out,
  });
  console.log(path);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
