import { parseDate } from '@rcsc/service-kit';
import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';

/** Representations carry scalars as JSON: asOf arrives as "YYYY-MM-DD". */
const asDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

// The tables' entry points are Organization.survey / annualIncrease (Organization.ts), which check
// the viewer; this subgraph contributes no indicator, so resolving a reference is just its key.
export const Survey: SurveyResolvers = {
  __resolveReference(ref) {
    const asOf = asDate(ref.asOf);
    return asOf ? { organizationId: ref.organizationId, asOf } : null;
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  __resolveReference: (ref) => (Number.isInteger(ref.year) ? { organizationId: ref.organizationId, year: ref.year } : null),
};
