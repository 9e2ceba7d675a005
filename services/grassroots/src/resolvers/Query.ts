import { badInput, paginate } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import type { BoaiHomeDoc, GrassrootsUnitDoc, MedicalInstitutionDoc } from '../models';
import { townshipRef, townshipsOf } from '../places';
import { divisionCodeSchema } from '../rules';
import { scoped, visible } from './access';
import { homeFilter, institutionFilter, toObjectId, unitFilter } from './filters';

// Single records outside the viewer's subtree are FORBIDDEN (unknown ids stay null); lists only
// ever show records inside it.
export const Query: QueryResolvers = {
  grassrootsUnit: async (_, { id }, { loaders, viewer }) =>
    visible(viewer, await loaders.unitById.load(String(toObjectId(id, 'id'))), `Grassroots unit ${id}`),
  grassrootsUnits: (_, { filter, first, after }, { models, viewer }) =>
    paginate<GrassrootsUnitDoc>(models.GrassrootsUnit, scoped(viewer, unitFilter(filter)), { first, after }, 'name'),
  boaiHome: async (_, { id }, { loaders, viewer }) =>
    visible(viewer, await loaders.homeById.load(String(toObjectId(id, 'id'))), `Boai home ${id}`),
  boaiHomes: (_, { filter, first, after }, { models, viewer }) =>
    paginate<BoaiHomeDoc>(models.BoaiHome, scoped(viewer, homeFilter(filter)), { first, after }, 'name'),
  medicalInstitution: async (_, { id }, { loaders, viewer }) =>
    visible(viewer, await loaders.institutionById.load(String(toObjectId(id, 'id'))), `Medical institution ${id}`),
  medicalInstitutions: (_, { filter, first, after }, { models, viewer }) =>
    paginate<MedicalInstitutionDoc>(models.MedicalInstitution, scoped(viewer, institutionFilter(filter)), { first, after }, 'name'),
  townships(_, { divisionCode }) {
    // Public division data (for registration forms): any authenticated viewer.
    const code = divisionCodeSchema.safeParse(divisionCode);
    if (!code.success) throw badInput('divisionCode', code.error.issues[0].message);
    return townshipsOf(code.data).map(townshipRef);
  },
};
