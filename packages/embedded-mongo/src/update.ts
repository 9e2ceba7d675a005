// Update application. Documents are copy-on-write: an update produces a new object and the
// stored one is swapped only after unique checks pass, so open cursors, transactions and
// failed updates never see half-applied changes. Simple $set/$unset/$inc/$push on plain paths
// are applied by hand (the hot paths of mongoose saves and change-feed bumps); everything else
// goes to mingo's updater.
import { ObjectId } from 'bson';
import { Aggregator, update as mingoUpdate } from 'mingo';
import { Codes, MongoError, toMongoError } from './errors';
import { Any, bsonTypeName, cloneDeep, compareValues, Doc, isPlainObject, keyString } from './values';

const SUPPORTED = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$currentDate',
  '$bit',
  '$setOnInsert',
]);

export type UpdateSpec = Doc | Doc[];

export function isOperatorUpdate(u: UpdateSpec): boolean {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  return keys.length > 0 && keys[0][0] === '$';
}

export function validateUpdate(u: UpdateSpec): void {
  if (Array.isArray(u)) {
    for (const st of u) {
      const k = Object.keys(st ?? {})[0];
      if (!['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith'].includes(k))
        throw new MongoError(Codes.InvalidOptions, `${k} is not allowed to be used within an update`);
    }
    return;
  }
  if (!isPlainObject(u)) throw new MongoError(Codes.FailedToParse, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k[0] === '$');
  if (ops.length && ops.length !== keys.length)
    throw new MongoError(Codes.FailedToParse, 'Update document cannot mix operators and fields');
  for (const op of ops) {
    if (!SUPPORTED.has(op))
      throw new MongoError(
        Codes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!isPlainObject(u[op]))
      throw new MongoError(Codes.FailedToParse, `Modifiers operate on fields but we found type ${typeof u[op]} instead.`);
  }
  if (!ops.length) for (const k of keys) if (k.includes('$') && k[0] === '$') throw new MongoError(Codes.BadValue, `invalid field ${k}`);
  // As mongod: no two operators (or one twice through a prefix) may update the same path.
  const paths = ops.flatMap((op) => Object.keys(u[op]));
  const seen = new Set<string>();
  for (const path of [...paths].sort()) {
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      if (seen.has(prefix))
        throw new MongoError(Codes.ConflictingUpdateOperators, `Updating the path '${path}' would create a conflict at '${prefix}'`);
    }
    seen.add(path);
  }
}

/**
 * Whether `u` is applied by hand: $set, $unset, $inc and $push (a value, or $each with an
 * optional $slice) on plain paths (anything else is mingo's).
 */
function isFastPath(u: Doc): boolean {
  for (const op in u) {
    if (op !== '$set' && op !== '$unset' && op !== '$inc' && op !== '$push') return false;
    for (const p in u[op]) {
      if (p.includes('$') || /\.\d+(\.|$)/.test(p)) return false;
      if (op === '$push' && !isFastPush(u[op][p])) return false;
    }
  }
  return true;
}

/** A plain value, or `{ $each: [...] }` with an optional whole-number `$slice`. */
function isFastPush(v: Any): boolean {
  if (!isPlainObject(v)) return true;
  const keys = Object.keys(v);
  if (!keys.some((k) => k[0] === '$')) return true;
  return (
    keys.every((k) => k === '$each' || k === '$slice') &&
    Array.isArray(v.$each) &&
    (v.$slice === undefined || (typeof v.$slice === 'number' && Number.isInteger(v.$slice)))
  );
}

/** $push's result: the array with the values appended, then sliced (negative: the last ones). */
function pushed(doc: Doc, path: string, current: Any, v: Any): Any[] {
  if (current !== undefined && !Array.isArray(current))
    throw new MongoError(
      Codes.BadValue,
      `The field '${path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${JSON.stringify(doc._id)}}`,
    );
  const each = isPlainObject(v) && Object.keys(v).some((k) => k[0] === '$') ? (v.$each as Any[]) : [v];
  const out = [...((current as Any[] | undefined) ?? []), ...each.map((x) => cloneDeep(x))];
  const slice = isPlainObject(v) ? (v.$slice as number | undefined) : undefined;
  if (slice === undefined) return out;
  return slice >= 0 ? out.slice(0, slice) : out.slice(Math.max(0, out.length + slice));
}

