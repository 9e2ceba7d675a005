import { forbidden } from '@rcsc/service-kit';
import type { Context } from '../context';

/*
 * Instructors and classes are readable in the viewer's subtree and at its ancestors (a county
 * reads and books from the national and provincial pools, and enrols into their classes), through
 * ctx.access (subtreeOrAncestorsCondition for lists, coversOrAbove for records).
 */

/**
 * An instructor or class as a single-record query, an entity reference, a nested link or a mutation
 * reads it: null stays null (unknown id); one the viewer may not read is FORBIDDEN.
 */
export async function readable<T extends { orgPath: readonly unknown[] }>(
  ctx: Context,
  doc: T | null | undefined,
  what: string,
): Promise<T | null> {
  if (!doc) return null;
  if (!(await ctx.access.coversOrAbove(doc.orgPath))) {
    throw forbidden(`${what} is outside your branch's subtree and not held by one of its ancestors`);
  }
  return doc;
}

/** The records of a list-valued nested field the viewer may read (the others are left out). */
export async function onlyReadable<T extends { orgPath: readonly unknown[] }>(ctx: Context, docs: readonly T[]): Promise<T[]> {
  const shown = await Promise.all(docs.map((d) => ctx.access.coversOrAbove(d.orgPath)));
  return docs.filter((_, i) => shown[i]);
}
