// What a write changed and what an answer read, in terms of the branch tree (issue 22 item 3,
// docs/adr/0006): the gateway keeps a cached answer about one subtree while writes elsewhere
// move the data version.
//
// A write's scope is the paths (national headquarters first, the record's own branch last) of
// the records it changed, before and after. An answer's read scope is the branches whose
// subtrees it read: only when every field it asked is declared to depend on nothing but records
// filed in the subtree of the branch it was asked about (SubgraphDefinition.subtreeClosed).
// A write touches an answer when one of its paths runs through a branch the answer read. '*' is
// "anything": a write whose records are not known, an answer that may have read anything.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

export type WriteScope = '*' | readonly (readonly string[])[];
export type ReadScope = '*' | ReadonlySet<string>;

/** More paths than this in one write or one feed event: '*' (a bulk change touches most answers anyway). */
export const MAX_SCOPE_PATHS = 64;

/** `a.b.c,a.b.d` (ids joined by '.', paths by ','), or '*'. */
export function formatWriteScope(scope: WriteScope): string {
  if (scope === '*' || scope.length > MAX_SCOPE_PATHS) return '*';
  return [...new Set(scope.map((p) => p.join('.')))].sort().join(',');
}

/** The inverse of formatWriteScope; anything malformed is '*'. */
export function parseWriteScope(text: string | null | undefined): WriteScope {
  if (typeof text !== 'string' || text === '*') return '*';
  if (text === '') return [];
  const paths = text.split(',').map((p) => p.split('.'));
  return paths.every((p) => p.every((id) => /^[0-9a-zA-Z_-]+$/.test(id))) ? paths : '*';
}

/** Every path of several writes ('*' if any is). */
export function unionWriteScopes(scopes: Iterable<WriteScope>): WriteScope {
  const out: (readonly string[])[] = [];
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
  return write.some((path) => path.some((id) => read.has(id)));
}

/** The ids of `docPath` (ObjectIds or strings) as a path; null when it is not one. */
export function pathIds(docPath: readonly unknown[] | null | undefined): string[] | null {
  if (!Array.isArray(docPath) || docPath.length === 0) return null;
  const ids = docPath.map((id) => (id == null ? '' : String(id)));
  return ids.every((id) => /^[0-9a-f]{24}$/i.test(id)) ? ids : null;
}

/** The entities whose representation names a branch, by the key field that does: what they cover is its subtree. */
const BRANCH_KEY: Record<string, string> = { Organization: 'id', Survey: 'organizationId', AnnualIncrease: 'organizationId' };

/**
 * The read scope of one subgraph operation: the branches of the representations when the
 * operation is the gateway's `_entities` fetch of branch entities (an Organization, an annex
 * table) and every field it selects below them is in `closed` ('Type.field', named by the type
 * that declares it; `__typename` always is); '*' otherwise.
 */
export function readScopeOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  closed: ReadonlySet<string>,
  selectsOnlyClosed: (document: DocumentNode) => boolean = (d) => onlyClosedFields(schema, d, closed),
): ReadScope {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || ops[0].operation !== 'query') return '*';
  const roots = ops[0].selectionSet.selections;
  if (roots.length !== 1 || roots[0].kind !== Kind.FIELD || roots[0].name.value !== '_entities') return '*';
  const reps = variables?.representations;
  if (!Array.isArray(reps) || reps.length === 0) return '*';
  const ids = new Set<string>();
  for (const r of reps) {
    const rep = r as Record<string, unknown>;
    const key = BRANCH_KEY[String(rep?.__typename)];
    const branch = key ? rep[key] : undefined;
    if (typeof branch !== 'string') return '*';
    ids.add(branch);
  }
  return selectsOnlyClosed(document) ? ids : '*';
}

/** Whether every field a document selects below `_entities` is in `closed` (`__typename` always is). */
function onlyClosedFields(schema: GraphQLSchema, document: DocumentNode, closed: ReadonlySet<string>): boolean {
  let allClosed = true;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const name = node.name.value;
        const parent = typeInfo.getParentType()?.name;
        if (name === '__typename' || (parent === schema.getQueryType()?.name && name === '_entities')) return undefined;
        if (parent && closed.has(`${parent}.${name}`)) return undefined;
        allClosed = false;
        return BREAK;
      },
    }),
  );
  return allClosed;
}

/** The extension a subgraph's answer carries its read scope in: ids joined by ',', or '*'. */
export const READ_SCOPE_EXTENSION = 'readScope';

/**
 * Tells the gateway, on every answer to a query, what it read (readScopeOf with the service's
 * subtree-closed fields): the gateway keeps the answer while writes elsewhere move the version.
 */
export function readScopePlugin<C extends BaseContext>(closed: ReadonlySet<string>): ApolloServerPlugin<C> {
  // Apollo keeps parsed documents (a new store for a new schema): what one selects is judged once.
  const judged = new WeakMap<DocumentNode, boolean>();
  return {
    requestDidStart: async () => {
      let scope: ReadScope = '*';
      return {
        didResolveOperation: async ({ schema, document, request, operation }) => {
          if (operation?.operation !== 'query') return;
          scope = readScopeOf(schema, document, request.variables, closed, (d) => {
            let only = judged.get(d);
            if (only === undefined) judged.set(d, (only = onlyClosedFields(schema, d, closed)));
            return only;
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
  const ids = text.split(',');
  return ids.every((id) => /^[0-9a-zA-Z_-]+$/.test(id)) ? new Set(ids) : '*';
}