/** Whether an update names a path through the positional `$` (which needs the query's filter). */
function usesPositional(u: Doc): boolean {
  for (const op in u) if (isPlainObject(u[op])) for (const p in u[op]) if (p.split('.').includes('$')) return true;
  return false;
}

function setPath(doc: Doc, path: string, value: Any): void {
  const parts = path.split('.');
  let o = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = o[parts[i]];
    if (next === undefined || next === null) o = o[parts[i]] = {};
    else if (isPlainObject(next)) o = o[parts[i]] = { ...next };
    else throw new MongoError(28, `Cannot create field '${parts[i + 1]}' in element {${parts[i]}: ${JSON.stringify(next)}}`);
  }
  o[parts[parts.length - 1]] = value;
}

function unsetPath(doc: Doc, path: string): void {
  const parts = path.split('.');
  let o = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = o[parts[i]];
    if (!isPlainObject(next)) return;
    o = o[parts[i]] = { ...next };
  }
  delete o[parts[parts.length - 1]];
}

function getPlain(doc: Doc, path: string): Any {
  let v: Any = doc;
  for (const p of path.split('.')) v = isPlainObject(v) ? v[p] : undefined;
  return v;
}

/** Fast $set/$unset/$inc: shallow copies along the touched paths only. */
function applyFast(old: Doc, u: Doc): Doc {
  const doc: Doc = { ...old };
  if (u.$set) for (const p in u.$set) setPath(doc, p, cloneDeep(u.$set[p]));
  if (u.$unset) for (const p in u.$unset) unsetPath(doc, p);
  if (u.$inc)
    for (const p in u.$inc) {
      const by = u.$inc[p];
      if (typeof by !== 'number') throw new MongoError(Codes.TypeMismatch, 'Cannot increment with non-numeric argument');
      const cur = getPlain(doc, p);
      if (cur !== undefined && cur !== null && typeof cur !== 'number')
        throw new MongoError(
          Codes.TypeMismatch,
          `Cannot apply $inc to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${p}' of non-numeric type ${typeof cur}`,
        );
      setPath(doc, p, (cur ?? 0) + by);
    }
  if (u.$push) for (const p in u.$push) setPath(doc, p, pushed(doc, p, getPlain(doc, p), u.$push[p]));
  return doc;
}

/**
 * Apply an update to a stored document and return the new document (the input is not touched).
 * `filter` serves the positional `$` operator; `inserting` applies $setOnInsert.
 */
export function applyUpdate(old: Doc, u: UpdateSpec, opts: { arrayFilters?: Doc[]; filter?: Doc; inserting?: boolean } = {}): Doc {
  let out: Doc;
  if (Array.isArray(u)) {
    try {
      out = new Aggregator(u, {}).run([cloneDeep(old)])[0] as Doc;
    } catch (e) {
      throw toMongoError(e);
    }
    if (!isPlainObject(out)) throw new MongoError(Codes.BadValue, 'an update pipeline must produce a document');
    // like a replacement (mongod's PipelineExecutor): a result without _id keeps the old one,
    // a different _id is refused
    out = keepId(old, out);
  } else if (!isOperatorUpdate(u)) {
    out = keepId(old, cloneDeep(u));
  } else {
    let mod = u;
    if ('$setOnInsert' in u) {
      const { $setOnInsert, ...rest } = u;
      mod = opts.inserting ? { ...rest, $set: { ...(rest.$set ?? {}), ...$setOnInsert } } : rest;
    }
    if (Object.keys(mod).length === 0) return old;
    if (mod.$rename)
      for (const [from, to] of Object.entries(mod.$rename))
        if (old._id !== undefined && [from, to].some((p) => p === '_id' || (typeof p === 'string' && p.startsWith('_id.'))))
          throw immutableId();
    if (isFastPath(mod)) out = applyFast(old, mod);
    else {
      out = cloneDeep(old);
      try {
        // The filter only serves the positional `$`: compiling it for every other update is wasted.
        mingoUpdate(out, mod as Any, opts.arrayFilters, usesPositional(mod) ? (opts.filter as Any) : undefined, { cloneMode: 'deep' });
      } catch (e) {
        throw toMongoError(e);
      }
    }
    if (old._id !== undefined && (out._id === undefined || keyString(out._id) !== keyString(old._id))) throw immutableId();
  }
  return out;
}

