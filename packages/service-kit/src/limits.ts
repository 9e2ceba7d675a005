import {
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

export interface Limits {
  /** Deepest field nesting allowed. */
  maxDepth: number;
  /**
   * Deepest nesting allowed under __schema / __type (counted from the operation's root). The
   * standard introspection query that GraphiQL and code generators send reaches 15 through its
   * chain of `ofType`; deeper is only good for making the server work.
   */
  maxIntrospectionDepth: number;
  /**
   * Highest estimated cost of the introspection part, counted like any field. Introspection is
   * answered from the schema in memory, never by a subgraph, so it has a budget of its own: the
   * standard query costs about 52,000; `fields { type { fields { type { ... } } } }` multiplies.
   */
  maxIntrospectionCost: number;
  /** Most aliased fields in one operation (aliases multiply work without multiplying text). */
  maxAliases: number;
  /** Highest estimated cost: fields weighted by the list sizes around them. */
  maxCost: number;
  /** Largest `first` a list may ask for. */
  maxPageSize: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 12,
  maxIntrospectionDepth: 15,
  maxAliases: 30,
  maxCost: 50_000,
  maxIntrospectionCost: 100_000,
  maxPageSize: 100,
};

/** Size assumed for a paginated field without `first` (the subgraphs' default page size). */
const DEFAULT_PAGE = 20;
/** Size assumed for a plain list field (children, instructors, ...). */
const PLAIN_LIST = 10;

export interface Analysis {
  /** Deepest nesting of data fields. */
  depth: number;
  /** Deepest nesting under __schema / __type (0 without introspection). */
  introspectionDepth: number;
  aliases: number;
  /** Estimated cost of data fields. */
  cost: number;
  /** Estimated cost of the fields under __schema / __type. */
  introspectionCost: number;
  /** The largest `first` asked for, with the field it was on. */
  largestPage: { field: string; size: number } | null;
}

function isList(type: GraphQLOutputType | null | undefined): boolean {
  if (!type) return false;
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function intValue(node: ValueNode, variables: Record<string, unknown>, defaults: Map<string, ValueNode>): number | null {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const name = node.name.value;
    // An absent variable takes the operation's default (`$n: Int = 100`): the size it will run with.
    if (!(name in variables)) {
      const d = defaults.get(name);
      return d?.kind === Kind.INT ? Number(d.value) : null;
    }
    const v = variables[name];
    return typeof v === 'number' ? v : null;
  }
  return null;
}

/**
 * Depth, aliases and an estimated cost of one operation: every field costs 1 times the sizes of
 * the lists around it; a field with `first` counts as that many items (its `nodes` then count
 * once), a plain list as 10. Fragments are followed as written. Introspection (__schema,
 * __type and everything under them) is counted the same way, apart (issue 17: it was exempt,
 * and a depth-23 `__type` query was answered).
 */
export function analyze(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}): Analysis {
  const typeInfo = new TypeInfo(schema);
  const multipliers: number[] = [1];
  const paged: boolean[] = [false];
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
  let depth = 0;
  let maxDepth = 0;
  let maxIntrospectionDepth = 0;
  /** The depth at which an introspection field was entered; 0 outside introspection. */
  let introspectionAt = 0;
  let aliases = 0;
  let cost = 0;
  let introspectionCost = 0;
  let largestPage: Analysis['largestPage'] = null;
  let defaults = new Map<string, ValueNode>();
  const visitor = visitWithTypeInfo(typeInfo, {
    Field: {
      enter(node: FieldNode) {
        depth++;
        if (!introspectionAt && (node.name.value === '__schema' || node.name.value === '__type')) introspectionAt = depth;
        if (introspectionAt) maxIntrospectionDepth = Math.max(maxIntrospectionDepth, depth);
        else maxDepth = Math.max(maxDepth, depth);
        if (node.alias) aliases++;
        const firstArg = node.arguments?.find((a) => a.name.value === 'first');
        let factor = 1;
        if (firstArg) {
          const size = intValue(firstArg.value, variables, defaults) ?? DEFAULT_PAGE;
          if (!largestPage || size > largestPage.size) largestPage = { field: node.name.value, size };
          factor = Math.max(size, 1);
        } else if (isList(typeInfo.getType()) && !paged[paged.length - 1] && getNamedType(typeInfo.getType())) {
          factor = PLAIN_LIST;
        }
        const m = multipliers[multipliers.length - 1] * factor;
        if (introspectionAt) introspectionCost += multipliers[multipliers.length - 1];
        else cost += multipliers[multipliers.length - 1];
        multipliers.push(m);
        paged.push(!!firstArg);
      },
      leave() {
        if (introspectionAt === depth) introspectionAt = 0;
        depth--;
        multipliers.pop();
        paged.pop();
      },
    },
  });
  // Inline named fragments so their fields count where they are spread.
  const inlined = visit(document, {
    FragmentSpread(node) {
      const f = fragments.get(node.name.value);
      return f ? { kind: Kind.INLINE_FRAGMENT, typeCondition: f.typeCondition, selectionSet: f.selectionSet } : node;
    },
  });
  for (const def of inlined.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    defaults = new Map((def.variableDefinitions ?? []).flatMap((v) => (v.defaultValue ? [[v.variable.name.value, v.defaultValue]] : [])));
    visit(def, visitor);
  }
  return { depth: maxDepth, introspectionDepth: maxIntrospectionDepth, aliases, cost, introspectionCost, largestPage };
}

