// aggregate and explain. Pipelines run in mingo; a leading $match is answered through our
// planner first (so it can use an index, and explain can say so). $lookup is given the other
// collections of the database through mingo's collectionResolver. $out is done here.
import { ObjectId } from 'bson';
import { Aggregator } from 'mingo';
import type { Collection } from '../collection';
import { badValue, Codes, MongoError, toMongoError } from '../errors';
import { filterFields, type Plan } from '../query';
import { duplicateKeyError, Index } from '../indexes';
import { idKey } from '../keys';
import { bindPipeline, evalLet } from '../let';
import { applyUpdate } from '../update';
import { Any, bsonTypeName, cloneDeep, Doc, isPlainObject, keyString } from '../values';
import { checkCollatedPipeline, collatorOf } from '../collation';
import { collatedFind, collName, collOf, Ctx, ensureColl, Handler, overlayOf } from './context';
import { crudCommands, isInclusion, project, runFind } from './crud';

/**
 * Stages mingo runs without changing the documents it is given (the stored documents' decoded
 * forms: every other pipeline gets copies). Not $project: it removes an excluded dotted path in
 * place (an inclusion $project never reaches mingo, see runStages).
 */
const NON_MUTATING = new Set(['$match', '$group', '$sort', '$skip', '$limit', '$count', '$sortByCount', '$unwind']);

export function runPipeline(
  ctx: Ctx,
  coll: Collection | undefined,
  pipeline: Doc[],
): { docs: Doc[]; plan: Plan | null; out?: string; merge?: Doc; sortAbsorbed?: boolean } {
  if (!Array.isArray(pipeline)) throw new MongoError(Codes.TypeMismatch, "'pipeline' option must be specified as an array");
  for (const st of pipeline) {
    if (!isPlainObject(st) || Object.keys(st).length !== 1)
      throw new MongoError(40323, 'A pipeline stage specification object must contain exactly one field.');
  }
  let stages = pipeline;
  let out: string | undefined;
  const last = stages[stages.length - 1];
  if (last && '$out' in last) {
    out = typeof last.$out === 'string' ? last.$out : last.$out?.coll;
    if (typeof out !== 'string') throw badValue('$out requires a collection name');
    stages = stages.slice(0, -1);
  }
  let merge: Doc | undefined;
  if (last && '$merge' in last) {
    merge = typeof last.$merge === 'string' ? { into: last.$merge } : last.$merge;
    if (!isPlainObject(merge)) throw new MongoError(Codes.TypeMismatch, '$merge requires a string or object argument');
    stages = stages.slice(0, -1);
  }
  if (stages.some((s) => '$merge' in s || '$out' in s))
    throw new MongoError(
      40601,
      `${'$merge' in stages.find((s) => '$merge' in s || '$out' in s)! ? '$merge' : '$out'} can only be the final stage in the pipeline`,
    );
  if ((out !== undefined || merge) && ctx.txn)
    throw new MongoError(
      Codes.OperationNotSupportedInTransaction,
      `${out !== undefined ? '$out' : '$merge'} cannot be used in a transaction`,
    );
  let input: Doc[] = [];
  let plan: Plan | null = null;
  let sortAbsorbed = false;
  const cmp = collatorOf(ctx.cmd.collation);
  if (cmp) checkCollatedPipeline(stages);
  if (coll && cmp) {
    // under a collation: the leading $match matched here over a scan, $sort by mingo with it
    const first = stages[0] && '$match' in stages[0] ? stages[0].$match : undefined;
    input = collatedFind(coll, first, overlayOf(ctx, coll), cmp);
    if (first !== undefined) stages = stages.slice(1);
  } else if (coll) {
    const ov = overlayOf(ctx, coll);
    const counted = countShape(stages);
    if (counted) {
      // countDocuments: [{$match}, {$group: {_id: <const>, n: {$sum: 1}}}] from index entries when possible
      const r = coll.count(counted.filter, ov);
      return { docs: r.n > 0 ? [{ _id: counted.id, [counted.field]: r.n }] : [], plan: r.plan, out, merge };
    }
    if (stages[0] && '$match' in stages[0]) {
      // $match, $sort [, $skip] [, $limit]: the sort may be served by an index walk that stops at the limit
      let sort: Doc | undefined;
      let max = 0;
      if (stages[1] && '$sort' in stages[1] && isPlainObject(stages[1].$sort)) {
        sort = stages[1].$sort;
        let skip = 0;
        let i = 2;
        if (stages[i] && '$skip' in stages[i] && typeof stages[i].$skip === 'number') skip = stages[i++].$skip;
        if (stages[i] && '$limit' in stages[i] && typeof stages[i].$limit === 'number') max = skip + stages[i].$limit;
      }
      const rest = stages.slice(1); // with the $sort: if no index walk serves it, mingo sorts on these fields
      const r = coll.find(stages[0].$match, ov, { sort, limit: max, fields: pipelineFields(rest) ?? undefined });
      input = r.docs;
      plan = r.plan;
      // index order is the $sort's order (mingo's $sort would keep it): drop the stage
      sortAbsorbed = r.sorted && !!sort;
      stages = stages.slice(sortAbsorbed ? 2 : 1);
    } else {
      const fields = pipelineFields(stages);
      input = fields ? coll.find(undefined, ov, { fields }).docs : coll.all(ov);
    }
  }
  const docs = runStages(ctx, input, stages);
  return { docs, plan, out, merge, sortAbsorbed };
}

