import { paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import type { MemberDoc, MemberStarDoc, ServiceTeamDoc, StarRatingDoc, VolunteerDoc } from '../models';
import { serviceHours, survey } from '../indicators';
import { today } from '../rules';
import { checkYear, isObjectId, memberFilter, serviceTeamFilter, toObjectId, volunteerFilter } from './filters';

export const Organization: OrganizationResolvers = {
  // The branch itself is organizations'; this subgraph only needs its id.
  __resolveReference: (ref) => (isObjectId(ref.id) ? { id: ref.id } : null),
  members: (o, { filter, first, after }, { models }) => paginate<MemberDoc>(models.Member, memberFilter(o.id, filter), { first, after }),
  volunteers: (o, { filter, first, after }, { models }) =>
    paginate<VolunteerDoc>(models.Volunteer, volunteerFilter(o.id, filter), { first, after }),
  serviceTeams: (o, { filter, first, after }, { models }) =>
    paginate<ServiceTeamDoc>(models.ServiceTeam, serviceTeamFilter(o.id, filter), { first, after }),
  serviceHours: (o, { from, to }, { models }) => serviceHours(models, String(toObjectId(o.id, 'id')), from ?? null, to ?? null),
  async peopleSurvey(o, { asOf }, { models }) {
    const date = asOf ?? today();
    return { asOf: date, ...(await survey(models, String(toObjectId(o.id, 'id')), date)) };
  },
  memberStars: (o, { year, first, after }, { models }) =>
    paginate<MemberStarDoc>(
      models.MemberStar,
      { orgPath: toObjectId(o.id, 'id'), ...(year != null ? { year: checkYear(year) } : {}) },
      { first, after },
    ),
  starRatingsToDecide: (o, { status, first, after }, { models }) =>
    paginate<StarRatingDoc>(models.StarRating, { approverId: toObjectId(o.id, 'id'), status: status ?? 'PENDING' }, { first, after }),
};
