// CRUD commands: find/getMore/killCursors, insert, update, delete, findAndModify, count,
// distinct. Writes go through Engine (unique checks, transactions, journal).
import { BSON, ObjectId, Long } from 'bson';
import { ProcessingMode, Query } from 'mingo';
import type { Collection } from '../collection';
import { type Resolve, toCursorId } from '../cursors';
import { badValue, Codes, MongoError, toMongoError } from '../errors';
import { compileFilter } from '../query';
import { DESER, leadsWithId } from '../store';
import { applyUpdate, buildUpsert, docsEqual, validateId, validateUpdate } from '../update';
import { idKey } from '../keys';
import { Any, compareValues, Doc, isPlainObject, keyString, makeComparator, pathValues, typeRank } from '../values';
import { collatorOf, type StrCmp } from '../collation';
import { asInt, collatedFind, collName, collOf, Ctx, ensureColl, Handler, overlayOf } from './context';

export function project(docs: Doc[], projection: Doc | undefined | null): Doc[] {
  if (!projection || !isPlainObject(projection) || Object.keys(projection).length === 0) return docs;
  const fields = inclusionOf(projection);
  if (fields) return docs.map((d) => included(d, fields));
  const dropped = topLevelExclusion(projection);
  if (dropped) return docs.map((d) => without(d, dropped));
  // A `$slice` by itself is an exclusion, as on mongod 4.4+: every other field comes back (mingo
  // took it as an inclusion and returned the array and _id alone).
  const slices = Object.entries(projection).filter(([, v]) => isPlainObject(v) && Object.keys(v).length === 1 && '$slice' in v);
  const others = Object.entries(projection).filter(([k]) => !slices.some(([s]) => s === k));
  const exclusion = slices.length > 0 && others.every(([, v]) => v === 0 || v === false);
  try {
    if (!exclusion) return mingoProject(docs, projection);
    const rest = others.length ? project(docs, Object.fromEntries(others)) : docs.map((d) => ({ ...d }));
    for (const doc of rest) for (const [path, spec] of slices) slicePath(doc, path.split('.'), (spec as Doc).$slice);
    return rest;
  } catch (e) {
    throw toMongoError(e);
  }
}

/** Whether a projection only includes fields, so `project` needs no mingo (an aggregate's $project can use it too). */
export const isInclusion = (projection: unknown): boolean =>
  isPlainObject(projection) && Object.keys(projection).length > 0 && inclusionOf(projection) !== null;

/**
 * mingo's projection. Not through its `find`, which copies every operator table for each call
 * (its options are wrapped twice). On copies: mingo removes an excluded dotted path ('a.b': 0)
 * from the document it is given, and that is the stored document's decoded form, which later
 * reads and updates start from (a read lost the field for good).
 */
const mingoProject = (docs: Doc[], projection: Doc): Doc[] =>
  new Query({}, { processingMode: ProcessingMode.CLONE_INPUT }).find(docs, projection).all() as Doc[];

/** The fields an inclusion projection keeps, as a tree of path parts (true: the whole value). */
type Inclusion = Map<string, Inclusion | true>;

/**
 * A projection that only includes fields ({ a: 1, 'b.c': 1 }, _id excluded or not), as a tree;
 * null for anything else (exclusions, operators, positional paths, path collisions), which mingo
 * projects. Counter reads and id lookups project so on every request: building mingo's query
 * context per projection cost the database more than the reads.
 */
