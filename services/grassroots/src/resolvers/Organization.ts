import { Types } from 'mongoose';
import { valuesOn } from '@rcsc/counters';
import { pathOf, type Directory } from '@rcsc/directory';
import { allOf, auditLog, badInput } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import { coverage } from '../indicators';
import type { BoaiHomeDoc, GrassrootsUnitDoc, GroupDoc, MedicalInstitutionDoc, Models } from '../models';
import { counters } from '../counters';
import {
  coverageThreshold,
  demonstrationPeriodsOf,
  endOfYear,
  groupKey,
  existsOnFilter,
  homeOpenOn,
  periodOn,
  periodOnFilter,
  today,
  unitActiveOn,
} from '../rules';
import type { CounterKey } from '../counters';
import { homeFilter, institutionFilter, pageOf, toObjectId, unitFilter, within } from './filters';

/** The branch itself, as the branch a list is asked under. */
const itself = (o: { id: string }) => ({ id: o.id, field: 'id' });

/** Groups defined at the branch or above it (at most 100), in set and name order. */
async function usableGroups(models: Models, directory: Directory, branchId: string, kind?: string | null, groupSet?: string | null) {
  const branch = await directory.get(String(toObjectId(branchId, 'id')));
  if (!branch) return [];
  const filter = allOf([
    { organizationId: { $in: pathOf(branch).map((x) => new Types.ObjectId(x)) } },
    kind ? { kind } : {},
    groupSet ? { groupSet } : {},
  ]);
  return models.Group.find(filter).sort({ groupSet: 1, name: 1 }).limit(100).lean<GroupDoc[]>();
}

