// Tables for bulk import and export (CSV and XLSX): a header row whose column names may be
// English or Chinese, data rows with their line numbers, and the reverse for exports. The same
// rules as the people service's member import (csv-parse, exceljs), said once for every service.
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded when a workbook is first read or written: with pdf-lib it was a quarter of
 * every service's start, and most processes never touch a workbook.
 */
export const loadExcel = async (): Promise<typeof ExcelJS> => (await import('exceljs')).default;

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

/** How many rows from the top are searched for the header row (title rows may stand above it). */
export const HEADER_SEARCH_ROWS = 10;

const fieldOf = (columns: Columns, h: string | undefined) =>
  Object.keys(columns).find((f) => columns[f].some((c) => clean(c) === clean(h ?? ''))) ?? null;

/**
 * The header row: the first of the top HEADER_SEARCH_ROWS rows that names every required column
 * (and at least one known column), so title rows above the header (名册 titles, a unit's name, a
 * date) are skipped. Rows above it are not data.
 */
function headerRow(table: { line: number; values: string[] }[], columns: Columns, required: readonly string[]) {
  let best: { index: number; fields: (string | null)[]; known: number } | null = null;
  for (const [index, row] of table.slice(0, HEADER_SEARCH_ROWS).entries()) {
    const fields = row.values.map((h) => fieldOf(columns, h));
    const known = new Set(fields.filter(Boolean)).size;
    if (known && required.every((f) => fields.includes(f))) return { index, fields };
    if (!best || known > best.known) best = { index, fields, known };
  }
  const fields = best?.fields ?? [];
  const missing = required.filter((f) => !fields.includes(f));
  throw new TableError(
    missing.length
      ? `the header row lacks the column(s) ${missing.map((f) => columns[f][0]).join(', ')}`
      : `no header row naming a known column within the first ${HEADER_SEARCH_ROWS} rows`,
  );
}

function toRows(table: { line: number; values: string[] }[], columns: Columns, required: readonly string[]): TableRow[] {
  if (!table.length) throw new TableError('has no header row');
  const { index, fields } = headerRow(table, columns, required);
  return table
    .slice(index + 1)
    .filter((r) => r.values.some((v) => (v ?? '').trim() !== ''))
    .map((r) => {
      const cells: Record<string, string> = {};
      fields.forEach((f, i) => {
        if (f && r.values[i] != null && r.values[i].trim() !== '') cells[f] = restoreCell(r.values[i].trim());
      });
      return { line: r.line, cells };
    });
}

function readCsv(content: string | Buffer): { line: number; values: string[] }[] {
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

async function readXlsx(content: string | Buffer): Promise<{ line: number; values: string[] }[]> {
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load((typeof content === 'string' ? Buffer.from(content, 'base64') : content) as unknown as ArrayBuffer);
  } catch {
    throw new TableError(typeof content === 'string' ? 'is not a readable .xlsx workbook (base64)' : 'is not a readable .xlsx workbook');
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
 * The data rows of a CSV text or a base64 .xlsx workbook (its first sheet), or of the file's
 * bytes, by field: the header row (found below any title rows) names the columns (any of
 * `columns[field]`), the `required` ones must be there.
 */
export async function readTable(
  format: TableFormat,
  content: string | Buffer,
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

/** What neutralizeCell wrote, read back as it was: an export imports unchanged. */
export function restoreCell(v: string): string {
  return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}

/**
 * A table as a file: CSV text (with a BOM, so spreadsheet programs read it as UTF-8) or a base64
 * .xlsx workbook. Every cell goes through neutralizeCell: exports carry text users typed.
 */
export async function writeTable(format: TableFormat, sheetName: string, header: readonly string[], cells: readonly (readonly string[])[]) {
  const rows = cells.map((r) => r.map((v) => neutralizeCell(v ?? '')));
  if (format === 'CSV') {
    const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    return '\ufeff' + [header, ...rows].map((r) => r.map((v) => cell(v ?? '')).join(',')).join('\r\n') + '\r\n';
  }
  const wb = new (await loadExcel()).Workbook();
  const sheet = wb.addWorksheet(sheetName);
  sheet.addRow([...header]);
  for (const r of rows) sheet.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

/** A branch as the branch column reads it (the directory's BranchInfo fits). */
export interface TreeBranch {
  id: string;
  name: string;
  divisionCode?: string | null;
  parentId?: string | null;
  dissolvedOn?: string | null;
}

/**
 * The branch column of an import (所属红十字会): a row names its branch by division code
 * (330106) or by a path of branch names from any level down (西湖区红十字会, or
 * 杭州市红十字会/西湖区红十字会), always inside the subtree of the import's branch; an empty
 * cell means the import's branch itself. One file can so hold every county of a prefecture.
 */
export class BranchColumn<B extends TreeBranch> {
  private readonly byId: Map<string, B>;
  private readonly byCode = new Map<string, B>();
  private readonly byName = new Map<string, B[]>();

  /** `subtree`: the import's branch and every branch below it. */
  constructor(
    private readonly root: B,
    subtree: readonly B[],
  ) {
    this.byId = new Map(subtree.map((b) => [b.id, b]));
    this.byId.set(root.id, root);
    for (const b of this.byId.values()) {
      if (b.divisionCode) this.byCode.set(b.divisionCode, b);
      const same = this.byName.get(b.name) ?? [];
      same.push(b);
      this.byName.set(b.name, same);
    }
  }

  /** The row's branch, or what is wrong with the cell. */
  pick(cell: string | undefined): { branch: B } | { error: string } {
    const text = (cell ?? '').trim();
    if (!text) return this.open(this.root);
    if (/^\d{6,12}$/.test(text)) {
      const b = this.byCode.get(text);
      return b ? this.open(b) : { error: `no branch with division code ${text} in the subtree of ${this.root.name}` };
    }
    const names = text
      .split(/\s*[/／>＞›]\s*/)
      .map((n) => n.trim())
      .filter(Boolean);
    const found = (this.byName.get(names[names.length - 1]) ?? []).filter((b) => this.endsWith(b, names));
    if (!found.length) return { error: `no branch named ${text} in the subtree of ${this.root.name}` };
    if (found.length > 1)
      return {
        error: `${text} names ${found.length} branches in the subtree of ${this.root.name}: give the division code or a longer path`,
      };
    return this.open(found[0]);
  }

  /** The names of b and its ancestors inside the subtree end with `names`. */
  private endsWith(b: B, names: string[]): boolean {
    let at: B | undefined = b;
    for (let i = names.length - 1; i >= 0; i--) {
      if (!at || at.name !== names[i]) return false;
      at = at.id === this.root.id || !at.parentId ? undefined : this.byId.get(at.parentId);
    }
    return true;
  }

  private open(b: B): { branch: B } | { error: string } {
    return b.dissolvedOn ? { error: `${b.name} is dissolved` } : { branch: b };
  }
}

export * from './certificate';
