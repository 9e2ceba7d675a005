import { Types } from 'mongoose';
import { pathOf, type BranchInfo, type Directory } from '@rcsc/directory';
import { forbidden, requireInSubtree, seesPersonalData, type Role, type Viewer } from '@rcsc/service-kit';
import type { Context } from '../context';
import { isObjectId } from './filters';

/**
 * Who manages the instructor pool and the classes (instructors, qualifications, statuses, classes,
 * sessions, assignments, attendance, completion, ratings, reveals): TRAINING_MANAGER and ADMIN of
 * a subtree containing the record's branch. SERVICE (subgraph-to-subgraph calls, the tests) passes
 * every check.
 */
export const MANAGERS: Role[] = ['TRAINING_MANAGER', 'ADMIN', 'SERVICE'];
/** Who may enrol (and withdraw) cadres of their own subtree: the managers and STAFF. */
export const ENROLLERS: Role[] = ['TRAINING_MANAGER', 'ADMIN', 'STAFF', 'SERVICE'];

/**
 * What a viewer may read, worked out once per request. `subtree`: records whose `orgPath` holds
 * the viewer's branch. `ancestorIds`: the branches above it, whose instructor pools and classes
 * are readable too (the national HQ's classes train cadres from everywhere, and a county picks
 * instructors from the national and provincial pools) but never writable.
 */
export interface Scope {
  /** SERVICE: everything. */
  all: boolean;
  /** The viewer's branch; null: nothing is visible. */
  branchId: string | null;
  /** The branches above the viewer's, national HQ first (empty for an unknown branch). */
  ancestorIds: string[];
}

export async function scopeOf(viewer: Viewer, directory: Directory): Promise<Scope> {
  if (viewer.roles.includes('SERVICE')) return { all: true, branchId: null, ancestorIds: [] };
  const id = viewer.organizationId;
  if (!id || !isObjectId(id)) return { all: false, branchId: null, ancestorIds: [] };
  const branch = await directory.get(id.toLowerCase());
  return { all: false, branchId: id.toLowerCase(), ancestorIds: branch?.ancestorIds ?? [] };
}

/** Nothing matches this: the list of a viewer without a branch. */
const NOTHING = { _id: null };

/** Records in the viewer's subtree (null: no restriction). */
export function subtreeCondition(scope: Scope): Record<string, unknown> | null {
  if (scope.all) return null;
  if (!scope.branchId) return NOTHING;
  return { orgPath: new Types.ObjectId(scope.branchId) };
}

/** Instructors and classes the viewer may read: held or hosted in the subtree or by an ancestor. */
export function readableCondition(scope: Scope): Record<string, unknown> | null {
  if (scope.all) return null;
  if (!scope.branchId) return NOTHING;
  const own = { orgPath: new Types.ObjectId(scope.branchId) };
  if (!scope.ancestorIds.length) return own;
  return { $or: [own, { organizationId: { $in: scope.ancestorIds.map((a) => new Types.ObjectId(a)) } }] };
}

/** `filter` AND `condition` (when there is one), so a list never shows what the viewer may not read. */
export function and(filter: Record<string, unknown>, condition: Record<string, unknown> | null): Record<string, unknown> {
  if (!condition || Object.keys(condition).length === 0) return filter;
  if (Object.keys(filter).length === 0) return condition;
  const rest = Array.isArray(filter.$and) && Object.keys(filter).length === 1 ? (filter.$and as Record<string, unknown>[]) : [filter];
  return { $and: [condition, ...rest] };
}

/** Whether a record on `orgPath` (its branch last) lies in the viewer's subtree. */
export function inSubtree(scope: Scope, orgPath: readonly unknown[]): boolean {
  return scope.all || (!!scope.branchId && orgPath.some((id) => String(id) === scope.branchId));
}

/** Whether an instructor, class or session on `orgPath` is readable: in the subtree or at an ancestor. */
export function isReadable(scope: Scope, orgPath: readonly unknown[]): boolean {
  if (inSubtree(scope, orgPath)) return true;
  const own = orgPath.length ? String(orgPath[orgPath.length - 1]) : null;
  return !!scope.branchId && !!own && scope.ancestorIds.includes(own);
}

/**
 * An instructor or class as a single-record query, an entity reference or a nested link gives it:
 * null stays null (unknown id); one the viewer may not read is FORBIDDEN (on that field only).
 */
export async function readable<T extends { orgPath: readonly unknown[] }>(
  ctx: Context,
  doc: T | null | undefined,
  what: string,
): Promise<T | null> {
  if (!doc) return null;
  if (!isReadable(await ctx.scope(), doc.orgPath)) {
    throw forbidden(`${what} is outside your branch's subtree and not held by one of its ancestors`);
  }
  return doc;
}

/** FORBIDDEN unless a record on `orgPath` lies in the viewer's subtree (what it may change). */
export function requireOver(viewer: Viewer, orgPath: readonly unknown[], what: string): void {
  requireInSubtree(viewer, orgPath, what);
}

/**
 * A branch whose subtree's aggregates the viewer may read: BAD_USER_INPUT when no branch has
 * this id, FORBIDDEN outside the viewer's subtree.
 */
export async function requireVisibleBranch(ctx: Context, id: string, field: string, what: string): Promise<BranchInfo> {
  const branch = await ctx.directory.require(id, field);
  requireOver(ctx.viewer, pathOf(branch), `${what} of ${branch.name}`);
  return branch;
}

/**
 * Personal data (instructors' phones and e-mails) is shown masked, and only to the roles that
 * work with people (ADMIN, STAFF, TRAINING_MANAGER) and to services; REPORTER and VIEWER see none.
 */
export function seesMaskedPersonalData(viewer: Viewer): boolean {
  return seesPersonalData(viewer) || viewer.roles.includes('SERVICE');
}
