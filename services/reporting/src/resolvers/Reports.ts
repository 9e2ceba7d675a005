import { parseDate } from '@rcsc/service-kit';
import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { Roles } from '@rcsc/access';

/** Representations carry scalars as JSON: asOf arrives as "YYYY-MM-DD". */
const asDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

// This subgraph contributes no indicator, so resolving a reference is just its key; it is still
// checked as the entry points Organization.survey / annualIncrease are (a reader role, the branch
// in the viewer's subtree), so an entity reference is no way around the check.
export const Survey: SurveyResolvers = {
  async __resolveReference(ref, ctx) {
    const asOf = asDate(ref.asOf);
    if (!asOf) return null;
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the survey table');
    await ctx.access.visibleBranch(ref.organizationId, 'organizationId', 'The survey table');
    return { organizationId: ref.organizationId, asOf };
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  async __resolveReference(ref, ctx) {
    if (!Number.isInteger(ref.year)) return null;
    ctx.access.requireRole(Roles.REPORT_READERS, 'read the annual increase table');
    await ctx.access.visibleBranch(ref.organizationId, 'organizationId', 'The annual increase table');
    return { organizationId: ref.organizationId, year: ref.year };
  },
};
