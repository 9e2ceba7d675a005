import { Roles } from '@rcsc/access';
import { badInput } from '@rcsc/service-kit';
import type { AnnualIncreaseResolvers, DataQualityResolvers, SurveyResolvers } from '../generated/graphql';
import { MAX_PERIOD_DAYS, peopleFindings } from '../data-quality';
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

// The data-quality report of a subtree and period: REPORT_READERS over the branch, re-checked here
// (an entity reference is no way around the entry point's check).
export const DataQuality: DataQualityResolvers = {
  async __resolveReference(ref, { access }) {
    const from = asDate(ref.from);
    const to = asDate(ref.to);
    if (!isObjectId(ref.organizationId) || !from || !to) return null;
    access.requireRole(Roles.REPORT_READERS, 'read data-quality reports');
    const branch = await access.visibleBranch(ref.organizationId, 'organizationId', 'The data-quality report');
    if (to < from) throw badInput('to', 'must not be before from');
    // Bounded work: one reporting year at most (a national scan of eight years took minutes).
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw badInput('to', `the period is at most ${MAX_PERIOD_DAYS} days`);
    return { organizationId: branch.id, from, to };
  },
  peopleFindings: (q, _, { models, directory }) => peopleFindings(models, directory, q.organizationId, q.from, q.to),
};
