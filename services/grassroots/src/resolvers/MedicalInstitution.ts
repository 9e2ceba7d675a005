import type { MedicalInstitutionResolvers } from '../generated/graphql';

export const MedicalInstitution: MedicalInstitutionResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) =>
    access.visible(await loaders.institutionById.load(ref.id), `Medical institution ${ref.id}`),
  id: (i) => String(i._id),
  organization: (i) => ({ id: String(i.organizationId) }),
  // The unit may belong to a branch above the institution's, so it is checked on its own.
  grassrootsUnit: async (i, _, { loaders, access }) =>
    i.grassrootsUnitId
      ? access.visible(await loaders.unitById.load(String(i.grassrootsUnitId)), `Grassroots unit ${String(i.grassrootsUnitId)}`)
      : null,
};
