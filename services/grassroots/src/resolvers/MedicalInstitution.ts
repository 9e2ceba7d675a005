import type { MedicalInstitutionResolvers } from '../generated/graphql';
import { existsOn } from '../rules';

export const MedicalInstitution: MedicalInstitutionResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) =>
    access.visible(await loaders.institutionById.load(ref.id), `Medical institution ${ref.id}`),
  id: (i) => String(i._id),
  organization: (i) => ({ id: String(i.organizationId) }),
  // The unit may belong to a branch above the institution's, so it is checked on its own. On a
  // past date the institution's dated unit periods say which unit it had then.
  grassrootsUnit: async (i, { asOf }, { loaders, access }) => {
    const unitId = asOf ? (i.unitPeriods ?? []).find((p) => existsOn(p.since, p.until, asOf))?.unitId : i.grassrootsUnitId;
    return unitId ? access.visible(await loaders.unitById.load(String(unitId)), `Grassroots unit ${String(unitId)}`) : null;
  },
};