/**
 * The stages over `input`, in mingo but for two kinds of stage. A top-level $unionWith's
 * sub-pipeline is run like a pipeline of its own (its leading $match through the planner and an
 * index), not by mingo, whose resolver would hand it every document of the collection, decoded.
 * A $project that only includes fields is the find command's projection: in a profile of
 * counter reads mingo took ~0.3 ms per $project, mostly setting it up.
 */
function runStages(ctx: Ctx, input: Doc[], stages: Doc[]): Doc[] {
  let docs = input;
  let from = 0;
  stages.forEach((st, i) => {
    if (!('$unionWith' in st) && !('$project' in st && isInclusion(st.$project))) return;
    docs = runInMingo(ctx, docs, stages.slice(from, i));
    from = i + 1;
    if ('$project' in st) docs = project(docs, st.$project);
    else {
      const { coll, pipeline } = unionWithSpec(st.$unionWith);
      docs = docs.concat(runPipeline(ctx, coll === undefined ? undefined : collOf(ctx, coll), pipeline).docs);
    }
  });
  return runInMingo(ctx, docs, stages.slice(from));
}

/** $unionWith's argument, checked as mongod checks it. */
function unionWithSpec(spec: Any): { coll?: string; pipeline: Doc[] } {
  if (typeof spec === 'string') return { coll: spec, pipeline: [] };
  if (!isPlainObject(spec))
    throw new MongoError(
      Codes.FailedToParse,
      `the $unionWith stage specification must be an object or string, but found ${bsonTypeName(spec)}`,
    );
  for (const k of Object.keys(spec))
    if (k !== 'coll' && k !== 'pipeline') throw new MongoError(40415, `BSON field '$unionWith.${k}' is an unknown field.`);
  if (spec.coll !== undefined && typeof spec.coll !== 'string')
    throw new MongoError(Codes.TypeMismatch, "BSON field '$unionWith.coll' is the wrong type, expected type 'string'");
  const pipeline = spec.pipeline ?? [];
  if (!Array.isArray(pipeline))
    throw new MongoError(Codes.TypeMismatch, "BSON field '$unionWith.pipeline' is the wrong type, expected type 'array'");
  if (spec.coll === undefined && !(isPlainObject(pipeline[0]) && '$documents' in pipeline[0]))
    throw new MongoError(
      Codes.BadValue,
      '$unionWith stage without explicit collection must have a pipeline with $documents as first stage',
    );
  const barred = pipeline.find((st: Any) => isPlainObject(st) && ('$out' in st || '$merge' in st));
  if (barred) throw new MongoError(31441, `${Object.keys(barred)[0]} is not allowed within a $unionWith's sub-pipeline`);
  return { coll: spec.coll, pipeline };
}

