// Command registry and dispatch: resolves the session/transaction, runs the handler, turns
// exceptions into MongoDB error replies, aborts the transaction on errors (as MongoDB does),
// and journals the command's writes before the reply is released.
import { Binary, Long, Timestamp } from 'bson';
import { Codes, MongoError, toMongoError } from '../errors';
import { type Doc, isPlainObject } from '../values';
import { NO_AUTH_NEEDED } from '../auth';
import { applyLet } from '../let';
import { adminCommands } from './admin';
import { aggregateCommands } from './aggregate';
import type { Ctx, Handler } from './context';
import { crudCommands } from './crud';
import { indexCommands } from './indexes';

const registry: Record<string, Handler> = { ...adminCommands, ...crudCommands, ...aggregateCommands, ...indexCommands };

const COUNTED_ELSEWHERE = new Set(['find', 'getMore', 'insert', 'update', 'delete']);

/** mongod's commands allowed in a multi-document transaction; others are refused with 263 */
const IN_TXN = new Set([
  'find',
  'aggregate',
  'distinct',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'getMore',
  'killCursors',
  'create',
  'createIndexes',
  'commitTransaction',
  'abortTransaction',
]);

/** Commands that take a writeConcern (an unsatisfiable one is reported as writeConcernError). */
const WRITES = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'deleteIndexes',
  'renameCollection',
  'collMod',
  'commitTransaction',
  'abortTransaction',
  'aggregate',
]);

const LEVELS = new Set(['local', 'majority', 'linearizable', 'available', 'snapshot']);
/** read commands that accept readConcern snapshot outside a transaction (MongoDB 5.0+) */
const SNAPSHOT_READS = new Set(['find', 'aggregate', 'distinct']);

/**
 * readConcern as mongod 7.0 checks it. Returns true for a snapshot read outside a transaction
 * (its cursor must be materialized now and carry atClusterTime). Reads always see the latest
 * committed state, which is the snapshot at the current cluster time: an atClusterTime before
 * the last write would need the older versions, which are not kept, so it is refused with
 * SnapshotTooOld instead of being answered with newer data.
 */
function checkReadConcern(ctx: Ctx, name: string): boolean {
  const rc = ctx.cmd.readConcern;
  if (rc === undefined) return false;
  if (!isPlainObject(rc)) throw new MongoError(Codes.TypeMismatch, "BSON field 'readConcern' is the wrong type, expected type 'object'");
  if (ctx.txn && ctx.cmd.startTransaction !== true)
    throw new MongoError(Codes.InvalidOptions, 'Only the first command in a transaction may specify a readConcern');
  const level = rc.level ?? 'local';
  if (!LEVELS.has(level))
    throw new MongoError(Codes.BadValue, `Enumeration value '${String(level)}' for field 'readConcern.level' is not a valid value.`);
  if (ctx.txn && !['local', 'majority', 'snapshot'].includes(level))
    throw new MongoError(Codes.InvalidOptions, `The readConcern level must be either 'local', 'majority' or 'snapshot' in a transaction`);
  if (rc.atClusterTime !== undefined && level !== 'snapshot')
    throw new MongoError(Codes.InvalidOptions, 'Specifying a timestamp for readConcern snapshot is only allowed with level snapshot');
  if (level !== 'snapshot') return false;
  if (!ctx.txn && !SNAPSHOT_READS.has(name))
    throw new MongoError(Codes.InvalidOptions, `Command ${name} does not support { readConcern: { level: "snapshot" } }`);
  if (rc.atClusterTime !== undefined) {
    const t = rc.atClusterTime;
    if (!(t instanceof Timestamp))
      throw new MongoError(Codes.TypeMismatch, "BSON field 'atClusterTime' is the wrong type, expected type 'timestamp'");
    const [s, i] = ctx.engine.lastWrite;
    const at = [t.high, t.low];
    if (at[0] < s || (at[0] === s && at[1] < i))
      throw new MongoError(
        Codes.SnapshotTooOld,
        `Read timestamp ${t.toString()} is older than the oldest available timestamp: embedded-mongo keeps no history, and the data changed since.`,
      );
  }
  return !ctx.txn;
}

