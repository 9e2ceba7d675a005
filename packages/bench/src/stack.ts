// The stack under test, each part in its own process so that the load generator, the gateways,
// the subgraphs and the database do not share an event loop: the embedded database (in memory),
// the five subgraphs, our gateway and Hive Gateway. Loopback only; every child is stopped by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadProgress, seedService, type SeedableService } from '@rcsc/boot';
import { PersonalDataVault } from '@rcsc/personal-data';
import type { DatasetScale } from '@rcsc/dataset';
import { SUBGRAPHS, REPO_ROOT } from '@rcsc/gateway/dist/subgraphs';
import { SUPERGRAPH_FILE } from '@rcsc/gateway/dist/build-supergraph';
import { responseCacheConfigFromEnv } from '@rcsc/gateway/dist/response-cache';

import { BENCH_REQUEST_ID, countBenchRequests } from './log-lines';

/** The dataset's size (the dataset package's own type). */
export type Scale = DatasetScale;

export { BENCH_REQUEST_ID };

/** What a data directory holds: written once its dataset is fully loaded, so a half-load is never reused. */
export interface DatasetMarker {
  scale: Scale;
  loadedAt: string;
  /** The personal-data key the dataset was encrypted with (a local benchmark dataset, not production data). */
  personalDataKey: string;
  lines: string[];
}
const MARKER = 'bench-dataset.json';

/** The dataset of `scale` fully loaded in `dir` earlier (by the bench or a measuring script), or null. */
export function readDatasetMarker(dir: string, scale: Scale): DatasetMarker | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as DatasetMarker;
    return m.scale === scale ? m : null;
  } catch {
    return null;
  }
}

interface Child {
  name: string;
  proc: ChildProcess;
  /** The file its stdout and stderr go to. */
  log: string;
}

/** Seeds one service's database: the `seed(models, opts)` every service package exports. */
export class Stack {
  readonly dir = mkdtempSync(join(tmpdir(), 'rcsc-bench-'));
  private readonly children: Child[] = [];
  mongoUri = '';
  /** Whether the database keeps its data on disk (it then gets time to write its snapshot on stop). */
  private persisted = false;
  /** Offsets already counted in each subgraph's log, by subgraph name. */
  private readonly logOffsets = new Map<string, number>();

  constructor(
    /** Our gateway listens here, the subgraphs on the next five ports. */
    readonly basePort: number,
    private readonly env: Record<string, string>,
  ) {}

  subgraphPort(name: string): number {
    return this.basePort + 1 + SUBGRAPHS.findIndex((s) => s.name === name);
  }

