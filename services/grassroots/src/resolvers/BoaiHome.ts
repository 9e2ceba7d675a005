import type { BoaiHomeResolvers } from '../generated/graphql';
import { homeOpenOn, today } from '../rules';

export const BoaiHome: BoaiHomeResolvers = {
  // Outside the viewer's subtree: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, { loaders, access }) => access.visible(await loaders.homeById.load(ref.id), `Boai home ${ref.id}`),
  id: (h) => String(h._id),
  organization: (h) => ({ id: String(h.organizationId) }),
  open: (h, { asOf }) => homeOpenOn(h, asOf ?? today()),
  demonstration: (h) => h.demonstrationDesignatedOn != null,
};
