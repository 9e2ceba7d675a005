// Property test: random writes (operator, pipeline and replacement updates, upserts,
// findAndModify, bulkWrite, transactions) over a small pool of _id values, so that many of
// them try to move a document onto another's _id or drop it. After every step no two documents
// share an _id, none lacks one, and every read path agrees (find, count, lookup by _id). On the
// embedded server the data directory is also reopened now and then, cleanly or from a copy taken
// while it runs (a crash image): the documents come back exactly. With MONGODB_URI the same
// random writes run against the real server (no restarts there).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import mongoose from 'mongoose';
import type { Collection, Document } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src';
import { REAL } from './helpers';
import { rng } from './random';

type R = ReturnType<typeof rng>;

const ID_POOL: unknown[] = [0, 1, 2, 3, 4, 'k0', 'k1', { s: 1 }];
const randId = (r: R) => r.pick(ID_POOL);
const randDoc = (r: R): Document => {
  const d: Document = { a: r.int(4) };
  if (r.bool()) d.t = r.bool() ? { x: r.int(3) } : { _id: randId(r), x: r.int(3) };
  return d;
};
const randFilter = (r: R): Document => r.pick([{ _id: randId(r) }, { a: r.int(4) }, {}, { 't.x': r.int(3) }]);
const randOperator = (r: R): Document =>
  r.pick([
    { $set: { a: r.int(4) } },
    { $inc: { a: 1 } },
    { $set: { _id: randId(r) } },
    { $unset: { _id: 1 } },
    { $rename: { a: '_id' } },
    { $set: { t: { _id: randId(r) } }, $setOnInsert: { b: 1 } },
    { $setOnInsert: { _id: randId(r) } },
  ]);
const randPipeline = (r: R): Document[] =>
  r.pick([
    [{ $set: { _id: randId(r) } }],
    [{ $unset: '_id' }],
    [{ $replaceRoot: { newRoot: { $ifNull: ['$t', { y: 1 }] } } }],
    [{ $replaceWith: { $mergeObjects: [{ $ifNull: ['$t', {}] }, { a: r.int(4) }] } }],
    [{ $project: { a: 1 } }],
    [{ $set: { a: { $add: [{ $ifNull: ['$a', 0] }, 1] } } }],
  ]);
const randReplacement = (r: R): Document => (r.bool() ? { ...randDoc(r), _id: randId(r) } : randDoc(r));

async function randomWrite(r: R, c: Collection<Document>, session?: mongoose.mongo.ClientSession): Promise<void> {
  const o = { session };
  const update = () => (r.bool() ? randOperator(r) : randPipeline(r));
  switch (r.int(9)) {
    case 0:
      await c.insertOne({ _id: randId(r), ...randDoc(r) } as Document, o);
      break;
    case 1:
      await c.updateOne(randFilter(r), update(), { ...o, upsert: r.bool() });
      break;
    case 2:
      await c.updateMany(randFilter(r), update(), { ...o, upsert: r.bool() });
      break;
    case 3:
      await c.replaceOne(randFilter(r), randReplacement(r), { ...o, upsert: r.bool() });
      break;
    case 4:
      await c.findOneAndUpdate(randFilter(r), update(), { ...o, upsert: r.bool(), sort: { a: 1 } });
      break;
    case 5:
      await c.findOneAndReplace(randFilter(r), randReplacement(r), { ...o, upsert: r.bool() });
      break;
    case 6: {
      const ops = Array.from({ length: 1 + r.int(4) }, () =>
        r.pick([
          { insertOne: { document: { _id: randId(r), ...randDoc(r) } } },
          { updateOne: { filter: randFilter(r), update: update(), upsert: r.bool() } },
          { updateMany: { filter: randFilter(r), update: update() } },
          { replaceOne: { filter: randFilter(r), replacement: randReplacement(r), upsert: r.bool() } },
          { deleteOne: { filter: randFilter(r) } },
        ]),
      );
      await c.bulkWrite(ops as any, { ...o, ordered: r.bool() });
      break;
    }
    case 7:
      await c.deleteOne({ a: r.int(4) }, o);
      break;
    default:
      await c.insertOne(randDoc(r), o); // the server or driver picks the _id
  }
}

