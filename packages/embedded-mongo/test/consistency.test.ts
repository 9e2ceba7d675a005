// What a read sees, and options that would otherwise be silently ignored, as on MongoDB 7.0:
// the `sort` of update statements (an unknown field in 7.0: 40415), readConcern snapshot and
// atClusterTime, transactions reading a snapshot, collections and indexes created inside a
// transaction. Runs against MONGODB_URI too: where the embedded server refuses what MongoDB
// answers (a snapshot older than the last write), the test accepts MongoDB's answer or the
// refusal, never newer data.
import type { ClientSession, Collection, Document, MongoClient } from 'mongodb';
import { Timestamp } from 'bson';
import { setup, TestEnv } from './helpers';

let env: TestEnv;
let client: MongoClient;
let c: Collection<Document>;
let major = 7;
beforeAll(async () => {
  env = await setup('consistency');
  client = env.conn.getClient() as unknown as MongoClient;
  c = env.conn.db!.collection('docs');
  major = Number(String((await env.conn.db!.admin().command({ buildInfo: 1 })).version).split('.')[0]);
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  await c.deleteMany({});
  await c.insertMany([
    { _id: 1 as any, x: 11, k: 'a' },
    { _id: 2 as any, x: 22, k: 'a' },
  ]);
});

async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('the sort option of update statements', () => {
  it('updateOne / replaceOne / bulkWrite with sort: refused on 7.0 (40415), nothing written; applied in order on 8.0+', async () => {
    const attempts = [
      () => c.updateOne({ k: 'a' }, { $set: { hit: 1 } }, { sort: { x: -1 } } as any),
      () => c.replaceOne({ k: 'a' }, { k: 'a', hit: 1 }, { sort: { x: -1 } } as any),
      () => c.bulkWrite([{ updateOne: { filter: { k: 'a' }, update: { $set: { hit: 1 } }, sort: { x: -1 } } as any }]),
    ];
    for (const attempt of attempts) {
      const err = await failure(attempt());
      if (major < 8) {
        expect(err?.code).toBe(40415);
        expect(err?.message).toMatch(/sort/);
        expect(await c.countDocuments({ hit: 1 })).toBe(0);
      } else {
        expect(err).toBeUndefined();
        expect((await c.findOne({ hit: 1 }))?._id).toBe(2); // the highest x, not the first in natural order
        await c.updateMany({}, { $unset: { hit: 1 } });
      }
    }
  });

  it('findOneAndUpdate keeps its sort (supported by findAndModify)', async () => {
    const r = await c.findOneAndUpdate({ k: 'a' }, { $set: { hit: 1 } }, { sort: { x: -1 } });
    expect(r?._id).toBe(2);
  });
});

describe('readConcern', () => {
  it('snapshot reads outside a transaction: find, aggregate and distinct answer with atClusterTime', async () => {
    const r = await env.conn.db!.command({ find: 'docs', filter: {}, readConcern: { level: 'snapshot' } });
    expect(r.cursor.firstBatch).toHaveLength(2);
    expect(r.cursor.atClusterTime).toBeInstanceOf(Timestamp);
    const a = await env.conn.db!.command({ aggregate: 'docs', pipeline: [{ $match: {} }], cursor: {}, readConcern: { level: 'snapshot' } });
    expect(a.cursor.atClusterTime).toBeInstanceOf(Timestamp);
    const d = await env.conn.db!.command({ distinct: 'docs', key: 'x', readConcern: { level: 'snapshot' } });
    expect(d.values.sort()).toEqual([11, 22]);
    expect(d.atClusterTime).toBeInstanceOf(Timestamp);
  });

  it('snapshot is refused by writes, count and list commands', async () => {
    const rc = { readConcern: { level: 'snapshot' } };
    for (const cmd of [
      { insert: 'docs', documents: [{ _id: 9 }], ...rc },
      { update: 'docs', updates: [{ q: {}, u: { $set: { y: 1 } } }], ...rc },
      { delete: 'docs', deletes: [{ q: {}, limit: 0 }], ...rc },
      { findAndModify: 'docs', query: {}, update: { $set: { y: 1 } }, ...rc },
      { listCollections: 1, ...rc },
      { listIndexes: 'docs', ...rc },
    ]) {
      const err = await failure(env.conn.db!.command(cmd));
      expect(err).toBeDefined();
      expect(err.code).toBe(72);
    }
    expect(await c.countDocuments({})).toBe(2);
    expect(await c.countDocuments({ y: 1 })).toBe(0);
  });

  it('an unknown level is BadValue; atClusterTime needs level snapshot', async () => {
    expect((await failure(env.conn.db!.command({ find: 'docs', readConcern: { level: 'nope' } })))?.code).toBe(2);
    const ts = (await env.conn.db!.command({ ping: 1 })).operationTime;
    expect((await failure(env.conn.db!.command({ find: 'docs', readConcern: { level: 'majority', atClusterTime: ts } })))?.code).toBe(72);
  });

  it('a snapshot session never reads data newer than its snapshot', async () => {
    const s = client.startSession({ snapshot: true });
    try {
      expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
      // no write in between: the same snapshot is readable everywhere
      expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
      await c.updateOne({ _id: 1 as any }, { $set: { x: 12 } });
      const err = await failure(c.findOne({ _id: 1 as any }, { session: s }).then((d) => expect(d?.x).toBe(11)));
      // MongoDB answers from its history (11); the embedded server keeps none and refuses (SnapshotTooOld)
      if (err) expect(err.code).toBe(239);
      expect((await c.findOne({ _id: 1 as any }))?.x).toBe(12);
    } finally {
      await s.endSession();
    }
  });

  it('replies carry operationTime and $clusterTime, which advance with writes', async () => {
    const before = await env.conn.db!.command({ ping: 1 });
    expect(before.operationTime).toBeInstanceOf(Timestamp);
    expect(before.$clusterTime?.clusterTime).toBeInstanceOf(Timestamp);
    const w = await env.conn.db!.command({ insert: 'docs', documents: [{ _id: 3 }] });
    expect((w.operationTime as Timestamp).greaterThan(before.operationTime)).toBe(true);
    expect(((w.$clusterTime as any).clusterTime as Timestamp).gte(w.operationTime)).toBe(true);
  });
});

