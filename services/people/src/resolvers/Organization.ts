import { pathOf } from '@rcsc/directory';
import { auditLog, paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import type { MemberDoc, MemberStarDoc, ServiceTeamDoc, StarRatingDoc, VolunteerDoc } from '../models';
import { serviceHours, survey } from '../indicators';
import { today } from '../rules';
import { NOTHING, requireVisibleBranch, scoped, visibleRoot } from './access';
import { checkYear, isObjectId, memberFilter, serviceTeamFilter, toObjectId, volunteerFilter } from './filters';

export const Organization: OrganizationResolvers = {
  // The branch itself is organizations'; this subgraph only needs its id.
  __resolveReference: (ref) => (isObjectId(ref.id) ? { id: ref.id } : null),
  // Lists: the branch's subtree AND the viewer's, so nothing outside the viewer's subtree shows.
  async members(o, { filter, first, after }, ctx) {
    const root = await visibleRoot(ctx, String(toObjectId(o.id, 'id')), filter?.directOnly);
    return paginate<MemberDoc>(ctx.models.Member, root ? memberFilter(root, filter) : NOTHING, { first, after });
  },
  async volunteers(o, { filter, first, after }, ctx) {
    const root = await visibleRoot(ctx, String(toObjectId(o.id, 'id')), filter?.directOnly);
    return paginate<VolunteerDoc>(ctx.models.Volunteer, root ? volunteerFilter(root, filter) : NOTHING, { first, after });
  },
  async serviceTeams(o, { filter, first, after }, ctx) {
    const root = await visibleRoot(ctx, String(toObjectId(o.id, 'id')), filter?.directOnly);
    return paginate<ServiceTeamDoc>(ctx.models.ServiceTeam, root ? serviceTeamFilter(root, filter) : NOTHING, { first, after });
  },
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
