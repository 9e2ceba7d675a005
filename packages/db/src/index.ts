import mongoose, { type Connection } from 'mongoose';

export interface Database {
  connection: Connection;
  uri: string;
  /** Closes the connection, and the embedded server if this call started one. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Server to use; defaults to MONGODB_URI, else an embedded server is started. */
  uri?: string;
  /** Where an embedded server started here persists; in memory when unset. */
  dbPath?: string;
  /** Emit driver command events (commandStarted, …) so tests can count database commands. */
  monitorCommands?: boolean;
  /** How long to wait for the server before giving up (default 10 s). */
  serverSelectionTimeoutMS?: number;
  /** false: models do not build their indexes (a bulk load builds them at the end, see buildIndexes). */
  autoIndex?: boolean;
  /** How long the driver waits for a connection or a monitor check before it drops the server (default 30 s). */
  connectTimeoutMS?: number;
}

/**
 * Connects a service to its own database. With MONGODB_URI (production: a replica set or a
 * sharded cluster) that server is used; without it the project's embedded MongoDB-wire server
 * is started on loopback, so a laptop or CI with no MongoDB can still run everything.
 */
export async function connectDatabase(dbName: string, opts: ConnectOptions = {}): Promise<Database> {
  let uri = opts.uri ?? process.env.MONGODB_URI;
  let embedded: { stop(): Promise<void> } | undefined;
  if (!uri) {
    // loaded only here: a service given MONGODB_URI never needs the embedded server's code
    const { startEmbeddedMongo } = await import('@rcsc/embedded-mongo');
    const server = await startEmbeddedMongo({ dbPath: opts.dbPath ?? process.env.EMBEDDED_MONGO_DBPATH });
    embedded = server;
    uri = server.uri;
  }
  const connection = mongoose.createConnection(uri, {
    dbName,
    monitorCommands: opts.monitorCommands ?? false,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 10_000,
    autoIndex: opts.autoIndex ?? true,
    connectTimeoutMS: opts.connectTimeoutMS ?? 30_000,
  });
  try {
    await connection.asPromise();
  } catch (err) {
    await embedded?.stop();
    throw new Error(`Cannot connect to the database at ${redact(uri)}: ${(err as Error).message}`);
  }
  return {
    connection,
    uri,
    async close() {
      await connection.close();
      await embedded?.stop();
    },
  };
}

/** Builds every model's indexes before the service takes traffic (autoIndex runs lazily). */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await Promise.all(Object.values(connection.models).map((model) => model.init()));
}

/**
 * Builds every model's indexes now, whatever autoIndex says: after a bulk load made without
 * them, one build per index over the loaded records (a sort) instead of an index update per
 * record, as MongoDB advises for bulk loads. `onProgress` counts documents indexed, one index
 * at a time.
 */
export async function buildIndexes(connection: Connection, onProgress?: (done: number, total: number) => void): Promise<void> {
  const models = Object.values(connection.models);
  // progress counts documents indexed (an index's build takes time by its collection's size)
  const sizes = onProgress ? await Promise.all(models.map(async (m) => Math.max(1, await m.estimatedDocumentCount()))) : [];
  const total = models.reduce((n, m, i) => n + m.schema.indexes().length * (sizes[i] ?? 1), 0);
  let done = 0;
  for (const [i, model] of models.entries()) {
    // mongoose reports each index of a model as it is built
    const one = () => onProgress?.((done += sizes[i] ?? 1), total);
    model.on('index-single-done', one);
    try {
      await model.createIndexes();
    } finally {
      model.off('index-single-done', one);
    }
  }
}

/** The URI without its password, for messages and logs. */
export function redact(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
