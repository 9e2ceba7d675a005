// Secondary index structures. Each index keeps
//  - `entries`: Map from the canonical compound key to the ids of the documents having it
//    (equality / $in / unique checks in O(1));
//  - for the leading field, a sorted array of distinct values kept lazily (appends go to a
//    pending buffer that is sorted and merged on the next range query, so bulk inserts stay
//    O(1) while range scans are a binary search plus a walk).
// Candidate sets from an index are always re-filtered by the full query, so they only need
// to be a superset of the matches.
import { Query } from 'mingo';
import { Codes, MongoError } from './errors';
import { Any, compareValues, Doc, keyString, pathValues, typeRank } from './values';

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

/** ids of documents sharing one key: a single id string (common case, no Set allocation) or a Set. */
type Ids = string | Set<string>;

interface Entry {
  values: Any[]; // one value per index field
  ids: Ids;
  dead?: boolean;
}

export const SEP = '\u0000';

function idsAdd(ids: Ids, id: string): Ids {
  if (typeof ids === 'string') return ids === id ? ids : new Set([ids, id]);
  ids.add(id);
  return ids;
}
function idsRemove(ids: Ids, id: string): Ids | null {
  if (typeof ids === 'string') return ids === id ? null : ids;
  ids.delete(id);
  if (ids.size === 0) return null;
  if (ids.size === 1) return ids.values().next().value as string;
  return ids;
}
export function forEachId(ids: Ids, fn: (id: string) => void): void {
  if (typeof ids === 'string') fn(ids);
  else ids.forEach(fn);
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

export class Index {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  private readonly partial: Query | null;
  private entries = new Map<string, Entry>();
  /** leading-field entries (same map as `entries` for single-field indexes) */
  private lead: Map<string, Entry>;
  private sorted: Entry[] = [];
  private pending: Entry[] = [];
  private stale = 0;
  /** some document has an array in an indexed field (range bounds then cannot be intersected) */
  multikey = false;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.unique = !!spec.unique;
    this.sparse = !!spec.sparse;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, {}) : null;
    this.lead = this.fields.length === 1 ? this.entries : new Map();
  }

  get usableForQueries(): boolean {
    // a partial index does not contain every document; and text/2d/hashed keys are not value-ordered
    return !this.partial && Object.values(this.spec.key).every((v) => v === 1 || v === -1);
  }

  /** Index keys of a document: list of [compoundKey, values]; [] if the document is not indexed. */
  keysOf(doc: Doc): Array<[string, Any[]]> {
    if (this.partial && !this.partial.test(doc)) return [];
    let missing = 0;
    const perField: Any[][] = this.fields.map((f) => {
      const vals = pathValues(doc, f);
      if (vals.length === 0) {
        missing++;
        return [null];
      }
      const flat: Any[] = [];
      for (const v of vals) {
        if (Array.isArray(v)) {
          this.multikey = true;
          if (v.length === 0) flat.push(undefined);
          else for (const e of v) flat.push(e);
        } else flat.push(v);
      }
      return flat;
    });
    if (this.sparse && missing === this.fields.length) return [];
    if (perField.length === 1) {
      const vals = perField[0];
      if (vals.length === 1) return [[keyString(vals[0]), [vals[0] ?? null]]];
      const seen = new Map<string, Any[]>();
      for (const v of vals) seen.set(keyString(v), [v ?? null]);
      return [...seen.entries()];
    }
    // compound: cartesian product (multikey on several fields is rare)
    let combos: Any[][] = [[]];
    for (const vals of perField) {
      const next: Any[][] = [];
      for (const c of combos) for (const v of vals) next.push([...c, v ?? null]);
      combos = next;
    }
    const seen = new Map<string, Any[]>();
    for (const c of combos) seen.set(c.map(keyString).join(SEP), c);
    return [...seen.entries()];
  }

  add(id: string, doc: Doc): void {
    for (const [k, values] of this.keysOf(doc)) {
      const e = this.entries.get(k);
      if (e) e.ids = idsAdd(e.ids, id);
      else {
        const ne: Entry = { values, ids: id };
        this.entries.set(k, ne);
        if (this.lead === this.entries) this.addSorted(ne);
      }
      if (this.lead !== this.entries) {
        const lk = keyString(values[0]);
        const le = this.lead.get(lk);
        if (le) le.ids = idsAdd(le.ids, id);
        else {
          const nle: Entry = { values: [values[0]], ids: id };
          this.lead.set(lk, nle);
          this.addSorted(nle);
        }
      }
    }
  }

  remove(id: string, doc: Doc): void {
    for (const [k, values] of this.keysOf(doc)) {
      this.removeFrom(this.entries, k, id);
      if (this.lead !== this.entries) this.removeFrom(this.lead, keyString(values[0]), id);
    }
  }

  private removeFrom(map: Map<string, Entry>, k: string, id: string): void {
    const e = map.get(k);
    if (!e) return;
    const rest = idsRemove(e.ids, id);
    if (rest === null) {
      map.delete(k);
      if (map === this.lead) {
        e.dead = true;
        this.stale++;
      }
    } else e.ids = rest;
  }

  private addSorted(e: Entry): void {
    const last = this.sorted[this.sorted.length - 1];
    // monotonically increasing keys (dates, counters) append directly
    if (this.pending.length === 0 && (!last || compareValues(last.values[0], e.values[0]) < 0)) this.sorted.push(e);
    else this.pending.push(e);
  }

  private ensureSorted(): void {
    if (this.stale > 0) {
      this.sorted = this.sorted.filter((e) => !e.dead);
      this.stale = 0;
    }
    if (this.pending.length === 0) return;
    const cmp = (a: Entry, b: Entry) => compareValues(a.values[0], b.values[0]);
    const add = this.pending.filter((e) => !e.dead).sort(cmp);
    this.pending = [];
    const out: Entry[] = new Array(this.sorted.length + add.length);
    let i = 0,
      j = 0,
      k = 0;
    while (i < this.sorted.length && j < add.length) out[k++] = cmp(this.sorted[i], add[j]) <= 0 ? this.sorted[i++] : add[j++];
    while (i < this.sorted.length) out[k++] = this.sorted[i++];
    while (j < add.length) out[k++] = add[j++];
    this.sorted = out;
  }

  /** ids of documents whose full compound key equals `values`. */
  lookupFull(values: Any[]): Ids | undefined {
    return this.entries.get(values.map(keyString).join(SEP))?.ids;
  }

  /** ids of documents whose leading field equals `value`. */
  lookupLead(value: Any): Ids | undefined {
    return this.lead.get(keyString(value))?.ids;
  }

  /** ids of documents whose leading field is within the range (same BSON type class as the bounds). */
  lookupRange(r: Range, out: (id: string) => void): void {
    this.ensureSorted();
    const arr = this.sorted;
    const rank = typeRank((r.lo ?? r.hi)!.value);
    let lo = 0,
      hi = arr.length;
    if (r.lo) {
      const v = r.lo.value;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        const c = compareValues(arr[m].values[0], v);
        if (c < 0 || (c === 0 && !r.lo.inclusive)) lo = m + 1;
        else hi = m;
      }
    } else {
      // first entry of the bound's type class
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (typeRank(arr[m].values[0]) < rank) lo = m + 1;
        else hi = m;
      }
    }
    for (let i = lo; i < arr.length; i++) {
      const e = arr[i];
      const v = e.values[0];
      if (typeRank(v) !== rank) break;
      if (r.hi) {
        const c = compareValues(v, r.hi.value);
        if (c > 0 || (c === 0 && !r.hi.inclusive)) break;
      }
      forEachId(e.ids, out);
    }
  }

  /** Ids of documents in index order (for sort-by-index; only single-field or leading order). */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.lead.clear();
    this.sorted = [];
    this.pending = [];
    this.stale = 0;
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
