import type { ValuesLoader } from '@rcsc/counters';
import { endOfYear } from './rules';

/** Indicators 1 and 4-7 (governance facts) for a subtree on a date. */
export interface GovernanceCounts {
  countiesRationalized: number;
  prefecturesWithPartyGroup: number;
  countiesWithPartyGroup: number;
  prefecturesWithSupervisoryBoard: number;
  countiesWithSupervisoryBoard: number;
}

/**
 * Annex 1 rows 1-7 on a date, from the maintained counters (src/counters.ts): governance facts
 * holding on the date, and terms due for a change in the date's calendar year.
 */
export async function survey(counts: ValuesLoader, rootId: string, asOf: Date) {
  const v = await counts.on(rootId, asOf);
  return {
    countiesRationalized: v.countiesRationalized,
    prefecturesDueForTermChange: v.prefecturesDue,
    countiesDueForTermChange: v.countiesDue,
    prefecturesWithPartyGroup: v.prefecturesWithPartyGroup,
    countiesWithPartyGroup: v.countiesWithPartyGroup,
    prefecturesWithSupervisoryBoard: v.prefecturesWithSupervisoryBoard,
    countiesWithSupervisoryBoard: v.countiesWithSupervisoryBoard,
  };
}

/**
 * Annex 2 rows 1-7: year-end values minus the base year's, and term changes completed in the
 * years after the base year up to `year` (the counters hold each calendar year's completions).
 */
export async function annualIncrease(counts: ValuesLoader, rootId: string, year: number, baseYear = year - 1) {
  const years = Array.from({ length: year - baseYear }, (_, i) => baseYear + 1 + i);
  const [start, ...ends] = await Promise.all([
    counts.on(rootId, endOfYear(baseYear)),
    ...years.map((y) => counts.on(rootId, endOfYear(y))),
  ]);
  const end = ends[ends.length - 1];
  const diff = (k: string) => end[k] - start[k];
  const completed = (k: string) => ends.reduce((sum, v) => sum + v[k], 0);
  return {
    countiesRationalized: diff('countiesRationalized'),
    prefecturesCompletedTermChange: completed('prefecturesCompleted'),
    countiesCompletedTermChange: completed('countiesCompleted'),
    prefecturesWithPartyGroup: diff('prefecturesWithPartyGroup'),
    countiesWithPartyGroup: diff('countiesWithPartyGroup'),
    prefecturesWithSupervisoryBoard: diff('prefecturesWithSupervisoryBoard'),
    countiesWithSupervisoryBoard: diff('countiesWithSupervisoryBoard'),
  };
}
