// Logical sessions and multi-document transactions.
// A transaction buffers its writes in per-collection overlays (id -> new document, or null for
// a delete) that only its own reads see. Each written id is locked for the transaction: a
// second transaction writing the same document, or a document changed by someone else since
// this transaction started, gets WriteConflict (112, TransientTransactionError) so that the
// driver's withTransaction retries. Commit validates, then applies all overlays at once and
// journals them as one record (all-or-nothing after a crash).
import type { Collection, Overlay } from './collection';
import { Codes, MongoError } from './errors';
import type { Any, Doc } from './values';

export type TxnState = 'active' | 'committed' | 'aborted';

export class Txn {
  state: TxnState = 'active';
  readonly overlays = new Map<Collection, Overlay>();
  readonly lockKeys: string[] = [];
  /** collections created inside the transaction (explicitly or by a first insert): registered at commit */
  readonly created = new Map<string, Collection>();
  /** its snapshot of each collection read so far (versions written by others since it started) */
  readonly views = new Map<Collection, { upto: number; view: Overlay }>();
  /** when it started (transactionLifetimeLimitSeconds counts from here) */
  readonly startedAt = Date.now();
  constructor(
    readonly sessionId: string,
    readonly txnNumber: number,
    readonly startSeq: number,
  ) {}

  overlay(coll: Collection): Overlay {
    let o = this.overlays.get(coll);
    if (!o) this.overlays.set(coll, (o = new Map()));
    return o;
  }

  peek(coll: Collection | undefined): Overlay | undefined {
    return coll ? this.overlays.get(coll) : undefined;
  }
}

interface SessionState {
  txnNumber: number;
  txn: Txn | null;
  lastUse: number;
}

export function sessionKey(lsid: Any): string | null {
  const id = lsid?.id;
  if (!id) return null;
  if (id.buffer instanceof Uint8Array) return Buffer.from(id.buffer.subarray(0, id.position ?? id.buffer.length)).toString('hex');
  return String(id);
}

const noSuchTxn = (n: number) =>
  new MongoError(Codes.NoSuchTransaction, `Transaction with { txnNumber: ${n} } has been aborted.`, {
    errorLabels: ['TransientTransactionError'],
  });

export interface TxnHost {
  beginTxn(sessionId: string, txnNumber: number): Txn;
  abortTxn(txn: Txn): void;
}

export class Sessions {
  private map = new Map<string, SessionState>();

  constructor(private host: TxnHost) {}

  /**
   * Resolve the transaction a command runs in (null when it is not transactional).
   * Implements startTransaction / continuation / the errors for stale txnNumbers.
   */
  resolve(cmd: Doc, commandName: string): Txn | null {
    const sid = sessionKey(cmd.lsid);
    if (!sid || cmd.autocommit !== false) return null;
    const txnNumber = Number(cmd.txnNumber);
    if (!Number.isFinite(txnNumber)) throw new MongoError(Codes.BadValue, 'txnNumber is required with autocommit:false');
    let s = this.map.get(sid);
    if (!s) this.map.set(sid, (s = { txnNumber: -1, txn: null, lastUse: Date.now() }));
    s.lastUse = Date.now();
    if (cmd.startTransaction === true) {
      if (txnNumber < s.txnNumber)
        throw new MongoError(
          225,
          `Cannot start transaction ${txnNumber} on session because a newer transaction ${s.txnNumber} has already started`,
        );
      if (s.txn && s.txn.state === 'active') this.host.abortTxn(s.txn);
      s.txnNumber = txnNumber;
      s.txn = this.host.beginTxn(sid, txnNumber);
      return s.txn;
    }
    if (!s.txn || s.txnNumber !== txnNumber) throw noSuchTxn(txnNumber);
    if (s.txn.state === 'committed') {
      if (commandName === 'commitTransaction') return s.txn; // retried commit: idempotent
      throw new MongoError(Codes.TransactionCommitted, `Transaction ${txnNumber} has been committed.`);
    }
    if (s.txn.state === 'aborted') {
      if (commandName === 'abortTransaction') return s.txn;
      throw noSuchTxn(txnNumber);
    }
    return s.txn;
  }

  end(lsid: Any): void {
    const sid = sessionKey(lsid);
    if (!sid) return;
    const s = this.map.get(sid);
    if (s?.txn?.state === 'active') this.host.abortTxn(s.txn);
    this.map.delete(sid);
  }

  endAll(): void {
    for (const s of this.map.values()) if (s.txn?.state === 'active') this.host.abortTxn(s.txn);
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
