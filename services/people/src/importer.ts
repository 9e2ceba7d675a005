// Bulk registration of members and volunteers from CSV or XLSX files (@rcsc/tables reads them:
// English or Chinese headers, title rows above the header, the branch column). Every row is
// checked like the one-record mutation; good rows are written in batches with their audit
// entries and counters, bad rows reported by line, column and reason; a person already
// registered in the row's branch is skipped, so importing a file twice adds nothing.
import { GraphQLError } from 'graphql';
import type { ClientSession } from 'mongoose';
import { z } from 'zod';
import { Roles } from '@rcsc/access';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { normalize } from '@rcsc/personal-data';
import { badInput, groupBy, isDuplicateKey, markWritten, parseDate, parseWith } from '@rcsc/service-kit';
import { BranchColumn, readDay, readTable, TableError, type Columns, type TableRow } from '@rcsc/tables';
import type { Context } from './context';
import { addToCounters, memberState, stateOf } from './counters';
import type { MemberDoc, VolunteerDoc } from './models';
import { issueMemberNumbers, memberKey, newMemberDoc, newVolunteerDoc } from './new-records';
import { auditedPerson, auditMany } from './pipeline';
import {
  checkBranchDate,
  checkNewVolunteer,
  newMemberProblem,
  objectIdSchema,
  registerMemberInput,
  registerVolunteerInput,
  unitReferenceProblem,
} from './rules';

/** The largest file an import takes (the gateway's upload route has the same limit). */
export const IMPORT_MAX_BYTES = 40_000_000;

/** The branch column (所属红十字会): a division code or a path of branch names, inside the import's branch. */
const BRANCH_COLUMN = ['branch', '所属红十字会', '所属红十字会区划代码', '区划代码', 'divisionCode', '所属组织'];

/** Column names accepted in the header row (English or Chinese), by field. */
export const MEMBER_COLUMNS: Columns = {
  kind: ['kind', '类别', '会员类别'],
  name: ['name', '姓名', '名称', '姓名/名称'],
  idNumber: ['idNumber', '身份证号', '身份证号码', '证件号码', '统一社会信用代码'],
  phone: ['phone', '手机', '手机号', '电话', '联系电话'],
  joinedOn: ['joinedOn', '入会日期', '入会时间'],
  contactPerson: ['contactPerson', '联系人'],
  grassrootsUnitId: ['grassrootsUnitId', '基层组织', '基层组织编号'],
  branch: BRANCH_COLUMN,
};
const MEMBER_REQUIRED = ['kind', 'name', 'idNumber', 'joinedOn'];

export const VOLUNTEER_COLUMNS: Columns = {
  name: ['name', '姓名'],
  idNumber: ['idNumber', '身份证号', '身份证号码', '证件号码'],
  phone: ['phone', '手机', '手机号', '电话', '联系电话'],
  registeredOn: ['registeredOn', '注册日期', '登记日期'],
  nationalSystemRegisteredOn: ['nationalSystemRegisteredOn', '全国系统注册日期', '全国志愿服务信息系统注册日期'],
  nationalSystemId: ['nationalSystemId', '全国志愿者编号', '志愿者编号'],
  skills: ['skills', '技能', '专长'],
  grassrootsUnitId: ['grassrootsUnitId', '基层组织', '基层组织编号'],
  guardianConsent: ['guardianConsent', '监护人同意'],
  branch: BRANCH_COLUMN,
};
const VOLUNTEER_REQUIRED = ['name', 'idNumber', 'registeredOn'];

const KINDS: Record<string, string> = {
  成人: 'ADULT',
  成人会员: 'ADULT',
  青少年: 'YOUTH',
  青少年会员: 'YOUTH',
  团体: 'GROUP',
  团体会员: 'GROUP',
};

const importInput = z
  .object({
    organizationId: objectIdSchema,
    format: z.enum(['CSV', 'XLSX']),
    content: z.union([z.string().min(1, 'must not be empty'), z.instanceof(Buffer)]),
  })
  .superRefine((v, ctx) => {
    const bytes =
      typeof v.content !== 'string' ? v.content.length : v.format === 'XLSX' ? (v.content.length * 3) / 4 : Buffer.byteLength(v.content);
    if (bytes > IMPORT_MAX_BYTES) ctx.addIssue({ code: 'custom', path: ['content'], message: 'is larger than 40 MB' });
  });

