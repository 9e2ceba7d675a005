import { Types } from 'mongoose';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import {
  forbidden,
  requireAuthenticated,
  requireInSubtree,
  requireRole,
  seesPersonalData,
  type Role,
  type Viewer,
} from '@rcsc/service-kit';
import type { Context } from '../context';
import { isObjectId } from './filters';

/**
 * Who changes the registers (members, dues, imports, volunteers, teams, service records, star
 * rating requests and decisions, Member Stars): ADMIN and STAFF of a subtree that contains the
 * record's branch. SERVICE (subgraph-to-subgraph calls, the tests) passes everything.
 */
export const WRITERS: Role[] = ['ADMIN', 'STAFF', 'SERVICE'];

/** Who may reveal an identity number or a phone in clear: people, never a service, and audited. */
export const REVEALERS: Role[] = ['ADMIN', 'STAFF'];

/** Anything stored under a branch: its path, national HQ first, the branch itself last. */
export interface BranchOwned {
  orgPath: readonly unknown[];
}

/** FORBIDDEN unless the viewer may change registers at all (the subtree is checked on the record). */
export function requireWriter(viewer: Viewer, action: string): void {
  requireRole(viewer, WRITERS, action);
}

/** FORBIDDEN unless a record on `orgPath` lies in the viewer's subtree (any role reads there). */
export function requireOver(viewer: Viewer, orgPath: readonly unknown[], what: string): void {
  requireInSubtree(viewer, orgPath, what);
}

export const isService = (viewer: Viewer) => viewer.roles.includes('SERVICE');

/**
 * The condition that keeps a list inside the viewer's subtree: none for a SERVICE, an impossible
 * one for a viewer without a branch (who sees nothing), else `{ orgPath: <viewer's branch> }`.
 */
export function viewerScope(viewer: Viewer): Record<string, unknown> | null {
  requireAuthenticated(viewer);
  if (isService(viewer)) return null;
  if (!viewer.organizationId || !isObjectId(viewer.organizationId)) return { _id: null };
  return { orgPath: new Types.ObjectId(viewer.organizationId) };
}

/**
 * The branch whose subtree a list of `rootId`'s records shows the viewer. Subtrees nest or are
 * disjoint, so "under rootId and under the viewer's branch" is "under the deeper of the two"
 * (null: nothing to show). One orgPath equality lets indexes serve both the page and its
 * totalCount: an AND of two orgPath equalities made every count read the whole subtree.
 */
export async function visibleRoot(ctx: Context, rootId: string, directOnly?: boolean | null): Promise<string | null> {
  const { viewer, directory } = ctx;
  requireAuthenticated(viewer);
  if (isService(viewer) || viewer.organizationId === rootId) return rootId;
  if (!viewer.organizationId || !isObjectId(viewer.organizationId)) return null;
  const branch = await directory.get(rootId);
  if (branch && pathOf(branch).includes(viewer.organizationId)) return rootId;
  // Records directly at a branch above the viewer's are outside the viewer's subtree.
  if (directOnly) return null;
  const own = await directory.get(viewer.organizationId);
  return own && own.ancestorIds.includes(rootId) ? viewer.organizationId : null;
}

/** A filter no record matches (a list the viewer may not see any of). */
export const NOTHING = { _id: null } as const;

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

/** Records of a list-valued nested field, without those outside the viewer's subtree. */
export function onlyVisible<T extends BranchOwned>(viewer: Viewer, docs: readonly T[]): T[] {
  if (isService(viewer)) return [...docs];
  const mine = viewer.organizationId;
  return mine ? docs.filter((d) => d.orgPath.some((p) => String(p) === mine)) : [];
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
 * Personal data (identity numbers, phones, birth dates, genders) is only ever shown masked, and
 * only to the roles that work with people (ADMIN, STAFF, TRAINING_MANAGER) and to services;
 * REPORTER and VIEWER see names only (the other fields are null).
 */
export function seesMaskedPersonalData(viewer: Viewer): boolean {
  return seesPersonalData(viewer) || isService(viewer);
}

/**
 * Star ratings are decided by the approving branch itself: the viewer must act for `deciderId`
 * (a SERVICE may name any branch; the approval rule still applies).
 */
export function requireActsFor(viewer: Viewer, decider: BranchInfo, field: string): void {
  if (isService(viewer)) return;
  if (viewer.organizationId !== decider.id) {
    throw forbidden(
      `You act for branch ${viewer.organizationId ?? '(none)'}: only staff of ${decider.name} may decide as ${field} ${decider.id}`,
    );
  }
}
