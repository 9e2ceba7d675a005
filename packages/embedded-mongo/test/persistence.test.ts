// Durability (embedded only): clean stop/restart on a dbPath, and kill -9 of the CLI process
// followed by a restart on the same directory.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import mongoose, { Schema } from 'mongoose';
import { startEmbeddedMongo } from '../src';
import { itEmbedded } from './helpers';

const pkgDir = path.join(__dirname, '..');
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-test-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The kill -9 test runs the compiled CLI; build it if it is missing or older than src. */
function ensureBuilt(): void {
  const cli = path.join(pkgDir, 'dist', 'cli.js');
  const newest = Math.max(
    ...fs.readdirSync(path.join(pkgDir, 'src'), { recursive: true }).map((f) => fs.statSync(path.join(pkgDir, 'src', String(f))).mtimeMs),
  );
  if (!fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newest)
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(pkgDir, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
}

function startCli(dbPath: string): Promise<{ child: ChildProcess; uri: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(pkgDir, 'dist', 'cli.js'), '--port', '0', '--dbpath', dbPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('mongodb://'));
      if (line) resolve({ child, uri: line.trim() });
    });
    child.on('exit', (code) => reject(new Error('cli exited ' + code + ' ' + out)));
    child.on('error', reject);
  });
}

const exited = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));

