import { loadExcel, neutralizeCell as neutralizeText } from '@rcsc/tables';
import { formatDate } from '@rcsc/service-kit';
import type { Period } from './rules';
import { TABLE_TITLES, valuesOf, type TableValues } from './tables';

/** What the heading of an exported table says besides the rows. */
export interface ExportMeta {
  branchName: string;
  period: Pick<Period, 'table' | 'asOf' | 'year' | 'key'>;
  source: 'LIVE' | 'SUBMITTED';
  /** For SUBMITTED: the submission's status and time. */
  status?: string | null;
  submittedAt?: Date | null;
  generatedAt: Date;
  /** Annex 2: the year the increases are measured from, when the export was given one (else the year before). */
  baseYear?: number | null;
}

export interface ExportedFile {
  filename: string;
  contentType: string;
  byteLength: number;
  base64: string;
}

const STATUS_ZH: Record<string, string> = { SUBMITTED: '已报送', RETURNED: '已退回', APPROVED: '已审核', EXCUSED: '已免报' };
export const HEADER = ['序号', '工作事项', '个(人、小时)'] as const;

const BEIJING_OFFSET = 8 * 3_600_000;

/**
 * An instant as Beijing time (China Standard Time, UTC+8 all year: no daylight saving), labelled,
 * e.g. 2021-12-10 16:00:00（北京时间 UTC+8）: the readers of the tables are in China (issue 18).
 */
export function beijingTime(at: Date): string {
  return `${new Date(at.getTime() + BEIJING_OFFSET).toISOString().slice(0, 19).replace('T', ' ')}（北京时间 UTC+8）`;
}

/** Annex 2's note: what the increases are measured from (the seed's wording, with the base named). */
export function baseNote(baseYear: number | null | undefined): string {
  return `说明：表中“增加数”是指${baseYear != null ? `与${baseYear}年相比` : '与上年相比'}的增加数。`;
}

/** The lines above and below the rows, as in the seed's annex plus who and when. */
export function layout(meta: ExportMeta, values: TableValues) {
  const { annex, title } = TABLE_TITLES[meta.period.table];
  const when = meta.period.table === 'SURVEY' ? ['统计时点', formatDate(meta.period.asOf!)] : ['统计年度', `${meta.period.year}年`];
  const source =
    meta.source === 'LIVE'
      ? `实时数据（导出时间 ${beijingTime(meta.generatedAt)}）`
      : `已报送数据（${STATUS_ZH[meta.status ?? ''] ?? meta.status ?? ''}，报送时间 ${meta.submittedAt ? beijingTime(meta.submittedAt) : ''}）`;
  const footer = meta.period.table === 'ANNUAL' ? [baseNote(meta.baseYear)] : [];
  return {
    annex,
    title,
    info: [['填报单位', meta.branchName], when, ['数据来源', source]] as [string, string][],
    rows: valuesOf(meta.period.table, values).map((r) => [r.number, r.label, r.value] as [number, string, number | null]),
    footer,
  };
}

export function exportFilename(meta: ExportMeta, extension: 'csv' | 'xlsx'): string {
  const { annex, title } = TABLE_TITLES[meta.period.table];
  const when = meta.period.table === 'SURVEY' ? formatDate(meta.period.asOf!) : `${meta.period.year}`;
  const safe = meta.branchName.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${annex}_${title}_${safe}_${when}${meta.source === 'SUBMITTED' ? '_已报送' : ''}.${extension}`;
}

/**
 * A cell as exported: text through @rcsc/tables' neutralizeCell (branch names are typed by users:
 * `=HYPERLINK(...)` must reach the reader as text, in CSV and XLSX alike, since an XLSX cell saved
 * again as CSV becomes live); numbers are numbers, never text, and stay as they are.
 */
export function neutralizeCell<T extends string | number | null>(v: T): T {
  return (typeof v === 'string' ? neutralizeText(v) : v) as T;
}

const csvCell = (v: string | number | null): string => {
  if (v == null) return '';
  const s = String(neutralizeCell(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV (RFC 4180, CRLF) in UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese. */
export function buildCsv(meta: ExportMeta, values: TableValues): ExportedFile {
  const l = layout(meta, values);
  const lines: (string | number | null)[][] = [[l.annex], [l.title], ...l.info, [...HEADER], ...l.rows, ...l.footer.map((f) => [f])];
  const text = '\uFEFF' + lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const buf = Buffer.from(text, 'utf8');
  return {
    filename: exportFilename(meta, 'csv'),
    contentType: 'text/csv; charset=utf-8',
    byteLength: buf.length,
    base64: buf.toString('base64'),
  };
}

const thin = { style: 'thin' as const };
const box = { top: thin, left: thin, bottom: thin, right: thin };

/** An Excel workbook with one sheet laid out like the annex: title, unit lines, the 序号/工作事项 table with borders. */
export async function buildXlsx(meta: ExportMeta, values: TableValues): Promise<ExportedFile> {
  const l = layout(meta, values);
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'rcsc reporting';
  wb.created = meta.generatedAt;
  const ws = wb.addWorksheet(l.annex, { pageSetup: { paperSize: 9, orientation: 'portrait' } });
  ws.columns = [{ width: 8 }, { width: 44 }, { width: 18 }];
  ws.addRow([neutralizeCell(l.annex)]).font = { bold: true };
  const titleRow = ws.addRow([neutralizeCell(l.title)]);
  ws.mergeCells(titleRow.number, 1, titleRow.number, 3);
  titleRow.font = { bold: true, size: 16 };
  titleRow.alignment = { horizontal: 'center' };
  for (const [k, v] of l.info) {
    const r = ws.addRow([neutralizeCell(`${k}：${v}`)]);
    ws.mergeCells(r.number, 1, r.number, 3);
  }
  const header = ws.addRow([...HEADER]);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.border = box;
    c.alignment = { horizontal: 'center' };
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
  });
  for (const row of l.rows) {
    const r = ws.addRow(row.map(neutralizeCell));
    for (let i = 1; i <= 3; i++) r.getCell(i).border = box;
    r.getCell(1).alignment = { horizontal: 'center' };
    r.getCell(3).numFmt = '#,##0';
  }
  for (const f of l.footer) {
    const r = ws.addRow([neutralizeCell(f)]);
    ws.mergeCells(r.number, 1, r.number, 3);
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    filename: exportFilename(meta, 'xlsx'),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    byteLength: buf.length,
    base64: buf.toString('base64'),
  };
}
