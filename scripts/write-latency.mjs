// The latency of single writes through the gateway (issue 22, item 2): `registerMember` into
// county branches of eight provinces, one at a time or from several writers at once, on the
// default dataset. Prints the gateway round trip's percentiles next to the people subgraph's own
// time for the same requests (its request log), and the database's write conflicts.
//
// Also prints each process's CPU per write (from /proc), which hardly moves when other jobs share
// the machine, so two builds can be compared where writes/s cannot. The first --warmup writes
// (connection pools, compiled queries: the first takes ~1 s) are not in the figures.
//
//   node scripts/write-latency.mjs [--writes 300] [--writers 1] [--warmup 40] [--port 4700] [--root <checkout>]
//                                  [--scale national --data <dir>]
//
// --scale national writes into the national dataset, kept in --data (loaded there first when
// it is not: ~9 min), the same directory format as `npm run bench -- --data <dir>`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseCli } from './cli.mjs';

const { values } = parseCli({
  usage: 'node scripts/write-latency.mjs [--writes 300] [--writers 1] [--port 4700] [--root <checkout>] [--scale national --data <dir>]',
  description:
    'registerMember through the gateway of a default-dataset stack started for the run, by N writers in counties of eight provinces; prints writes/s, p50/p99 and the write conflicts the database counted.',
  options: {
    root: { type: 'string', default: process.cwd(), description: 'the checkout whose built stack is measured' },
    port: { type: 'string', default: '4700', integer: [1024, 65529], description: "the stack's base port" },
    writes: { type: 'string', default: '300', integer: [1, 100000], description: 'writes in all' },
    writers: { type: 'string', default: '1', integer: [1, 64], description: 'concurrent writers' },
    warmup: { type: 'string', default: '40', integer: [0, 10000], description: 'writes first, not measured' },
    duplicates: {
      type: 'string',
      default: '0',
      integer: [0, 10000],
      description: 'then registers this many of the same people again, one at a time: each must be refused as CONFLICT',
    },
    scale: { type: 'string', default: 'default', choices: ['default', 'national'], description: 'the dataset written into' },
    data: { type: 'string', description: 'where the dataset is kept (required with --scale national; reused when loaded there before)' },
  },
});
const root = resolve(values.root);
const require = createRequire(join(root, 'packages/bench/package.json'));
const { Stack, readDatasetMarker } = require('./dist/stack.js');
if (values.scale === 'national' && !values.data) throw new Error('--scale national needs --data <dir> (it takes ~9 min to load)');
const data = values.data ? resolve(values.data) : null;
const kept = data ? readDatasetMarker(data, values.scale) : null;
const { Authenticator, LOG_FLUSH_MS = 0 } = require('@rcsc/service-kit');
const { nationalId, buildBranchTree } = require('@rcsc/dataset');
const { withCheckDigit } = require('@rcsc/personal-data');
const mongoose = require('mongoose');
const { Agent, request } = require('undici');
const dispatcher = new Agent({ connections: 64 });

Object.assign(process.env, {
  AUTH_JWT_SECRET: randomBytes(32).toString('base64'),
  // A kept dataset's identity numbers were encrypted with its own key.
  PERSONAL_DATA_KEY: kept?.personalDataKey ?? randomBytes(32).toString('base64'),
  GATEWAY_RATE_LIMIT: 'off',
});
const token = await Authenticator.fromEnv().sign({ sub: 'bench:admin', org: nationalId(), roles: ['ADMIN'], name: 'Benchmark' });

// Counties of eight provinces, round robin: writes spread over the country.
const tree = buildBranchTree();
const provinces = tree.filter((b) => b.level === 'PROVINCIAL' && b.divisionCode).slice(0, 8);
const counties = provinces.map((p) => tree.filter((b) => b.level === 'COUNTY' && b.ancestorIds.includes(p.id) && b.divisionCode));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const cpuTicks = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
};
const summary = (xs) =>
  `p50 ${pct(xs, 50).toFixed(1)}  p90 ${pct(xs, 90).toFixed(1)}  p99 ${pct(xs, 99).toFixed(1)}  max ${Math.max(...xs).toFixed(1)} ms`;

