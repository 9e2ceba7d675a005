import { badInput, paginate } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import type { BoaiHomeDoc, GrassrootsUnitDoc, MedicalInstitutionDoc } from '../models';
import { townshipRef, townshipsOf } from '../places';
import { divisionCodeSchema } from '../rules';
import { homeFilter, institutionFilter, toObjectId, unitFilter } from './filters';

export const Query: QueryResolvers = {
  grassrootsUnit: (_, { id }, { loaders }) => loaders.unitById.load(String(toObjectId(id, 'id'))),
  grassrootsUnits: (_, { filter, first, after }, { models }) =>
    paginate<GrassrootsUnitDoc>(models.GrassrootsUnit, unitFilter(filter), { first, after }, 'name'),
  boaiHome: (_, { id }, { loaders }) => loaders.homeById.load(String(toObjectId(id, 'id'))),
  boaiHomes: (_, { filter, first, after }, { models }) =>
    paginate<BoaiHomeDoc>(models.BoaiHome, homeFilter(filter), { first, after }, 'name'),
  medicalInstitution: (_, { id }, { loaders }) => loaders.institutionById.load(String(toObjectId(id, 'id'))),
  medicalInstitutions: (_, { filter, first, after }, { models }) =>
    paginate<MedicalInstitutionDoc>(models.MedicalInstitution, institutionFilter(filter), { first, after }, 'name'),
  townships(_, { divisionCode }) {
    const code = divisionCodeSchema.safeParse(divisionCode);
    if (!code.success) throw badInput('divisionCode', code.error.issues[0].message);
    return townshipsOf(code.data).map(townshipRef);
  },
};
