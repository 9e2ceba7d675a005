// createIndexes / listIndexes / dropIndexes with MongoDB's conflict rules (mongoose's
// syncIndexes depends on codes 85/86 and on listIndexes echoing the stored options).
import { Codes, MongoError } from '../errors';
import { IndexSpec, indexNameFor } from '../indexes';
import { ID_INDEX } from '../query';
import { Doc, isPlainObject } from '../values';
import { GENERIC_FIELDS } from './admin';
import { collName, collOf, ensureColl, Handler } from './context';

const OPTION_KEYS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation'];

function sameOptions(a: IndexSpec, b: Doc): boolean {
  return OPTION_KEYS.every(
    (k) =>
      JSON.stringify(a[k] ?? (k === 'unique' || k === 'sparse' ? false : null)) ===
      JSON.stringify(b[k] ?? (k === 'unique' || k === 'sparse' ? false : null)),
  );
}

const createIndexes: Handler = (ctx) => {
  const name = collName(ctx, 'createIndexes');
  const specs = ctx.cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0) throw new MongoError(Codes.BadValue, 'Must specify at least one index to create');
  let coll = collOf(ctx, name);
  const created = !coll;
  if (!coll) coll = ensureColl(ctx, name);
  const before = coll.indexes.length + 1;
  let note: string | undefined;
  for (const raw of specs) {
    if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0)
      throw new MongoError(Codes.FailedToParse, "The 'key' field must be a non-empty object");
    for (const [f, v] of Object.entries(raw.key)) {
      if (v === 'text' || v === '2d' || v === '2dsphere' || v === 'geoHaystack' || v === 'wildcard' || f.includes('$**'))
        throw new MongoError(67, `embedded-mongo does not support '${String(v)}' indexes (field ${f})`);
      if (v !== 'hashed' && typeof v !== 'number') throw new MongoError(67, `Values in the index key pattern can't be of type ${typeof v}`);
      if (v === 0) throw new MongoError(67, "Values in the index key pattern can't be 0");
    }
    if (raw.collation && raw.collation.locale !== 'simple')
      // keys are simple-collation strings; queries with a collation are served by a scan
      throw new MongoError(Codes.NotImplemented, 'indexes with a collation are not supported by embedded-mongo (queries with one are)');
    const { ns: _ns, background: _bg, ...rest } = raw;
    const spec: IndexSpec = { v: 2, ...rest, key: raw.key, name: typeof raw.name === 'string' ? raw.name : indexNameFor(raw.key) };
    if (JSON.stringify(spec.key) === JSON.stringify(ID_INDEX.key) && spec.name === '_id_') {
      note = 'all indexes already exist';
      continue;
    }
    const byName = coll.indexes.find((i) => i.spec.name === spec.name);
    const byKey = coll.findIndexByKey(spec.key);
    if (byName) {
      if (JSON.stringify(byName.spec.key) !== JSON.stringify(spec.key))
        throw new MongoError(
          Codes.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
        );
      if (!sameOptions(byName.spec, spec))
        throw new MongoError(
          Codes.IndexOptionsConflict,
          `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
        );
      note = 'all indexes already exist';
      continue;
    }
    if (byKey && !spec.partialFilterExpression && !byKey.spec.partialFilterExpression) {
      if (sameOptions(byKey.spec, spec))
        throw new MongoError(Codes.IndexOptionsConflict, `Index already exists with a different name: ${byKey.spec.name}`);
      throw new MongoError(
        Codes.IndexOptionsConflict,
        `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byKey.spec)}`,
      );
    }
    ctx.engine.createIndexFor(ctx.txn, coll, spec);
  }
  const out: Doc = { numIndexesBefore: before, numIndexesAfter: coll.indexes.length + 1, createdCollectionAutomatically: created };
  if (note && before === coll.indexes.length + 1) out.note = note;
  out.ok = 1;
  return out;
};

const listIndexes: Handler = (ctx) => {
  const name = collName(ctx, 'listIndexes');
  const coll = collOf(ctx, name);
  if (!coll) throw new MongoError(Codes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  return ctx.cursors.open(
    `${ctx.db}.${name}`,
    coll.indexSpecs().map((s) => ({ ...s })),
    ctx.cmd.cursor?.batchSize,
  );
};

const dropIndexes: Handler = (ctx) => {
  const field = 'dropIndexes' in ctx.cmd ? 'dropIndexes' : 'deleteIndexes';
  const name = collName(ctx, field);
  const coll = collOf(ctx, name);
  if (!coll) throw new MongoError(Codes.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
  const was = coll.indexes.length + 1;
  const target = ctx.cmd.index;
  let names: string[];
  if (target === '*') names = coll.indexes.map((i) => i.spec.name);
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    if (JSON.stringify(target) === '{"_id":1}') throw new MongoError(Codes.InvalidOptions, 'cannot drop _id index');
    const ix = coll.findIndexByKey(target);
    if (!ix) throw new MongoError(Codes.IndexNotFound, `can't find index with key: ${JSON.stringify(target)}`);
    names = [ix.spec.name];
  } else throw new MongoError(Codes.TypeMismatch, "'index' must be a string, array or object");
  if (names.includes('_id_')) throw new MongoError(Codes.InvalidOptions, 'cannot drop _id index');
  for (const n of names)
    if (!coll.indexes.some((i) => i.spec.name === n)) throw new MongoError(Codes.IndexNotFound, `index not found with name [${n}]`);
  for (const n of names) ctx.engine.dropIndex(coll, n);
  return { nIndexesWas: was, ok: 1 };
};

