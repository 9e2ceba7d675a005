import { pathOf } from '@rcsc/directory';
import { auditLog, paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import type { MemberDoc, MemberStarDoc, ServiceTeamDoc, StarRatingDoc, VolunteerDoc } from '../models';
import { serviceHours, survey } from '../indicators';
import { today } from '../rules';
import { requireVisibleBranch, scoped } from './access';
import { checkYear, isObjectId, memberFilter, serviceTeamFilter, toObjectId, volunteerFilter } from './filters';

export const Organization: OrganizationResolvers = {
  // The branch itself is organizations'; this subgraph only needs its id.
  __resolveReference: (ref) => (isObjectId(ref.id) ? { id: ref.id } : null),
  // Lists: the branch's subtree AND the viewer's, so nothing outside the viewer's subtree shows.
  members: (o, { filter, first, after }, { models, viewer }) =>
    paginate<MemberDoc>(models.Member, scoped(viewer, memberFilter(o.id, filter)), { first, after }),
  volunteers: (o, { filter, first, after }, { models, viewer }) =>
    paginate<VolunteerDoc>(models.Volunteer, scoped(viewer, volunteerFilter(o.id, filter)), { first, after }),
  serviceTeams: (o, { filter, first, after }, { models, viewer }) =>
    paginate<ServiceTeamDoc>(models.ServiceTeam, scoped(viewer, serviceTeamFilter(o.id, filter)), { first, after }),
  // Aggregates of the branch's whole subtree: any role, FORBIDDEN unless the branch is in the viewer's.
  async serviceHours(o, { from, to }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    await requireVisibleBranch(ctx, id, 'id', 'The service hours');
    return serviceHours(ctx.loaders.counts, id, from ?? null, to ?? null);
  },
  async peopleSurvey(o, { asOf }, ctx) {
    const id = String(toObjectId(o.id, 'id'));
    await requireVisibleBranch(ctx, id, 'id', 'The people survey');
    const date = asOf ?? today();
    return { asOf: date, ...(await survey(ctx.loaders.counts, id, date)) };
  },
  memberStars: (o, { year, first, after }, { models, viewer }) =>
    paginate<MemberStarDoc>(
      models.MemberStar,
      scoped(viewer, { orgPath: toObjectId(o.id, 'id'), ...(year != null ? { year: checkYear(year) } : {}) }),
      { first, after },
    ),
  // Ratings carry their volunteer's path: only the viewer's volunteers' ratings are listed.
  starRatingsToDecide: (o, { status, first, after }, { models, viewer }) =>
    paginate<StarRatingDoc>(models.StarRating, scoped(viewer, { approverId: toObjectId(o.id, 'id'), status: status ?? 'PENDING' }), {
      first,
      after,
    }),
  async peopleAudit(o, { first, after }, { directory, models, viewer }) {
    const branch = await directory.require(o.id, 'id');
    return auditLog(models.Audit, viewer, pathOf(branch), { first, after });
  },
};
