// Bulk import and export of branches' contact details and locations (issue 24 item 3): CSV or
// XLSX with Chinese headers (@rcsc/tables). Each row names a branch of the import's subtree and
// is validated with setOrganizationContact's rules (setContactInput) and audited as it is
// (shownContact: before and after; one bulk write and one audit insert for the file); a row equal to what is stored writes nothing, so a
// file can be imported again, and an export re-imports unchanged.
import { Roles } from '@rcsc/access';
import { badInput, recordAudits } from '@rcsc/service-kit';
import { BranchColumn, readTable, TableError, writeTable, type Columns, type TableFormat, type TableRow } from '@rcsc/tables';
import { Types } from 'mongoose';
import type { Context } from './context';
import { pathOfOrg, type BranchContact, type OrganizationDoc } from './models';
import { toObjectId } from './resolvers/filters';
import { branchOf, pipeline } from './resolvers/mutations/pipeline';
import { shownContact } from './resolvers/mutations/places';
import { setContactInput } from './rules';

/** At most this many rows per file, imported or exported (the whole tree, about 3,500 branches, fits). */
export const BRANCH_ROWS_MAX = 5000;

const CONTACT_FIELDS = ['address', 'postcode', 'phone', 'email', 'website'] as const;

/** Headers: the first name of each field is what exports write; English names are accepted too. */
export const BRANCH_CONTACT_COLUMNS: Columns = {
  // A division code, or a path of branch names (杭州市红十字会/西湖区红十字会) inside the import's branch; empty: that branch.
  branch: ['红十字会', 'branch', '区划代码', 'divisionCode', '所属红十字会', '所属红十字会区划代码'],
  // Written by exports for reading; an import does not change names.
  name: ['名称', 'name'],
  address: ['地址', 'address'],
  postcode: ['邮编', 'postcode', '邮政编码'],
  phone: ['电话', 'phone', '联系电话'],
  email: ['电子邮箱', 'email', '邮箱'],
  website: ['网址', 'website', '网站'],
  longitude: ['经度', 'longitude'],
  latitude: ['纬度', 'latitude'],
};

import { importInput as branchImportInput, type RowError } from '@rcsc/service-kit';

type Branch = { id: string; name: string; divisionCode: string | null; parentId: string | null; dissolvedOn: string | null };
const asBranch = (o: Pick<OrganizationDoc, '_id' | 'name' | 'divisionCode' | 'parentId' | 'dissolvedOn'>): Branch => ({
  id: String(o._id),
  name: o.name,
  divisionCode: o.divisionCode ?? null,
  parentId: o.parentId ? String(o.parentId) : null,
  dissolvedOn: o.dissolvedOn ? o.dissolvedOn.toISOString().slice(0, 10) : null,
});

const subtreeOf = (id: Types.ObjectId) => ({ $or: [{ _id: id }, { ancestorIds: id }] });
const EXPORT_FIELDS = { name: 1, divisionCode: 1, parentId: 1, contact: 1, location: 1, sortKey: 1 };

/** The contact and location a row states (blank cells: left as stored), validated with setOrganizationContact's rules. */
function rowValue(row: TableRow): { contact?: BranchContact; location?: { longitude: number; latitude: number } } | RowError[] {
  const c = { ...row.cells };
  const errors: RowError[] = [];
  const contact = Object.fromEntries(CONTACT_FIELDS.filter((f) => c[f] != null).map((f) => [f, c[f]]));
  let location: { longitude: number; latitude: number } | undefined;
  if (c.longitude != null || c.latitude != null) {
    for (const axis of ['longitude', 'latitude'] as const) {
      if (c[axis] == null) errors.push({ line: row.line, field: axis, message: 'must be given with 经度 and 纬度 together' });
      else if (!Number.isFinite(Number(c[axis]))) errors.push({ line: row.line, field: axis, message: 'must be a number (degrees)' });
    }
    if (!errors.length) location = { longitude: Number(c.longitude), latitude: Number(c.latitude) };
  }
  const parsed = setContactInput.safeParse({ contact: Object.keys(contact).length ? contact : undefined, location });
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      errors.push({ line: row.line, field: String(issue.path[issue.path.length - 1] ?? 'row'), message: issue.message });
  if (errors.length || !parsed.success) return errors;
  return { contact: parsed.data.contact ?? undefined, location: parsed.data.location ?? undefined };
}

/** What a row changes on a branch: only the fields that differ from the stored ones. */
function changesOf(before: OrganizationDoc, value: { contact?: BranchContact; location?: { longitude: number; latitude: number } }) {
  const $set: { contact?: BranchContact; location?: { longitude: number; latitude: number } } = {};
  if (value.contact) {
    const stored = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, before.contact?.[f] ?? null]));
    const merged = { ...stored, ...Object.fromEntries(Object.entries(value.contact).filter(([, v]) => v != null)) };
    if (CONTACT_FIELDS.some((f) => (merged[f] ?? null) !== stored[f])) $set.contact = merged;
  }
  const loc = value.location;
  if (loc && (before.location?.longitude !== loc.longitude || before.location?.latitude !== loc.latitude))
    $set.location = { longitude: loc.longitude, latitude: loc.latitude };
  return $set;
}

/**
 * importBranchContacts: ADMIN or STAFF of a subtree holding the import's branch; each row names a
 * standing branch of that subtree once. Valid rows are written (each change audited); bad rows are
 * reported by line and field; rows equal to what is stored are counted as unchanged.
 */
