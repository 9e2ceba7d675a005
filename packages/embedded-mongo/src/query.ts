// Filter compilation and index selection. Plain equality filters on simple scalars are
// matched by a tiny hand-written predicate (building a mingo Query per request costs more
// than the lookup itself); everything else is delegated to mingo's Query. The planner picks an
// index for equality / $in / range predicates on leading index fields and produces both the
// candidate id set and the explain() stage tree.
import { Query } from 'mingo';
import { badValue, Codes, MongoError, toMongoError } from './errors';
import { Index, keyBounds, Range } from './indexes';
import { encodeKey, isUnorderedRank, prefixEnd, skipKey, stringBody, TAG_STRING } from './keys';
import type { SortedStrings } from './sorted';
import { Any, bsontype, compareValues, Doc, isPlainObject, isSimpleScalar, keyString, pathValues, typeRank } from './values';

export type Matcher = (doc: Doc) => boolean;

const QUERY_OPTS = {};

function hasText(f: Doc): boolean {
  if ('$text' in f) return true;
  for (const k of ['$and', '$or', '$nor']) if (Array.isArray(f[k]) && f[k].some((x: Any) => isPlainObject(x) && hasText(x))) return true;
  return false;
}

export function compileFilter(filter: Doc | undefined | null): Matcher {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  const keys = Object.keys(filter);
  if (keys.length === 0) return () => true;
  if (hasText(filter))
    // text indexes cannot be created here (67), so, as on mongod without one:
    throw new MongoError(Codes.IndexNotFound, 'text index required for $text query');
  if (keys.every((k) => k[0] !== '$' && (isSimpleScalar(filter[k]) || isSimpleIn(filter[k]) || isSimpleRange(filter[k])))) {
    let q: Query | undefined;
    const byMingo = (d: Doc) => (q ??= new Query(filter, QUERY_OPTS)).test(d);
    const preds = keys.map((k) => {
      const want = filter[k];
      if (isSimpleRange(want)) return rangePredicate(k, want, byMingo);
      // { field: { $in: [scalars] } }: one set lookup per value instead of mingo's linear scan
      // of the list for every document (quadratic for large $in lists).
      if (!isSimpleScalar(want)) {
        const keys = new Set((want as { $in: Any[] }).$in.map(keyString));
        const hit = (v: Any) => (Array.isArray(v) ? v.some((e) => keys.has(keyString(e))) : keys.has(keyString(v)));
        return k.includes('.') ? (d: Doc) => pathValues(d, k).some(hit) : (d: Doc) => d[k] !== undefined && hit(d[k]);
      }
      if (!k.includes('.')) {
        return (d: Doc) => {
          const v = d[k];
          if (v === want) return true;
          if (Array.isArray(v)) return v.some((e) => compareValues(e, want) === 0);
          return v !== undefined && compareValues(v, want) === 0;
        };
      }
      return (d: Doc) =>
        pathValues(d, k).some((v) => (Array.isArray(v) ? v.some((e) => compareValues(e, want) === 0) : compareValues(v, want) === 0));
    });
    if (preds.length === 1) return preds[0];
    return (d) => preds.every((p) => p(d));
  }
  let q: Query;
  try {
    q = new Query(filter, QUERY_OPTS);
  } catch (e) {
    throw toMongoError(e);
  }
  return (d) => {
    try {
      return q.test(d);
    } catch (e) {
      throw toMongoError(e);
    }
  };
}

/**
 * Top-level fields a filter reads, so documents can be matched on a partial decode; null when it
 * may read anything ($expr, $where, $jsonSchema, $text and other top-level operators).
 */
export function filterFields(filter: Doc | undefined | null): Set<string> | null {
  const out = new Set<string>();
  const walk = (f: Any): boolean => {
    if (!isPlainObject(f)) return false;
    for (const k of Object.keys(f)) {
      if (k === '$and' || k === '$or' || k === '$nor') {
        if (!Array.isArray(f[k]) || !f[k].every(walk)) return false;
      } else if (k === '$comment') continue;
      else if (k[0] === '$') return false;
      else out.add(k.split('.')[0]);
    }
    return true;
  };
  if (!filter) return out;
  return walk(filter) ? out : null;
}

