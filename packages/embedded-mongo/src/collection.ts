// One collection: documents as plain JS objects in a Map keyed by the canonical _id string
// (insertion order = natural order), plus secondary indexes. Reads can be given a
// transaction overlay (id -> new doc, or null for deleted) that is merged over the base data.
import { Codes, MongoError } from './errors';
import { duplicateKeyError, Index, IndexSpec, indexNameFor } from './indexes';
import { isUnorderedRank } from './keys';
import { compileFilter, filterFields, ID_INDEX, Plan, PlanTarget, planQuery, sortSpecOf } from './query';
import type { CollectionImage } from './index-image';
import { SortedStrings } from './sorted';
import { decodeFields, DESER, DocStore } from './store';
import { BSON } from 'bson';
import { Doc, makeComparator } from './values';

export type Overlay = Map<string, Doc | null>;

export interface FindOptions {
  /** only these top-level fields of the matching documents are needed (aggregation inputs) */
  fields?: Set<string>;
  /**
   * The result may hold ids (strings) instead of decoded documents, to be decoded as they are
   * sent (cursor batches): only when it is already in its final order.
   */
  lazy?: boolean;
  /** only the number of matches is wanted: `docs` may hold placeholders instead of decoded documents */
  countOnly?: boolean;
  /** requested order: served by an index walk when one fits, else sorted here */
  sort?: Doc | null;
  /** at most this many documents (skip + limit), 0 = all */
  limit?: number;
}

export interface FindResult {
  docs: Doc[];
  plan: Plan;
  /** documents fetched and matched */
  examined: number;
  /** docs are in the requested sort order (and cut at the limit) */
  sorted: boolean;
}

export class Collection implements PlanTarget {
  readonly db: string;
  name: string;
  options: Doc;
  /** documents as BSON bytes (decoded on access) by id key */
  docs = new DocStore();
  /** ids in _id order (the _id index's order; the docs map keeps insertion order) */
  idTree = new SortedStrings();
  idUnordered = false;
  indexes: Index[] = [];
  /** last write sequence per id, tracked only while transactions are open (conflict detection) */
  readonly seqs = new Map<string, number>();
  /** engine write sequence when created (a transaction started before does not see it) */
  createdSeq = 0;

