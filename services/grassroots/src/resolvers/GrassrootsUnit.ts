import type { GrassrootsUnitResolvers, UnitLeaderResolvers } from '../generated/graphql';
import { latestAssessment, today, unitActiveOn } from '../rules';

export const GrassrootsUnit: GrassrootsUnitResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) => access.visible(await loaders.unitById.load(ref.id), `Grassroots unit ${ref.id}`),
  id: (u) => String(u._id),
  organization: (u) => ({ id: String(u.organizationId) }),
  active: (u, { asOf }) => unitActiveOn(u, asOf ?? today()),
  latestAssessment: (u) => latestAssessment(u.assessments),
  assessments: (u) => [...u.assessments].reverse(),
  school: (u) => (u.type === 'SCHOOL' ? (u.school ?? { schoolClinic: false, firstAidKiosks: 0, firstAidKits: 0, aeds: 0 }) : null),
  medicalInstitution: async (u, _, { loaders, access }) =>
    u.medicalInstitutionId
      ? access.visible(
          await loaders.institutionById.load(String(u.medicalInstitutionId)),
          `Medical institution ${String(u.medicalInstitutionId)}`,
        )
      : null,
};

export const UnitLeader: UnitLeaderResolvers = {
  // Personal data: only the mask ever leaves the service, and only to roles that work with people.
  phone: (l, _, { access }) => (access.seesPersonalData ? (l.phone?.masked ?? null) : null),
};
