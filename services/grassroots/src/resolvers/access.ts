import { Types } from 'mongoose';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { requireAuthenticated, requireInSubtree, requireRole, seesPersonalData, type Role, type Viewer } from '@rcsc/service-kit';
import type { Context } from '../context';
import type { BranchOwned } from '../models';
import { isObjectId } from './filters';

/**
 * Who changes the registers (units, institutions, homes): ADMIN and STAFF of a subtree that
 * contains the record's branch. SERVICE (subgraph-to-subgraph calls, the tests) passes everything.
 */
export const WRITERS: Role[] = ['ADMIN', 'STAFF', 'SERVICE'];

/** FORBIDDEN unless the viewer may change registers at all (the subtree is checked on the record). */
export function requireWriter(viewer: Viewer, action: string): void {
  requireRole(viewer, WRITERS, action);
}

/** FORBIDDEN unless a record on `orgPath` lies in the viewer's subtree (any role reads there). */
export function requireOver(viewer: Viewer, orgPath: readonly unknown[], what: string): void {
  requireInSubtree(viewer, orgPath, what);
}

/**
 * The condition that keeps a list inside the viewer's subtree: none for a SERVICE, an impossible
 * one for a viewer without a branch (who sees nothing), else `{ orgPath: <viewer's branch> }`.
 */
export function viewerScope(viewer: Viewer): Record<string, unknown> | null {
  requireAuthenticated(viewer);
  if (viewer.roles.includes('SERVICE')) return null;
  if (!viewer.organizationId || !isObjectId(viewer.organizationId)) return { _id: null };
  return { orgPath: new Types.ObjectId(viewer.organizationId) };
}

/** A list filter restricted to the viewer's subtree (AND), so lists never show records outside it. */
export function scoped(viewer: Viewer, filter: Record<string, unknown>): Record<string, unknown> {
  const scope = viewerScope(viewer);
  if (!scope) return filter;
  if (Object.keys(filter).length === 0) return scope;
  const rest = Array.isArray(filter.$and) && Object.keys(filter).length === 1 ? (filter.$and as Record<string, unknown>[]) : [filter];
  return { $and: [scope, ...rest] };
}

/**
 * A record as a single-record query, an entity reference or a nested link gives it: null stays
 * null (unknown id), a record outside the viewer's subtree is FORBIDDEN (on that field only).
 */
export function visible<T extends BranchOwned>(viewer: Viewer, doc: T | null | undefined, what: string): T | null {
  if (!doc) return null;
  requireOver(viewer, doc.orgPath, what);
  return doc;
}

/**
 * A branch whose subtree's records and aggregates the viewer may read: BAD_USER_INPUT when no
 * branch has this id, FORBIDDEN outside the viewer's subtree.
 */
export async function requireVisibleBranch(ctx: Context, id: string, field: string, what: string): Promise<BranchInfo> {
  const branch = await ctx.directory.require(id, field);
  requireOver(ctx.viewer, pathOf(branch), `${what} of ${branch.name}`);
  return branch;
}

/**
 * Personal data (leaders' phones) is only ever shown masked, and only to the roles that work
 * with people (ADMIN, STAFF, TRAINING_MANAGER) and to services; REPORTER and VIEWER see none.
 */
export function seesMaskedPersonalData(viewer: Viewer): boolean {
  return seesPersonalData(viewer) || viewer.roles.includes('SERVICE');
}
