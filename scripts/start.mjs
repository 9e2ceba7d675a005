// npm start: the embedded database (persisted under data/, loaded with the national dataset on
// first start; or MONGODB_URI), every subgraph and the gateway, under a small supervisor:
// a child that crashes is restarted with backoff while the others keep serving, and Ctrl-C or
// SIGTERM stops everything within 10 s (children that do not drain in time are killed).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, SUBGRAPHS, loadDataset } from './stack.mjs';
import { loadKeys } from './keys.mjs';
import { parseCli } from './cli.mjs';

const require = createRequire(join(ROOT, 'package.json'));

const { values: args } = parseCli({
  usage: 'npm start -- [--scale national|default|branches] [--port-base N]',
  description: 'The database, the five subgraphs and the gateway, supervised: a crashed process is restarted; Ctrl-C stops everything.',
  options: {
    scale: {
      type: 'string',
      default: 'national',
      choices: ['national', 'default', 'branches'],
      description: 'the dataset loaded on first start (branches: only the branch tree, the quickest, for tests)',
    },
    'port-base': {
      type: 'string',
      integer: [1024, 65529],
      description:
        'the gateway on N, the subgraphs on N+1..N+5, the embedded database on N+6 (else PORT or 4000, 4001-4005, MONGO_PORT or 27018)',
    },
  },
});
const base = args['port-base'] === undefined ? undefined : Number(args['port-base']);
const GATEWAY_PORT = base ?? Number(process.env.PORT ?? 4000);
const MONGO_PORT = base === undefined ? Number(process.env.MONGO_PORT ?? 27018) : base + 6;
const subgraphPort = (s, i) => (base === undefined ? s.port : base + 1 + i);

/** Budget for a clean stop: Ctrl-C ends `npm start` within 10 s whatever the children do. */
const STOP_GRACE_MS = { gateway: 3000, subgraphs: 3500, database: 2000 };
/** Restart delays after a crash: 1 s, 2 s, 4 s … at most 30 s; a child up for a minute starts again at 1 s. */
const backoff = (attempt) => Math.min(30_000, 1000 * 2 ** attempt);
const STABLE_MS = 60_000;

/** @type {Map<string, Supervised>} */
const supervised = new Map();
/** The embedded database's child process, when this started one. */
let database;
let stopping = false;

const log = (msg) => console.error(`[start] ${msg}`);

/** Alive means neither an exit code nor a signal has been seen (a signal-killed child has exitCode null). */
const alive = (child) => child.exitCode === null && child.signalCode === null;

/**
 * One supervised process. `exited` is a promise made when the process is spawned and resolved by
 * its one `exit` event, so a stop that comes after the process already ended does not wait for
 * an event that will never come again (the old hang).
 */
class Supervised {
  constructor(name, script, env, readyUrl) {
    Object.assign(this, { name, script, env, readyUrl, attempt: 0, restarts: 0, timer: null });
  }

  spawn() {
    const child = spawn(process.execPath, [this.script], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.child = child;
    this.startedAt = Date.now();
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    log(`${this.name} pid ${child.pid}`);
    void this.exited.then(({ code, signal }) => this.onExit(child, code, signal));
    return this;
  }

  onExit(child, code, signal) {
    if (stopping || child !== this.child) return;
    const how = signal ?? `code ${code}`;
    if (!this.wasReady) {
      log(`${this.name} stopped while starting (${how}); stopping everything`);
      void stop(1);
      return;
    }
    if (Date.now() - this.startedAt > STABLE_MS) this.attempt = 0;
    const delay = backoff(this.attempt++);
    this.restarts++;
    log(`${this.name} exited unexpectedly (${how}); restart ${this.restarts} in ${delay / 1000} s, the others keep serving`);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (stopping) return;
      this.spawn();
      waitReady(this).then(
        () => log(`${this.name} is back (pid ${this.child.pid})`),
        (err) => log(`${this.name} not ready after restart: ${err.message}`),
      );
    }, delay);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  async terminate(graceMs) {
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || !alive(child)) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => {
      if (alive(child)) {
        log(`${this.name} did not stop within ${graceMs / 1000} s: killing it`);
        child.kill('SIGKILL');
      }
    }, graceMs);
    await this.exited;
    clearTimeout(kill);
  }
}

