// Value helpers with MongoDB semantics: BSON type order comparison, canonical equality keys
// (so 1, 1.0 and Long(1) are the same index key), path traversal through arrays, and a
// deep clone that keeps bson class instances (ObjectId, Binary...) intact.

/** A deserialized BSON value (plain objects, arrays, bson classes): deliberately untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;
export type Doc = Record<string, Any>;

export const bsontype = (v: Any): string | undefined => (v && typeof v === 'object' ? v._bsontype : undefined);

/** The BSON type name mongod's messages use for a value. */
export function bsonTypeName(v: Any): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Date) return 'date';
  if (Array.isArray(v)) return 'array';
  if (bsontype(v) === 'ObjectId') return 'objectId';
  return 'object';
}

/** Rank in MongoDB's cross-type sort order. */
export function typeRank(v: Any): number {
  if (v === null || v === undefined) return 2;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
  }
  if (Array.isArray(v)) return 6;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  switch (bsontype(v)) {
    case undefined:
      return 5;
    case 'MinKey':
      return 1;
    case 'Long':
    case 'Double':
    case 'Int32':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
    default:
      return 5;
  }
}

export function toNumber(v: Any): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (bsontype(v)) {
    case 'Long':
      return v.toNumber();
    case 'Double':
    case 'Int32':
      return v.value;
    case 'Decimal128':
      return parseFloat(v.toString());
  }
  return NaN;
}

function cmpPrim(a: Any, b: Any): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order over BSON values (MongoDB's comparison/sort order). */
/** BSON order; `strCmp` (a collation) orders strings when given, also inside documents and arrays. */
export function compareValues(a: Any, b: Any, strCmp?: (x: string, y: string) => number): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
    case 2:
    case 13:
      return 0;
    case 3: {
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
      if (Number.isNaN(y)) return 1;
      return cmpPrim(x, y);
    }
    case 4:
      return strCmp && typeof a === 'string' && typeof b === 'string'
        ? strCmp(a, b)
        : cmpPrim(String(a.valueOf?.() ?? a), String(b.valueOf?.() ?? b));
    case 5: {
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = typeRank(a[ka[i]]) - typeRank(b[kb[i]]) || cmpPrim(ka[i], kb[i]) || compareValues(a[ka[i]], b[kb[i]], strCmp);
        if (c) return c;
      }
      return ka.length - kb.length;
    }
    case 6: {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const c = compareValues(a[i], b[i], strCmp);
        if (c) return c;
      }
      return a.length - b.length;
    }
    case 7: {
      const ba: Uint8Array = a.buffer;
      const bb: Uint8Array = b.buffer;
      if (a.position !== b.position) return a.position - b.position;
      if (a.sub_type !== b.sub_type) return a.sub_type - b.sub_type;
      for (let i = 0; i < a.position; i++) if (ba[i] !== bb[i]) return ba[i] - bb[i];
      return 0;
    }
    case 8:
      return cmpPrim(a.toHexString(), b.toHexString());
    case 9:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 10:
      return cmpPrim(a.getTime(), b.getTime());
    case 11:
      return a.compare(b);
    case 12:
      return cmpPrim(String(a.source ?? a.pattern), String(b.source ?? b.pattern));
  }
  return 0;
}

export function valuesEqual(a: Any, b: Any): boolean {
  return compareValues(a, b) === 0;
}

/**
 * Canonical string for equality: equal MongoDB values give equal strings. Used as the key of
 * the _id map and of index maps. null and missing map to the same key, as in a MongoDB index.
 */