const RANGE_OPS: Record<string, (c: number) => boolean> = {
  $lt: (c) => c < 0,
  $lte: (c) => c <= 0,
  $gt: (c) => c > 0,
  $gte: (c) => c >= 0,
};

/** { $gte: x, $lt: y }: one or two of $lt $lte $gt $gte on scalars of one type (not NaN). */
function isSimpleRange(v: Any): boolean {
  if (!isPlainObject(v)) return false;
  const ops = Object.keys(v);
  if (ops.length === 0 || ops.length > 2 || !ops.every((op) => op in RANGE_OPS && isSimpleScalar(v[op]))) return false;
  return ops.length === 1 || typeRank(v[ops[0]]) === typeRank(v[ops[1]]);
}

/**
 * A range on `field`, as mongod matches it: each bound is met by some value at the path (an
 * array's elements count one by one), of the bound's type (type bracketing). A NaN there is
 * left to mingo (`byMingo`), whose rules for it hold everywhere else.
 */
function rangePredicate(field: string, range: Doc, byMingo: Matcher): Matcher {
  const bounds = Object.keys(range).map((op) => ({ want: range[op], rank: typeRank(range[op]), ok: RANGE_OPS[op] }));
  const dotted = field.includes('.');
  return (d: Doc) => {
    // the values at the path, an array's elements one by one, gathered once
    const elements: Any[] = [];
    const gather = (v: Any) => {
      if (Array.isArray(v)) for (const e of v) elements.push(e);
      else if (v !== undefined) elements.push(v);
    };
    if (dotted) for (const v of pathValues(d, field)) gather(v);
    else gather(d[field]);
    for (const e of elements) if (typeof e === 'number' ? Number.isNaN(e) : bsontype(e) === 'Decimal128') return byMingo(d);
    return bounds.every(({ want, rank, ok }) => elements.some((e) => typeRank(e) === rank && ok(compareValues(e, want))));
  };
}

function isSimpleIn(v: Any): boolean {
  if (!isPlainObject(v)) return false;
  const ops = Object.keys(v);
  return ops.length === 1 && ops[0] === '$in' && Array.isArray(v.$in) && v.$in.every(isSimpleScalar);
}

/** Predicates on one field that an index can serve. */
interface FieldPred {
  eq?: Any;
  in?: Any[];
  range?: Range;
  /** derived from an $or (a superset bound, for seeking only) */
  loose?: boolean;
  /** a $regex that is plain text: matched on the index keys before any document is fetched */
  text?: RegexText;
}

/** A regular expression that only matches a piece of text: anywhere in a string, or at its start (^). */
interface RegexText {
  text: string;
  anchored: boolean;
}

const REGEX_SYNTAX = new Set('.*+?^$()[]{}|'.split(''));

/**
 * The text a regular expression matches when it is plain text (escaped punctuation allowed,
 * optionally anchored by a leading ^), else null: flags that change matching (i, x; m with ^),
 * classes, quantifiers, groups. As mongod, which bounds an index scan by an anchored prefix and
 * tests other regexes on the index keys before it fetches a document.
 */
function regexText(pattern: unknown, options: unknown = ''): RegexText | null {
  if (typeof pattern !== 'string' || typeof options !== 'string' || /[^msu]/.test(options)) return null;
  const anchored = pattern.startsWith('^');
  if (anchored && options.includes('m')) return null;
  let text = '';
  for (let i = anchored ? 1 : 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[++i];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return null;
      text += n;
    } else if (REGEX_SYNTAX.has(c)) return null;
    else text += c;
  }
  return text ? { text, anchored } : null;
}