const immutableId = () =>
  new MongoError(Codes.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");

const idAltered = (id: Any) =>
  new MongoError(
    Codes.ImmutableField,
    `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(id)}`,
  );

/**
 * The result of a replacement or pipeline update: without _id it keeps the old one (first, as
 * mongod stores it); with a different one it is refused (ImmutableField, as mongod does).
 */
function keepId(old: Doc, out: Doc): Doc {
  if (out._id === undefined) {
    if (old._id === undefined) return out;
    const { _id: _drop, ...rest } = out;
    return { _id: old._id, ...rest };
  }
  if (old._id !== undefined && keyString(out._id) !== keyString(old._id)) throw idAltered(out._id);
  return out;
}

/**
 * mongod's rules for a stored _id (insert, upsert): no array, regex or undefined, and no
 * '$'-prefixed field name at any depth of a sub-document (DollarPrefixedFieldName, 52).
 */
export function validateId(id: Any): void {
  if (Array.isArray(id)) throw new MongoError(Codes.BadValue, "The '_id' value cannot be of type array");
  if (id instanceof RegExp || id?._bsontype === 'BSONRegExp')
    throw new MongoError(Codes.BadValue, "The '_id' value cannot be of type regex");
  if (isPlainObject(id)) {
    const bad = dollarField(id);
    if (bad)
      throw new MongoError(
        Codes.DollarPrefixedFieldName,
        `_id fields may not contain '$'-prefixed fields: ${bad} is not valid for storage.`,
      );
  }
}

function dollarField(o: Doc): string | null {
  const keys = Object.keys(o);
  // a DBRef ({$ref, $id[, $db], ...}) is the one allowed form
  const dbref = keys[0] === '$ref' && typeof o.$ref === 'string' && keys[1] === '$id';
  for (const [i, [k, v]] of Object.entries(o).entries()) {
    if (k[0] === '$' && !(dbref && (i < 2 || (i === 2 && k === '$db')))) return k;
    if (isPlainObject(v)) {
      const d = dollarField(v);
      if (d) return d;
    } else if (Array.isArray(v))
      for (const e of v)
        if (isPlainObject(e)) {
          const d = dollarField(e);
          if (d) return d;
        }
  }
  return null;
}

export function docsEqual(a: Doc, b: Doc): boolean {
  return a === b || compareValues(a, b) === 0;
}

/** Seed document of an upsert: the equality fields of the filter. */
export function upsertSeed(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  const add = (f: Doc) => {
    for (const [k, v] of Object.entries(f ?? {})) {
      if (k === '$and' && Array.isArray(v)) v.forEach(add);
      if (k[0] === '$') continue;
      if (isPlainObject(v) && Object.keys(v)[0]?.[0] === '$') {
        if ('$eq' in v) setPath(seed, k, cloneDeep(v.$eq));
        continue;
      }
      setPath(seed, k, cloneDeep(v));
    }
  };
  add(filter ?? {});
  return seed;
}

/** Build the document inserted by an upsert, with _id first as MongoDB does. */
export function buildUpsert(filter: Doc | undefined, u: UpdateSpec, arrayFilters?: Doc[]): Doc {
  const seed = upsertSeed(filter);
  let doc: Doc;
  if (!Array.isArray(u) && !isOperatorUpdate(u)) {
    // the _id of the query's equality is immutable for the inserted document too
    if (seed._id !== undefined && u._id !== undefined && keyString(u._id) !== keyString(seed._id)) throw idAltered(u._id);
    doc = { ...(seed._id !== undefined ? { _id: seed._id } : {}), ...cloneDeep(u) };
  } else {
    const idBefore = seed._id;
    doc = applyUpdate(seed, u, { arrayFilters, filter, inserting: true });
    if (idBefore === undefined && doc._id === undefined) doc._id = new ObjectId();
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  validateId(doc._id);
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}