/** writeConcern: w greater than 1 (one node) or an unknown tag cannot be satisfied. */
function writeConcernError(cmd: Doc): Doc | null {
  const wc = cmd.writeConcern;
  if (!isPlainObject(wc) || wc.w === undefined) return null;
  const w = wc.w;
  if (typeof w === 'number' || (w && typeof w === 'object' && typeof w.toNumber === 'function')) {
    const n = Number(typeof w === 'number' ? w : w.toNumber());
    if (n > 1)
      return {
        code: Codes.UnsatisfiableWriteConcern,
        codeName: 'UnsatisfiableWriteConcern',
        errmsg: 'Not enough data-bearing nodes',
        errInfo: { writeConcern: wc },
      };
    return null;
  }
  if (typeof w === 'string' && w !== 'majority')
    return {
      code: Codes.UnknownReplWriteConcern,
      codeName: 'UnknownReplWriteConcern',
      errmsg: `No write concern mode named '${w}' found in replica set configuration`,
      errInfo: { writeConcern: wc },
    };
  return null;
}

export async function dispatch(ctx: Omit<Ctx, 'txn'>): Promise<Doc> {
  const name = Object.keys(ctx.cmd)[0];
  if (!COUNTED_ELSEWHERE.has(name)) ctx.server.opcounters.command++;
  const handler = name === undefined ? undefined : Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined;
  let reply: Doc;
  let full: Ctx | null = null;
  try {
    if (!handler) throw new MongoError(Codes.CommandNotFound, `no such command: '${name ?? ''}'`);
    if (ctx.server.users && !ctx.auth.user && !NO_AUTH_NEEDED.has(name))
      throw new MongoError(Codes.Unauthorized, `Command ${name} requires authentication`);
    full = { ...ctx, txn: ctx.sessions.resolve(ctx.cmd, name) };
    if (full.txn) {
      if (!IN_TXN.has(name))
        throw new MongoError(Codes.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
      if (ctx.cmd.writeConcern !== undefined && name !== 'commitTransaction' && name !== 'abortTransaction')
        throw new MongoError(Codes.InvalidOptions, 'Cannot set write concern after starting a transaction.');
    }
    if (checkReadConcern(full, name)) full.snapshotRead = true;
    full.cmd = applyLet(full.cmd, name);
    reply = await handler(full);
    if (full.snapshotRead) {
      const at = clusterTimestamp(ctx.engine.lastWrite);
      if (isPlainObject(reply.cursor)) reply.cursor.atClusterTime = at;
      else reply.atClusterTime = at;
    }
    if (WRITES.has(name) && reply.ok === 1) {
      const wce = writeConcernError(ctx.cmd);
      if (wce) reply.writeConcernError = wce;
    }
    // a failed write inside a transaction aborts it, as on MongoDB
    if (full.txn && full.txn.state === 'active' && Array.isArray(reply.writeErrors) && reply.writeErrors.length)
      ctx.engine.abortTxn(full.txn);
  } catch (e) {
    if (full?.txn && full.txn.state === 'active' && name !== 'commitTransaction') ctx.engine.abortTxn(full.txn);
    const err = e instanceof MongoError ? e : toUnexpected(e);
    reply = err.toReply();
  }
  const counted = handler ? name : '<UNKNOWN>';
  const count = ctx.server.commands.get(counted) ?? ctx.server.commands.set(counted, { total: 0, failed: 0 }).get(counted)!;
  count.total++;
  if (reply.ok !== 1) count.failed++;
  const durable = ctx.engine.flushOps();
  if (durable) {
    try {
      await durable;
    } catch (e) {
      reply = new MongoError(Codes.InternalError, 'journal write failed: ' + (e as Error).message).toReply();
    }
  }
  return withClusterTime(reply, ctx.engine.lastWrite);
}

export function clusterTimestamp([t, i]: [number, number]): Timestamp {
  return new Timestamp({ t, i });
}

const NO_SIGNATURE = { hash: new Binary(Buffer.alloc(20), 0), keyId: Long.fromNumber(0) };

/**
 * Every reply of a replica-set member carries operationTime and $clusterTime (drivers' causal
 * consistency and snapshot sessions use them). Our operationTime is the time of the last write,
 * which is the time every read observes.
 */
export function withClusterTime(reply: Doc, last: [number, number]): Doc {
  const ts = clusterTimestamp(last);
  reply.operationTime = ts;
  reply.$clusterTime = { clusterTime: ts, signature: NO_SIGNATURE };
  return reply;
}

function toUnexpected(e: unknown): MongoError {
  // mingo errors carry a usable message; anything else is our bug, reported, not crashing
  const m = toMongoError(e);
  if (!(e instanceof Error) || e.name === 'MingoError' || /operator|expression|invalid|unknown|must|cannot/i.test(e.message)) return m;
  return new MongoError(Codes.InternalError, `internal error: ${e.message}`);
}
