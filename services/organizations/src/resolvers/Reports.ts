import { parseDate } from '@rcsc/service-kit';
import type { Context } from '../context';
import { pathOfOrg } from '../models';
import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { annualIncrease, survey } from '../indicators';
import { isObjectId } from './filters';

/** Representations carry scalars as JSON: asOf arrives as "YYYY-MM-DD". */
const asDate = (v: unknown) => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

/** The aggregates of a subtree are visible only inside the viewer's own subtree. */
async function checkVisible(id: string, { loaders, access }: Context): Promise<boolean> {
  const org = isObjectId(id) ? await loaders.organizationById.load(id) : null;
  if (!org) return false;
  access.requireOver(pathOfOrg(org), `The report of ${org.name}`);
  return true;
}

export const Survey: SurveyResolvers = {
  async __resolveReference(ref, ctx) {
    const asOf = asDate(ref.asOf);
    if (!asOf || !(await checkVisible(ref.organizationId, ctx))) return null;
    return { organizationId: ref.organizationId, asOf, ...(await survey(ctx.loaders.counts, ref.organizationId, asOf)) };
  },
};

export const AnnualIncrease: AnnualIncreaseResolvers = {
  async __resolveReference(ref, ctx) {
    if (!Number.isInteger(ref.year) || !(await checkVisible(ref.organizationId, ctx))) return null;
    return {
      organizationId: ref.organizationId,
      year: ref.year,
      ...(await annualIncrease(ctx.loaders.counts, ref.organizationId, ref.year)),
    };
  },
};
