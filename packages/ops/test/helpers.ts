import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

/** The environment of a process started by a test: no jest markers (they silence logs and make test keys), no MONGODB_URI. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['JEST_WORKER_ID', 'MONGODB_URI', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'PERSONAL_DATA_KEY', 'NODE_OPTIONS']) delete env[k];
  return { ...env, ...extra };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port with `count` free ports from it (never 4000-4005 or 27017), for npm start's --port-base. */
export async function freePortBase(count = 7): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free port range found');
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (for the CLIs). */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 60_000): RunResult {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Stack {
  /** The supervisor (node scripts/start.mjs), leader of its own process group. */
  proc: ChildProcess;
  base: number;
  gateway: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Everything the supervisor and its children wrote so far. */
  output(): string;
  /** The pid of each supervised process, from the supervisor's "[start] <name> pid <n>" lines (the latest). */
  pids(): Record<string, number>;
  /** Resolves with the exit code or signal once the supervisor has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  token(): Promise<string>;
  query(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * `npm start` as a user runs it, minus the build (the tests depend on it): the branch tree only
 * (--scale branches: the default dataset's other parts take minutes to load on CI), in a
 * temporary data dir, on free ports, in its own process group so a test can Ctrl-C the group.
 */
export async function startStack(extraEnv: Record<string, string> = {}, reuse?: { dir: string }): Promise<Stack> {
  // A data dir of an earlier stack: its dataset is there, the start is quick; it stays for its owner.
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'rcsc-start-'));
  const base = await freePortBase();
  const env = cleanEnv({
    EMBEDDED_MONGO_DBPATH: join(dir, 'db'),
    RCSC_KEYS_FILE: join(dir, 'keys.json'),
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  });
  const proc = spawn(process.execPath, ['scripts/start.mjs', '--scale', 'branches', '--port-base', String(base)], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(pattern);
        if (m) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no ${pattern} within ${timeoutMs / 1000} s; output:\n${out.slice(-4000)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  const gateway = `http://127.0.0.1:${base}/graphql`;
  let token: string | undefined;
  const stack: Stack = {
    proc,
    base,
    gateway,
    dir,
    env,
    output: () => out,
    pids() {
      const pids: Record<string, number> = {};
      for (const m of out.matchAll(/\[start\] (\w+) pid (\d+)/g)) pids[m[1]] = Number(m[2]);
      return pids;
    },
    exited,
    waitFor,
    async token() {
      if (!token) {
        const r = run(process.execPath, ['scripts/token.mjs', '--role', 'ADMIN'], env);
        if (r.code !== 0) throw new Error(r.stderr);
        token = r.stdout.trim();
      }
      return token;
    },
    async query(query, variables = {}, t) {
      const send = async () =>
        fetch(gateway, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t ?? (await stack.token())}` },
          body: JSON.stringify({ query, variables }),
        });
      // A pooled connection idle for the server's keep-alive time can be closed as it is reused: once more.
      const res = await send().catch(send);
      return { status: res.status, body: await res.json() };
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        try {
          process.kill(-proc.pid!, 'SIGTERM');
        } catch {
          /* gone */
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-proc.pid!, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, 12_000);
        await exited;
        clearTimeout(timer);
      }
      if (!reuse) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(/\[start\] stack ready/, 240_000);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Chromium from Debian (apt-get install chromium), or null when it is not installed. */
export function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

/**
 * Opens `url` in headless Chromium and resolves with what the page POSTs to /result of its
 * server (`results`), then stops the browser (its whole process group).
 */
export async function inChromium(chromium: string, url: string, result: Promise<unknown>, timeoutMs = 60_000): Promise<unknown> {
  const profile = mkdtempSync(join(tmpdir(), 'rcsc-chromium-'));
  const browser = spawn(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', `--user-data-dir=${profile}`, url],
    { detached: true, stdio: 'ignore' },
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      result,
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no result from ${url} within ${timeoutMs / 1000} s`)), timeoutMs)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
    const gone = new Promise((r) => browser.once('exit', r));
    try {
      process.kill(-browser.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await gone;
    rmSync(profile, { recursive: true, force: true });
  }
}