export function keyString(v: Any): string {
  if (v === null || v === undefined) return 'N';
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'n' + (v === 0 ? '0' : String(v));
    case 'boolean':
      return v ? 'T' : 'F';
    case 'bigint':
      return 'n' + String(Number(v));
  }
  if (v instanceof Date) return 'd' + v.getTime();
  if (Array.isArray(v)) return 'a' + JSON.stringify(v.map(keyString));
  if (v instanceof RegExp) return 'r' + v.source + '/' + v.flags;
  switch (bsontype(v)) {
    case 'ObjectId':
      return 'o' + v.toHexString();
    case 'Long':
    case 'Double':
    case 'Int32':
    case 'Decimal128': {
      const n = toNumber(v);
      return 'n' + (n === 0 ? '0' : String(n));
    }
    case 'Binary':
      return 'x' + v.sub_type + ':' + Buffer.from(v.buffer.subarray(0, v.position)).toString('base64');
    case 'Timestamp':
      return 'S' + v.toString();
    case 'MinKey':
      return 'm';
    case 'MaxKey':
      return 'M';
    case 'BSONSymbol':
      return 's' + v.toString();
    case 'BSONRegExp':
      return 'r' + v.pattern + '/' + v.options;
    case undefined:
      return 'O' + JSON.stringify(Object.keys(v).map((k) => [k, keyString(v[k])]));
    default:
      return 'z' + JSON.stringify(v);
  }
}

/** Plain object (document / sub-document), as opposed to arrays, Dates and bson classes. */
export function isPlainObject(v: Any): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Deep clone of a document: plain objects/arrays/Dates copied; bson values are immutable, shared. */
export function cloneDeep<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneDeep) as Any;
  if (v instanceof Date) return new Date(v.getTime()) as Any;
  if (!isPlainObject(v)) return v;
  const out: Doc = {};
  for (const k in v) out[k] = cloneDeep((v as Doc)[k]);
  return out as T;
}

/**
 * All values reached by a dotted path with MongoDB array traversal ('a.b' over a:[{b:1},{b:2}]
 * gives 1 and 2). Returns [] if the path does not exist anywhere.
 */
export function pathValues(doc: Any, path: string): Any[] {
  const parts = path.split('.');
  const out: Any[] = [];
  walk(doc, parts, 0, out);
  return out;
}

function walk(v: Any, parts: string[], i: number, out: Any[]): void {
  if (i === parts.length) {
    out.push(v);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const key = parts[i];
  if (Array.isArray(v)) {
    // numeric component indexes the array; otherwise traverse each element
    if (/^\d+$/.test(key) && Number(key) < v.length) walk(v[Number(key)], parts, i + 1, out);
    for (const el of v) if (el !== null && typeof el === 'object' && !Array.isArray(el)) walk(el, parts, i, out);
    return;
  }
  if (!(key in v)) return;
  walk(v[key], parts, i + 1, out);
}

/** Single value at a dotted path without array traversal (for sort keys of plain docs). */
export function getPath(doc: Any, path: string): Any {
  if (!path.includes('.')) return doc?.[path];
  let v = doc;
  for (const p of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[p];
  }
  return v;
}

/** Values that our fast paths (index lookup, equality matcher) handle exactly. */
export function isSimpleScalar(v: Any): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
  }
  return v instanceof Date || bsontype(v) === 'ObjectId';
}

/** Value used when sorting by a field that holds an array: min element asc, max desc (MongoDB). */
export function sortKey(doc: Doc, path: string, dir: number, strCmp?: (x: string, y: string) => number): Any {
  const vals = pathValues(doc, path);
  if (vals.length === 0) return undefined;
  let flat: Any[] = [];
  for (const v of vals)
    if (Array.isArray(v)) flat = flat.concat(v.length ? v : [undefined]);
    else flat.push(v);
  if (flat.length === 1) return flat[0];
  let best = flat[0];
  for (const v of flat) {
    const c = compareValues(v, best, strCmp);
    if ((dir > 0 && c < 0) || (dir < 0 && c > 0)) best = v;
  }
  return best;
}

export function makeComparator(sort: Doc, strCmp?: (x: string, y: string) => number): (a: Doc, b: Doc) => number {
  const keys = Object.keys(sort).map((k) => [k, Number(sort[k]) < 0 ? -1 : 1] as const);
  return (a, b) => {
    for (const [k, d] of keys) {
      const c = compareValues(sortKey(a, k, d, strCmp), sortKey(b, k, d, strCmp), strCmp);
      if (c) return c * d;
    }
    return 0;
  };
}
