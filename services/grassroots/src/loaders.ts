import DataLoader from 'dataloader';
import { Types, type Model } from 'mongoose';
import type { Directory } from '@rcsc/directory';
import { formatDate } from '@rcsc/service-kit';
import { unitCounts } from './indicators';
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
export function createLoaders(models: Models, directory: Directory) {
  /** Active grassroots units in a branch's subtree on a date, keyed "orgId|YYYY-MM-DD"; one command per distinct date. */
  const unitCount = new DataLoader<string, number>(async (keys) => {
    const byDate = new Map<string, string[]>();
    for (const k of keys) {
      const [id, day] = k.split('|');
      byDate.set(day, [...(byDate.get(day) ?? []), id]);
    }
    const found = new Map<string, number>();
    await Promise.all(
      [...byDate].map(async ([day, ids]) => {
        const counts = await unitCounts(models, directory, [...new Set(ids)], new Date(`${day}T00:00:00Z`));
        for (const [id, n] of counts) found.set(`${id}|${day}`, n);
      }),
    );
    return keys.map((k) => found.get(k) ?? 0);
  });

  return {
    unitById: byId(models.GrassrootsUnit),
    institutionById: byId(models.MedicalInstitution),
    homeById: byId(models.BoaiHome),
    unitCount,
    /** Convenience for resolvers: the count for one branch on one date. */
    countUnits: (organizationId: string, asOf: Date) => unitCount.load(`${organizationId}|${formatDate(asOf)}`),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
