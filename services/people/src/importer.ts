import { addToCounters, memberState } from './counters';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { Roles } from '@rcsc/access';
import { normalize } from '@rcsc/personal-data';
import { badInput, groupBy, isDuplicateKey, markWritten, parseDate, parseWith } from '@rcsc/service-kit';
import type { Context } from './context';
import type { MemberDoc } from './models';
import { currentKey, issueMemberNumbers, newMemberDoc } from './new-records';
import { auditedPerson, auditMany } from './pipeline';
import { isoDay, newMemberProblem, objectIdSchema, registerMemberInput, unitReferenceProblem } from './rules';
import { pathOf } from '@rcsc/directory';

/** Column names accepted in the header row (English or Chinese), by field. */
const COLUMNS: Record<string, string[]> = {
  kind: ['kind', '类别', '会员类别'],
  name: ['name', '姓名', '名称', '姓名/名称'],
  idNumber: ['idnumber', '身份证号', '身份证号码', '证件号码', '统一社会信用代码'],
  phone: ['phone', '手机', '手机号', '电话', '联系电话'],
  joinedOn: ['joinedon', '入会日期', '入会时间'],
  contactPerson: ['contactperson', '联系人'],
  grassrootsUnitId: ['grassrootsunitid', '基层组织', '基层组织编号'],
};
const REQUIRED = ['kind', 'name', 'idNumber', 'joinedOn'];
const KINDS: Record<string, string> = {
  成人: 'ADULT',
  成人会员: 'ADULT',
  青少年: 'YOUTH',
  青少年会员: 'YOUTH',
  团体: 'GROUP',
  团体会员: 'GROUP',
};

const importMembersInput = z.object({
  organizationId: objectIdSchema,
  format: z.enum(['CSV', 'XLSX']),
  content: z.string().min(1, 'must not be empty').max(40_000_000, 'is larger than 40 MB'),
});

/** One data row of the file: its line (header = 1) and its cells by field. */
interface Row {
  line: number;
  cells: Record<string, string>;
}
interface RowError {
  line: number;
  field: string;
  message: string;
}

function mapHeader(header: string[]): (string | null)[] {
  const fields = header.map((h) => {
    const key = h
      .trim()
      .toLowerCase()
      .replace(/^\ufeff/, '');
    return Object.keys(COLUMNS).find((f) => COLUMNS[f].includes(key)) ?? null;
  });
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length) throw badInput('input.content', `the header row lacks the column(s) ${missing.join(', ')}`);
  return fields;
}

function toRows(table: { line: number; values: string[] }[]): Row[] {
  if (!table.length) throw badInput('input.content', 'has no header row');
  const fields = mapHeader(table[0].values);
  return table
    .slice(1)
    .filter((r) => r.values.some((v) => v.trim() !== ''))
    .map((r) => {
      const cells: Record<string, string> = {};
      fields.forEach((f, i) => {
        if (f && r.values[i] != null) cells[f] = r.values[i].trim();
      });
      return { line: r.line, cells };
    });
}

function readCsv(content: string): Row[] {
  try {
    const records = parseCsv(content, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return toRows(records.map((r) => ({ line: r.info.lines, values: r.record })));
  } catch (err) {
    if ((err as { extensions?: unknown }).extensions) throw err;
    throw badInput('input.content', `is not valid CSV: ${(err as Error).message}`);
  }
}

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

async function readXlsx(content: string): Promise<Row[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(content, 'base64') as unknown as ArrayBuffer);
  } catch {
    throw badInput('input.content', 'is not a readable .xlsx workbook (base64)');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw badInput('input.content', 'the workbook has no sheet');
  const table: { line: number; values: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellText(cell.value);
    });
    table.push({ line, values: Array.from(values, (v) => v ?? '') });
  });
  return toRows(table);
}

/** Accepts 2021-03-05, 2021/3/5 and 2021.3.5. */
function readDate(s: string | undefined): Date | null {
  if (!s) return null;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  return m ? parseDate(`${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`) : null;
}

const rowSchema = registerMemberInput.omit({ organizationId: true });

/**
 * Members written (with their audit entries) per transaction. Small: a transaction's writes are
 * checked against each other for unique keys (quadratic in the batch on the embedded server),
 * and a batch that meets a person registered meanwhile is written again.
 */
const IMPORT_BATCH = 100;

/**
 * Bulk registration (批量会籍登记): every row validated like registerMember; good rows saved,
 * bad rows reported with their line, field and reason; a person already registered in the branch
 * (now or earlier in the same file) is not registered again, so importing a file twice is harmless.
 * ADMIN or STAFF of a subtree containing the branch only; every member created is audited.
 */
