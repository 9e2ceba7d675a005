import { allOf, badInput, forbidden, paginate } from '@rcsc/service-kit';
import { serviceCertificatePdf } from '../certificate-pdf';
import { COUNTED_HOURS } from '../models';
import type { ServiceRecordResolvers, ServiceTeamResolvers, StarRatingResolvers, VolunteerResolvers } from '../generated/graphql';
import type { ServiceRecordDoc, ServiceTeamDoc, VolunteerDoc } from '../models';
import { dateRange, isoDay, today } from '../rules';
import { holdsOn, VOLUNTEER_REGISTERED } from '../spans';
import { isObjectId } from './filters';
import { linked } from './links';

export const Volunteer: VolunteerResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) =>
    isObjectId(ref.id) ? access.visible(await loaders.volunteerById.load(ref.id), `Volunteer ${ref.id}`) : null,
  id: (v) => String(v._id),
  // Personal data: masked only, and only to roles that work with people; REPORTER and VIEWER get names only.
  gender: (v, _, { access }) => (access.seesPersonalData ? v.gender : null),
  birthDate: (v, _, { access }) => (access.seesPersonalData ? v.birthDate : null),
  idNumberMasked: (v, _, { access }) => (access.seesPersonalData ? v.idNumberMasked : null),
  phoneMasked: (v, _, { access }) => (access.seesPersonalData ? v.phoneMasked : null),
  // Identifies the person in another system, as an identity number does: personal data (issue 17, ADR 0004).
  nationalSystemId: (v, _, { access }) => (access.seesPersonalData ? v.nationalSystemId : null),
  organization: (v) => ({ id: String(v.organizationId) }),
  grassrootsUnitId: (v) => (v.grassrootsUnitId ? String(v.grassrootsUnitId) : null),
  grassrootsUnit: (v) => (v.grassrootsUnitId ? { id: String(v.grassrootsUnitId) } : null),
  registeredInNationalSystem: (v) => holdsOn(VOLUNTEER_REGISTERED, v, today()),
  nationalSystemRegisteredOn: (v) => v.nationalRegisteredOn,
  // A team above the viewer's subtree (e.g. the prefecture's) is left out of the list.
  teams: async (v, _, { loaders, access }) =>
    access.onlyVisible(
      (await loaders.teamById.loadMany(v.teamIds.map(String))).filter((t): t is ServiceTeamDoc => !!t && !(t instanceof Error)),
    ),
  serviceHours: (v, { from, to }, { loaders }) => loaders.volunteerHours.load({ id: String(v._id), from, to }),
  starRatings: (v, _, { loaders }) => loaders.ratingsOf.load(String(v._id)),
  // The confirmed hours of a period, printed; it carries the masked identity number (personal data).
  async serviceCertificate(v, { from, to }, { access, models, directory }) {
    if (!access.seesPersonalData)
      throw forbidden('A service certificate carries personal data: for ADMIN, STAFF and TRAINING_MANAGER only');
    if (from && to && from > to) throw badInput('to', 'must not be before from');
    const [row] = await models.ServiceRecord.aggregate<{ hours: number; n: number; first: Date; last: Date }>([
      { $match: { volunteerId: v._id, ...dateRange('date', from, to), ...COUNTED_HOURS } },
      { $group: { _id: null, hours: { $sum: '$hours' }, n: { $sum: 1 }, first: { $min: '$date' }, last: { $max: '$date' } } },
    ]);
    const branch = await directory.get(String(v.organizationId));
    const issuedOn = today();
    const number = `VS-${String(v._id).slice(-8).toUpperCase()}-${isoDay(issuedOn).replace(/-/g, '')}`;
    const pdf = await serviceCertificatePdf({
      name: v.name,
      idNumberMasked: v.idNumberMasked,
      branchName: branch?.name ?? '',
      from: from ?? null,
      to: to ?? null,
      firstDay: row?.first ?? null,
      lastDay: row?.last ?? null,
      records: row?.n ?? 0,
      hours: row?.hours ?? 0,
      issuedOn,
      number,
    });
    return {
      filename: `志愿服务证明-${v.name}-${number}.pdf`,
      contentType: 'application/pdf',
      base64: Buffer.from(pdf).toString('base64'),
      rows: row?.n ?? 0,
    };
  },
  serviceRecords: (v, { first, after }, { models }) =>
    paginate<ServiceRecordDoc>(models.ServiceRecord, { volunteerId: v._id }, { first, after }, 'date'),
};

export const ServiceTeam: ServiceTeamResolvers = {
  __resolveReference: async (ref, { loaders, access }) =>
    isObjectId(ref.id) ? access.visible(await loaders.teamById.load(ref.id), `Service team ${ref.id}`) : null,
  id: (t) => String(t._id),
  organization: (t) => ({ id: String(t.organizationId) }),
  // Aggregates of a team the viewer may see (its members may include volunteers of a branch above).
  memberCount: (t, _, { loaders }) => loaders.teamMemberCount.load(String(t._id)),
  members: (t, { first, after }, { models, access }) =>
    paginate<VolunteerDoc>(models.Volunteer, allOf([access.subtree(), { teamIds: t._id, endedOn: null }]), { first, after }),
  serviceHours: (t, { from, to }, { loaders }) => loaders.teamHours.load({ id: String(t._id), from, to }),
};

export const ServiceRecord: ServiceRecordResolvers = {
  id: (r) => String(r._id),
  volunteer: async (r, _, { loaders, access }) =>
    linked(access, await loaders.volunteerById.load(String(r.volunteerId)), 'Volunteer', r.volunteerId),
  // The team may be managed above the viewer's subtree: FORBIDDEN on this field only.
  team: async (r, _, { loaders, access }) =>
    r.teamId ? access.visible(await loaders.teamById.load(String(r.teamId)), `Service team ${String(r.teamId)}`) : null,
  organization: (r) => ({ id: String(r.organizationId) }),
  // Stored before the workflow: confirmed.
  status: (r) => r.status ?? 'CONFIRMED',
  confirmingBranch: (r) => ({ id: String(r.confirmerId ?? r.organizationId) }),
};

export const StarRating: StarRatingResolvers = {
  id: (r) => String(r._id),
  volunteer: async (r, _, { loaders, access }) =>
    linked(access, await loaders.volunteerById.load(String(r.volunteerId)), 'Volunteer', r.volunteerId),
  approver: (r) => ({ id: String(r.approverId) }),
  decidedBy: (r) => (r.decidedBy ? { id: String(r.decidedBy) } : null),
};
