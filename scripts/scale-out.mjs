// npm run scale-out [-- --seconds 60]: the stack scaled out on this machine (issue 23). One
// embedded database, two replicas of every subgraph, two gateways, and nginx (Debian's package) in
// front of the gateways and in front of each subgraph's replicas (the gateways, the directory
// clients and reporting reach subgraphs through it), all on loopback, the branch tree plus the
// records the run writes. Under steady load it proves, printing figures, and exits 1 if any fails:
//   1. reads and writes spread over both replicas of every subgraph (their /metrics);
//   2. a write through gateway A is seen through gateway B within ADR 0006's bound, never stale after;
//   3. kill -9 of one replica of each subgraph and of one gateway: 0 failed reads, no lost or
//      duplicated write (every write carries an Idempotency-Key and is retried with it);
//   4. a rolling restart of every process (out of nginx, SIGTERM, drain, start again, back in;
//      nginx reloaded): 0 errors;
//   5. a reorganization is seen by every replica before it serves a request through the gateway
//      that made it (the tree-version gate), and through the other gateway within 1 s (it follows
//      organizations' change feed, which announces the tree version);
//   6. the annex 1 rows equal a recount from the registers after several replicas wrote at once.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ROOT, SUBGRAPHS, loadDataset } from './stack.mjs';
import { parseCli } from './cli.mjs';
import { fetchFailure, withResend } from './resend.mjs';

const require = createRequire(join(ROOT, 'package.json'));

const { values: args } = parseCli({
  usage: 'npm run scale-out -- [--seconds 60] [--workers 4] [--port-base N] [--keep]',
  description:
    'Two gateways and two replicas of every subgraph behind nginx, on one database: spread, visibility across gateways, kill -9, rolling restart, reorganization, annex recount. Exit 1 when a check fails.',
  options: {
    seconds: {
      type: 'string',
      default: '60',
      integer: [8, 3600],
      description: 'how long the load runs (the restarts take what they take on top)',
    },
    workers: { type: 'string', default: '4', integer: [1, 32], description: 'concurrent clients' },
    'port-base': { type: 'string', integer: [1024, 65000], description: 'ports N..N+41 (default: a free range)' },
    keep: { type: 'boolean', default: false, description: 'keep the temporary directory (logs, nginx config, database)' },
  },
});
const SECONDS = Number(args.seconds);
const WORKERS = Number(args.workers);

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
if (!NGINX) {
  console.error('nginx is not installed: apt-get install nginx (Debian) to run the scale-out mode');
  process.exit(3);
}

/**
 * ADR 0006: a write handled by another replica of a subgraph reaches a gateway within one poll
 * of the version document (100 ms) plus the event's travel; 200 ms is allowed for that travel on
 * a loaded host. A read sent later than this after the write's answer must see it.
 */
