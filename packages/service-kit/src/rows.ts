import type { Types } from 'mongoose';

/** Rows grouped by a key, in their order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Rows found by id, in the order of the ids asked for (null where missing): a DataLoader's answer. */
export function inIdOrder<T extends { _id: Types.ObjectId }>(ids: readonly string[], rows: readonly T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [String(r._id), r]));
  return ids.map((id) => map.get(id) ?? null);
}
