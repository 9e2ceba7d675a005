import { pathOf } from '@rcsc/directory';
import { auditLog } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import { coverage } from '../indicators';
import type { BoaiHomeDoc, GrassrootsUnitDoc, MedicalInstitutionDoc } from '../models';
import { today } from '../rules';
import { homeFilter, institutionFilter, pageOf, toObjectId, unitFilter, within } from './filters';

/** The branch itself, as the branch a list is asked under. */
const itself = (o: { id: string }) => ({ id: o.id, field: 'id' });

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
  async boaiHomeCoverage(o, { asOf }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    await ctx.access.visibleBranch(id, 'id', 'The Boai home coverage');
    return coverage(ctx.models, ctx.directory, id, asOf ?? today());
  },
  medicalInstitutions: (o, { filter, first, after }, { models, access }) =>
    pageOf<MedicalInstitutionDoc>(models.MedicalInstitution, access, [itself(o), within(filter)], institutionFilter(filter), {
      first,
      after,
    }),
  namedMedicalInstitutionsWithoutUnit: (o, { first, after }, { models, access }) =>
    pageOf<MedicalInstitutionDoc>(
      models.MedicalInstitution,
      access,
      [itself(o)],
      { redCrossNamed: true, grassrootsUnitId: null },
      {
        first,
        after,
      },
    ),
  // ADMINs of a subtree holding the branch (service-kit's auditLog checks both).
  async grassrootsAudit(o, { first, after }, { access, models, viewer }) {
    const branch = await access.branch(o.id, 'id');
    return auditLog(models.Audit, viewer, pathOf(branch), { first, after });
  },
};
