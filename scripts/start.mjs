// npm start: the embedded database (persisted under data/, loaded with the national dataset on
// first start; or MONGODB_URI), every subgraph and the gateway. Ctrl-C stops everything cleanly.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, SUBGRAPHS, loadDataset } from './stack.mjs';
import { loadKeys } from './keys.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const GATEWAY_PORT = Number(process.env.PORT ?? 4000);
const children = [];
let mongo;
let stopping = false;

async function waitReady(name, url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become ready at ${url} within 60 s`);
}

function startProcess(name, script, env) {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.error('\nstopping: gateway and subgraphs drain their requests first');
  // The gateway first, so no new requests reach the subgraphs while they drain.
  for (const { child } of [...children].reverse()) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  if (mongo) await mongo.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

async function main() {
  // Keys for tokens and personal data, made on first start; every process gets them.
  Object.assign(process.env, loadKeys());
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    const dbPath = process.env.EMBEDDED_MONGO_DBPATH ?? join(ROOT, 'data', 'db');
    mkdirSync(dbPath, { recursive: true });
    const { startEmbeddedMongo } = require('@rcsc/embedded-mongo');
    mongo = await startEmbeddedMongo({ port: Number(process.env.MONGO_PORT ?? 27018), dbPath });
    uri = mongo.uri;
    console.log(`embedded database: ${uri} (data in ${dbPath})`);
  }
  // First start: load the national dataset (idempotent, so an interrupted load just resumes).
  const { MongoClient } = require('mongoose').mongo;
  const client = await MongoClient.connect(uri);
  const meta = client.db('rcsc_meta').collection('datasets');
  if (!(await meta.findOne({ _id: 'national' }))) {
    console.log('loading the national dataset (first start)…');
    await loadDataset(uri);
    await meta.updateOne({ _id: 'national' }, { $set: { loadedAt: new Date() } }, { upsert: true });
  }
  await client.close();

  for (const s of SUBGRAPHS) {
    const child = startProcess(s.name, join(ROOT, 'services', s.name, 'dist', 'index.js'), { MONGODB_URI: uri, PORT: String(s.port) });
    await waitReady(s.name, `http://127.0.0.1:${s.port}/ready`, child);
  }
  const gateway = startProcess('gateway', join(ROOT, 'gateway', 'dist', 'index.js'), { PORT: String(GATEWAY_PORT) });
  await waitReady('gateway', `http://127.0.0.1:${GATEWAY_PORT}/ready`, gateway);
  const { Authenticator } = require('@rcsc/service-kit');
  const { nationalId } = require('@rcsc/dataset');
  const token = await Authenticator.fromEnv().sign({
    sub: 'dev:admin:national',
    org: nationalId(),
    roles: ['ADMIN'],
    name: 'National admin (dev)',
  });
  console.log(`
  gateway   http://localhost:${GATEWAY_PORT}/graphql
  explorer  http://localhost:${GATEWAY_PORT}/explorer#token=${token}
  token     (national ADMIN, 12 h; send as "Authorization: Bearer <token>"; more with npm run token)
  ${token}
  Ctrl-C stops everything.`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  void stop(1);
});
