// The storage engine: databases -> collections, all writes (so they can be journaled and
// checked for transaction conflicts), transaction commit/abort, recovery and snapshots.
// Handlers call the write methods; the ops they generate are collected per command and
// appended to the journal as one record before the command is acknowledged.
import * as fs from 'fs';
import * as path from 'path';
import { BSON } from 'bson';
import { Collection, type Overlay } from './collection';
import { checkDocumentSize, Codes, MongoError, writeConflict } from './errors';
import { IndexSpec } from './indexes';
import { IMAGE_FILE, imageRecords, readImageAside } from './index-image';
import { DIR_MODE, FILE_MODE, Journal, RecordError, scanRecords, serializeLarge, writeRecordsFile, writeSnapshot } from './journal';
import { decodeFields, DESER, forEachEmbedded, idKeyOfRaw, opsRecord, packSlabs, putOp, rawField } from './store';
import { randomBytes } from 'crypto';

const N_ONLY = new Set(['n']);
import { Txn, TxnHost } from './transactions';
import { idKey } from './keys';
import { Doc } from './values';

const SEP = '\u0000';
/**
 * The largest journal a stop keeps beside a snapshot with an index image instead of writing a
 * new snapshot (a national one takes ~17 s, longer than `npm start` waits): replayed onto the
 * adopted indexes at the next start, op by op.
 */
const KEPT_JOURNAL_BYTES = 32 * 1024 * 1024;

function valueAtPath(doc: Doc, path: string): unknown {
  let v: unknown = doc;
  for (const p of path.split('.')) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc)[p] : undefined;
  return v;
}

interface Version {
  seq: number;
  id: string;
  prev: Buffer | null;
  doc?: Doc | null;
}

/** A collection's replaced versions in write order; `base` is the absolute position of entries[0]. */
interface VersionLog {
  base: number;
  entries: Version[];
}

