// Bulk import and export of grassroots units and Boai homes (issue 24): CSV or XLSX with Chinese
// headers (@rcsc/tables), every row validated like the one-record mutation, bad rows reported by
// line and field, good ones written in one audited transaction; a row whose natural key (its
// branch and name) is already registered is left alone, so importing a file twice is harmless.
import { GraphQLError } from 'graphql';
import { Types, type Model } from 'mongoose';
import { z } from 'zod';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { badInput, parseDate } from '@rcsc/service-kit';
import { BranchColumn, readDay, readTable, TableError, writeTable, type Columns, type TableFormat, type TableRow } from '@rcsc/tables';
import type { Context } from './context';
import { EMBEDDINGS, HOME_SERVICES, UNIT_TYPES, type BoaiHomeDoc, type GrassrootsUnitDoc } from './models';
import { pipeline, writes } from './resolvers/mutations/pipeline';
import { allOf } from '@rcsc/service-kit';
import { homeFilter, listScope, unitFilter } from './resolvers/filters';
import {
  checkBranchDate,
  contactOf,
  equipmentFromCounts,
  equipmentTotalsOn,
  openHomeInput,
  registerUnitInput,
  today,
  townshipAt,
} from './rules';

/** At most this many rows per file, imported or exported (one transaction, one answer). */
export const BULK_MAX_ROWS = 2000;

const UNIT_TYPE_LABELS: Record<(typeof UNIT_TYPES)[number], string> = {
  TOWNSHIP: '乡镇',
  STREET: '街道',
  COMMUNITY: '社区',
  SCHOOL: '学校',
  HOSPITAL: '医院',
  ENTERPRISE: '企业',
  PUBLIC_INSTITUTION: '事业单位',
  OTHER: '其他',
};
const SETTING_LABELS = { URBAN: '城市', RURAL: '农村' } as const;
const EMBEDDING_LABELS: Record<(typeof EMBEDDINGS)[number], string> = {
  PARTY_SERVICE_CENTER: '党群服务中心',
  CIVILIZATION_PRACTICE_CENTER: '新时代文明实践中心',
  OTHER_PUBLIC_FACILITY: '其他公共服务设施',
  STANDALONE: '独立阵地',
};
const SERVICE_LABELS: Record<(typeof HOME_SERVICES)[number], string> = {
  FIRST_AID_TRAINING: '应急救护培训',
  DISASTER_PREPAREDNESS: '防灾减灾',
  HUMANITARIAN_RELIEF: '人道救助',
  ELDERLY_CARE: '养老助老',
  CHILD_CARE: '关爱儿童',
  HEALTH_PROMOTION: '健康促进',
  VOLUNTEER_SERVICE: '志愿服务',
  DONATION_PROMOTION: '捐献宣传',
  LIVELIHOOD: '生计发展',
};

/** A label or an enum name back to the enum name (undefined: neither). */
function fromLabel<K extends string>(
  labels: Record<K, string>,
  text: string | undefined,
  extra: Record<string, K> = {},
): string | undefined {
  if (!text) return undefined;
  const found = (Object.keys(labels) as K[]).find((k) => labels[k] === text || k === text.toUpperCase());
  return found ?? extra[text] ?? text;
}

// Headers: the first name of each field is what exports write.
const PLACE_COLUMNS = {
  // The branch: a division code, or a path of branch names (杭州市红十字会/西湖区红十字会), inside the import's branch.
  divisionCode: ['所属红十字会区划代码', 'divisionCode', '区划代码', '所属红十字会', 'branch'],
  townshipCode: ['乡镇街道代码', 'townshipCode'],
  community: ['社区', 'community', '社区/村'],
  address: ['地址', 'address'],
  phone: ['电话', 'phone', '联系电话'],
  email: ['电子邮箱', 'email', '邮箱'],
  longitude: ['经度', 'longitude'],
  latitude: ['纬度', 'latitude'],
};
export const UNIT_COLUMNS: Columns = {
  name: ['名称', 'name', '单位名称'],
  type: ['类型', 'type'],
  establishedOn: ['成立日期', 'establishedOn'],
  ...PLACE_COLUMNS,
  leaderName: ['带头人', 'leaderName'],
  leaderPhone: ['带头人手机', 'leaderPhone'],
  aeds: ['AED', 'aeds'],
  firstAidKits: ['急救箱', 'firstAidKits'],
  firstAidKiosks: ['救护一体机', 'firstAidKiosks'],
  schoolClinic: ['博爱校医室', 'schoolClinic'],
};
export const HOME_COLUMNS: Columns = {
  name: ['名称', 'name', '家园名称'],
  setting: ['城乡', 'setting'],
  openedOn: ['启用日期', 'openedOn', '建成日期'],
  ...PLACE_COLUMNS,
  embeddedIn: ['依托设施', 'embeddedIn'],
  services: ['服务项目', 'services'],
};

