import type { GrassrootsUnitResolvers, SchoolEquipmentRecordResolvers, UnitLeaderResolvers } from '../generated/graphql';
import type { GrassrootsUnitDoc } from '../models';
import { equipmentFromCounts, equipmentTotalsOn, fiveHasPeriods, latestAssessment, meetsFiveHasOn, today, unitActiveOn } from '../rules';
import { groupsOn } from './Groups';

/** A unit's equipment records; one stored before dated equipment reads its counts as installed on its establishment. */
export const equipmentOf = (u: GrassrootsUnitDoc) =>
  u.equipment ?? (u.type === 'SCHOOL' ? equipmentFromCounts(u.school, u.establishedOn) : []);

export const GrassrootsUnit: GrassrootsUnitResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) => access.visible(await loaders.unitById.load(ref.id), `Grassroots unit ${ref.id}`),
  id: (u) => String(u._id),
  organization: (u) => ({ id: String(u.organizationId) }),
  active: (u, { asOf }) => unitActiveOn(u, asOf ?? today()),
  meetsFiveHas: (u, { asOf }) => (asOf ? meetsFiveHasOn(u.assessments, asOf) : u.meetsFiveHas),
  fiveHasPeriods: (u) => u.fiveHas ?? fiveHasPeriods(u.assessments),
  latestAssessment: (u) => latestAssessment(u.assessments),
  assessments: (u) => [...u.assessments].reverse(),
  school: (u, { asOf }) => {
    if (u.type !== 'SCHOOL') return null;
    const t = equipmentTotalsOn(equipmentOf(u), asOf ?? today());
    return { ...t, schoolClinic: t.schoolClinics > 0 };
  },
  equipment: (u) => [...equipmentOf(u)].sort((a, b) => a.installedOn.getTime() - b.installedOn.getTime()),
  contact: (u) => u.contact ?? null,
  location: (u) => u.location ?? null,
  groups: (u, { asOf }, ctx) => groupsOn(u.groups, asOf ?? today(), ctx),
  groupMemberships: (u) => u.groups ?? [],
  medicalInstitution: async (u, _, { loaders, access }) =>
    u.medicalInstitutionId
      ? access.visible(
          await loaders.institutionById.load(String(u.medicalInstitutionId)),
          `Medical institution ${String(u.medicalInstitutionId)}`,
        )
      : null,
};

export const SchoolEquipmentRecord: SchoolEquipmentRecordResolvers = {
  id: (e) => String(e._id),
};

export const UnitLeader: UnitLeaderResolvers = {
  // Personal data: only the mask ever leaves the service, and only to roles that work with people.
  phone: (l, _, { access }) => (access.seesPersonalData ? (l.phone?.masked ?? null) : null),
};
