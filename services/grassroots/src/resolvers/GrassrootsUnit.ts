import type { GrassrootsUnitResolvers, UnitLeaderResolvers } from '../generated/graphql';
import { latestAssessment, today, unitActiveOn } from '../rules';

export const GrassrootsUnit: GrassrootsUnitResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.unitById.load(ref.id),
  id: (u) => String(u._id),
  organization: (u) => ({ id: String(u.organizationId) }),
  active: (u, { asOf }) => unitActiveOn(u, asOf ?? today()),
  latestAssessment: (u) => latestAssessment(u.assessments),
  assessments: (u) => [...u.assessments].reverse(),
  school: (u) => (u.type === 'SCHOOL' ? (u.school ?? { schoolClinic: false, firstAidKiosks: 0, firstAidKits: 0, aeds: 0 }) : null),
  medicalInstitution: (u, _, { loaders }) => (u.medicalInstitutionId ? loaders.institutionById.load(String(u.medicalInstitutionId)) : null),
};

export const UnitLeader: UnitLeaderResolvers = {
  // Personal data: only the mask ever leaves the service.
  phone: (l) => l.phone?.masked ?? null,
};
