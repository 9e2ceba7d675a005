// Benchmark against the compiled server (run `npm run build` first; `npm run bench` does).
// Prints inserts/s (100k docs via insertMany batches), p50/p99 of an indexed findOne over the
// driver, fast-path updates/s, and a $group over 1M documents with memory use.
import { createRequire } from 'module';
import { performance } from 'perf_hooks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
const require = createRequire(import.meta.url);
const { startEmbeddedMongo } = require('../dist/index.js');
const { MongoClient } = require('mongoose').mongo;

const mb = (n) => (n / 1048576).toFixed(0) + ' MB';
const GROUP_DOCS = Number(process.env.GROUP_DOCS ?? 1_000_000);

async function run(label, dbPath) {
  const server = await startEmbeddedMongo({ dbPath });
  const client = await new MongoClient(server.uri).connect();
  const db = client.db('bench');
  const coll = db.collection('items');
  await coll.createIndex({ email: 1 }, { unique: true });
  console.log(`\n== ${label} ==`);

  // 100k inserts, insertMany batches of 1000
  const N = 100_000;
  let t = performance.now();
  for (let b = 0; b < N; b += 1000) {
    const docs = [];
    for (let i = b; i < b + 1000; i++) docs.push({ email: `user${i}@example.org`, name: `User ${i}`, age: i % 90, city: `c${i % 50}` });
    await coll.insertMany(docs);
  }
  let dt = performance.now() - t;
  console.log(`insertMany 100k docs: ${dt.toFixed(0)} ms = ${Math.round(N / (dt / 1000))} inserts/s`);

  // indexed findOne latency
  const lat = [];
  for (let i = 0; i < 5000; i++) {
    const k = (i * 7919) % N;
    const s = performance.now();
    const d = await coll.findOne({ email: `user${k}@example.org` });
    lat.push(performance.now() - s);
    if (!d) throw new Error('missing doc');
  }
  lat.sort((a, b) => a - b);
  console.log(
    `indexed findOne over the driver: p50 ${lat[Math.floor(lat.length * 0.5)].toFixed(3)} ms, p99 ${lat[Math.floor(lat.length * 0.99)].toFixed(3)} ms (5000 queries)`,
  );

  // bulk updates on indexed equality + $set/$inc
  t = performance.now();
  for (let b = 0; b < N; b += 1000) {
    const ops = [];
    for (let i = b; i < b + 1000; i++)
      ops.push({ updateOne: { filter: { email: `user${i}@example.org` }, update: { $set: { seen: true }, $inc: { visits: 1 } } } });
    await coll.bulkWrite(ops, { ordered: false });
  }
  dt = performance.now() - t;
  console.log(`bulkWrite updateOne 100k: ${dt.toFixed(0)} ms = ${Math.round(N / (dt / 1000))} updates/s`);
  await client.close();
  await server.stop();
}

async function group() {
  const server = await startEmbeddedMongo({});
  const client = await new MongoClient(server.uri).connect();
  const coll = client.db('bench').collection('big');
  let t = performance.now();
  const batch = 10_000;
  for (let b = 0; b < GROUP_DOCS; b += batch) {
    const docs = [];
    for (let i = b; i < b + batch; i++) docs.push({ k: i % 100, v: i % 1000, s: 'x' + (i % 10) });
    await coll.insertMany(docs, { ordered: false });
  }
  console.log(`\n== $group over ${GROUP_DOCS} docs (in memory) ==`);
  console.log(`load: ${(performance.now() - t).toFixed(0)} ms`);
  global.gc?.();
  const m0 = process.memoryUsage();
  console.log(
    `memory after load: rss ${mb(m0.rss)}, heapUsed ${mb(m0.heapUsed)} (~${(m0.heapUsed / GROUP_DOCS).toFixed(0)} B/doc incl. everything)`,
  );
  t = performance.now();
  const res = await coll.aggregate([{ $group: { _id: '$k', total: { $sum: '$v' }, avg: { $avg: '$v' }, n: { $sum: 1 } } }]).toArray();
  const dt = performance.now() - t;
  const m1 = process.memoryUsage();
  console.log(
    `$group (100 groups, $sum/$avg/count): ${dt.toFixed(0)} ms, ${res.length} groups; rss ${mb(m1.rss)}, heapUsed ${mb(m1.heapUsed)}`,
  );
  await client.close();
  await server.stop();
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-bench-'));
try {
  console.log(`node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model})`);
  await run('in memory', undefined);
  await run('with dbPath (journal + fdatasync per tick)', tmp);
  await group();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
