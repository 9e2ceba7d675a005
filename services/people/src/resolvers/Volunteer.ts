import { paginate } from '@rcsc/service-kit';
import type { ServiceRecordResolvers, ServiceTeamResolvers, StarRatingResolvers, VolunteerResolvers } from '../generated/graphql';
import { hoursKey } from '../loaders';
import type { ServiceRecordDoc, ServiceTeamDoc, VolunteerDoc } from '../models';
import { today } from '../rules';
import { isObjectId } from './filters';

const required = <T>(row: T | null, what: string, id: unknown): T => {
  if (!row) throw new Error(`${what} ${String(id)} is missing`);
  return row;
};

export const Volunteer: VolunteerResolvers = {
  __resolveReference: (ref, { loaders }) => (isObjectId(ref.id) ? loaders.volunteerById.load(ref.id) : null),
  id: (v) => String(v._id),
  organization: (v) => ({ id: String(v.organizationId) }),
  registeredInNationalSystem: (v) => !!v.nationalRegisteredOn && v.nationalRegisteredOn <= today() && !(v.endedOn && v.endedOn <= today()),
  nationalSystemRegisteredOn: (v) => v.nationalRegisteredOn,
  teams: async (v, _, { loaders }) =>
    (await loaders.teamById.loadMany(v.teamIds.map(String))).filter((t): t is ServiceTeamDoc => !!t && !(t instanceof Error)),
  serviceHours: (v, { from, to }, { loaders }) => loaders.volunteerHours.load(hoursKey(String(v._id), from, to)),
  starRatings: (v, _, { loaders }) => loaders.ratingsOf.load(String(v._id)),
  serviceRecords: (v, { first, after }, { models }) =>
    paginate<ServiceRecordDoc>(models.ServiceRecord, { volunteerId: v._id }, { first, after }, 'date'),
};

export const ServiceTeam: ServiceTeamResolvers = {
  __resolveReference: (ref, { loaders }) => (isObjectId(ref.id) ? loaders.teamById.load(ref.id) : null),
  id: (t) => String(t._id),
  organization: (t) => ({ id: String(t.organizationId) }),
  memberCount: (t, _, { loaders }) => loaders.teamMemberCount.load(String(t._id)),
  members: (t, { first, after }, { models }) =>
    paginate<VolunteerDoc>(models.Volunteer, { teamIds: t._id, endedOn: null }, { first, after }),
  serviceHours: (t, { from, to }, { loaders }) => loaders.teamHours.load(hoursKey(String(t._id), from, to)),
};

export const ServiceRecord: ServiceRecordResolvers = {
  id: (r) => String(r._id),
  volunteer: async (r, _, { loaders }) => required(await loaders.volunteerById.load(String(r.volunteerId)), 'volunteer', r.volunteerId),
  team: (r, _, { loaders }) => (r.teamId ? loaders.teamById.load(String(r.teamId)) : null),
  organization: (r) => ({ id: String(r.organizationId) }),
};

export const StarRating: StarRatingResolvers = {
  id: (r) => String(r._id),
  volunteer: async (r, _, { loaders }) => required(await loaders.volunteerById.load(String(r.volunteerId)), 'volunteer', r.volunteerId),
  approver: (r) => ({ id: String(r.approverId) }),
  decidedBy: (r) => (r.decidedBy ? { id: String(r.decidedBy) } : null),
};
