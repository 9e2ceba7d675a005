// Tables for bulk import and export (CSV and XLSX): a header row whose column names may be
// English or Chinese, data rows with their line numbers, and the reverse for exports. The same
// rules as the people service's member import (csv-parse, exceljs), said once for every service.
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export type TableFormat = 'CSV' | 'XLSX';

/** A file that cannot be read as a table (the caller turns it into BAD_USER_INPUT on its field). */
export class TableError extends Error {}

/** One data row: its line in the file (header = 1) and its cells by field, trimmed. */
export interface TableRow {
  line: number;
  cells: Record<string, string>;
}

/** Column names accepted for each field (compared trimmed, lower-cased, BOM removed). */
export type Columns = Record<string, readonly string[]>;

const clean = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/^\ufeff/, '');

function toRows(table: { line: number; values: string[] }[], columns: Columns, required: readonly string[]): TableRow[] {
  if (!table.length) throw new TableError('has no header row');
  const fields = table[0].values.map((h) => Object.keys(columns).find((f) => columns[f].some((c) => clean(c) === clean(h ?? ''))) ?? null);
  const missing = required.filter((f) => !fields.includes(f));
  if (missing.length) throw new TableError(`the header row lacks the column(s) ${missing.map((f) => columns[f][0]).join(', ')}`);
  return table
    .slice(1)
    .filter((r) => r.values.some((v) => (v ?? '').trim() !== ''))
    .map((r) => {
      const cells: Record<string, string> = {};
      fields.forEach((f, i) => {
        if (f && r.values[i] != null && r.values[i].trim() !== '') cells[f] = r.values[i].trim();
      });
      return { line: r.line, cells };
    });
}

function readCsv(content: string): { line: number; values: string[] }[] {
  try {
    const records = parseCsv(content, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return records.map((r) => ({ line: r.info.lines, values: r.record }));
  } catch (err) {
    throw new TableError(`is not valid CSV: ${(err as Error).message}`);
  }
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return '';
  if (v instanceof Date) return isoDay(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v);
}

async function readXlsx(content: string): Promise<{ line: number; values: string[] }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(content, 'base64') as unknown as ArrayBuffer);
  } catch {
    throw new TableError('is not a readable .xlsx workbook (base64)');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new TableError('the workbook has no sheet');
  const table: { line: number; values: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellText(cell.value);
    });
    table.push({ line, values: Array.from(values, (v) => v ?? '') });
  });
  return table;
}

/**
 * The data rows of a CSV text or a base64 .xlsx workbook (its first sheet), by field: the header
 * row names the columns (any of `columns[field]`), the `required` ones must be there.
 */
export async function readTable(
  format: TableFormat,
  content: string,
  columns: Columns,
  required: readonly string[] = [],
): Promise<TableRow[]> {
  return toRows(format === 'CSV' ? readCsv(content) : await readXlsx(content), columns, required);
}

/** A day written as 2021-03-05, 2021/3/5 or 2021.3.5, as YYYY-MM-DD; null when it is none of these. */
export function readDay(s: string | undefined): string | null {
  if (!s) return null;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s.trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : null;
}

/**
 * Text a spreadsheet program would take as a formula (OWASP "CSV injection": a leading = + - @,
 * tab or carriage return) gets a leading apostrophe, so it is shown as text.
 */
export function neutralizeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/**
 * A table as a file: CSV text (with a BOM, so spreadsheet programs read it as UTF-8) or a base64 .xlsx workbook.
 * `neutralize`: every cell through neutralizeCell (exports of text users typed).
 */
export async function writeTable(
  format: TableFormat,
  sheetName: string,
  header: readonly string[],
  cells: readonly (readonly string[])[],
  opts: { neutralize?: boolean } = {},
) {
  const rows = opts.neutralize ? cells.map((r) => r.map((v) => neutralizeCell(v ?? ''))) : cells;
  if (format === 'CSV') {
    const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    return '\ufeff' + [header, ...rows].map((r) => r.map((v) => cell(v ?? '')).join(',')).join('\r\n') + '\r\n';
  }
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(sheetName);
  sheet.addRow([...header]);
  for (const r of rows) sheet.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}
export * from './certificate';
