import { Roles } from '@rcsc/access';
import { allOf, paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import type { MemberDoc, MemberStarDoc, ServiceTeamDoc, StarRatingDoc, VolunteerDoc } from '../models';
import { serviceHours, survey } from '../indicators';
import { storedPath } from '../new-records';
import { today } from '../rules';
import { checkYear, isObjectId, memberFilter, serviceTeamFilter, toObjectId, volunteerFilter } from './filters';

/** The branch id of a representation, validated (lower case, as stored). */
const branchId = (id: string) => String(toObjectId(id, 'id'));

export const Organization: OrganizationResolvers = {
  // The branch itself is organizations'; this subgraph only needs its id.
  __resolveReference: (ref) => (isObjectId(ref.id) ? { id: ref.id } : null),
  // Lists: the one index-served condition (the deeper of the branch and the viewer's) and the filter.
  async members(o, { filter, first, after }, { access, models, vault }) {
    const within = await access.listCondition(branchId(o.id), !!filter?.directOnly);
    return paginate<MemberDoc>(models.Member, memberFilter(within, filter, { access, vault }), { first, after });
  },
  async volunteers(o, { filter, first, after }, { access, models, vault }) {
    const within = await access.listCondition(branchId(o.id), !!filter?.directOnly);
    return paginate<VolunteerDoc>(models.Volunteer, volunteerFilter(within, filter, { access, vault }), { first, after });
  },
  async serviceTeams(o, { filter, first, after }, { access, models }) {
    const within = await access.listCondition(branchId(o.id), !!filter?.directOnly);
    return paginate<ServiceTeamDoc>(models.ServiceTeam, serviceTeamFilter(within, filter), { first, after });
  },
  // Aggregates of the branch's whole subtree: any role, FORBIDDEN unless the branch is in the viewer's.
  async serviceHours(o, { from, to }, { access, loaders }) {
    const branch = await access.visibleBranch(branchId(o.id), 'id', 'The service hours');
    return serviceHours(loaders.counts, branch.id, from ?? null, to ?? null);
  },
  async peopleSurvey(o, { asOf }, { access, loaders }) {
    const branch = await access.visibleBranch(branchId(o.id), 'id', 'The people survey');
    const date = asOf ?? today();
    return { asOf: date, ...(await survey(loaders.counts, branch.id, date)) };
  },
  async memberStars(o, { year, first, after }, { access, models }) {
    const within = await access.listCondition(branchId(o.id));
    return paginate<MemberStarDoc>(models.MemberStar, allOf([within, year != null ? { year: checkYear(year) } : {}]), { first, after });
  },
  // Ratings carry their volunteer's path: only the viewer's volunteers' ratings are listed.
  starRatingsToDecide: (o, { status, first, after }, { access, models }) =>
    paginate<StarRatingDoc>(
      models.StarRating,
      allOf([access.subtree(), { approverId: toObjectId(o.id, 'id'), status: status ?? 'PENDING' }]),
      {
        first,
        after,
      },
    ),
  // The log of a branch's subtree, newest first: ADMINs of a subtree containing the branch only.
  async peopleAudit(o, { first, after }, { access, models }) {
    const branch = await access.branch(o.id, 'id');
    access.requireRole(Roles.ADMINS, 'read the audit log');
    access.requireOver(storedPath(branch), 'This audit log');
    return paginate(models.Audit, { orgPath: toObjectId(branch.id, 'id') }, { first, after }, 'at', -1);
  },
};