function tooBig(message: string, fields?: { field: string; message: string }[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 }, ...(fields ? { fields } : {}) } });
}

/** The variables an analysis reads: those given as `first` (the only ones that change it). */
function pageVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.name.value === 'first' && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names];
}

interface CachedAnalyses {
  schema: GraphQLSchema;
  variables: string[];
  byValues: Map<string, Analysis>;
}

/**
 * analyze(), remembered per parsed document (Apollo's document store hands the same
 * DocumentNode to every request with the same text) and per value of its `first` variables.
 */
export function analysisCache(): (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>) => Analysis {
  const cache = new WeakMap<DocumentNode, CachedAnalyses>();
  return (schema, document, variables) => {
    let entry = cache.get(document);
    if (!entry || entry.schema !== schema) {
      entry = { schema, variables: pageVariables(document), byValues: new Map() };
      cache.set(document, entry);
    }
    // Absent and null differ: an absent variable takes its default, a null one does not.
    const key = JSON.stringify(entry.variables.map((v) => (v in variables ? (variables[v] ?? null) : '(absent)')));
    let a = entry.byValues.get(key);
    if (!a) {
      a = analyze(schema, document, variables);
      if (entry.byValues.size >= 64) entry.byValues.clear();
      entry.byValues.set(key, a);
    }
    return a;
  };
}

/**
 * Refuses operations past the limits before they run: at the gateway before any subgraph is
 * called, and in every subgraph, which may be reached directly (issue 17).
 */
export function limitsPlugin<C extends BaseContext = BaseContext>(limits: Limits = DEFAULT_LIMITS): ApolloServerPlugin<C> {
  const analyzeCached = analysisCache();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request, operation }) {
          // Several operations and no operationName, or an unknown one: the client's mistake, 400
          // (the gateway's executor threw it as an internal error, issue 16 item 4).
          if (!operation) {
            const named = request.operationName;
            throw new GraphQLError(
              named ? `Unknown operation named "${named}"` : 'Must provide operation name if query contains multiple operations',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          }
          const a = analyzeCached(schema, document, (request.variables ?? {}) as Record<string, unknown>);
          if (a.depth > limits.maxDepth) throw tooBig(`Query depth ${a.depth} exceeds the limit of ${limits.maxDepth}`);
          if (a.introspectionDepth > limits.maxIntrospectionDepth) {
            throw tooBig(`Introspection depth ${a.introspectionDepth} exceeds the limit of ${limits.maxIntrospectionDepth}`);
          }
          if (a.aliases > limits.maxAliases) throw tooBig(`${a.aliases} aliases exceed the limit of ${limits.maxAliases}`);
          if (a.largestPage && a.largestPage.size > limits.maxPageSize) {
            throw tooBig(`first: ${a.largestPage.size} on ${a.largestPage.field} exceeds the page-size limit of ${limits.maxPageSize}`, [
              { field: 'first', message: `must be an integer from 0 to ${limits.maxPageSize}` },
            ]);
          }
          if (a.cost > limits.maxCost) {
            throw tooBig(
              `Estimated query cost ${a.cost} exceeds the limit of ${limits.maxCost}: ask for smaller pages or fewer nested lists`,
            );
          }
          if (a.introspectionCost > limits.maxIntrospectionCost) {
            throw tooBig(`Estimated introspection cost ${a.introspectionCost} exceeds the limit of ${limits.maxIntrospectionCost}`);
          }
        },
      };
    },
  };
}

/** GRAPHQL_INTROSPECTION=true|false, else off in production and on elsewhere (gateway and subgraphs alike). */
export function introspectionFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.GRAPHQL_INTROSPECTION) return env.GRAPHQL_INTROSPECTION === 'true';
  return env.NODE_ENV !== 'production';
}

/**
 * What a subgraph reached directly accepts: the gateway's depth (plus one, for the `_entities`
 * level the gateway adds), aliases and page size. Cost is the gateway's to estimate: an entity
 * fetch's real size is the number of representations the gateway sends, not the text.
 */
export const SUBGRAPH_LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  maxDepth: DEFAULT_LIMITS.maxDepth + 1,
  maxCost: Number.POSITIVE_INFINITY,
};