/** regexText of a filter value: { $regex, $options }, a RegExp or a BSON regular expression. */
function regexTextOf(v: Any): RegexText | null {
  if (v instanceof RegExp) return regexText(v.source, v.flags.replace('g', ''));
  if (v?._bsontype === 'BSONRegExp') return regexText(v.pattern, v.options);
  if (!isPlainObject(v) || !('$regex' in v)) return null;
  const r = v.$regex;
  if (r instanceof RegExp || r?._bsontype === 'BSONRegExp') return v.$options === undefined ? regexTextOf(r) : null;
  return regexText(r, v.$options ?? '');
}

function rangeOf(v: Doc): Range | null {
  const r: Range = {};
  for (const [op, bound] of Object.entries(v)) {
    if (!isSimpleScalar(bound)) continue;
    if (op === '$gt' || op === '$gte') {
      if (r.lo && typeRank(r.lo.value) !== typeRank(bound)) return null;
      const c = r.lo ? compareValues(bound, r.lo.value) : 1;
      if (c > 0 || (c === 0 && op === '$gt')) r.lo = { value: bound, inclusive: op === '$gte' };
    } else if (op === '$lt' || op === '$lte') {
      if (r.hi && typeRank(r.hi.value) !== typeRank(bound)) return null;
      const c = r.hi ? compareValues(bound, r.hi.value) : -1;
      if (c < 0 || (c === 0 && op === '$lt')) r.hi = { value: bound, inclusive: op === '$lte' };
    }
  }
  if (r.lo && r.hi && typeRank(r.lo.value) !== typeRank(r.hi.value)) return null;
  return r.lo || r.hi ? r : null;
}

function fieldPreds(filter: Doc, out = new Map<string, FieldPred>()): Map<string, FieldPred> {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) fieldPreds(sub, out);
      continue;
    }
    if (k === '$or' && Array.isArray(v) && v.length > 0) {
      orBounds(v, out);
      continue;
    }
    if (k[0] === '$') continue;
    // null: the field is null or missing (both index as null; the filter still checks each document)
    if (isSimpleScalar(v) || v === null) {
      out.set(k, { eq: v });
      continue;
    }
    if (!isPlainObject(v)) {
      const text = regexTextOf(v);
      if (text) out.set(k, { ...out.get(k), text });
      continue;
    }
    const ops = Object.keys(v);
    if (ops.length === 0 || ops.some((o) => o[0] !== '$')) continue;
    const p: FieldPred = out.get(k) ?? {};
    if (p.loose) {
      delete p.range;
      delete p.loose;
    }
    if ('$eq' in v && isSimpleScalar(v.$eq)) p.eq = v.$eq;
    if (Array.isArray(v.$in) && v.$in.length > 0 && v.$in.every(isSimpleScalar)) p.in = v.$in;
    const r = rangeOf(v);
    if (r && !p.range) p.range = r;
    const text = regexTextOf(v);
    if (text) p.text = text;
    if (p.eq !== undefined || p.in || p.range || p.text) out.set(k, p);
  }
  return out;
}

/**
 * Bounds implied by an $or whose every branch constrains the same field (the keyset cursors
 * of pagination: { $or: [{ f: { $gt: v } }, { f: v, _id: { $gt: id } }] } implies f >= v).
 */
function orBounds(branches: Any[], out: Map<string, FieldPred>): void {
  const per = branches.map((b) => (isPlainObject(b) ? fieldPreds(b) : new Map<string, FieldPred>()));
  for (const f of per[0].keys()) {
    if (out.has(f)) continue;
    let lo: Range['lo'] | undefined;
    let hi: Range['hi'] | undefined;
    let ok = true;
    let rank = -1;
    let first = true;
    for (const m of per) {
      const p = m.get(f);
      const r: Range | undefined =
        p?.eq !== undefined ? { lo: { value: p.eq, inclusive: true }, hi: { value: p.eq, inclusive: true } } : p?.range;
      if (!p || !r || p.in) {
        ok = false;
        break;
      }
      const rk = typeRank((r.lo ?? r.hi)!.value);
      if (rank >= 0 && rk !== rank) {
        ok = false;
        break;
      }
      rank = rk;
      // union: the lowest lower bound (none if a branch has none), the highest upper bound
      if (first) [lo, hi] = [r.lo, r.hi];
      else {
        if (!r.lo || !lo) lo = undefined;
        else {
          const c = compareValues(r.lo.value, lo.value);
          if (c < 0 || (c === 0 && r.lo.inclusive)) lo = r.lo;
        }
        if (!r.hi || !hi) hi = undefined;
        else {
          const c = compareValues(r.hi.value, hi.value);
          if (c > 0 || (c === 0 && r.hi.inclusive)) hi = r.hi;
        }
      }
      first = false;
    }
    if (ok && (lo || hi)) out.set(f, { range: { lo, hi }, loose: true });
  }
}

