import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { unitIncrease } from '../indicators';
import { asDate, isObjectId } from './filters';

export const Survey: SurveyResolvers = {
  async __resolveReference(ref, { loaders }) {
    const asOf = asDate(ref.asOf);
    if (!isObjectId(ref.organizationId) || !asOf) return null;
    return { organizationId: ref.organizationId, asOf, grassrootsUnits: await loaders.countUnits(ref.organizationId, asOf) };
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  async __resolveReference(ref, { loaders }) {
    if (!isObjectId(ref.organizationId) || !Number.isInteger(ref.year)) return null;
    const grassrootsUnits = await unitIncrease((asOf) => loaders.countUnits(ref.organizationId, asOf), ref.year);
    return { organizationId: ref.organizationId, year: ref.year, grassrootsUnits };
  },
};
