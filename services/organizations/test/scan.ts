// The reference the maintained counters are checked against: annex rows 1-7 by aggregating over
// the subtree's branches and terms with the rules' own conditions (what indicators.ts did before).
import { Types } from 'mongoose';
import { placementOn, type Models, type OrganizationDoc } from '../src/models';
import { completedInYearFilter, dueInYearFilter, endOfYear } from '../src/rules';
import { valuesLoader } from '@rcsc/counters';
import { COUNTER_KEYS, counters } from '../src/counters';
import { annualIncrease, survey, type GovernanceCounts } from '../src/indicators';

/** The branches of `root`'s subtree as the tree was on `date` (their place then, from their path history). */
async function subtreeOn({ Organization }: Models, rootId: string, date: Date): Promise<Types.ObjectId[]> {
  const root = new Types.ObjectId(rootId);
  const candidates = (await Organization.find(
    { $or: [{ _id: root }, { ancestorIds: root }, { 'pathHistory.ancestorIds': root }] },
    { ancestorIds: 1, parentId: 1, pathHistory: 1 },
  ).lean()) as OrganizationDoc[];
  return candidates.filter((o) => o._id.equals(root) || placementOn(o, date).ancestorIds.some((a) => a.equals(root))).map((o) => o._id);
}

/** A period (`$$p`) holds on `date`: began on or before it and not ended by then. */
const periodHolds = (p: string, date: Date) => ({
  $and: [{ $lte: [`${p}.since`, date] }, { $or: [{ $eq: [{ $ifNull: [`${p}.until`, null] }, null] }, { $gt: [`${p}.until`, date] }] }],
});

/** The fact `field` holds on `date`: its current period or one of its earlier ones (an aggregation expression). */
function holds(field: string, date: Date) {
  return {
    $or: [
      { $and: [{ $ne: [{ $ifNull: [`$governance.${field}`, null] }, null] }, periodHolds(`$governance.${field}`, date)] },
      { $anyElementTrue: [{ $map: { input: { $ifNull: [`$governanceHistory.${field}`, []] }, as: 'p', in: periodHolds('$$p', date) } }] },
    ],
  };
}

const countIf = (cond: unknown) => ({ $sum: { $cond: [cond, 1, 0] } });

/** One aggregation over the subtree's prefecture and county branches, grouped by level. */
export async function governanceCounts(models: Models, rootId: string, date: Date): Promise<GovernanceCounts> {
  const { Organization } = models;
  const ids = await subtreeOn(models, rootId, date);
  const rows = await Organization.aggregate<{ _id: string; rationalized: number; partyGroup: number; board: number }>([
    {
      $match: {
        _id: { $in: ids },
        level: { $in: ['PREFECTURE', 'COUNTY'] },
      },
    },
    { $match: { $or: [{ dissolvedOn: null }, { dissolvedOn: { $gt: date } }] } },
    {
      $group: {
        _id: '$level',
        rationalized: countIf(holds('managementRationalized', date)),
        partyGroup: countIf(holds('partyGroup', date)),
        board: countIf(holds('supervisoryBoard', date)),
      },
    },
  ]);
  const by = (level: string) => rows.find((r) => r._id === level) ?? { rationalized: 0, partyGroup: 0, board: 0 };
  return {
    countiesRationalized: by('COUNTY').rationalized,
    prefecturesWithPartyGroup: by('PREFECTURE').partyGroup,
    countiesWithPartyGroup: by('COUNTY').partyGroup,
    prefecturesWithSupervisoryBoard: by('PREFECTURE').board,
    countiesWithSupervisoryBoard: by('COUNTY').board,
  };
}

/** Term counts by level for a subtree, for terms matching `filter` (due or completed in a year). */
export async function termCounts(models: Models, rootId: string, filter: Record<string, unknown>, on: Date) {
  const ids = await subtreeOn(models, rootId, on);
  const rows = await models.Term.aggregate<{ _id: string; n: number }>([
    { $match: { organizationId: { $in: ids }, level: { $in: ['PREFECTURE', 'COUNTY'] } } },
    { $match: filter },
    { $group: { _id: '$level', n: { $sum: 1 } } },
  ]);
  return { prefectures: rows.find((r) => r._id === 'PREFECTURE')?.n ?? 0, counties: rows.find((r) => r._id === 'COUNTY')?.n ?? 0 };
}

export async function scanSurvey(models: Models, rootId: string, asOf: Date) {
  const [gov, due] = await Promise.all([
    governanceCounts(models, rootId, asOf),
    termCounts(models, rootId, dueInYearFilter(asOf.getUTCFullYear()), asOf),
  ]);
  return { ...gov, prefecturesDueForTermChange: due.prefectures, countiesDueForTermChange: due.counties };
}

export async function scanAnnualIncrease(models: Models, rootId: string, year: number) {
  const [end, start, completed] = await Promise.all([
    governanceCounts(models, rootId, endOfYear(year)),
    governanceCounts(models, rootId, endOfYear(year - 1)),
    termCounts(models, rootId, completedInYearFilter(year), endOfYear(year)),
  ]);
  const diff = (k: keyof GovernanceCounts) => end[k] - start[k];
  return {
    countiesRationalized: diff('countiesRationalized'),
    prefecturesCompletedTermChange: completed.prefectures,
    countiesCompletedTermChange: completed.counties,
    prefecturesWithPartyGroup: diff('prefecturesWithPartyGroup'),
    countiesWithPartyGroup: diff('countiesWithPartyGroup'),
    prefecturesWithSupervisoryBoard: diff('prefecturesWithSupervisoryBoard'),
    countiesWithSupervisoryBoard: diff('countiesWithSupervisoryBoard'),
  };
}

/** Every branch of the subtrees written to, against the scans, on the dates and years that matter. */
export async function expectCountersMatchScan(models: Models, branchIds: string[], dates: string[], years: number[]) {
  const counts = valuesLoader(counters(models), COUNTER_KEYS);
  for (const id of branchIds) {
    for (const d of dates) {
      const date = new Date(`${d}T00:00:00Z`);
      expect({ id, d, ...(await survey(counts, id, date)) }).toEqual({ id, d, ...(await scanSurvey(models, id, date)) });
    }
    for (const year of years)
      expect({ id, year, ...(await annualIncrease(counts, id, year)) }).toEqual({
        id,
        year,
        ...(await scanAnnualIncrease(models, id, year)),
      });
  }
}
