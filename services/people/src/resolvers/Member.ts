import type { DuesPaymentResolvers, MemberResolvers, MemberStarAwardResolvers } from '../generated/graphql';
import { memberStatusOn, today } from '../rules';

const required = <T>(row: T | null, what: string, id: unknown): T => {
  if (!row) throw new Error(`${what} ${String(id)} is missing`);
  return row;
};

export const Member: MemberResolvers = {
  __resolveReference: (ref, { loaders }) => (/^[0-9a-f]{24}$/i.test(ref.id) ? loaders.memberById.load(ref.id) : null),
  id: (m) => String(m._id),
  organization: (m) => ({ id: String(m.organizationId) }),
  grassrootsUnitId: (m) => (m.grassrootsUnitId ? String(m.grassrootsUnitId) : null),
  // Before the joining date a member has no standing yet; report ACTIVE from joining (lists never show them early).
  status: (m, { asOf }) => memberStatusOn(m, asOf ?? today()) ?? 'ACTIVE',
  duesPayments: (m, _, { loaders }) => loaders.duesOf.load(String(m._id)),
  memberStars: (m, _, { loaders }) => loaders.awardsOf.load(String(m._id)),
};

export const DuesPayment: DuesPaymentResolvers = {
  id: (p) => String(p._id),
  member: async (p, _, { loaders }) => required(await loaders.memberById.load(String(p.memberId)), 'member', p.memberId),
  receivedBy: (p) => ({ id: String(p.organizationId) }),
  amount: (p) => p.amountCents / 100,
};

export const MemberStarAward: MemberStarAwardResolvers = {
  id: (a) => String(a._id),
  member: async (a, _, { loaders }) => required(await loaders.memberById.load(String(a.memberId)), 'member', a.memberId),
  organization: (a) => ({ id: String(a.organizationId) }),
};
