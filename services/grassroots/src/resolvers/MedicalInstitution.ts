import type { MedicalInstitutionResolvers } from '../generated/graphql';

export const MedicalInstitution: MedicalInstitutionResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.institutionById.load(ref.id),
  id: (i) => String(i._id),
  organization: (i) => ({ id: String(i.organizationId) }),
  grassrootsUnit: (i, _, { loaders }) => (i.grassrootsUnitId ? loaders.unitById.load(String(i.grassrootsUnitId)) : null),
};