function inclusionOf(projection: Doc): Inclusion | null {
  const tree: Inclusion = new Map();
  let withId = true;
  for (const [path, v] of Object.entries(projection)) {
    if (path === '_id' && (v === 0 || v === false)) {
      withId = false;
      continue;
    }
    if (!(v === true || (typeof v === 'number' && v !== 0)) || path.includes('$')) return null;
    const parts = path.split('.');
    if (parts.includes('')) return null;
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const next = node.get(part);
      if (next === true) return null; // 'a' and 'a.b': a path collision
      node = next ?? (node.set(part, new Map()).get(part) as Inclusion);
    }
    const leaf = parts[parts.length - 1];
    if (node.has(leaf)) return null; // 'a.b' and 'a'
    node.set(leaf, true);
  }
  // { _id: 0 } alone includes nothing: it is an exclusion (every other field).
  if (tree.size === 0) return null;
  if (withId && !tree.has('_id')) tree.set('_id', true);
  return tree;
}

/** The top-level fields an inclusion projection and a sort read (with _id); undefined: the whole documents. */
function neededFields(projection: unknown, sort: unknown): Set<string> | undefined {
  const tree = isPlainObject(projection) && Object.keys(projection).length > 0 ? inclusionOf(projection) : null;
  if (!tree) return undefined;
  const top = (path: string) => path.split('.')[0];
  return new Set(['_id', ...tree.keys(), ...(isPlainObject(sort) ? Object.keys(sort).map(top) : [])]);
}

/**
 * The names a projection that only leaves out top-level fields drops ({ recent: 0, _id: 0 });
 * null for anything else (dotted paths, operators), which mingo projects. Each change feed reads
 * its version document so ten times a second: mingo's setup was most of that read.
 */
function topLevelExclusion(projection: Doc): Set<string> | null {
  const names = Object.keys(projection);
  for (const name of names) {
    const v = projection[name];
    if (!(v === 0 || v === false) || name === '' || name.includes('.') || name.includes('$')) return null;
  }
  return new Set(names);
}

/** `doc` without the top-level fields `dropped`, in the document's order. */
function without(doc: Doc, dropped: Set<string>): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) if (!dropped.has(key)) out[key] = doc[key];
  return out;
}

/** `doc` with only the fields of `fields`, in the document's order; arrays' sub-documents projected, their scalars dropped. */
function included(doc: Doc, fields: Inclusion): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const want = fields.get(key);
    if (want === undefined) continue;
    const v = doc[key];
    if (want === true) out[key] = v;
    else if (isPlainObject(v)) out[key] = included(v, want);
    else if (Array.isArray(v)) out[key] = inArray(v, want);
  }
  return out;
}

function inArray(values: Any[], fields: Inclusion): Any[] {
  const out: Any[] = [];
  for (const e of values)
    if (isPlainObject(e)) out.push(included(e, fields));
    else if (Array.isArray(e)) out.push(inArray(e, fields));
  return out;
}

/** The `$slice` projection of the array at `path` (through embedded documents) of a copy of `doc`, copying what it changes. */
function slicePath(doc: Doc, path: string[], spec: Any): void {
  const [head, ...tail] = path;
  const value = doc[head];
  if (tail.length) {
    if (isPlainObject(value)) slicePath((doc[head] = { ...(value as Doc) }), tail, spec);
    return;
  }
  if (!Array.isArray(value)) return;
  const valid = (n: Any) => typeof n === 'number' && Number.isInteger(n);
  if (valid(spec)) {
    doc[head] = spec >= 0 ? value.slice(0, spec) : value.slice(Math.max(0, value.length + spec));
    return;
  }
  if (Array.isArray(spec) && spec.length === 2 && valid(spec[0]) && valid(spec[1])) {
    if (spec[1] <= 0) throw badValue('$slice limit must be positive');
    const from = spec[0] >= 0 ? spec[0] : Math.max(0, value.length + spec[0]);
    doc[head] = value.slice(from, from + spec[1]);
    return;
  }
  throw badValue('$slice only supports numbers and [skip, limit] arrays');
}

