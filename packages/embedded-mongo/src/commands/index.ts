// Command registry and dispatch: resolves the session/transaction, runs the handler, turns
// exceptions into MongoDB error replies, aborts the transaction on errors (as MongoDB does),
// and journals the command's writes before the reply is released.
import { Codes, MongoError, toMongoError } from '../errors';
import type { Doc } from '../values';
import { adminCommands } from './admin';
import { aggregateCommands } from './aggregate';
import type { Ctx, Handler } from './context';
import { crudCommands } from './crud';
import { indexCommands } from './indexes';

const registry: Record<string, Handler> = { ...adminCommands, ...crudCommands, ...aggregateCommands, ...indexCommands };

const COUNTED_ELSEWHERE = new Set(['find', 'getMore', 'insert', 'update', 'delete']);

export async function dispatch(ctx: Omit<Ctx, 'txn'>): Promise<Doc> {
  const name = Object.keys(ctx.cmd)[0];
  if (!COUNTED_ELSEWHERE.has(name)) ctx.server.opcounters.command++;
  const handler = name === undefined ? undefined : Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined;
  let reply: Doc;
  let full: Ctx | null = null;
  try {
    if (!handler) throw new MongoError(Codes.CommandNotFound, `no such command: '${name ?? ''}'`);
    full = { ...ctx, txn: ctx.sessions.resolve(ctx.cmd, name) };
    reply = await handler(full);
    // a failed write inside a transaction aborts it, as on MongoDB
    if (full.txn && full.txn.state === 'active' && Array.isArray(reply.writeErrors) && reply.writeErrors.length)
      ctx.engine.abortTxn(full.txn);
  } catch (e) {
    if (full?.txn && full.txn.state === 'active' && name !== 'commitTransaction') ctx.engine.abortTxn(full.txn);
    const err = e instanceof MongoError ? e : toUnexpected(e);
    reply = err.toReply();
  }
  const durable = ctx.engine.flushOps();
  if (durable) {
    try {
      await durable;
    } catch (e) {
      reply = new MongoError(Codes.InternalError, 'journal write failed: ' + (e as Error).message).toReply();
    }
  }
  return reply;
}

function toUnexpected(e: unknown): MongoError {
  // mingo errors carry a usable message; anything else is our bug, reported, not crashing
  const m = toMongoError(e);
  if (!(e instanceof Error) || e.name === 'MingoError' || /operator|expression|invalid|unknown|must|cannot/i.test(e.message)) return m;
  return new MongoError(Codes.InternalError, `internal error: ${e.message}`);
}