/** collMod options mongod 7.0 knows that are not implemented here: refused, never ignored. */
const COLLMOD_UNSUPPORTED = new Set([
  'validator',
  'validationLevel',
  'validationAction',
  'viewOn',
  'pipeline',
  'expireAfterSeconds',
  'changeStreamPreAndPostImages',
  'timeseries',
  'cappedSize',
  'cappedMax',
  'recordPreImages',
  'timeseriesBucketsMayHaveMixedSchemaData',
]);

/**
 * collMod: an index's expireAfterSeconds (TTL) and hidden, as mongod 7.0 answers them
 * ({expireAfterSeconds_old/_new, hidden_old/_new}); other options are refused.
 */
const collMod: Handler = (ctx) => {
  const name = collName(ctx, 'collMod');
  for (const k of Object.keys(ctx.cmd)) {
    if (k === 'collMod' || k === 'index' || k === 'dryRun' || GENERIC_FIELDS.has(k)) continue;
    if (COLLMOD_UNSUPPORTED.has(k)) throw new MongoError(Codes.NotImplemented, `collMod '${k}' is not supported by embedded-mongo`);
    throw new MongoError(40415, `BSON field 'collMod.${k}' is an unknown field.`);
  }
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new MongoError(Codes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  const out: Doc = {};
  const ixArg = ctx.cmd.index;
  if (ixArg !== undefined) {
    if (!isPlainObject(ixArg))
      throw new MongoError(Codes.TypeMismatch, "BSON field 'collMod.index' is the wrong type, expected type 'object'");
    for (const k of Object.keys(ixArg))
      if (!['keyPattern', 'name', 'expireAfterSeconds', 'hidden', 'unique', 'prepareUnique', 'forceNonUnique'].includes(k))
        throw new MongoError(40415, `BSON field 'collMod.index.${k}' is an unknown field.`);
    if ((ixArg.keyPattern === undefined) === (ixArg.name === undefined))
      throw new MongoError(Codes.InvalidOptions, 'Must specify either index name or key pattern.');
    for (const k of ['unique', 'prepareUnique', 'forceNonUnique'])
      if (ixArg[k] !== undefined) throw new MongoError(Codes.NotImplemented, `collMod index '${k}' is not supported by embedded-mongo`);
    if (ixArg.expireAfterSeconds === undefined && ixArg.hidden === undefined)
      throw new MongoError(Codes.InvalidOptions, 'no expireAfterSeconds or hidden field');
    if (ixArg.name === '_id_' || JSON.stringify(ixArg.keyPattern) === '{"_id":1}')
      throw new MongoError(Codes.BadValue, "can't hide or change the TTL of the _id index");
    const ix =
      ixArg.name !== undefined ? coll.indexes.find((i) => i.spec.name === ixArg.name) : coll.findIndexByKey(ixArg.keyPattern as Doc);
    if (!ix)
      throw new MongoError(Codes.IndexNotFound, `cannot find index ${JSON.stringify(ixArg.name ?? ixArg.keyPattern)} for ns ${coll.ns}`);
    const spec: IndexSpec = { ...ix.spec };
    if (ixArg.expireAfterSeconds !== undefined) {
      const secs = Number(ixArg.expireAfterSeconds);
      if (!Number.isInteger(secs) || secs < 0)
        throw new MongoError(Codes.InvalidOptions, 'expireAfterSeconds must be a non-negative integer');
      if (ix.fields.length !== 1)
        throw new MongoError(Codes.InvalidOptions, 'TTL indexes are single-field indexes, compound indexes do not support TTL');
      out.expireAfterSeconds_old = ix.spec.expireAfterSeconds;
      out.expireAfterSeconds_new = secs;
      if (out.expireAfterSeconds_old === undefined) delete out.expireAfterSeconds_old;
      spec.expireAfterSeconds = secs;
    }
    if (ixArg.hidden !== undefined) {
      out.hidden_old = !!ix.spec.hidden;
      out.hidden_new = !!ixArg.hidden;
      if (ixArg.hidden) spec.hidden = true;
      else delete spec.hidden;
    }
    if (ctx.cmd.dryRun !== true) ctx.engine.modifyIndex(coll, ix.spec.name, spec);
  }
  return { ...out, ok: 1 };
};

export const indexCommands: Record<string, Handler> = { createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes, collMod };
