import { badInput, paginate, requireAuthenticated, requireRole, type Viewer } from '@rcsc/service-kit';
import { Types } from 'mongoose';
import type { QueryResolvers } from '../generated/graphql';
import { completedInYearFilter, divisionCodeSchema, dueInYearFilter } from '../rules';
import type { OrganizationDoc, TermView } from '../models';
import { checkYear, organizationFilter, toObjectId } from './filters';

/** Terms of branches in a subtree, the branch itself included (a county counts itself). */
const termsUnder = (id: Types.ObjectId) => ({ $or: [{ ancestorIds: id }, { organizationId: id }] });

/**
 * Terms in `within`'s subtree and, for anyone but a service, in the viewer's own subtree: term
 * lists never show branches outside it.
 */
function subtreeTerms(viewer: Viewer, within: string | null | undefined, level: string | null | undefined): Record<string, unknown> {
  requireAuthenticated(viewer);
  const and: Record<string, unknown>[] = [];
  if (level) and.push({ level });
  if (within) and.push(termsUnder(toObjectId(within, 'within')));
  if (!viewer.roles.includes('SERVICE')) {
    if (!viewer.organizationId) return { _id: null }; // no branch, nothing visible
    and.push(termsUnder(new Types.ObjectId(viewer.organizationId)));
  }
  return and.length ? { $and: and } : {};
}

export const Query: QueryResolvers = {
  async branchDirectory(_, __, { models, viewer }) {
    requireRole(viewer, ['SERVICE', 'ADMIN'], 'read the branch directory');
    const rows = (await models.Organization.find(
      {},
      { name: 1, level: 1, kind: 1, divisionCode: 1, divisionType: 1, parentId: 1, ancestorIds: 1, dissolvedOn: 1, sortKey: 1 },
    )
      .sort({ sortKey: 1 })
      .lean()) as OrganizationDoc[];
    return rows.map((o) => ({
      id: String(o._id),
      name: o.name,
      level: o.level,
      kind: o.kind,
      divisionCode: o.divisionCode ?? null,
      divisionType: o.divisionType,
      parentId: o.parentId ? String(o.parentId) : null,
      ancestorIds: o.ancestorIds.map(String),
      dissolvedOn: o.dissolvedOn,
    }));
  },

  async organization(_, { id, divisionCode }, { loaders, models }) {
    if ((id == null) === (divisionCode == null)) throw badInput('id', 'give exactly one of id and divisionCode');
    if (id != null) return loaders.organizationById.load(String(toObjectId(id, 'id')));
    const code = divisionCodeSchema.safeParse(divisionCode);
    if (!code.success) throw badInput('divisionCode', code.error.issues[0].message);
    return (await models.Organization.findOne({ divisionCode: code.data }).lean()) as OrganizationDoc | null;
  },

  organizations: (_, { filter, first, after }, { models }) =>
    paginate<OrganizationDoc>(models.Organization, organizationFilter(filter), { first, after }, 'sortKey'),

  termChangesDue: (_, { year, within, level, first, after }, { models, viewer }) =>
    paginate<TermView>(
      models.Term,
      { ...dueInYearFilter(checkYear(year)), ...subtreeTerms(viewer, within, level) },
      { first, after },
      'congressDate',
    ),

  termChangesCompleted: (_, { year, within, level, first, after }, { models, viewer }) =>
    paginate<TermView>(
      models.Term,
      { ...completedInYearFilter(checkYear(year)), ...subtreeTerms(viewer, within, level) },
      { first, after },
      'congressDate',
    ),
};
