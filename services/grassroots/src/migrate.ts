// Dated facts (issue 16/24) for records stored before them: five-point periods from the
// assessments, school equipment as records dated the unit's establishment, demonstration periods
// from the one designation date, institutions' unit periods from their units. The same
// functions shape the dataset (src/seed.ts), so a fresh load and a migrated one look alike.
import type { AnyBulkWriteOperation } from 'mongoose';
import type { BoaiHomeDoc, GrassrootsUnitDoc, MedicalInstitutionDoc, Models, UnitPeriodDoc } from './models';
import { demonstrationPeriodsOf, endDesignationsOnClose, equipmentFromCounts, fiveHasPeriods } from './rules';

/** Bump when a new derivation is added: the migration then runs once more at boot. */
export const DATED_FACTS_VERSION = 1;
const MARKER = 'dated-facts';

/** The dated fields of a unit stored without them (undefined: nothing to add). */
export function unitDatedFacts(u: GrassrootsUnitDoc): Partial<GrassrootsUnitDoc> {
  return {
    fiveHas: u.fiveHas ?? fiveHasPeriods(u.assessments ?? []),
    ...(u.type === 'SCHOOL' && !u.equipment ? { equipment: equipmentFromCounts(u.school, u.establishedOn) } : {}),
  };
}

/** A home's designation as periods; a closed home's designation ended the day it closed. */
export function homeDatedFacts(h: BoaiHomeDoc): Partial<BoaiHomeDoc> {
  if (h.demonstrationPeriods) return {};
  if (!h.closedOn) return { demonstrationPeriods: demonstrationPeriodsOf(h) };
  return { demonstrationPeriods: endDesignationsOnClose(h, h.closedOn), demonstrationDesignatedOn: null };
}

/** An institution's unit periods from the HOSPITAL units set up in it. */
export const unitPeriodsOf = (units: Pick<GrassrootsUnitDoc, '_id' | 'establishedOn' | 'dissolvedOn'>[]): UnitPeriodDoc[] =>
  units
    .map((u) => ({ unitId: u._id, since: u.establishedOn, until: u.dissolvedOn ?? null }))
    .sort((a, b) => a.since.getTime() - b.since.getTime());

async function inBatches<T>(docs: AsyncIterable<T>, write: (batch: T[]) => Promise<unknown>, size = 1000) {
  let batch: T[] = [];
  let n = 0;
  const flush = async () => {
    if (!batch.length) return;
    await write(batch);
    n += batch.length;
    batch = [];
  };
  for await (const d of docs) {
    batch.push(d);
    if (batch.length === size) await flush();
  }
  await flush();
  return n;
}

/**
 * Adds the dated fields to every record stored without them, once (a marker records the
 * version); the undated `school` counts are moved to equipment records and removed.
 */
export async function migrateDatedFacts(models: Models): Promise<{ units: number; homes: number; institutions: number } | null> {
  const marker = await models.CounterBuilt.findById(MARKER).lean();
  if (marker?.version === DATED_FACTS_VERSION) return null;
  const units = await inBatches(
    models.GrassrootsUnit.find({ fiveHas: { $exists: false } })
      .lean<GrassrootsUnitDoc[]>()
      .cursor(),
    (batch) =>
      models.GrassrootsUnit.collection.bulkWrite(
        batch.map((u) => ({
          updateOne: {
            filter: { _id: u._id },
            update: { $set: unitDatedFacts(u), ...(u.school !== undefined ? { $unset: { school: 1 } } : {}) },
          },
        })) as AnyBulkWriteOperation[] as never,
      ),
  );
  const homes = await inBatches(
    models.BoaiHome.find({ demonstrationPeriods: { $exists: false } })
      .lean<BoaiHomeDoc[]>()
      .cursor(),
    (batch) =>
      models.BoaiHome.collection.bulkWrite(
        batch.map((h) => ({ updateOne: { filter: { _id: h._id }, update: { $set: homeDatedFacts(h) } } })) as never,
      ),
  );
  const institutions = await inBatches(
    models.MedicalInstitution.find({ unitPeriods: { $exists: false } }, { _id: 1 })
      .lean<MedicalInstitutionDoc[]>()
      .cursor(),
    async (batch) => {
      const linked = await models.GrassrootsUnit.find(
        { medicalInstitutionId: { $in: batch.map((i) => i._id) } },
        { medicalInstitutionId: 1, establishedOn: 1, dissolvedOn: 1 },
      ).lean<GrassrootsUnitDoc[]>();
      return models.MedicalInstitution.collection.bulkWrite(
        batch.map((i) => ({
          updateOne: {
            filter: { _id: i._id },
            update: { $set: { unitPeriods: unitPeriodsOf(linked.filter((u) => String(u.medicalInstitutionId) === String(i._id))) } },
          },
        })) as never,
      );
    },
  );
  await models.CounterBuilt.updateOne({ _id: MARKER }, { $set: { version: DATED_FACTS_VERSION, builtAt: new Date() } }, { upsert: true });
  return { units, homes, institutions };
}
