// Database commands observed as the driver sends them (the metrics' latency histogram, a trace
// span each), timed around the driver's Server.command instead of through its command
// monitoring: with monitorCommands on, the driver decodes every reply a second time to put it in
// its event, and a find of 20 documents cost the client 1.7 ms of CPU instead of 1.0-1.2 ms
// (docs/performance.md). OpenTelemetry's mongodb instrumentation hooks the driver's internals in
// the same way; the tests of the metrics and of the traces fail if an upgrade moves them.
import { createRequire } from 'node:module';
import type { mongo } from 'mongoose';

export interface DbCommand {
  /** The command's name as the server sees it (find, getMore, commitTransaction…). */
  commandName: string;
  databaseName: string;
  collection?: string;
}

/** Called as a command is sent; what it returns is called once it is answered (with the error if it failed). */
export type DbCommandObserver = (command: DbCommand) => ((failure?: unknown) => void) | void;

interface Operation {
  commandName?: string;
  /** a RunCommandOperation's document (commitTransaction, ping…), named 'runCommand' by the driver */
  command?: Record<string, unknown>;
  ns?: { db?: string; collection?: string };
}

const observers = new WeakMap<object, DbCommandObserver[]>();
let installed = false;

function install(): void {
  if (installed) return;
  // The driver mongoose uses (the one whose clients are observed).
  const driver = createRequire(require.resolve('mongoose'));
  const { Server } = driver('mongodb/lib/sdam/server') as { Server?: { prototype: Record<string, unknown> } };
  const send = Server?.prototype.command;
  if (typeof send !== 'function')
    throw new Error('the mongodb driver has no Server.prototype.command: database commands cannot be observed');
  Server!.prototype.command = async function observed(this: { topology?: { client?: object } }, op: Operation, ...rest: unknown[]) {
    const list = this.topology?.client ? observers.get(this.topology.client) : undefined;
    const name = op.commandName === 'runCommand' && op.command ? Object.keys(op.command)[0] : op.commandName;
    if (!list || name === 'endSessions') return send.call(this, op, ...rest);
    const collection = op.ns?.collection && op.ns.collection !== '$cmd' ? op.ns.collection : undefined;
    const command: DbCommand = { commandName: String(name), databaseName: String(op.ns?.db ?? ''), collection };
    const done = list.map((o) => o(command));
    try {
      const reply: unknown = await send.call(this, op, ...rest);
      for (const d of done) d?.();
      return reply;
    } catch (err) {
      for (const d of done) d?.(err);
      throw err;
    }
  };
  installed = true;
}

/**
 * Calls `observer` for every command `client` sends, but not what the driver sends for itself:
 * handshakes and heartbeats (they do not pass through Server.command) and endSessions at close.
 */
export function observeDatabaseCommands(client: mongo.MongoClient, observer: DbCommandObserver): void {
  install();
  const list = observers.get(client);
  if (list) list.push(observer);
  else observers.set(client, [observer]);
}