import { importInput, type RowError } from '@rcsc/service-kit';

const num = (s: string | undefined) => (s == null || s === '' ? undefined : Number(s));
const yes = (s: string | undefined) => (s == null ? undefined : ['是', '有', 'true', '1', 'yes', 'y'].includes(s.toLowerCase()));
const day = (s: string | undefined) => {
  const d = readDay(s);
  return d ? (parseDate(d) ?? s) : s;
};

/** The row's branch: the one its branch column names inside the import's branch, else the import's branch itself. */
function rowBranch(row: TableRow, column: BranchColumn<BranchInfo>): BranchInfo | RowError {
  const picked = column.pick(row.cells.divisionCode);
  return 'error' in picked ? { line: row.line, field: 'divisionCode', message: picked.error } : picked.branch;
}

/** A refusal of a rule (BAD_USER_INPUT naming its field) as a row's error. */
function asRowError(line: number, err: unknown): RowError {
  if (err instanceof GraphQLError) {
    const f = (err.extensions.fields as { field: string; message: string }[] | undefined)?.[0];
    return { line, field: (f?.field ?? 'row').replace(/^input\./, ''), message: f?.message ?? err.message };
  }
  throw err;
}

interface Parsed<T> {
  line: number;
  branch: BranchInfo;
  value: T;
}

