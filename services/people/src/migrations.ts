// Changes to stored records that a new version needs before it takes traffic (run at boot).
import type { Model } from 'mongoose';
import type { MemberDoc, Models, VolunteerDoc } from './models';
import { currentKey } from './new-records';

/** The unique index current keys replace: one record per person and branch, which forbade rejoining. */
const OLD_UNIQUE_INDEX = 'organizationId_1_idNumberHash_1';

/**
 * Members and volunteers stored before `currentKey` existed get it while current (not withdrawn,
 * not left), in batches of 1,000; then the old unique index is dropped, so a former member may
 * join again. Idempotent: a second run finds nothing to do. Returns how many records got a key.
 */
export async function ensureCurrentKeys(models: Pick<Models, 'Member' | 'Volunteer'>): Promise<number> {
  let keyed = 0;
  const sets: [Model<MemberDoc> | Model<VolunteerDoc>, string][] = [
    [models.Member, 'withdrawnOn'],
    [models.Volunteer, 'endedOn'],
  ];
  for (const [model, endField] of sets) {
    const m = model as unknown as Model<{ _id: unknown; organizationId: unknown; idNumberHash: string }>;
    let batch: { _id: unknown; organizationId: unknown; idNumberHash: string }[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await m.bulkWrite(
        batch.map((d) => ({
          updateOne: { filter: { _id: d._id }, update: { $set: { currentKey: currentKey(String(d.organizationId), d.idNumberHash) } } },
        })) as never,
      );
      keyed += batch.length;
      batch = [];
    };
    for await (const d of m
      .find({ currentKey: { $exists: false }, [endField]: null }, { organizationId: 1, idNumberHash: 1 })
      .lean()
      .cursor()) {
      batch.push(d as never);
      if (batch.length >= 1000) await flush();
    }
    await flush();
    const indexes = await m.collection.indexes().catch(() => []);
    if (indexes.some((i) => i.name === OLD_UNIQUE_INDEX)) await m.collection.dropIndex(OLD_UNIQUE_INDEX);
  }
  return keyed;
}
