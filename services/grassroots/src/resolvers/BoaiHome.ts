import type { BoaiHomeResolvers } from '../generated/graphql';
import { demonstrationPeriodsOf, homeOpenOn, periodOn, today } from '../rules';
import { groupsOn } from './Groups';

export const BoaiHome: BoaiHomeResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) => access.visible(await loaders.homeById.load(ref.id), `Boai home ${ref.id}`),
  id: (h) => String(h._id),
  organization: (h) => ({ id: String(h.organizationId) }),
  open: (h, { asOf }) => homeOpenOn(h, asOf ?? today()),
  demonstration: (h, { asOf }) => periodOn(demonstrationPeriodsOf(h), asOf ?? today()) !== undefined,
  demonstrationDesignatedOn: (h) => periodOn(demonstrationPeriodsOf(h), today())?.since ?? null,
  demonstrationPeriods: (h) => demonstrationPeriodsOf(h),
  contact: (h) => h.contact ?? null,
  location: (h) => h.location ?? null,
  groups: (h, { asOf }, ctx) => groupsOn(h.groups, asOf ?? today(), ctx),
  groupMemberships: (h) => h.groups ?? [],
};
