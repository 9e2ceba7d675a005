// `let` variables of find, aggregate, update, delete and findAndModify (and `c` of an update
// statement). They are bound once, when the command arrives: every `$$name` reference in an
// expression context ($expr of a filter, aggregation stages, pipeline updates, find projections)
// is replaced by the variable's value as a `$literal`, honouring inner scopes that shadow a name
// ($let, $map/$filter `as`, $reduce, a $lookup's own `let`). Filters outside $expr are left
// alone: there `'$$x'` is a plain string, as on MongoDB.
import { Aggregator } from 'mingo';
import { Codes, MongoError, toMongoError } from './errors';
import { Any, Doc, isPlainObject } from './values';

export type Vars = Record<string, Any>;

const without = (vars: Vars, names: string[]): Vars => {
  if (!names.some((n) => n in vars)) return vars;
  const out = { ...vars };
  for (const n of names) delete out[n];
  return out;
};

function lookupPath(v: Any, path: string[]): Any {
  for (const p of path) v = isPlainObject(v) || Array.isArray(v) ? (v as Any)[p] : undefined;
  return v;
}

export function bindExpr(e: Any, vars: Vars): Any {
  if (typeof e === 'string') {
    if (!e.startsWith('$$')) return e;
    const [name, ...path] = e.slice(2).split('.');
    return name in vars ? { $literal: lookupPath(vars[name], path) } : e;
  }
  if (Array.isArray(e)) return e.map((x) => bindExpr(x, vars));
  if (!isPlainObject(e)) return e;
  const keys = Object.keys(e);
  if (keys.length === 1) {
    const [op] = keys;
    const a = e[op];
    if (op === '$literal') return e;
    if (op === '$let' && isPlainObject(a) && isPlainObject(a.vars))
      return { $let: { vars: bindExpr(a.vars, vars), in: bindExpr(a.in, without(vars, Object.keys(a.vars))) } };
    if ((op === '$map' || op === '$filter') && isPlainObject(a)) {
      const inner = without(vars, [typeof a.as === 'string' ? a.as : 'this']);
      const out: Doc = {};
      for (const [k, v] of Object.entries(a))
        out[k] = k === 'input' || k === 'limit' ? bindExpr(v, vars) : k === 'as' ? v : bindExpr(v, inner);
      return { [op]: out };
    }
    if (op === '$reduce' && isPlainObject(a))
      return {
        $reduce: {
          input: bindExpr(a.input, vars),
          initialValue: bindExpr(a.initialValue, vars),
          in: bindExpr(a.in, without(vars, ['this', 'value'])),
        },
      };
  }
  const out: Doc = {};
  for (const k of keys) out[k] = bindExpr(e[k], vars);
  return out;
}

export function bindFilter(f: Any, vars: Vars): Any {
  if (!isPlainObject(f)) return f;
  const out: Doc = {};
  for (const [k, v] of Object.entries(f)) {
    if (k === '$expr') out[k] = bindExpr(v, vars);
    else if ((k === '$and' || k === '$or' || k === '$nor') && Array.isArray(v)) out[k] = v.map((x) => bindFilter(x, vars));
    else out[k] = v;
  }
  return out;
}

export function bindPipeline(stages: Any, vars: Vars): Any {
  if (!Array.isArray(stages)) return stages;
  return stages.map((st) => {
    if (!isPlainObject(st) || Object.keys(st).length !== 1) return st;
    const [op] = Object.keys(st);
    const a = st[op];
    if (op === '$match') return { $match: bindFilter(a, vars) };
    if (op === '$lookup' && isPlainObject(a)) {
      const own = isPlainObject(a.let) ? Object.keys(a.let) : [];
      return {
        $lookup: {
          ...a,
          ...(a.let ? { let: bindExpr(a.let, vars) } : {}),
          ...(a.pipeline ? { pipeline: bindPipeline(a.pipeline, without(vars, own)) } : {}),
        },
      };
    }
    if (op === '$facet' && isPlainObject(a))
      return { $facet: Object.fromEntries(Object.entries(a).map(([k, p]) => [k, bindPipeline(p, vars)])) };
    if (op === '$unionWith' && isPlainObject(a))
      return { $unionWith: { ...a, ...(a.pipeline ? { pipeline: bindPipeline(a.pipeline, vars) } : {}) } };
    return { [op]: bindExpr(a, vars) };
  });
}

/** Evaluate the values of a `let` document (they are expressions, e.g. {$add: [1, 2]}). */
export function evalLet(spec: Any, where: string, outer: Vars = {}, root: Doc = {}): Vars {
  if (!isPlainObject(spec))
    throw new MongoError(Codes.TypeMismatch, `BSON field '${where}' is the wrong type '${typeof spec}', expected type 'object'`);
  const vars: Vars = { ...outer };
  for (const [name, expr] of Object.entries(spec)) {
    if (!/^[a-z\u0080-\uffff]/.test(name) || !/^[\w\u0080-\uffff]+$/.test(name))
      throw new MongoError(Codes.FailedToParse, `'${name}' starts with an invalid character for a user variable name`);
    try {
      vars[name] = (new Aggregator([{ $replaceWith: { v: bindExpr(expr, outer) } }], {}).run([root])[0] as Doc).v ?? null;
    } catch (e) {
      throw toMongoError(e);
    }
  }
  return vars;
}

/** The command with its `let` variables bound (unchanged when it has none). */
export function applyLet(cmd: Doc, name: string): Doc {
  const hasLet = cmd.let !== undefined;
  if (name === 'update' && Array.isArray(cmd.updates) && (hasLet || cmd.updates.some((u: Any) => u?.c !== undefined))) {
    const vars = hasLet ? evalLet(cmd.let, 'update.let') : {};
    return {
      ...cmd,
      updates: cmd.updates.map((st: Any) => {
        if (!isPlainObject(st)) return st;
        const v = st.c !== undefined ? evalLet(st.c, 'update.updates.c', vars) : vars;
        return { ...st, q: bindFilter(st.q, v), u: Array.isArray(st.u) ? bindPipeline(st.u, v) : st.u };
      }),
    };
  }
  if (!hasLet) return cmd;
  const vars = evalLet(cmd.let, `${name}.let`);
  switch (name) {
    case 'find':
      return { ...cmd, filter: bindFilter(cmd.filter, vars), ...(cmd.projection ? { projection: bindExpr(cmd.projection, vars) } : {}) };
    case 'aggregate':
      return { ...cmd, pipeline: bindPipeline(cmd.pipeline, vars) };
    case 'delete':
      return {
        ...cmd,
        deletes: Array.isArray(cmd.deletes)
          ? cmd.deletes.map((st: Any) => (isPlainObject(st) ? { ...st, q: bindFilter(st.q, vars) } : st))
          : cmd.deletes,
      };
    case 'findAndModify':
    case 'findandmodify':
      return {
        ...cmd,
        query: bindFilter(cmd.query, vars),
        ...(Array.isArray(cmd.update) ? { update: bindPipeline(cmd.update, vars) } : {}),
      };
    default:
      throw new MongoError(40415, `BSON field '${name}.let' is an unknown field.`);
  }
}
