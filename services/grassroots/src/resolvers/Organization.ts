import { pathOf } from '@rcsc/directory';
import { auditLog, paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import { coverage } from '../indicators';
import type { BoaiHomeDoc, GrassrootsUnitDoc, MedicalInstitutionDoc } from '../models';
import { today } from '../rules';
import { requireVisibleBranch, scoped } from './access';
import { homeFilter, inSubtree, institutionFilter, toObjectId, unitFilter } from './filters';

export const Organization: OrganizationResolvers = {
  // organizations owns the branch; this subgraph only needs its id.
  __resolveReference: (ref) => ({ id: ref.id }),
  id: (o) => o.id,
  // Lists: the branch's subtree AND the viewer's, so nothing outside the viewer's subtree shows.
  grassrootsUnits: (o, { filter, first, after }, { models, viewer }) =>
    paginate<GrassrootsUnitDoc>(models.GrassrootsUnit, scoped(viewer, unitFilter(filter, o.id)), { first, after }, 'name'),
  boaiHomes: (o, { filter, first, after }, { models, viewer }) =>
    paginate<BoaiHomeDoc>(models.BoaiHome, scoped(viewer, homeFilter(filter, o.id)), { first, after }, 'name'),
  // An aggregate of the branch's whole subtree: FORBIDDEN unless the branch is in the viewer's.
  async boaiHomeCoverage(o, { asOf }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    await requireVisibleBranch(ctx, id, 'id', 'The Boai home coverage');
    return coverage(ctx.models, ctx.directory, id, asOf ?? today());
  },
  medicalInstitutions: (o, { filter, first, after }, { models, viewer }) =>
    paginate<MedicalInstitutionDoc>(models.MedicalInstitution, scoped(viewer, institutionFilter(filter, o.id)), { first, after }, 'name'),
  namedMedicalInstitutionsWithoutUnit: (o, { first, after }, { models, viewer }) =>
    paginate<MedicalInstitutionDoc>(
      models.MedicalInstitution,
      scoped(viewer, { ...inSubtree(o.id, 'id'), redCrossNamed: true, grassrootsUnitId: null }),
      { first, after },
      'name',
    ),
  async grassrootsAudit(o, { first, after }, { directory, models, viewer }) {
    const branch = await directory.require(o.id, 'id');
    return auditLog(models.Audit, viewer, pathOf(branch), { first, after });
  },
};
