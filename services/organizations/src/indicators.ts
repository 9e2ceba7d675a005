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

/** Annex 2 rows 1-7: year-end values minus the year before's, and term changes completed in the year. */
export async function annualIncrease(counts: ValuesLoader, rootId: string, year: number) {
  const [end, start] = await Promise.all([counts.on(rootId, endOfYear(year)), counts.on(rootId, endOfYear(year - 1))]);
  const diff = (k: string) => end[k] - start[k];
  return {
    countiesRationalized: diff('countiesRationalized'),
    prefecturesCompletedTermChange: end.prefecturesCompleted,
    countiesCompletedTermChange: end.countiesCompleted,
    prefecturesWithPartyGroup: diff('prefecturesWithPartyGroup'),
    countiesWithPartyGroup: diff('countiesWithPartyGroup'),
    prefecturesWithSupervisoryBoard: diff('prefecturesWithSupervisoryBoard'),
    countiesWithSupervisoryBoard: diff('countiesWithSupervisoryBoard'),
  };
}