const key = (v: unknown) => JSON.stringify(v);

async function checkInvariants(c: Collection<Document>, where: string): Promise<Document[]> {
  const docs = await c.find({}).toArray();
  const ids = new Set<string>();
  for (const d of docs) {
    if (d._id === undefined) throw new Error(`${where}: document without _id: ${key(d)}`);
    const k = key(d._id);
    if (ids.has(k)) throw new Error(`${where}: duplicate _id ${k} in ${key(docs)}`);
    ids.add(k);
  }
  expect(await c.countDocuments({})).toBe(docs.length);
  for (const d of docs) {
    expect(await c.countDocuments({ _id: d._id })).toBe(1);
    expect(await c.findOne({ _id: d._id })).toEqual(d);
  }
  return docs;
}

const byId = (docs: Document[]) => [...docs].sort((x, y) => (key(x._id) < key(y._id) ? -1 : 1));

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-prop-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Target {
  conn: mongoose.Connection;
  coll: Collection<Document>;
  mongo: EmbeddedMongo | null;
}

async function open(dir: string | null, dbName: string): Promise<Target> {
  const mongo = REAL ? null : await startEmbeddedMongo({ dbPath: dir ?? undefined });
  const conn = await mongoose.createConnection(REAL ? process.env.MONGODB_URI! : mongo!.uri, { dbName }).asPromise();
  return { conn, coll: conn.db!.collection('docs'), mongo };
}

async function close(t: Target, drop = false): Promise<void> {
  if (drop) await t.conn.dropDatabase().catch(() => undefined);
  await t.conn.close();
  await t.mongo?.stop();
}

describe('no write path creates a duplicate _id or a document without one', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`random writes, transactions and restarts (seed ${seed})`, async () => {
      const r = rng(seed);
      const dir = path.join(tmp, 'seed' + seed);
      const dbName = REAL ? `emtest_prop_${seed}_${process.pid}_${Date.now()}` : 'prop';
      let t = await open(dir, dbName);
      let refused = 0;
      try {
        for (let step = 0; step < 120; step++) {
          const roll = r.int(20);
          if (roll === 0 && !REAL) {
            // clean restart: stop (snapshot written) and reopen
            const before = byId(await checkInvariants(t.coll, `seed ${seed} step ${step} before restart`));
            await close(t);
            t = await open(dir, dbName);
            expect(byId(await checkInvariants(t.coll, `seed ${seed} step ${step} after restart`))).toEqual(before);
            continue;
          }
          if (roll === 1 && !REAL) {
            // crash image: a copy of the directory taken while the server runs (acknowledged
            // writes are in the journal) opened by a second server
            const before = byId(await t.coll.find({}).toArray());
            const copy = path.join(tmp, `seed${seed}-crash${step}`);
            fs.cpSync(dir, copy, { recursive: true });
            const other = await open(copy, dbName);
            expect(byId(await checkInvariants(other.coll, `seed ${seed} step ${step} crash image`))).toEqual(before);
            await close(other);
            continue;
          }
          try {
            if (roll === 2) {
              const s = t.conn.getClient().startSession();
              try {
                s.startTransaction();
                for (let i = 0, n = 1 + r.int(3); i < n; i++) await randomWrite(r, t.coll, s);
                if (r.bool()) await s.commitTransaction();
                else await s.abortTransaction();
              } finally {
                if (s.inTransaction()) await s.abortTransaction().catch(() => undefined);
                await s.endSession();
              }
            } else await randomWrite(r, t.coll);
          } catch (e) {
            const code = (e as any).code ?? (e as any).writeErrors?.[0]?.code;
            if (code === undefined) throw e; // not a server refusal
            refused++;
          }
          await checkInvariants(t.coll, `seed ${seed} step ${step}`);
        }
      } finally {
        await close(t, REAL);
      }
      expect(refused).toBeGreaterThan(10); // the generator does reach the refusals
    }, 120_000);
  }
});
