import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { allOf, badInput, paginate } from '@rcsc/service-kit';
import { writeTable } from '@rcsc/tables';
import type { OrganizationResolvers } from '../generated/graphql';
import {
  COUNTED_PAYMENT,
  type MemberDoc,
  type MemberStarDoc,
  type ServiceRecordDoc,
  type ServiceTeamDoc,
  type StarRatingDoc,
  type VolunteerDoc,
} from '../models';
import { serviceHours, survey } from '../indicators';
import { storedPath } from '../new-records';
import { isoDay, memberStatusOn, startOfYear, today, yearsEndingWithin } from '../rules';
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
  // Dues received in a year by the subtree's branches: one aggregation on {orgPath, paidOn}.
  async duesTotals(o, { year }, { access, models }) {
    const branch = await access.visibleBranch(branchId(o.id), 'id', 'The dues totals');
    const y = checkYear(year);
    const [row] = await models.DuesPayment.aggregate<{ amount: number; payments: number; members: number }>([
      { $match: { orgPath: new Types.ObjectId(branch.id), paidOn: { $gte: startOfYear(y), $lt: startOfYear(y + 1) }, ...COUNTED_PAYMENT } },
      { $group: { _id: '$memberId', amount: { $sum: '$amountCents' }, payments: { $sum: 1 } } },
      { $group: { _id: null, amount: { $sum: '$amount' }, payments: { $sum: '$payments' }, members: { $sum: 1 } } },
    ]);
    return { year: y, amount: (row?.amount ?? 0) / 100, payments: row?.payments ?? 0, membersPaid: row?.members ?? 0 };
  },
  // Renewal reminders: current members whose last paid year ends in the window ({orgPath, paidThrough} index).
  async membersAboutToLapse(o, { asOf, withinDays, first, after }, { access, models }) {
    const years = yearsEndingWithin(asOf ?? today(), withinDays);
    const within = await access.listCondition(branchId(o.id));
    return paginate<MemberDoc>(models.Member, allOf([within, { paidThrough: { $in: years }, withdrawnOn: null }]), { first, after });
  },
  // The member list as a file, masked as the viewer sees members (names only for REPORTER and VIEWER).
  async exportMembers(o, { format, filter }, { access, models, vault, config, directory }) {
    const branch = await access.visibleBranch(branchId(o.id), 'id', 'The member list');
    const within = await access.listCondition(branch.id, !!filter?.directOnly);
    const condition = memberFilter(within, filter, { access, vault });
    const total = await models.Member.countDocuments(condition);
    if (total > config.memberExportMaxRows)
      throw badInput('filter', `matches ${total} members; an export holds at most ${config.memberExportMaxRows}: narrow the filter`);
    const members = (await models.Member.find(condition).sort({ _id: 1 }).lean()) as MemberDoc[];
    const names = new Map<string, string>();
    for (const id of new Set(members.map((m) => String(m.organizationId)))) names.set(id, (await directory.get(id))?.name ?? id);
    const personal = access.seesPersonalData;
    const on = today();
    const header = ['会员证号', '姓名/名称', '类别', '证件号码', '电话', '所属红十字会', '入会日期', '会费缴至', '状态', '退会日期'];
    const kinds: Record<string, string> = { ADULT: '成人会员', YOUTH: '青少年会员', GROUP: '团体会员' };
    const rows = members.map((m) => [
      m.memberNumber ?? '',
      m.name,
      kinds[m.kind] ?? m.kind,
      personal ? m.idNumberMasked : '',
      personal ? (m.phoneMasked ?? '') : '',
      names.get(String(m.organizationId)) ?? '',
      isoDay(m.joinedOn),
      m.paidThrough != null ? String(m.paidThrough) : '',
      memberStatusOn(m, on) ?? 'NOT_MEMBER',
      m.withdrawnOn ? isoDay(m.withdrawnOn) : '',
    ]);
    const content = await writeTable(format, '会员名册', header, rows);
    const csv = format === 'CSV';
    return {
      filename: `会员名册-${branch.name}-${isoDay(on)}.${csv ? 'csv' : 'xlsx'}`,
      contentType: csv ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: csv ? Buffer.from(content, 'utf8').toString('base64') : content,
      rows: rows.length,
    };
  },
  // Pending records whose confirming branch lies in the branch's subtree and the viewer's.
  async serviceRecordsToConfirm(o, { first, after }, { access, models }) {
    const root = await access.listRoot(branchId(o.id));
    const condition: Record<string, unknown> = root ? { confirmerPath: new Types.ObjectId(root), status: 'PENDING' } : { _id: null };
    return paginate<ServiceRecordDoc>(models.ServiceRecord, condition, { first, after });
  },
};