function runInMingo(ctx: Ctx, input: Doc[], stages: Doc[]): Doc[] {
  if (!stages.length) return input;
  if (stages.some((s) => !NON_MUTATING.has(Object.keys(s)[0]))) input = input.map(cloneDeep);
  const cmp = collatorOf(ctx.cmd.collation);
  try {
    return new Aggregator(stages, {
      ...(cmp ? { collation: ctx.cmd.collation } : {}),
      collectionResolver: (name: string) => {
        const c = collOf(ctx, name);
        return c ? c.all(overlayOf(ctx, c)).map(cloneDeep) : [];
      },
    } as Any).run(input) as Doc[];
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    if (/unknown pipeline operator|pipeline operator.*not/i.test(msg))
      throw new MongoError(40324, `Unrecognized pipeline stage name: ${msg}`);
    throw toMongoError(e);
  }
}

const PASS = new Set(['$match', '$sort', '$limit', '$skip', '$unwind', '$addFields', '$set']);
const SHAPING = new Set(['$group', '$count', '$sortByCount', '$bucket', '$bucketAuto', '$project', '$facet']);

/**
 * The top-level document fields a pipeline reads before a stage that reshapes its documents
 * ($group, $count, $project with inclusions, $facet of such pipelines...), so stored documents
 * can be decoded with those fields only; null when it may need whole documents.
 */
export function pipelineFields(stages: Doc[]): Set<string> | null {
  const need = new Set<string>();
  const refs = (v: Any): boolean => {
    if (typeof v === 'string') {
      if (v.startsWith('$$')) return !/^\$\$(ROOT|CURRENT)\b/.test(v);
      if (v[0] === '$') need.add(v.slice(1).split('.')[0]);
      return true;
    }
    if (Array.isArray(v)) return v.every(refs);
    if (isPlainObject(v)) return Object.values(v).every(refs);
    return true;
  };
  for (const st of stages) {
    const op = Object.keys(st)[0];
    const arg = st[op];
    if (op === '$match') {
      const f = filterFields(arg);
      if (!f) return null;
      f.forEach((x) => need.add(x));
    } else if (op === '$sort') {
      if (!isPlainObject(arg)) return null;
      Object.keys(arg).forEach((k) => need.add(k.split('.')[0]));
    } else if (op === '$unwind') {
      const path = typeof arg === 'string' ? arg : arg?.path;
      if (typeof path !== 'string' || path[0] !== '$') return null;
      need.add(path.slice(1).split('.')[0]);
    } else if (PASS.has(op)) {
      if (!refs(arg)) return null;
    } else if (op === '$project') {
      if (!isPlainObject(arg)) return null;
      let includes = false;
      for (const [k, v] of Object.entries(arg)) {
        if (v === 0 || v === false) {
          if (k !== '_id') return null; // exclusion: everything else passes
          continue;
        }
        includes = true;
        need.add(k.split('.')[0]);
        if (!refs(v)) return null;
      }
      if (!includes) return null; // { _id: 0 } alone: every other field passes
      if (arg._id !== 0 && arg._id !== false) need.add('_id');
      return need;
    } else if (op === '$facet') {
      if (!isPlainObject(arg)) return null;
      for (const sub of Object.values(arg)) {
        const f = Array.isArray(sub) ? pipelineFields(sub as Doc[]) : null;
        if (!f) return null;
        f.forEach((x) => need.add(x));
      }
      return need;
    } else if (SHAPING.has(op)) {
      if (!refs(arg)) return null;
      return need;
    } else return null;
  }
  return null; // documents come out whole
}