export interface RowError {
  line: number;
  field: string;
  message: string;
}

/** The result of an import (ImportResult). */
export interface ImportReport {
  rows: number;
  created: number;
  alreadyRegistered: number;
  failed: number;
  errors: RowError[];
}

/** A refusal of a rule (BAD_USER_INPUT naming its field) as a row's error. */
function asRowError(line: number, err: unknown): RowError {
  if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT') {
    const f = (err.extensions.fields as { field: string; message: string }[] | undefined)?.[0];
    return { line, field: (f?.field ?? 'row').replace(/^input\./, ''), message: f?.message ?? err.message };
  }
  throw err;
}

/** Accepts 2021-03-05, 2021/3/5 and 2021.3.5. */
const readDate = (s: string | undefined): Date | null => {
  const d = readDay(s);
  return d ? parseDate(d) : null;
};

/** The rows of the file with their branches (the branch column inside the import's branch), and the rows that name none. */
async function readRows(ctx: Context, data: z.infer<typeof importInput>, columns: Columns, required: string[]) {
  const root = await ctx.access.activeBranch(data.organizationId, 'input.organizationId');
  let rows: TableRow[];
  try {
    rows = await readTable(data.format, data.content, columns, required);
  } catch (err) {
    if (err instanceof TableError) throw badInput('input.content', err.message);
    throw err;
  }
  if (rows.length > ctx.config.importMaxRows) {
    throw badInput('input.content', `has ${rows.length} rows: at most ${ctx.config.importMaxRows} per import`);
  }
  const errors: RowError[] = [];
  const placed: { row: TableRow; branch: BranchInfo }[] = [];
  // The subtree is read only when a row names a branch: a county's own file costs nothing more.
  const column = rows.some((r) => r.cells.branch) ? new BranchColumn(root, await ctx.directory.subtree(root.id)) : null;
  for (const row of rows) {
    const picked = column ? column.pick(row.cells.branch) : { branch: root };
    if ('error' in picked) errors.push({ line: row.line, field: 'branch', message: picked.error });
    else placed.push({ row, branch: picked.branch });
  }
  return { rows, errors, placed };
}

/** The zod issues of a row as its errors, one per field. */
function issuesOf(line: number, error: z.ZodError, message: (field: string, m: string) => string): RowError[] {
  const seen = new Set<string>();
  const out: RowError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'row');
    if (!seen.has(field)) out.push({ line, field, message: message(field, issue.message) });
    seen.add(field);
  }
  return out;
}

/** Rows naming grassroots units: one lookup for all of them, then registerMember's rule per row (bad ones leave `good`). */
async function checkUnits<G extends { line: number; branch: BranchInfo; unitId?: string | null; on: Date }>(
  ctx: Context,
  good: G[],
  errors: RowError[],
): Promise<G[]> {
  const unitIds = [...new Set(good.flatMap((g) => (g.unitId ? [g.unitId.toLowerCase()] : [])))];
  if (!unitIds.length) return good;
  const found = await ctx.units.units(unitIds);
  const paths = new Map<string, { unit: (typeof found)[number]; path: string[] | null }>();
  for (const [i, id] of unitIds.entries()) {
    const unit = found[i];
    const unitBranch = unit ? await ctx.directory.get(unit.organizationId.toLowerCase()) : null;
    paths.set(id, { unit, path: unitBranch ? pathOf(unitBranch) : null });
  }
  return good.filter((g) => {
    if (!g.unitId) return true;
    const { unit, path } = paths.get(g.unitId.toLowerCase())!;
    const problem = unitReferenceProblem(unit, path, g.branch, g.on);
    if (problem) errors.push({ line: g.line, field: 'grassrootsUnitId', message: problem });
    return !problem;
  });
}

/**
 * Who of `keys` (currentKey) is registered now in `model`, with the branch holding them: one
 * indexed query per 1,000.
 */
