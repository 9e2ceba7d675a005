import { Types } from 'mongoose';
import type { Models } from './models';
import { completedInYearFilter, dueInYearFilter, endOfYear } from './rules';

/** Indicators 1 and 4-7 (governance facts) for a subtree on a date. */
export interface GovernanceCounts {
  countiesRationalized: number;
  prefecturesWithPartyGroup: number;
  countiesWithPartyGroup: number;
  prefecturesWithSupervisoryBoard: number;
  countiesWithSupervisoryBoard: number;
}

const subtree = (root: Types.ObjectId) => ({ $or: [{ _id: root }, { ancestorIds: root }] });

/** `$path` holds on `date`: began on or before it and not ended by then (an aggregation expression). */
function holds(path: string, date: Date) {
  return {
    $and: [
      { $lte: [`$${path}.since`, date] },
      { $or: [{ $eq: [{ $ifNull: [`$${path}.until`, null] }, null] }, { $gt: [`$${path}.until`, date] }] },
    ],
  };
}

const countIf = (cond: unknown) => ({ $sum: { $cond: [cond, 1, 0] } });

/** One aggregation over the subtree's prefecture and county branches, grouped by level. */
export async function governanceCounts({ Organization }: Models, rootId: string, date: Date): Promise<GovernanceCounts> {
  const rows = await Organization.aggregate<{ _id: string; rationalized: number; partyGroup: number; board: number }>([
    {
      $match: {
        ...subtree(new Types.ObjectId(rootId)),
        level: { $in: ['PREFECTURE', 'COUNTY'] },
      },
    },
    { $match: { $or: [{ dissolvedOn: null }, { dissolvedOn: { $gt: date } }] } },
    {
      $group: {
        _id: '$level',
        rationalized: countIf(holds('governance.managementRationalized', date)),
        partyGroup: countIf(holds('governance.partyGroup', date)),
        board: countIf(holds('governance.supervisoryBoard', date)),
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
async function termCounts({ Term }: Models, rootId: string, filter: Record<string, unknown>) {
  const root = new Types.ObjectId(rootId);
  const rows = await Term.aggregate<{ _id: string; n: number }>([
    { $match: { $or: [{ organizationId: root }, { ancestorIds: root }], level: { $in: ['PREFECTURE', 'COUNTY'] } } },
    { $match: filter },
    { $group: { _id: '$level', n: { $sum: 1 } } },
  ]);
  return { prefectures: rows.find((r) => r._id === 'PREFECTURE')?.n ?? 0, counties: rows.find((r) => r._id === 'COUNTY')?.n ?? 0 };
}

export async function survey(models: Models, rootId: string, asOf: Date) {
  const [gov, due] = await Promise.all([
    governanceCounts(models, rootId, asOf),
    termCounts(models, rootId, dueInYearFilter(asOf.getUTCFullYear())),
  ]);
  return { ...gov, prefecturesDueForTermChange: due.prefectures, countiesDueForTermChange: due.counties };
}

export async function annualIncrease(models: Models, rootId: string, year: number) {
  const [end, start, completed] = await Promise.all([
    governanceCounts(models, rootId, endOfYear(year)),
    governanceCounts(models, rootId, endOfYear(year - 1)),
    termCounts(models, rootId, completedInYearFilter(year)),
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