  constructor(db: string, name: string, options: Doc = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX as IndexSpec, ...this.indexes.map((i) => i.spec)];
  }

  /**
   * Documents matching `filter` and the plan used. With `sort`, an index that yields that order
   * is walked (stopping at `limit`) when the planner prefers it; `sorted` then says the result
   * is already in order and cut at the limit. Without, documents come in natural or index order.
   */
  find(filter: Doc | undefined, overlay?: Overlay, opts: FindOptions = {}): FindResult {
    const match = compileFilter(filter);
    const spec = opts.sort ? sortSpecOf(opts.sort) : null;
    const plan = planQuery(filter, this, spec, opts.limit || undefined);
    const out: Doc[] = [];
    let examined = 0;
    // Stored documents are BSON: a filter reading a few fields is matched on those fields
    // decoded alone, and only matches are decoded whole; candidates of an index that answers
    // the whole filter need no matching at all.
    const fields0 = filterFields(filter);
    // an index that answers the whole filter, or no filter: no matching needed
    const trusted = !!plan.count || (fields0 !== null && fields0.size === 0);
    const fields = trusted ? null : fields0;
    let rawId = '';
    const full = (raw: Buffer) => this.docs.decode(rawId, raw);
    // what callers get: whole documents, or the fields a pipeline reads downstream
    const wanted = opts.fields;
    const out1 = wanted ? (raw: Buffer) => decodeFields(raw, wanted) : full;
    // ids stand for documents when the order is final: a walk, or no order asked for
    const lazy = !!opts.lazy && !wanted && (!spec || !!plan.ordered) && (!overlay || overlay.size === 0);
    const byFields = fields !== null && fields.size > 0 && (fields.size <= 6 || !!wanted || !!opts.countOnly || lazy);
    const fromRaw = (raw: Buffer): Doc | null => {
      if (trusted) return opts.countOnly ? PLACEHOLDER : lazy ? (rawId as unknown as Doc) : out1(raw);
      if (byFields) {
        if (!match(decodeFields(raw, fields!))) return null;
        return opts.countOnly ? PLACEHOLDER : lazy ? (rawId as unknown as Doc) : out1(raw);
      }
      const d = full(raw);
      return match(d) ? d : null;
    };
    const fetchBase = (id: string): Doc | null => {
      const raw = this.docs.raw(id);
      rawId = id;
      return raw ? fromRaw(raw) : null;
    };
    const get = (id: string): Doc | null => {
      if (overlay && overlay.has(id)) {
        const d = overlay.get(id);
        return d && match(d) ? d : null;
      }
      return fetchBase(id);
    };
    if (plan.ordered) {
      const max = opts.limit || Infinity;
      // documents the transaction changed are judged by their overlay version, merged in below
      const extra: Doc[] = [];
      if (overlay) for (const d of overlay.values()) if (d && match(d)) extra.push(d);
      plan.collect!((id) => {
        if (overlay && overlay.has(id)) return;
        const d = fetchBase(id);
        examined++;
        if (d) out.push(d);
        return out.length < max;
      });
      if (extra.length === 0) return { docs: out, plan, examined, sorted: true };
      const cmp = makeComparator(opts.sort!);
      extra.sort(cmp);
      const merged: Doc[] = [];
      let i = 0,
        j = 0;
      while (merged.length < max && (i < out.length || j < extra.length)) {
        if (j >= extra.length || (i < out.length && cmp(out[i], extra[j]) <= 0)) merged.push(out[i++]);
        else merged.push(extra[j++]);
      }
      return { docs: merged, plan, examined: examined + extra.length, sorted: true };
    }
    // no order asked for: any `limit` matches will do
    const max = !spec && opts.limit ? opts.limit : Infinity;
    if (plan.idKeys || plan.collect) {
      const seen = new Set<string>();
      const visit = (id: string) => {
        if (seen.has(id)) return;
        seen.add(id);
        const d = get(id);
        examined++;
        if (d) out.push(d);
        return out.length < max;
      };
      if (plan.idKeys) {
        // every match has one of these ids, and get() looks in the overlay first: nothing else of
        // the transaction's writes can match (matching them all made n updates by _id cost n²)
        for (const id of plan.idKeys) if (visit(id) === false) break;
        return { docs: out, plan, examined, sorted: false };
      }
      plan.collect!(visit);
      // documents written inside the transaction are not in the base indexes
      if (overlay) for (const [id, d] of overlay) if (d && !seen.has(id) && match(d)) out.push(d);
      return { docs: out, plan, examined, sorted: false };
    }
    this.docs.forEachRaw((id, raw) => {
      examined++;
      rawId = id;
      const d = overlay && overlay.has(id) ? (overlay.get(id) && match(overlay.get(id)!) ? overlay.get(id)! : null) : fromRaw(raw);
      return !(d && out.push(d) >= max);
    });
    if (overlay) for (const [id, d] of overlay) if (d && !this.docs.has(id) && match(d)) out.push(d);
    return { docs: out, plan, examined, sorted: false };
  }

  /**
   * Number of documents matching `filter`. When an index answers the whole filter (equality on
   * a prefix of its fields, optionally one range on the next), index entries are counted without
   * fetching documents; a transaction's own writes are then accounted for one by one.
   */
  count(filter: Doc | undefined, overlay?: Overlay): { n: number; plan: Plan; fromIndex: boolean } {
    if (!filter || Object.keys(filter).length === 0) {
      if (!overlay || overlay.size === 0) return { n: this.docs.size, plan: planQuery(filter, this), fromIndex: true };
      let n = this.docs.size;
      for (const [id, d] of overlay) {
        const had = this.docs.has(id);
        if (had && !d) n--;
        else if (!had && d) n++;
      }
      return { n, plan: planQuery(filter, this), fromIndex: true };
    }
    const match = compileFilter(filter);
    const plan = planQuery(filter, this);
    if (!plan.count) return { n: this.find(filter, overlay, { countOnly: true }).docs.length, plan, fromIndex: false };
    let n = plan.count();
    if (overlay)
      for (const [id, d] of overlay) {
        const base = this.docs.get(id);
        if (base && match(base)) n--;
        if (d && match(d)) n++;
      }
    return { n, plan, fromIndex: true };
  }

  /** All documents visible under the overlay (for $lookup / aggregation sources). */
  all(overlay?: Overlay): Doc[] {
    return this.find(undefined, overlay).docs;
  }

  get(id: string, overlay?: Overlay): Doc | undefined {
    if (overlay && overlay.has(id)) return overlay.get(id) ?? undefined;
    return this.docs.get(id);
  }

  /**
   * Throw E11000 if `doc` (stored under `id`) would violate a unique index. Documents that the
   * overlay replaces are judged by their overlay version.
   */
  checkUnique(doc: Doc, id: string, isInsert: boolean, overlay?: Overlay): void {
    if (isInsert) {
      const existing = this.get(id, overlay);
      if (existing) throw duplicateKeyError(this.ns, ID_PSEUDO, [doc._id]);
    }
    for (const ix of this.indexes) {
      if (!ix.unique) continue;
      for (const k of ix.keysOf(doc)) {
        let clash = false;
        ix.idsWithKey(k, (other) => {
          if (other !== id && !(overlay && overlay.has(other))) {
            clash = true;
            return false;
          }
        });
        if (!clash && overlay) {
          // the transaction's own documents with this key (candidates checked against their current version)
          for (const oid of overlayKeys(overlay, ix).get(k) ?? [])
            if (oid !== id && overlay.get(oid) && ix.keysOf(overlay.get(oid)!).includes(k)) {
              clash = true;
              break;
            }
        }
        if (clash)
          throw duplicateKeyError(
            this.ns,
            ix,
            ix.fields.map((f) => valueAt(doc, f)),
          );
      }
    }
    // the document goes into the overlay next (storage.insert/replace): its keys are found from now on
    if (overlay)
      for (const ix of this.indexes)
        if (ix.unique) {
          const keys = overlayKeys(overlay, ix);
          for (const k of ix.keysOf(doc)) {
            const ids = keys.get(k);
            if (ids) ids.add(id);
            else keys.set(k, new Set([id]));
          }
        }
  }

  // ---- base mutations (indexes maintained; callers have already validated) ----

  /** Top-level fields the indexes read (null: some index needs whole documents, e.g. a partial one). */
  private indexFields(ixs: Index[] = this.indexes): Set<string> | null {
    const out = new Set<string>(['_id']);
    for (const ix of ixs) {
      // a partial index reads its filter's fields too (before, any partial index decoded whole documents)
      if (ix.spec.partialFilterExpression) {
        const read = filterFields(ix.spec.partialFilterExpression);
        if (!read) return null;
        for (const f of read) out.add(f);
      }
      for (const f of ix.fields) out.add(f.split('.')[0]);
    }
    return out;
  }

  /** The stored version of a document with at least its _id and indexed fields. */
  private indexedView(id: string): Doc | undefined {
    const raw = this.docs.raw(id);
    return raw && this.indexedViewOf(raw);
  }

  /** A raw document with at least its _id and indexed fields decoded. */
  indexedViewOf(raw: Buffer): Doc {
    const fields = this.indexFields();
    return fields ? decodeFields(raw, fields) : (BSON.deserialize(raw, DESER) as Doc);
  }

  /** Store a document (serialized as `bytes`), maintaining the indexes. */
  putBase(id: string, doc: Doc | null, bytes: Uint8Array = BSON.serialize(doc!), prev?: Doc): void {
    if (this.loading) {
      this.docs.set(id, bytes);
      return;
    }
    const old = prev && this.docs.has(id) ? prev : this.indexes.length ? this.indexedView(id) : this.docs.has(id) ? ({} as Doc) : undefined;
    if (old) for (const ix of this.indexes) ix.remove(id, old);
    else {
      this.idTree.insert(id);
      if (isUnorderedRank(id.charCodeAt(0))) this.idUnordered = true;
    }
    this.docs.set(id, bytes);
    if (this.indexes.length) {
      const d = doc ?? this.indexedView(id)!;
      for (const ix of this.indexes) ix.add(id, d);
    }
  }

  /** Remove a document; returns its stored version (at least _id and the indexed fields). */
  removeBase(id: string): Doc | undefined {
    const old = this.indexedView(id);
    if (!old) return undefined;
    if (!this.loading) {
      for (const ix of this.indexes) ix.remove(id, old);
      this.idTree.delete(id);
    }
    this.docs.delete(id);
    return old;
  }

  /** Build a new index over existing data; fails with 11000 if a unique index is violated. */
  createIndex(spec: IndexSpec, enforce = true): Index {
    const ix = new Index(spec);
    if (this.loading) {
      this.indexes.push(ix);
      return ix;
    }
    const fields = this.indexFields([ix]);
    ix.build(fields ? this.docs.projected(fields) : this.docs.entries());
    if (enforce && ix.unique && ix.fields[ix.fields.length - 1] !== '_id') {
      // adjacent entries with the same key belong to different documents
      let prevKey: string | null = null;
      let prevId: string | null = null;
      ix.tree.walk(0, ix.tree.end, 1, (e) => {
        const id = ix.idOf(e);
        const key = e.slice(0, e.length - id.length);
        if (key === prevKey && id !== prevId) {
          const d = this.docs.get(id)!;
          throw duplicateKeyError(
            this.ns,
            ix,
            ix.fields.map((f) => valueAt(d, f)),
          );
        }
        prevKey = key;
        prevId = id;
      });
    }
    this.indexes.push(ix);
    return ix;
  }

  /**
   * Recovery replays documents with `loading` set (no index maintenance); finishLoad then builds
   * the _id order and every index in bulk (one sort each).
   */
  loading = false;

  /** Returns whether the indexes were adopted from `image` (else they were built). */
  finishLoad(image?: CollectionImage): boolean {
    this.loading = false;
    if (image && this.adoptImage(image)) return true;
    const ids = [...this.docs.keys()].sort();
    this.idTree.load(ids);
    this.idUnordered = ids.some((id) => isUnorderedRank(id.charCodeAt(0)));
    // one pass over the documents decodes the fields of every index
    const fields = this.indexFields();
    const entries = this.indexes.map(() => [] as string[]);
    for (const [id, d] of fields ? this.docs.projected(fields) : this.docs.entries())
      for (let i = 0; i < this.indexes.length; i++) this.indexes[i].collectEntries(id, d, entries[i]);
    this.indexes.forEach((ix, i) => {
      ix.clear();
      ix.load(entries[i]);
      entries[i] = [];
    });
    return false;
  }

  /** Take the _id order and every index from a clean stop's image (index-image.ts); false if it lacks one. */
  private adoptImage(image: CollectionImage): boolean {
    const ids = image.get('');
    const trees = this.indexes.map((ix) => image.get(ix.spec.name));
    if (!ids || trees.some((t) => !t)) return false;
    if (ids.chunks.reduce((n, c) => n + c.offsets.length, 0) !== this.docs.size) return false;
    this.idTree.loadImage(ids.chunks);
    this.idUnordered = !!ids.flags.unordered;
    this.indexes.forEach((ix, i) => {
      const { chunks, flags } = trees[i]!;
      ix.tree.loadImage(chunks);
      ix.fields.forEach((_, f) => {
        ix.multikeyFields[f] = !!flags.multikey?.[f];
        ix.unorderedFields[f] = !!flags.unorderedFields?.[f];
      });
    });
    return true;
  }

  /** This collection's data and indexes under another name (renameCollection). */
  renamed(db: string, name: string): Collection {
    const c = new Collection(db, name, this.options);
    c.docs = this.docs;
    c.idTree = this.idTree;
    c.idUnordered = this.idUnordered;
    c.indexes = this.indexes;
    c.loading = this.loading;
    return c;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.spec.name === name);
    if (i < 0) throw new MongoError(Codes.IndexNotFound, `index not found with name [${name}]`);
    this.indexes.splice(i, 1);
  }

  findIndexByKey(key: Doc): Index | undefined {
    const want = JSON.stringify(key);
    return this.indexes.find((i) => JSON.stringify(i.spec.key) === want);
  }
}

