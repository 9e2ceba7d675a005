// CPU time per gateway request, per process (gateway, each subgraph, the database), on the
// default dataset or a national one the bench kept (--data): unlike req/s, CPU time per request hardly moves when other jobs share the
// machine, so two builds can be compared on a busy machine.
//
//   node scripts/cpu-per-request.mjs [--root <checkout>] [--port 4300] [--requests 2000] [--ops profile,units]
//                                    [--connections 20] [--gateway-env KEY=VALUE,...] [--data /work/data/national]
//
// --root runs another checkout's build (e.g. an older commit in its own worktree) with the same
// script. Prints, per operation: requests/s (noisy), then CPU ms per request of each process, and
// the database commands per request by name (less those the idle stack sends meanwhile).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { resolve, join } from 'node:path';
import { parseCli } from './cli.mjs';

const { values } = parseCli({
  usage:
    'node scripts/cpu-per-request.mjs [--root <checkout>] [--ops profile,units] [--requests 2000] [--cpu-prof gateway,mongo] [--data <dir>]',
  description:
    "CPU milliseconds per gateway request, per process, of a checkout's built stack (default dataset): comparable between checkouts on a busy machine, where requests per second are not.",
  options: {
    root: { type: 'string', default: process.cwd(), description: 'the checkout whose built stack is measured' },
    port: { type: 'string', default: '4300', integer: [1024, 65529], description: "the stack's base port" },
    requests: { type: 'string', default: '2000', integer: [1, 1000000], description: 'requests per operation' },
    connections: { type: 'string', default: '20', integer: [1, 1000], description: 'concurrent connections' },
    ops: { type: 'string', default: 'profile,units,members,instructors,annex1,annex2', description: "the bench's operations measured" },
    'gateway-env': { type: 'string', default: '', description: 'extra environment for the gateway (NAME=value,…)' },
    'warmup-s': { type: 'string', default: '10', integer: [0, 600], description: 'seconds of warm-up per operation' },
    'cpu-prof': { type: 'string', default: '', description: 'write V8 CPU profiles of these children (comma-separated names)' },
    'cpu-prof-dir': { type: 'string', default: '/tmp/rcsc-cpu-prof', description: 'where the CPU profiles go' },
    data: {
      type: 'string',
      description: 'a directory where the bench kept the national dataset (npm run bench -- --data <dir>): measured there, as it is',
    },
  },
});
const root = resolve(values.root);
const require = createRequire(join(root, 'packages/bench/package.json'));
const { Stack, readDatasetMarker } = require('./dist/stack.js');
const { buildOperations, requestBody, seededRandom } = require('./dist/operations.js');
const { Authenticator } = require('@rcsc/service-kit');
const { nationalId } = require('@rcsc/dataset');
const autocannon = require('autocannon');

// A kept dataset's personal data are sealed with the key it was loaded with.
const kept = values.data ? readDatasetMarker(resolve(values.data), 'national') : null;
if (values.data && !kept)
  throw new Error(`${values.data}: no national dataset kept there (load it with npm run bench -- --data ${values.data})`);
const env = {
  AUTH_JWT_SECRET: randomBytes(32).toString('base64'),
  PERSONAL_DATA_KEY: kept?.personalDataKey || randomBytes(32).toString('base64'),
  GATEWAY_RATE_LIMIT: 'off',
};
Object.assign(process.env, env);
const token = await Authenticator.fromEnv().sign({ sub: 'bench:admin', org: nationalId(), roles: ['ADMIN'], name: 'Benchmark' });
const gatewayEnv = Object.fromEntries(
  values['gateway-env']
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);

const ticks = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
};

function run(url, pick, opts) {
  const rng = seededRandom(opts.seed);
  let responses = 0;
  let failed = 0;
  const cache = {};
  return new Promise((res, rej) =>
    autocannon(
      {
        url,
        connections: Number(values.connections),
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration }),
        timeout: 30,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            setupRequest: (req) => ({ ...req, body: requestBody(pick(), rng) }),
            onResponse: (status, body, _c, headers) => {
              responses++;
              if (status !== 200 || body.includes('"errors"')) failed++;
              const x = String(headers?.['x-cache'] ?? '-');
              cache[x] = (cache[x] ?? 0) + 1;
            },
          },
        ],
      },
      (err, result) => (err ? rej(err) : res({ result, responses, failed, cache })),
    ),
  );
}

