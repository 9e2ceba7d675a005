import type { Connection } from 'mongoose';
import { z } from 'zod';
import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { HttpDirectory, type Directory } from '@rcsc/directory';
import { HttpReorganizationSource, ReorganizationFollower } from '@rcsc/reorganizations';
import {
  Authenticator,
  bumpDataVersion,
  ChangeFeeds,
  createLogger,
  measureDatabaseCommands,
  startTracing,
  traceDatabaseCommands,
  port,
  readEnv,
  readSubgraphConfig,
  ServiceCredentials,
  stopOnSignals,
  type Logger,
  type RunningServer,
  type Subgraph,
} from '@rcsc/service-kit';

export interface BootDeps {
  connection: Connection;
  log: Logger;
  auth: Authenticator;
  /** The branch tree from the organizations subgraph, called with a SERVICE token. */
  directory: Directory;
}

export interface BootOptions {
  /** The service's name: its database is rcsc_<name>. */
  name: string;
  defaultPort: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  create: (deps: BootDeps) => Subgraph<any>;
  /** Work before taking traffic, after indexes are built (e.g. building maintained counters). */
  prepare?: (deps: Pick<BootDeps, 'connection' | 'log'>) => Promise<void>;
  /**
   * The collections this service keeps under branches, and its counters: the reorganizations of
   * the tree are applied to them before the service takes traffic, then as they happen.
   */
  follow?: (connection: Connection) => Pick<ConstructorParameters<typeof ReorganizationFollower>[0], 'collections' | 'counters'>;
}

/**
 * A following subgraph learns of reorganizations from organizations' change feed (`event: tree`,
 * sent on every reorganization and on every connect, so a stream that was down misses none) and
 * catches up at once. Requests through a gateway never wait for it: they carry the tree version,
 * and the subgraph catches up before it answers (ADR 0008). This slow poll only retries a
 * catch-up that failed; polling every 500 ms, then 5 s, was most of an idle stack's CPU.
 */
const FOLLOW_EVERY_MS = 60_000;

/** One round trip to the database (what /ready checks). */
export async function databasePing(connection: Connection): Promise<void> {
  if (!connection.db) throw new Error('not connected');
  await connection.db.command({ ping: 1 });
}

/**
 * What every subgraph's index.ts does: read PORT and ORGANIZATIONS_URL, connect to its own
 * database (MONGODB_URI or the embedded server), build indexes, listen, and on SIGINT/SIGTERM
 * drain in-flight requests before closing the database. Errors at boot exit with their message.
 */
export function bootSubgraph(opts: BootOptions): void {
  const boot = async (): Promise<void> => {
    // Every variable checked at once (a wrong one stops the boot naming it), then the defaults.
    const config = readSubgraphConfig();
    const env = readEnv({
      PORT: port(opts.defaultPort),
      ORGANIZATIONS_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
    });
    const log = createLogger(opts.name);
    // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then a span per request and per database command.
    const tracing = await startTracing(opts.name);
    const auth = Authenticator.fromEnv();
    const credentials = new ServiceCredentials(auth, opts.name);
    const directory = new HttpDirectory(env.ORGANIZATIONS_URL, {
      headers: async () => ({ authorization: await credentials.authorization() }),
    });
    const db = await connectDatabase(`rcsc_${opts.name}`);
    measureDatabaseCommands(opts.name, db.connection.getClient());
    traceDatabaseCommands(opts.name, db.connection.getClient());
    let running: RunningServer | undefined;
    let following: NodeJS.Timeout | undefined;
    let treeFeed: ChangeFeeds | undefined;
    try {
      const server = opts.create({ connection: db.connection, log, auth, directory });
      // GET /changes and a version bump after every mutation: what gateways' response caches follow.
      server.enableChangeFeed(db.connection);
      await ensureIndexes(db.connection);
      await opts.prepare?.({ connection: db.connection, log });
      if (opts.follow) {
        const follower = new ReorganizationFollower({
          connection: db.connection,
          source: new HttpReorganizationSource(env.ORGANIZATIONS_URL, async () => ({ authorization: await credentials.authorization() })),
          ...opts.follow(db.connection),
          onApplied: async (seq) => {
            log.info({ seq }, 'reorganization applied');
            // The records changed outside a mutation: gateways' cached answers must go.
            void bumpDataVersion(db.connection).catch((err: unknown) =>
              log.warn({ err }, 'reorganizations: could not bump the data version'),
            );
            // Access checks read the directory: it knows the new tree before the catch-up ends.
            await directory.refresh();
          },
        });
        server.gateTreeVersion((version) => follower.reach(version));
        // Caught up before serving: a service that was down during a reorganization never
        // answers from the old tree; then it follows as reorganizations happen.
        for (let attempt = 1; ; attempt++) {
          try {
            await follower.catchUp();
            break;
          } catch (err) {
            // Organizations may still be starting: wait for it a while rather than fail the boot.
            if (attempt >= 30) throw err;
            log.warn({ err, attempt }, 'reorganizations: organizations not answering yet; retrying');
            await new Promise((resolve) => setTimeout(resolve, 1_000));
          }
        }
        const catchUp = () => void follower.catchUp().catch((err: unknown) => log.warn({ err }, 'reorganizations: could not catch up'));
        treeFeed = new ChangeFeeds({ log, authorization: () => credentials.authorization() });
        treeFeed.onTree = (version) => {
          if (version > follower.version) catchUp();
        };
        treeFeed.follow('organizations', env.ORGANIZATIONS_URL);
        following = setInterval(catchUp, FOLLOW_EVERY_MS);
        following.unref();
      }
      running = await server.listen(env.PORT, undefined, {
        maxBodyBytes: config.BODY_LIMIT_BYTES,
        shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
        // Ready only while the database answers: a load balancer stops sending requests otherwise.
        checks: { database: () => databasePing(db.connection) },
      });
    } catch (err) {
      clearInterval(following);
      await treeFeed?.close();
      await db.close();
      throw err;
    }
    log.info({ url: running.url, tracing: Boolean(tracing) }, `${opts.name} subgraph ready`);
    stopOnSignals(log, async () => {
      clearInterval(following);
      await treeFeed?.close();
      await running.close();
      await db.close();
      await tracing?.shutdown();
    });
  };
  boot().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

export { loadProgress, seedService, type SeedableService } from './seed';
