// Changes to stored records that a new version needs before it takes traffic (run at boot).
import type { Model } from 'mongoose';
import type { MemberDoc, Models, VolunteerDoc } from './models';
import { currentKey, memberKey } from './new-records';

/** The unique index current keys replace: one record per person and branch, which forbade rejoining. */
const OLD_UNIQUE_INDEX = 'organizationId_1_idNumberHash_1';

/**
 * Members and volunteers stored before `currentKey` existed get it while current (not withdrawn,
 * not left), in batches of 1,000; then the old unique index is dropped, so a former member may
 * join again. Idempotent: a second run finds nothing to do. Returns how many records got a key.
 */
export async function ensureCurrentKeys(models: Pick<Models, 'Member' | 'Volunteer'>): Promise<number> {
  let keyed = 0;
  const sets: [Model<MemberDoc> | Model<VolunteerDoc>, string, (d: { organizationId: unknown; idNumberHash: string }) => string][] = [
    [models.Member, 'withdrawnOn', (d) => memberKey(d.idNumberHash)],
    [models.Volunteer, 'endedOn', (d) => currentKey(String(d.organizationId), d.idNumberHash)],
  ];
  for (const [model, endField, keyOf] of sets) {
    const m = model as unknown as Model<{ _id: unknown; organizationId: unknown; idNumberHash: string }>;
    let batch: { _id: unknown; organizationId: unknown; idNumberHash: string }[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await m.bulkWrite(
        batch.map((d) => ({
          updateOne: { filter: { _id: d._id }, update: { $set: { currentKey: keyOf(d) } } },
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

/**
 * Current members keyed per branch ("<branch>:<hash>", before issue 19.4) get the national key
 * (`memberKey`: one current membership per person in the country), in unordered batches of
 * 1,000. Where the same person is current in two branches (stored before the rule), the first
 * converted keeps the national key and the others keep their branch key: nothing is dropped, and
 * `peopleFindings` can show them. Returns how many records got the national key and how many
 * were left as duplicates.
 */
export async function ensureNationalMemberKeys(models: Pick<Models, 'Member'>): Promise<{ keyed: number; duplicates: number }> {
  let keyed = 0;
  let duplicates = 0;
  let batch: { _id: unknown; idNumberHash: string }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const ops = batch.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { currentKey: memberKey(d.idNumberHash) } } } }));
    try {
      const r = await models.Member.collection.bulkWrite(ops as never[], { ordered: false });
      keyed += r.modifiedCount;
    } catch (err) {
      // Unordered: every other update was applied; the duplicates keep their branch key.
      const e = err as { result?: { modifiedCount?: number }; writeErrors?: unknown[]; code?: number };
      if (!e.writeErrors && e.code !== 11000) throw err;
      keyed += e.result?.modifiedCount ?? 0;
      duplicates += e.writeErrors?.length ?? 1;
    }
    batch = [];
  };
  for await (const d of models.Member.find({ currentKey: { $type: 'string' } }, { idNumberHash: 1, currentKey: 1 })
    .lean()
    .cursor()) {
    if (!(d.currentKey as string).startsWith('member:')) batch.push(d as never);
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return { keyed, duplicates };
}

/**
 * Service records stored before the confirmation workflow (issue 19.6) have no status: they were
 * accepted as served and stay counted, so they become CONFIRMED. Idempotent (one updateMany on
 * the records without a status); returns how many changed.
 */
export async function ensureServiceRecordStatus(models: Pick<Models, 'ServiceRecord'>): Promise<number> {
  const r = await models.ServiceRecord.collection.updateMany({ status: { $exists: false } }, { $set: { status: 'CONFIRMED' } });
  return r.modifiedCount;
}

/**
 * Each migration once per database (a marker in `counters_built`, kept after it ran): they scan
 * whole registers, which at national scale would cost every restart minutes for nothing.
 */
const MIGRATIONS: [string, (models: Models) => Promise<unknown>][] = [
  ['current-keys', ensureCurrentKeys],
  ['national-member-keys', ensureNationalMemberKeys],
  // Hours stored before the confirmation workflow stay counted: CONFIRMED (issue 19.6).
  ['service-record-status', ensureServiceRecordStatus],
];

export async function migrate(models: Models): Promise<void> {
  for (const [name, run] of MIGRATIONS) {
    if (await models.CounterBuilt.exists({ _id: name })) continue;
    await run(models);
    await markDone(models, name);
  }
}

/** A load that wrote every record in the current format: no migration has anything to do. */
export async function markMigrated(models: Models): Promise<void> {
  for (const [name] of MIGRATIONS) await markDone(models, name);
}

const markDone = (models: Models, name: string) =>
  models.CounterBuilt.updateOne({ _id: name }, { $set: { version: 1, builtAt: new Date() } }, { upsert: true });
