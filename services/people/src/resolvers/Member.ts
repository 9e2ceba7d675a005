import type { DuesPaymentResolvers, MemberResolvers, MemberStarAwardResolvers } from '../generated/graphql';
import { memberEvents, memberStatusOn, today } from '../rules';
import { isObjectId } from './filters';
import { linked } from './links';

export const Member: MemberResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) =>
    isObjectId(ref.id) ? access.visible(await loaders.memberById.load(ref.id), `Member ${ref.id}`) : null,
  id: (m) => String(m._id),
  // Personal data: masked only, and only to roles that work with people; REPORTER and VIEWER get names only.
  gender: (m, _, { access }) => (access.seesPersonalData ? m.gender : null),
  birthDate: (m, _, { access }) => (access.seesPersonalData ? m.birthDate : null),
  idNumberMasked: (m, _, { access }) => (access.seesPersonalData ? m.idNumberMasked : null),
  phoneMasked: (m, _, { access }) => (access.seesPersonalData ? m.phoneMasked : null),
  // A named private person (the group's contact): personal data, like a phone (issue 17, ADR 0004).
  contactPerson: (m, _, { access }) => (access.seesPersonalData ? m.contactPerson : null),
  organization: (m) => ({ id: String(m.organizationId) }),
  grassrootsUnitId: (m) => (m.grassrootsUnitId ? String(m.grassrootsUnitId) : null),
  // A federated reference: the grassroots subgraph resolves the unit (and its own access rules).
  grassrootsUnit: (m) => (m.grassrootsUnitId ? { id: String(m.grassrootsUnitId) } : null),
  // Before the joining date a member has no standing yet: NOT_MEMBER (never ACTIVE).
  status: (m, { asOf }) => memberStatusOn(m, asOf ?? today()) ?? 'NOT_MEMBER',
  // The ledger and the awards of a member the viewer may see (awards may come from a branch above).
  duesPayments: (m, _, { loaders }) => loaders.duesOf.load(String(m._id)),
  memberStars: (m, _, { loaders }) => loaders.awardsOf.load(String(m._id)),
  transfers: (m) =>
    (m.transfers ?? []).map((t) => ({
      on: t.on,
      from: { id: String(t.fromOrganizationId) },
      to: { id: String(t.toOrganizationId) },
      reason: t.reason,
    })),
  // This record's events and, for roles that see personal data, the same person's other records in the viewer's subtree.
  async history(m, _, { loaders, access }) {
    const others = access.seesPersonalData ? access.onlyVisible(await loaders.recordsOfPerson.load(m.idNumberHash)) : [];
    const records = [m, ...others.filter((r) => !r._id.equals(m._id))];
    const ledgers = await Promise.all(records.map((r) => loaders.duesOf.load(String(r._id))));
    return records
      .flatMap((r, i) => memberEvents(r, ledgers[i], today()))
      .sort((a, b) => a.on.getTime() - b.on.getTime())
      .map((e) => ({ ...e, organization: { id: e.organizationId } }));
  },
};

export const DuesPayment: DuesPaymentResolvers = {
  id: (p) => String(p._id),
  member: async (p, _, { loaders, access }) => linked(access, await loaders.memberById.load(String(p.memberId)), 'Member', p.memberId),
  receivedBy: (p) => ({ id: String(p.organizationId) }),
  amount: (p) => p.amountCents / 100,
};

export const MemberStarAward: MemberStarAwardResolvers = {
  id: (a) => String(a._id),
  member: async (a, _, { loaders, access }) => linked(access, await loaders.memberById.load(String(a.memberId)), 'Member', a.memberId),
  organization: (a) => ({ id: String(a.organizationId) }),
};