/** A sort specification in field order: [[field, 1 | -1], ...]. */
export type SortSpec = Array<[string, 1 | -1]>;

export function sortSpecOf(sort: Doc | undefined | null): SortSpec | null {
  if (!sort || !isPlainObject(sort)) return null;
  const keys = Object.keys(sort).filter((k) => k !== '$natural');
  if (keys.length === 0) return null;
  const out: SortSpec = [];
  for (const k of keys) {
    const d = sort[k];
    if (d !== 1 && d !== -1) return null;
    out.push([k, d]);
  }
  return out;
}

export interface Plan {
  /** null = collection scan or the _id index */
  index: Index | null;
  /** '_id_' equality/$in served by the primary key map */
  idKeys?: string[];
  /**
   * Visits candidate ids (a superset of the matches); in the requested sort order when
   * `ordered`. `out` returning false stops the walk.
   */
  collect?: (out: (id: string) => boolean | void) => void;
  /** collect yields ids in the requested sort order: no blocking sort */
  ordered?: boolean;
  /** the exact number of matching documents (committed data), when the index answers the whole filter */
  count?: () => number;
  /** index entries in the scanned ranges */
  estimate?: number;
  /** explain() winning plan */
  explain: Doc;
}

/** What the planner needs of a collection. */
export interface PlanTarget {
  indexes: Index[];
  /** ids in _id order */
  idTree: SortedStrings;
  /** some _id is a sub-document/array/binary/regex (no _id order) */
  idUnordered: boolean;
}

export const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };

function ixscan(name: string, keyPattern: Doc, bounds: Doc, direction: 1 | -1 = 1, multi = false): Doc {
  return {
    stage: 'FETCH',
    inputStage: {
      stage: 'IXSCAN',
      keyPattern,
      indexName: name,
      isMultiKey: multi,
      direction: direction === 1 ? 'forward' : 'backward',
      indexBounds: bounds,
    },
  };
}

const show = (v: Any) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function rangeText(r?: Range): string {
  if (!r) return '[MinKey, MaxKey]';
  return `${r.lo?.inclusive ? '[' : '('}${r.lo ? show(r.lo.value) : 'MinKey'}, ${r.hi ? show(r.hi.value) : 'MaxKey'}${r.hi?.inclusive ? ']' : ')'}`;
}

/** One index access: equality on the first `p` fields, then an optional $in or range on field p. */
interface Access {
  ix: Index | null; // null: the _id index
  fields: string[];
  p: number;
  ranges: Array<[string, string | null]>;
  nextIn?: Any[];
  nextRange?: Range;
  /** more than one entry per document may fall in the ranges */
  dedupe: boolean;
  bounds: Doc;
  /** false for an entry whose document cannot match (a regex tested on the key): it is not fetched */
  keyTest?: (entry: string) => boolean;
}

function accessFor(
  ix: Index | null,
  fields: string[],
  preds: Map<string, FieldPred>,
  multikeyFields: boolean[],
  forWalk: boolean,
): Access | null {
  const a = boundsFor(ix, fields, preds, multikeyFields, forWalk);
  if (a) a.keyTest = keyTestFor(fields, preds, a.p, a.textBound ? a.p : -1);
  return a;
}

