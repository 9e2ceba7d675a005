// What a write changed and what an answer read, in terms of the branch tree (issue 22 item 3,
// docs/adr/0006): the gateway keeps a cached answer about one subtree while writes elsewhere
// move the data version.
//
// A write's scope is the paths (national headquarters first, the record's own branch last) of
// the records it changed, before and after, each with the first day from which it changed the
// dated counters (or none). An answer's read scope is the branches whose subtrees it read: only
// when every field it asked is declared to depend on nothing but records filed in the subtree of
// the branch it was asked about (SubgraphDefinition.subtreeClosed). A branch read "as of" a day
// (an annex table on a date, when every field is declared SubgraphDefinition.subtreeDated) reads
// only the counters' deltas dated on or before it.
// A write touches an answer when one of its paths runs through a branch the answer read, and,
// for a dated read, its deltas begin on or before the day read: a member who joins today leaves
// every answer about an earlier day standing. '*' is "anything": a write whose records are not
// known, an answer that may have read anything.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * One written record's branch path, and the first day ('YYYY-MM-DD') from which the write
 * changed dated counters: null when it changed none, undefined when that is not known (any day).
 */
export interface WrittenPath {
  readonly ids: readonly string[];
  readonly datedFrom?: string | null;
}
export type WriteScope = '*' | readonly WrittenPath[];
/** Branch ids, or `id@YYYY-MM-DD` for a branch read as of that day (see above). */
export type ReadScope = '*' | ReadonlySet<string>;

/** More paths than this in one write or one feed event: '*' (a bulk change touches most answers anyway). */
export const MAX_SCOPE_PATHS = 64;

const ID = /^[0-9a-zA-Z_-]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `a.b.c@2026-11-01,a.b.d@-,a.e` (ids joined by '.', then '@' and the first dated day, '-' for none, nothing for unknown), or '*'. */
export function formatWriteScope(scope: WriteScope): string {
  if (scope === '*' || scope.length > MAX_SCOPE_PATHS) return '*';
  const text = (p: WrittenPath) => `${p.ids.join('.')}${p.datedFrom === undefined ? '' : `@${p.datedFrom ?? '-'}`}`;
  return [...new Set(scope.map(text))].sort().join(',');
}

/** The inverse of formatWriteScope; anything malformed is '*'. */
export function parseWriteScope(text: string | null | undefined): WriteScope {
  if (typeof text !== 'string' || text === '*') return '*';
  if (text === '') return [];
  const paths: WrittenPath[] = [];
  for (const part of text.split(',')) {
    const [path, dated, extra] = part.split('@');
    const ids = path.split('.');
    if (extra !== undefined || !ids.every((id) => ID.test(id))) return '*';
    if (dated === undefined) paths.push({ ids });
    else if (dated === '-' || DAY.test(dated)) paths.push({ ids, datedFrom: dated === '-' ? null : dated });
    else return '*';
  }
  return paths;
}

/** Every path of several writes ('*' if any is). */
export function unionWriteScopes(scopes: Iterable<WriteScope>): WriteScope {
  const out: WrittenPath[] = [];
  for (const s of scopes) {
    if (s === '*') return '*';
    out.push(...s);
  }
  return out.length > MAX_SCOPE_PATHS ? '*' : out;
}

/** What two reads read together. */
export function unionReadScopes(a: ReadScope | undefined, b: ReadScope): ReadScope {
  if (a === undefined) return b;
  if (a === '*' || b === '*') return '*';
  return new Set([...a, ...b]);
}

/** Whether a write may have changed an answer that read `read`. */
export function touches(write: WriteScope, read: ReadScope): boolean {
  if (write === '*' || read === '*') return true;
  for (const r of read) {
    const at = r.indexOf('@');
    const branch = at < 0 ? r : r.slice(0, at);
    const until = at < 0 ? null : r.slice(at + 1);
    for (const p of write) {
      if (!p.ids.includes(branch)) continue;
      // Undated reads see every change; a dated one only deltas on or before its day.
      if (until === null || p.datedFrom === undefined || (p.datedFrom !== null && p.datedFrom <= until)) return true;
    }
  }
  return false;
}

/** The ids of `docPath` (ObjectIds or strings) as a path; null when it is not one. */
export function pathIds(docPath: readonly unknown[] | null | undefined): string[] | null {
  if (!Array.isArray(docPath) || docPath.length === 0) return null;
  const ids = docPath.map((id) => (id == null ? '' : String(id)));
  return ids.every((id) => /^[0-9a-f]{24}$/i.test(id)) ? ids : null;
}

/** The entities whose representation names a branch, by the key field that does: what they cover is its subtree. */
const BRANCH_KEY: Record<string, string> = { Organization: 'id', Survey: 'organizationId', AnnualIncrease: 'organizationId' };

