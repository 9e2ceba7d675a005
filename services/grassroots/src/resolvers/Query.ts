import { badInput } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import { exportHomes, exportUnits } from '../bulk';
import type { BoaiHomeDoc, GrassrootsUnitDoc, MedicalInstitutionDoc } from '../models';
import { townshipRef, townshipsOf } from '../places';
import { divisionCodeSchema } from '../rules';
import { homeFilter, institutionFilter, pageOf, toObjectId, unitFilter, within } from './filters';

// Single records outside the viewer's subtree are FORBIDDEN (unknown ids stay null); lists only
// ever show records inside it.
export const Query: QueryResolvers = {
  grassrootsUnit: async (_, { id }, { loaders, access }) =>
    access.visible(await loaders.unitById.load(String(toObjectId(id, 'id'))), `Grassroots unit ${id}`),
  grassrootsUnits: (_, { filter, first, after }, { models, access }) =>
    pageOf<GrassrootsUnitDoc>(models.GrassrootsUnit, access, [within(filter)], unitFilter(filter), { first, after }),
  boaiHome: async (_, { id }, { loaders, access }) =>
    access.visible(await loaders.homeById.load(String(toObjectId(id, 'id'))), `Boai home ${id}`),
  boaiHomes: (_, { filter, first, after }, { models, access }) =>
    pageOf<BoaiHomeDoc>(models.BoaiHome, access, [within(filter)], homeFilter(filter), { first, after }),
  medicalInstitution: async (_, { id }, { loaders, access }) =>
    access.visible(await loaders.institutionById.load(String(toObjectId(id, 'id'))), `Medical institution ${id}`),
  medicalInstitutions: (_, { filter, first, after }, { models, access }) =>
    pageOf<MedicalInstitutionDoc>(models.MedicalInstitution, access, [within(filter)], institutionFilter(filter), { first, after }),
  // Any role, like the lists: only records in the viewer's subtree are written out.
  exportGrassrootsUnits: (_, args, ctx) => exportUnits(ctx, args),
  exportBoaiHomes: (_, args, ctx) => exportHomes(ctx, args),
  townships(_, { divisionCode }) {
    // Public division data (for registration forms): any authenticated viewer.
    const code = divisionCodeSchema.safeParse(divisionCode);
    if (!code.success) throw badInput('divisionCode', code.error.issues[0].message);
    return townshipsOf(code.data).map(townshipRef);
  },
};
