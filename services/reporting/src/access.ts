import { forbidden, requireInSubtree, requireRole, type Role, type Viewer } from '@rcsc/service-kit';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { Types } from 'mongoose';
import type { Context } from './context';
import type { ActorDoc } from './models';

/** Who may read tables, submissions, targets and the work plan (inside their own subtree). */
export const READ_ROLES: Role[] = ['ADMIN', 'STAFF', 'REPORTER', 'VIEWER', 'SERVICE'];

const isService = (viewer: Viewer) => viewer.roles.includes('SERVICE');

/**
 * The branch `id`, if the viewer may read its reporting data: one of READ_ROLES, and the branch
 * in the viewer's subtree (FORBIDDEN otherwise). An unknown id is BAD_USER_INPUT naming `field`.
 */
export async function requireReader(ctx: Context, id: string, what: string, field = 'id'): Promise<BranchInfo> {
  const branch = await ctx.directory.require(id, field);
  requireRole(ctx.viewer, READ_ROLES, `read ${what.toLowerCase()}`);
  requireInSubtree(ctx.viewer, pathOf(branch), `${what} of ${branch.name}`);
  return branch;
}

/** FORBIDDEN unless the viewer holds one of `roles` in `branch` itself (SERVICE passes). */
export function requireOwnBranch(viewer: Viewer, branch: BranchInfo, roles: Role[], action: string): void {
  requireRole(viewer, [...roles, 'SERVICE'], action);
  if (isService(viewer)) return;
  if (viewer.organizationId !== branch.id || !viewer.roles.some((r) => roles.includes(r))) {
    throw forbidden(`Only ${roles.join(' or ')} of ${branch.name} itself may ${action}`);
  }
}

/** FORBIDDEN unless the viewer is ADMIN of the branch directly above `branch` (SERVICE passes). */
export async function requireParentAdmin(ctx: Context, branch: BranchInfo, action: string): Promise<void> {
  requireRole(ctx.viewer, ['ADMIN', 'SERVICE'], action);
  if (isService(ctx.viewer)) return;
  if (!branch.parentId || ctx.viewer.organizationId !== branch.parentId) {
    const parent = branch.parentId ? await ctx.directory.get(branch.parentId) : null;
    throw forbidden(`Only ADMIN of the branch above ${branch.name}${parent ? ` (${parent.name})` : ''} may ${action}`);
  }
}

/**
 * The condition that bounds a list of branch-owned records to the viewer's subtree: none for a
 * SERVICE, `{ orgPath: <viewer's branch> }` otherwise, and nothing at all for a viewer without a
 * branch. Spread into an `$and`.
 */
export function viewerSubtreeFilter(viewer: Viewer): Record<string, unknown>[] {
  if (isService(viewer)) return [];
  if (!viewer.organizationId || !/^[0-9a-f]{24}$/i.test(viewer.organizationId)) return [{ _id: null }];
  return [{ orgPath: new Types.ObjectId(viewer.organizationId) }];
}

/** Who is acting, for the records. */
export function actorOf(viewer: Viewer): ActorDoc {
  return {
    userId: viewer.userId ?? 'anonymous',
    name: viewer.name ?? null,
    organizationId:
      viewer.organizationId && /^[0-9a-f]{24}$/i.test(viewer.organizationId) ? new Types.ObjectId(viewer.organizationId) : null,
  };
}

/** The branches directly below `branch` that are not dissolved, in division-code order. */
export async function childrenOf(ctx: Pick<Context, 'directory'>, branch: BranchInfo): Promise<BranchInfo[]> {
  return (await ctx.directory.subtree(branch.id)).filter((b) => b.parentId === branch.id && !b.dissolvedOn);
}