const stack = new Stack(Number(values.port), env);
const children = () => stack.children;
const profiled = new Set(values['cpu-prof'].split(',').filter(Boolean));
const spawn = stack.spawn.bind(stack);
stack.spawn = (name, args, childEnv) =>
  spawn(
    name,
    profiled.has(name) ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`, `--cpu-prof-name=${name}.cpuprofile`, ...args] : args,
    childEnv,
  );
try {
  if (kept) await stack.openDataset('national', resolve(values.data), kept, () => undefined);
  else {
    await stack.startDatabase();
    await stack.loadDataset('default', () => undefined);
  }
  await stack.startSubgraphs();
  const url = await stack.startOurGateway('gateway', { ...gatewayEnv });
  // Database commands by name (serverStatus metrics.commands; absent on an older build).
  const { MongoClient } = require('mongoose').mongo;
  const client = await MongoClient.connect(stack.mongoUri);
  const dbCommands = async () => {
    const byName = (await client.db('admin').command({ serverStatus: 1 })).metrics?.commands ?? {};
    return new Map(Object.entries(byName).map(([name, c]) => [name, Number(c.total)]));
  };
  const minus = (a, b, idle) => new Map([...a].map(([k, v]) => [k, v - (b.get(k) ?? 0) - (idle.get(k) ?? 0)]));
  const ops = buildOperations().filter((o) => values.ops.split(',').includes(o.name));
  // Warm-up: JIT, plans, pools.
  await run(url, () => ops[Math.floor(Math.random() * ops.length)], { duration: Number(values['warmup-s']), seed: 1 });
  await stack.settle();
  // What the stack costs doing nothing (change-feed polls, followers, metrics), CPU ms per second.
  const idle0 = children().map((c) => ticks(c.proc.pid));
  const idleCommands0 = await dbCommands();
  await new Promise((r) => setTimeout(r, 10_000));
  const idle1 = children().map((c) => ticks(c.proc.pid));
  // commands per second the stack sends doing nothing (roll-ups, change-feed reads)
  const idleCommandsPerS = new Map([...minus(await dbCommands(), idleCommands0, new Map())].map(([k, v]) => [k, v / 10]));
  const idleMsPerS = idle1.map((t, i) => ((t - idle0[i]) * 10) / 10);
  console.log(
    `idle CPU ms/s: ${children()
      .map((c, i) => `${c.name} ${idleMsPerS[i]}`)
      .join(', ')}`,
  );
  console.log(`root ${root} ${JSON.stringify(gatewayEnv)}`);
  // 'net ms': the total less what the stack would have spent doing nothing over the same time.
  console.log(
    ['op', 'req/s', 'failed', 'x-cache', ...children().map((c) => `${c.name} ms`), 'total ms', 'net ms', 'db commands'].join('\t'),
  );
  for (const op of ops) {
    const before = children().map((c) => ticks(c.proc.pid));
    const commandsBefore = await dbCommands();
    const t = performance.now();
    const r = await run(url, () => op, { amount: Number(values.requests), seed: 100 });
    const s = (performance.now() - t) / 1000;
    await stack.settle(300, 5000);
    const after = children().map((c) => ticks(c.proc.pid));
    const elapsedS = (performance.now() - t) / 1000;
    const per = after.map((a, i) => ((a - before[i]) * 10) / r.responses);
    const total = per.reduce((x, y) => x + y, 0);
    const idle = (idleMsPerS.reduce((x, y) => x + y, 0) * elapsedS) / r.responses;
    const idleCommands = new Map([...idleCommandsPerS].map(([k, v]) => [k, v * elapsedS]));
    const commands = [...minus(await dbCommands(), commandsBefore, idleCommands)]
      .map(([k, v]) => [k, v / r.responses])
      .filter(([, v]) => v >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    const perRequest = commands.reduce((n, [, v]) => n + v, 0);
    console.log(
      [
        op.name,
        (r.responses / s).toFixed(0),
        r.failed,
        JSON.stringify(r.cache),
        ...per.map((p) => p.toFixed(3)),
        total.toFixed(3),
        (total - idle).toFixed(3),
        commands.length ? `${perRequest.toFixed(1)} (${commands.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})` : '-',
      ].join('\t'),
    );
  }
  await client.close();
} finally {
  await stack.stop();
}
