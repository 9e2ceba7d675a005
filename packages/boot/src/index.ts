import type { Connection } from 'mongoose';
import { z } from 'zod';
import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { HttpDirectory, type Directory } from '@rcsc/directory';
import {
  Authenticator,
  createLogger,
  measureDatabaseCommands,
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
}

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
    const auth = Authenticator.fromEnv();
    const credentials = new ServiceCredentials(auth, opts.name);
    const directory = new HttpDirectory(env.ORGANIZATIONS_URL, {
      headers: async () => ({ authorization: await credentials.authorization() }),
    });
    const db = await connectDatabase(`rcsc_${opts.name}`, { monitorCommands: true });
    measureDatabaseCommands(opts.name, db.connection.getClient());
    let running: RunningServer | undefined;
    try {
      const server = opts.create({ connection: db.connection, log, auth, directory });
      // GET /changes and a version bump after every mutation: what gateways' response caches follow.
      server.enableChangeFeed(db.connection);
      await ensureIndexes(db.connection);
      await opts.prepare?.({ connection: db.connection, log });
      running = await server.listen(env.PORT, undefined, {
        maxBodyBytes: config.BODY_LIMIT_BYTES,
        // Ready only while the database answers: a load balancer stops sending requests otherwise.
        checks: { database: () => databasePing(db.connection) },
      });
    } catch (err) {
      await db.close();
      throw err;
    }
    log.info({ url: running.url }, `${opts.name} subgraph ready`);
    stopOnSignals(log, async () => {
      await running.close();
      await db.close();
    });
  };
  boot().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
