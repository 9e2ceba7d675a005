// Benchmark against the compiled server (run `npm run build` first; `npm run bench` does).
// Prints inserts/s (100k docs via insertMany batches), p50/p99 of an indexed findOne over the
// driver, fast-path updates/s, a $group over 1M documents with memory use, and the people
// section: PEOPLE_MEMBERS (default 1M) member-shaped documents with the people service's
// indexes loaded through the wire, bytes per document, sorted pages and counts of a branch
// subtree, and the restart (recovery) time of that data directory.
// Env: GROUP_DOCS, PEOPLE_MEMBERS, BENCH_ONLY=people (skip the rest), BENCH_DIST (other build).
import { createRequire } from 'module';
import { performance } from 'perf_hooks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
const require = createRequire(import.meta.url);
const { startEmbeddedMongo } = require(process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST, 'index.js') : '../dist/index.js');
import { branches, member, rng, MEMBER_INDEXES } from './shapes.mjs';
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

const PEOPLE = Number(process.env.PEOPLE_MEMBERS ?? 1_000_000);

function pct(a, p) {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

async function timed(n, fn) {
  const lat = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    lat.push(performance.now() - s);
  }
  return `p50 ${pct(lat, 0.5).toFixed(2)} ms, p99 ${pct(lat, 0.99).toFixed(2)} ms`;
}

async function people(dbPath) {
  let server = await startEmbeddedMongo({ dbPath });
  let client = await new MongoClient(server.uri).connect();
  let coll = client.db('people').collection('members');
  for (const s of MEMBER_INDEXES) await coll.createIndex(s.key, { name: s.name, unique: !!s.unique });
  console.log(`\n== people: ${PEOPLE} members (people-service shapes and indexes), dbPath ${dbPath ? 'yes' : 'no'} ==`);
  global.gc?.();
  const m0 = process.memoryUsage();
  const r = rng(42);
  const paths = branches();
  let bson = 0;
  let t = performance.now();
  for (let b = 0; b < PEOPLE; b += 1000) {
    const docs = [];
    for (let i = b; i < Math.min(PEOPLE, b + 1000); i++) docs.push(member(r, paths));
    await coll.insertMany(docs, { ordered: false });
    if (b === 0) bson = docs.reduce((n, d) => n + require('bson').BSON.calculateObjectSize(d), 0) / docs.length;
  }
  let dt = performance.now() - t;
  console.log(`insertMany (batches of 1000, 4 secondary indexes): ${dt.toFixed(0)} ms = ${Math.round(PEOPLE / (dt / 1000))} docs/s`);
  global.gc?.();
  await new Promise((res) => setTimeout(res, 200));
  global.gc?.();
  const m1 = process.memoryUsage();
  const held = m1.heapUsed - m0.heapUsed + (m1.arrayBuffers - m0.arrayBuffers);
  console.log(
    `memory held: heapUsed +${mb(m1.heapUsed - m0.heapUsed)} + arrayBuffers +${mb(m1.arrayBuffers - m0.arrayBuffers)} = ${(held / PEOPLE).toFixed(0)} B/doc ` +
      `(BSON ${bson.toFixed(0)} B/doc, ~9 index entries/doc; rss ${mb(m1.rss)}, shared with the client in this process)`,
  );
  const root = paths[0][0];
  const prov = paths.filter((p) => p.length === 2)[20][1];
  const kinds = ['ADULT', 'YOUTH', 'GROUP'];
  console.log(
    `root subtree: ${await coll.countDocuments({ orgPath: root })} docs; a province: ${await coll.countDocuments({ orgPath: prov })}`,
  );
  console.log(
    `page of 21 of the root, sort _id:      ${await timed(50, () => coll.find({ orgPath: root }).sort({ _id: 1 }).limit(21).toArray())}`,
  );
  console.log(
    `same, sort _id:-1:                      ${await timed(50, () => coll.find({ orgPath: root }).sort({ _id: -1 }).limit(21).toArray())}`,
  );
  console.log(
    `page of 21, root + kind, sort _id:     ${await timed(30, (i) =>
      coll
        .find({ orgPath: root, kind: kinds[i % 3] })
        .sort({ _id: 1 })
        .limit(21)
        .toArray(),
    )}`,
  );
  console.log(
    `page of 21, province + kind, joinedOn: ${await timed(30, (i) =>
      coll
        .find({ orgPath: prov, kind: kinds[i % 3] })
        .sort({ joinedOn: -1 })
        .limit(21)
        .toArray(),
    )}`,
  );
  let last = await coll
    .find({ orgPath: root })
    .sort({ _id: 1 })
    .skip(500_000 % PEOPLE)
    .limit(1)
    .next();
  console.log(
    `keyset next page deep in the root:     ${await timed(30, async () => {
      const page = await coll
        .find({ $and: [{ orgPath: root }, { _id: { $gt: last._id } }] })
        .sort({ _id: 1 })
        .limit(21)
        .toArray();
      last = page[page.length - 1] ?? last;
    })}`,
  );
  console.log(`countDocuments root subtree:           ${await timed(30, () => coll.countDocuments({ orgPath: root }))}`);
  console.log(
    `countDocuments province + kind:        ${await timed(30, (i) => coll.countDocuments({ orgPath: prov, kind: kinds[i % 3] }))}`,
  );
  console.log(
    `count joinedOn range in a province:     ${await timed(30, () => coll.countDocuments({ orgPath: prov, kind: 'ADULT', joinedOn: { $gte: new Date('2016-01-01'), $lt: new Date('2019-01-01') } }))}`,
  );
  console.log(
    `count, residual field (root + gender):  ${await timed(5, () => coll.countDocuments({ orgPath: root, gender: 'MALE' }))} (matches ${await coll.countDocuments({ orgPath: root, gender: 'MALE' })}, not from an index)`,
  );
  const ex = await coll.find({ orgPath: root }).sort({ _id: 1 }).limit(21).explain('executionStats');
  console.log(
    `explain: ${JSON.stringify(ex.queryPlanner.winningPlan).includes('"SORT"') ? 'blocking SORT' : 'index walk (no SORT stage)'}, docs examined ${ex.executionStats.totalDocsExamined}`,
  );
  if (dbPath) {
    await client.close();
    t = performance.now();
    await server.stop();
    console.log(
      `clean stop (journal flushed, snapshot written): ${(performance.now() - t).toFixed(0)} ms; snapshot ${mb(fs.statSync(path.join(dbPath, 'snapshot.bson')).size)}`,
    );
    t = performance.now();
    server = await startEmbeddedMongo({ dbPath });
    dt = performance.now() - t;
    client = await new MongoClient(server.uri).connect();
    coll = client.db('people').collection('members');
    console.log(
      `restart (recovery of the snapshot, indexes rebuilt): ${dt.toFixed(0)} ms; ${await coll.countDocuments({ orgPath: root })} docs`,
    );
  }
  await client.close();
  await server.stop();
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-bench-'));
try {
  console.log(`node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model})`);
  if (process.env.BENCH_ONLY !== 'people') {
    await run('in memory', undefined);
    await run('with dbPath (journal + fdatasync per tick)', tmp);
    await group();
  }
  await people(undefined);
  await people(path.join(tmp, 'people'));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