async function waitReady(proc) {
  const deadline = Date.now() + 60_000;
  const child = proc.child;
  while (Date.now() < deadline && !stopping) {
    if (!alive(child)) throw new Error(`${proc.name} exited (${child.signalCode ?? `code ${child.exitCode}`}) while starting`);
    try {
      if ((await fetch(proc.readyUrl, { signal: AbortSignal.timeout(2000) })).ok) {
        proc.wasReady = true;
        return;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (stopping) throw new Error('stopping');
  throw new Error(`${proc.name} did not become ready at ${proc.readyUrl} within 60 s`);
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // Whatever happens below, the process is gone within 10 s.
  setTimeout(() => {
    log('stop took too long: killing what is left');
    for (const p of supervised.values()) if (p.child && alive(p.child)) p.child.kill('SIGKILL');
    process.exit(code || 1);
  }, 9500).unref();
  log('stopping: the gateway first, then the subgraphs drain their requests');
  const gateway = supervised.get('gateway');
  if (gateway) await gateway.terminate(STOP_GRACE_MS.gateway);
  await Promise.all([...supervised.values()].filter((p) => p !== gateway).map((p) => p.terminate(STOP_GRACE_MS.subgraphs)));
  if (database && alive(database.child)) {
    // a stop that outlasts the grace is cut short: the journal keeps every acknowledged write
    database.child.kill('SIGTERM');
    const stopped = await Promise.race([
      database.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), STOP_GRACE_MS.database)),
    ]);
    if (!stopped) {
      log('the database did not stop in time: killed (its journal is replayed at the next start)');
      database.child.kill('SIGKILL');
    }
  }
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/**
 * The embedded database as a child process (its CLI); `uri` resolves once it has recovered.
 * Inside this process it made every later fork copy its page tables: ~0.4 s per supervised
 * process beside a recovered national dataset, one after another.
 */
function startDatabase(dbPath) {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'packages', 'embedded-mongo', 'dist', 'cli.js'), '--port', String(MONGO_PORT), '--dbpath', dbPath],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  log(`database pid ${child.pid}`);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  const uri = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then((how) => reject(new Error(`the embedded database exited (${how}) while starting`)));
  });
  // Everything else needs it: without it the stack stops (and says why).
  void exited.then((how) => {
    if (stopping) return;
    log(`the embedded database exited (${how}): stopping`);
    void stop(1);
  });
  return { child, uri, exited };
}

async function main() {
  // Keys for tokens and personal data, made on first start; every process gets them.
  Object.assign(process.env, loadKeys());
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    const dbPath = process.env.EMBEDDED_MONGO_DBPATH ?? join(ROOT, 'data', 'db');
    mkdirSync(dbPath, { recursive: true });
    database = startDatabase(dbPath);
    uri = await database.uri;
    console.log(`embedded database: ${uri} (data in ${dbPath})`);
  }
  // First start: load the dataset (idempotent, so an interrupted load just resumes).
  const { MongoClient } = require('mongoose').mongo;
  const client = await MongoClient.connect(uri);
  const meta = client.db('rcsc_meta').collection('datasets');
  if (!(await meta.findOne({}))) {
    console.log(`loading the ${args.scale} dataset (first start)…`);
    await loadDataset(uri, args.scale === 'branches' ? { scale: 'default', only: ['organizations'] } : { scale: args.scale });
    await meta.updateOne({ _id: args.scale }, { $set: { loadedAt: new Date() } }, { upsert: true });
  }
  await client.close();
  if (stopping) return;

  const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
  const urls = Object.fromEntries(SUBGRAPHS.map((s, i) => [s.urlEnv, `http://127.0.0.1:${subgraphPort(s, i)}/graphql`]));
  for (const [i, s] of SUBGRAPHS.entries()) {
    const port = subgraphPort(s, i);
    const proc = new Supervised(
      s.name,
      join(ROOT, 'services', s.name, 'dist', 'index.js'),
      {
        MONGODB_URI: uri,
        PORT: String(port),
        ORGANIZATIONS_URL: urls.ORGANIZATIONS_URL,
        // people checks grassroots unit references against the grassroots subgraph.
        GRASSROOTS_URL: urls.GRASSROOTS_URL,
        GATEWAY_URL: gatewayUrl,
      },
      `http://127.0.0.1:${port}/ready`,
    );
    supervised.set(s.name, proc.spawn());
  }
  const gateway = new Supervised(
    'gateway',
    join(ROOT, 'gateway', 'dist', 'index.js'),
    { ...urls, PORT: String(GATEWAY_PORT) },
    `http://127.0.0.1:${GATEWAY_PORT}/ready`,
  );
  supervised.set('gateway', gateway.spawn());
  // Everything starts side by side (the gateway's /ready waits for every subgraph's): starting
  // one after another left a core idle while each waited on the database.
  await Promise.all([...supervised.values()].map((proc) => waitReady(proc)));
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
  log('stack ready');
}

main().catch((err) => {
  if (stopping) return;
  console.error(err instanceof Error ? err.message : err);
  void stop(1);
});
