// npm run bench [-- --scale national|default] [--data <dir>] [--reload] [--duration 10]
//                  [--connections 20] [--samples 20] [--no-hive] [--no-router-runtime]
//                  [--no-ours-nocache] [--only profile,annex1] [--keep-logs] [--no-reorganization] [--port 4100]
// Starts the stack (the database, the dataset, five subgraphs), then drives our gateway
// and Hive Gateway with the same operations for a fixed time each, and prints req/s, p50, p99,
// database commands and subgraph requests per gateway request, side by side (issue 9).
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { nationalId } from '@rcsc/dataset';
import { Authenticator, LOG_FLUSH_MS, parseCli } from '@rcsc/service-kit';
import { buildOperations, requestBody, seededRandom, type Operation } from './operations';
import { REPO_ROOT } from '@rcsc/gateway/dist/subgraphs';
import { measureReorganization } from './reorganization';
import { mixWithWrites } from './writes';
import { BENCH_REQUEST_ID, Stack, readDatasetMarker, type Scale } from './stack';

interface Options {
  scale: Scale;
  /** Where the database keeps the dataset between runs (national: data/bench-national); null: in memory. */
  data: string | null;
  /** Load the dataset again even if `data` holds one. */
  reload: boolean;
  duration: number;
  connections: number;
  hive: boolean;
  routerRuntime: boolean;
  /** Also run Hive Gateway with its response cache (per viewer, our maximum age). */
  hiveCache: boolean;
  /** Share of the requests of the 'mix+writes' row that are writes (0: no such row). */
  writeShare: number;
  /** Also run our gateway with GATEWAY_RESPONSE_CACHE=off. */
  noCache: boolean;
  only: string[] | null;
  keepLogs: boolean;
  reorganization: boolean;
  /** Requests sent one at a time per operation to count database commands and subgraph requests. */
  samples: number;
  port: number;
}

/** Strict: --help prints the flags, an unknown flag or a bad value exits 2 (no stack trace). */
function parseOptions(argv: string[]): Options {
  const { values: v } = parseCli({
    argv,
    usage: 'npm run bench -- [--scale national|default] [--duration 10] [--connections 20] [--only profile,annex1] ...',
    description: 'Starts the stack, then drives our gateway and Hive Gateway with the same operations and prints them side by side.',
    options: {
      scale: { type: 'string', default: 'national', choices: ['national', 'default'], description: 'the dataset' },
      data: { type: 'string', description: 'where the dataset is kept between runs (national: data/bench-national; default: in memory)' },
      reload: { type: 'boolean', description: 'load the dataset again even if --data holds one' },
      duration: { type: 'string', default: '10', number: [0.1, 3600], description: 'seconds per gateway and operation' },
      connections: { type: 'string', default: '20', integer: [1, 1000], description: 'concurrent connections' },
      samples: { type: 'string', default: '20', integer: [0, 10000], description: 'one-at-a-time requests to count database commands' },
      port: { type: 'string', default: process.env.BENCH_PORT ?? '4100', integer: [1, 65535], description: 'first port used (BENCH_PORT)' },
      'no-hive': { type: 'boolean', description: 'skip Hive Gateway' },
      'no-router-runtime': { type: 'boolean', description: 'skip Hive Gateway with the Rust query planner' },
      'no-hive-cache': { type: 'boolean', description: 'skip Hive Gateway with its response cache' },
      writes: {
        type: 'string',
        default: '0.1',
        number: [0, 1],
        description:
          "share of writes in the 'mix+writes' row (registerMember, each checked by a read through the same gateway; they stay in a kept dataset); 0: no such row",
      },
      'no-ours-nocache': { type: 'boolean', description: 'skip our gateway without its response cache' },
      only: { type: 'string', description: 'comma-separated operation names' },
      'keep-logs': { type: 'boolean', description: "keep the processes' logs" },
      'no-reorganization': {
        type: 'boolean',
        description: 'skip moving a prefecture to another province at the end (it changes a kept dataset from today on)',
      },
    },
  });
  const scale = v.scale as Scale;
  const data = typeof v.data === 'string' ? resolve(v.data) : scale === 'national' ? join(REPO_ROOT, 'data', 'bench-national') : null;
  return {
    scale,
    // The national dataset takes long to load: it is kept on disk and reused by later runs.
    data,
    reload: v.reload === true,
    duration: Number(v.duration),
    connections: Number(v.connections),
    hive: v['no-hive'] !== true,
    routerRuntime: v['no-router-runtime'] !== true,
    hiveCache: v['no-hive-cache'] !== true,
    writeShare: Number(v.writes),
    noCache: v['no-ours-nocache'] !== true,
    only: typeof v.only === 'string' ? v.only.split(',') : null,
    keepLogs: v['keep-logs'] === true,
    reorganization: v['no-reorganization'] !== true,
    samples: Number(v.samples),
    port: Number(v.port),
  };
}

