import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { BSON, type Document } from 'bson';
import mongoose from 'mongoose';

/** Databases that belong to the server itself, never backed up. */
const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

export interface Manifest {
  format: 'rcsc-backup/1';
  createdAt: string;
  /** Collection files are gzip-compressed (<name>.bson.gz); absent in older backups (<name>.bson). */
  compression?: 'gzip';
  /**
   * Whether every collection was read at one point in time (absent or false in older backups,
   * copied collection by collection): see `consistency` for how.
   */
  pointInTime?: boolean;
  /**
   * How the point in time was held: `transaction`, one read-only snapshot transaction over every
   * database (the embedded server); `snapshot`, one snapshot session (a MongoDB 5+ replica set);
   * `none`, collection after collection (a standalone mongod: writes in between show).
   */
  consistency?: 'transaction' | 'snapshot' | 'none';
  databases: Record<string, Record<string, { count: number; indexes: Document[] }>>;
}

export type Progress = (event: { db: string; collection: string; documents: number }) => void;

type Consistency = NonNullable<Manifest['consistency']>;

/**
 * How this server gives one point in time for every read. The embedded server keeps a
 * transaction's snapshot across databases (packages/embedded-mongo README) but has no snapshot
 * reads outside one after a write; a MongoDB 5+ replica-set member has snapshot sessions; a
 * standalone mongod has neither (back up with `mongodump --oplog`, docs/deployment.md).
 */
async function consistencyOf(client: mongoose.mongo.MongoClient): Promise<Consistency> {
  const admin = client.db('admin');
  const hello = (await admin.command({ hello: 1 })) as { setName?: string };
  const build = (await admin.command({ buildInfo: 1 })) as { version?: string; gitVersion?: string };
  if (build.gitVersion === 'embedded-mongo') return 'transaction';
  return hello.setName && Number(build.version?.split('.')[0]) >= 5 ? 'snapshot' : 'none';
}

/** A collection created after the snapshot began (246), or any other transient transaction error: start again. */
function isTransient(err: unknown): boolean {
  const e = err as { code?: number; errorLabels?: string[]; hasErrorLabel?: (l: string) => boolean };
  return (
    e?.code === 246 || Boolean(e?.hasErrorLabel?.('TransientTransactionError') || e?.errorLabels?.includes('TransientTransactionError'))
  );
}

/**
 * Writes every user database of the server at `uri` to `dir`, one gzip-compressed BSON file per
 * collection (the documents back to back, as mongodump writes them) plus a manifest with counts
 * and indexes. Every collection is read at one point in time where the server allows it (see
 * consistencyOf), so records and the counters kept beside them agree after a restore.
 */
export async function backup(uri: string, dir: string, onProgress?: Progress): Promise<Manifest> {
  const client = await mongoose.mongo.MongoClient.connect(uri);
  try {
    const consistency = await consistencyOf(client);
    for (let attempt = 1; ; attempt++) {
      try {
        return await backupOnce(client, dir, consistency, onProgress);
      } catch (err) {
        if (attempt >= 5 || !isTransient(err)) throw err;
      }
    }
  } finally {
    await client.close();
  }
}

