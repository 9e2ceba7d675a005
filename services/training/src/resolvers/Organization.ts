import { paginate } from '@rcsc/service-kit';
import type { OrganizationResolvers } from '../generated/graphql';
import type { InstructorDoc, TrainingClassDoc } from '../models';
import { endOfYear, startOfYear } from '../rules';
import { checkYear, instructorFilter, isObjectId, toObjectId } from './filters';

export const Organization: OrganizationResolvers = {
  // The organizations subgraph owns branches; this one only needs the id to answer its fields.
  __resolveReference: (ref) => (isObjectId(ref.id) ? { id: ref.id } : null),
  instructorPool: async (o, { filter, includeSubtree, first, after }, { models }) => {
    const id = toObjectId(o.id, 'id');
    return paginate<InstructorDoc>(
      models.Instructor,
      { $and: [await instructorFilter(models, filter), includeSubtree ? { orgPath: id } : { organizationId: id }] },
      { first, after },
      'name',
    );
  },
  hostedClasses(o, { year, first, after }, { models }) {
    const filter: Record<string, unknown> = { organizationId: toObjectId(o.id, 'id'), cancelledOn: null };
    if (year != null) filter.startsOn = { $gte: startOfYear(checkYear(year)), $lte: endOfYear(year) };
    return paginate<TrainingClassDoc>(models.TrainingClass, filter, { first, after }, 'startsOn');
  },
  trainedCadres: async (o, { year }, { loaders }) => ({
    organizationId: o.id,
    year,
    ...(await loaders.cadresOf.load(`${o.id.toLowerCase()}|${checkYear(year)}`)),
  }),
};