/** How often each operation comes up in the mix: pages more often than report tables. */
const MIX_WEIGHTS: Record<string, number> = { profile: 3, units: 2, members: 2, instructors: 1, annex1: 1, annex2: 1 };

interface Target {
  name: string;
  url: string;
}

const log = (line: string) => process.stdout.write(line + '\n');

async function opcounterTotal(admin: mongoose.mongo.Admin): Promise<number> {
  const status = (await admin.command({ serverStatus: 1 })) as { opcounters: Record<string, number> };
  return Object.values(status.opcounters).reduce((s, n) => s + n, 0);
}

/** Transactions the database aborted with WriteConflict since it started (serverStatus, as mongod reports it). */
async function writeConflicts(admin: mongoose.mongo.Admin): Promise<number> {
  const status = (await admin.command({ serverStatus: 1 })) as { metrics?: { operation?: { writeConflicts?: unknown } } };
  return Number(status.metrics?.operation?.writeConflicts ?? 0);
}

/** One request; fails on anything but a 200 with data and no errors: a fast wrong answer is no result. */
async function send(target: Target, op: Operation, body: string, token: string): Promise<void> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': BENCH_REQUEST_ID },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const json = (await res.json()) as { errors?: { message: string }[]; data?: unknown };
  if (res.status !== 200 || json.errors?.length || !json.data)
    throw new Error(
      `${target.name} ${op.name} (${body.slice(-120)}): HTTP ${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 400)}`,
    );
}

/** Each operation a few times, one at a time, before any load. */
async function check(target: Target, ops: Operation[], token: string): Promise<void> {
  const rng = seededRandom(7);
  for (const op of ops) for (let i = 0; i < 3; i++) await send(target, op, requestBody(op, rng), token);
}

/** Drives one target with autocannon for `seconds`, each request with fresh variables. */
function load(url: string, token: string, pickOp: (rng: () => number) => Operation, seconds: number, connections: number, seed: number) {
  const rng = seededRandom(seed);
  let responses = 0;
  let failed = 0;
  const cache: CacheCounts = { hit: 0, miss: 0, bypass: 0 };
  return new Promise<{ result: autocannon.Result; responses: number; failed: number; cache: CacheCounts }>((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': BENCH_REQUEST_ID },
            setupRequest: (req) => ({ ...req, body: requestBody(pickOp(rng), rng) }),
            onResponse: (status, body, _context, headers) => {
              responses++;
              if (status !== 200 || body.includes('"errors"')) failed++;
              // Our gateway says whether it answered from its response cache.
              const x = String((headers as Record<string, unknown> | undefined)?.['x-cache'] ?? '');
              if (x === 'hit' || x === 'miss' || x === 'bypass') cache[x]++;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, responses, failed, cache })),
    );
  });
}

/** x-cache headers seen under load (our gateway with its response cache only). */
interface CacheCounts {
  hit: number;
  miss: number;
  bypass: number;
}

interface Throughput {
  rps: number;
  p50: number;
  p99: number;
  responses: number;
  /** Answers that were not 200, or carried GraphQL errors. */
  failed: number;
  cache: CacheCounts;
}

interface Cost {
  /** Database commands per gateway request (the embedded server's opcounters, all kinds). */
  db: number;
  /** Subgraph requests per gateway request, in total and by subgraph. */
  subgraph: number;
  bySubgraph: Record<string, number>;
  /** Median latency of the samples, sent one at a time (no load): what one user waits. */
  p50?: number;
}

async function throughput(
  stack: Stack,
  target: Target,
  token: string,
  seed: number,
  pickOp: (rng: () => number) => Operation,
  opts: Options,
): Promise<Throughput> {
  const { result, responses, failed, cache } = await load(target.url, token, pickOp, opts.duration, opts.connections, seed);
  // Requests cut off at the end still run in the gateway and subgraphs: let them drain first.
  await stack.settle();
  return { rps: responses / result.duration, p50: result.latency.p50, p99: result.latency.p99, responses, failed, cache };
}

/**
 * Database commands and subgraph requests per gateway request, measured exactly: `samples`
 * requests one at a time (with varied variables) on an otherwise idle stack.
 */