export async function importMembers(ctx: Context, input: unknown) {
  ctx.access.requireRole(Roles.WRITERS, 'import members');
  const data = parseWith(importMembersInput, input, 'input');
  const branch = await ctx.access.activeBranch(data.organizationId, 'input.organizationId');
  const rows = data.format === 'CSV' ? readCsv(data.content) : await readXlsx(data.content);
  if (rows.length > ctx.config.importMaxRows) {
    throw badInput('input.content', `has ${rows.length} rows: at most ${ctx.config.importMaxRows} per import`);
  }

  const errors: RowError[] = [];
  const good: { line: number; value: z.infer<typeof rowSchema>; hash: string }[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    const c = row.cells;
    const kindText = (c.kind ?? '').trim();
    const joined = readDate(c.joinedOn);
    const parsed = rowSchema.safeParse({
      kind: KINDS[kindText] ?? kindText.toUpperCase(),
      name: c.name ?? '',
      idNumber: c.idNumber ?? '',
      phone: c.phone || null,
      contactPerson: c.contactPerson || null,
      grassrootsUnitId: c.grassrootsUnitId?.trim() || null,
      joinedOn: joined ?? c.joinedOn ?? null,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'row');
        const message =
          field === 'joinedOn' && !joined
            ? 'must be a date as YYYY-MM-DD'
            : field === 'kind'
              ? 'must be ADULT, YOUTH or GROUP (成人/青少年/团体)'
              : issue.message;
        if (!errors.some((e) => e.line === row.line && e.field === field)) errors.push({ line: row.line, field, message });
      }
      continue;
    }
    const v = parsed.data;
    const problem = newMemberProblem(v, ctx.config, branch);
    if (problem) {
      errors.push({ line: row.line, field: problem.field, message: problem.message });
      continue;
    }
    const hash = ctx.vault.hash(normalize(v.idNumber));
    const seen = firstLineOf.get(hash);
    if (seen !== undefined) {
      errors.push({ line: row.line, field: 'idNumber', message: `the same person as line ${seen}` });
      continue;
    }
    firstLineOf.set(hash, row.line);
    good.push({ line: row.line, value: v, hash });
  }

  // Grassroots units named by rows: one lookup for all of them, then the same rule as registerMember.
  const unitIds = [...new Set(good.flatMap((g) => (g.value.grassrootsUnitId ? [g.value.grassrootsUnitId.toLowerCase()] : [])))];
  if (unitIds.length) {
    const found = await ctx.units.units(unitIds);
    const paths = new Map<string, { unit: (typeof found)[number]; path: string[] | null }>();
    for (const [i, id] of unitIds.entries()) {
      const unit = found[i];
      const unitBranch = unit ? await ctx.directory.get(unit.organizationId.toLowerCase()) : null;
      paths.set(id, { unit, path: unitBranch ? pathOf(unitBranch) : null });
    }
    for (let i = good.length - 1; i >= 0; i--) {
      const g = good[i];
      if (!g.value.grassrootsUnitId) continue;
      const { unit, path } = paths.get(g.value.grassrootsUnitId.toLowerCase())!;
      const problem = unitReferenceProblem(unit, path, branch, g.value.joinedOn);
      if (problem) {
        errors.push({ line: g.line, field: 'grassrootsUnitId', message: problem });
        good.splice(i, 1);
      }
    }
  }

  // Who is already registered in the branch: one indexed query per 1,000 rows.
  const existing = new Set<string>();
  const orgId = branch.id;
  for (let i = 0; i < good.length; i += 1000) {
    // Current members of the branch only (a former member joins again): the unique currentKey index.
    const keys = good.slice(i, i + 1000).map((g) => currentKey(orgId, g.hash));
    const found = (await ctx.models.Member.find({ currentKey: { $in: keys } }, { idNumberHash: 1 }).lean()) as Pick<
      MemberDoc,
      'idNumberHash'
    >[];
    for (const f of found) existing.add(f.idNumberHash);
  }
  const fresh = good.filter((g) => !existing.has(g.hash));
  let created = 0;
  let raced = 0;
  const now = new Date();
  for (let i = 0; i < fresh.length; i += IMPORT_BATCH) {
    let docs = fresh
      .slice(i, i + IMPORT_BATCH)
      .map((g) => ({ ...newMemberDoc(g.value, branch, ctx.vault, ctx.config), createdAt: now, updatedAt: now }));
    // One transaction per batch: the members and their audit entries are written together. A
    // person registered meanwhile by someone else (unique index) aborts the batch; the batch is
    // then written again without them, who count as already registered.
    for (let attempt = 0; docs.length; attempt++) {
      try {
        // Not through the pipeline's one-record create: the batch is inserted, counted and
        // audited with one command each.
        await ctx.models.Member.db.transaction(async (session) => {
          // Member numbers from the branch-year counters, in file order, in this batch's transaction.
          for (const [year, ofYear] of groupBy(docs, (m) => String(m.joinedOn.getUTCFullYear()))) {
            const numbers = await issueMemberNumbers(ctx.models, branch, Number(year), ofYear.length, session);
            ofYear.forEach((m, i) => (m.memberNumber = numbers[i]));
          }
          await ctx.models.Member.collection.insertMany(docs, { ordered: true, session });
          await addToCounters(ctx.models, docs.map(memberState), session);
          await auditMany(
            ctx,
            docs.map((d) => ({ action: 'importMembers', entity: 'Member', entityId: d._id, orgPath: d.orgPath, after: auditedPerson(d) })),
            session,
          );
        });
        markWritten(ctx);
        created += docs.length;
        break;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 10) throw err;
        const present = new Set(
          (
            (await ctx.models.Member.find({ currentKey: { $in: docs.map((d) => d.currentKey!) } }, { idNumberHash: 1 }).lean()) as Pick<
              MemberDoc,
              'idNumberHash'
            >[]
          ).map((f) => f.idNumberHash),
        );
        const rest = docs.filter((d) => !present.has(d.idNumberHash));
        raced += docs.length - rest.length;
        docs = rest;
      }
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return {
    rows: rows.length,
    created,
    alreadyRegistered: existing.size + raced,
    failed: new Set(errors.map((e) => e.line)).size,
    errors,
  };
}
