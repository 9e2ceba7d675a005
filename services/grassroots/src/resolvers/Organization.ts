import { paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import { coverage } from '../indicators';
import type { BoaiHomeDoc, GrassrootsUnitDoc, MedicalInstitutionDoc } from '../models';
import { today } from '../rules';
import { homeFilter, inSubtree, institutionFilter, toObjectId, unitFilter } from './filters';

export const Organization: OrganizationResolvers = {
  // organizations owns the branch; this subgraph only needs its id.
  __resolveReference: (ref) => ({ id: ref.id }),
  id: (o) => o.id,
  grassrootsUnits: (o, { filter, first, after }, { models }) =>
    paginate<GrassrootsUnitDoc>(models.GrassrootsUnit, unitFilter(filter, o.id), { first, after }, 'name'),
  boaiHomes: (o, { filter, first, after }, { models }) =>
    paginate<BoaiHomeDoc>(models.BoaiHome, homeFilter(filter, o.id), { first, after }, 'name'),
  boaiHomeCoverage: (o, { asOf }, { models, directory }) => coverage(models, directory, String(toObjectId(o.id, 'id')), asOf ?? today()),
  medicalInstitutions: (o, { filter, first, after }, { models }) =>
    paginate<MedicalInstitutionDoc>(models.MedicalInstitution, institutionFilter(filter, o.id), { first, after }, 'name'),
  namedMedicalInstitutionsWithoutUnit: (o, { first, after }, { models }) =>
    paginate<MedicalInstitutionDoc>(
      models.MedicalInstitution,
      { ...inSubtree(o.id, 'id'), redCrossNamed: true, grassrootsUnitId: null },
      { first, after },
      'name',
    ),
};