async function cost(
  stack: Stack,
  admin: mongoose.mongo.Admin,
  target: Target,
  op: Operation,
  token: string,
  samples: number,
): Promise<Cost> {
  const rng = seededRandom(11);
  await stack.settle();
  // The stack's own commands with no request at all (every subgraph reads its data version every
  // 200 ms, the followers their marker every 500 ms): measured for a second, then taken out.
  const idleFrom = await opcounterTotal(admin);
  const idleStarted = performance.now();
  await new Promise((r) => setTimeout(r, 1_000));
  const idlePerMs = ((await opcounterTotal(admin)) - idleFrom - 1) / (performance.now() - idleStarted);
  const dbBefore = await opcounterTotal(admin);
  const sampling = performance.now();
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await send(target, op, requestBody(op, rng), token);
    ms.push(performance.now() - t);
  }
  const dbAfter = await opcounterTotal(admin);
  // A subgraph logs a request before its answer leaves; the line is in its log a flush later.
  await new Promise((r) => setTimeout(r, 2 * LOG_FLUSH_MS));
  const bySubgraph = stack.countSubgraphRequests();
  const total = Object.values(bySubgraph).reduce((s, c) => s + c, 0);
  return {
    // The second serverStatus is counted too; so is the stack's idle work meanwhile (estimated).
    db: Math.max(0, dbAfter - dbBefore - 1 - idlePerMs * (performance.now() - sampling)) / samples,
    subgraph: total / samples,
    bySubgraph: Object.fromEntries(Object.entries(bySubgraph).map(([k, v]) => [k, v / samples])),
    p50: ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)],
  };
}

/** The mix's cost: the operations' costs weighted as in the mix. */
function mixCost(costs: [string, Cost][]): Cost {
  const total = costs.reduce((s, [name]) => s + (MIX_WEIGHTS[name] ?? 1), 0);
  const mix: Cost = { db: 0, subgraph: 0, bySubgraph: {} };
  for (const [name, c] of costs) {
    const w = (MIX_WEIGHTS[name] ?? 1) / total;
    mix.db += c.db * w;
    mix.subgraph += c.subgraph * w;
    for (const [k, v] of Object.entries(c.bySubgraph)) mix.bySubgraph[k] = (mix.bySubgraph[k] ?? 0) + v * w;
  }
  return mix;
}

function weightedPicker(ops: Operation[]): (rng: () => number) => Operation {
  const weighted = ops.flatMap((op) => Array<Operation>(MIX_WEIGHTS[op.name] ?? 1).fill(op));
  return (rng) => weighted[Math.floor(rng() * weighted.length)];
}

interface Row {
  load: Throughput;
  cost?: Cost;
}

async function benchTarget(stack: Stack, admin: mongoose.mongo.Admin, target: Target, ops: Operation[], token: string, opts: Options) {
  await check(target, ops, token);
  const rows = new Map<string, Row>();
  for (const op of ops)
    rows.set(op.name, { load: undefined as unknown as Throughput, cost: await cost(stack, admin, target, op, token, opts.samples) });
  rows.set('mix', { load: undefined as unknown as Throughput, cost: mixCost(ops.map((op) => [op.name, rows.get(op.name)?.cost as Cost])) });
  // Warm-up: query plans, connection pools and the JIT, not measured.
  await load(target.url, token, weightedPicker(ops), Math.min(3, opts.duration), opts.connections, 1);
  await stack.settle();
  for (const [i, op] of [...ops, null].entries()) {
    const name = op?.name ?? 'mix';
    const m = await throughput(stack, target, token, 100 + i, op ? () => op : weightedPicker(ops), opts);
    rows.set(name, { ...rows.get(name), load: m });
    log(
      `  ${target.name.padEnd(10)} ${name.padEnd(12)} ${m.rps.toFixed(1).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms${m.failed ? `  ${m.failed} failed` : ''}`,
    );
  }
  if (opts.writeShare > 0) {
    const w = await mixWithWrites(target.url, token, weightedPicker(ops), {
      seconds: opts.duration,
      connections: opts.connections,
      share: opts.writeShare,
      seed: 200,
    });
    await stack.settle();
    const sorted = [...w.latencies].sort((a, b) => a - b);
    const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
    // A stale read fails the row: it counts as a failed answer.
    const m: Throughput = {
      rps: w.responses / w.seconds,
      p50: at(0.5),
      p99: at(0.99),
      responses: w.responses,
      failed: w.failed + w.stale,
      cache: w.cache,
    };
    rows.set('mix+writes', { load: m });
    const kinds = Object.entries(w.byKind)
      .map(([kind, ms]) => {
        const s = [...ms].sort((a, b) => a - b);
        const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
        return `${kind} ${s.length} p50 ${q(0.5)} p99 ${q(0.99)}`;
      })
      .join(', ');
    log(
      `  ${target.name.padEnd(10)} ${'mix+writes'.padEnd(12)} ${m.rps.toFixed(1).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  ${w.writes} writes, ${w.stale} stale reads${w.failed ? `, ${w.failed} failed` : ''} (${kinds})`,
    );
  }
  return rows;
}