export const snapshotUnavailable = (ns: string) =>
  new MongoError(
    Codes.SnapshotUnavailable,
    `Unable to read from a snapshot due to pending collection catalog changes to ${ns}; please retry the operation.`,
    { errorLabels: ['TransientTransactionError'] },
  );

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
  /** WriteConflict errors raised since start (serverStatus metrics.operation.writeConflicts, as mongod reports them) */
  writeConflicts = 0;
  private activeTxns = 0;
  private tracked = new Set<Collection>();
  private locks = new Map<string, Txn>();
  /** journal ops (encoded) of the command currently executing */
  private ops: Uint8Array[] = [];
  private compacting: Promise<void> | null = null;
  /**
   * Versions replaced since the oldest open transaction started (only while one is open): per
   * collection and id, the previous bytes (null: the document did not exist) of each write, by
   * write sequence. A transaction reads the version current at its start from these: a snapshot.
   */
  private history = new Map<Collection, VersionLog>();
  /** open transactions (their start sequences bound what the history must keep) */
  private open = new Set<Txn>();
  private historySize = 0;
  private prunedAt = 0;
  /** logical clock (operationTime / $clusterTime / atClusterTime): [seconds, increment] of the last write */
  private clock: [number, number] = [Math.floor(Date.now() / 1000), 0];

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
    c.createdSeq = ++this.seq;
    d.set(name, c);
    this.log({ o: 'cc', n: c.ns, opts: options });
    return c;
  }

  // ---------- namespaces as a transaction sees them ----------

  /**
   * The collection `txn` sees: its own uncommitted creations, and live collections that existed
   * when it started (one created since is not in its snapshot: SnapshotUnavailable, as mongod).
   */
  collectionFor(txn: Txn | null, db: string, name: string): Collection | undefined {
    const live = this.getCollection(db, name);
    if (!txn) return live;
    if (live) {
      if (live.createdSeq > txn.startSeq) {
        this.abortTxn(txn);
        throw snapshotUnavailable(live.ns);
      }
      return live;
    }
    return txn.created.get(`${db}.${name}`);
  }

  /** Implicit creation by a write; inside a transaction the collection exists only for it until commit. */
  ensureCollectionFor(txn: Txn | null, db: string, name: string): Collection {
    const c = this.collectionFor(txn, db, name);
    if (c) return c;
    if (!txn) return this.ensureCollection(db, name);
    return this.createPending(txn, db, name, {});
  }

  createCollectionFor(txn: Txn | null, db: string, name: string, options: Doc): Collection {
    if (!txn) return this.createCollection(db, name, options);
    if (this.collectionFor(txn, db, name)) throw new MongoError(Codes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    return this.createPending(txn, db, name, options);
  }

  private createPending(txn: Txn, db: string, name: string, options: Doc): Collection {
    validateDbName(db);
    validateCollName(db, name);
    const c = new Collection(db, name, options);
    txn.created.set(c.ns, c);
    return c;
  }

  /** Inside a transaction, indexes only on a collection it created (mongod's rule, else 263). */
  createIndexFor(txn: Txn | null, coll: Collection, spec: IndexSpec): void {
    if (!txn) return this.createIndex(coll, spec);
    if (txn.created.get(coll.ns) !== coll)
      throw new MongoError(
        Codes.OperationNotSupportedInTransaction,
        `Cannot create new indexes on existing collection ${coll.ns} in a multi-document transaction.`,
      );
    coll.createIndex(spec);
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

  /** collMod of an index's options that leave its entries as they are (journaled as the new spec). */
  modifyIndex(coll: Collection, name: string, spec: IndexSpec): void {
    const ix = coll.indexes.find((i) => i.spec.name === name);
    if (!ix) throw new MongoError(Codes.IndexNotFound, `cannot find index ${name} for ns ${coll.ns}`);
    ix.spec = spec;
    this.log({ o: 'mi', n: coll.ns, x: name, s: spec });
  }

  /**
   * One pass of the TTL monitor: deletes the documents whose date in a TTL index's field (the
   * earliest, for an array) is more than expireAfterSeconds in the past. Single-field indexes
   * only, as on mongod; the deletes are journaled like any other. Returns how many.
   */
  expireTtl(now: number): number {
    let n = 0;
    for (const d of [...this.dbs.values()])
      for (const coll of [...d.values()])
        for (const ix of coll.indexes) {
          const secs = ix.spec.expireAfterSeconds;
          if (typeof secs !== 'number' || ix.fields.length !== 1) continue;
          const field = ix.fields[0];
          const cutoff = new Date(now - secs * 1000);
          const filter: Doc = { [field]: { $lt: cutoff } };
          const pf = ix.spec.partialFilterExpression;
          const expired = coll.find(pf ? { $and: [filter, pf] } : filter).docs.filter((doc) => {
            const v = valueAtPath(doc, field);
            const dates = (Array.isArray(v) ? v : [v]).filter((x): x is Date => x instanceof Date);
            return dates.length > 0 && Math.min(...dates.map((x) => x.getTime())) < cutoff.getTime();
          });
          for (const doc of expired) {
            this.remove(coll, idKey(doc._id), null);
            n++;
          }
        }
    return n;
  }

  dropIndex(coll: Collection, name: string): void {
    coll.dropIndex(name);
    this.log({ o: 'di', n: coll.ns, x: name });
  }

  // ---------- document writes (base or transactional) ----------

  insert(coll: Collection, doc: Doc, txn: Txn | null): void {
    // last line of defence: every stored document has an _id (a missing one would be keyed as null)
    if (doc._id === undefined) throw new MongoError(Codes.InternalError, 'refusing to store a document without _id');
    const id = idKey(doc._id);
    if (txn) {
      // (serialized only at commit: measured now, so the write fails where mongod fails it)
      checkDocumentSize(BSON.calculateObjectSize(doc), 'insert');
      this.lock(txn, coll, id);
      const ov = txn.overlay(coll);
      coll.checkUnique(doc, id, true, ov);
      ov.set(id, doc);
      return;
    }
    this.insertBase(coll, id, doc, BSON.serialize(doc));
  }

  /**
   * Insert a document given as its BSON (well formed, `_id` first and valid: see the insert
   * command), outside any transaction: stored as it is, not decoded and encoded again.
   */
  insertBytes(coll: Collection, bytes: Buffer): void {
    this.insertBase(coll, idKeyOfRaw(bytes), coll.indexedViewOf(bytes), bytes);
  }

  /** `doc` holds at least the _id and the fields the indexes read. */
  private insertBase(coll: Collection, id: string, doc: Doc, bytes: Uint8Array): void {
    checkDocumentSize(bytes.length, 'insert');
    coll.checkUnique(doc, id, true);
    this.remember(coll, id);
    coll.putBase(id, doc, bytes);
    this.bump(coll, id);
    this.logPut(coll, bytes);
  }

  /** Replace a stored document; `prev`, when given, is its current stored version (saves a decode). */
  replace(coll: Collection, id: string, doc: Doc, txn: Txn | null, prev?: Doc): void {
    // a new version stored under another _id's key would duplicate that _id (and lose one on replay)
    if (doc._id === undefined || idKey(doc._id) !== id)
      throw new MongoError(Codes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
    if (txn) {
      checkDocumentSize(BSON.calculateObjectSize(doc), 'update');
      this.lock(txn, coll, id);
      const ov = txn.overlay(coll);
      coll.checkUnique(doc, id, false, ov);
      ov.set(id, doc);
      return;
    }
    const bytes = BSON.serialize(doc);
    checkDocumentSize(bytes.length, 'update');
    coll.checkUnique(doc, id, false);
    this.remember(coll, id);
    coll.putBase(id, doc, bytes, prev);
    this.bump(coll, id);
    this.logPut(coll, bytes);
  }

  remove(coll: Collection, id: string, txn: Txn | null): void {
    if (txn) {
      this.lock(txn, coll, id);
      txn.overlay(coll).set(id, null);
      return;
    }
    if (!coll.docs.has(id)) return;
    this.remember(coll, id);
    const old = coll.removeBase(id)!;
    this.bump(coll, id);
    this.log({ o: 'd', n: coll.ns, k: old._id });
  }

  /** Keep the version a write replaces while transactions may still read it. */
  private remember(coll: Collection, id: string): void {
    if (this.activeTxns === 0) return;
    const raw = coll.docs.raw(id);
    let h = this.history.get(coll);
    if (!h) this.history.set(coll, (h = { base: 0, entries: [] }));
    h.entries.push({ seq: this.seq + 1, id, prev: raw ? Buffer.from(raw) : null });
    this.historySize++;
  }

  /** Drop versions no open transaction can read (amortized: when the history doubled). */
  private pruneHistory(): void {
    if (this.historySize < 2 * this.prunedAt + 1024) return;
    let min = Infinity;
    for (const t of this.open) min = Math.min(min, t.startSeq);
    this.historySize = 0;
    for (const h of this.history.values()) {
      let k = 0;
      while (k < h.entries.length && h.entries[k].seq <= min) k++;
      if (k) {
        h.entries = h.entries.slice(k);
        h.base += k;
      }
      // an emptied log stays (its base keeps counting): open transactions' views hold positions in it
      this.historySize += h.entries.length;
    }
    this.prunedAt = this.historySize;
  }

  /**
   * What a transaction reads of a collection: its own writes over the versions current at its
   * start (documents written since by others are seen as they were, inserted ones not at all).
   */
  txnView(txn: Txn, coll: Collection | undefined): Overlay | undefined {
    if (!coll) return undefined;
    const own = txn.peek(coll);
    const h = this.history.get(coll);
    if (!h || h.entries.length === 0) return own;
    // the first version after the start, per id; built incrementally as the log grows
    let cached = txn.views.get(coll);
    if (!cached) {
      // entries are in seq order: skip those at or before the start (binary search)
      let lo = 0;
      let hi = h.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (h.entries[mid].seq <= txn.startSeq) lo = mid + 1;
        else hi = mid;
      }
      txn.views.set(coll, (cached = { upto: h.base + lo, view: new Map() }));
    }
    for (let i = Math.max(cached.upto, h.base) - h.base; i < h.entries.length; i++) {
      const v = h.entries[i];
      if (v.seq <= txn.startSeq || cached.view.has(v.id)) continue;
      if (v.doc === undefined) v.doc = v.prev ? (BSON.deserialize(v.prev, DESER) as Doc) : null;
      cached.view.set(v.id, v.doc);
    }
    cached.upto = h.base + h.entries.length;
    if (cached.view.size === 0) return own;
    if (!own || own.size === 0) return cached.view;
    const view: Overlay = new Map(cached.view);
    for (const [id, d] of own) view.set(id, d);
    return view;
  }

  /** The logical time of the last write, as a Timestamp's parts. */
  get lastWrite(): [number, number] {
    return [this.clock[0], this.clock[1]];
  }

  private tick(): void {
    // in place: this runs for every write
    const now = Math.floor(Date.now() / 1000);
    if (now > this.clock[0]) {
      this.clock[0] = now;
      this.clock[1] = 1;
    } else this.clock[1]++;
  }

  private bump(coll: Collection, id: string): void {
    this.seq++;
    this.tick();
    if (this.activeTxns > 0) {
      coll.seqs.set(id, this.seq);
      this.tracked.add(coll);
    }
  }

  private conflict(): Error {
    this.writeConflicts++;
    return writeConflict();
  }

  private lock(txn: Txn, coll: Collection, id: string): void {
    const k = coll.ns + SEP + id;
    const holder = this.locks.get(k);
    if (holder === txn) return;
    const s = coll.seqs.get(id);
    if ((holder && holder.state === 'active') || (s !== undefined && s > txn.startSeq)) {
      this.abortTxn(txn);
      this.writeConflicts++;
      throw writeConflict();
    }
    this.locks.set(k, txn);
    txn.lockKeys.push(k);
  }

  // ---------- transactions ----------

  beginTxn(sessionId: string, txnNumber: number): Txn {
    this.activeTxns++;
    const t = new Txn(sessionId, txnNumber, this.seq);
    this.open.add(t);
    return t;
  }

  /**
   * Aborts the transactions open longer than `limitMs` (mongod's transactionLifetimeLimitSeconds):
   * a client killed in the middle of one must not keep its documents locked, which would make
   * every later writer of them fail with WriteConflict. Answers how many were aborted.
   */
  abortExpiredTxns(now: number, limitMs: number): number {
    let n = 0;
    for (const t of [...this.open])
      if (t.state === 'active' && now - t.startedAt > limitMs) {
        this.abortTxn(t);
        n++;
      }
    return n;
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
      // a collection it created was created meanwhile by someone else
      for (const c of txn.created.values()) if (this.getCollection(c.db, c.name)) throw this.conflict();
      for (const [coll, ov] of txn.overlays) {
        for (const id of ov.keys()) {
          const s = coll.seqs.get(id);
          if (s !== undefined && s > txn.startSeq) throw this.conflict();
        }
        for (const [id, d] of ov) if (d) coll.checkUnique(d, id, false, ov);
      }
    } catch (e) {
      this.abortTxn(txn);
      throw e;
    }
    for (const c of txn.created.values()) {
      let d = this.dbs.get(c.db);
      if (!d) this.dbs.set(c.db, (d = new Map()));
      c.createdSeq = ++this.seq;
      d.set(c.name, c);
      this.log({ o: 'cc', n: c.ns, opts: c.options });
      for (const ix of c.indexes) this.log({ o: 'ci', n: c.ns, s: ix.spec });
    }
    for (const [coll, ov] of txn.overlays) {
      const live = this.getCollection(coll.db, coll.name) ?? this.ensureCollection(coll.db, coll.name);
      for (const [id, d] of ov) {
        if (d) {
          const bytes = BSON.serialize(d);
          if (this.activeTxns > 1) this.remember(live, id); // only other open transactions read it
          live.putBase(id, d, bytes);
          this.logPut(live, bytes);
        } else {
          if (!live.docs.has(id)) continue;
          if (this.activeTxns > 1) this.remember(live, id); // only other open transactions read it
          const old = live.removeBase(id)!;
          this.log({ o: 'd', n: live.ns, k: old._id });
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
    this.open.delete(txn);
    txn.views.clear();
    if (this.activeTxns === 0) {
      for (const c of this.tracked) c.seqs.clear();
      this.tracked.clear();
      this.history.clear();
      this.historySize = this.prunedAt = 0;
    } else this.pruneHistory();
  }

  // ---------- journal ----------

  private log(op: Doc): void {
    this.tick();
    if (this.journal) this.ops.push(BSON.serialize(op));
  }

  /** Journal a whole document from its stored bytes (no second serialization). */
  private logPut(coll: Collection, bytes: Uint8Array): void {
    if (this.journal) this.ops.push(putOp(coll.ns, bytes));
  }

  /** Journal the ops of the command just executed; resolves when durable. */
  flushOps(): Promise<void> | null {
    if (!this.journal || this.ops.length === 0) return null;
    const ops = this.ops;
    this.ops = [];
    return this.journal.append(opsRecord(ops));
  }

  /** Names the snapshot on disk (its first record): an index image is valid only for it. */
  private snapshotToken: string | undefined;
  /** The snapshot whose index image is on disk. */
  private imageToken: string | undefined;
  /** How the last start recovered the data directory (serverStatus storageEngine.recovery): the journal's bytes replayed after the snapshot. */
  recovery: { millis: number; indexes: 'adopted' | 'built'; journalBytes: number } | null = null;
  /** Replay into collections whose indexes are loaded (after an image was adopted): each op maintains them. */
  private replayLive = false;

  private recover(dbPath: string): void {
    const started = Date.now();
    this.dbPath = dbPath;
    fs.mkdirSync(dbPath, { recursive: true, mode: DIR_MODE });
    // a snapshot written by an older version may be world-readable
    const snap = path.join(dbPath, 'snapshot.bson');
    if (fs.existsSync(snap)) fs.chmodSync(snap, FILE_MODE);
    const visit = (payload: Buffer) => {
      // ops are read in place: a 'p' op's document goes to the store as the bytes it is
      const ops: Buffer[] = [];
      forEachEmbedded(payload, 'ops', (op) => void ops.push(op));
      if (ops.length === 0) throw new RecordError('record without ops');
      for (const op of ops) this.replayRaw(op);
    };
    const pendingImage = readImageAside(dbPath);
    scanRecords(path.join(dbPath, 'snapshot.bson'), visit, { whole: true, ahead: true });
    // With an image of the snapshot's indexes they are adopted, and the journal written since
    // (a stop that kept it, or a crash) is replayed onto them op by op; without one the journal
    // is replayed with the documents and every index is built once at the end.
    const image = pendingImage.take(this.snapshotToken);
    if (image) this.imageToken = this.snapshotToken;
    let adopted = true;
    const finishLoad = (img: typeof image) => {
      for (const d of this.dbs.values()) for (const c of d.values()) if (c.loading) adopted = c.finishLoad(img?.get(c.ns)) && adopted;
    };
    if (image) finishLoad(image);
    this.replayLive = !!image;
    const jr = scanRecords(path.join(dbPath, 'journal.bson'), visit);
    this.replayLive = false;
    if (!image) finishLoad(null);
    this.journal = new Journal(dbPath, jr.validLength);
    this.journal.snapshotWritten(fs.existsSync(snap) ? fs.statSync(snap).size : 0);
    this.journal.onLarge = () => void this.compact();
    this.ops = [];
    this.recovery = {
      millis: Date.now() - started,
      indexes: adopted && this.dbs.size > 0 ? 'adopted' : 'built',
      journalBytes: jr.validLength,
    };
  }

  private replayRaw(op: Buffer): void {
    // ops written with a one-letter `o` first ({ o: 'p', n, d }, { o: 's', n, b }) are read in place
    const kind = op[4] === 0x02 && op[5] === 0x6f && op[6] === 0 && op[12] === 0 ? op[11] : 0;
    // 's': a snapshot's slab of documents (packSlabs), adopted as it is
    if (kind === 0x73) {
      const { n, b } = BSON.deserialize(op, { promoteBuffers: true });
      const [db, ...rest] = String(n).split('.');
      this.ensureForReplay(db, rest.join('.'), {}).docs.adoptSlab(b);
      return;
    }
    // 'p': a document's bytes, as putOp and BSON.serialize of { o, n, d } both write it
    if (kind === 0x70) {
      const d = rawField(op, 'd');
      const n = decodeFields(op, N_ONLY).n;
      if (d && typeof n === 'string') {
        const [db, ...rest] = n.split('.');
        this.ensureForReplay(db, rest.join('.'), {}).putBase(idKeyOfRaw(d), null, d);
        return;
      }
    }
    this.replay(BSON.deserialize(op, DESER));
  }

  private ensureForReplay(db: string, name: string, opts: Doc): Collection {
    let d = this.dbs.get(db);
    if (!d) this.dbs.set(db, (d = new Map()));
    let c = d.get(name);
    if (!c) d.set(name, (c = new Collection(db, name, opts)));
    c.loading = !this.replayLive;
    return c;
  }

  /** Idempotent replay (a journal may be replayed on top of a snapshot that already has it). */
  private replay(op: Doc): void {
    const [db, ...rest] = String(op.n ?? '').split('.');
    const name = rest.join('.');
    const ensure = () => this.ensureForReplay(db, name, op.opts ?? {});
    switch (op.o) {
      case 'cc':
        // a snapshot's 'cc' says how many documents follow (older snapshots do not)
        if (typeof op.count === 'number') ensure().docs.reserve(op.count);
        else ensure();
        break;
      case 'sid':
        this.snapshotToken = op.t;
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
      case 'mi': {
        const ix = ensure().indexes.find((i) => i.spec.name === op.x);
        if (ix) ix.spec = op.s;
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

  /**
   * The committed state as snapshot record payloads: captured now (namespaces, index specs, ids
   * and slab references: synchronous, so it is one point in time), the bytes read as the
   * snapshot is written. Documents are copied from the store as they are, never re-serialized.
   */
  private captureSnapshot(token: string): { records: Iterable<Uint8Array>; release: () => void } {
    const parts: Array<{ head: Uint8Array; ns: string; cap: ReturnType<Collection['docs']['capture']> }> = [];
    for (const d of this.dbs.values())
      for (const c of d.values()) {
        const cap = c.docs.capture();
        parts.push({
          // the count lets recovery size the collection's id table once
          head: opsRecord([
            BSON.serialize({ o: 'cc', n: c.ns, opts: c.options, count: cap.refs.length }),
            ...c.indexes.map((i) => BSON.serialize({ o: 'ci', n: c.ns, s: i.spec })),
          ]),
          ns: c.ns,
          cap,
        });
      }
    function* records(): Generator<Uint8Array> {
      yield opsRecord([BSON.serialize({ o: 'sid', t: token })]);
      for (const { head, ns, cap } of parts) {
        yield head;
        // the documents as slabs, which recovery adopts without copying them one by one
        for (const slab of packSlabs(cap.refs.length, cap.raw)) yield serializeLarge({ ops: [{ o: 's', n: ns, b: slab }] });
      }
    }
    return { records: records(), release: () => parts.forEach((p) => p.cap.release()) };
  }

  /**
   * Write a snapshot of the committed state and drop the journal records it covers. The capture
   * is synchronous; the writing yields to the event loop (the server keeps serving, its writes
   * go on to the journal) and only the records appended before the capture are dropped.
   */
  compact(): Promise<void> {
    if (!this.journal || !this.dbPath) return Promise.resolve();
    this.compacting ??= this.compactNow().finally(() => (this.compacting = null));
    return this.compacting;
  }

  private async compactNow(): Promise<void> {
    const journal = this.journal!;
    await journal.drain();
    const upTo = journal.size;
    const token = randomBytes(12).toString('hex');
    const snap = this.captureSnapshot(token);
    try {
      journal.snapshotWritten(await writeSnapshot(this.dbPath!, snap.records));
    } finally {
      snap.release();
    }
    this.snapshotToken = token;
    // the index image was for the snapshot this one replaces
    fs.rmSync(path.join(this.dbPath!, IMAGE_FILE), { force: true });
    this.imageToken = undefined;
    if (this.journal !== journal) return;
    await journal.dropPrefix(upTo);
  }

  async close(): Promise<void> {
    if (!this.journal) return;
    const p = this.flushOps();
    if (p) await p;
    if (this.compacting) await this.compacting.catch(() => undefined);
    try {
      // A snapshot stands as it is (a restart need not rewrite GBs) when nothing was journaled
      // after it, or, with its index image on disk, while the journal is small beside it: a
      // restart adopts the image and replays the journal onto it.
      const keepJournal = this.imageToken === this.snapshotToken && this.journal.size <= KEPT_JOURNAL_BYTES;
      if (!this.snapshotToken || (this.journal.size > 0 && !keepJournal)) await this.compact();
      if (this.imageToken !== this.snapshotToken) {
        const collections = [...this.dbs.values()].flatMap((d) => [...d.values()]);
        await writeRecordsFile(this.dbPath!, IMAGE_FILE, imageRecords(this.snapshotToken!, collections));
        this.imageToken = this.snapshotToken;
      }
    } finally {
      this.journal.close();
      this.journal = null;
    }
  }
}
