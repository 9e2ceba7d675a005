// Annex rows 1-7 as maintained dated counters (@rcsc/counters, ADR 0005): every write to a
// branch's governance facts, dissolution, place in the tree or terms moves the counters of its
// path in the same transaction, so a subtree's rows on any date are one small indexed read
// instead of an aggregation over the subtree's branches and terms.
import { applyChanges, countersOf, ensureBuilt, everyState, heldOver, rebuild, type Contribution, type RecordState } from '@rcsc/counters';
import type { ClientSession } from 'mongoose';
import type { GovernanceField, Models, OrganizationDoc, TermDoc } from './models';
import { periodsOf, startOfYear } from './rules';

/** Bump when a contribution rule changes: the service rebuilds its counters on the next boot. */
export const COUNTER_RULES_VERSION = 1;

export const COUNTER_KEYS = [
  'countiesRationalized',
  'prefecturesWithPartyGroup',
  'countiesWithPartyGroup',
  'prefecturesWithSupervisoryBoard',
  'countiesWithSupervisoryBoard',
  'prefecturesDue',
  'countiesDue',
  'prefecturesCompleted',
  'countiesCompleted',
] as const;

export const counters = countersOf;

const LEVEL_PREFIX = { PREFECTURE: 'prefectures', COUNTY: 'counties' } as const;
const levelPrefix = (level: string) => LEVEL_PREFIX[level as keyof typeof LEVEL_PREFIX] as string | undefined;

/**
 * Rows 1 and 4-7: a prefecture or county branch counts for a governance fact from its `since`
 * until its `until` or the branch's dissolution, whichever comes first (indicators.ts' `holds`
 * on branches not dissolved by the date).
 */
export function organizationState(
  o: Pick<OrganizationDoc, '_id' | 'ancestorIds' | 'pathHistory' | 'level' | 'dissolvedOn' | 'governance' | 'governanceHistory'>,
): RecordState {
  const prefix = levelPrefix(o.level);
  const contributions: Contribution[] = [];
  if (prefix) {
    // Every period of the fact counts, each until its end or the branch's dissolution; periods
    // never overlap, so back-to-back ones count as one run.
    const fact = (key: string, field: GovernanceField) => {
      for (const period of periodsOf(o.governance?.[field], o.governanceHistory?.[field])) {
        const until = o.dissolvedOn && (!period.until || o.dissolvedOn < period.until) ? o.dissolvedOn : (period.until ?? null);
        if (until && until <= period.since) continue;
        contributions.push(...heldOver(key, period.since, until));
      }
    };
    if (prefix === 'counties') fact('countiesRationalized', 'managementRationalized');
    fact(`${prefix}WithPartyGroup`, 'partyGroup');
    fact(`${prefix}WithSupervisoryBoard`, 'supervisoryBoard');
  }
  return {
    path: [...o.ancestorIds, o._id],
    contributions,
    earlier: (o.pathHistory ?? []).map((p) => ({ path: [...p.ancestorIds, o._id], until: p.until })),
  };
}

const yearOf = (d: Date) => d.getUTCFullYear();
const isJan1 = (d: Date) => d.getUTCMonth() === 0 && d.getUTCDate() === 1;

/**
 * Rows 2-3, counted for the whole calendar year: a term is due for a change in year Y when its
 * congress was on or before 1 January Y, its due date is in or before Y and it had not ended by
 * 1 January Y (rules.dueInYearFilter), which holds for one run of years; a second or later term
 * completes a change in the year of its congress (completedInYearFilter).
 */
export function termState(
  t: Pick<TermDoc, 'organizationId' | 'ancestorIds' | 'pathHistory' | 'level' | 'number' | 'congressDate' | 'dueDate' | 'endedOn'>,
): RecordState {
  const prefix = levelPrefix(t.level);
  const contributions: Contribution[] = [];
  if (prefix) {
    const first = Math.max(isJan1(t.congressDate) ? yearOf(t.congressDate) : yearOf(t.congressDate) + 1, yearOf(t.dueDate));
    const last = t.endedOn ? (isJan1(t.endedOn) ? yearOf(t.endedOn) - 1 : yearOf(t.endedOn)) : null;
    if (last === null || last >= first)
      contributions.push(...heldOver(`${prefix}Due`, startOfYear(first), last === null ? null : startOfYear(last + 1)));
    if (t.number >= 2) {
      const y = yearOf(t.congressDate);
      contributions.push(...heldOver(`${prefix}Completed`, startOfYear(y), startOfYear(y + 1)));
    }
  }
  return {
    path: [...t.ancestorIds, t.organizationId],
    contributions,
    earlier: (t.pathHistory ?? []).map((p) => ({ path: [...p.ancestorIds, t.organizationId], until: p.until })),
  };
}

export interface Change {
  before: RecordState | null;
  after: RecordState | null;
}

/** Moves the counters of changed branches and terms, in the write's session. */
export const moveCounters = (models: Models, changes: Change[], session: ClientSession) => applyChanges(counters(models), changes, session);

async function* allStates(models: Models): AsyncIterable<RecordState> {
  // Without its earlier places (pathHistory) a moved branch would count under its new parent on every date.
  const branchFields = ['_id', 'ancestorIds', 'pathHistory', 'level', 'dissolvedOn', 'governance', 'governanceHistory'] as const;
  yield* everyState(models.Organization, branchFields, organizationState);
  const termFields = ['organizationId', 'ancestorIds', 'pathHistory', 'level', 'number', 'congressDate', 'dueDate', 'endedOn'] as const;
  yield* everyState(models.Term, termFields, termState);
}

/** Builds the counters from the branches and terms when they were never built, or under older rules. */
export const ensureCounters = (models: Models) => ensureBuilt(counters(models), () => allStates(models), COUNTER_RULES_VERSION);

/** Recomputes the counters (after a load that wrote records directly). */
export const rebuildCounters = (models: Models) => rebuild(counters(models), allStates(models), COUNTER_RULES_VERSION);