function printTables(names: string[], results: Map<string, Map<string, Row>>, opts: Options): void {
  const targets = [...results.keys()];
  const ours = results.get(targets[0]);
  const rps = (m: Throughput) => (m.rps >= 100 ? m.rps.toFixed(0) : m.rps.toFixed(1));
  // Ours against every other column; and ours without its response cache against the peers.
  const ratios: [string, string][] = [
    ...targets.slice(1).map((t): [string, string] => ['ours', t]),
    ...(targets.includes('ours-nocache')
      ? targets.filter((t) => t.startsWith('hive')).map((t): [string, string] => ['ours-nocache', t])
      : []),
  ];
  const head = ['operation', ...targets.flatMap((t) => [`${t} req/s`, 'p50 ms', 'p99 ms']), ...ratios.map(([a, b]) => `${a}/${b}`)];
  const rows = names.map((name) => {
    const cells = [name];
    for (const t of targets) {
      const m = results.get(t)?.get(name)?.load;
      cells.push(m ? rps(m) + (m.failed ? ` (${m.failed} failed)` : '') : '-', m ? String(m.p50) : '-', m ? String(m.p99) : '-');
    }
    for (const [x, y] of ratios) {
      const a = results.get(x)?.get(name)?.load;
      const b = results.get(y)?.get(name)?.load;
      cells.push(a && b && b.rps > 0 ? `${(a.rps / b.rps).toFixed(2)}x` : '-');
    }
    return cells;
  });
  log(`\nThroughput and latency (${opts.connections} connections, ${opts.duration} s per row, ${opts.scale} dataset):\n`);
  log(markdown(head, rows));
  const hitRows = names.flatMap((name) => {
    const m = ours?.get(name)?.load;
    if (!m) return [];
    const seen = m.cache.hit + m.cache.miss + m.cache.bypass;
    const pct = (n: number) => (seen ? `${((100 * n) / seen).toFixed(1)}%` : '-');
    return [[name, String(seen), pct(m.cache.hit), pct(m.cache.miss), pct(m.cache.bypass)]];
  });
  log(`\nOur response cache under load (x-cache of every answer in the rows above):\n`);
  log(markdown(['operation', 'answers', 'hit', 'miss', 'bypass'], hitRows));
  const costs = names.flatMap((name) => {
    const cells = [name];
    for (const t of targets) {
      const c = results.get(t)?.get(name)?.cost;
      if (!c) return [];
      const by = Object.entries(c.bySubgraph)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => `${k} ${+v.toFixed(2)}`)
        .join(', ');
      cells.push(c.p50 === undefined ? '-' : c.p50.toFixed(0), c.db.toFixed(1), `${+c.subgraph.toFixed(2)} (${by})`);
    }
    return [cells];
  });
  if (!opts.samples) return; // --samples 0: nothing was counted
  log(`\nPer gateway request, one at a time (${opts.samples} samples each): median latency, database commands and subgraph requests:\n`);
  log(markdown(['operation', ...targets.flatMap((t) => [`${t} p50 ms`, `${t} db commands`, `${t} subgraph requests`])], costs));
}

