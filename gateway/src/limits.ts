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
import type { ApolloServerPlugin } from '@apollo/server';

export interface Limits {
  /** Deepest field nesting allowed. */
  maxDepth: number;
  /** Most aliased fields in one operation (aliases multiply work without multiplying text). */
  maxAliases: number;
  /** Highest estimated cost: fields weighted by the list sizes around them. */
  maxCost: number;
  /** Largest `first` a list may ask for. */
  maxPageSize: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 12, maxAliases: 30, maxCost: 50_000, maxPageSize: 100 };

/** Size assumed for a paginated field without `first` (the subgraphs' default page size). */
const DEFAULT_PAGE = 20;
/** Size assumed for a plain list field (children, instructors, ...). */
const PLAIN_LIST = 10;

export interface Analysis {
  depth: number;
  aliases: number;
  cost: number;
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
 * once), a plain list as 10. Fragments are followed as written.
 */
export function analyze(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}): Analysis {
  const typeInfo = new TypeInfo(schema);
  const multipliers: number[] = [1];
  const paged: boolean[] = [false];
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
  let depth = 0;
  let maxDepth = 0;
  let aliases = 0;
  let cost = 0;
  let largestPage: Analysis['largestPage'] = null;
  let defaults = new Map<string, ValueNode>();
  const visitor = visitWithTypeInfo(typeInfo, {
    Field: {
      enter(node: FieldNode) {
        // Introspection (__schema, __type) is bounded by the schema itself, and switchable off.
        if (node.name.value === '__schema' || node.name.value === '__type') return false;
        depth++;
        maxDepth = Math.max(maxDepth, depth);
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
        cost += multipliers[multipliers.length - 1];
        multipliers.push(m);
        paged.push(!!firstArg);
      },
      leave() {
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
  return { depth: maxDepth, aliases, cost, largestPage };
}

function tooBig(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
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

/** Refuses operations past the limits before any subgraph is called. */
export function limitsPlugin(limits: Limits = DEFAULT_LIMITS): ApolloServerPlugin {
  const analyzeCached = analysisCache();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request }) {
          const a = analyzeCached(schema, document, (request.variables ?? {}) as Record<string, unknown>);
          if (a.depth > limits.maxDepth) throw tooBig(`Query depth ${a.depth} exceeds the limit of ${limits.maxDepth}`);
          if (a.aliases > limits.maxAliases) throw tooBig(`${a.aliases} aliases exceed the limit of ${limits.maxAliases}`);
          if (a.largestPage && a.largestPage.size > limits.maxPageSize) {
            throw tooBig(`first: ${a.largestPage.size} on ${a.largestPage.field} exceeds the page-size limit of ${limits.maxPageSize}`);
          }
          if (a.cost > limits.maxCost) {
            throw tooBig(
              `Estimated query cost ${a.cost} exceeds the limit of ${limits.maxCost}: ask for smaller pages or fewer nested lists`,
            );
          }
        },
      };
    },
  };
}
