import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '@rcsc/embedded-mongo';
import { backup, restore } from '../src';

describe('backup and restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcsc-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips every database, document type and index, and refuses to overwrite', async () => {
    const source = await startEmbeddedMongo();
    const target = await startEmbeddedMongo();
    const client = await mongoose.mongo.MongoClient.connect(source.uri);
    const clientB = await mongoose.mongo.MongoClient.connect(target.uri);
    try {
      const id = new mongoose.Types.ObjectId();
      const people = client.db('rcsc_people').collection('members');
      await people.createIndex({ organizationId: 1, idHash: 1 }, { unique: true, name: 'org_id_unique' });
      await people.insertMany(
        Array.from({ length: 2500 }, (_, i) => ({
          organizationId: id,
          idHash: `h${i}`,
          name: `会员${i}`,
          joinedOn: new Date(Date.UTC(2020, 0, 1 + (i % 300))),
          tags: ['a', { nested: i }],
          amount: i / 4,
        })),
      );
      await client.db('rcsc_training').collection('instructors').insertOne({ name: '讲师', topics: [] });
      await client.db('rcsc_training').createCollection('empty');

      const events: string[] = [];
      const manifest = await backup(source.uri, dir, (e) => events.push(`${e.db}.${e.collection}:${e.documents}`));
      expect(manifest.databases.rcsc_people.members.count).toBe(2500);
      // Compressed, and read at one point in time (one snapshot transaction on the embedded server).
      expect(manifest).toMatchObject({ compression: 'gzip', pointInTime: true, consistency: 'transaction' });
      const { readFileSync, existsSync } = await import('node:fs');
      expect([...readFileSync(join(dir, 'rcsc_people', 'members.bson.gz')).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      expect(existsSync(join(dir, 'rcsc_people', 'members.bson'))).toBe(false);
      expect(events).toEqual(expect.arrayContaining(['rcsc_people.members:2500', 'rcsc_training.instructors:1', 'rcsc_training.empty:0']));

      await restore(target.uri, dir);
      const restored = clientB.db('rcsc_people').collection('members');
      expect(await restored.countDocuments()).toBe(2500);
      const original = await people.find().sort({ idHash: 1 }).toArray();
      expect(await restored.find().sort({ idHash: 1 }).toArray()).toEqual(original);
      expect((await clientB.db('rcsc_training').listCollections().toArray()).map((c) => c.name).sort()).toEqual(['empty', 'instructors']);
      await expect(restored.insertOne({ organizationId: id, idHash: 'h1' })).rejects.toMatchObject({ code: 11000 });

      await expect(restore(target.uri, dir)).rejects.toThrow(/not empty.*--drop/);
      await restore(target.uri, dir, { drop: true });
      expect(await restored.countDocuments()).toBe(2500);
    } finally {
      await client.close();
      await clientB.close();
      await source.stop();
      await target.stop();
    }
  });

  it('copies one point in time while a writer moves records and their counters in transactions', async () => {
    // Records in one database, the per-branch counters kept beside them in another (as the
    // services keep theirs): every transaction moves a record and both counters. Copied
    // collection after collection, records and counters came from different moments and
    // disagreed after a restore (issue 18).
    const source = await startEmbeddedMongo();
    const target = await startEmbeddedMongo();
    const client = await mongoose.mongo.MongoClient.connect(source.uri);
    const clientB = await mongoose.mongo.MongoClient.connect(target.uri);
    const snapshotDir = mkdtempSync(join(tmpdir(), 'rcsc-backup-pit-'));
    const BRANCHES = 20;
    try {
      const records = client.db('rcsc_a_records').collection<{ _id: number; branch: number; pad: string }>('records');
      const counters = client.db('rcsc_b_counters').collection<{ _id: number; n: number }>('counters');
      const total = 20_000;
      await records.insertMany(Array.from({ length: total }, (_, i) => ({ _id: i, branch: i % BRANCHES, pad: 'x'.repeat(200) })));
      await counters.insertMany(Array.from({ length: BRANCHES }, (_, b) => ({ _id: b, n: total / BRANCHES })));

      let stop = false;
      let moved = 0;
      let seed = 7;
      const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const writer = (async () => {
        while (!stop) {
          const id = random(total);
          const to = random(BRANCHES);
          const session = client.startSession();
          try {
            await session.withTransaction(async () => {
              const doc = await records.findOne({ _id: id }, { session });
              if (!doc || doc.branch === to) return;
              await records.updateOne({ _id: id }, { $set: { branch: to } }, { session });
              await counters.updateOne({ _id: doc.branch }, { $inc: { n: -1 } }, { session });
              await counters.updateOne({ _id: to }, { $inc: { n: 1 } }, { session });
            });
            moved++;
          } finally {
            await session.endSession();
          }
        }
      })();
      while (moved < 20) await new Promise((r) => setTimeout(r, 5));
      const before = moved;
      const manifest = await backup(source.uri, snapshotDir);
      const during = moved - before;
      stop = true;
      await writer;
      expect(during).toBeGreaterThan(0); // the writer did move records while the backup ran

      await restore(target.uri, snapshotDir);
      const recount = await clientB
        .db('rcsc_a_records')
        .collection('records')
        .aggregate<{ _id: number; n: number }>([{ $group: { _id: '$branch', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
        .toArray();
      const restored = await clientB.db('rcsc_b_counters').collection('counters').find().sort({ _id: 1 }).toArray();
      expect(restored.reduce((a, c) => a + (c.n as number), 0)).toBe(total);
      expect(restored.map((c) => [c._id, c.n])).toEqual(recount.map((c) => [c._id, c.n]));
      expect(manifest).toMatchObject({ pointInTime: true, consistency: 'transaction' });
    } finally {
      await client.close();
      await clientB.close();
      await source.stop();
      await target.stop();
      rmSync(snapshotDir, { recursive: true, force: true });
    }
  });

  it('refuses a folder that is not a backup, and a truncated file', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rcsc-not-backup-'));
    const server = await startEmbeddedMongo();
    try {
      await expect(restore(server.uri, other)).rejects.toThrow(/no manifest.json/);
      writeFileSync(
        join(other, 'manifest.json'),
        JSON.stringify({ format: 'rcsc-backup/1', databases: { d: { c: { count: 1, indexes: [] } } } }),
      );
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(other, 'd'));
      writeFileSync(join(other, 'd', 'c.bson'), Buffer.from([40, 0, 0, 0, 1]));
      await expect(restore(server.uri, other)).rejects.toThrow(/truncated/);
    } finally {
      await server.stop();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
