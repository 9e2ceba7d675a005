import type { QueryFilter, Model } from 'mongoose';
import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
/** The hard maximum page size: asking for more is a BAD_USER_INPUT, never a silent full scan. */
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Lazy: the count runs only when a client selects totalCount (graphql calls it as a resolver). */
  totalCount: () => Promise<number>;
}

type CursorValue = string | number | boolean | null | { $date: string };

function encodeValue(v: unknown): CursorValue {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (v === undefined) return null;
  if (typeof v === 'object' && v !== null) return String(v); // ObjectId
  return v as CursorValue;
}

/** A cursor's sort value, only in the shapes encodeValue writes: anything else (an object such as `{ "$ne": null }`, an impossible date) is no cursor of ours. */
function decodeValue(v: unknown): { ok: true; value: unknown } | { ok: false } {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return { ok: true, value: v };
  if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : { ok: false };
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $date?: unknown }).$date === 'string') {
    const d = new Date((v as { $date: string }).$date);
    return Number.isNaN(d.getTime()) ? { ok: false } : { ok: true, value: d };
  }
  return { ok: false };
}

const notACursor = () => badInput('after', 'is not a cursor returned by this list');

export function encodeCursor(sortValue: unknown, id: unknown): string {
  return Buffer.from(JSON.stringify([encodeValue(sortValue), String(id)])).toString('base64url');
}

export function decodeCursor(cursor: string): { sortValue: unknown; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string' && parsed[1].length <= 100) {
      const sort = decodeValue(parsed[0]);
      if (sort.ok) return { sortValue: sort.value, id: parsed[1] };
    }
  } catch {
    /* fall through to the error below */
  }
  throw notACursor();
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/**
 * Keyset pagination over a mongoose model, ordered by `sortField` then `_id` (`direction` 1 or -1; both should be
 * indexed together with the filter's leading fields). The cursor carries the last row's sort
 * value and id, so pages stay stable while rows are added elsewhere.
 */
export async function paginate<T extends { _id: unknown }>(
  model: Model<T>,
  filter: QueryFilter<T>,
  args: PageArgs,
  sortField = '_id',
  direction: 1 | -1 = 1,
): Promise<Page<T>> {
  const first = pageSize(args.first);
  let query: QueryFilter<T> = filter;
  if (args.after) {
    const { sortValue, id } = decodeCursor(args.after);
    let castId: unknown = id;
    try {
      if (model.schema.path('_id')) castId = model.castObject({ _id: id })._id;
    } catch {
      throw notACursor(); // e.g. an id that is no ObjectId: a crafted cursor, not a server fault
    }
    const beyond = direction === 1 ? '$gt' : '$lt';
    const after =
      sortField === '_id'
        ? { _id: { [beyond]: castId } }
        : { $or: [{ [sortField]: { [beyond]: sortValue } }, { [sortField]: sortValue, _id: { [beyond]: castId } }] };
    query = { $and: [filter, after] } as QueryFilter<T>;
  }
  const sort: Record<string, 1 | -1> = sortField === '_id' ? { _id: direction } : { [sortField]: direction, _id: direction };
  const rows =
    first === 0
      ? []
      : ((await model
          .find(query)
          .sort(sort)
          .limit(first + 1)
          .lean()) as T[]);
  const hasNextPage = rows.length > first;
  const nodes = hasNextPage ? rows.slice(0, first) : rows;
  const last = nodes[nodes.length - 1] as Record<string, unknown> | undefined;
  return {
    nodes,
    pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last[sortField], last._id) : null },
    totalCount: () => model.countDocuments(filter).exec(),
  };
}
