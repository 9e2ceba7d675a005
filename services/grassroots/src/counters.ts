// Annex row 8 (grassroots units) as maintained dated counters (@rcsc/counters): every write to a
// unit moves its branch path's counter in the same transaction, so a subtree's count on any date
// is one small indexed read instead of a scan of its units.
import {
  applyChange,
  countersOf,
  ensureBuilt,
  everyState,
  heldOver,
  rebuild,
  type Contribution,
  type Counters,
  type RecordState,
} from '@rcsc/counters';
import type { ClientSession } from 'mongoose';
import { placementsOf, type FollowedCollection } from '@rcsc/reorganizations';
import type { BoaiHomeDoc, GrassrootsUnitDoc, Models } from './models';
import { EQUIPMENT_KEYS, groupKey } from './rules';

/** Bump when the counting rule changes: services rebuild their counters on the next boot. */
export const COUNTER_RULES_VERSION = 3;
/** Row 8, then school equipment in place (per kind) and installed (cumulative, for yearly increases). */
export const COUNTER_KEYS = [
  'units',
  'aeds',
  'firstAidKits',
  'firstAidKiosks',
  'schoolClinics',
  'aedsInstalled',
  'firstAidKitsInstalled',
  'firstAidKiosksInstalled',
  'schoolClinicsInstalled',
] as const;
export type CounterKey = (typeof COUNTER_KEYS)[number];

export const counters = countersOf;

/**
 * School equipment: `count` pieces in place from installation until removal or the unit's
 * dissolution (whichever is first), and `count` installed on the installation day (never undone).
 */
function equipmentContributions(u: Pick<GrassrootsUnitDoc, 'dissolvedOn' | 'equipment'>): Contribution[] {
  return (u.equipment ?? []).flatMap((e) => {
    const key = EQUIPMENT_KEYS[e.kind];
    const end = e.removedOn && (!u.dissolvedOn || e.removedOn < u.dissolvedOn) ? e.removedOn : u.dissolvedOn;
    return [
      ...heldOver(key, e.installedOn, end).map((c) => ({ ...c, delta: c.delta * e.count })),
      { key: `${key}Installed`, on: e.installedOn, delta: e.count },
    ];
  });
}

/**
 * Group members: a record counts in each group (key g<groupId>) over its memberships, clipped to
 * its own life (a dissolved unit or closed home leaves every group that day).
 */
function groupContributions(groups: GrassrootsUnitDoc['groups'], from: Date, to: Date | null): Contribution[] {
  return (groups ?? []).flatMap((m) => {
    const since = m.since > from ? m.since : from;
    const until = to && (!m.until || m.until > to) ? to : m.until;
    return heldOver(groupKey(m.groupId), since, until);
  });
}

/** A unit counts from the day it is established until the day it is dissolved (unitActiveOn in rules.ts); its equipment too. */
export function unitState(
  u: Pick<GrassrootsUnitDoc, 'establishedOn' | 'dissolvedOn' | 'orgPath' | 'orgPathHistory' | 'equipment' | 'groups'>,
): RecordState {
  return {
    path: u.orgPath,
    contributions: [
      ...heldOver('units', u.establishedOn, u.dissolvedOn),
      ...equipmentContributions(u),
      ...groupContributions(u.groups, u.establishedOn, u.dissolvedOn),
    ],
    earlier: placementsOf(u),
  };
}

/** A home counts only in its groups (coverage is read from the homes themselves). */
export function homeState(h: Pick<BoaiHomeDoc, 'openedOn' | 'closedOn' | 'orgPath' | 'orgPathHistory' | 'groups'>): RecordState {
  return { path: h.orgPath, contributions: groupContributions(h.groups, h.openedOn, h.closedOn), earlier: placementsOf(h) };
}

/** What follows the tree's reorganizations (ADR 0008): every collection kept under branches; units are counted. */
export const followed = (models: Models): { collections: FollowedCollection[]; counters: Counters } => ({
  collections: [
    { model: models.GrassrootsUnit, state: unitState as never },
    { model: models.BoaiHome, state: homeState as never },
    { model: models.MedicalInstitution },
  ],
  counters: counters(models),
});

export const moveCounters = (models: Models, before: RecordState | null, after: RecordState | null, session: ClientSession) =>
  applyChange(counters(models), before, after, session);

async function* allStates(models: Models): AsyncIterable<RecordState> {
  yield* everyState(models.GrassrootsUnit, ['establishedOn', 'dissolvedOn', 'orgPath', 'orgPathHistory', 'equipment', 'groups'], unitState);
  yield* everyState(models.BoaiHome, ['openedOn', 'closedOn', 'orgPath', 'orgPathHistory', 'groups'], homeState);
}

/** Builds the counters from the units when they were never built, or under older rules. */
export const ensureCounters = (models: Models) => ensureBuilt(counters(models), () => allStates(models), COUNTER_RULES_VERSION);

/** Recomputes the counters from the units (after a load that wrote them directly). */
export const rebuildCounters = (models: Models) => rebuild(counters(models), allStates(models), COUNTER_RULES_VERSION);