describe('transactions read a snapshot', () => {
  async function inTxn<T>(fn: (s: ClientSession) => Promise<T>): Promise<T> {
    const s = client.startSession();
    try {
      s.startTransaction();
      const r = await fn(s);
      await s.commitTransaction();
      return r;
    } finally {
      if (s.inTransaction()) await s.abortTransaction().catch(() => undefined);
      await s.endSession();
    }
  }

  it("a second read in a transaction does not see another session's later commit", async () => {
    await inTxn(async (s) => {
      expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
      await c.updateOne({ _id: 1 as any }, { $set: { x: 99 } });
      await c.insertOne({ _id: 3 as any, x: 33, k: 'a' });
      await c.deleteOne({ _id: 2 as any });
      expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
      expect(await c.countDocuments({ k: 'a' }, { session: s })).toBe(2);
      expect((await c.find({ k: 'a' }, { session: s }).sort({ x: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2]);
      expect((await c.distinct('x', {}, { session: s })).sort()).toEqual([11, 22]);
      expect((await c.aggregate([{ $group: { _id: null, t: { $sum: '$x' } } }], { session: s }).toArray())[0].t).toBe(33);
    });
    expect((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => [d._id, d.x])).toEqual([
      [1, 99],
      [3, 33],
    ]);
  });

  it('a long transaction keeps its snapshot while many writes and other transactions pass', async () => {
    const s = client.startSession();
    try {
      s.startTransaction();
      expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
      for (let round = 0; round < 3; round++) {
        await c.bulkWrite(Array.from({ length: 600 }, () => ({ updateOne: { filter: { _id: 1 as any }, update: { $inc: { x: 1 } } } })));
        const t = client.startSession();
        await t.withTransaction(async () => {
          await c.updateOne({ _id: 2 as any }, { $inc: { x: 1 } }, { session: t });
        });
        await t.endSession();
        expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
        expect((await c.findOne({ _id: 2 as any }, { session: s }))?.x).toBe(22);
      }
    } finally {
      await s.abortTransaction().catch(() => undefined);
      await s.endSession();
    }
    expect((await c.findOne({ _id: 1 as any }))?.x).toBe(11 + 1800);
    expect((await c.findOne({ _id: 2 as any }))?.x).toBe(25);
  });

  it('a snapshot outlives the end of an older transaction (whose versions are then dropped)', async () => {
    const older = client.startSession();
    const s = client.startSession();
    try {
      older.startTransaction();
      await c.findOne({}, { session: older });
      await c.bulkWrite(Array.from({ length: 1100 }, () => ({ updateOne: { filter: { _id: 2 as any }, update: { $inc: { x: 1 } } } })));
      s.startTransaction();
      expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
      await older.abortTransaction();
      await c.updateOne({ _id: 1 as any }, { $set: { x: 99 } });
      await c.updateOne({ _id: 2 as any }, { $set: { x: 0 } });
      expect((await c.findOne({ _id: 1 as any }, { session: s }))?.x).toBe(11);
      expect((await c.findOne({ _id: 2 as any }, { session: s }))?.x).toBe(22 + 1100);
    } finally {
      for (const x of [older, s]) {
        await x.abortTransaction().catch(() => undefined);
        await x.endSession();
      }
    }
  });

  it('writing a document changed by another session since the snapshot is a WriteConflict', async () => {
    const s = client.startSession();
    try {
      s.startTransaction();
      await c.findOne({}, { session: s });
      await c.updateOne({ _id: 2 as any }, { $set: { x: 23 } });
      const err = await failure(c.updateOne({ _id: 2 as any }, { $inc: { x: 1 } }, { session: s }));
      expect(err?.code).toBe(112);
      expect(err?.errorLabels ?? [...(err?.errorLabelSet ?? [])]).toContain('TransientTransactionError');
    } finally {
      await s.abortTransaction().catch(() => undefined);
      await s.endSession();
    }
    expect((await c.findOne({ _id: 2 as any }))?.x).toBe(23);
  });

  it('count is not allowed in a transaction (263); countDocuments is', async () => {
    const s = client.startSession();
    try {
      s.startTransaction();
      expect(await c.countDocuments({}, { session: s })).toBe(2);
      const err = await failure(env.conn.db!.command({ count: 'docs' }, { session: s }));
      expect(err?.code).toBe(263);
    } finally {
      await s.abortTransaction().catch(() => undefined);
      await s.endSession();
    }
  });
});

describe('collections and indexes created in a transaction', () => {
  const names = async () => (await env.conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((x) => x.name);
  afterEach(async () => {
    for (const n of ['fresh', 'fresh2'])
      await env.conn
        .db!.collection(n)
        .drop()
        .catch(() => undefined);
  });

  it('an implicit creation by insert is invisible outside until commit and gone after abort', async () => {
    const fresh = env.conn.db!.collection('fresh');
    const s = client.startSession();
    try {
      s.startTransaction();
      await fresh.insertOne({ _id: 1 as any }, { session: s });
      expect(await fresh.countDocuments({}, { session: s })).toBe(1);
      expect(await names()).not.toContain('fresh');
      expect(await fresh.findOne({})).toBeNull();
      await s.abortTransaction();
    } finally {
      await s.endSession();
    }
    expect(await names()).not.toContain('fresh');
    const s2 = client.startSession();
    try {
      await s2.withTransaction(async () => {
        await fresh.insertOne({ _id: 2 as any }, { session: s2 });
      });
    } finally {
      await s2.endSession();
    }
    expect(await names()).toContain('fresh');
    expect(await fresh.find({}).toArray()).toEqual([{ _id: 2 }]);
  });

  it('create and createIndexes in a transaction: visible at commit only, with the index enforced', async () => {
    const s = client.startSession();
    try {
      s.startTransaction();
      await env.conn.db!.createCollection('fresh2', { session: s });
      await env.conn.db!.collection('fresh2').createIndex({ u: 1 }, { unique: true, session: s });
      await env.conn.db!.collection('fresh2').insertOne({ u: 1 }, { session: s });
      expect(await names()).not.toContain('fresh2');
      await s.abortTransaction();
      expect(await names()).not.toContain('fresh2');
      s.startTransaction();
      await env.conn.db!.createCollection('fresh2', { session: s });
      await env.conn.db!.collection('fresh2').createIndex({ u: 1 }, { unique: true, session: s });
      await env.conn.db!.collection('fresh2').insertOne({ u: 1 }, { session: s });
      await s.commitTransaction();
    } finally {
      await s.endSession();
    }
    const idx = await env.conn.db!.collection('fresh2').listIndexes().toArray();
    expect(idx.map((i) => i.name)).toContain('u_1');
    expect((await failure(env.conn.db!.collection('fresh2').insertOne({ u: 1 })))?.code).toBe(11000);
  });

  it('an index on an existing collection cannot be created in a transaction (263)', async () => {
    const s = client.startSession();
    try {
      s.startTransaction();
      await c.findOne({}, { session: s });
      const err = await failure(c.createIndex({ x: 1 }, { session: s }));
      expect(err?.code).toBe(263);
    } finally {
      await s.abortTransaction().catch(() => undefined);
      await s.endSession();
    }
    expect((await c.listIndexes().toArray()).map((i) => i.name)).not.toContain('x_1');
  });
});

describe('writeConcern', () => {
  it('w greater than the number of nodes is a writeConcernError (100) after the write; an unknown tag 79', async () => {
    const wce = (e: any) => e?.result?.writeConcernError?.code ?? e?.code;
    const err = await failure(env.conn.db!.command({ insert: 'docs', documents: [{ _id: 5 }], writeConcern: { w: 3, wtimeout: 1000 } }));
    expect(err?.name).toBe('MongoWriteConcernError');
    expect(wce(err)).toBe(100);
    expect(await c.countDocuments({ _id: 5 as any })).toBe(1); // applied on the primary, as MongoDB does
    expect(wce(await failure(c.insertOne({ _id: 6 as any }, { writeConcern: { w: 3, wtimeoutMS: 1000 } })))).toBe(100);
    expect(wce(await failure(c.updateOne({ _id: 6 as any }, { $set: { y: 1 } }, { writeConcern: { w: 3, wtimeoutMS: 1000 } })))).toBe(100);
    expect(wce(await failure(env.conn.db!.command({ insert: 'docs', documents: [{ _id: 7 }], writeConcern: { w: 'nosuchtag' } })))).toBe(
      79,
    );
    const ok = await env.conn.db!.command({ insert: 'docs', documents: [{ _id: 8 }], writeConcern: { w: 'majority' } });
    expect(ok.writeConcernError).toBeUndefined();
  });
});
