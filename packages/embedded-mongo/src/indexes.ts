// Secondary index structures. Each index is one sorted set of entry strings: the document's
// order-preserving compound key (see keys.ts) followed by its id key (omitted when the last
// index field is _id, which is already in the key). So, with no hash maps and no per-entry
// objects:
//  - equality on any prefix of the fields, optionally with a range or an $in on the next field,
//    is one or a few contiguous ranges of entries (binary search, then a walk);
//  - the entries of one equality prefix are in the order of the following fields, then of _id,
//    which serves sorts without collecting and sorting (forward or backward);
//  - counting a range adds up chunk lengths, without touching the documents.
// Candidate sets from an index are re-filtered by the full query, so they only need to be a
// superset of the matches; counts are only taken from an index when it answers the whole filter.
import { Query } from 'mingo';
import { Codes, MongoError } from './errors';
import { classEnd, classStart, encodeKey, isUnorderedRank, prefixEnd, skipKey } from './keys';
import { SortedStrings } from './sorted';
import { Any, Doc, isPlainObject, pathValues, typeRank } from './values';

export interface IndexSpec {
  v?: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  [k: string]: unknown;
}

export function indexNameFor(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${v}`)
    .join('_');
}

/** Range bounds on one field, e.g. from { $gte: 3, $lt: 9 }. */
export interface Range {
  lo?: { value: Any; inclusive: boolean };
  hi?: { value: Any; inclusive: boolean };
}

/** [start, end) in key space for `prefix` followed by a value in `range` (or any value). */
export function keyBounds(prefix: string, range?: Range): [string, string | null] {
  if (!range || (!range.lo && !range.hi)) return [prefix, prefix ? prefixEnd(prefix) : null];
  const rank = typeRank((range.lo ?? range.hi)!.value);
  let start: string, end: string | null;
  if (range.lo) {
    const k = prefix + encodeKey(range.lo.value);
    start = range.lo.inclusive ? k : prefixEnd(k)!; // never null: k starts with a type tag < 0xff
  } else start = prefix + classStart(rank);
  if (range.hi) {
    const k = prefix + encodeKey(range.hi.value);
    end = range.hi.inclusive ? prefixEnd(k) : k;
  } else end = prefix + classEnd(rank);
  return [start, end];
}

/** The conditions of a filter's top level (and of a top-level $and) by field; null for any other operator. */
function conditionsOf(filter: Doc): Map<string, unknown[]> | null {
  const out = new Map<string, unknown[]>();
  const add = (f: Doc): boolean => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        if (!v.every((c) => isPlainObject(c as Any) && add(c as Doc))) return false;
      } else if (k.startsWith('$')) return false;
      else out.set(k, [...(out.get(k) ?? []), v]);
    }
    return true;
  };
  return add(filter) ? out : null;
}

const isOperatorDoc = (v: Any): v is Doc => isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

/**
 * The values a query condition on one field allows, when it is an equality or `$in` of plain
 * values (no null, array, document or regex: those match in ways a stand-in document would not
 * show); null otherwise.
 */
function equalValues(cond: unknown): unknown[] | null {
  const plain = (v: unknown) => v !== null && v !== undefined && !Array.isArray(v) && !isPlainObject(v as Any) && !(v instanceof RegExp);
  if (!isOperatorDoc(cond)) return plain(cond) ? [cond] : null;
  const ops = Object.keys(cond);
  if (ops.length !== 1) return null;
  if (ops[0] === '$eq') return plain(cond.$eq) ? [cond.$eq] : null;
  if (ops[0] === '$in' && Array.isArray(cond.$in) && cond.$in.length > 0 && cond.$in.every(plain)) return cond.$in;
  return null;
}

/**
 * A test of whether every document a filter matches also matches `partial` (a partial index's
 * filter expression), decided conservatively: each field `partial` names must be held by the
 * filter to equalities or `$in` values that each satisfy `partial`'s condition on that field.
 * False when in doubt (the planner then scans, which is always right). Built once per index.
 */
export function implicationOf(partial: Doc): (filter: Doc) => boolean {
  const needed = conditionsOf(partial);
  if (!needed || needed.size === 0) return () => false;
  const fields = [...needed].map(([field, conds]) => ({
    field,
    test: new Query({ $and: conds.map((c) => ({ [field]: c })) }, {}),
    standIn: (v: unknown) => field.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), v) as Doc,
  }));
  return (filter) => {
    const given = conditionsOf(filter);
    if (!given) return false;
    return fields.every(({ field, test, standIn }) => {
      const values = (given.get(field) ?? []).map(equalValues).find((vs) => vs !== null);
      return !!values && values.every((v) => test.test(standIn(v)));
    });
  };
}

export class Index {
  /** options that do not change the entries (expireAfterSeconds, hidden) may be modified by collMod */
  spec: IndexSpec;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  private readonly partial: Query | null;
  /** Whether a filter implies the partial filter expression (implicationOf); null for a full index. */
  private readonly implied: ((filter: Doc) => boolean) | null;
  private readonly simple: boolean[];
  /** the last field is _id: entries are the key alone (the id is its last value) */
  private readonly idLast: boolean;
  readonly tree = new SortedStrings();
  /** some document has an array in this field (then its entries are per element) */
  readonly multikeyFields: boolean[];
  /** some document has a sub-document, nested array, binary or regex in this field (no index order) */
  readonly unorderedFields: boolean[];

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.unique = !!spec.unique;
    this.sparse = !!spec.sparse;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, {}) : null;
    this.implied = spec.partialFilterExpression ? implicationOf(spec.partialFilterExpression) : null;
    this.simple = this.fields.map((f) => !f.includes('.'));
    this.idLast = this.fields[this.fields.length - 1] === '_id';
    this.multikeyFields = this.fields.map(() => false);
    this.unorderedFields = this.fields.map(() => false);
  }

  /** some document has an array in an indexed field */
  get multikey(): boolean {
    return this.multikeyFields.some(Boolean);
  }

  get usableForQueries(): boolean {
    // a partial index does not contain every document
    return !this.partial && this.plannable;
  }

  /** Text/2d/hashed keys are not value-ordered; a hidden index is maintained (and enforces uniqueness) but not planned, as on mongod. */
  private get plannable(): boolean {
    return !this.spec.hidden && Object.values(this.spec.key).every((v) => v === 1 || v === -1);
  }

  /**
   * Whether the planner may answer `filter` from this index: a full one always (usableForQueries);
   * a partial one, as on mongod, when the filter implies its filter expression, so every document
   * the filter matches is in the index (e.g. `{currentKey: 'k'}` for `{currentKey: {$type: 'string'}}`).
   */
  usableFor(filter: Doc): boolean {
    return this.plannable && (!this.implied || this.implied(filter));
  }

  /**
   * Encoded compound keys of a document (distinct); [] if the document is not indexed. The
   * strings are flat (built with join, not +), so stored entries hold no rope pieces.
   */
  keysOf(doc: Doc): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const n = this.fields.length;
    let missing = 0;
    let combos: string[][] | null = null;
    const single: string[] = [];
    for (let i = 0; i < n; i++) {
      const f = this.fields[i];
      let enc: string | string[];
      let vals: Any[];
      if (this.simple[i]) {
        const v = doc[f];
        vals = v === undefined ? [] : [v];
      } else vals = pathValues(doc, f);
      if (vals.length === 0) {
        missing++;
        enc = '\x02';
      } else if (vals.length === 1 && !Array.isArray(vals[0])) enc = this.encodeOne(i, vals[0]);
      else {
        const set = new Set<string>();
        for (const v of vals) {
          if (Array.isArray(v)) {
            this.multikeyFields[i] = true;
            if (v.length === 0) set.add('\x02');
            else for (const e of v) set.add(this.encodeOne(i, e));
          } else set.add(this.encodeOne(i, v));
        }
        if (vals.length > 1) this.multikeyFields[i] = true;
        enc = set.size === 1 ? set.values().next().value! : [...set];
      }
      if (typeof enc === 'string') {
        if (combos === null) single.push(enc);
        else for (const c of combos) c.push(enc);
      } else {
        const base: string[][] = combos ?? [single];
        combos = [];
        for (const c of base) for (const e of enc) combos.push([...c, e]);
      }
    }
    if (this.sparse && missing === n) return [];
    if (combos === null) return [single.join('')];
    return combos.map((c) => c.join(''));
  }

  private encodeOne(i: number, v: Any): string {
    const k = encodeKey(v);
    if (isUnorderedRank(k.charCodeAt(0))) this.unorderedFields[i] = true;
    return k;
  }

  private entry(key: string, id: string): string {
    return this.idLast ? key : [key, id].join('');
  }

  /** The id key of the document an entry belongs to. */
  idOf(entry: string): string {
    let p = 0;
    const n = this.idLast ? this.fields.length - 1 : this.fields.length;
    for (let i = 0; i < n; i++) p = skipKey(entry, p);
    return entry.slice(p);
  }

  add(id: string, doc: Doc): void {
    for (const k of this.keysOf(doc)) this.tree.insert(this.entry(k, id));
  }

  remove(id: string, doc: Doc): void {
    for (const k of this.keysOf(doc)) this.tree.delete(this.entry(k, id));
  }

  /** Bulk build from (id, doc) pairs on an empty index: one sort instead of n inserts. */
  build(docs: Iterable<[string, Doc]>): void {
    const all: string[] = [];
    for (const [id, d] of docs) this.collectEntries(id, d, all);
    this.load(all);
  }

  /** The entries of one document, appended to `out` (for a bulk load). */
  collectEntries(id: string, doc: Doc, out: string[]): void {
    for (const k of this.keysOf(doc)) out.push(this.entry(k, id));
  }

  /** Load unsorted entries (from collectEntries) into an empty index. */
  load(all: string[]): void {
    all.sort();
    let w = 0;
    for (let r = 0; r < all.length; r++) if (r === 0 || all[r] !== all[r - 1]) all[w++] = all[r];
    all.length = w;
    this.tree.load(all);
  }

  /** Positions [from, to) of the entries in key range [start, end). */
  positions(start: string, end: string | null): [number, number] {
    return [this.tree.lowerBound(start), end === null ? this.tree.end : this.tree.lowerBound(end)];
  }

  /** ids of the documents whose encoded key is exactly `key` (stop by returning false). */
  idsWithKey(key: string, fn: (id: string) => boolean | void): void {
    const [a, b] = this.positions(key, prefixEnd(key));
    this.tree.walk(a, b, 1, (e) => fn(this.idOf(e)));
  }

  get size(): number {
    return this.tree.size;
  }

  clear(): void {
    this.tree.clear();
  }
}

/** The E11000 error exactly as MongoDB words it (mongoose parses keyValue/keyPattern). */
export function duplicateKeyError(ns: string, index: Index, values: Any[]): MongoError {
  const keyValue: Doc = {};
  index.fields.forEach((f, i) => (keyValue[f] = values[i]));
  const shown = index.fields.map((f, i) => `${f}: ${formatValue(values[i])}`).join(', ');
  return new MongoError(
    Codes.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${index.spec.name} dup key: { ${shown} }`,
    { keyPattern: { ...index.spec.key }, keyValue },
  );
}

function formatValue(v: Any): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v && v._bsontype === 'ObjectId') return `ObjectId('${v.toHexString()}')`;
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}