describe('persistence', () => {
  itEmbedded('data, indexes and unique constraints survive a clean stop and restart', async () => {
    const dir = path.join(tmp, 'clean');
    let m = await startEmbeddedMongo({ dbPath: dir });
    let conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
    const schema = new Schema({ email: { type: String, unique: true }, n: Number });
    let User = conn.model('User', schema);
    await User.init();
    await User.insertMany(Array.from({ length: 500 }, (_, i) => ({ email: `u${i}@x`, n: i })));
    await User.updateOne({ email: 'u1@x' }, { $set: { n: -1 } });
    await User.deleteOne({ email: 'u2@x' });
    await conn.db!.collection('other').insertOne({ k: 'v' });
    await conn.close();
    await m.stop();

    m = await startEmbeddedMongo({ dbPath: dir });
    conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
    User = conn.model('User', schema);
    expect(await User.countDocuments()).toBe(499);
    expect((await User.findOne({ email: 'u1@x' }).lean())?.n).toBe(-1);
    expect(await User.findOne({ email: 'u2@x' })).toBeNull();
    expect((await conn.db!.collection('other').findOne({}))?.k).toBe('v');
    expect((await conn.db!.collection('users').listIndexes().toArray()).map((i) => i.name)).toContain('email_1');
    await expect(User.create({ email: 'u3@x' })).rejects.toMatchObject({ code: 11000 });
    await conn.close();
    await m.stop();
  });

  itEmbedded(
    'a clean restart adopts the indexes written at the stop: the same answers and plans as built ones, and they take writes',
    async () => {
      const dir = path.join(tmp, 'image');
      let m = await startEmbeddedMongo({ dbPath: dir });
      let conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
      const coll = () => conn.db!.collection('items');
      await coll().createIndexes([
        { key: { email: 1 }, unique: true },
        { key: { org: 1, n: -1 } },
        { key: { tags: 1 } },
        { key: { key: 1 }, unique: true, partialFilterExpression: { key: { $type: 'string' } } },
        { key: { opt: 1 }, sparse: true },
      ]);
      await coll().insertMany(
        Array.from({ length: 3000 }, (_, i) => ({
          email: `u${i}@x`,
          org: `o${i % 13}`,
          n: i,
          ...(i % 3 ? { tags: [`t${i % 7}`, `t${i % 5}`] } : { tags: `t${i % 7}` }),
          key: i % 4 ? `k${i}` : null,
          ...(i % 10 === 0 ? { opt: i } : {}),
        })),
      );
      await conn.db!.collection('empty').createIndex({ a: 1 });
      await conn.close();
      await m.stop();
      expect(fs.existsSync(path.join(dir, 'indexes.bson'))).toBe(true);
      expect(fs.statSync(path.join(dir, 'indexes.bson')).mode & 0o777).toBe(0o600);

      const queries = async () => {
        const plan = async (c: any) => JSON.stringify((await c.explain()).queryPlanner.winningPlan);
        return {
          tags: await coll().find({ tags: 't3' }).sort({ _id: 1 }).toArray(),
          org: await coll().find({ org: 'o5' }).sort({ n: -1 }).limit(40).toArray(),
          orgPlan: await plan(coll().find({ org: 'o5' }).sort({ n: -1 }).limit(40)),
          tagsPlan: await plan(coll().find({ tags: { $in: ['t1', 't2'] } })),
          key: await coll().find({ key: 'k5' }).toArray(),
          sparse: await coll().countDocuments({ opt: { $gte: 100 } }),
          range: await coll()
            .find({ email: { $gte: 'u1', $lt: 'u2' } }, { projection: { email: 1 } })
            .toArray(),
          all: await coll().countDocuments(),
          page: await coll()
            .find({ _id: { $gt: (await coll().findOne({ n: 1500 }))!._id } })
            .sort({ _id: 1 })
            .limit(5)
            .toArray(),
        };
      };
      const restart = async () => {
        m = await startEmbeddedMongo({ dbPath: dir });
        conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
        const status = await conn.db!.admin().command({ serverStatus: 1 });
        return status.storageEngine.recovery.indexes;
      };
      const stop = async () => {
        await conn.close();
        await m.stop();
      };

      expect(await restart()).toBe('adopted');
      const adopted = await queries();
      expect(adopted.tags.length).toBeGreaterThan(0);
      await stop();
      // nothing was written: the snapshot and the image stand; without the image the indexes are built
      fs.rmSync(path.join(dir, 'indexes.bson'));
      expect(await restart()).toBe('built');
      expect(await queries()).toEqual(adopted);
      await stop();

      expect(await restart()).toBe('adopted');
      await expect(coll().insertOne({ email: 'u7@x' })).rejects.toMatchObject({ code: 11000 });
      await expect(coll().insertOne({ email: 'new@x', key: 'k5' })).rejects.toMatchObject({ code: 11000 });
      await coll().insertOne({ email: 'new@x', org: 'o5', n: 99999, tags: ['t3', 'new'], key: 'k-new' });
      await coll().updateOne({ email: 'u5@x' }, { $set: { key: 'k5b', tags: 'moved' } });
      await coll().deleteOne({ email: 'u3@x' });
      expect((await coll().find({ tags: 't3' }).toArray()).map((d) => d.email)).toContain('new@x');
      expect(await coll().findOne({ key: 'k5' })).toBeNull();
      expect((await coll().find({ org: 'o5' }).sort({ n: -1 }).limit(1).toArray())[0].email).toBe('new@x');
      const afterWrites = await queries();
      const snapshot = fs.statSync(path.join(dir, 'snapshot.bson')).mtimeMs;
      await stop();
      // a small journal is kept at the stop beside the snapshot and its image (no new snapshot):
      // the restart adopts the image and replays the journal onto it
      expect(fs.statSync(path.join(dir, 'snapshot.bson')).mtimeMs).toBe(snapshot);
      expect(await restart()).toBe('adopted');
      expect(m.server.engine.recovery?.journalBytes).toBeGreaterThan(0);
      expect(await queries()).toEqual(afterWrites);
      await stop();
      // and again, with the same image under a longer journal
      expect(await restart()).toBe('adopted');
      await coll().deleteOne({ email: 'new@x' });
      await stop();
      expect(await restart()).toBe('adopted');
      expect(await coll().findOne({ key: 'k-new' })).toBeNull();
      expect((await coll().find({ tags: 't3' }).toArray()).map((d) => d.email)).not.toContain('new@x');
      await stop();
    },
  );

  itEmbedded(
    'after a crash the image is adopted and the journal since its snapshot replayed onto it; a new snapshot deletes the image',
    async () => {
      const dir = path.join(tmp, 'image-stale');
      let m = await startEmbeddedMongo({ dbPath: dir });
      let conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
      await conn.db!.collection('items').createIndex({ g: 1 });
      await conn.db!.collection('items').insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i, g: i % 5, h: i % 3 })) as any);
      await conn.close();
      await m.stop();
      m = await startEmbeddedMongo({ dbPath: dir });
      conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
      const items = conn.db!.collection('items');
      await items.updateOne({ _id: 7 } as any, { $set: { g: 42 } });
      await items.insertOne({ _id: 500, g: 42 } as any);
      await items.deleteOne({ _id: 12 } as any);
      await items.createIndex({ h: 1 });
      await items.updateOne({ _id: 9 } as any, { $set: { h: 7 } });
      await conn.db!.collection('later').createIndex({ k: 1 }, { unique: true });
      await conn.db!.collection('later').insertOne({ k: 'x' });
      // a crash now: the files as they are (snapshot, image and a journal with the writes)
      const crash = path.join(tmp, 'image-crash');
      fs.mkdirSync(crash);
      for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(crash, f));
      expect(fs.existsSync(path.join(crash, 'indexes.bson'))).toBe(true);
      await m.server.engine.compact();
      expect(fs.existsSync(path.join(dir, 'indexes.bson'))).toBe(false);
      await conn.close();
      await m.stop();

      const r = await startEmbeddedMongo({ dbPath: crash });
      expect(r.server.engine.recovery).toMatchObject({ indexes: 'adopted', journalBytes: expect.any(Number) });
      expect(r.server.engine.recovery!.journalBytes).toBeGreaterThan(0);
      const c = await mongoose.createConnection(r.uri, { dbName: 'app' }).asPromise();
      const found = await c.db!.collection('items').find({ g: 42 }).hint({ g: 1 }).toArray();
      expect(found.map((d) => d._id).sort()).toEqual([500, 7]);
      expect(await c.db!.collection('items').countDocuments({ g: 2 })).toBe(18); // 2, 7, …, 97 but 7 (moved to 42) and 12 (deleted)
      expect((await c.db!.collection('items').find({ g: 2 }).hint({ g: 1 }).toArray()).length).toBe(18);
      expect((await c.db!.collection('items').find({ h: 7 }).hint({ h: 1 }).toArray()).map((d) => d._id)).toEqual([9]);
      expect((await c.db!.collection('items').find({ h: 0 }).hint({ h: 1 }).toArray()).length).toBe(32); // 0, 3, …, 99 but 12 (deleted) and 9 (moved)
      await expect(c.db!.collection('later').insertOne({ k: 'x' })).rejects.toMatchObject({ code: 11000 });
      await c.close();
      await r.stop();
      // the image was adopted and the journal kept: the data directory stands for another restart
      const again = await startEmbeddedMongo({ dbPath: crash });
      expect(again.server.engine.recovery?.indexes).toBe('adopted');
      await again.stop();
      // without the image, the same directory builds its indexes and answers the same
      fs.rmSync(path.join(crash, 'indexes.bson'));
      const built = await startEmbeddedMongo({ dbPath: crash });
      expect(built.server.engine.recovery?.indexes).toBe('built');
      const b = await mongoose.createConnection(built.uri, { dbName: 'app' }).asPromise();
      expect((await b.db!.collection('items').find({ g: 42 }).hint({ g: 1 }).toArray()).map((d) => d._id).sort()).toEqual([500, 7]);
      await b.close();
      await built.stop();
    },
  );

  itEmbedded(
    'a collection and unique index created in a committed transaction survive a restart; an aborted one leaves nothing',
    async () => {
      const dir = path.join(tmp, 'txn-create');
      let m = await startEmbeddedMongo({ dbPath: dir });
      let conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
      const client = conn.getClient();
      const s = client.startSession();
      s.startTransaction();
      await conn.db!.collection('gone').insertOne({ a: 1 }, { session: s });
      await s.abortTransaction();
      s.startTransaction();
      await conn.db!.createCollection('made', { session: s });
      await conn.db!.collection('made').createIndex({ u: 1 }, { unique: true, session: s });
      await conn.db!.collection('made').insertOne({ u: 1 }, { session: s });
      await s.commitTransaction();
      await s.endSession();
      await conn.close();
      await m.stop();
      m = await startEmbeddedMongo({ dbPath: dir });
      conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
      const names = (await conn.db!.listCollections().toArray()).map((c) => c.name);
      expect(names).toContain('made');
      expect(names).not.toContain('gone');
      await expect(conn.db!.collection('made').insertOne({ u: 1 })).rejects.toMatchObject({ code: 11000 });
      await conn.close();
      await m.stop();
    },
  );

  itEmbedded('the journal and snapshot are readable by their owner only (0600), also files left 0644 by older versions', async () => {
    const dir = path.join(tmp, 'modes');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'journal.bson'), '', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'journal.bson'), 0o644);
    let m = await startEmbeddedMongo({ dbPath: dir });
    const conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
    await conn.db!.collection('x').insertOne({ secret: 1 });
    await conn.close();
    await m.stop(); // writes the snapshot
    const mode = (f: string) => fs.statSync(path.join(dir, f)).mode & 0o777;
    expect(mode('journal.bson')).toBe(0o600);
    expect(mode('snapshot.bson')).toBe(0o600);
    fs.chmodSync(path.join(dir, 'snapshot.bson'), 0o644);
    m = await startEmbeddedMongo({ dbPath: dir });
    expect(mode('snapshot.bson')).toBe(0o600);
    await m.stop();
    const fresh = path.join(tmp, 'modes-fresh');
    m = await startEmbeddedMongo({ dbPath: fresh });
    await m.stop();
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
    expect(mode('journal.bson')).toBe(0o600);
  });

  itEmbedded('kill -9 loses no acknowledged write; torn tail is tolerated; unique index comes back', async () => {
    ensureBuilt();
    const dir = path.join(tmp, 'kill9');
    let { child, uri } = await startCli(dir);
    // short server selection so writes racing the kill fail fast instead of waiting 30 s
    let conn = await mongoose.createConnection(uri, { dbName: 'app', serverSelectionTimeoutMS: 500 }).asPromise();
    const schema = new Schema({ key: { type: String, unique: true }, v: Number });
    let Model = conn.model('Thing', schema);
    await Model.init();
    const acked: string[] = [];
    for (let i = 0; i < 200; i++) {
      await Model.create({ key: 'k' + i, v: i });
      acked.push('k' + i);
    }
    await Model.insertMany(Array.from({ length: 300 }, (_, i) => ({ key: 'bulk' + i, v: i })));
    await Model.updateMany({ v: { $lt: 10 } }, { $set: { updated: true } }, { strict: false });
    // a committed transaction must be all there, an uncommitted one not at all
    await conn.transaction(async (session) => {
      await Model.create(
        [
          { key: 'tx1', v: 1 },
          { key: 'tx2', v: 2 },
        ],
        { session, ordered: true },
      );
    });
    const open = await conn.startSession();
    open.startTransaction();
    await Model.create([{ key: 'uncommitted', v: 0 }], { session: open });
    // keep writing while we kill, so the journal is likely torn mid-record
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++)
        await Model.create({ key: 'late' + i, v: i }).then(
          () => acked.push('late' + i),
          () => (stop = true),
        );
    })();
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await exited(child);
    stop = true;
    await writer.catch(() => undefined);
    await conn.close(true).catch(() => undefined);
    // simulate a torn last record too
    fs.appendFileSync(path.join(dir, 'journal.bson'), Buffer.from([200, 0, 0, 0, 1, 2, 3]));

    ({ child, uri } = await startCli(dir));
    conn = await mongoose.createConnection(uri, { dbName: 'app' }).asPromise();
    Model = conn.model('Thing', schema);
    const keys = new Set((await Model.find({}, { key: 1 }).lean()).map((d) => d.key));
    for (const k of acked) expect(keys.has(k)).toBe(true);
    for (let i = 0; i < 300; i++) expect(keys.has('bulk' + i)).toBe(true);
    expect(keys.has('tx1') && keys.has('tx2')).toBe(true);
    expect(keys.has('uncommitted')).toBe(false);
    expect(await Model.countDocuments({ updated: true })).toBe(20);
    await expect(Model.create({ key: 'k5' })).rejects.toMatchObject({ code: 11000 });
    await conn.close();
    child.kill('SIGTERM');
    await exited(child);
    expect(child.exitCode).toBe(0);
    expect(fs.statSync(path.join(dir, 'journal.bson')).size).toBe(0); // compacted on clean stop
  });

  itEmbedded('compaction runs while writes go on; a copy of the files taken at any time recovers every acknowledged write', async () => {
    const dir = path.join(tmp, 'compact');
    const m = await startEmbeddedMongo({ dbPath: dir });
    const engine = m.server.engine;
    // compact every few hundred writes
    engine.journal!.minCompactBytes = engine.journal!.compactThreshold = 256 * 1024;
    const conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
    const coll = conn.db!.collection('items');
    await coll.createIndex({ g: 1, n: 1 });
    const want = new Map<number, number>();
    const images: string[] = [];
    let compactions = 0;
    const orig = engine.compact.bind(engine);
    engine.compact = () => {
      compactions++;
      return orig();
    };
    for (let round = 0; round < 12; round++) {
      await coll.insertMany(
        Array.from({ length: 400 }, (_, i) => ({ _id: round * 400 + i, g: i % 7, n: round, pad: 'p'.repeat(300) })) as any,
      );
      for (let i = 0; i < 400; i++) want.set(round * 400 + i, round);
      await coll.updateMany({ g: 3, n: round }, { $set: { n: 100 + round } });
      for (let i = 0; i < 400; i++) if (i % 7 === 3) want.set(round * 400 + i, 100 + round);
      await coll.deleteMany({ _id: { $in: [round * 400, round * 400 + 1] } } as any);
      want.delete(round * 400);
      want.delete(round * 400 + 1);
      // a crash image: the files as they are now (a compaction may be half-way)
      const img = path.join(tmp, `image${round}`);
      fs.mkdirSync(img);
      for (const f of fs.readdirSync(dir)) if (f !== 'snapshot.bson.tmp') fs.copyFileSync(path.join(dir, f), path.join(img, f));
      images.push(img);
      await new Promise((r) => setImmediate(r));
    }
    expect(compactions).toBeGreaterThan(2);
    await conn.close();
    await m.stop();
    // the last image must hold exactly the final state; every image opens
    for (const img of images) {
      const r = await startEmbeddedMongo({ dbPath: img });
      const c = r.server.engine.getCollection('app', 'items')!;
      expect(c.size).toBeGreaterThan(0);
      if (img === images[images.length - 1]) {
        expect(c.size).toBe(want.size);
        for (const d of c.find({}).docs) expect(d.n).toBe(want.get(d._id));
        expect(c.count({ g: 3, n: { $gte: 100 } }).n).toBe([...want.values()].filter((n) => n >= 100).length);
      }
      await r.stop();
    }
  });

  itEmbedded('snapshots follow the data size: a bulk load rewrites its data a few times, not once per journal threshold', async () => {
    const dir = path.join(tmp, 'amortized');
    const m = await startEmbeddedMongo({ dbPath: dir });
    const engine = m.server.engine;
    engine.journal!.minCompactBytes = engine.journal!.compactThreshold = 64 * 1024;
    let snapshotBytes = 0;
    let compactions = 0;
    let pending: Promise<void> = Promise.resolve();
    const orig = engine.compact.bind(engine);
    engine.compact = () =>
      (pending = orig().then(() => {
        compactions++;
        snapshotBytes += fs.statSync(path.join(dir, 'snapshot.bson')).size;
      }));
    const conn = await mongoose.createConnection(m.uri, { dbName: 'app' }).asPromise();
    const coll = conn.db!.collection('bulk');
    for (let batch = 0; batch < 60; batch++) {
      await coll.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: batch * 100 + i, pad: 'p'.repeat(400) })) as any);
      await pending;
    }
    await engine.compact(); // everything in the snapshot: its size is the data's
    const data = fs.statSync(path.join(dir, 'snapshot.bson')).size;
    // ~2.6 MB loaded: a snapshot every 64 KB would write ~30 growing copies (~40 MB). A snapshot
    // holds a document in fewer bytes than the journal's insert op, so the geometric series
    // (a snapshot when the journal outgrows the last one) comes to about 3x, not 2x.
    expect(compactions).toBeGreaterThan(1);
    expect(snapshotBytes).toBeLessThan(4 * data);
    await conn.close();
    await m.stop();
  });
});