function markdown(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const ops = buildOperations().filter((op) => !opts.only || opts.only.includes(op.name));
  if (!ops.length) throw new Error(`--only matched no operation`);
  // Fresh keys for this run, except the personal-data key of a kept dataset (its ciphers were made with it).
  const kept = opts.data && !opts.reload ? readDatasetMarker(opts.data, opts.scale) : null;
  const env = {
    AUTH_JWT_SECRET: randomBytes(32).toString('base64'),
    PERSONAL_DATA_KEY: kept?.personalDataKey ?? randomBytes(32).toString('base64'),
    // One token drives the whole load: the per-token limits (issue 17) would measure themselves.
    GATEWAY_RATE_LIMIT: 'off',
  };
  Object.assign(process.env, env);
  const token = await Authenticator.fromEnv().sign({ sub: 'bench:admin', org: nationalId(), roles: ['ADMIN'], name: 'Benchmark' });

  const stack = new Stack(opts.port, env);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stack.stop({ keepLogs: opts.keepLogs || code !== 0 });
    if (code !== 0) log(`logs kept in ${stack.dir}`);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  // Bounded in time: the stack, the dataset and every row, with a generous margin.
  const gateways = 1 + (opts.hive ? 1 + (opts.routerRuntime ? 1 : 0) + (opts.hiveCache ? 1 : 0) : 0) + (opts.noCache ? 1 : 0);
  const rows = (ops.length + 1 + (opts.writeShare > 0 ? 1 : 0)) * gateways + 3;
  const budgetMs = (opts.scale === 'national' ? 90 : 10) * 60_000 + rows * (opts.duration + 5) * 1000;
  const watchdog = setTimeout(() => {
    log(`bench: over its time budget (${Math.round(budgetMs / 60_000)} min), stopping`);
    void stop(1);
  }, budgetMs);
  watchdog.unref();

  const started = Date.now();
  const load1 = loadavg()[0];
  log(
    `machine: ${cpus().length} cores, load average ${load1.toFixed(2)}${load1 > 1 ? ' (something else is running: figures will be low and noisy)' : ''}`,
  );
  let client: mongoose.mongo.MongoClient | undefined;
  try {
    await stack.openDataset(opts.scale, opts.data, kept, log);
    client = await mongoose.mongo.MongoClient.connect(stack.mongoUri);
    const admin = client.db('admin').admin();
    await stack.startSubgraphs();
    // The stack's own warm-up (subgraphs' JIT and caches, the database after the bulk load),
    // through a gateway that is not measured: otherwise whichever gateway runs first pays for it.
    {
      const url = await stack.startOurGateway('gateway-warmup', { GATEWAY_RESPONSE_CACHE: 'off' });
      // (On this machine a 5 s warm-up left the first gateway measured well below the second.)
      await load(url, token, weightedPicker(ops), Math.max(10, 2 * opts.duration), opts.connections, 2);
      await stack.settle();
      await stack.stopChild('gateway-warmup');
    }
    const targets: Target[] = [{ name: 'ours', url: await stack.startOurGateway() }];
    log(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(0)} s; ${ops.length} operations + mix, ${opts.duration} s each, ${opts.connections} connections\n`,
    );

    const conflictsBefore = await writeConflicts(admin);
    const results = new Map<string, Map<string, Row>>();
    results.set('ours', await benchTarget(stack, admin, targets[0], ops, token, opts));
    // One gateway at a time, so the one under load has the machine to itself.
    await stack.stopChild('gateway');
    if (opts.noCache) {
      // The same gateway without its response cache: what the cache gives, and what the rest does.
      const url = await stack.startOurGateway('gateway-nocache', { GATEWAY_RESPONSE_CACHE: 'off' });
      results.set('ours-nocache', await benchTarget(stack, admin, { name: 'ours-nocache', url }, ops, token, opts));
      await stack.stopChild('gateway-nocache');
    }
    const peers = opts.hive
      ? [
          { name: 'hive', router: false, cache: false },
          ...(opts.routerRuntime ? [{ name: 'hive-rust', router: true, cache: false }] : []),
          // Hive Gateway's own response cache, per viewer (the Authorization header) with our maximum age (issue 22).
          ...(opts.hiveCache ? [{ name: 'hive-cache', router: false, cache: true }] : []),
        ]
      : [];
    for (const [i, peer] of peers.entries()) {
      let target: Target;
      try {
        target = { name: peer.name, url: await stack.startHiveGateway(peer.name, opts.port + 10 + i, peer.router, peer.cache) };
        await check(target, ops, token);
      } catch (err) {
        log(`  ${peer.name}: could not run: ${(err as Error).message}\n${stack.tail(peer.name, 15)}`);
        await stack.stopChild(peer.name);
        continue;
      }
      results.set(peer.name, await benchTarget(stack, admin, target, ops, token, opts));
      await stack.stopChild(peer.name);
    }
    printTables([...ops.map((o) => o.name), 'mix', ...(opts.writeShare > 0 ? ['mix+writes'] : [])], results, opts);
    log(`\nmix weights: ${ops.map((o) => `${o.name} ${MIX_WEIGHTS[o.name] ?? 1}`).join(', ')}`);
    log(`write conflicts in the database during the rows: ${(await writeConflicts(admin)) - conflictsBefore}`);
    if (opts.reorganization) {
      const url = await stack.startOurGateway('gateway-reorganization');
      await measureReorganization(url, token, client, Authenticator.fromEnv(), log);
      await stack.stopChild('gateway-reorganization');
    }
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (${new Date().toISOString()}, node ${process.version})`);
  } catch (err) {
    log(`bench failed: ${(err as Error).message}`);
    await client?.close();
    await stop(1);
    return;
  }
  await client?.close();
  await stop(0);
}

void main();