async function backupOnce(
  client: mongoose.mongo.MongoClient,
  dir: string,
  consistency: Consistency,
  onProgress?: Progress,
): Promise<Manifest> {
  // The collections and their indexes first: neither listCollections nor listIndexes may run
  // inside a transaction, and the snapshot must begin before the first document is read.
  const plan: { db: string; collection: string; indexes: Document[] }[] = [];
  const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
  for (const { name } of databases) {
    if (SYSTEM_DATABASES.has(name)) continue;
    const db = client.db(name);
    for (const info of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (info.name.startsWith('system.')) continue;
      const indexes = (await db.collection(info.name).listIndexes().toArray()).filter((i) => i.name !== '_id_');
      plan.push({ db: name, collection: info.name, indexes });
    }
  }
  const session = consistency === 'none' ? undefined : client.startSession(consistency === 'snapshot' ? { snapshot: true } : {});
  // Read-only: the transaction is never committed, only ended.
  if (consistency === 'transaction') session!.startTransaction({ readConcern: { level: 'snapshot' } });
  try {
    const manifest: Manifest = {
      format: 'rcsc-backup/1',
      createdAt: new Date().toISOString(),
      compression: 'gzip',
      pointInTime: consistency !== 'none',
      consistency,
      databases: Object.fromEntries([...new Set(databases.map((d) => d.name))].filter((n) => !SYSTEM_DATABASES.has(n)).map((n) => [n, {}])),
    };
    for (const { db: name, collection, indexes } of plan) {
      mkdirSync(join(dir, name), { recursive: true });
      const coll = client.db(name).collection(collection);
      const bson = new PassThrough();
      const written = pipeline(bson, createGzip(), createWriteStream(join(dir, name, `${collection}.bson.gz`)));
      let count = 0;
      try {
        for await (const doc of coll.find({}, { batchSize: 5000, session })) {
          if (!bson.write(BSON.serialize(doc))) await once(bson, 'drain');
          count++;
        }
      } finally {
        bson.end();
        await written;
      }
      manifest.databases[name][collection] = { count, indexes };
      onProgress?.({ db: name, collection, documents: count });
    }
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    return manifest;
  } finally {
    if (session?.inTransaction()) await session.abortTransaction().catch(() => undefined);
    await session?.endSession();
  }
}

async function* readBsonFile(path: string): AsyncGenerator<Document> {
  let pending: Buffer = Buffer.alloc(0);
  const input = path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  for await (const chunk of input) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let offset = 0;
    while (pending.length - offset >= 4) {
      const size = pending.readInt32LE(offset);
      if (size < 5) throw new Error(`${path}: corrupt BSON document at byte ${offset}`);
      if (pending.length - offset < size) break;
      yield BSON.deserialize(pending.subarray(offset, offset + size), { promoteValues: true });
      offset += size;
    }
    pending = pending.subarray(offset);
  }
  if (pending.length) throw new Error(`${path}: truncated (${pending.length} bytes after the last document)`);
}

/**
 * Restores a backup into the server at `uri`. The target databases must be empty unless
 * `drop` is set (then each restored collection is dropped first); indexes are built before
 * documents are inserted, so unique constraints hold on the restored data.
 */
export async function restore(uri: string, dir: string, opts: { drop?: boolean; onProgress?: Progress } = {}): Promise<Manifest> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${dir} is not a backup: no manifest.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  if (manifest.format !== 'rcsc-backup/1') throw new Error(`${dir}: unknown backup format ${String(manifest.format)}`);
  const client = await mongoose.mongo.MongoClient.connect(uri);
  try {
    for (const [dbName, collections] of Object.entries(manifest.databases)) {
      const db = client.db(dbName);
      const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
      for (const name of Object.keys(collections)) {
        if (!existing.has(name)) continue;
        if (!opts.drop && (await db.collection(name).estimatedDocumentCount()) > 0) {
          throw new Error(`${dbName}.${name} is not empty: restore into an empty server, or pass --drop`);
        }
        await db.collection(name).drop();
      }
    }
    for (const [dbName, collections] of Object.entries(manifest.databases)) {
      const db = client.db(dbName);
      const files = new Set(existsSync(join(dir, dbName)) ? readdirSync(join(dir, dbName)) : []);
      for (const [name, meta] of Object.entries(collections)) {
        const coll = db.collection(name);
        await db.createCollection(name);
        if (meta.indexes.length) {
          await coll.createIndexes(meta.indexes.map(({ v: _v, ns: _ns, ...spec }) => spec as never));
        }
        let batch: Document[] = [];
        let count = 0;
        const file = [`${name}.bson.gz`, `${name}.bson`].find((f) => files.has(f));
        if (file) {
          for await (const doc of readBsonFile(join(dir, dbName, file))) {
            batch.push(doc);
            if (batch.length === 1000) {
              await coll.insertMany(batch, { ordered: true });
              count += batch.length;
              batch = [];
            }
          }
        }
        if (batch.length) await coll.insertMany(batch, { ordered: true });
        count += batch.length;
        if (count !== meta.count) throw new Error(`${dbName}.${name}: restored ${count} documents, the manifest says ${meta.count}`);
        opts.onProgress?.({ db: dbName, collection: name, documents: count });
      }
    }
    return manifest;
  } finally {
    await client.close();
  }
}