async function registeredNow(
  model: Context['models']['Member'] | Context['models']['Volunteer'],
  keys: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const found = (await (model as Context['models']['Member'])
      .find({ currentKey: { $in: keys.slice(i, i + 1000) } }, { currentKey: 1, organizationId: 1 })
      .lean()) as {
      currentKey: string;
      organizationId: unknown;
    }[];
    for (const f of found) out.set(f.currentKey, String(f.organizationId));
  }
  return out;
}

/**
 * Records written (with their audit entries) per transaction. Small: a transaction's writes are
 * checked against each other for unique keys (quadratic in the batch on the embedded server),
 * and a batch that meets a person registered meanwhile is written again.
 */
const IMPORT_BATCH = 100;

/**
 * Writes `fresh` in batches, one transaction each: `write` inserts them with their counters and
 * audit entries. A person registered meanwhile by someone else (unique index) aborts the batch;
 * it is written again without them, who count as already registered.
 */
async function writeBatches<D extends { currentKey?: string | null }>(
  ctx: Context,
  model: Context['models']['Member'] | Context['models']['Volunteer'],
  fresh: D[],
  write: (docs: D[], session: ClientSession) => Promise<void>,
): Promise<{ created: number; raced: number }> {
  let created = 0;
  let raced = 0;
  for (let i = 0; i < fresh.length; i += IMPORT_BATCH) {
    let docs = fresh.slice(i, i + IMPORT_BATCH);
    for (let attempt = 0; docs.length; attempt++) {
      try {
        await ctx.models.Member.db.transaction((session) => write(docs, session));
        markWritten(ctx);
        created += docs.length;
        break;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 10) throw err;
        const present = await registeredNow(
          model,
          docs.map((d) => d.currentKey!),
        );
        const rest = docs.filter((d) => !present.has(d.currentKey!));
        // Nobody registered meanwhile: another unique key (e.g. a national volunteer code) refused the batch.
        if (rest.length === docs.length) throw err;
        raced += docs.length - rest.length;
        docs = rest;
      }
    }
  }
  return { created, raced };
}

const memberRow = registerMemberInput.omit({ organizationId: true });

/**
 * Bulk registration (批量会籍登记): every row validated like registerMember, in the branch its
 * branch column names (a division code or a path of names inside the import's branch; empty: the
 * import's branch); good rows saved, bad rows reported with their line, field and reason; a
 * person already registered in the row's branch (now or earlier in the same file) is not
 * registered again, so importing a file twice is harmless. ADMIN or STAFF of a subtree
 * containing the branch only; every member created is audited.
 */
