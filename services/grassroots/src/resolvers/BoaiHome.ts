import type { BoaiHomeResolvers } from '../generated/graphql';
import { homeOpenOn, today } from '../rules';

export const BoaiHome: BoaiHomeResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.homeById.load(ref.id),
  id: (h) => String(h._id),
  organization: (h) => ({ id: String(h.organizationId) }),
  open: (h, { asOf }) => homeOpenOn(h, asOf ?? today()),
  demonstration: (h) => h.demonstrationDesignatedOn != null,
};
