// Annex row 8 (grassroots units) as maintained dated counters (@rcsc/counters): every write to a
// unit moves its branch path's counter in the same transaction, so a subtree's count on any date
// is one small indexed read instead of a scan of its units.
import {
  applyChange,
  ensureBuilt,
  everyDocument,
  heldOver,
  rebuild,
  type Contribution,
  type Counters,
  type RecordState,
} from '@rcsc/counters';
import type { ClientSession } from 'mongoose';
import { placementsOf, type FollowedCollection } from '@rcsc/reorganizations';
import type { GrassrootsUnitDoc, Models } from './models';
import { EQUIPMENT_KEYS } from './rules';

/** Bump when the counting rule changes: services rebuild their counters on the next boot. */
export const COUNTER_RULES_VERSION = 2;
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

export const counters = (models: Models): Counters => ({ model: models.Counter, marker: models.CounterBuilt });

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

/** A unit counts from the day it is established until the day it is dissolved (unitActiveOn in rules.ts); its equipment too. */
export function unitState(
  u: Pick<GrassrootsUnitDoc, 'establishedOn' | 'dissolvedOn' | 'orgPath' | 'orgPathHistory' | 'equipment'>,
): RecordState {
  return {
    path: u.orgPath,
    contributions: [...heldOver('units', u.establishedOn, u.dissolvedOn), ...equipmentContributions(u)],
    earlier: placementsOf(u),
  };
}

/** What follows the tree's reorganizations (ADR 0008): every collection kept under branches; units are counted. */
export const followed = (models: Models): { collections: FollowedCollection[]; counters: Counters } => ({
  collections: [
    { model: models.GrassrootsUnit, state: unitState as never },
    { model: models.BoaiHome },
    { model: models.MedicalInstitution },
  ],
  counters: counters(models),
});

export const moveCounters = (models: Models, before: RecordState | null, after: RecordState | null, session: ClientSession) =>
  applyChange(counters(models), before, after, session);

async function* allStates(models: Models): AsyncIterable<RecordState> {
  for await (const u of everyDocument<GrassrootsUnitDoc>(models.GrassrootsUnit, {
    establishedOn: 1,
    dissolvedOn: 1,
    orgPath: 1,
    orgPathHistory: 1,
    equipment: 1,
  }))
    yield unitState(u);
}

/** Builds the counters from the units when they were never built, or under older rules. */
export const ensureCounters = (models: Models) => ensureBuilt(counters(models), () => allStates(models), COUNTER_RULES_VERSION);

/** Recomputes the counters from the units (after a load that wrote them directly). */
export const rebuildCounters = (models: Models) => rebuild(counters(models), allStates(models), COUNTER_RULES_VERSION);
