import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type DocumentNode } from 'graphql';
import { makeFormatError } from './errors';
import type { Logger } from './logger';
import { serveApollo, type RunningServer } from './http';
import { viewerFromHeaders, type Viewer } from './viewer';

/**
 * Reads a service's schema (src/schema.graphql, the source of truth) from the compiled
 * dist/ or from src/ under ts-jest: both sit one level below the package root.
 */
export function readSchema(dirname: string): string {
  return readFileSync(join(dirname, '..', 'src', 'schema.graphql'), 'utf8');
}

export interface BaseRequestContext extends BaseContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
}

export interface SubgraphDefinition<C extends BaseRequestContext> {
  name: string;
  typeDefs: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any> | GraphQLResolverMap<any>[];
  log: Logger;
  /** Builds the per-request context (loaders, models) around the common part. */
  context: (base: BaseRequestContext) => C | Promise<C>;
}

export interface Subgraph<C extends BaseRequestContext> {
  name: string;
  typeDefs: string;
  document: DocumentNode;
  apollo: ApolloServer<C>;
  /** Builds a context as a request would (for tests using apollo.executeOperation). */
  createContext(viewer?: Viewer, requestId?: string): Promise<C>;
  listen(port: number, host?: string): Promise<RunningServer>;
}

export function createSubgraph<C extends BaseRequestContext>(def: SubgraphDefinition<C>): Subgraph<C> {
  const document = parse(def.typeDefs);
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema({ typeDefs: document, resolvers: def.resolvers as never }),
    formatError: makeFormatError(def.log),
    includeStacktraceInErrorResponses: false,
    // Subgraphs are reached by the gateway with JSON POSTs; CSRF checks belong to the gateway.
    csrfPrevention: false,
    // Traces are for Apollo's hosted studio, which this deployment does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const createContext = async (viewer: Viewer = viewerFromHeaders({}), requestId = 'local') =>
    def.context({ viewer, requestId, log: def.log.child({ requestId }) });
  return {
    name: def.name,
    typeDefs: def.typeDefs,
    document,
    apollo,
    createContext,
    listen: (port, host) =>
      serveApollo({
        apollo,
        log: def.log,
        port,
        host,
        context: (req: IncomingMessage, requestId: string) => createContext(viewerFromHeaders(req.headers), requestId),
      }),
  };
}
