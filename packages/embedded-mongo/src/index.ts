// Public API: start an embedded MongoDB-wire-compatible server.
import { EmbeddedServer } from './server';
import { Engine } from './storage';

export interface EmbeddedMongoOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one */
  port?: number;
  /** directory for the journal and snapshot; omitted = in memory only */
  dbPath?: string;
  /** seconds between TTL monitor passes (mongod's ttlMonitorSleepSecs, default 60) */
  ttlMonitorSleepSecs?: number;
}

export interface EmbeddedMongo {
  /** mongodb://127.0.0.1:<port>/?directConnection=true — usable as is with mongoose.connect */
  uri: string;
  port: number;
  /** close connections, flush the journal, write a snapshot */
  stop(): Promise<void>;
  /** the running server (opcounters, etc.) — for diagnostics and tests */
  server: EmbeddedServer;
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const engine = Engine.open(options.dbPath);
  const server = new EmbeddedServer(engine, options.dbPath, options.ttlMonitorSleepSecs);
  let port: number;
  try {
    port = await server.listen(options.port ?? 0);
  } catch (e) {
    await engine.close();
    throw e;
  }
  let stopping: Promise<void> | null = null;
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    port,
    server,
    stop: () => (stopping ??= server.stop()),
  };
}

export { EmbeddedServer };
