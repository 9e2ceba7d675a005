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
      // Compressed; the embedded server has no snapshot reads, and the manifest says so.
      expect(manifest).toMatchObject({ compression: 'gzip', pointInTime: false });
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
