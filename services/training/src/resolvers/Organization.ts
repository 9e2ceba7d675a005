import { pathOf } from '@rcsc/directory';
import { auditLog, checkYear, isObjectId, pageSize, toObjectId } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';

export const Organization: OrganizationResolvers = {
  // The organizations subgraph owns branches; this one only needs the id to answer its fields.
  __resolveReference: (ref) => (isObjectId(ref.id) ? { id: ref.id } : null),
  // Lists: the branch's pool or classes the viewer may read (in its subtree, or its ancestors'
  // pools and classes), batched over every branch of a list (one aggregation, not one per branch).
  instructorPool: (o, { filter, includeSubtree, first, after }, { loaders }) =>
    loaders.poolPage(String(toObjectId(o.id, 'id')), { filter: filter ?? null, includeSubtree: !!includeSubtree }, pageSize(first), after),
  hostedClasses: (o, { year, first, after }, { loaders }) =>
    loaders.hostedPage(String(toObjectId(o.id, 'id')), { year: year == null ? null : checkYear(year) }, pageSize(first), after),
  // An aggregate of the branch's whole subtree: FORBIDDEN unless the branch lies in the viewer's.
  // (The totals are asked for at once, so that a list of branches still shares one aggregation.)
  async trainedCadres(o, { year }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    const [, totals] = await Promise.all([
      ctx.access.visibleBranch(id, 'id', 'The trained cadres'),
      ctx.loaders.cadresOf.load({ organizationId: id, year: checkYear(year) }),
    ]);
    return { organizationId: o.id, year, ...totals };
  },
  async trainingAudit(o, { first, after }, { access, models, viewer }) {
    const branch = await access.branch(o.id, 'id');
    return auditLog(models.Audit, viewer, pathOf(branch), { first, after });
  },
};
