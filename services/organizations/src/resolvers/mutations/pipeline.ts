import { Roles } from '@rcsc/access';
import { conflict, isDuplicateKey, mutationPipeline, type Change } from '@rcsc/service-kit';
import { moveCounters, organizationState, termState } from '../../counters';
import { pathOfOrg, type BranchGroupDoc, type OrganizationDoc, type TermDoc } from '../../models';
import type { Context } from '../../context';

/**
 * Every change to the tree: ADMINs of a subtree holding the branch; counters move with each
 * branch's and term's state, audit entries are filed under the branch's path.
 */
export const pipeline = mutationPipeline<Context>({
  service: 'organizations',
  connection: (ctx) => ctx.models.Organization.db,
  auditModel: (ctx) => ctx.models.Audit,
  requireOver: (ctx, orgPath, what) => ctx.access.requireOver(orgPath, what),
  pathOf: (entity, doc) =>
    entity === 'Term'
      ? [...(doc as TermDoc).ancestorIds, (doc as TermDoc).organizationId]
      : entity === 'BranchGroup'
        ? (doc as BranchGroupDoc).orgPath
        : pathOfOrg(doc as OrganizationDoc),
  moveCounters: (ctx, entity, before, after, session) => {
    // Groups are not counted by the annex counters (their counts are read from the branches).
    if (entity === 'BranchGroup') return Promise.resolve(null);
    const state = entity === 'Term' ? (d: unknown) => termState(d as TermDoc) : (d: unknown) => organizationState(d as OrganizationDoc);
    return moveCounters(ctx.models, [{ before: before ? state(before) : null, after: after ? state(after) : null }], session);
  },
});

export const rule = (action: string, does: string) => ({ action, does, roles: Roles.ADMINS });

/** Turns a duplicate division code into a CONFLICT naming the field. */
export function duplicateCode(err: unknown, field: string): never {
  if (isDuplicateKey(err))
    throw conflict(
      `divisionCode ${String((err as { keyValue?: Record<string, unknown> }).keyValue?.divisionCode)} is already used by another branch`,
      field,
    );
  throw err;
}

/** A branch read in the change's session (NOT_FOUND / FORBIDDEN outside the viewer's subtree). */
export const branchOf = (change: Change<Context>, ctx: Context, id: string, field = 'input.organizationId') =>
  change.own<OrganizationDoc>(ctx.models.Organization, 'Organization', id, field);
