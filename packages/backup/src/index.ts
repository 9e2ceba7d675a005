import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { BSON, type Document } from 'bson';
import mongoose from 'mongoose';

/** Databases that belong to the server itself, never backed up. */
const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

export interface Manifest {
  format: 'rcsc-backup/1';
  createdAt: string;
  databases: Record<string, Record<string, { count: number; indexes: Document[] }>>;
}

export type Progress = (event: { db: string; collection: string; documents: number }) => void;

/**
 * Writes every user database of the server at `uri` to `dir`, one BSON file per collection (the
 * documents back to back, as mongodump writes them) plus a manifest with counts and indexes.
 */
export async function backup(uri: string, dir: string, onProgress?: Progress): Promise<Manifest> {
  const client = await mongoose.mongo.MongoClient.connect(uri);
  try {
    const manifest: Manifest = { format: 'rcsc-backup/1', createdAt: new Date().toISOString(), databases: {} };
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) {
      if (SYSTEM_DATABASES.has(name)) continue;
      const db = client.db(name);
      manifest.databases[name] = {};
      mkdirSync(join(dir, name), { recursive: true });
      for (const info of await db.listCollections({}, { nameOnly: true }).toArray()) {
        const coll = db.collection(info.name);
        const out = createWriteStream(join(dir, name, `${info.name}.bson`));
        let count = 0;
        for await (const doc of coll.find({}, { batchSize: 5000 })) {
          if (!out.write(BSON.serialize(doc))) await once(out, 'drain');
          count++;
        }
        out.end();
        await once(out, 'finish');
        const indexes = (await coll.listIndexes().toArray()).filter((i) => i.name !== '_id_');
        manifest.databases[name][info.name] = { count, indexes };
        onProgress?.({ db: name, collection: info.name, documents: count });
      }
    }
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    return manifest;
  } finally {
    await client.close();
  }
}

async function* readBsonFile(path: string): AsyncGenerator<Document> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
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
        if (files.has(`${name}.bson`)) {
          for await (const doc of readBsonFile(join(dir, dbName, `${name}.bson`))) {
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
