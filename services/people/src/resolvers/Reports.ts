import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { annualIncrease, survey } from '../indicators';
import { isYearPair } from '@rcsc/service-kit';
import { asDate, isObjectId } from './filters';

// Aggregates (rows 9-14) are for any authenticated role, REPORTER and VIEWER included, but only
// for branches in the viewer's own subtree: an entity reference is no way around that.
export const Survey: SurveyResolvers = {
  async __resolveReference(ref, { access, loaders }) {
    const asOf = asDate(ref.asOf);
    if (!isObjectId(ref.organizationId) || !asOf) return null;
    await access.visibleBranch(ref.organizationId, 'organizationId', 'The report');
    return { organizationId: ref.organizationId, asOf, ...(await survey(loaders.counts, ref.organizationId, asOf)) };
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  async __resolveReference(ref, { access, loaders }) {
    if (!isObjectId(ref.organizationId) || !isYearPair(ref)) return null;
    await access.visibleBranch(ref.organizationId, 'organizationId', 'The report');
    return { ...ref, ...(await annualIncrease(loaders.counts, ref.organizationId, ref.year, ref.baseYear)) };
  },
};
