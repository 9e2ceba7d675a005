// Filter compilation and index selection. Plain equality filters on simple scalars are
// matched by a tiny hand-written predicate (building a mingo Query per request costs more
// than the lookup itself); everything else is delegated to mingo's Query. The planner picks an
// index for equality / $in / range predicates on leading index fields and produces both the
// candidate id set and the explain() stage tree.
import { Query } from 'mingo';
import { badValue, toMongoError } from './errors';
import { Index, Range } from './indexes';
import { Any, compareValues, Doc, isPlainObject, isSimpleScalar, keyString, pathValues } from './values';

export type Matcher = (doc: Doc) => boolean;

const QUERY_OPTS = {};

export function compileFilter(filter: Doc | undefined | null): Matcher {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  const keys = Object.keys(filter);
  if (keys.length === 0) return () => true;
  if (keys.every((k) => k[0] !== '$' && (isSimpleScalar(filter[k]) || isSimpleIn(filter[k])))) {
    const preds = keys.map((k) => {
      const want = filter[k];
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
}

function fieldPreds(filter: Doc, out = new Map<string, FieldPred>()): Map<string, FieldPred> {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) fieldPreds(sub, out);
      continue;
    }
    if (k[0] === '$') continue;
    if (isSimpleScalar(v)) {
      out.set(k, { eq: v });
      continue;
    }
    if (!isPlainObject(v)) continue;
    const ops = Object.keys(v);
    if (ops.length === 0 || ops.some((o) => o[0] !== '$')) continue;
    const p: FieldPred = out.get(k) ?? {};
    if ('$eq' in v && isSimpleScalar(v.$eq)) p.eq = v.$eq;
    if (Array.isArray(v.$in) && v.$in.every(isSimpleScalar)) p.in = v.$in;
    const r: Range = {};
    for (const [op, bound] of Object.entries(v)) {
      if (!isSimpleScalar(bound)) continue;
      if (op === '$gt' || op === '$gte') {
        if (!r.lo || compareValues(bound, r.lo.value) > 0) r.lo = { value: bound, inclusive: op === '$gte' };
      } else if (op === '$lt' || op === '$lte') {
        if (!r.hi || compareValues(bound, r.hi.value) < 0) r.hi = { value: bound, inclusive: op === '$lte' };
      }
    }
    if (r.lo || r.hi) p.range = r;
    if (p.eq !== undefined || p.in || p.range) out.set(k, p);
  }
  return out;
}

export interface Plan {
  /** null = collection scan */
  index: Index | null;
  /** '_id_' equality/$in served by the primary key map */
  idKeys?: string[];
  /** collects candidate ids */
  collect?: (out: (id: string) => void) => void;
  /** explain() winning plan */
  explain: Doc;
}

export const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };

function ixscan(name: string, keyPattern: Doc, bounds: Doc): Doc {
  return {
    stage: 'FETCH',
    inputStage: { stage: 'IXSCAN', keyPattern, indexName: name, isMultiKey: false, direction: 'forward', indexBounds: bounds },
  };
}

export function planQuery(filter: Doc | undefined | null, indexes: Index[]): Plan {
  const collscan: Plan = { index: null, explain: { stage: 'COLLSCAN', filter: filter ?? {}, direction: 'forward' } };
  if (!filter || !isPlainObject(filter)) return collscan;
  const preds = fieldPreds(filter);
  if (preds.size === 0) return collscan;
  const idp = preds.get('_id');
  if (idp && (idp.eq !== undefined || idp.in)) {
    const vals = idp.eq !== undefined ? [idp.eq] : idp.in!;
    return { index: null, idKeys: vals.map(keyString), explain: ixscan('_id_', { _id: 1 }, { _id: vals.map(String) }) };
  }
  let best: Plan | null = null;
  let bestScore = 0;
  for (const ix of indexes) {
    if (!ix.usableForQueries) continue;
    const lead = preds.get(ix.fields[0]);
    if (!lead) continue;
    let eqCount = 0;
    for (const f of ix.fields) {
      const p = preds.get(f);
      if (p && p.eq !== undefined) eqCount++;
      else break;
    }
    let score = 0;
    let plan: Plan;
    if (eqCount === ix.fields.length) {
      score = 100 + eqCount + (ix.unique ? 50 : 0);
      const values = ix.fields.map((f) => preds.get(f)!.eq);
      plan = {
        index: ix,
        collect: (out) => {
          const ids = ix.lookupFull(values);
          if (ids) forEach(ids, out);
        },
        explain: ixscan(
          ix.spec.name,
          ix.spec.key,
          Object.fromEntries(ix.fields.map((f, i) => [f, [`[${String(values[i])}, ${String(values[i])}]`]])),
        ),
      };
    } else if (eqCount >= 1) {
      score = 50 + eqCount;
      const v = lead.eq;
      plan = {
        index: ix,
        collect: (out) => {
          const ids = ix.lookupLead(v);
          if (ids) forEach(ids, out);
        },
        explain: ixscan(ix.spec.name, ix.spec.key, { [ix.fields[0]]: [`[${String(v)}, ${String(v)}]`] }),
      };
    } else if (lead.in) {
      score = 30;
      const vals = lead.in;
      plan = {
        index: ix,
        collect: (out) => {
          for (const v of vals) {
            const ids = ix.lookupLead(v);
            if (ids) forEach(ids, out);
          }
        },
        explain: ixscan(ix.spec.name, ix.spec.key, { [ix.fields[0]]: vals.map((v) => `[${String(v)}, ${String(v)}]`) }),
      };
    } else if (lead.range) {
      score = 10;
      // on a multikey index, $gt and $lt may be satisfied by different array elements: scan one bound only
      const r: Range = ix.multikey && lead.range.lo && lead.range.hi ? { lo: lead.range.lo } : lead.range;
      plan = {
        index: ix,
        collect: (out) => ix.lookupRange(r, out),
        explain: ixscan(ix.spec.name, ix.spec.key, {
          [ix.fields[0]]: [
            `${r.lo?.inclusive ? '[' : '('}${r.lo ? String(r.lo.value) : 'MinKey'}, ${r.hi ? String(r.hi.value) : 'MaxKey'}${r.hi?.inclusive ? ']' : ')'}`,
          ],
        }),
      };
    } else continue;
    if (score > bestScore) {
      bestScore = score;
      best = plan;
    }
  }
  return best ?? collscan;
}

function forEach(ids: string | Set<string>, out: (id: string) => void): void {
  if (typeof ids === 'string') out(ids);
  else ids.forEach(out);
}
