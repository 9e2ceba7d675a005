import type { Access, BranchOwned } from '@rcsc/access';

/**
 * A record another record links to (a payment's member, a rating's volunteer): FORBIDDEN outside
 * the viewer's subtree; missing means the stored data is broken, an internal error.
 */
export function linked<T extends BranchOwned>(access: Access, row: T | null, entity: string, id: unknown): T {
  const shown = access.visible(row, `${entity} ${String(id)}`);
  if (!shown) throw new Error(`${entity} ${String(id)} is missing`);
  return shown;
}