/**
 * Tests, on an index entry, the plain-text regexes on the index's fields from `from` on (the
 * fields before are equal to the filter's values), except on the field `bounded` (its anchored
 * regex bounds the scan already). A key holding a sub-document, array, binary or regular
 * expression is kept: the filter decides on the document.
 */
function keyTestFor(
  fields: string[],
  preds: Map<string, FieldPred>,
  from: number,
  bounded: number,
): ((entry: string) => boolean) | undefined {
  const tests: Array<{ field: number; body: string; anchored: boolean }> = [];
  for (let j = from; j < fields.length; j++) {
    const t = preds.get(fields[j])?.text;
    if (t && j !== bounded) tests.push({ field: j, body: stringBody(t.text), anchored: t.anchored });
  }
  if (!tests.length) return undefined;
  return (entry) => {
    let pos = 0;
    let j = 0;
    for (const { field, body, anchored } of tests) {
      for (; j < field; j++) pos = skipKey(entry, pos);
      const tag = entry.charCodeAt(pos);
      if (tag !== TAG_STRING) {
        // a regex never matches a number, date, ObjectId, boolean, null or a missing field
        if (!isUnorderedRank(tag)) return false;
        continue;
      }
      const at = entry.indexOf(body, pos + 1);
      // the terminator (two NULs) is never inside a key's text: a match ends before it
      if (anchored ? at !== pos + 1 : at < 0 || at + body.length > skipKey(entry, pos) - 2) return false;
    }
    return true;
  };
}

function boundsFor(
  ix: Index | null,
  fields: string[],
  preds: Map<string, FieldPred>,
  multikeyFields: boolean[],
  forWalk: boolean,
): (Access & { textBound?: boolean }) | null {
  let p = 0;
  const eqVals: Any[] = [];
  while (p < fields.length) {
    const pr = preds.get(fields[p]);
    if (!pr || pr.eq === undefined) break;
    // { field: null } on a top-level field only: a sparse index leaves out the documents that
    // lack its fields, and a dotted path through an array indexes no null for an element that
    // lacks the rest of the path
    if (pr.eq === null && (ix?.sparse || fields[p].includes('.'))) break;
    eqVals.push(pr.eq);
    p++;
  }
  const prefix = eqVals.map(encodeKey).join('');
  const next = p < fields.length ? preds.get(fields[p]) : undefined;
  const bounds: Doc = {};
  fields.forEach((f, i) => {
    if (i < p) bounds[f] = [`[${show(eqVals[i])}, ${show(eqVals[i])}]`];
    else bounds[f] = ['[MinKey, MaxKey]'];
  });
  const later = multikeyFields.some((m, j) => m && j >= p);
  if (next?.in && !forWalk) {
    const encs = [...new Set(next.in.map((v) => prefix + encodeKey(v)))].sort();
    bounds[fields[p]] = next.in.map((v) => `[${show(v)}, ${show(v)}]`);
    return { ix, fields, p, ranges: encs.map((e) => [e, prefixEnd(e)]), nextIn: next.in, dedupe: later, bounds };
  }
  if (next?.range) {
    // on a multikey field, $gt and $lt may be satisfied by different elements: one bound only
    const r: Range = multikeyFields[p] && next.range.lo && next.range.hi ? { lo: next.range.lo } : next.range;
    bounds[fields[p]] = [rangeText(r)];
    return { ix, fields, p, ranges: [keyBounds(prefix, r)], nextRange: r, dedupe: later, bounds };
  }
  // An anchored regex on a field that holds no regular expression value: the strings that start with its text.
  if (next?.text?.anchored && ix && !ix.unorderedFields[p]) {
    const start = [prefix, '\x04', stringBody(next.text.text)].join('');
    bounds[fields[p]] = [`[${show(next.text.text)}, ${show(`${next.text.text}\uffff`)})`];
    // No key's text holds the byte 0xFF (UTF-8 never does): every string with the prefix sorts before start + 0xFF.
    return { ix, fields, p, ranges: [[start, `${start}\xff`]], textBound: true, dedupe: later, bounds };
  }
  if (p === 0 && !forWalk) return null;
  return { ix, fields, p, ranges: [keyBounds(prefix)], dedupe: later, bounds };
}

