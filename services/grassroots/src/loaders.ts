import DataLoader from 'dataloader';
import { Types, type Model } from 'mongoose';
import { valuesLoader } from '@rcsc/counters';
import { COUNTER_KEYS, counters } from './counters';
import type { Models } from './models';

const oid = (id: string) => new Types.ObjectId(id);

/** Documents by id, one `find` per batch; unknown (or malformed) ids give null. */
function byId<T extends { _id: Types.ObjectId }>(model: Model<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const valid = ids.filter((id) => /^[0-9a-f]{24}$/i.test(id));
    const rows = valid.length ? ((await model.find({ _id: { $in: valid.map(oid) } }).lean()) as unknown as T[]) : [];
    const found = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** One set per request: every by-key fetch goes through these, so lists make a constant number of commands. */
export function createLoaders(models: Models) {
  /** Grassroots units standing in a branch's subtree on a date (annex row 8): maintained counters, batched per request. */
  const unitCounters = valuesLoader(counters(models), COUNTER_KEYS);

  return {
    unitById: byId(models.GrassrootsUnit),
    institutionById: byId(models.MedicalInstitution),
    homeById: byId(models.BoaiHome),
    groupById: byId(models.Group),
    /** The count for one branch's subtree on one date. */
    countUnits: async (organizationId: string, asOf: Date) => (await unitCounters.on(organizationId, asOf)).units,
    /** Every counter of one branch's subtree on one date (row 8 and school equipment), same batch. */
    counterValues: (organizationId: string, asOf: Date) => unitCounters.on(organizationId, asOf),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