const stack = new Stack(Number(values.port), {
  AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET,
  PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY,
  GATEWAY_RATE_LIMIT: 'off',
});
let client;
try {
  const quiet = values.scale === 'default';
  await stack.openDataset(values.scale, data, kept, (line) => quiet || console.log(line));
  // A service's restart against a running database: spawned until /ready (the five at once).
  let t0 = performance.now();
  await stack.startSubgraphs();
  const subgraphsS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const url = await stack.startOurGateway();
  console.log(
    `subgraphs ready ${subgraphsS.toFixed(1)} s after they were started, the gateway ${((performance.now() - t0) / 1000).toFixed(1)} s after it`,
  );
  client = await mongoose.mongo.MongoClient.connect(stack.mongoUri);
  const conflicts = async () =>
    Number((await client.db('admin').admin().command({ serverStatus: 1 })).metrics?.operation?.writeConflicts ?? 0);
  const conflictsBefore = await conflicts();
  const warmup = Number(values.warmup);
  const total = Number(values.writes);
  let ms = [];
  let failed = 0;
  let refusedAsConflict = 0;
  let duplicatePhase = false;
  let next = 0;
  let end = warmup;
  const personBase = kept ? 1000 * Math.floor(Math.random() * 13_000) : 0;
  const writer = async () => {
    for (;;) {
      // Checked before taking a number: a writer that stops must not use one up (the next phase starts there).
      if (next >= end) return;
      const i = next++;
      const list = counties[i % counties.length];
      const county = list[Math.floor(i / counties.length) % list.length];
      // A different person for every write: birth date and sequence number from i (and the run's
      // own block of people in a kept dataset, which earlier runs wrote into).
      const p = i + personBase;
      const born = `19${60 + (Math.floor(p / 336_000) % 40)}${String(1 + (Math.floor(p / 28_000) % 12)).padStart(2, '0')}${String(1 + (Math.floor(p / 1000) % 28)).padStart(2, '0')}`;
      const id = withCheckDigit(`${county.divisionCode}${born}${String(p % 1000).padStart(3, '0')}`);
      const t = performance.now();
      // undici's request, not fetch: the client shares the two cores with the stack, so it should cost little.
      const res = await request(url, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': `write-${i}` },
        body: JSON.stringify({
          query: 'mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }',
          variables: { input: { organizationId: county.id, kind: 'ADULT', name: `测试${i}`, idNumber: id, joinedOn: '2026-11-01' } },
        }),
      });
      const body = await res.body.json();
      ms.push(performance.now() - t);
      if (duplicatePhase && !body.errors) console.log(`duplicate ${i} was accepted: ${JSON.stringify(body.data)}`);
      if (body.errors) {
        failed++;
        if (body.errors[0]?.extensions?.code === 'CONFLICT') refusedAsConflict++;
        else if (duplicatePhase) console.log(`duplicate ${i}: ${JSON.stringify(body.errors).slice(0, 300)}`);
        if (failed <= 3 && !duplicatePhase) console.log(`write ${i} failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
      }
    }
  };
  const writers = () => Promise.all(Array.from({ length: Number(values.writers) }, () => writer()));
  await writers();
  const warm = ms;
  ms = [];
  failed = 0;
  end = warmup + total;
  await stack.settle();
  const ticks = () => stack.children.map((c) => cpuTicks(c.proc.pid));
  // What the stack spends doing nothing (feed polls, roll-ups), taken off the writes' CPU as 'net'.
  const idle0 = ticks();
  await new Promise((r) => setTimeout(r, 5_000));
  const idle1 = ticks();
  const idleMsPerS = (idle1.reduce((a, b) => a + b, 0) - idle0.reduce((a, b) => a + b, 0)) * 2;
  const idleEach = stack.children.map((c, i) => `${c.name} ${(idle1[i] - idle0[i]) * 2}`).join(', ');
  const before = ticks();
  const client0 = process.cpuUsage();
  const started = performance.now();
  await writers();
  const seconds = (performance.now() - started) / 1000;
  const cpu = ticks().map((t, i) => ((t - before[i]) * 10) / total);
  const idlePerWrite = (idleMsPerS * seconds) / total;
  const { user, system } = process.cpuUsage(client0);
  // The people subgraph's own time for each of these requests (its "request" log lines, in
  // its log once the logger's buffer is flushed; a checkout before the buffer has no interval).
  await new Promise((r) => setTimeout(r, 2 * LOG_FLUSH_MS));
  const people = readFileSync(join(stack.dir, 'people.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"requestId":"write-') && l.includes('"msg":"request"'))
    .map((l) => JSON.parse(l))
    .filter((l) => Number(l.requestId.slice('write-'.length)) >= warmup)
    .map((l) => l.ms);
  console.log(`${total} registerMember, ${values.writers} writer(s), ${(total / seconds).toFixed(1)} writes/s, ${failed} failed`);
  console.log(`  through the gateway: ${summary(ms)}`);
  console.log(`  in the people subgraph: ${summary(people)}`);
  console.log(`  write conflicts: ${(await conflicts()) - conflictsBefore}`);
  console.log(
    `  CPU ms per write: ${stack.children.map((c, i) => `${c.name} ${cpu[i].toFixed(2)}`).join(', ')}; all ${cpu.reduce((a, b) => a + b, 0).toFixed(2)}, net of idle (${idleMsPerS} ms/s) ${(cpu.reduce((a, b) => a + b, 0) - idlePerWrite).toFixed(2)}; this client ${((user + system) / 1000 / total).toFixed(2)}`,
  );
  console.log(`  idle CPU ms/s: ${idleEach}`);
  if (Number(values.duplicates) > 0) {
    // The same people again: the one-membership rule looks them up by their key (currentKey).
    const measured = ms;
    ms = [];
    failed = 0;
    refusedAsConflict = 0;
    duplicatePhase = true;
    next = warmup;
    end = warmup + Math.min(Number(values.duplicates), total);
    await writer();
    console.log(`  ${ms.length} registrations of people already members: ${refusedAsConflict} refused as CONFLICT; ${summary(ms)}`);
    ms = measured;
  }
  if (warm.length) console.log(`  the ${warm.length} warm-up writes before: ${summary(warm)}`);
} finally {
  await client?.close();
  await dispatcher.close();
  await stack.stop();
}
