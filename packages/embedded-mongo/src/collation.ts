// Collation (ICU, through Intl.Collator) for find, count, distinct, update, delete,
// findAndModify and aggregate: strings compare by the locale's rules at the given strength
// (1 base letters, 2 + accents, 3 + case, the default), caseFirst, numericOrdering and alternate
// 'shifted'. Filters under a collation are matched here (string equality, ranges, $in/$nin, $ne,
// inside arrays and sub-documents; other operators are not affected by collation on MongoDB and
// go to mingo) over a collection scan: indexes hold simple-collation keys. Collation on indexes
// and as a collection default is refused (NotImplemented), as is an aggregation stage whose
// string comparisons would ignore it.
import { Query } from 'mingo';
import { Codes, MongoError, toMongoError } from './errors';
import { Any, compareValues, Doc, isPlainObject, pathValues, typeRank } from './values';

export type StrCmp = (x: string, y: string) => number;

const FIELDS = new Set([
  'locale',
  'caseLevel',
  'caseFirst',
  'strength',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
]);

/** The comparator of a command's collation; null for none or 'simple'. */
export function collatorOf(spec: Any): StrCmp | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw new MongoError(Codes.TypeMismatch, "BSON field 'collation' is the wrong type, expected type 'object'");
  for (const k of Object.keys(spec)) if (!FIELDS.has(k)) throw new MongoError(40415, `BSON field 'collation.${k}' is an unknown field.`);
  const locale = spec.locale;
  if (typeof locale !== 'string')
    throw new MongoError(Codes.FailedToParse, "BSON field 'collation.locale' is missing but a required field");
  if (locale === 'simple') {
    if (Object.keys(spec).length > 1)
      throw new MongoError(Codes.BadValue, 'If "locale" is set to "simple", then all other collation fields must be omitted');
    return null;
  }
  let supported: string[] = [];
  try {
    supported = Intl.Collator.supportedLocalesOf(locale.replace(/@.*/, '').replace(/_/g, '-'));
  } catch {
    supported = [];
  }
  if (supported.length === 0) throw new MongoError(Codes.BadValue, `Field 'locale' is invalid in: { locale: "${locale}" }`);
  const strength = spec.strength ?? 3;
  if (![1, 2, 3, 4, 5].includes(strength))
    throw new MongoError(Codes.BadValue, `Field 'strength' must be an integer 1 through 5. Got: ${String(strength)}`);
  if (spec.backwards === true || spec.maxVariable !== undefined || spec.normalization === true)
    throw new MongoError(Codes.NotImplemented, 'collation backwards, maxVariable and normalization are not supported by embedded-mongo');
  const sensitivity =
    strength === 1 ? (spec.caseLevel ? 'case' : 'base') : strength === 2 ? (spec.caseLevel ? 'variant' : 'accent') : 'variant';
  const c = new Intl.Collator(supported[0], {
    usage: 'sort',
    sensitivity,
    caseFirst: spec.caseFirst === 'upper' || spec.caseFirst === 'lower' ? spec.caseFirst : 'false',
    numeric: spec.numericOrdering === true,
    ignorePunctuation: spec.alternate === 'shifted',
  });
  return c.compare;
}

const COLLATED_OPS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);

/** A matcher of `filter` under the collation. */
export function collatedMatcher(filter: Doc | undefined, cmp: StrCmp): (d: Doc) => boolean {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  if (!isPlainObject(filter)) throw new MongoError(Codes.BadValue, 'filter must be an object');
  const preds: Array<(d: Doc) => boolean> = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v)) throw new MongoError(Codes.BadValue, `${k} must be an array`);
      const subs = v.map((x: Doc) => collatedMatcher(x, cmp));
      preds.push(
        k === '$and' ? (d) => subs.every((m) => m(d)) : k === '$or' ? (d) => subs.some((m) => m(d)) : (d) => !subs.some((m) => m(d)),
      );
    } else if (k[0] === '$') preds.push(mingoPred({ [k]: v }));
    else if (isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v)[0][0] === '$') {
      for (const [op, arg] of Object.entries(v)) {
        if (COLLATED_OPS.has(op)) preds.push(fieldPred(k, op, arg, cmp));
        else if (op === '$options') continue;
        else preds.push(mingoPred({ [k]: op === '$regex' && v.$options ? { $regex: arg, $options: v.$options } : { [op]: arg } }));
      }
    } else preds.push(fieldPred(k, '$eq', v, cmp));
  }
  return (d) => preds.every((p) => p(d));
}

