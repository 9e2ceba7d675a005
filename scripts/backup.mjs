// npm run backup -- <dir>            every database of MONGODB_URI, or of the embedded server
// npm run restore -- <dir> [--drop]  (the running one of npm start, else data/db opened here)
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ROOT } from './stack.mjs';
import { parseCli } from './cli.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const { backup, restore } = require('@rcsc/backup');
const mongoose = require('mongoose');

const mode = process.argv[2];
if (mode !== 'backup' && mode !== 'restore') {
  console.error('usage: node scripts/backup.mjs backup|restore ... (npm run backup / npm run restore)');
  process.exit(2);
}
const { values, positionals } = parseCli({
  argv: process.argv.slice(3),
  usage: mode === 'backup' ? 'npm run backup -- <dir>' : 'npm run restore -- <dir> [--drop]',
  description:
    mode === 'backup'
      ? 'Copies every database of MONGODB_URI, or of the embedded server (running or not), into a new folder.'
      : 'Loads a backup folder into MONGODB_URI or the embedded server.',
  options: mode === 'restore' ? { drop: { type: 'boolean', default: false, description: 'empty each collection before loading it' } } : {},
  positionals: { min: 1, max: 1, names: '<dir>' },
});
const drop = values.drop === true;
const dir = positionals[0];
const target = resolve(dir);
if (mode === 'backup' && existsSync(target) && readdirSync(target).length) {
  console.error(`${target} is not empty: back up into a new folder`);
  process.exit(2);
}

/** MONGODB_URI, else the embedded server npm start runs, else data/db opened by this process. */
async function server() {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => {} };
  const running = `mongodb://127.0.0.1:${process.env.MONGO_PORT ?? 27018}/?directConnection=true`;
  try {
    const client = await mongoose.mongo.MongoClient.connect(running, { serverSelectionTimeoutMS: 1000 });
    await client.close();
    return { uri: running, stop: async () => {} };
  } catch {
    const dbPath = process.env.EMBEDDED_MONGO_DBPATH ?? join(ROOT, 'data', 'db');
    mkdirSync(dbPath, { recursive: true });
    const { startEmbeddedMongo } = require('@rcsc/embedded-mongo');
    return startEmbeddedMongo({ dbPath });
  }
}

/**
 * A restore writes outside any mutation: move every service database's data version (with a
 * new `since`, as the restored version document may be an old one), so gateways drop cached answers.
 */
async function bumpRestored(uri) {
  const { bumpDataVersion } = require('@rcsc/service-kit');
  const client = await mongoose.mongo.MongoClient.connect(uri);
  try {
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) if (name.startsWith('rcsc_')) await bumpDataVersion(client.db(name));
  } finally {
    await client.close();
  }
}

const db = await server();
const started = Date.now();
const progress = (e) => console.log(`  ${e.db}.${e.collection}: ${e.documents} documents`);
try {
  if (mode === 'backup') {
    mkdirSync(target, { recursive: true });
    const manifest = await backup(db.uri, target, progress);
    if (!manifest.pointInTime)
      console.error(
        'note: this server (a standalone mongod) has no snapshot reads, so collections were copied one after another: for a consistent copy stop the writers first, or use a replica set (mongodump --oplog, docs/deployment.md)',
      );
  } else {
    await restore(db.uri, target, { drop, onProgress: progress });
    await bumpRestored(db.uri);
  }
  console.log(`${mode} of ${target} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`${mode} failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  await db.stop();
}
