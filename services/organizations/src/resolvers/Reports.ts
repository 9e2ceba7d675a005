import { parseDate } from '@rcsc/service-kit';
import type { Context } from '../context';
import { Roles } from '@rcsc/access';
import { pathOfOrg, type OrganizationDoc } from '../models';
import type { AnnualIncreaseResolvers, SurveyResolvers } from '../generated/graphql';
import { annualIncrease, survey } from '../indicators';
import { checkBaseYear, checkYear, isObjectId, isYearPair } from './filters';

/** Representations carry scalars as JSON: asOf arrives as "YYYY-MM-DD". */
const asDate = (v: unknown) => (v instanceof Date ? v : typeof v === 'string' ? parseDate(v) : null);

/** The aggregates of a subtree are visible only inside the viewer's own subtree. */
async function checkVisible(id: string, { loaders, access }: Context): Promise<boolean> {
  const org = isObjectId(id) ? await loaders.organizationById.load(id) : null;
  if (!org) return false;
  access.requireOver(pathOfOrg(org), `The report of ${org.name}`);
  return true;
}

/** The annex 1 entry of a branch: the reader roles, inside their own subtree (FORBIDDEN otherwise). */
export async function surveyOf(o: OrganizationDoc, asOf: Date, ctx: Context) {
  ctx.access.requireRole(Roles.REPORT_READERS, 'read the survey table');
  ctx.access.requireOver(pathOfOrg(o), `The survey table of ${o.name}`);
  const id = String(o._id);
  return { organizationId: id, asOf, ...(await survey(ctx.loaders.counts, id, asOf)) };
}

/** The annex 2 entry of a branch, with the same visibility. */
export async function annualIncreaseOf(o: OrganizationDoc, year: number, baseYear: number | null | undefined, ctx: Context) {
  ctx.access.requireRole(Roles.REPORT_READERS, 'read the annual increase table');
  ctx.access.requireOver(pathOfOrg(o), `The annual increase table of ${o.name}`);
  const id = String(o._id);
  const base = checkBaseYear(checkYear(year), baseYear);
  return { organizationId: id, year, baseYear: base, ...(await annualIncrease(ctx.loaders.counts, id, year, base)) };
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
    if (!isYearPair(ref) || !(await checkVisible(ref.organizationId, ctx))) return null;
    return { ...ref, ...(await annualIncrease(ctx.loaders.counts, ref.organizationId, ref.year, ref.baseYear)) };
  },
};
