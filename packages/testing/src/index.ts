import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import { isRollUpCommand } from '@rcsc/counters';
import { connectDatabase, ensureIndexes, type Database } from '@rcsc/db';
import { startEmbeddedMongo } from '@rcsc/embedded-mongo';
import { composeSupergraph, createGateway } from '@rcsc/gateway';
import {
  Authenticator,
  setLogDestination,
  type Role,
  type RunningServer,
  type Subgraph,
  type TokenClaims,
  type Viewer,
} from '@rcsc/service-kit';

export interface TestDatabase extends Database {
  /** Database commands sent since the last reset (driver command monitoring). */
  commands: CommandCounter;
}

export interface CommandCounter {
  count(): number;
  names(): string[];
  reset(): void;
}

/** Counts the commands a connection sends, ignoring the driver's own handshakes and heartbeats. */
export function countCommands(connection: Connection): CommandCounter {
  const IGNORED = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'saslStart', 'saslContinue']);
  let names: string[] = [];
  connection.getClient().on('commandStarted', (e) => {
    // The counters' roll-up runs in the background on the same connection (ADR 0005).
    if (!IGNORED.has(e.commandName) && !isRollUpCommand(e.command)) names.push(e.commandName);
  });
  return { count: () => names.length, names: () => [...names], reset: () => void (names = []) };
}

/** Where a test database lives: by default a fresh uniquely named one (see startTestDatabase). */
export interface TestDatabaseLocation {
  /** A server already running (e.g. one opened on a copy of a seeded snapshot); the caller stops it. */
  uri?: string;
  /** The database's exact name on that server (default: `<name>_<random>`). */
  dbName?: string;
}

/**
 * A fresh, empty database for one test file: a uniquely named database on MONGODB_URI when set
 * (so the suite also runs against a real MongoDB), else on an in-memory embedded server.
 */
export async function startTestDatabase(name = 'test', at: TestDatabaseLocation = {}): Promise<TestDatabase> {
  let uri = at.uri ?? process.env.MONGODB_URI;
  let own: { stop(): Promise<void> } | undefined;
  if (!uri) {
    const server = await startEmbeddedMongo({});
    own = server;
    uri = server.uri;
  }
  const db = await connectDatabase(at.dbName ?? `${name}_${randomBytes(4).toString('hex')}`, { uri, monitorCommands: true });
  const commands = countCommands(db.connection);
  return {
    ...db,
    commands,
    async close() {
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
      await own?.stop();
    },
  };
}

/** Any subgraph, whatever its context type (ApolloServer<C> is invariant in C). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySubgraph = Subgraph<any>;

export interface TestService<S extends AnySubgraph> {
  subgraph: S;
  db: TestDatabase;
  stop(): Promise<void>;
}

/** Creates a subgraph on a fresh test database (indexes built); Apollo starts on first use. */
export async function startTestService<S extends AnySubgraph>(
  name: string,
  create: (connection: Connection) => S,
  at: TestDatabaseLocation = {},
): Promise<TestService<S>> {
  const db = await startTestDatabase(name, at);
  const subgraph = create(db.connection);
  await ensureIndexes(db.connection);
  return {
    subgraph,
    db,
    async stop() {
      try {
        await subgraph.apollo.stop();
      } catch (err) {
        // Never started (a beforeAll that failed first): nothing to stop, and its database must
        // still close, or its server keeps jest from ever exiting.
        if (!/should only be called after .*start\(\)/.test((err as Error).message)) throw err;
      } finally {
        await db.close();
      }
    },
  };
}

export interface ExecuteResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A viewer with the given roles in the given branch's subtree. */
export function testViewer(roles: Role[], organizationId: string | null = null): Viewer {
  return { userId: `test:${roles.join('+')}`, name: 'Test User', organizationId, roles, token: null };
}

/** Unrestricted (SERVICE role): the default for tests that are not about authorization. */
export const serviceViewer = testViewer(['SERVICE']);