function treeOf(a: Access, target: PlanTarget): SortedStrings {
  return a.ix ? a.ix.tree : target.idTree;
}

function estimate(a: Access, target: PlanTarget): number {
  const t = treeOf(a, target);
  let n = 0;
  for (const [s, e] of a.ranges) n += t.count(t.lowerBound(s), e === null ? t.end : t.lowerBound(e));
  return n;
}

function makeCollect(a: Access, target: PlanTarget, dir: 1 | -1): (out: (id: string) => boolean | void) => void {
  const t = treeOf(a, target);
  const idOf = a.ix ? (e: string) => a.ix!.idOf(e) : (e: string) => e;
  return (out) => {
    const seen = a.dedupe || a.ranges.length > 1 ? new Set<string>() : null;
    const ranges = dir === 1 ? a.ranges : [...a.ranges].reverse();
    let stopped = false;
    for (const [s, e] of ranges) {
      if (stopped) return;
      t.walk(t.lowerBound(s), e === null ? t.end : t.lowerBound(e), dir, (entry) => {
        if (a.keyTest && !a.keyTest(entry)) return;
        const id = idOf(entry);
        if (seen) {
          if (seen.has(id)) return;
          seen.add(id);
        }
        if (out(id) === false) {
          stopped = true;
          return false;
        }
      });
    }
  };
}

/**
 * True when the filter is exactly "equality on the first p fields (and the range on field p)"
 * of an access: then counting the entries in its ranges counts the matching documents.
 */
function answersWholeFilter(filter: Doc, a: Access): boolean {
  if (a.nextIn) return false;
  const used = new Set(a.fields.slice(0, a.p));
  const rangeField = a.nextRange ? a.fields[a.p] : undefined;
  if (rangeField) used.add(rangeField);
  if (a.ix && a.ix.multikeyFields.some((m, j) => m && j >= a.p)) return false;
  const keys = Object.keys(filter);
  if (keys.length !== used.size) return false;
  for (const k of keys) {
    if (!used.has(k) || /\.\d+(\.|$)/.test(k)) return false;
    const v = filter[k];
    if (k === rangeField) {
      if (!isSimpleRange(v)) return false;
      const ops = Object.keys(v);
      const r = rangeOf(v);
      // both bounds must have been used (and be of one type class)
      if (!r || (ops.length === 2 && (!a.nextRange?.lo || !a.nextRange?.hi))) return false;
      continue;
    }
    if (isSimpleScalar(v)) continue;
    // null and missing index alike, and an empty array too (which { field: null } does not match)
    if (v === null && !k.includes('.') && !a.ix?.multikeyFields[a.fields.indexOf(k)]) continue;
    if (isPlainObject(v) && Object.keys(v).length === 1 && '$eq' in v && isSimpleScalar(v.$eq)) continue;
    return false;
  }
  return true;
}

function withCount(plan: Plan, filter: Doc, a: Access, target: PlanTarget): Plan {
  if (answersWholeFilter(filter, a)) plan.count = () => estimate(a, target);
  return plan;
}

/** The access that walks an index in the order of `sort`, with its direction, or null. */
function walkFor(
  ix: Index | null,
  fields: string[],
  idLast: boolean,
  multikeyFields: boolean[],
  unorderedFields: boolean[],
  preds: Map<string, FieldPred>,
  sort: SortSpec,
  target: PlanTarget,
): { access: Access; dir: 1 | -1 } | null {
  const a = accessFor(ix, fields, preds, multikeyFields, true);
  if (!a) return null;
  const bound = new Set(fields.slice(0, a.p));
  const keys = sort.filter(([f]) => !bound.has(f));
  let dir: 1 | -1 = keys.length ? keys[0][1] : 1;
  for (let j = 0; j < keys.length; j++) {
    const [f, d] = keys[j];
    if (d !== dir) return null;
    const i = a.p + j;
    if (i < fields.length) {
      if (fields[i] !== f || multikeyFields[i] || unorderedFields[i]) return null;
    } else if (!(i === fields.length && !idLast && f === '_id' && j === keys.length - 1 && !target.idUnordered)) return null;
  }
  if (keys.length === 0) dir = 1;
  return { access: a, dir };
}

