import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { unitIncrease } from '../indicators';
import { isYearPair } from '@rcsc/service-kit';
import { asDate, isObjectId } from './filters';

// Aggregates (row 8) are for any authenticated role, REPORTER and VIEWER included, but only for
// branches in the viewer's own subtree: an entity reference is no way around that.
export const Survey: SurveyResolvers = {
  async __resolveReference(ref, ctx) {
    const asOf = asDate(ref.asOf);
    if (!isObjectId(ref.organizationId) || !asOf) return null;
    await ctx.access.visibleBranch(ref.organizationId, 'organizationId', 'The report');
    return { organizationId: ref.organizationId, asOf, grassrootsUnits: await ctx.loaders.countUnits(ref.organizationId, asOf) };
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  async __resolveReference(ref, ctx) {
    if (!isObjectId(ref.organizationId) || !isYearPair(ref)) return null;
    await ctx.access.visibleBranch(ref.organizationId, 'organizationId', 'The report');
    const grassrootsUnits = await unitIncrease((asOf) => ctx.loaders.countUnits(ref.organizationId, asOf), ref.year, ref.baseYear);
    return { ...ref, grassrootsUnits };
  },
};
