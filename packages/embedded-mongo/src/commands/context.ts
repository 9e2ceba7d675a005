// What every command handler receives, and small shared helpers.
import type { ConnAuth, Users } from '../auth';
import type { Collection, Overlay } from '../collection';
import type { Cursors } from '../cursors';
import { collatedMatcher, type StrCmp } from '../collation';
import { Codes, MongoError } from '../errors';
import type { Engine } from '../storage';
import type { Sessions, Txn } from '../transactions';
import type { Any, Doc } from '../values';

export interface ServerInfo {
  host: string; // "127.0.0.1:port"
  port: number;
  setName: string;
  processId: Any; // ObjectId for topologyVersion
  startedAt: number;
  dbPath?: string;
  connections: { current: number; totalCreated: number };
  opcounters: { insert: number; query: number; update: number; delete: number; getmore: number; command: number };
  /** per command name, as mongod's serverStatus metrics.commands: how many ran, how many failed */
  commands: Map<string, { total: number; failed: number }>;
  /** TTL monitor: period (mongod's ttlMonitorSleepSecs, settable with setParameter) and counters */
  ttl: { sleepSecs: number; passes: number; deletedDocuments: number; reschedule: () => void };
  /** mongod's transactionLifetimeLimitSeconds (settable with setParameter): older transactions are aborted */
  transactionLifetimeLimitSeconds: number;
  /** configured users: then every connection must authenticate (SCRAM-SHA-256) */
  users: Users | null;
}

export interface Ctx {
  engine: Engine;
  cursors: Cursors;
  sessions: Sessions;
  server: ServerInfo;
  db: string;
  cmd: Doc;
  txn: Txn | null;
  connectionId: number;
  remote: string;
  /** this connection's authentication state */
  auth: ConnAuth;
  /** readConcern snapshot outside a transaction: results are materialized when the command runs */
  snapshotRead?: boolean;
}

export type Handler = (ctx: Ctx) => Doc | Promise<Doc>;

/** The collection name a command targets (its first field's value). */
export function collName(ctx: Ctx, field: string): string {
  const v = ctx.cmd[field];
  if (typeof v !== 'string' || v.length === 0) throw new MongoError(Codes.InvalidNamespace, `collection name has invalid type ${typeof v}`);
  return v;
}

/** What the command's transaction sees over the stored documents (its snapshot and its own writes). */
export function overlayOf(ctx: Ctx, coll: Collection | undefined): Overlay | undefined {
  return ctx.txn ? ctx.engine.txnView(ctx.txn, coll) : undefined;
}

/** The collection as the command sees it (a transaction: its snapshot and its own creations). */
export function collOf(ctx: Ctx, name: string): Collection | undefined {
  return ctx.engine.collectionFor(ctx.txn, ctx.db, name);
}

export function ensureColl(ctx: Ctx, name: string): Collection {
  return ctx.engine.ensureCollectionFor(ctx.txn, ctx.db, name);
}

/**
 * Matching documents of a filter under a collation: a collection scan (indexes hold
 * simple-collation keys), `limit` matches at most (0: all), in natural order.
 */
export function collatedFind(coll: Collection, filter: Doc | undefined, overlay: Overlay | undefined, cmp: StrCmp, limit = 0): Doc[] {
  const match = collatedMatcher(filter, cmp);
  const out: Doc[] = [];
  for (const d of coll.find(undefined, overlay).docs) if (match(d) && out.push(d) === limit) break;
  return out;
}

export function notInTxn(ctx: Ctx, name: string): void {
  if (ctx.txn) throw new MongoError(Codes.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
}

export function asInt(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'number' ? v : Number((v as Any)?.toNumber?.() ?? v);
  if (!Number.isFinite(n)) throw new MongoError(Codes.TypeMismatch, `expected a number, got ${String(v)}`);
  return Math.trunc(n);
}
