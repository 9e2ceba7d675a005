// The storage engine: databases -> collections, all writes (so they can be journaled and
// checked for transaction conflicts), transaction commit/abort, recovery and snapshots.
// Handlers call the write methods; the ops they generate are collected per command and
// appended to the journal as one record before the command is acknowledged.
import * as fs from 'fs';
import * as path from 'path';
import { BSON } from 'bson';
import { Collection } from './collection';
import { Codes, MongoError, writeConflict } from './errors';
import { IndexSpec } from './indexes';
import { Journal, readRecords, writeSnapshot } from './journal';
import { Txn, TxnHost } from './transactions';
import { idKey } from './keys';
import { Doc } from './values';

const SEP = '\u0000';

export function validateDbName(db: string): void {
  if (typeof db !== 'string' || db.length === 0 || db.length > 63 || /[/\\. "$\0]/.test(db))
    throw new MongoError(Codes.InvalidNamespace, `Invalid database name: '${db}'`);
}

export function validateCollName(db: string, name: unknown): asserts name is string {
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    name.includes('\0') ||
    name.includes('$') ||
    name.startsWith('.') ||
    name.startsWith('system.')
  )
    throw new MongoError(Codes.InvalidNamespace, `Invalid namespace specified '${db}.${String(name)}'`);
}

export class Engine implements TxnHost {
  readonly dbs = new Map<string, Map<string, Collection>>();
  journal: Journal | null = null;
  private dbPath: string | undefined;
  /** global write sequence (conflict detection) */
  seq = 0;
  private activeTxns = 0;
  private tracked = new Set<Collection>();
  private locks = new Map<string, Txn>();
  /** journal ops of the command currently executing */
  private ops: Doc[] = [];
  private compacting = false;

  static open(dbPath?: string): Engine {
    const e = new Engine();
    if (dbPath) e.recover(dbPath);
    return e;
  }

  // ---------- namespaces ----------

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Implicit creation on first write, as MongoDB does. */
  ensureCollection(db: string, name: string): Collection {
    const c = this.getCollection(db, name);
    if (c) return c;
    validateDbName(db);
    validateCollName(db, name);
    return this.createCollection(db, name, {});
  }

  createCollection(db: string, name: string, options: Doc): Collection {
    validateDbName(db);
    validateCollName(db, name);
    if (this.getCollection(db, name)) throw new MongoError(Codes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    let d = this.dbs.get(db);
    if (!d) this.dbs.set(db, (d = new Map()));
    const c = new Collection(db, name, options);
    d.set(name, c);
    this.log({ o: 'cc', n: c.ns, opts: options });
    return c;
  }

  dropCollection(db: string, name: string): boolean {
    const d = this.dbs.get(db);
    if (!d || !d.has(name)) return false;
    d.delete(name);
    if (d.size === 0) this.dbs.delete(db);
    this.log({ o: 'dc', n: `${db}.${name}` });
    return true;
  }

  dropDatabase(db: string): void {
    if (!this.dbs.has(db)) return;
    this.dbs.delete(db);
    this.log({ o: 'dd', db });
  }

  renameCollection(from: Collection, toDb: string, toName: string, dropTarget: boolean): void {
    validateCollName(toDb, toName);
    if (this.getCollection(toDb, toName)) {
      if (!dropTarget) throw new MongoError(Codes.NamespaceExists, 'target namespace exists');
      this.dropCollection(toDb, toName);
    }
    const fromNs = from.ns;
    this.dbs.get(from.db)!.delete(from.name);
    if (this.dbs.get(from.db)!.size === 0) this.dbs.delete(from.db);
    const c = from.renamed(toDb, toName);
    let d = this.dbs.get(toDb);
    if (!d) this.dbs.set(toDb, (d = new Map()));
    d.set(toName, c);
    this.log({ o: 'rn', n: fromNs, t: c.ns });
  }

  createIndex(coll: Collection, spec: IndexSpec): void {
    coll.createIndex(spec);
    this.log({ o: 'ci', n: coll.ns, s: spec });
  }

  dropIndex(coll: Collection, name: string): void {
    coll.dropIndex(name);
    this.log({ o: 'di', n: coll.ns, x: name });
  }

  // ---------- document writes (base or transactional) ----------

  insert(coll: Collection, doc: Doc, txn: Txn | null): void {
    const id = idKey(doc._id);
    if (txn) {
      this.lock(txn, coll, id);
      const ov = txn.overlay(coll);
      coll.checkUnique(doc, id, true, ov);
      ov.set(id, doc);
      return;
    }
    coll.checkUnique(doc, id, true);
    coll.putBase(id, doc);
    this.bump(coll, id);
    this.log({ o: 'p', n: coll.ns, d: doc });
  }

  replace(coll: Collection, id: string, doc: Doc, txn: Txn | null): void {
    if (txn) {
      this.lock(txn, coll, id);
      const ov = txn.overlay(coll);
      coll.checkUnique(doc, id, false, ov);
      ov.set(id, doc);
      return;
    }
    coll.checkUnique(doc, id, false);
    coll.putBase(id, doc);
    this.bump(coll, id);
    this.log({ o: 'p', n: coll.ns, d: doc });
  }

  remove(coll: Collection, id: string, txn: Txn | null): void {
    if (txn) {
      this.lock(txn, coll, id);
      txn.overlay(coll).set(id, null);
      return;
    }
    const old = coll.removeBase(id);
    if (!old) return;
    this.bump(coll, id);
    this.log({ o: 'd', n: coll.ns, k: old._id });
  }

  private bump(coll: Collection, id: string): void {
    this.seq++;
    if (this.activeTxns > 0) {
      coll.seqs.set(id, this.seq);
      this.tracked.add(coll);
    }
  }

  private lock(txn: Txn, coll: Collection, id: string): void {
    const k = coll.ns + SEP + id;
    const holder = this.locks.get(k);
    if (holder === txn) return;
    const s = coll.seqs.get(id);
    if ((holder && holder.state === 'active') || (s !== undefined && s > txn.startSeq)) {
      this.abortTxn(txn);
      throw writeConflict();
    }
    this.locks.set(k, txn);
    txn.lockKeys.push(k);
  }

  // ---------- transactions ----------

  beginTxn(sessionId: string, txnNumber: number): Txn {
    this.activeTxns++;
    return new Txn(sessionId, txnNumber, this.seq);
  }

  abortTxn(txn: Txn): void {
    if (txn.state !== 'active') return;
    txn.state = 'aborted';
    this.finishTxn(txn);
  }

  commitTxn(txn: Txn): void {
    if (txn.state === 'committed') return;
    if (txn.state !== 'active')
      throw new MongoError(Codes.NoSuchTransaction, 'Transaction has been aborted.', { errorLabels: ['TransientTransactionError'] });
    // validate everything first so that the commit is all-or-nothing
    try {
      for (const [coll, ov] of txn.overlays) {
        for (const id of ov.keys()) {
          const s = coll.seqs.get(id);
          if (s !== undefined && s > txn.startSeq) throw writeConflict();
        }
        for (const [id, d] of ov) if (d) coll.checkUnique(d, id, false, ov);
      }
    } catch (e) {
      this.abortTxn(txn);
      throw e;
    }
    for (const [coll, ov] of txn.overlays) {
      const live = this.getCollection(coll.db, coll.name) ?? this.ensureCollection(coll.db, coll.name);
      for (const [id, d] of ov) {
        if (d) {
          live.putBase(id, d);
          this.log({ o: 'p', n: live.ns, d });
        } else {
          const old = live.removeBase(id);
          if (old) this.log({ o: 'd', n: live.ns, k: old._id });
        }
        this.bump(live, id);
      }
    }
    txn.state = 'committed';
    this.finishTxn(txn);
  }

  private finishTxn(txn: Txn): void {
    for (const k of txn.lockKeys) if (this.locks.get(k) === txn) this.locks.delete(k);
    this.activeTxns--;
    if (this.activeTxns === 0) {
      for (const c of this.tracked) c.seqs.clear();
      this.tracked.clear();
    }
  }

  // ---------- journal ----------

  private log(op: Doc): void {
    if (this.journal) this.ops.push(op);
  }

  /** Journal the ops of the command just executed; resolves when durable. */
  flushOps(): Promise<void> | null {
    if (!this.journal || this.ops.length === 0) return null;
    const ops = this.ops;
    this.ops = [];
    return this.journal.append({ ops });
  }

  private recover(dbPath: string): void {
    this.dbPath = dbPath;
    fs.mkdirSync(dbPath, { recursive: true });
    const snap = readRecords(path.join(dbPath, 'snapshot.bson'));
    for (const r of snap.records) for (const op of r.ops ?? []) this.replay(op);
    const jr = readRecords(path.join(dbPath, 'journal.bson'));
    for (const r of jr.records) for (const op of r.ops ?? []) this.replay(op);
    for (const d of this.dbs.values()) for (const c of d.values()) c.finishLoad();
    this.journal = new Journal(dbPath, jr.validLength);
    this.journal.onLarge = () => void this.compact();
    this.ops = [];
  }

  /** Idempotent replay (a journal may be replayed on top of a snapshot that already has it). */
  private replay(op: Doc): void {
    const [db, ...rest] = String(op.n ?? '').split('.');
    const name = rest.join('.');
    const ensure = () => {
      let d = this.dbs.get(db);
      if (!d) this.dbs.set(db, (d = new Map()));
      let c = d.get(name);
      if (!c) d.set(name, (c = new Collection(db, name, op.opts ?? {})));
      c.loading = true;
      return c;
    };
    switch (op.o) {
      case 'cc':
        ensure();
        break;
      case 'dc':
        this.dbs.get(db)?.delete(name);
        if (this.dbs.get(db)?.size === 0) this.dbs.delete(db);
        break;
      case 'dd':
        this.dbs.delete(op.db);
        break;
      case 'ci': {
        const c = ensure();
        if (!c.indexes.some((i) => i.spec.name === op.s.name)) c.createIndex(op.s, false);
        break;
      }
      case 'di': {
        const c = ensure();
        c.indexes = c.indexes.filter((i) => i.spec.name !== op.x);
        break;
      }
      case 'p':
        ensure().putBase(idKey(op.d._id), op.d);
        break;
      case 'd':
        ensure().removeBase(idKey(op.k));
        break;
      case 'rn': {
        const from = this.getCollection(db, name);
        const [tdb, ...trest] = String(op.t).split('.');
        if (from) {
          this.dbs.get(db)!.delete(name);
          const c = from.renamed(tdb, trest.join('.'));
          let d = this.dbs.get(tdb);
          if (!d) this.dbs.set(tdb, (d = new Map()));
          d.set(c.name, c);
        }
        break;
      }
    }
  }

  private *snapshotRecords(): Generator<Doc> {
    for (const d of this.dbs.values())
      for (const c of d.values()) {
        yield { ops: [{ o: 'cc', n: c.ns, opts: c.options }, ...c.indexes.map((i) => ({ o: 'ci', n: c.ns, s: i.spec }))] };
        let batch: Doc[] = [];
        let size = 0;
        for (const doc of c.docs.values()) {
          batch.push({ o: 'p', n: c.ns, d: doc });
          size += BSON.calculateObjectSize(doc);
          if (size > 4 * 1024 * 1024) {
            yield { ops: batch };
            batch = [];
            size = 0;
          }
        }
        if (batch.length) yield { ops: batch };
      }
  }

  /** Write a snapshot of the committed state and empty the journal. */
  async compact(): Promise<void> {
    if (!this.journal || !this.dbPath || this.compacting) return;
    this.compacting = true;
    try {
      await this.journal.drain();
      // synchronous from here: no write can interleave between snapshot and journal reset
      writeSnapshot(this.dbPath, this.snapshotRecords());
      this.journal.reset();
    } finally {
      this.compacting = false;
    }
  }

  async close(): Promise<void> {
    if (!this.journal) return;
    const p = this.flushOps();
    if (p) await p;
    await this.compact();
    this.journal.close();
    this.journal = null;
  }
}
