import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { annualIncrease, survey } from '../indicators';
import { asDate, isObjectId } from './filters';

export const Survey: SurveyResolvers = {
  async __resolveReference(ref, { models }) {
    const asOf = asDate(ref.asOf);
    if (!isObjectId(ref.organizationId) || !asOf) return null;
    return { organizationId: ref.organizationId, asOf, ...(await survey(models, ref.organizationId, asOf)) };
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  async __resolveReference(ref, { models }) {
    if (!isObjectId(ref.organizationId) || !Number.isInteger(ref.year)) return null;
    return { organizationId: ref.organizationId, year: ref.year, ...(await annualIncrease(models, ref.organizationId, ref.year)) };
  },
};