const VISIBILITY_BOUND_MS = 300;
/** ADR 0008: through another gateway, organizations' change-feed poll (100 ms) on the replica it follows, plus travel and catch-up. */
const REORG_OTHER_GATEWAY_BOUND_MS = 1000;
/** The database aborts a transaction left open this long (a replica killed in the middle of one). */
const TXN_LIFETIME_S = 10;
/** A client gives up a write (and the run counts it lost) after this long: nothing here may hang the run. */
const WRITE_DEADLINE_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), 'rcsc-scale-out-'));
const log = (msg) => console.error(`[scale-out ${((Date.now() - T0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const T0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Ports and processes

async function portFree(port) {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
async function portBase() {
  if (args['port-base']) return Number(args['port-base']);
  // Below Linux's ephemeral range (32768-60999), where outgoing connections take their ports.
  for (let i = 0; i < 50; i++) {
    const base = 10_000 + Math.floor(Math.random() * 22_000);
    if ((await Promise.all(Array.from({ length: 42 }, (_, k) => portFree(base + k)))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}
const BASE = await portBase();
const PORTS = {
  lbGateway: BASE,
  gateways: [BASE + 1, BASE + 2],
  lb: Object.fromEntries(SUBGRAPHS.map((s, i) => [s.name, BASE + 10 + i])),
  replicas: Object.fromEntries(SUBGRAPHS.map((s, i) => [s.name, [BASE + 20 + 2 * i, BASE + 21 + 2 * i]])),
  mongo: BASE + 40,
};
const lbUrl = (name) => `http://127.0.0.1:${PORTS.lb[name]}/graphql`;
const GATEWAY_LB = `http://127.0.0.1:${PORTS.lbGateway}/graphql`;
const GW = PORTS.gateways.map((p) => `http://127.0.0.1:${p}/graphql`);

const keys = { AUTH_JWT_SECRET: randomBytes(32).toString('base64'), PERSONAL_DATA_KEY: randomBytes(32).toString('base64') };
Object.assign(process.env, keys);
const baseEnv = () => {
  const env = { ...process.env, ...keys, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', NODE_ENV: 'development' };
  for (const k of ['JEST_WORKER_ID', 'NODE_OPTIONS', 'MONGODB_URI']) delete env[k];
  return env;
};

/** One child process: its log in the temporary directory, SIGTERM (drain) or SIGKILL, started again on demand. */
class Proc {
  constructor(name, argv, env, readyUrl) {
    Object.assign(this, { name, argv, env, readyUrl, starts: 0 });
  }
  spawn() {
    const out = createWriteStream(join(dir, `${this.name}.log`), { flags: 'a' });
    this.child = spawn(this.argv[0], this.argv.slice(1), { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.pipe(out);
    this.child.stderr.pipe(out);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.starts++;
    return this;
  }
  alive() {
    return this.child && this.child.exitCode === null && this.child.signalCode === null;
  }
  async ready(timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive()) throw new Error(`${this.name} exited while starting (see ${join(dir, `${this.name}.log`)})`);
      try {
        if ((await fetch(this.readyUrl, { signal: AbortSignal.timeout(2000) })).ok) return;
      } catch {
        /* not yet */
      }
      await sleep(200);
    }
    throw new Error(`${this.name} not ready within ${timeoutMs / 1000} s`);
  }
  async stop(signal = 'SIGTERM', graceMs = 15_000) {
    if (!this.alive()) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.alive() && this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// nginx: in front of the gateways and of each subgraph's replicas

/**
 * nginx never marks a replica down here (max_fails=0): on loopback a refused connection costs
 * nothing and is passed to the other replica at once, whereas a replica marked down for
 * fail_timeout while its partner restarts leaves "no live upstreams" (502). In production, probe
 * `/ready` actively (a health-checking load balancer, or Kubernetes readiness) instead.
 */
const SETTLE_MS = 500;
/**
 * A process stopping goes on serving this long with /ready at 503 (SHUTDOWN_DELAY_MS): the
 * requests that nginx's old workers still send it after a reload are answered, not reset.
 */
const SHUTDOWN_DELAY_MS = 500;

/** `down`: ports taken out of their upstream (a process about to stop: see reloadNginx). */
function nginxConfig(down = new Set()) {
  const upstream = (name, ports) =>
    `  upstream ${name} {\n${ports.map((p) => `    server 127.0.0.1:${p} max_fails=0${down.has(p) ? ' down' : ''};`).join('\n')}\n  }`;
  const server = (port, up) => `  server {
    listen 127.0.0.1:${port};
    # The change feed (Server-Sent Events): never buffered, idle streams kept (a comment every 5 s).
    location /changes {
      proxy_pass http://${up};
      proxy_buffering off;
      proxy_read_timeout 3600s;
    }
    location / {
      proxy_pass http://${up};
    }
  }`;
  const temp = join(dir, 'nginx-temp');
  mkdirSync(temp, { recursive: true });
  return `# Written by scripts/scale-out.mjs: nginx on loopback in front of every group of replicas.
${process.getuid?.() === 0 ? `user ${userInfo().username};\n` : ''}worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 2048; }
http {
  log_format upstreams '$status $request_method $uri $upstream_addr $upstream_status';
  access_log ${join(dir, 'nginx-access.log')} upstreams;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  client_max_body_size 2m;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $http_host;
  # No keep-alive to the replicas: a replica that drains (SIGTERM) refuses new connections, which
  # nginx always retries on the other replica, POSTs included (nothing was sent). A pooled
  # connection closed by a draining replica just as nginx reuses it would fail a POST instead.
  # A request already sent is passed on only when idempotent (GET: reads); the gateway retries
  # its queries and keyed mutations itself, and clients retry their writes with the same key.
  proxy_next_upstream error timeout http_502 http_503 http_504;
  proxy_next_upstream_tries 4;
  proxy_connect_timeout 2s;
  proxy_read_timeout 60s;
${upstream('gateways', PORTS.gateways)}
${SUBGRAPHS.map((s) => upstream(s.name, PORTS.replicas[s.name])).join('\n')}
${server(PORTS.lbGateway, 'gateways')}
${SUBGRAPHS.map((s) => server(PORTS.lb[s.name], s.name)).join('\n')}
}
`;
}

/** nginx's worker processes (children of its master). */
const nginxWorkers = () => readFileSync(`/proc/${nginx.child.pid}/task/${nginx.child.pid}/children`, 'utf8').split(' ').filter(Boolean);

/**
 * nginx reloaded with `down` taken out of their upstreams; resolves once a new worker serves
 * that config (the old ones stop accepting and finish what they hold). A process is taken out
 * before it stops, as a load balancer's readiness probe would: closing a listener resets the
 * connections still in its accept queue, and nginx cannot pass on a POST it has already sent.
 */
async function reloadNginx(down = new Set()) {
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(down));
  const before = new Set(nginxWorkers());
  nginx.child.kill('SIGHUP');
  const deadline = Date.now() + 10_000;
  while (!nginxWorkers().some((pid) => !before.has(pid))) {
    if (Date.now() > deadline) throw new Error('nginx did not reload within 10 s (see nginx-error.log)');
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------
// The stack

const procs = { replicas: {}, gateways: [] };
let mongo;
let nginx;
const all = () => [...Object.values(procs.replicas).flat(), ...procs.gateways];

async function startStack() {
  mongo = new Proc(
    'database',
    [process.execPath, join(ROOT, 'packages/embedded-mongo/dist/cli.js'), '--port', String(PORTS.mongo), '--dbpath', join(dir, 'db')],
    baseEnv(),
    null,
  ).spawn();
  const uri = `mongodb://127.0.0.1:${PORTS.mongo}/`;
  const { MongoClient } = require('mongoose').mongo;
  for (let i = 0; ; i++) {
    try {
      const c = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 1000 });
      await c.close();
      break;
    } catch (err) {
      if (i > 60) throw err;
      await sleep(250);
    }
  }
  // A replica killed with -9 in the middle of a transaction leaves it open, its documents locked
  // (every later write to the same branch's counters would conflict) until the database aborts it
  // after transactionLifetimeLimitSeconds: 60 s by default on mongod and here. The services'
  // transactions last milliseconds, so 10 s bounds that wait (docs/deployment.md says the same).
  {
    const c = await MongoClient.connect(uri);
    await c.db('admin').command({ setParameter: 1, transactionLifetimeLimitSeconds: TXN_LIFETIME_S });
    await c.close();
  }
  log(`database on ${uri} (transactionLifetimeLimitSeconds ${TXN_LIFETIME_S}); loading the branch tree`);
  await loadDataset(uri, { scale: 'default', only: ['organizations'] });
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig());
  nginx = new Proc('nginx', [NGINX, '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'nginx-error.log')], baseEnv(), null).spawn();
  const lbs = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlEnv, lbUrl(s.name)]));
  for (const s of SUBGRAPHS)
    procs.replicas[s.name] = PORTS.replicas[s.name].map(
      (port, i) =>
        new Proc(
          `${s.name}-${i + 1}`,
          [process.execPath, join(ROOT, 'services', s.name, 'dist', 'index.js')],
          {
            ...baseEnv(),
            MONGODB_URI: uri,
            PORT: String(port),
            ORGANIZATIONS_URL: lbs.ORGANIZATIONS_URL,
            GRASSROOTS_URL: lbs.GRASSROOTS_URL,
            GATEWAY_URL: GATEWAY_LB,
            SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
          },
          `http://127.0.0.1:${port}/ready`,
        ),
    );
  procs.gateways = PORTS.gateways.map(
    (port, i) =>
      new Proc(
        `gateway-${'AB'[i]}`,
        [process.execPath, join(ROOT, 'gateway', 'dist', 'index.js')],
        // The per-token limit holds per gateway process; the probes poll faster than a person.
        { ...baseEnv(), ...lbs, PORT: String(port), GATEWAY_RATE_LIMIT_RPS: '1000', SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS) },
        `http://127.0.0.1:${port}/ready`,
      ),
  );
  // Organizations first (the others catch up on its reorganizations at boot), then the rest.
  await Promise.all(procs.replicas.organizations.map((p) => p.spawn().ready()));
  await Promise.all(
    Object.entries(procs.replicas)
      .filter(([name]) => name !== 'organizations')
      .flatMap(([, reps]) => reps.map((p) => p.spawn().ready())),
  );
  await Promise.all(procs.gateways.map((p) => p.spawn().ready()));
  log(
    `up: nginx ${GATEWAY_LB} -> gateways ${PORTS.gateways.join(', ')}; subgraphs ${SUBGRAPHS.map((s) => `${s.name} ${PORTS.lb[s.name]} -> ${PORTS.replicas[s.name].join('/')}`).join('; ')}`,
  );
  return uri;
}