export async function importMembers(ctx: Context, input: unknown): Promise<ImportReport> {
  ctx.access.requireRole(Roles.WRITERS, 'import members');
  const data = parseWith(importInput, input, 'input');
  const { rows, errors, placed } = await readRows(ctx, data, MEMBER_COLUMNS, MEMBER_REQUIRED);

  let good: { line: number; branch: BranchInfo; value: z.infer<typeof memberRow>; hash: string; unitId?: string | null; on: Date }[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { row, branch } of placed) {
    const c = row.cells;
    const kindText = (c.kind ?? '').trim();
    const joined = readDate(c.joinedOn);
    const parsed = memberRow.safeParse({
      kind: KINDS[kindText] ?? kindText.toUpperCase(),
      name: c.name ?? '',
      idNumber: c.idNumber ?? '',
      phone: c.phone || null,
      contactPerson: c.contactPerson || null,
      grassrootsUnitId: c.grassrootsUnitId?.trim() || null,
      joinedOn: joined ?? c.joinedOn ?? null,
    });
    if (!parsed.success) {
      errors.push(
        ...issuesOf(row.line, parsed.error, (field, message) =>
          field === 'joinedOn' && !joined
            ? 'must be a date as YYYY-MM-DD'
            : field === 'kind'
              ? 'must be ADULT, YOUTH or GROUP (成人/青少年/团体)'
              : message,
        ),
      );
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
    good.push({ line: row.line, branch, value: v, hash, unitId: v.grassrootsUnitId, on: v.joinedOn });
  }
  good = await checkUnits(ctx, good, errors);

  // One membership per person nationally (the unique currentKey index, memberKey): a current
  // member of the row's branch is skipped (a re-import adds nothing), one of another branch is
  // that row's error (a transfer moves them); a former member joins again.
  const existing = await registeredNow(
    ctx.models.Member,
    good.map((g) => memberKey(g.hash)),
  );
  good = good.filter((g) => {
    const holder = existing.get(memberKey(g.hash));
    if (holder && holder !== g.branch.id) {
      errors.push({ line: g.line, field: 'idNumber', message: 'already a member of another branch (transferMember moves a member)' });
      existing.delete(memberKey(g.hash));
    }
    return !holder;
  });
  const now = new Date();
  // Written branch by branch (file order within each): a batch then takes member numbers from one
  // or two branch-year counters, not from every branch of a province's file.
  const fresh = Array.from(groupBy(good, (g) => g.branch.id).values())
    .flat()
    .map((g) => ({ doc: { ...newMemberDoc(g.value, g.branch, ctx.vault, ctx.config), createdAt: now, updatedAt: now }, branch: g.branch }));
  const branchOf = new Map(fresh.map((f) => [f.doc, f.branch]));
  const { created, raced } = await writeBatches(
    ctx,
    ctx.models.Member,
    fresh.map((f) => f.doc),
    async (docs, session) => {
      // Member numbers from the branch-year counters, in file order, in this batch's transaction.
      for (const ofBranch of groupBy(docs, (m) => String(m.organizationId)).values()) {
        for (const [year, ofYear] of groupBy(ofBranch, (m) => String(m.joinedOn.getUTCFullYear()))) {
          const numbers = await issueMemberNumbers(ctx.models, branchOf.get(ofYear[0])!, Number(year), ofYear.length, session);
          ofYear.forEach((m, i) => (m.memberNumber = numbers[i]));
        }
      }
      // Not through the pipeline's one-record create: the batch is inserted, counted and audited with one command each.
      await ctx.models.Member.collection.insertMany(docs, { ordered: true, session });
      await addToCounters(ctx.models, docs.map(memberState), session);
      await auditMany(
        ctx,
        docs.map((d) => ({
          action: 'importMembers',
          entity: 'Member',
          entityId: d._id,
          orgPath: d.orgPath,
          after: auditedPerson(d as MemberDoc),
        })),
        session,
      );
    },
  );
  errors.sort((a, b) => a.line - b.line);
  return { rows: rows.length, created, alreadyRegistered: existing.size + raced, failed: new Set(errors.map((e) => e.line)).size, errors };
}

const YES = new Set(['是', '有', '同意', 'true', '1', 'yes', 'y']);
const NO = new Set(['否', '无', '不同意', 'false', '0', 'no', 'n']);
const volunteerRow = registerVolunteerInput;

/**
 * Bulk registration of volunteers (志愿者批量注册): every row checked like registerVolunteer (the
 * identity number, ages from 14 with a guardian's consent under 18, the national registration's
 * day, the national volunteer code unique, the grassroots unit), in the branch its branch column
 * names; already registered people in the row's branch are skipped. ADMIN or STAFF only; every
 * volunteer created is audited and counted.
 */
export async function importVolunteers(ctx: Context, input: unknown): Promise<ImportReport> {
  ctx.access.requireRole(Roles.WRITERS, 'import volunteers');
  const data = parseWith(importInput, input, 'input');
  const { rows, errors, placed } = await readRows(ctx, data, VOLUNTEER_COLUMNS, VOLUNTEER_REQUIRED);

  let good: { line: number; branch: BranchInfo; doc: VolunteerDoc; unitId?: string | null; on: Date }[] = [];
  const firstLineOf = new Map<string, number>();
  const codeLine = new Map<string, number>();
  for (const { row, branch } of placed) {
    const c = row.cells;
    const consent = c.guardianConsent?.toLowerCase();
    const parsed = volunteerRow.safeParse({
      organizationId: branch.id,
      name: c.name ?? '',
      idNumber: c.idNumber ?? '',
      phone: c.phone || null,
      registeredOn: readDate(c.registeredOn) ?? c.registeredOn ?? null,
      nationalSystemRegisteredOn: c.nationalSystemRegisteredOn
        ? (readDate(c.nationalSystemRegisteredOn) ?? c.nationalSystemRegisteredOn)
        : null,
      nationalSystemId: c.nationalSystemId || null,
      skills: c.skills
        ? c.skills
            .split(/[,，、;；]+/)
            .map((s) => s.trim())
            .filter(Boolean)
        : null,
      grassrootsUnitId: c.grassrootsUnitId || null,
      guardianConsent: consent == null ? null : YES.has(consent) ? true : NO.has(consent) ? false : consent,
    });
    if (!parsed.success) {
      errors.push(
        ...issuesOf(row.line, parsed.error, (field, message) =>
          (field === 'registeredOn' || field === 'nationalSystemRegisteredOn') && !readDate(c[field])
            ? 'must be a date as YYYY-MM-DD'
            : field === 'guardianConsent'
              ? 'must be 是 or 否'
              : message,
        ),
      );
      continue;
    }
    const doc = newVolunteerDoc(parsed.data, branch, ctx.vault);
    try {
      checkNewVolunteer(doc);
      checkBranchDate(branch, doc.registeredOn, 'input.registeredOn');
    } catch (err) {
      errors.push(asRowError(row.line, err));
      continue;
    }
    const seen = firstLineOf.get(doc.idNumberHash);
    if (seen !== undefined) {
      errors.push({ line: row.line, field: 'idNumber', message: `the same person as line ${seen}` });
      continue;
    }
    const code = doc.nationalSystemId;
    if (code && codeLine.has(code)) {
      errors.push({ line: row.line, field: 'nationalSystemId', message: `the same national volunteer code as line ${codeLine.get(code)}` });
      continue;
    }
    firstLineOf.set(doc.idNumberHash, row.line);
    if (code) codeLine.set(code, row.line);
    good.push({ line: row.line, branch, doc, unitId: parsed.data.grassrootsUnitId, on: doc.registeredOn });
  }
  good = await checkUnits(ctx, good, errors);

  const existing = await registeredNow(
    ctx.models.Volunteer,
    good.map((g) => g.doc.currentKey!),
  );
  let fresh = good.filter((g) => !existing.has(g.doc.currentKey!));
  // A national volunteer code already held by another volunteer: the row is refused (registerVolunteer's CONFLICT).
  const codes = fresh.flatMap((g) => (g.doc.nationalSystemId ? [g.doc.nationalSystemId] : []));
  if (codes.length) {
    const held = new Set<string>();
    for (let i = 0; i < codes.length; i += 1000) {
      const found = (await ctx.models.Volunteer.find(
        { nationalSystemId: { $in: codes.slice(i, i + 1000) } },
        { nationalSystemId: 1 },
      ).lean()) as {
        nationalSystemId: string;
      }[];
      for (const f of found) held.add(f.nationalSystemId);
    }
    fresh = fresh.filter((g) => {
      const taken = g.doc.nationalSystemId != null && held.has(g.doc.nationalSystemId);
      if (taken)
        errors.push({ line: g.line, field: 'nationalSystemId', message: 'another volunteer already has this national volunteer code' });
      return !taken;
    });
  }
  const now = new Date();
  const { created, raced } = await writeBatches(
    ctx,
    ctx.models.Volunteer,
    fresh.map((g) => ({ ...g.doc, createdAt: now, updatedAt: now })),
    async (docs, session) => {
      await ctx.models.Volunteer.collection.insertMany(docs, { ordered: true, session });
      await addToCounters(
        ctx.models,
        docs.map((d) => stateOf('Volunteer', d)!),
        session,
      );
      await auditMany(
        ctx,
        docs.map((d) => ({
          action: 'importVolunteers',
          entity: 'Volunteer',
          entityId: d._id,
          orgPath: d.orgPath,
          after: auditedPerson(d),
        })),
        session,
      );
    },
  );
  errors.sort((a, b) => a.line - b.line);
  return { rows: rows.length, created, alreadyRegistered: existing.size + raced, failed: new Set(errors.map((e) => e.line)).size, errors };
}
