import { Roles } from '@rcsc/access';
import { allOf, badInput, paginate } from '@rcsc/service-kit';
import { Types } from 'mongoose';
import { branchInfo, type Context } from '../context';
import type { QueryResolvers } from '../generated/graphql';
import { completedInYearFilter, divisionCodeSchema, dueInYearFilter, today } from '../rules';
import { identityOn, subtreeOnFilter, type OrganizationDoc, type ReorganizationDoc, type TermView } from '../models';
import { exportBranchContacts } from '../contacts-io';
import { checkYear, organizationFilter, toObjectId } from './filters';

/** Terms of branches in a subtree, the branch itself included (a county counts itself). */
const termsUnder = (id: string) => {
  const oid = new Types.ObjectId(id);
  return { $or: [{ ancestorIds: oid }, { organizationId: oid }] };
};

/**
 * Terms in `within`'s subtree (FORBIDDEN outside the viewer's), or in the viewer's own subtree
 * when none is asked: one subtree condition, never an AND of two.
 */
async function subtreeTerms({ access }: Context, within: string | null | undefined): Promise<Record<string, unknown>> {
  if (within) return termsUnder((await access.visibleBranch(within, 'within', 'The terms')).id);
  const scope = access.subtree();
  return scope.orgPath ? termsUnder(String(scope.orgPath)) : scope;
}

export const Query: QueryResolvers = {
  exportBranchContacts: (_, args, ctx) => exportBranchContacts(ctx, args),

  async branchDirectory(_, __, { models, access }) {
    access.requireRole(Roles.ADMINS, 'read the branch directory');
    const rows = (await models.Organization.find(
      {},
      {
        name: 1,
        level: 1,
        kind: 1,
        divisionCode: 1,
        divisionType: 1,
        parentId: 1,
        ancestorIds: 1,
        establishedOn: 1,
        dissolvedOn: 1,
        identityHistory: 1,
        pathHistory: 1,
        sortKey: 1,
      },
    )
      .sort({ sortKey: 1 })
      .lean()) as OrganizationDoc[];
    return rows.map((o) => ({
      ...branchInfo(o),
      establishedOn: o.establishedOn,
      dissolvedOn: o.dissolvedOn,
      typeHistory: o.identityHistory?.map((i) => ({ divisionType: i.divisionType, until: i.until })) ?? null,
      pathHistory: o.pathHistory?.length ? o.pathHistory.map((p) => ({ ancestorIds: p.ancestorIds.map(String), until: p.until })) : null,
    }));
  },

  async reorganizations(_, { after, first }, { models, access }) {
    access.requireRole(Roles.ADMINS, 'read the reorganizations');
    const rows = (await models.Reorganization.find({ _id: { $gt: after } })
      .sort({ _id: 1 })
      .limit(Math.min(Math.max(first ?? 100, 1), 100))
      .lean()) as ReorganizationDoc[];
    return rows.map((r) => ({
      ...r,
      seq: r._id,
      branchId: String(r.branchId),
      fromPath: r.fromPath.map(String),
      toPath: r.toPath.map(String),
    }));
  },

  async organization(_, { id, divisionCode }, { loaders, models }) {
    if ((id == null) === (divisionCode == null)) throw badInput('id', 'give exactly one of id and divisionCode');
    if (id != null) return loaders.organizationById.load(String(toObjectId(id, 'id')));
    const code = divisionCodeSchema.safeParse(divisionCode);
    if (!code.success) throw badInput('divisionCode', code.error.issues[0].message);
    return (await models.Organization.findOne({ divisionCode: code.data }).lean()) as OrganizationDoc | null;
  },

  async branchMap(_, { rootId, asOf, levels, first, after }, { models, access }) {
    const root = await access.visibleBranch(String(toObjectId(rootId, 'rootId')), 'rootId', 'The map');
    const date = asOf ?? today();
    const rootOid = new Types.ObjectId(root.id);
    const page = await paginate<OrganizationDoc>(
      models.Organization,
      allOf([
        subtreeOnFilter(rootOid, date),
        { location: { $ne: null } },
        { $or: [{ establishedOn: null }, { establishedOn: { $lte: date } }] },
        { $or: [{ dissolvedOn: null }, { dissolvedOn: { $gt: date } }] },
        levels?.length ? { level: { $in: levels } } : {},
      ]),
      { first, after },
      'sortKey',
    );
    return {
      type: 'FeatureCollection',
      totalCount: await page.totalCount(),
      pageInfo: page.pageInfo,
      features: page.nodes.map((o) => ({
        type: 'Feature',
        id: String(o._id),
        geometry: { type: 'Point', coordinates: [o.location!.longitude, o.location!.latitude] },
        properties: {
          name: identityOn(o, date).name,
          level: o.level,
          divisionCode: identityOn(o, date).divisionCode,
          divisionType: identityOn(o, date).divisionType,
          parentId: o.parentId ? String(o.parentId) : null,
          address: o.contact?.address ?? null,
          phone: o.contact?.phone ?? null,
        },
      })),
    };
  },

  organizations: (_, { filter, first, after }, { models }) =>
    paginate<OrganizationDoc>(models.Organization, organizationFilter(filter), { first, after }, 'sortKey'),

  termChangesDue: async (_, { year, within, level, first, after }, ctx) =>
    paginate<TermView>(
      ctx.models.Term,
      allOf([dueInYearFilter(checkYear(year)), level ? { level } : {}, await subtreeTerms(ctx, within)]),
      { first, after },
      'congressDate',
    ),

  termChangesCompleted: async (_, { year, within, level, first, after }, ctx) =>
    paginate<TermView>(
      ctx.models.Term,
      allOf([completedInYearFilter(checkYear(year)), level ? { level } : {}, await subtreeTerms(ctx, within)]),
      { first, after },
      'congressDate',
    ),
};