function mingoPred(f: Doc): (d: Doc) => boolean {
  let q: Query;
  try {
    q = new Query(f, {});
  } catch (e) {
    throw toMongoError(e);
  }
  return (d) => q.test(d);
}

/** Candidates of a field: each value at the path, and the elements of array values. */
function candidates(d: Doc, path: string): Any[] {
  const vals = pathValues(d, path);
  const out: Any[] = [];
  for (const v of vals) {
    out.push(v);
    if (Array.isArray(v)) out.push(...v);
  }
  return out;
}

function fieldPred(path: string, op: string, arg: Any, cmp: StrCmp): (d: Doc) => boolean {
  const eq = (v: Any, w: Any) =>
    w === null ? v === null || v === undefined : v !== undefined && typeRank(v) === typeRank(w) && compareValues(v, w, cmp) === 0;
  const any = (d: Doc, test: (v: Any) => boolean) => {
    const c = candidates(d, path);
    return c.length === 0 ? test(undefined) : c.some(test);
  };
  const range = (accept: (c: number) => boolean) => (d: Doc) =>
    candidates(d, path).some((v) => v !== undefined && v !== null && typeRank(v) === typeRank(arg) && accept(compareValues(v, arg, cmp)));
  switch (op) {
    case '$eq':
      return (d) => any(d, (v) => eq(v, arg));
    case '$ne':
      return (d) => !any(d, (v) => eq(v, arg));
    case '$in':
    case '$nin': {
      if (!Array.isArray(arg)) throw new MongoError(Codes.BadValue, `${op} needs an array`);
      const hit = (d: Doc) => any(d, (v) => arg.some((w: Any) => (w instanceof RegExp ? typeof v === 'string' && w.test(v) : eq(v, w))));
      return op === '$in' ? hit : (d) => !hit(d);
    }
    case '$gt':
      return range((c) => c > 0);
    case '$gte':
      return range((c) => c >= 0);
    case '$lt':
      return range((c) => c < 0);
    default:
      return range((c) => c <= 0);
  }
}

/** Aggregation stages whose behaviour does not involve comparing strings (beyond $match/$sort, handled). */
const COLLATION_SAFE_STAGES = new Set([
  '$match',
  '$sort',
  '$skip',
  '$limit',
  '$project',
  '$addFields',
  '$set',
  '$unset',
  '$count',
  '$replaceRoot',
  '$replaceWith',
  '$unwind',
  '$documents',
  '$out',
  '$merge',
]);

/** An aggregation under a collation: only a leading $match and stages that compare no strings. */
export function checkCollatedPipeline(stages: Doc[]): void {
  stages.forEach((st, i) => {
    const op = Object.keys(st)[0];
    if (op === '$group' && isConstantGroup(st.$group)) return;
    if (!COLLATION_SAFE_STAGES.has(op) || (op === '$match' && i > 0))
      throw new MongoError(
        Codes.NotImplemented,
        `embedded-mongo does not support collation with ${op}${op === '$match' ? ' after the first stage' : ''}`,
      );
  });
}

const ORDER_FREE_ACCUMULATORS = new Set(['$sum', '$avg', '$count', '$first', '$last', '$push']);

/** A $group with a constant key and accumulators that compare nothing (countDocuments' shape). */
function isConstantGroup(g: Any): boolean {
  if (!isPlainObject(g)) return false;
  const id = g._id;
  if (!(id === null || typeof id === 'number' || typeof id === 'boolean' || (typeof id === 'string' && id[0] !== '$'))) return false;
  return Object.entries(g).every(
    ([k, v]) => k === '_id' || (isPlainObject(v) && Object.keys(v).length === 1 && ORDER_FREE_ACCUMULATORS.has(Object.keys(v)[0])),
  );
}