/** The pipeline mongoose's countDocuments sends: [{$match: F}, {$group: {_id: <constant>, <n>: {$sum: 1}}}]. */
function countShape(stages: Doc[]): { filter: Doc; id: Any; field: string } | null {
  if (stages.length !== 2 || !('$match' in stages[0]) || !('$group' in stages[1])) return null;
  const f = stages[0].$match;
  const g = stages[1].$group;
  if (!isPlainObject(f) || !isPlainObject(g)) return null;
  const keys = Object.keys(g);
  if (keys.length !== 2 || keys[0] !== '_id') return null;
  const id = g._id;
  if (!(typeof id === 'number' || id === null || (typeof id === 'string' && id[0] !== '$'))) return null;
  const acc = g[keys[1]];
  if (!isPlainObject(acc) || Object.keys(acc).length !== 1 || acc.$sum !== 1) return null;
  return { filter: f, id, field: keys[1] };
}

const aggregate: Handler = (ctx) => {
  const cmd = ctx.cmd;
  if (Array.isArray(cmd.pipeline) && cmd.pipeline.some((st: Doc) => isPlainObject(st) && '$changeStream' in st))
    // what mongod answers where change streams are unavailable (the driver does not retry it)
    throw new MongoError(40573, 'The $changeStream stage is only supported on replica sets (embedded-mongo has no oplog)');
  if (cmd.explain) return explainOf(ctx, cmd);
  if (cmd.aggregate === 1) {
    // database-level aggregation: only $documents-based pipelines
    const p = cmd.pipeline ?? [];
    if (!p[0] || !('$documents' in p[0]))
      throw new MongoError(Codes.NotImplemented, 'database-level aggregation is only supported with $documents');
  } else collName(ctx, 'aggregate');
  if (!isPlainObject(cmd.cursor) && !cmd.explain)
    throw new MongoError(Codes.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
  const name = cmd.aggregate === 1 ? '$cmd.aggregate' : cmd.aggregate;
  const coll = cmd.aggregate === 1 ? undefined : collOf(ctx, name);
  const r = runPipeline(ctx, coll, cmd.pipeline);
  if (r.out !== undefined) {
    const target = ensureColl(ctx, r.out);
    for (const id of [...target.docs.keys()]) ctx.engine.remove(target, id, ctx.txn);
    // like mongod's $out: documents without _id get one
    for (const d of r.docs)
      ctx.engine.insert(target, d._id === undefined ? { _id: new ObjectId(), ...cloneDeep(d) } : cloneDeep(d), ctx.txn);
    return ctx.cursors.open(`${ctx.db}.${name}`, [], 0);
  }
  if (r.merge) {
    runMerge(ctx, r.merge, r.docs);
    return ctx.cursors.open(`${ctx.db}.${name}`, [], 0);
  }
  const batchSize = cmd.cursor?.batchSize;
  return ctx.cursors.open(`${ctx.db}.${name}`, r.docs, batchSize === undefined ? undefined : Number(batchSize));
};

const WHEN_MATCHED = new Set(['replace', 'keepExisting', 'merge', 'fail']);

/**
 * $merge (as the last stage): each result document is matched in the target collection on the
 * `on` fields (_id by default; others need a unique index on exactly them, 51183), then
 * replaced / merged ($set of its fields) / kept / failed (11000) / updated by a pipeline with
 * $$new, or inserted / discarded / failed (13113) when unmatched. _id cannot change (66).
 */
function runMerge(ctx: Ctx, spec: Doc, docs: Doc[]): void {
  for (const k of Object.keys(spec))
    if (!['into', 'on', 'let', 'whenMatched', 'whenNotMatched'].includes(k))
      throw new MongoError(40415, `BSON field '$merge.${k}' is an unknown field.`);
  const into = spec.into;
  const db = isPlainObject(into) ? String(into.db ?? ctx.db) : ctx.db;
  const collName = isPlainObject(into) ? into.coll : into;
  if (typeof collName !== 'string' || !collName)
    throw new MongoError(Codes.FailedToParse, "$merge 'into' field must specify a collection name");
  const on: string[] = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on.map(String) : [String(spec.on)];
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  if (!Array.isArray(whenMatched) && !WHEN_MATCHED.has(whenMatched))
    throw new MongoError(Codes.BadValue, `Enumeration value '${String(whenMatched)}' for field '$merge.whenMatched' is not a valid value.`);
  if (!['insert', 'discard', 'fail'].includes(whenNotMatched))
    throw new MongoError(
      Codes.BadValue,
      `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`,
    );
  if (spec.let !== undefined && !Array.isArray(whenMatched))
    throw new MongoError(51199, "Cannot use 'let' variables with 'whenMatched: " + String(whenMatched) + "' mode");
  let target = ctx.engine.getCollection(db, collName);
  const idOnly = on.length === 1 && on[0] === '_id';
  if (!idOnly) {
    const want = [...on].sort().join(',');
    const ok = target?.indexes.some((ix) => ix.unique && !ix.spec.partialFilterExpression && [...ix.fields].sort().join(',') === want);
    if (!ok) throw new MongoError(51183, 'Cannot find index to verify that join fields will be unique');
  }
  target ??= ctx.engine.ensureCollection(db, collName);
  for (const raw of docs) {
    let doc = cloneDeep(raw);
    const key: Doc = {};
    for (const f of on) {
      const v = valueAt(doc, f);
      if (v === undefined && f === '_id') continue;
      if (v === undefined || v === null || Array.isArray(v))
        throw new MongoError(51132, "$merge write error: 'on' field cannot be missing, null, undefined or an array");
      key[f] = v;
    }
    const existing = Object.keys(key).length === on.length ? target.find(key, undefined, { limit: 1 }).docs[0] : undefined;
    if (!existing) {
      if (whenNotMatched === 'discard') continue;
      if (whenNotMatched === 'fail')
        throw new MongoError(
          13113,
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
      ctx.engine.insert(target, doc, null);
      continue;
    }
    let next: Doc;
    if (whenMatched === 'keepExisting') continue;
    if (whenMatched === 'fail') throw duplicateKeyError(target.ns, ID_ONLY_INDEX, [existing._id]);
    if (whenMatched === 'replace') next = doc._id === undefined ? { _id: existing._id, ...doc } : doc;
    else if (whenMatched === 'merge') next = { ...existing, ...doc };
    else {
      const vars = { new: doc, ...(spec.let === undefined ? {} : evalLet(spec.let, '$merge.let', {}, doc)) };
      next = applyUpdate(existing, bindPipeline(whenMatched, vars));
    }
    if (keyString(next._id) !== keyString(existing._id))
      throw new MongoError(
        Codes.ImmutableField,
        '$merge failed to update the matching document, did you attempt to modify the _id or the shard key?',
      );
    ctx.engine.replace(target, idKey(existing._id), next, null, existing);
  }
}

function valueAt(doc: Doc, path: string): Any {
  let v: Any = doc;
  for (const p of path.split('.')) v = isPlainObject(v) ? v[p] : undefined;
  return v;
}

const ID_ONLY_INDEX = new Index({ key: { _id: 1 }, name: '_id_', unique: true });

function wrapPlan(plan: Doc, cmd: Doc, sorted: boolean): Doc {
  let p = plan;
  if (cmd.sort && Object.keys(cmd.sort).length && !sorted)
    p = { stage: 'SORT', sortPattern: cmd.sort, memLimit: 104857600, type: 'simple', inputStage: p };
  if (cmd.skip) p = { stage: 'SKIP', skipAmount: cmd.skip, inputStage: p };
  if (cmd.limit) p = { stage: 'LIMIT', limitAmount: Math.abs(Number(cmd.limit)), inputStage: p };
  if (cmd.projection && Object.keys(cmd.projection).length) p = { stage: 'PROJECTION_DEFAULT', transformBy: cmd.projection, inputStage: p };
  return p;
}

function plannerDoc(ns: string, filter: Doc | undefined, winningPlan: Doc): Doc {
  return { namespace: ns, indexFilterSet: false, parsedQuery: filter ?? {}, winningPlan, rejectedPlans: [] };
}

const COLLSCAN = (filter: Doc | undefined) => ({ stage: 'COLLSCAN', filter: filter ?? {}, direction: 'forward' });

/** explain for find/aggregate/count/distinct/update/delete/findAndModify. */
function explainOf(ctx: Ctx, cmd: Doc): Doc {
  const serverInfo = { host: '127.0.0.1', port: ctx.server.port, version: '7.0.0', gitVersion: 'embedded-mongo' };
  const t0 = Date.now();
  const kind = Object.keys(cmd)[0];
  const name = String(cmd[kind]);
  const ns = `${ctx.db}.${name}`;
  const coll = collOf(ctx, name);
  if (kind === 'aggregate') {
    const r = runPipeline(ctx, coll, cmd.pipeline ?? []);
    const first = cmd.pipeline?.[0];
    const filter = first && '$match' in first ? first.$match : undefined;
    const qp = plannerDoc(ns, filter, r.plan ? r.plan.explain : COLLSCAN(filter));
    return {
      explainVersion: '1',
      queryPlanner: qp,
      stages: [{ $cursor: { queryPlanner: qp } }, ...(cmd.pipeline ?? []).slice(filter ? (r.sortAbsorbed ? 2 : 1) : 0)],
      serverInfo,
      ok: 1,
    };
  }
  let filter: Doc | undefined;
  let sub: Doc = cmd;
  if (kind === 'find') filter = cmd.filter;
  else if (kind === 'count' || kind === 'distinct') filter = cmd.query;
  else if (kind === 'findAndModify' || kind === 'findandmodify') filter = cmd.query;
  else if (kind === 'update') filter = cmd.updates?.[0]?.q;
  else if (kind === 'delete') filter = cmd.deletes?.[0]?.q;
  else throw new MongoError(Codes.IllegalOperation, `Explain for ${kind} is not supported by embedded-mongo`);
  if (kind !== 'find') sub = { filter };
  else sub = cmd;
  const r = runFind(ctx, { ...sub, filter }, coll);
  const base = r.plan ? r.plan.explain : COLLSCAN(filter);
  const winningPlan = kind === 'find' ? wrapPlan(base, cmd, r.sorted) : base;
  const usesIndex = !!r.plan && (r.plan.index !== null || !!r.plan.idKeys);
  return {
    explainVersion: '1',
    queryPlanner: plannerDoc(ns, filter, winningPlan),
    executionStats: {
      executionSuccess: true,
      nReturned: r.docs.length,
      executionTimeMillis: Date.now() - t0,
      totalKeysExamined: usesIndex ? r.examined : 0,
      totalDocsExamined: r.examined,
      executionStages: winningPlan,
    },
    serverInfo,
    ok: 1,
  };
}

const explain: Handler = (ctx) => {
  const inner = ctx.cmd.explain;
  if (!isPlainObject(inner)) throw new MongoError(Codes.FailedToParse, 'explain command requires a nested object');
  collatorOf(inner.collation);
  const kind = Object.keys(inner)[0];
  if (!(kind in crudCommands) && kind !== 'aggregate')
    throw new MongoError(Codes.IllegalOperation, `Explain for ${kind} is not supported by embedded-mongo`);
  return explainOf(ctx, inner);
};

export const aggregateCommands: Record<string, Handler> = { aggregate, explain };
