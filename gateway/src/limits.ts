import { getNamedType, GraphQLError, print, type GraphQLScalarType, type ValidationRule, type ValueNode } from 'graphql';
import { scalarResolvers } from '@rcsc/service-kit';

// The operation limits live in service-kit: the gateway and every subgraph apply them (issue 17).
export { analysisCache, analyze, DEFAULT_LIMITS, limitsPlugin, type Analysis, type Limits } from '@rcsc/service-kit';

/**
 * Checks literals written in the query text against the subgraphs' own scalars (Date,
 * DateTime). The supergraph knows these scalars only by name and would let `"2021-13-45"`
 * through to a subgraph, whose validation error the gateway then masked as an internal error
 * (issue 16 item 4): here it is the client's GRAPHQL_VALIDATION_FAILED, before any subgraph is
 * called. Variables are checked by the subgraphs, which answer BAD_USER_INPUT.
 */
/**
 * Refuses an operation whose root type the supergraph does not have (a `subscription`): graphql's
 * validation lets it through and the query planner then threw, which the client saw as an
 * INTERNAL_SERVER_ERROR (issue 16 item 4).
 */
export const supportedOperationsRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation))
      context.reportError(new GraphQLError(`This API has no ${node.operation} operations`, { nodes: node }));
  },
});

export function scalarLiteralsRule(scalars: Record<string, GraphQLScalarType> = scalarResolvers): ValidationRule {
  return (context) => {
    const check = (node: ValueNode) => {
      const type = context.getInputType();
      const scalar = type ? scalars[getNamedType(type).name] : undefined;
      if (!scalar) return;
      try {
        scalar.parseLiteral(node, undefined);
      } catch (err) {
        context.reportError(
          new GraphQLError(`Expected value of type "${String(type)}", found ${print(node)}; ${(err as Error).message}`, { nodes: node }),
        );
      }
    };
    return { StringValue: check, IntValue: check, FloatValue: check, BooleanValue: check, EnumValue: check };
  };
}