async function stopStack() {
  for (const g of procs.gateways) await g.stop();
  await Promise.all(
    Object.values(procs.replicas)
      .flat()
      .map((p) => p.stop()),
  );
  await nginx?.stop('SIGQUIT', 5000);
  await mongo?.stop('SIGTERM', 5000);
}

// ---------------------------------------------------------------------------------------------
// Clients

const { Authenticator } = require('@rcsc/service-kit');
const { buildBranchTree, nationalId } = require('@rcsc/dataset');
const { withCheckDigit } = require('@rcsc/personal-data');
const auth = Authenticator.fromEnv();
const tokenOf = (name) => auth.sign({ sub: `scale-out:${name}`, org: nationalId(), roles: ['ADMIN'], name: `scale-out ${name}` }, '2h');
const serviceToken = () => auth.sign({ sub: 'service:scale-out', roles: ['SERVICE'] }, '1h');
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const tree = buildBranchTree();

/** What `withResend` calls when it sends again: counted in the phase's "resent" column. */
const countResend = (stats) => () => {
  if (!stats) return;
  stats.reconnects = (stats.reconnects ?? 0) + 1;
  stats.onResend?.();
};

/** A read: GET (idempotent, so nginx passes it to the other gateway if one fails), `fresh` skips the response cache. */
async function read(url, token, query, variables = {}, { fresh = false, stats } = {}) {
  const q = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const get = () =>
    fetch(`${url}?${q}`, {
      headers: {
        authorization: `Bearer ${token}`,
        'apollo-require-preflight': 'true',
        ...(fresh ? { 'cache-control': 'no-cache' } : {}),
      },
      signal: AbortSignal.timeout(60_000),
    });
  let res;
  try {
    res = await withResend(get, countResend(stats));
  } catch (err) {
    throw new Error(`read: ${fetchFailure(err)}`);
  }
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}, not JSON` }] }));
  if (res.status !== 200 || body.errors?.length)
    throw new Error(`read: HTTP ${res.status} ${JSON.stringify(body.errors ?? '').slice(0, 300)}`);
  return { data: body.data, cache: res.headers.get('x-cache') };
}

/** A write: POST with an Idempotency-Key, sent again at once on a new connection if its connection was closed. */
async function writeOnce(url, token, key, query, variables, stats) {
  const post = () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    });
  const res = await withResend(post, countResend(stats));
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}, not JSON` }] }));
  return { status: res.status, body };
}
/** Retries a write with the same key until it is answered (what a client does with an idempotency key). */
async function write(url, token, query, variables, stats, key = randomUUID()) {
  const deadline = Date.now() + WRITE_DEADLINE_MS;
  for (let attempt = 0; ; attempt++) {
    let r;
    try {
      r = await writeOnce(url, token, key, query, variables, stats);
    } catch (err) {
      r = { status: 0, body: { errors: [{ message: fetchFailure(err) }] } };
    }
    const codes = (r.body.errors ?? []).map((e) => e.extensions?.code);
    if (r.status === 200 && !codes.length && r.body.data) return Object.values(r.body.data)[0];
    // A client's mistake is final; anything else (a 502, a stopped process) is retried with the key.
    if (codes.some((c) => ['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'NOT_FOUND'].includes(c)))
      throw new Error(`write refused: ${JSON.stringify(r.body.errors).slice(0, 300)}`);
    if (stats) {
      const text = `${r.status} ${JSON.stringify(r.body.errors).slice(0, 200)}`;
      stats.retried++;
      if (stats.samples.length < 5) stats.samples.push(text);
      stats.onRetry?.(text);
    }
    if (attempt >= 20 || Date.now() > deadline)
      throw new Error(`write not answered after ${attempt + 1} attempts: ${JSON.stringify(r.body.errors).slice(0, 300)}`);
    await sleep(100 * Math.min(attempt + 1, 5));
  }
}

let idSerial = 0;
/** A valid identity number, unique in the run. */
function idNumber() {
  const n = idSerial++;
  const birth = new Date(Date.UTC(1950, 0, 1) + (n % 18000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  return withCheckDigit(`330106${birth}${String(100 + Math.floor(n / 18000)).slice(-3)}`);
}
const REGISTER_MEMBER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
const REGISTER_UNIT = `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`;
const member = (organizationId, joinedOn = today) => ({
  input: { organizationId, kind: 'ADULT', name: '扩展测试', idNumber: idNumber(), joinedOn },
});
let unitSerial = 0;
const unit = (organizationId, establishedOn = today) => ({
  input: { organizationId, name: `扩展测试社区${++unitSerial}红十字会`, type: 'COMMUNITY', establishedOn },
});
const MEMBERS_OF = `query($id: ID!) { organization(id: $id) { members(first: 1) { totalCount } } }`;
const UNITS_OF = `query($id: ID!) { organization(id: $id) { grassrootsUnits(first: 1) { totalCount } } }`;

// ---------------------------------------------------------------------------------------------
// Steady load: reads of every subgraph (GET) and keyed writes, by phase

const phases = new Map();
let phase = 'steady';
const phaseStats = (name) => {
  if (!phases.has(name)) phases.set(name, { reads: 0, readErrors: 0, writes: 0, writeRetries: 0, failures: [], ms: [] });
  return phases.get(name);
};
const written = { members: new Set(), units: new Set(), keys: 0 };
let loadOn = true;

function loadOps(branch) {
  const branches = tree.filter((b) => b.level !== 'COUNTY');
  const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
  return [
    {
      w: 3,
      read: () => [
        `query($c: String!) { organization(divisionCode: $c) { name children { name } currentTerm { number } } }`,
        { c: pick(tree).divisionCode ?? '330000' },
      ],
    },
    {
      w: 2,
      read: () => [
        `query($id: ID!) { organization(id: $id) { grassrootsUnits(first: 10) { totalCount nodes { name } } } }`,
        { id: branch },
      ],
    },
    {
      w: 2,
      read: () => [`query($id: ID!) { organization(id: $id) { members(first: 10) { totalCount nodes { name status } } } }`, { id: branch }],
    },
    { w: 1, read: () => [`{ instructors(first: 10) { totalCount } }`, {}] },
    { w: 1, read: () => [`{ workPlan { id } }`, {}] },
    {
      w: 1,
      read: () => [
        `query($id: ID!) { organization(id: $id) { survey(asOf: "${today}") { grassrootsUnits adultMembers } } }`,
        { id: pick(branches).id },
      ],
    },
    { w: 2, write: () => [REGISTER_MEMBER, member(branch), 'members'] },
    { w: 1, write: () => [REGISTER_UNIT, unit(branch), 'units'] },
  ].flatMap((op) => Array(op.w).fill(op));
}

async function worker(n, branch) {
  const token = await tokenOf(`worker-${n}`);
  const bag = loadOps(branch);
  while (loadOn) {
    const op = bag[Math.floor(Math.random() * bag.length)];
    const s = phaseStats(phase);
    const started = performance.now();
    if (op.read) {
      const [q, v] = op.read();
      try {
        await read(GATEWAY_LB, token, q, v, { fresh: Math.random() < 0.5, stats: s });
        s.reads++;
      } catch (err) {
        s.readErrors++;
        if (s.failures.length < 8) s.failures.push(err.message.slice(0, 300));
      }
    } else {
      const [q, v, kind] = op.write();
      // A write's retries, resends and outcome count in the phase in which they happen: one begun
      // just before a kill is retried after it, and is no failure of the steady phase.
      const now = () => phaseStats(phase);
      const stats = {
        retried: 0,
        reconnects: 0,
        samples: [],
        onRetry: (text) => {
          now().writeRetries++;
          if (now().failures.length < 8) now().failures.push(`write retried: ${text}`);
        },
        onResend: () => (now().reconnects = (now().reconnects ?? 0) + 1),
      };
      try {
        const r = await write(GATEWAY_LB, token, q, v, stats);
        written[kind].add(r.id);
        written.keys++;
        now().writes++;
      } catch (err) {
        now().failures.push(`lost write: ${err.message.slice(0, 300)}`);
        now().lostWrites = (now().lostWrites ?? 0) + 1;
      }
    }
    (op.read ? s : phaseStats(phase)).ms.push(performance.now() - started);
    await sleep(5);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

const results = [];
function check(n, ok, text) {
  results.push({ n, ok, text });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${n}. ${text}`);
}
const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');

/** Operations each replica served, from its /metrics: { query, mutation } per replica. */
async function replicaOperations() {
  const out = {};
  for (const [name, reps] of Object.entries(procs.replicas)) {
    out[name] = [];
    for (const port of PORTS.replicas[name]) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const sum = { query: 0, mutation: 0 };
      for (const m of text.matchAll(/^rcsc_graphql_operations_total\{([^}]*)\} (\d+)/gm)) {
        const type = /type="(\w+)"/.exec(m[1])?.[1];
        if (type in sum) sum[type] += Number(m[2]);
      }
      out[name].push(sum);
    }
    void reps;
  }
  return out;
}

/** Check 2: write through A, poll B until it answers the write; the delay and any stale answer after the bound. */
async function visibilityProbe(branch, until) {
  const [tokenA, tokenB] = await Promise.all([tokenOf('probe-a'), tokenOf('probe-b')]);
  const delays = [];
  const answered = [];
  let staleAfterBound = 0;
  let hits = 0;
  let count = (await read(GW[1], tokenB, MEMBERS_OF, { id: branch }, { fresh: true })).data.organization.members.totalCount;
  // At least 5 samples, however slow the machine.
  while ((Date.now() < until() || delays.length < 5) && loadOn) {
    // B has the current answer cached (the second read is a hit while nothing changed).
    await read(GW[1], tokenB, MEMBERS_OF, { id: branch });
    const warm = await read(GW[1], tokenB, MEMBERS_OF, { id: branch });
    if (warm.cache === 'hit') hits++;
    await write(GW[0], tokenA, REGISTER_MEMBER, member(branch));
    const acked = performance.now();
    count++;
    for (;;) {
      const sent = performance.now();
      const r = await read(GW[1], tokenB, MEMBERS_OF, { id: branch });
      const seen = r.data.organization.members.totalCount;
      if (seen >= count) {
        // When the first read that saw the write was sent (its own latency is the machine's, not staleness).
        delays.push(sent - acked);
        answered.push(performance.now() - acked);
        break;
      }
      if (sent - acked > VISIBILITY_BOUND_MS) staleAfterBound++;
      if (sent - acked > 10_000) {
        staleAfterBound++;
        break;
      }
      await sleep(5);
    }
    await sleep(200);
  }
  return { delays, answered, staleAfterBound, hits, written: delays.length };
}

/** Row 8 recounted from the units themselves, each under the path it had on the date (as tests/test/reorganizations.test.ts). */
function recountUnits(units, branch, date) {
  return units.filter((u) => {
    const path = u.orgPathHistory?.find((p) => date < p.until)?.path ?? u.orgPath;
    return path.some((p) => String(p) === branch) && u.establishedOn <= date && (!u.dissolvedOn || u.dissolvedOn > date);
  }).length;
}
/**
 * Adult members recounted the same way from the register: active from joining until withdrawing
 * or lapsing (dues unpaid), except during closed lapses (services/people/src/spans.ts, MEMBER_ACTIVE).
 */
function recountMembers(members, branch, date) {
  return members.filter((m) => {
    const path = m.orgPathHistory?.find((p) => date < p.until)?.path ?? m.orgPath;
    const active =
      m.joinedOn <= date &&
      (!m.withdrawnOn || m.withdrawnOn > date) &&
      m.lapsesOn > date &&
      !(m.lapses ?? []).some((g) => g.since <= date && date < g.until);
    return m.kind === 'ADULT' && active && path.some((p) => String(p) === branch);
  }).length;
}

// ---------------------------------------------------------------------------------------------
// The run

let code = 0;
const cleanup = async () => {
  loadOn = false;
  await stopStack().catch((err) => log(`stop: ${err.message}`));
  if (!args.keep && code === 0) rmSync(dir, { recursive: true, force: true });
  else console.error(`logs, nginx config and database kept in ${dir}`);
};
// Stopped from outside (Ctrl-C, a test's timeout): every child is stopped before this process ends.
for (const [signal, exitCode] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => {
    code = exitCode;
    void cleanup().then(() => process.exit(exitCode));
  });
}

try {
  const uri = await startStack();
  const { MongoClient } = require('mongoose').mongo;
  const db = await MongoClient.connect(uri);
  const admin = await tokenOf('setup');
  const prefectures = tree.filter((b) => b.level === 'PREFECTURE' && b.divisionCode?.startsWith('33'));
  const [P1, P2, P3] = prefectures;
  const create = async (name, parentId, establishedOn) =>
    (
      await write(GATEWAY_LB, admin, `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`, {
        input: { name, level: 'COUNTY', kind: 'SPECIAL_SYSTEM', parentId, establishedOn },
      })
    ).id;
  const loadBranch = await create(`扩展测试 负载 ${today}`, P1.id, today);
  const probeBranch = await create(`扩展测试 可见 ${today}`, P1.id, today);
  const reorgBranch = await create(`扩展测试 改组 ${today}`, P2.id, '2020-01-01');
  for (let i = 0; i < 3; i++) await write(GATEWAY_LB, admin, REGISTER_MEMBER, member(reorgBranch, '2020-06-01'));
  await write(GATEWAY_LB, admin, REGISTER_UNIT, unit(reorgBranch, '2020-06-01'));

  // One key: its retry answers the first answer (not a CONFLICT on the identity number), the
  // same key with another request is refused, and one member is written.
  const { Types } = require('mongoose');
  const reusedKey = randomUUID();
  const body1 = member(probeBranch);
  const first = await writeOnce(GATEWAY_LB, admin, reusedKey, REGISTER_MEMBER, body1);
  const retried = await writeOnce(GATEWAY_LB, admin, reusedKey, REGISTER_MEMBER, body1);
  const other = await writeOnce(GATEWAY_LB, admin, reusedKey, REGISTER_MEMBER, member(probeBranch));
  const reuseCode = other.body.errors?.[0]?.extensions?.code;
  const firstId = first.body.data?.registerMember?.id;
  const stored = await db
    .db('rcsc_people')
    .collection('members')
    .countDocuments({ orgPath: new Types.ObjectId(probeBranch) });
  check(
    3,
    Boolean(firstId) &&
      retried.body.data?.registerMember?.id === firstId &&
      !retried.body.errors &&
      reuseCode === 'BAD_USER_INPUT' &&
      stored === 1,
    `Idempotency-Key end to end: the retry answers the first answer (${retried.body.data?.registerMember?.id === firstId ? 'same id' : JSON.stringify(retried.body.errors)}), the key with another request is refused (${reuseCode ?? 'accepted!'}), ${stored} member written`,
  );

  const loadSeconds = { steady: SECONDS * 0.4, kill: SECONDS * 0.3, reorg: SECONDS * 0.3 };
  log(`load: ${WORKERS} clients through nginx; writes to branch ${loadBranch}`);
  const workers = Array.from({ length: WORKERS }, (_, i) => worker(i + 1, loadBranch));

  // Phase 1: steady, with the visibility probe (check 2).
  const steadyEnd = Date.now() + loadSeconds.steady * 1000;
  const probe = await visibilityProbe(probeBranch, () => steadyEnd);
  while (Date.now() < steadyEnd) await sleep(100);
  // A round of fresh reads of each subgraph (round robin behind nginx), however slow the machine was.
  const spreadToken = await tokenOf('spread');
  for (const [q, v] of [
    [`query($id: ID!) { organization(id: $id) { name } }`, { id: P1.id }],
    [UNITS_OF, { id: loadBranch }],
    [MEMBERS_OF, { id: loadBranch }],
    [`{ instructors(first: 1) { totalCount } }`, {}],
    [`{ workPlan { id } }`, {}],
  ])
    for (let i = 0; i < 6; i++) await read(GATEWAY_LB, spreadToken, q, v, { fresh: true });
  const ops = await replicaOperations();
  console.log('\noperations served per replica (from /metrics): query / mutation');
  for (const [name, reps] of Object.entries(ops))
    console.log(`  ${name.padEnd(14)} ${reps.map((r) => `${r.query} / ${r.mutation}`).join('   ')}`);
  const spreadReads = Object.values(ops).every((reps) => reps.every((r) => r.query > 0));
  const writers = ['people', 'grassroots'];
  const spreadWrites = writers.every((w) => ops[w].every((r) => r.mutation > 0));
  check(
    1,
    spreadReads && spreadWrites,
    `reads spread over both replicas of every subgraph, writes over both replicas of ${writers.join(' and ')}`,
  );
  console.log(
    `\nvisibility through the other gateway: ${probe.written} writes; the first read that saw each was sent after p50 ${fmt(pct(probe.delays, 0.5))} ms, p90 ${fmt(pct(probe.delays, 0.9))} ms, max ${fmt(Math.max(...probe.delays))} ms (bound ${VISIBILITY_BOUND_MS} ms), answered after p50 ${fmt(pct(probe.answered, 0.5))} ms, max ${fmt(Math.max(...probe.answered))} ms; ${probe.hits} of ${probe.written} warm reads were cache hits`,
  );
  check(
    2,
    probe.written >= 3 && probe.staleAfterBound === 0,
    `a write through gateway A is seen through gateway B within ${VISIBILITY_BOUND_MS} ms (${probe.written} writes, ${probe.staleAfterBound} stale answers after the bound)`,
  );

  // Phase 2: kill -9 one replica of each subgraph and gateway B, under load; then start them again.
  phase = 'kill';
  const killed = [...Object.values(procs.replicas).map((reps) => reps[1]), procs.gateways[1]];
  log(`kill -9: ${killed.map((p) => `${p.name} (pid ${p.child.pid})`).join(', ')}`);
  for (const p of killed) p.child.kill('SIGKILL');
  await Promise.all(killed.map((p) => p.exited));
  await sleep(loadSeconds.kill * 500);
  await Promise.all(killed.map((p) => p.spawn().ready()));
  await sleep(loadSeconds.kill * 500);
  const k = phaseStats('kill');
  console.log(
    `\nkill -9 under load: ${k.reads} reads, ${k.readErrors} failed; ${k.writes} writes, ${k.writeRetries} client retries with the same key, ${k.lostWrites ?? 0} not answered`,
  );
  check(
    3,
    k.readErrors === 0 && !k.lostWrites,
    `kill -9 of ${killed.length} processes under load: ${k.readErrors} failed reads, ${k.lostWrites ?? 0} unanswered writes`,
  );

  // Phase 3: rolling restart of every process, one group at a time (restart below).
  phase = 'rolling';
  const rollStarted = Date.now();
  // Each step: out of nginx, SIGTERM (drain), start again, ready, back into nginx.
  const restart = async (group) => {
    await reloadNginx(new Set(group.map((p) => Number(p.env.PORT))));
    await Promise.all(group.map((p) => p.stop('SIGTERM')));
    await Promise.all(group.map((p) => p.spawn().ready()));
    await reloadNginx();
    // As a load balancer's health check would: the restarted replica is taken back before its partner stops.
    await sleep(SETTLE_MS);
  };
  // One replica of each subgraph at a time (the other serves), then each gateway.
  for (const i of [0, 1]) await restart(Object.values(procs.replicas).map((reps) => reps[i]));
  for (const g of procs.gateways) await restart([g]);
  // nginx: a graceful reload (new workers, old ones finish their requests).
  await reloadNginx();
  await sleep(2000);
  const r = phaseStats('rolling');
  console.log(
    `\nrolling restart of ${all().length} processes and nginx in ${((Date.now() - rollStarted) / 1000).toFixed(1)} s under load: ${r.reads} reads, ${r.readErrors} failed; ${r.writes} writes, ${r.writeRetries} retried, ${r.lostWrites ?? 0} not answered; ${r.reconnects ?? 0} requests sent again on a new connection after nginx closed theirs`,
  );
  check(
    4,
    // Reads while it ran, or "0 errors" would prove nothing (in one CI run the clients were stuck the whole time).
    r.reads > 0 && r.readErrors === 0 && r.writeRetries === 0 && !r.lostWrites,
    `rolling restart under load: ${r.reads} reads, ${r.readErrors + r.writeRetries + (r.lostWrites ?? 0)} errors`,
  );

  // Phase 4: a reorganization under load (check 5).
  phase = 'reorg';
  const [tokA, tokB] = await Promise.all([tokenOf('reorg-a'), tokenOf('reorg-b')]);
  const counts = async (url, token) => {
    const [m2, m3, u3] = await Promise.all([
      read(url, token, MEMBERS_OF, { id: P2.id }, { fresh: true }),
      read(url, token, MEMBERS_OF, { id: P3.id }, { fresh: true }),
      read(url, token, UNITS_OF, { id: P3.id }, { fresh: true }),
    ]);
    return [
      m2.data.organization.members.totalCount,
      m3.data.organization.members.totalCount,
      u3.data.organization.grassrootsUnits.totalCount,
    ];
  };
  const before = await counts(GW[1], tokB);
  await read(GW[1], tokB, MEMBERS_OF, { id: P3.id }); // cached in B
  const moved = await write(GW[0], tokA, `mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p) { id } }`, {
    id: reorgBranch,
    p: P3.id,
  });
  const movedAt = performance.now();
  const expected = [before[0] - 3, before[1] + 3, before[2] + 1];
  // Through B (which learns the version from organizations' change feed), from the moment of the
  // move, alongside the checks through A: polled until it answers the new tree.
  const probeB = (async () => {
    let staleBAfter = 0;
    for (;;) {
      const sent = performance.now();
      const c = await read(GW[1], tokB, MEMBERS_OF, { id: P3.id });
      if (c.data.organization.members.totalCount === expected[1]) return { delayB: sent - movedAt, staleBAfter };
      if (sent - movedAt > REORG_OTHER_GATEWAY_BOUND_MS) staleBAfter++;
      if (sent - movedAt > 30_000) return { delayB: null, staleBAfter };
      await sleep(20);
    }
  })();
  // Through A, at once: every replica behind nginx (6 rounds reach both), no window.
  const throughA = [];
  for (let i = 0; i < 6; i++) throughA.push(await counts(GW[0], tokA));
  const staleA = throughA.filter((c) => JSON.stringify(c) !== JSON.stringify(expected)).length;
  // Each replica directly, as gateway A asks it (with the tree version it learned).
  const version = await db.db('rcsc_organizations').collection('reorganizations').countDocuments();
  const svc = await serviceToken();
  const direct = [];
  for (const [name, field] of [
    ['people', 'members(first: 1) { totalCount }'],
    ['grassroots', 'grassrootsUnits(first: 1) { totalCount }'],
  ])
    for (const port of PORTS.replicas[name]) {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${svc}`, 'x-tree-version': String(version) },
        body: JSON.stringify({
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { ${field} } } }`,
          variables: { r: [{ __typename: 'Organization', id: P3.id }] },
        }),
      });
      const body = await res.json();
      const got = Object.values(body.data?._entities?.[0] ?? {})[0]?.totalCount;
      direct.push({ replica: `${name}@${port}`, got, want: name === 'people' ? expected[1] : expected[2] });
    }
  const staleDirect = direct.filter((d) => d.got !== d.want);
  const { delayB, staleBAfter } = await probeB;
  console.log(
    `\nreorganization (${moved.id} moved from ${P2.name} to ${P3.name}, tree version ${version}): through gateway A ${throughA.length - staleA}/${throughA.length} rounds on the new tree at once; ` +
      `replicas asked directly with the version: ${direct.map((d) => `${d.replica} ${d.got}/${d.want}`).join(', ')}; through gateway B the first read on the new tree was sent after ${fmt(delayB)} ms (bound ${REORG_OTHER_GATEWAY_BOUND_MS} ms, ${staleBAfter} stale answers after it)`,
  );
  // Gateway B learns the tree version from organizations' change feed (ADR 0008), so past the
  // bound it sends it with every request and the replicas catch up before they answer.
  check(
    5,
    staleA === 0 && staleDirect.length === 0 && delayB !== null && delayB <= REORG_OTHER_GATEWAY_BOUND_MS && staleBAfter === 0,
    `a reorganization is seen by every replica before it serves a request through gateway A (${staleA + staleDirect.length} stale answers), through gateway B within ${REORG_OTHER_GATEWAY_BOUND_MS} ms (after ${fmt(delayB)} ms, ${staleBAfter} stale answers after the bound)`,
  );
  const reorgEnd = Date.now() + loadSeconds.reorg * 1000;
  while (Date.now() < reorgEnd) await sleep(100);

  // The end of the load; then the registers against what was written, and annex 1 against a recount.
  loadOn = false;
  await Promise.all(workers);
  await sleep(1000);
  const people = db.db('rcsc_people').collection('members');
  const units = db.db('rcsc_grassroots').collection('grassroots_units');
  const inLoad = { orgPath: new Types.ObjectId(loadBranch) };
  const [membersStored, unitsStored] = await Promise.all([people.countDocuments(inLoad), units.countDocuments(inLoad)]);
  const lost = [...phases.values()].reduce((a, s) => a + (s.lostWrites ?? 0), 0);
  console.log(
    `\nwrites: ${written.keys} answered (${written.members.size} members, ${written.units.size} units); stored in the load branch: ${membersStored} members, ${unitsStored} units; ${lost} never answered`,
  );
  check(
    3,
    lost === 0 &&
      membersStored === written.members.size &&
      unitsStored === written.units.size &&
      written.members.size + written.units.size === written.keys,
    `no lost or duplicated write: every write answered once and stored once (${written.keys} writes, ${membersStored + unitsStored} records)`,
  );

  const check6 = [
    loadBranch,
    probeBranch,
    reorgBranch,
    P1.id,
    P2.id,
    P3.id,
    tree.find((b) => b.id === P1.parentId)?.id ?? nationalId(),
    nationalId(),
  ];
  const date = new Date(`${today}T00:00:00Z`);
  let mismatches = [];
  const recountToken = await tokenOf('recount');
  for (let attempt = 0; attempt < 20; attempt++) {
    const [allMembers, allUnits] = await Promise.all([people.find({}).toArray(), units.find({}).toArray()]);
    mismatches = [];
    for (const b of check6) {
      const row = (
        await read(
          GATEWAY_LB,
          recountToken,
          `query($id: ID!) { organization(id: $id) { survey(asOf: "${today}") { grassrootsUnits adultMembers } } }`,
          { id: b },
          { fresh: true },
        )
      ).data.organization.survey;
      const want = { grassrootsUnits: recountUnits(allUnits, b, date), adultMembers: recountMembers(allMembers, b, date) };
      if (row.grassrootsUnits !== want.grassrootsUnits || row.adultMembers !== want.adultMembers) mismatches.push({ b, row, want });
    }
    if (!mismatches.length) break;
    await sleep(500);
  }
  check(
    6,
    mismatches.length === 0,
    `annex 1 rows 8 and 10 of ${check6.length} branches (the written ones, their ancestors, the nation) equal a recount from the registers${mismatches.length ? `: ${JSON.stringify(mismatches).slice(0, 500)}` : ''}`,
  );
  await db.close();

  console.log('\nrequests by phase              reads  failed  resent   writes  retried   p50 ms   p99 ms');
  for (const [name, s] of phases)
    console.log(
      `  ${name.padEnd(26)} ${String(s.reads).padStart(7)} ${String(s.readErrors).padStart(7)} ${String(s.reconnects ?? 0).padStart(7)} ${String(s.writes).padStart(8)} ${String(s.writeRetries).padStart(8)} ${fmt(pct(s.ms, 0.5)).padStart(8)} ${fmt(pct(s.ms, 0.99)).padStart(8)}`,
    );
  console.log('  (resent: reads and writes sent again, once, on a new connection after nginx closed the kept-alive one)');
  for (const [name, s] of phases) for (const f of s.failures) console.log(`  ${name}: ${f}`);
  try {
    const access = readFileSync(join(dir, 'nginx-access.log'), 'utf8').split('\n');
    const retried = access.filter((l) => l.split(' ')[3]?.includes(',')).length;
    console.log(`nginx: ${access.length - 1} requests, ${retried} passed to another replica after one failed`);
  } catch {
    /* no log */
  }
  code = results.every((r) => r.ok) ? 0 : 1;
  console.log(`\n${results.filter((r) => r.ok).length}/${results.length} checks passed`);
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
  code = 1;
}
await cleanup();
process.exit(code);