export function importBranchContacts(ctx: Context, input: unknown) {
  return pipeline.mutate(
    ctx,
    {
      action: 'importBranchContacts',
      does: 'import branches’ contact details',
      roles: Roles.WRITERS,
      input: branchImportInput,
      value: input,
    },
    async (change, data) => {
      const root = await branchOf(change, ctx, data.organizationId, 'input.organizationId');
      let rows: TableRow[];
      try {
        rows = await readTable(data.format as TableFormat, data.content, BRANCH_CONTACT_COLUMNS, ['branch']);
      } catch (err) {
        if (err instanceof TableError) throw badInput('input.content', err.message);
        throw err;
      }
      if (rows.length > BRANCH_ROWS_MAX) throw badInput('input.content', `has ${rows.length} rows: at most ${BRANCH_ROWS_MAX} per import`);
      // The subtree in one query (the branch column and the stored details of every row's branch).
      const docs = (await ctx.models.Organization.find(subtreeOf(root._id)).session(change.session).lean()) as OrganizationDoc[];
      const byId = new Map(docs.map((d) => [String(d._id), d]));
      const column = new BranchColumn(asBranch(root), docs.map(asBranch));
      const errors: RowError[] = [];
      const firstLine = new Map<string, number>();
      const changed: { before: OrganizationDoc; $set: ReturnType<typeof changesOf> }[] = [];
      let unchanged = 0;
      for (const row of rows) {
        const picked = column.pick(row.cells.branch);
        if ('error' in picked) {
          errors.push({ line: row.line, field: 'branch', message: picked.error });
          continue;
        }
        const value = rowValue(row);
        if (Array.isArray(value)) {
          errors.push(...value);
          continue;
        }
        const first = firstLine.get(picked.branch.id);
        if (first !== undefined) {
          errors.push({ line: row.line, field: 'branch', message: `the same branch as line ${first}` });
          continue;
        }
        firstLine.set(picked.branch.id, row.line);
        const before = byId.get(picked.branch.id)!;
        const $set = changesOf(before, value);
        if (!Object.keys($set).length) {
          unchanged++;
          continue;
        }
        changed.push({ before, $set });
      }
      // The changed branches in one bulk write and their audit entries (setOrganizationContact's
      // before and after) in one insert per 1,000; contact details move no counter.
      if (changed.length) {
        await ctx.models.Organization.bulkWrite(
          changed.map(({ before, $set }) => ({ updateOne: { filter: { _id: before._id }, update: { $set } } })),
          { session: change.session, ordered: true },
        );
        await recordAudits(
          ctx.models.Audit,
          { viewer: ctx.viewer, requestId: ctx.requestId, service: 'organizations' },
          changed.map(({ before, $set }) => ({
            action: 'importBranchContacts',
            entity: 'Organization',
            entityId: before._id,
            orgPath: pathOfOrg(before),
            before: shownContact(before),
            after: shownContact({ ...before, ...$set }),
          })),
          change.session,
        );
      }
      return { updated: changed.length, unchanged, errors: errors.sort((a, b) => a.line - b.line) };
    },
  );
}

/** The branch cell of an export: the division code, else the names from below the root down to the branch. */
function branchCell(o: OrganizationDoc, root: OrganizationDoc, byId: Map<string, OrganizationDoc>): string {
  if (o.divisionCode) return o.divisionCode;
  const names: string[] = [];
  for (let at: OrganizationDoc | undefined = o; at && String(at._id) !== String(root._id); at = byId.get(String(at.parentId)))
    names.unshift(at.name);
  return names.join('/');
}

/**
 * exportBranchContacts: the standing branches of a subtree (in the viewer's) in tree order with the
 * columns importBranchContacts reads, cells neutralised against formula injection.
 */
export async function exportBranchContacts(ctx: Context, args: { organizationId: string; format: TableFormat }) {
  const root = await ctx.access.visibleBranch(
    String(toObjectId(args.organizationId, 'organizationId')),
    'organizationId',
    'The contact details',
  );
  const rootId = new Types.ObjectId(root.id);
  const docs = (await ctx.models.Organization.find({ ...subtreeOf(rootId), dissolvedOn: null }, EXPORT_FIELDS)
    .sort({ sortKey: 1, _id: 1 })
    .limit(BRANCH_ROWS_MAX + 1)
    .lean()) as OrganizationDoc[];
  if (docs.length > BRANCH_ROWS_MAX)
    throw badInput('organizationId', `more than ${BRANCH_ROWS_MAX} branches: export a branch lower in the tree`);
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const rootDoc = byId.get(root.id);
  // The root first, then its subtree in division-code order.
  const ordered = rootDoc ? [rootDoc, ...docs.filter((d) => d !== rootDoc)] : docs;
  const fields = Object.keys(BRANCH_CONTACT_COLUMNS);
  const str = (v: unknown) => (v == null ? '' : String(v));
  const rows = ordered.map((o) => [
    rootDoc ? branchCell(o, rootDoc, byId) : str(o.divisionCode),
    o.name,
    ...CONTACT_FIELDS.map((f) => str(o.contact?.[f])),
    str(o.location?.longitude),
    str(o.location?.latitude),
  ]);
  const name = '红十字会联系方式';
  const content = await writeTable(
    args.format,
    name,
    fields.map((f) => BRANCH_CONTACT_COLUMNS[f][0]),
    rows,
  );
  return {
    filename: `${name}.${args.format === 'CSV' ? 'csv' : 'xlsx'}`,
    contentType: args.format === 'CSV' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: args.format === 'XLSX',
    content,
    rows: rows.length,
  };
}
