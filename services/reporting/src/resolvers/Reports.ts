import { parseDate } from '@rcsc/service-kit';
import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { requireReader } from '../access';

/** Representations carry scalars as JSON: asOf arrives as "YYYY-MM-DD". */
const asDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

// This subgraph contributes no indicator, so resolving a reference is just its key; it is still
// checked as the entry points Organization.survey / annualIncrease are (a reader role, the branch
// in the viewer's subtree), so an entity reference is no way around the check.
export const Survey: SurveyResolvers = {
  async __resolveReference(ref, ctx) {
    const asOf = asDate(ref.asOf);
    if (!asOf) return null;
    await requireReader(ctx, ref.organizationId, 'The survey table', 'organizationId');
    return { organizationId: ref.organizationId, asOf };
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  async __resolveReference(ref, ctx) {
    if (!Number.isInteger(ref.year)) return null;
    await requireReader(ctx, ref.organizationId, 'The annual increase table', 'organizationId');
    return { organizationId: ref.organizationId, year: ref.year };
  },
};