  subgraphUrl(name: string): string {
    return `http://127.0.0.1:${this.subgraphPort(name)}/graphql`;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.basePort}/graphql`;
  }

  private spawn(name: string, args: string[], env: Record<string, string>): Child {
    const log = join(this.dir, `${name}.log`);
    const fd = openSync(log, 'a');
    // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": every child profiled (Node refuses it in NODE_OPTIONS)
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const proc = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, ...env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const child = { name, proc, log };
    this.children.push(child);
    return child;
  }

  private async waitReady(child: Child, url: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.proc.exitCode !== null)
        throw new Error(`${child.name} exited (code ${child.proc.exitCode}) while starting; see ${child.log}`);
      try {
        if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${child.name} not ready at ${url} within ${timeoutMs / 1000} s; see ${child.log}`);
  }

  /** The embedded database as its own process (its CLI prints the URI): in memory, or persisted in `dbPath`. */
  async startDatabase(dbPath?: string): Promise<void> {
    const args = [join(REPO_ROOT, 'packages/embedded-mongo/dist/cli.js'), '--port', '0', ...(dbPath ? ['--dbpath', dbPath] : [])];
    // A national dataset is several GB in the database's heap.
    const child = this.spawn('mongo', [...(dbPath ? ['--max-old-space-size=16384'] : []), ...args], {});
    this.persisted = !!dbPath;
    // Recovering a persisted national dataset takes a while before the URI is printed.
    const deadline = Date.now() + (dbPath ? 30 * 60_000 : 30_000);
    while (!this.mongoUri && Date.now() < deadline) {
      if (child.proc.exitCode !== null) throw new Error(`embedded database exited while starting; see ${child.log}`);
      const text = readTail(child.log, 0);
      const uri = /mongodb:\/\/\S+/.exec(text)?.[0];
      if (uri) this.mongoUri = uri;
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!this.mongoUri) throw new Error(`embedded database did not print its URI in time; see ${child.log}`);
  }

  /**
   * The database with the dataset of `scale`: the one `kept` in `data` (reused as it is), or a new
   * load (into `data`, marked once complete, when a directory is given; in memory otherwise).
   * PERSONAL_DATA_KEY must already be the kept dataset's.
   */
  async openDataset(scale: Scale, data: string | null, kept: DatasetMarker | null, log: (line: string) => void): Promise<void> {
    const started = Date.now();
    if (data && !kept) {
      rmSync(data, { recursive: true, force: true });
      mkdirSync(data, { recursive: true });
    }
    if (kept) log(`reusing the ${scale} dataset loaded on ${kept.loadedAt} in ${data} (--reload to load it again)`);
    await this.startDatabase(data ?? undefined);
    log(
      `embedded database ${this.mongoUri} (${data ? `data in ${data}` : 'in memory'}) ready in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    if (kept) for (const line of kept.lines) log(line);
    else {
      log(`loading the ${scale} dataset…`);
      const lines: string[] = [];
      await this.loadDataset(scale, (line) => {
        lines.push(line);
        log(line);
      });
      const marker: DatasetMarker = {
        scale,
        loadedAt: new Date().toISOString(),
        personalDataKey: process.env.PERSONAL_DATA_KEY ?? '',
        lines,
      };
      if (data) writeFileSync(join(data, MARKER), JSON.stringify(marker, null, 2));
    }
  }

  /** Each service generates and writes its own part of the dataset (as scripts/stack.mjs does). */
  async loadDataset(scale: Scale, onLine: (line: string) => void): Promise<void> {
    const vault = PersonalDataVault.fromEnv(process.env, { required: true });
    for (const s of SUBGRAPHS) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const service = require(`@rcsc/${s.name}`) as SeedableService;
      const loaded = await seedService(this.mongoUri, s.name, service, { scale, vault, onProgress: loadProgress(s.name) });
      if (loaded) onLine(`  ${s.name.padEnd(14)} ${JSON.stringify(loaded.result)} in ${loaded.seconds.toFixed(1)} s`);
    }
  }

  /** The five subgraphs, each `node services/<name>/dist/index.js`, logging one line per request. */
  async startSubgraphs(): Promise<void> {
    const started = SUBGRAPHS.map((s) => {
      const child = this.spawn(s.name, [join(REPO_ROOT, 'services', s.name, 'dist', 'index.js')], {
        MONGODB_URI: this.mongoUri,
        PORT: String(this.subgraphPort(s.name)),
        ORGANIZATIONS_URL: this.subgraphUrl('organizations'),
        // Reporting reads live values through our gateway (not used by the benchmark's operations).
        GATEWAY_URL: this.gatewayUrl,
        // info: one "request" line per request, which is how subgraph requests are counted.
        LOG_LEVEL: 'info',
      });
      return { s, child };
    });
    for (const { s, child } of started) await this.waitReady(child, `http://127.0.0.1:${this.subgraphPort(s.name)}/ready`);
  }

  /**
   * Our gateway: gateway/dist/index.js with every subgraph URL pointed at this stack (`env`, e.g.
   * GATEWAY_RESPONSE_CACHE=off, on top).
   */
  async startOurGateway(name = 'gateway', env: Record<string, string> = {}): Promise<string> {
    const urls = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlEnv, this.subgraphUrl(s.name)]));
    const child = this.spawn(name, [join(REPO_ROOT, 'gateway', 'dist', 'index.js')], {
      ...urls,
      PORT: String(this.basePort),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...env,
    });
    await this.waitReady(child, `http://127.0.0.1:${this.basePort}/ready`);
    return this.gatewayUrl;
  }

  /**
   * Hive Gateway (pure JavaScript, or with its Rust query planner) on the same supergraph file,
   * with the subgraph URLs of this stack and the caller's Authorization passed on to them.
   */
  async startHiveGateway(name: string, port: number, routerRuntime: boolean, responseCache = false): Promise<string> {
    const config = join(this.dir, `${name}.config.mjs`);
    const entries = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, { location: this.subgraphUrl(s.name) }]));
    writeFileSync(
      config,
      `export const gatewayConfig = {
  supergraph: ${JSON.stringify(SUPERGRAPH_FILE)},
  transportEntries: ${JSON.stringify(entries)},
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization'),
      'x-request-id': request.headers.get('x-request-id'),
    }),
  },
  logging: 'warn',${
    responseCache
      ? `
  // Hive Gateway's response cache (@graphql-mesh/plugin-response-cache, built in), per viewer and
  // with the maximum age of ours; it invalidates only on mutations through itself.
  responseCaching: { session: (request) => request.headers.get('authorization'), ttl: ${responseCacheConfigFromEnv().maxAgeMs} },`
      : ''
  }
  graphiql: false,
  landingPage: false,
};
`,
    );
    // The package's "bin" (its exports do not list the file itself).
    const bin = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist', 'bin.js');
    const args = [bin, 'supergraph', '--config-path', config, '--host', '127.0.0.1', '--port', String(port), '--disable-websockets'];
    if (routerRuntime) args.push('--hive-router-runtime');
    const child = this.spawn(name, args, { NODE_ENV: 'production' });
    await this.waitReady(child, `http://127.0.0.1:${port}/healthcheck`, 60_000);
    // Without @graphql-hive/router-runtime it warns and quietly plans in JavaScript instead.
    if (routerRuntime && readTail(child.log, 0).includes('Falling back to the default runtime'))
      throw new Error('the Hive Router runtime did not load (Falling back to the default runtime)');
    return `http://127.0.0.1:${port}/graphql`;
  }

  /** Stops one child (SIGTERM, then SIGKILL after 10 s), by its pid. */
  async stopChild(name: string): Promise<void> {
    const i = this.children.findIndex((c) => c.name === name);
    if (i < 0) return;
    const [child] = this.children.splice(i, 1);
    await stopProcess(child.proc);
  }

  /** The bench's subgraph requests logged since the last call, by subgraph (complete lines only). */
  countSubgraphRequests(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of SUBGRAPHS) {
      const log = join(this.dir, `${s.name}.log`);
      const from = this.logOffsets.get(s.name) ?? 0;
      const text = readTail(log, from);
      const end = text.lastIndexOf('\n') + 1;
      const complete = text.slice(0, end);
      this.logOffsets.set(s.name, from + Buffer.byteLength(complete));
      counts[s.name] = countBenchRequests(complete);
    }
    return counts;
  }

  /**
   * Waits until no subgraph has logged a request of the bench for `quietMs` (requests cut off by
   * the load tool drain). When it counted every request, the followers' polls kept
   * every wait at its 60 s maximum: the "stall" of the run of 2026-12-02.
   */
  async settle(quietMs = 500, maxMs = 60_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, quietMs));
      if (Object.values(this.countSubgraphRequests()).every((n) => n === 0)) return;
    }
  }

  /** The last lines a child wrote (for errors). */
  tail(name: string, lines = 20): string {
    const child = this.children.find((c) => c.name === name);
    if (!child) return '';
    return readTail(child.log, 0).split('\n').slice(-lines).join('\n');
  }

  /** Gateways first, then subgraphs, then the database; each by pid. Removes the logs. */
  async stop({ keepLogs = false } = {}): Promise<void> {
    for (const child of [...this.children].reverse())
      await stopProcess(child.proc, child.name === 'mongo' && this.persisted ? 10 * 60_000 : 10_000);
    this.children.length = 0;
    if (!keepLogs) rmSync(this.dir, { recursive: true, force: true });
  }
}

function readTail(file: string, from: number): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return '';
  }
  if (size <= from) return '';
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    readSync(fd, buf, 0, buf.length, from);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

async function stopProcess(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  process.kill(proc.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) process.kill(proc.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}