/** The last day an annex table's representation reads its counters to: a survey's date, an annual increase's year end. */
const DATED_UNTIL: Record<string, (rep: Record<string, unknown>) => string | null> = {
  Survey: (rep) => (typeof rep.asOf === 'string' && DAY.test(rep.asOf.slice(0, 10)) ? rep.asOf.slice(0, 10) : null),
  AnnualIncrease: (rep) => {
    const years = [rep.year, rep.baseYear].filter((y): y is number => Number.isInteger(y));
    return years.length ? `${String(Math.max(...years)).padStart(4, '0')}-12-31` : null;
  },
};

/** The fields a subgraph declares (SubgraphDefinition.subtreeClosed, subtreeDated), as 'Type.field'. */
export interface ScopedFields {
  closed: ReadonlySet<string>;
  dated?: ReadonlySet<string>;
}

/** How a document's fields below `_entities` read: all dated, all closed, or not all closed ('open'). */
export type FieldReach = 'dated' | 'closed' | 'open';

/**
 * The read scope of one subgraph operation: the branches of the representations when the
 * operation is the gateway's `_entities` fetch of branch entities (an Organization, an annex
 * table) and every field it selects below them is closed ('Type.field', named by the type that
 * declares it; `__typename` always is), each as of its table's day when every field is dated;
 * '*' otherwise.
 */
export function readScopeOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  fields: ScopedFields,
  reachOf: (document: DocumentNode) => FieldReach = (d) => fieldReach(schema, d, fields),
): ReadScope {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || ops[0].operation !== 'query') return '*';
  const roots = ops[0].selectionSet.selections;
  if (roots.length !== 1 || roots[0].kind !== Kind.FIELD || roots[0].name.value !== '_entities') return '*';
  const reps = variables?.representations;
  if (!Array.isArray(reps) || reps.length === 0) return '*';
  const reach = reachOf(document);
  if (reach === 'open') return '*';
  const reads = new Set<string>();
  for (const r of reps) {
    const rep = r as Record<string, unknown>;
    const key = BRANCH_KEY[String(rep?.__typename)];
    const branch = key ? rep[key] : undefined;
    if (typeof branch !== 'string' || !ID.test(branch)) return '*';
    const until = reach === 'dated' ? DATED_UNTIL[String(rep.__typename)]?.(rep) : null;
    reads.add(until ? `${branch}@${until}` : branch);
  }
  return reads;
}

/** How every field a document selects below `_entities` reads (`__typename` is always dated). */
function fieldReach(schema: GraphQLSchema, document: DocumentNode, fields: ScopedFields): FieldReach {
  let reach: FieldReach = fields.dated?.size ? 'dated' : 'closed';
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const name = node.name.value;
        const parent = typeInfo.getParentType()?.name;
        if (name === '__typename' || (parent === schema.getQueryType()?.name && name === '_entities')) return undefined;
        const field = `${parent}.${name}`;
        if (parent && fields.dated?.has(field)) return undefined;
        if (parent && fields.closed.has(field)) {
          reach = 'closed';
          return undefined;
        }
        reach = 'open';
        return BREAK;
      },
    }),
  );
  return reach;
}

/** The extension a subgraph's answer carries its read scope in: ids joined by ',', or '*'. */
export const READ_SCOPE_EXTENSION = 'readScope';

/**
 * Tells the gateway, on every answer to a query, what it read (readScopeOf with the service's
 * declared fields): the gateway keeps the answer while writes elsewhere move the version.
 */
export function readScopePlugin<C extends BaseContext>(fields: ScopedFields): ApolloServerPlugin<C> {
  // Apollo keeps parsed documents (a new store for a new schema): what one selects is judged once.
  const judged = new WeakMap<DocumentNode, FieldReach>();
  return {
    requestDidStart: async () => {
      let scope: ReadScope = '*';
      return {
        didResolveOperation: async ({ schema, document, request, operation }) => {
          if (operation?.operation !== 'query') return;
          scope = readScopeOf(schema, document, request.variables, fields, (d) => {
            let reach = judged.get(d);
            if (reach === undefined) judged.set(d, (reach = fieldReach(schema, d, fields)));
            return reach;
          });
        },
        willSendResponse: async ({ response, operation }) => {
          if (operation?.operation !== 'query' || response.body.kind !== 'single') return;
          const text = scope === '*' ? '*' : [...scope].join(',');
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, [READ_SCOPE_EXTENSION]: text };
        },
      };
    },
  };
}

/** The inverse of what readScopePlugin sends; anything else (or nothing) is '*'. */
export function parseReadScope(text: unknown): ReadScope {
  if (typeof text !== 'string' || text === '*' || text === '') return '*';
  const reads = text.split(',');
  return reads.every((r) => {
    const [branch, until, extra] = r.split('@');
    return ID.test(branch) && (until === undefined || DAY.test(until)) && extra === undefined;
  })
    ? new Set(reads)
    : '*';
}