export function sortDocs(docs: Doc[], sort: Doc | undefined | null, cmp?: StrCmp | null): Doc[] {
  if (!sort || !isPlainObject(sort)) return docs;
  const keys = Object.keys(sort).filter((k) => k !== '$natural');
  if (keys.length === 0) return docs;
  for (const k of keys) {
    const d = sort[k];
    if (isPlainObject(d)) throw badValue('$meta sort is not supported by embedded-mongo');
    if (d !== 1 && d !== -1) throw new MongoError(Codes.BadValue, `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
  }
  return docs.slice().sort(makeComparator(Object.fromEntries(keys.map((k) => [k, sort[k]])), cmp ?? undefined));
}

/**
 * Shared by find and explain: the matching documents after sort/skip/limit. `docs` may hold ids
 * of stored documents (a lazy result, in its final order): `resolve` turns an item into the
 * document to send (decoded and projected when it is sent; undefined if deleted since).
 */
export function runFind(ctx: Ctx, cmd: Doc, coll: Collection | undefined) {
  const cmp = collatorOf(cmd.collation);
  if (cmd.tailable) throw badValue('tailable cursors are not supported by embedded-mongo');
  const skip = asInt(cmd.skip, 0);
  const limit = Math.abs(asInt(cmd.limit, 0));
  if (skip < 0) throw badValue('skip value must be non-negative');
  if (!coll) {
    compileFilter(cmd.filter); // invalid filters are errors even on a missing collection
    return { docs: [] as unknown[], plan: null, examined: 0, sorted: false, resolve: undefined as Resolve | undefined };
  }
  if (cmp) {
    let docs = sortDocs(collatedFind(coll, cmd.filter, overlayOf(ctx, coll), cmp), cmd.sort, cmp);
    const examined = coll.size;
    if (skip || limit) docs = docs.slice(skip, limit ? skip + limit : undefined);
    return { docs: project(docs, cmd.projection), plan: null, examined, sorted: true, resolve: undefined as Resolve | undefined };
  }
  const inSnapshot = !!ctx.txn || !!ctx.snapshotRead;
  const r = coll.find(cmd.filter, overlayOf(ctx, coll), {
    sort: cmd.sort,
    limit: limit ? skip + limit : 0,
    lazy: !inSnapshot,
    // Read at once in a snapshot: only what the projection and the sort need is decoded (a
    // counter read wants the totals, or the days, of documents that hold both).
    fields: inSnapshot ? neededFields(cmd.projection, cmd.sort) : undefined,
  });
  let docs: unknown[] = r.sorted ? r.docs : sortDocs(r.docs, cmd.sort);
  if (skip || limit) docs = docs.slice(skip, limit ? skip + limit : undefined);
  const projection = cmd.projection;
  const projects = isPlainObject(projection) && Object.keys(projection).length > 0;
  if (!docs.some((d) => typeof d === 'string'))
    return { docs: project(docs as Doc[], projection), plan: r.plan, examined: r.examined, sorted: r.sorted, resolve: undefined };
  const resolve: Resolve = (item) => {
    const d = typeof item === 'string' ? coll.docs.get(item) : (item as Doc);
    return d && projects ? project([d], projection)[0] : d;
  };
  return { docs, plan: r.plan, examined: r.examined, sorted: r.sorted, resolve };
}

const find: Handler = (ctx) => {
  const name = collName(ctx, 'find');
  ctx.server.opcounters.query++;
  const coll = collOf(ctx, name);
  const { docs, resolve } = runFind(ctx, ctx.cmd, coll);
  const limit = asInt(ctx.cmd.limit, 0);
  const single = ctx.cmd.singleBatch === true || limit < 0;
  let batchSize = ctx.cmd.batchSize === undefined ? undefined : asInt(ctx.cmd.batchSize, 101);
  if (batchSize !== undefined && batchSize < 0) throw badValue('batchSize value must be non-negative');
  if (single) batchSize = docs.length;
  return ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSize, single, resolve);
};

const getMore: Handler = (ctx) => {
  ctx.server.opcounters.getmore++;
  const id = toCursorId(ctx.cmd.getMore);
  return ctx.cursors.getMore(
    id,
    String(ctx.cmd.collection),
    ctx.db,
    ctx.cmd.batchSize === undefined ? undefined : asInt(ctx.cmd.batchSize, 0),
  );
};

const killCursors: Handler = (ctx) => {
  const ids = (Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors : []).map(toCursorId);
  const r = ctx.cursors.kill(ids);
  return {
    cursorsKilled: r.killed.map((n) => Long.fromNumber(n)),
    cursorsNotFound: r.notFound.map((n) => Long.fromNumber(n)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

/** Errors that must abort the whole command (not become a writeError), e.g. WriteConflict in a transaction. */
function isFatalForBatch(e: unknown): boolean {
  return !(e instanceof MongoError) || 'errorLabels' in e.extra;
}

const insert: Handler = (ctx) => {
  const name = collName(ctx, 'insert');
  const docs = ctx.cmd.documents;
  if (!Array.isArray(docs)) throw new MongoError(Codes.FailedToParse, "BSON field 'insert.documents' is missing but a required field");
  const ordered = ctx.cmd.ordered !== false;
  const coll = ensureColl(ctx, name);
  const writeErrors: Doc[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    ctx.server.opcounters.insert++;
    let doc = docs[i];
    try {
      if (Buffer.isBuffer(doc)) {
        // a plain document as the client sent it (wire.ts): stored as those bytes when its _id leads
        if (!ctx.txn && storableId(doc)) {
          ctx.engine.insertBytes(coll, doc);
          n++;
          continue;
        }
        doc = BSON.deserialize(doc, DESER);
      }
      if (!isPlainObject(doc)) throw badValue('document must be an object');
      if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
      else validateId(doc._id);
      if (Object.keys(doc)[0] !== '_id') doc = { _id: doc._id, ...doc }; // mongod stores _id first
      ctx.engine.insert(coll, doc, ctx.txn);
      n++;
    } catch (e) {
      if (isFatalForBatch(e)) throw e;
      writeErrors.push((e as MongoError).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

/**
 * Whether the document's first field is an `_id` that is valid to store as it is and read in
 * place (an ObjectId, a string, an int32, a double or a date: what validateId could never
 * refuse); others go the general way.
 */
function storableId(b: Buffer): boolean {
  const t = b[4];
  return leadsWithId(b) && (t === 0x07 || t === 0x02 || t === 0x10 || t === 0x01 || t === 0x09);
}

const UPDATE_FIELDS = new Set(['q', 'u', 'c', 'upsert', 'multi', 'arrayFilters', 'hint', 'collation', 'upsertSupplied', 'sampleId']);
const DELETE_FIELDS = new Set(['q', 'limit', 'hint', 'collation', 'sampleId']);

/**
 * Statements are parsed strictly, as by mongod 7.0's IDL: an unknown field (e.g. the `sort` of
 * updateOne/replaceOne, which only 8.0 accepts) is refused with 40415 rather than ignored.
 */
function strictFields(st: Doc, allowed: Set<string>, where: string): void {
  for (const k of Object.keys(st)) if (!allowed.has(k)) throw new MongoError(40415, `BSON field '${where}.${k}' is an unknown field.`);
}

/** Apply one update statement; returns counts and the upserted _id if any. */
export function updateOne(ctx: Ctx, coll: Collection, st: Doc): { n: number; nModified: number; upserted?: Any } {
  const q = st.q ?? {};
  const u = st.u;
  if (u === undefined || u === null)
    throw new MongoError(Codes.FailedToParse, "BSON field 'update.updates.u' is missing but a required field");
  validateUpdate(u);
  const cmp = collatorOf(st.collation);
  const multi = st.multi === true;
  if (multi && !Array.isArray(u) && Object.keys(u).length && Object.keys(u)[0][0] !== '$')
    throw new MongoError(Codes.FailedToParse, 'multi update is not supported for replacement-style update');
  const ov = overlayOf(ctx, coll);
  const targets = cmp ? collatedFind(coll, q, ov, cmp, multi ? 0 : 1) : coll.find(q, ov, { limit: multi ? 0 : 1 }).docs;
  let nModified = 0;
  for (const old of targets) {
    const next = applyUpdate(old, u, { arrayFilters: st.arrayFilters, filter: q });
    if (docsEqual(old, next)) continue;
    ctx.engine.replace(coll, idKey(old._id), next, ctx.txn, ctx.txn ? undefined : old);
    nModified++;
  }
  if (targets.length === 0 && st.upsert === true) {
    const doc = buildUpsert(q, u, st.arrayFilters);
    ctx.engine.insert(coll, doc, ctx.txn);
    return { n: 1, nModified: 0, upserted: doc._id };
  }
  return { n: targets.length, nModified };
}

const update: Handler = (ctx) => {
  const name = collName(ctx, 'update');
  const updates = ctx.cmd.updates;
  if (!Array.isArray(updates)) throw new MongoError(Codes.FailedToParse, "BSON field 'update.updates' is missing but a required field");
  // the whole command is parsed before any statement runs (an unknown field fails it all)
  for (const st of updates) if (isPlainObject(st)) strictFields(st, UPDATE_FIELDS, 'update.updates');
  const ordered = ctx.cmd.ordered !== false;
  const coll = ensureColl(ctx, name);
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors: Doc[] = [];
  for (let i = 0; i < updates.length; i++) {
    ctx.server.opcounters.update++;
    try {
      const r = updateOne(ctx, coll, updates[i] ?? {});
      n += r.n;
      nModified += r.nModified;
      if (r.upserted !== undefined) upserted.push({ index: i, _id: r.upserted });
    } catch (e) {
      if (isFatalForBatch(e)) throw e;
      writeErrors.push((e as MongoError).toWriteError(i));
      if (ordered) break;
    }
  }
  const out: Doc = { n, nModified };
  if (upserted.length) out.upserted = upserted;
  if (writeErrors.length) out.writeErrors = writeErrors;
  out.ok = 1;
  return out;
};

const del: Handler = (ctx) => {
  const name = collName(ctx, 'delete');
  const deletes = ctx.cmd.deletes;
  if (!Array.isArray(deletes)) throw new MongoError(Codes.FailedToParse, "BSON field 'delete.deletes' is missing but a required field");
  for (const st of deletes) if (isPlainObject(st)) strictFields(st, DELETE_FIELDS, 'delete.deletes');
  const ordered = ctx.cmd.ordered !== false;
  const coll = collOf(ctx, name);
  let n = 0;
  const writeErrors: Doc[] = [];
  for (let i = 0; i < deletes.length; i++) {
    ctx.server.opcounters.delete++;
    try {
      const st = deletes[i] ?? {};
      const limit = asInt(st.limit, 0);
      if (limit !== 0 && limit !== 1) throw new MongoError(Codes.FailedToParse, 'The limit field in delete objects must be 0 or 1');
      const cmp = collatorOf(st.collation);
      if (!coll) {
        compileFilter(st.q); // still report invalid filters
        continue;
      }
      const ov = overlayOf(ctx, coll);
      const matched = cmp ? collatedFind(coll, st.q, ov, cmp, limit) : coll.find(st.q ?? {}, ov, { limit }).docs;
      for (const d of matched) {
        ctx.engine.remove(coll, idKey(d._id), ctx.txn);
        n++;
      }
    } catch (e) {
      if (isFatalForBatch(e)) throw e;
      writeErrors.push((e as MongoError).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

const findAndModify: Handler = (ctx) => {
  const name = typeof ctx.cmd.findAndModify === 'string' ? collName(ctx, 'findAndModify') : collName(ctx, 'findandmodify');
  const cmd = ctx.cmd;
  const cmp = collatorOf(cmd.collation);
  const remove = cmd.remove === true;
  if (remove && cmd.update !== undefined) throw new MongoError(Codes.FailedToParse, 'Cannot specify both an update and remove=true');
  if (!remove && cmd.update === undefined) throw new MongoError(Codes.FailedToParse, 'Either an update or remove=true must be specified');
  if (remove && cmd.upsert) throw new MongoError(Codes.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  if (!remove) validateUpdate(cmd.update);
  const existing = collOf(ctx, name);
  let candidates: Doc[] = [];
  if (existing && cmp) candidates = sortDocs(collatedFind(existing, cmd.query, overlayOf(ctx, existing), cmp), cmd.sort, cmp);
  else if (existing) {
    const r = existing.find(cmd.query ?? {}, overlayOf(ctx, existing), { sort: cmd.sort, limit: 1 });
    candidates = r.sorted ? r.docs : sortDocs(r.docs, cmd.sort);
  }
  const doc = candidates[0];
  const fields = cmd.fields;
  const shape = (d: Doc | null) => (d ? project([d], fields)[0] : null);
  if (remove) {
    if (doc) ctx.engine.remove(existing!, idKey(doc._id), ctx.txn);
    return { lastErrorObject: { n: doc ? 1 : 0 }, value: shape(doc ?? null), ok: 1 };
  }
  if (doc) {
    const coll = existing!;
    const next = applyUpdate(doc, cmd.update, { arrayFilters: cmd.arrayFilters, filter: cmd.query });
    if (!docsEqual(doc, next)) ctx.engine.replace(coll, idKey(doc._id), next, ctx.txn, ctx.txn ? undefined : doc);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(cmd.new ? next : doc), ok: 1 };
  }
  if (cmd.upsert === true) {
    const coll = ensureColl(ctx, name);
    const created = buildUpsert(cmd.query, cmd.update, cmd.arrayFilters);
    ctx.engine.insert(coll, created, ctx.txn);
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: created._id }, value: shape(cmd.new ? created : null), ok: 1 };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

const count: Handler = (ctx) => {
  const name = collName(ctx, 'count');
  const coll = collOf(ctx, name);
  if (!coll) {
    compileFilter(ctx.cmd.query);
    return { n: 0, ok: 1 };
  }
  const cmp = collatorOf(ctx.cmd.collation);
  const ov = overlayOf(ctx, coll);
  let n = cmp ? collatedFind(coll, ctx.cmd.query ?? undefined, ov, cmp).length : coll.count(ctx.cmd.query ?? undefined, ov).n;
  const skip = asInt(ctx.cmd.skip, 0);
  const limit = Math.abs(asInt(ctx.cmd.limit, 0));
  n = Math.max(0, n - skip);
  if (limit) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: Handler = (ctx) => {
  const name = collName(ctx, 'distinct');
  const key = ctx.cmd.key;
  if (typeof key !== 'string') throw new MongoError(Codes.FailedToParse, "BSON field 'distinct.key' is missing but a required field");
  const cmp = collatorOf(ctx.cmd.collation);
  const coll = collOf(ctx, name);
  const seen = new Map<string, Any>();
  const ov = overlayOf(ctx, coll);
  const docs = !coll ? [] : cmp ? collatedFind(coll, ctx.cmd.query ?? undefined, ov, cmp) : coll.find(ctx.cmd.query ?? {}, ov).docs;
  for (const d of docs)
    for (const v of pathValues(d, key)) for (const e of Array.isArray(v) ? v : [v]) if (e !== undefined) seen.set(keyString(e), e);
  let values = [...seen.values()];
  // under a collation, values equal by its rules are one value (the first met)
  if (cmp) values = values.filter((v, i) => !values.slice(0, i).some((w) => typeRank(w) === typeRank(v) && compareValues(w, v, cmp) === 0));
  return { values, ok: 1 };
};

export const crudCommands: Record<string, Handler> = {
  find,
  getMore,
  killCursors,
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
  count,
  distinct,
};
