// Bytes per stored document: N members (+ ~3.3 dues each) of the people service's shapes,
// deserialized from BSON as the wire does, inserted through the engine with the models'
// indexes. Prints heap and RSS per document, load time and index-served read timings.
// Usage: node --expose-gc bench/memory.mjs [members=200000] [distDir=../dist]
import { createRequire } from 'module';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { fileURLToPath } from 'url';
import { branches, dues, member, rng, MEMBER_INDEXES, DUES_INDEXES } from './shapes.mjs';
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const N = Number(process.argv[2] ?? 200_000);
const dist = path.resolve(here, process.argv[3] ?? '../dist');
const { Engine } = require(path.join(dist, 'storage.js'));
const { BSON } = require('bson');
const DESER = { promoteLongs: true, promoteValues: true, promoteBuffers: false };

const gc = () => {
  for (let i = 0; i < 3; i++) global.gc?.();
};
const mb = (n) => (n / 1048576).toFixed(0) + ' MB';

const r = rng(42);
const paths = branches();
gc();
const m0 = process.memoryUsage();
const engine = Engine.open();
const members = engine.ensureCollection('people', 'members');
const duesColl = engine.ensureCollection('people', 'duesPayments');
if (!process.env.NOIDX) for (const s of MEMBER_INDEXES) engine.createIndex(members, s);
if (!process.env.NOIDX) for (const s of DUES_INDEXES) engine.createIndex(duesColl, s);
let nd = 0;
let bsonBytes = 0;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const m = member(r, paths);
  const bm = BSON.serialize(m);
  bsonBytes += bm.length;
  engine.insert(members, BSON.deserialize(bm, DESER), null);
  const k = Math.floor(r() * 7);
  for (let j = 0; j < k; j++) {
    const b = BSON.serialize(dues(r, m, j));
    bsonBytes += b.length;
    engine.insert(duesColl, BSON.deserialize(b, DESER), null);
    nd++;
  }
}
const loadMs = performance.now() - t0;
gc();
const m1 = process.memoryUsage();
const docs = N + nd;
console.log(`node ${process.version}; dist ${path.relative(process.cwd(), dist) || '.'}`);
console.log(
  `${N} members + ${nd} dues = ${docs} docs, BSON ${(bsonBytes / docs).toFixed(0)} B/doc, load ${loadMs.toFixed(0)} ms (${Math.round(docs / (loadMs / 1000))} docs/s through the engine)`,
);
console.log(
  `heapUsed +${mb(m1.heapUsed - m0.heapUsed)} = ${((m1.heapUsed - m0.heapUsed) / docs).toFixed(0)} B/doc; ` +
    `rss +${mb(m1.rss - m0.rss)} = ${((m1.rss - m0.rss) / docs).toFixed(0)} B/doc; arrayBuffers (slabs) +${mb(m1.arrayBuffers - m0.arrayBuffers)}`,
);
globalThis.__keep = engine;