const PLACEHOLDER: Doc = Object.freeze({}) as Doc;

/** The value shown for field `f` in a duplicate key error. */
function valueAt(doc: Doc, f: string): unknown {
  let v: unknown = doc;
  for (const p of f.split('.')) v = v !== null && typeof v === 'object' ? (v as Doc)[p] : undefined;
  return v ?? null;
}

/** Stand-in used to word duplicate _id errors. */
const ID_PSEUDO = new Index({ key: { _id: 1 }, name: '_id_', unique: true });

export { indexNameFor };

/**
 * Per transaction overlay and unique index: the ids of its documents by key, so a write checks
 * its keys against the transaction's own writes in one lookup each, not by decoding every
 * document it wrote (quadratic: a follower moving 20,000 records in one transaction stalled the
 * server for more than 30 s). Entries may be stale (a document updated or deleted since):
 * candidates are checked against their current version.
 */
const overlayKeyMaps = new WeakMap<Overlay, Map<Index, Map<string, Set<string>>>>();
function overlayKeys(overlay: Overlay, ix: Index): Map<string, Set<string>> {
  let byIndex = overlayKeyMaps.get(overlay);
  if (!byIndex) overlayKeyMaps.set(overlay, (byIndex = new Map()));
  let keys = byIndex.get(ix);
  if (!keys) {
    byIndex.set(ix, (keys = new Map()));
    // documents written before this index was first checked
    for (const [oid, od] of overlay)
      if (od)
        for (const k of ix.keysOf(od)) {
          const ids = keys.get(k);
          if (ids) ids.add(oid);
          else keys.set(k, new Set([oid]));
        }
  }
  return keys;
}