/** Rows validated with `schema` (input of the one-record mutation); errors by line and field. */
async function validRows<S extends z.ZodType>(
  ctx: Context,
  data: z.infer<typeof importInput>,
  columns: Columns,
  required: string[],
  schema: S,
  toInput: (row: TableRow, branch: BranchInfo) => Record<string, unknown>,
  check: (v: z.infer<S>, branch: BranchInfo) => void,
) {
  const root = await ctx.access.activeBranch(data.organizationId, 'input.organizationId');
  let rows: TableRow[];
  try {
    rows = await readTable(data.format as TableFormat, data.content, columns, required);
  } catch (err) {
    if (err instanceof TableError) throw badInput('input.content', err.message);
    throw err;
  }
  if (rows.length > BULK_MAX_ROWS) throw badInput('input.content', `has ${rows.length} rows: at most ${BULK_MAX_ROWS} per import`);
  const column = new BranchColumn(root, rows.some((r) => r.cells.divisionCode) ? await ctx.directory.subtree(root.id) : []);
  const errors: RowError[] = [];
  const good: Parsed<z.infer<S>>[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const branch = rowBranch(row, column);
    if ('line' in branch) {
      errors.push(branch);
      continue;
    }
    const parsed = schema.safeParse({ ...toInput(row, branch), organizationId: branch.id });
    if (!parsed.success) {
      const seen = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || 'row';
        if (!seen.has(field)) errors.push({ line: row.line, field, message: issue.message });
        seen.add(field);
      }
      continue;
    }
    try {
      check(parsed.data, branch);
    } catch (err) {
      errors.push(asRowError(row.line, err));
      continue;
    }
    const key = `${branch.id}|${(parsed.data as { name: string }).name}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      errors.push({ line: row.line, field: 'name', message: `the same record as line ${first}` });
      continue;
    }
    firstLine.set(key, row.line);
    good.push({ line: row.line, branch, value: parsed.data });
  }
  return { good, errors };
}

/** The rows whose natural key (branch, name) is not registered yet, read in the change's session. */
async function newOnes<T extends { branch: BranchInfo; value: { name: string } }>(
  model: Model<GrassrootsUnitDoc> | Model<BoaiHomeDoc>,
  rows: T[],
  session: unknown,
) {
  if (!rows.length) return rows;
  const found = (await (model as Model<GrassrootsUnitDoc>)
    .find(
      {
        organizationId: { $in: [...new Set(rows.map((r) => r.branch.id))].map((id) => new Types.ObjectId(id)) },
        name: { $in: rows.map((r) => r.value.name) },
      },
      { organizationId: 1, name: 1 },
    )
    .session(session as never)
    .lean()) as { organizationId: Types.ObjectId; name: string }[];
  const taken = new Set(found.map((f) => `${String(f.organizationId)}|${f.name}`));
  return rows.filter((r) => !taken.has(`${r.branch.id}|${r.value.name}`));
}

const place = (branch: BranchInfo) => ({
  organizationId: new Types.ObjectId(branch.id),
  orgPath: pathOf(branch).map((id) => new Types.ObjectId(id)),
});

const placeInput = (c: Record<string, string>) => ({
  townshipCode: c.townshipCode,
  community: c.community,
  contact: c.address || c.phone || c.email ? { address: c.address, phone: c.phone, email: c.email } : undefined,
  location: c.longitude || c.latitude ? { longitude: num(c.longitude), latitude: num(c.latitude) } : undefined,
});

/** importGrassrootsUnits: ADMIN or STAFF of a subtree containing the branch; each unit created is audited and counted. */
export function importUnits(ctx: Context, input: unknown) {
  return pipeline.mutate(ctx, writes('importGrassrootsUnits', 'import grassroots units', importInput, input), async (change, data) => {
    const { good, errors } = await validRows(
      ctx,
      data,
      UNIT_COLUMNS,
      ['name', 'type', 'establishedOn'],
      registerUnitInput,
      (row) => {
        const c = row.cells;
        const equipment = [c.aeds, c.firstAidKits, c.firstAidKiosks, c.schoolClinic].some((v) => v != null);
        return {
          name: c.name,
          type: fromLabel(UNIT_TYPE_LABELS, c.type, { 村: 'COMMUNITY', 医疗机构: 'HOSPITAL' }),
          establishedOn: day(c.establishedOn),
          ...placeInput(c),
          leader: c.leaderName ? { name: c.leaderName, phone: c.leaderPhone } : undefined,
          school: equipment
            ? {
                aeds: num(c.aeds),
                firstAidKits: num(c.firstAidKits),
                firstAidKiosks: num(c.firstAidKiosks),
                schoolClinic: yes(c.schoolClinic),
              }
            : undefined,
        };
      },
      (v, branch) => {
        checkBranchDate(branch, v.establishedOn, 'input.establishedOn');
        townshipAt(v.townshipCode, branch);
      },
    );
    const fresh = await newOnes(ctx.models.GrassrootsUnit, good, change.session);
    for (const { branch, value: v } of fresh) {
      await change.create<GrassrootsUnitDoc>(ctx.models.GrassrootsUnit, 'GrassrootsUnit', {
        ...place(branch),
        name: v.name,
        type: v.type,
        township: townshipAt(v.townshipCode, branch) ?? null,
        community: v.community ?? null,
        establishedOn: v.establishedOn,
        leader: v.leader ? { name: v.leader.name, phone: v.leader.phone ? ctx.vault.protect(v.leader.phone, 'phone') : null } : null,
        fiveHas: [],
        equipment: v.type === 'SCHOOL' ? equipmentFromCounts(v.school, v.establishedOn) : undefined,
        contact: contactOf(v.contact) ?? null,
        location: v.location ?? null,
        medicalInstitutionId: null,
      });
    }
    return { created: fresh.length, existing: good.length - fresh.length, errors: errors.sort((a, b) => a.line - b.line) };
  });
}

/** importBoaiHomes: as importUnits, for homes. */
export function importHomes(ctx: Context, input: unknown) {
  return pipeline.mutate(ctx, writes('importBoaiHomes', 'import Boai homes', importInput, input), async (change, data) => {
    const { good, errors } = await validRows(
      ctx,
      data,
      HOME_COLUMNS,
      ['name', 'setting', 'community', 'openedOn'],
      openHomeInput,
      (row) => {
        const c = row.cells;
        return {
          name: c.name,
          setting: fromLabel(SETTING_LABELS, c.setting, { 城市社区: 'URBAN', 农村社区: 'RURAL', 城镇: 'URBAN' }),
          openedOn: day(c.openedOn),
          ...placeInput(c),
          embeddedIn: fromLabel(EMBEDDING_LABELS, c.embeddedIn),
          services: c.services
            ? c.services
                .split(/[,，、;；\s]+/)
                .filter(Boolean)
                .map((s) => fromLabel(SERVICE_LABELS, s))
            : undefined,
        };
      },
      (v, branch) => {
        checkBranchDate(branch, v.openedOn, 'input.openedOn');
        townshipAt(v.townshipCode, branch);
      },
    );
    const fresh = await newOnes(ctx.models.BoaiHome, good, change.session);
    for (const { branch, value: v } of fresh) {
      await change.create<BoaiHomeDoc>(ctx.models.BoaiHome, 'BoaiHome', {
        ...place(branch),
        name: v.name,
        setting: v.setting,
        township: townshipAt(v.townshipCode, branch) ?? null,
        community: v.community,
        embeddedIn: v.embeddedIn,
        services: v.services,
        openedOn: v.openedOn,
        demonstrationPeriods: [],
        contact: contactOf(v.contact) ?? null,
        location: v.location ?? null,
      });
    }
    return { created: fresh.length, existing: good.length - fresh.length, errors: errors.sort((a, b) => a.line - b.line) };
  });
}

export interface ExportArgs {
  organizationId?: string | null;
  format: TableFormat;
  asOf?: Date | null;
  includeAll?: boolean | null;
}

/** The records of an export in name order (the viewer's subtree, narrowed by organizationId), at most BULK_MAX_ROWS. */
async function exported<T>(ctx: Context, model: Model<T>, args: ExportArgs, filter: Record<string, unknown>): Promise<T[]> {
  const scope = await listScope(ctx.access, [args.organizationId ? { id: args.organizationId, field: 'organizationId' } : null]);
  const rows = (await model
    .find(allOf([scope, filter]) as never)
    .sort({ name: 1, _id: 1 })
    .limit(BULK_MAX_ROWS + 1)
    .lean()) as T[];
  if (rows.length > BULK_MAX_ROWS)
    throw badInput('organizationId', `more than ${BULK_MAX_ROWS} records: export a branch lower in the tree, or page the list queries`);
  return rows;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');
const str = (v: unknown) => (v == null ? '' : String(v));

async function file(format: TableFormat, name: string, columns: Columns, fields: string[], rows: string[][]) {
  const content = await writeTable(
    format,
    name,
    fields.map((f) => columns[f]?.[0] ?? f),
    rows,
  );
  return {
    filename: `${name}.${format === 'CSV' ? 'csv' : 'xlsx'}`,
    contentType: format === 'CSV' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: format === 'XLSX',
    content,
    rows: rows.length,
  };
}

async function divisionCodes(ctx: Context, ids: string[]) {
  const out = new Map<string, string>();
  for (const id of new Set(ids)) out.set(id, (await ctx.directory.get(id))?.divisionCode ?? '');
  return out;
}

/** exportGrassrootsUnits: the columns the import reads (leaders' phones not exported: personal data). */
export async function exportUnits(ctx: Context, args: ExportArgs) {
  const on = args.asOf ?? today();
  const units = await exported(ctx, ctx.models.GrassrootsUnit, args, unitFilter({ asOf: args.asOf, includeDissolved: args.includeAll }));
  const codes = await divisionCodes(
    ctx,
    units.map((u) => String(u.organizationId)),
  );
  const fields = [
    'name',
    'type',
    'establishedOn',
    ...Object.keys(PLACE_COLUMNS),
    'leaderName',
    'aeds',
    'firstAidKits',
    'firstAidKiosks',
    'schoolClinic',
    'dissolvedOn',
  ];
  const columns = { ...UNIT_COLUMNS, dissolvedOn: ['撤销日期'] };
  const rows = units.map((u) => {
    const t = u.type === 'SCHOOL' ? equipmentTotalsOn(u.equipment ?? [], on) : null;
    return [
      u.name,
      UNIT_TYPE_LABELS[u.type],
      iso(u.establishedOn),
      codes.get(String(u.organizationId)) ?? '',
      str(u.township?.code),
      str(u.community),
      str(u.contact?.address),
      str(u.contact?.phone),
      str(u.contact?.email),
      str(u.location?.longitude),
      str(u.location?.latitude),
      str(u.leader?.name),
      t ? String(t.aeds) : '',
      t ? String(t.firstAidKits) : '',
      t ? String(t.firstAidKiosks) : '',
      t ? (t.schoolClinics ? '是' : '否') : '',
      iso(u.dissolvedOn),
    ];
  });
  return file(args.format, '基层组织', columns, fields, rows);
}

/** exportBoaiHomes: the columns the import reads. */
export async function exportHomes(ctx: Context, args: ExportArgs) {
  const homes = await exported(ctx, ctx.models.BoaiHome, args, homeFilter({ asOf: args.asOf, includeClosed: args.includeAll }));
  const codes = await divisionCodes(
    ctx,
    homes.map((h) => String(h.organizationId)),
  );
  const fields = ['name', 'setting', 'openedOn', ...Object.keys(PLACE_COLUMNS), 'embeddedIn', 'services', 'closedOn'];
  const columns = { ...HOME_COLUMNS, closedOn: ['关闭日期'] };
  const rows = homes.map((h) => [
    h.name,
    SETTING_LABELS[h.setting],
    iso(h.openedOn),
    codes.get(String(h.organizationId)) ?? '',
    str(h.township?.code),
    h.community,
    str(h.contact?.address),
    str(h.contact?.phone),
    str(h.contact?.email),
    str(h.location?.longitude),
    str(h.location?.latitude),
    EMBEDDING_LABELS[h.embeddedIn],
    h.services.map((s) => SERVICE_LABELS[s]).join('、'),
    iso(h.closedOn),
  ]);
  return file(args.format, '博爱家园', columns, fields, rows);
}
