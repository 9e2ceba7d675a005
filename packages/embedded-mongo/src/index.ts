// Public API: start an embedded MongoDB-wire-compatible server.
import * as net from 'net';
import { type UserSpec, Users } from './auth';
import { EmbeddedServer } from './server';
import { Engine } from './storage';

export interface EmbeddedMongoOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one */
  port?: number;
  /** directory for the journal and snapshot; omitted = in memory only */
  dbPath?: string;
  /** seconds between TTL monitor passes (mongod's ttlMonitorSleepSecs, default 60) */
  ttlMonitorSleepSecs?: number;
  /**
   * Users (SCRAM-SHA-256): when given, every connection must authenticate, as on a mongod
   * started with --auth; `uri` then carries the first user's credentials.
   */
  users?: UserSpec[];
  /** address to listen on (default 127.0.0.1); anything but loopback requires `users` */
  bind?: string;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
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
  const bind = options.bind ?? '127.0.0.1';
  const users = options.users?.length ? new Users(options.users) : null;
  // the data would be readable by anyone who can reach the port
  if (!isLoopback(bind) && !users) throw new Error(`embedded-mongo: refusing to listen on ${bind} without users (set users / --auth)`);
  const engine = Engine.open(options.dbPath);
  const server = new EmbeddedServer(engine, {
    dbPath: options.dbPath,
    ttlMonitorSleepSecs: options.ttlMonitorSleepSecs,
    users,
    host: bind,
  });
  let port: number;
  try {
    port = await server.listen(options.port ?? 0);
  } catch (e) {
    await engine.close();
    throw e;
  }
  let stopping: Promise<void> | null = null;
  return {
    uri: uriFor(bind, port, options.users?.[0]),
    port,
    server,
    stop: () => (stopping ??= server.stop()),
  };
}

export { EmbeddedServer };

function uriFor(bind: string, port: number, user?: UserSpec): string {
  const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
  const cred = user ? `${encodeURIComponent(user.user)}:${encodeURIComponent(user.password)}@` : '';
  const authSource = user ? `&authSource=${encodeURIComponent(user.db ?? 'admin')}` : '';
  return `mongodb://${cred}${host}:${port}/?directConnection=true${authSource}`;
}

export type { UserSpec };