/** A bearer token the test process's services accept (they share Authenticator.fromEnv()). */
export function testToken(claims: Partial<TokenClaims> = {}): Promise<string> {
  return Authenticator.fromEnv().sign({ sub: 'test-user', roles: ['SERVICE'], ...claims });
}

/** Runs an operation directly against a subgraph (no HTTP), as the given viewer (default: unrestricted). */
export async function execute<T = Record<string, unknown>>(
  subgraph: AnySubgraph,
  query: string,
  variables: Record<string, unknown> = {},
  viewer: Viewer = serviceViewer,
): Promise<ExecuteResult<T>> {
  const response = await subgraph.apollo.executeOperation({ query, variables }, { contextValue: await subgraph.createContext(viewer) });
  if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
  return response.body.singleResult as ExecuteResult<T>;
}

export interface TestStack {
  gatewayUrl: string;
  /** Each subgraph's own URL, by name (to prove they refuse direct calls without a token). */
  subgraphUrls: Record<string, string>;
  /** POSTs an operation to the gateway over HTTP (with an unrestricted token unless headers give one). */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<ExecuteResult<T> & { status: number }>;
  stop(): Promise<void>;
}

/**
 * Starts subgraphs (already created, e.g. by startTestService) on free ports, composes them and
 * puts a gateway in front, all over HTTP as in production.
 */
export async function startTestStack(subgraphs: AnySubgraph[]): Promise<TestStack> {
  const running: RunningServer[] = [];
  try {
    for (const s of subgraphs) running.push(await s.listen(0));
    const supergraphSdl = composeSupergraph(subgraphs.map((s, i) => ({ name: s.name, url: running[i].url, typeDefs: s.typeDefs })));
    const gateway = await createGateway({ supergraphSdl }).listen(0);
    running.push(gateway);
    return {
      gatewayUrl: gateway.url,
      subgraphUrls: Object.fromEntries(subgraphs.map((s, i) => [s.name, running[i].url])),
      async query(query, variables = {}, headers = {}) {
        const res = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await testToken()}`, ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return { status: res.status, ...((await res.json()) as ExecuteResult) } as never;
      },
      async stop() {
        for (const r of running.reverse()) await r.close();
      },
    };
  } catch (err) {
    for (const r of running.reverse()) await r.close();
    throw err;
  }
}

/** Polls `fn` until it answers true (a feed event arrived, a replica caught up); fails after `ms`. */
export async function eventually(fn: () => Promise<boolean>, ms = 10_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
export interface CapturedLogs {
  /** Every line logged since, parsed. */
  lines: Record<string, unknown>[];
  /** Logs go to stdout again, at the level they had. */
  stop(): void;
}

/**
 * Captures the log lines of every service and gateway created from now on, at info and above
 * (loggers read LOG_LEVEL and the destination when they are created: start the stack after this).
 */
export function captureLogs(): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const saved = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'info';
  setLogDestination(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  return {
    lines,
    stop() {
      setLogDestination(undefined);
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    },
  };
}

/**
 * Sends one operation to a subgraph as each refused viewer: every answer must be FORBIDDEN with
 * no data, and `state()` (for example the collections' and the audit log's counts) must be the
 * same afterwards, since a refusal changes nothing.
 */
export async function expectRefused(
  subgraph: AnySubgraph,
  refused: [who: string, viewer: Viewer][],
  query: string,
  variables: Record<string, unknown>,
  state: () => Promise<unknown>,
): Promise<void> {
  const before = await state();
  for (const [who, viewer] of refused) {
    const r = await execute(subgraph, query, variables, viewer);
    expect([who, r.errors?.[0]?.extensions?.code]).toEqual([who, 'FORBIDDEN']);
    expect(r.data).toBeNull();
  }
  expect(await state()).toEqual(before);
}

export * from './authorization';