export function planQuery(filter: Doc | undefined | null, target: PlanTarget, sort?: SortSpec | null, limit?: number): Plan {
  const collscan: Plan = { index: null, explain: { stage: 'COLLSCAN', filter: filter ?? {}, direction: 'forward' } };
  const f: Doc = filter && isPlainObject(filter) ? filter : {};
  const preds = fieldPreds(f);
  const idp = preds.get('_id');
  if (idp && (idp.eq !== undefined || idp.in) && !idp.loose) {
    const vals = idp.eq !== undefined ? [idp.eq] : idp.in!;
    return {
      index: null,
      idKeys: vals.map(encodeKey),
      explain: ixscan('_id_', { _id: 1 }, { _id: vals.map((v) => `[${show(v)}, ${show(v)}]`) }),
    };
  }
  // the cheapest index access by entries scanned
  let best: { a: Access; n: number } | null = null;
  const consider = (a: Access | null) => {
    if (!a) return;
    const n = estimate(a, target);
    if (!best || n < best.n || (n === best.n && (a.p > best.a.p || (a.p === best.a.p && !!a.ix?.unique && !best.a.ix?.unique))))
      best = { a, n };
  };
  for (const ix of target.indexes) if (ix.usableFor(f)) consider(accessFor(ix, ix.fields, preds, ix.multikeyFields, false));
  if (idp?.range) consider(accessFor(null, ['_id'], preds, [false], false));
  const chosen = best as { a: Access; n: number } | null;
  // an index walk in sort order, stopping at the limit, against collecting and sorting
  if (sort) {
    let walk: { access: Access; dir: 1 | -1; n: number } | null = null;
    const tryWalk = (w: { access: Access; dir: 1 | -1 } | null) => {
      if (!w) return;
      const n = estimate(w.access, target);
      if (!walk || w.access.p > walk.access.p || (w.access.p === walk.access.p && n < walk.n)) walk = { ...w, n };
    };
    for (const ix of target.indexes)
      if (ix.usableFor(f))
        tryWalk(
          walkFor(ix, ix.fields, ix.fields[ix.fields.length - 1] === '_id', ix.multikeyFields, ix.unorderedFields, preds, sort, target),
        );
    tryWalk(walkFor(null, ['_id'], true, [false], [target.idUnordered], preds, sort, target));
    const w = walk as { access: Access; dir: 1 | -1; n: number } | null;
    if (w) {
      const nB = chosen ? chosen.n : target.idTree.size;
      const costW = limit ? Math.min(w.n, (limit * w.n) / Math.max(nB, 1)) : w.n;
      const costB = nB * 1.5;
      if (costW <= costB || (chosen && chosen.a.ix === w.access.ix && chosen.a.p <= w.access.p)) {
        const a = w.access;
        const name = a.ix ? a.ix.spec.name : '_id_';
        const key = a.ix ? a.ix.spec.key : { _id: 1 };
        return withCount(
          {
            index: a.ix,
            collect: makeCollect(a, target, w.dir),
            ordered: true,
            estimate: w.n,
            explain: ixscan(name, key, a.bounds, w.dir, !!a.ix?.multikey),
          },
          f,
          a,
          target,
        );
      }
    }
  }
  if (!chosen) return collscan;
  const a = chosen.a;
  return withCount(
    {
      index: a.ix,
      collect: makeCollect(a, target, 1),
      estimate: chosen.n,
      explain: ixscan(a.ix ? a.ix.spec.name : '_id_', a.ix ? a.ix.spec.key : { _id: 1 }, a.bounds, 1, !!a.ix?.multikey),
    },
    f,
    a,
    target,
  );
}