export const Organization: OrganizationResolvers = {
  // organizations owns the branch; this subgraph only needs its id.
  __resolveReference: (ref) => ({ id: ref.id }),
  id: (o) => o.id,
  // Lists: the branch's subtree narrowed to the viewer's, so nothing outside the viewer's shows.
  grassrootsUnits: (o, { filter, first, after }, { models, access }) =>
    pageOf<GrassrootsUnitDoc>(models.GrassrootsUnit, access, [itself(o), within(filter)], unitFilter(filter), { first, after }),
  boaiHomes: (o, { filter, first, after }, { models, access }) =>
    pageOf<BoaiHomeDoc>(models.BoaiHome, access, [itself(o), within(filter)], homeFilter(filter), { first, after }),
  // An aggregate of the branch's whole subtree: FORBIDDEN unless the branch is in the viewer's.
  async boaiHomeCoverage(o, { asOf, basicCoverageThreshold }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    const threshold = coverageThreshold(basicCoverageThreshold, 'basicCoverageThreshold');
    await ctx.access.visibleBranch(id, 'id', 'The Boai home coverage');
    return coverage(ctx.models, ctx.directory, id, asOf ?? today(), threshold);
  },
  // Aggregates from the maintained counters: FORBIDDEN unless the branch is in the viewer's subtree.
  async schoolEquipment(o, { asOf }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    await ctx.access.visibleBranch(id, 'id', 'The school equipment totals');
    const v = await ctx.loaders.counterValues(id, asOf ?? today());
    return { aeds: v.aeds, firstAidKits: v.firstAidKits, firstAidKiosks: v.firstAidKiosks, schoolClinics: v.schoolClinics };
  },
  async schoolEquipmentInstalled(o, { year }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    if (!Number.isInteger(year) || year < 1900 || year > 9999) throw badInput('year', 'must be a year from 1900 to 9999');
    await ctx.access.visibleBranch(id, 'id', 'The school equipment totals');
    const [end, start] = await Promise.all([
      ctx.loaders.counterValues(id, endOfYear(year)),
      ctx.loaders.counterValues(id, endOfYear(year - 1)),
    ]);
    const d = (k: CounterKey) => end[k] - start[k];
    return {
      aeds: d('aedsInstalled'),
      firstAidKits: d('firstAidKitsInstalled'),
      firstAidKiosks: d('firstAidKiosksInstalled'),
      schoolClinics: d('schoolClinicsInstalled'),
    };
  },
  // Group definitions are reference data like the branch tree: any authenticated viewer may list them.
  grassrootsGroups: (o, { kind, groupSet }, { models, directory }) => usableGroups(models, directory, o.id, kind, groupSet),
  // Counts from the maintained counters (one key per group): FORBIDDEN unless the branch is in the viewer's subtree.
  async grassrootsGroupCounts(o, { kind, groupSet, asOf }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    await ctx.access.visibleBranch(id, 'id', 'The group counts');
    const groups = await usableGroups(ctx.models, ctx.directory, id, kind, groupSet);
    const values = await valuesOn(
      counters(ctx.models),
      [id],
      [asOf ?? today()],
      groups.map((g) => groupKey(g._id)),
    );
    return groups.map((group) => ({ group, count: values.get(id)![0][groupKey(group._id)] }));
  },
  // One page of located records (at most 100), as GeoJSON: the list's own scope and pagination.
  async grassrootsMap(o, { kind, asOf, includeAll, unitType, first, after }, { models, access }) {
    const on = asOf ?? today();
    if (unitType && kind !== 'UNITS') throw badInput('unitType', 'only for kind UNITS');
    const located = { location: { $ne: null } };
    const point = (r: { _id: unknown; location?: { longitude: number; latitude: number } | null }) => ({
      type: 'Point',
      coordinates: [r.location!.longitude, r.location!.latitude],
    });
    if (kind === 'UNITS') {
      const filter = allOf([
        located,
        includeAll ? {} : existsOnFilter('establishedOn', 'dissolvedOn', on),
        unitType ? { type: unitType } : {},
      ]);
      const page = await pageOf<GrassrootsUnitDoc>(models.GrassrootsUnit, access, [itself(o)], filter, { first, after });
      return {
        type: 'FeatureCollection' as const,
        totalCount: page.totalCount,
        pageInfo: page.pageInfo,
        features: page.nodes.map((u) => ({
          type: 'Feature',
          id: String(u._id),
          geometry: point(u),
          properties: {
            kind,
            name: u.name,
            unitType: u.type,
            setting: null,
            standing: unitActiveOn(u, on),
            demonstration: false,
            organizationId: String(u.organizationId),
          },
        })),
      };
    }
    const filter = allOf([located, includeAll ? {} : existsOnFilter('openedOn', 'closedOn', on)]);
    const page = await pageOf<BoaiHomeDoc>(models.BoaiHome, access, [itself(o)], filter, { first, after });
    return {
      type: 'FeatureCollection' as const,
      totalCount: page.totalCount,
      pageInfo: page.pageInfo,
      features: page.nodes.map((h) => ({
        type: 'Feature',
        id: String(h._id),
        geometry: point(h),
        properties: {
          kind,
          name: h.name,
          unitType: null,
          setting: h.setting,
          standing: homeOpenOn(h, on),
          demonstration: periodOn(demonstrationPeriodsOf(h), on) !== undefined,
          organizationId: String(h.organizationId),
        },
      })),
    };
  },
  medicalInstitutions: (o, { filter, first, after }, { models, access }) =>
    pageOf<MedicalInstitutionDoc>(models.MedicalInstitution, access, [itself(o), within(filter)], institutionFilter(filter), {
      first,
      after,
    }),
  // Today: the stored link (index-served); on a date: the institutions' dated unit periods.
  namedMedicalInstitutionsWithoutUnit: (o, { asOf, first, after }, { models, access }) =>
    pageOf<MedicalInstitutionDoc>(
      models.MedicalInstitution,
      access,
      [itself(o)],
      asOf ? { redCrossNamed: true, $nor: [periodOnFilter('unitPeriods', asOf)] } : { redCrossNamed: true, grassrootsUnitId: null },
      { first, after },
    ),
  // ADMINs of a subtree holding the branch (service-kit's auditLog checks both).
  async grassrootsAudit(o, { first, after }, { access, models, viewer }) {
    const branch = await access.branch(o.id, 'id');
    return auditLog(models.Audit, viewer, pathOf(branch), { first, after });
  },
};
