import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type DocumentNode } from 'graphql';
import type { Connection } from 'mongoose';
import { badInput, errorLogPlugin, formatError } from './errors';
import { IDEMPOTENCY_HEADER, writtenScope, type IdempotencyKey } from './mutation';
import { createLogger, type Logger } from './logger';
import { sendJson, serveApollo, type Route, type RunningServer, type ServeOptions } from './http';
import { introspectionFromEnv, limitsPlugin, SUBGRAPH_LIMITS, type Limits } from './limits';
import { anonymousViewer, type Viewer } from './viewer';
import { Authenticator, requireAuthenticated } from './auth';
import { importRoute, type ImportMutation } from './imports';
import { bumpAfterMutations, ChangeFeed, maxStreamsFromEnv, mongoVersionStore, type VersionStore } from './change-feed';
import { formatWriteScope, readScopePlugin } from './change-scope';

/** The @shareable types every subgraph declares identically (PageInfo, the audit log's). */
export const SHARED_SCHEMA_FILE = join(__dirname, '..', 'src', 'shared.graphql');

/** A subgraph's full SDL: its own schema file plus the shared types. */
export function readSchemaFile(schemaFile: string): string {
  return `${readFileSync(schemaFile, 'utf8')}\n${readFileSync(SHARED_SCHEMA_FILE, 'utf8')}`;
}

/**
 * Reads a service's schema (src/schema.graphql, the source of truth, plus the shared types)
 * from the compiled dist/ or from src/ under ts-jest: both sit one level below the package root.
 */
export function readSchema(dirname: string): string {
  return readSchemaFile(join(dirname, '..', 'src', 'schema.graphql'));
}

export interface BaseRequestContext extends BaseContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  /** Set by organizations when the request changed the tree: the tree version it committed. */
  treeVersion?: number;
  /** A mutation's `Idempotency-Key` and its request's fingerprint (the mutation pipeline uses them). */
  idempotency?: IdempotencyKey;
}

/** What an `Idempotency-Key` may be: 1-200 visible ASCII characters (a UUID, say). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * A mutation sent with `Idempotency-Key` (by a client through the gateway, which forwards it):
 * the key and a fingerprint of the request (document, operation name, variables) go on the
 * context, so the mutation pipeline answers a retry from the first answer and refuses the key
 * with another request (BAD_USER_INPUT naming Idempotency-Key). Ignored on queries.
 */
export function idempotencyPlugin<C extends BaseRequestContext>(): ApolloServerPlugin<C> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ request, operation, contextValue }) => {
        const key = request.http?.headers.get(IDEMPOTENCY_HEADER);
        if (key === undefined || operation?.operation !== 'mutation') return;
        if (!IDEMPOTENCY_KEY.test(key)) {
          // Refused before execution: HTTP 400, which the gateway passes on as the caller's mistake.
          const err = badInput('Idempotency-Key', 'must be 1-200 visible ASCII characters (a UUID, say)');
          err.extensions.http = { status: 400 };
          throw err;
        }
        const fingerprint = createHash('sha256')
          .update(JSON.stringify([request.query ?? '', request.operationName ?? null, request.variables ?? {}]))
          .digest('base64url');
        contextValue.idempotency = { key, fingerprint };
      },
    }),
  };
}

/**
 * The branch tree's version (organizations' reorganization number) a request must see: the
 * organizations subgraph answers it after a reorganization, the gateway remembers the highest
 * and sends it with every subgraph request, and a subgraph behind it catches up before it serves
 * (ADR 0008), so access follows a move with no window through that gateway.
 */
export const TREE_VERSION_HEADER = 'x-tree-version';

export interface SubgraphDefinition<C extends BaseRequestContext> {
  name: string;
  typeDefs: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any> | GraphQLResolverMap<any>[];
  log: Logger;
  /** Builds the per-request context (loaders, models) around the common part. */
  context: (base: BaseRequestContext) => C | Promise<C>;
  /** Verifies bearer tokens; defaults to Authenticator.fromEnv(). */
  auth?: Authenticator;
  /** Depth, alias and page-size limits; default SUBGRAPH_LIMITS (the gateway's, see limits.ts). */
  limits?: Limits;
  /** Introspection; default from GRAPHQL_INTROSPECTION, else off in production. */
  introspection?: boolean;
  /** Bulk imports taken as file uploads at POST /imports/<register> (imports.ts), by register. */
  imports?: Record<string, ImportMutation>;
  /** The service's own Apollo plugins (e.g. work that runs from the server's start to its stop). */
  plugins?: ApolloServerPlugin<C>[];
  /**
   * The fields ('Type.field') whose values, asked below an Organization, depend on nothing but
   * the records filed in that branch's subtree, read or counted, each with the path it is filed
   * under (the pipeline's pathOf). Declaring them makes answers about one subtree outlive writes
   * in another in the gateway's cache (change-scope.ts); a field declared wrongly serves stale
   * answers, so declare only what the resolvers show.
   */
  subtreeClosed?: readonly string[];
  /**
   * Of those, the fields of the annex tables (Survey, AnnualIncrease) whose value on the table's
   * day depends on nothing but the counters' deltas dated on or before it, and whose writes all
   * go through the mutation pipeline's moveCounters (which reports the first day each changed):
   * answers about an earlier day then outlive writes dated later (change-scope.ts).
   */
  subtreeDated?: readonly string[];
}

/**
 * A GET without a query (a browser, a scanner) gets a plain 404: no landing page naming the
 * server and loading scripts from a CDN (issue 17). GET queries still reach Apollo.
 */
const noLandingPage: Route = (req: IncomingMessage, res: ServerResponse) => {
  if (req.method !== 'GET') return false;
  const url = new URL(req.url ?? '/', 'http://subgraph');
  if ((url.pathname !== '/graphql' && url.pathname !== '/') || url.searchParams.has('query')) return false;
  sendJson(res, 404, { errors: [{ message: 'Not found: send GraphQL operations as POST /graphql', extensions: { code: 'NOT_FOUND' } }] });
  return true;
};

export interface Subgraph<C extends BaseRequestContext> {
  name: string;
  typeDefs: string;
  document: DocumentNode;
  apollo: ApolloServer<C>;
  /** The token verifier this subgraph uses (tests sign their tokens with it). */
  auth: Authenticator;
  /** Builds a context as a request would (for tests using apollo.executeOperation). */
  createContext(viewer?: Viewer, requestId?: string): Promise<C>;
  /**
   * Publishes this service's data version (docs/adr/0006): every mutation bumps it, and
   * listen() serves it at GET /changes. Call before listen(); the boot of every service does.
   */
  enableChangeFeed(db: Connection | VersionStore, opts?: { pollMs?: number; maxStreams?: number }): ChangeFeed;
  /** The change feed, once enabled. */
  readonly changeFeed: ChangeFeed | null;
  /** Waits, before each request that carries a tree version, until this service has applied it. */
  gateTreeVersion(reach: (version: number) => Promise<void>): void;
  /** `serve`: readiness checks, the body limit and the shutdown delay (the boot passes the database check). */
  listen(port: number, host?: string, serve?: Pick<ServeOptions<C>, 'checks' | 'maxBodyBytes' | 'shutdownDelayMs'>): Promise<RunningServer>;
}

export function createSubgraph<C extends BaseRequestContext>(def: SubgraphDefinition<C>): Subgraph<C> {
  const document = parse(def.typeDefs);
  const auth = def.auth ?? Authenticator.fromEnv();
  let feed: ChangeFeed | null = null;
  const closed = def.subtreeClosed ? new Set(def.subtreeClosed) : null;
  let reachTree: ((version: number) => Promise<void>) | null = null;
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema({ typeDefs: document, resolvers: def.resolvers as never }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // stopOnSignals drains requests, closes the database and flushes traces; Apollo's own handler
    // stopped the server and re-sent SIGTERM to the process, killing it before any of that.
    stopOnTerminationSignals: false,
    introspection: def.introspection ?? introspectionFromEnv(),
    // Subgraphs are reached by the gateway with JSON POSTs; CSRF checks belong to the gateway.
    csrfPrevention: false,
    // Traces are for Apollo's hosted studio, which this deployment does not use.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      errorLogPlugin<C>(def.log),
      // Every operation needs an authenticated viewer, even when the subgraph is reached directly.
      { requestDidStart: async () => ({ didResolveOperation: async ({ contextValue }) => requireAuthenticated(contextValue.viewer) }) },
      // The same limits as the gateway's: a subgraph reached directly is no way around them.
      limitsPlugin<C>(def.limits ?? SUBGRAPH_LIMITS),
      idempotencyPlugin<C>(),
      // A mutation that ran (writes and reveals alike; not one refused as a whole) moves the data
      // version, after it ran and outside its transaction, before its answer leaves.
      // Where the service declares its subtree-closed fields, the bump records what the mutation
      // wrote (the records' paths), and the gateway keeps answers about other subtrees.
      bumpAfterMutations<C>(async (ctx) => {
        if (!feed) return null;
        const scope = closed ? formatWriteScope(writtenScope(ctx) ?? '*') : '*';
        const version = await feed.bump(scope);
        return version ? { version, scope } : null;
      }),
      ...(closed ? [readScopePlugin<C>({ closed, dated: new Set(def.subtreeDated ?? []) })] : []),
      {
        requestDidStart: async () => ({
          willSendResponse: async ({ contextValue, response }) => {
            if (contextValue.treeVersion) response.http.headers.set(TREE_VERSION_HEADER, String(contextValue.treeVersion));
          },
        }),
      },
      ...(def.plugins ?? []),
    ],
  });
  const createContext = async (viewer: Viewer = anonymousViewer, requestId = 'local') =>
    def.context({ viewer, requestId, log: def.log.child({ requestId }) });
  return {
    name: def.name,
    typeDefs: def.typeDefs,
    document,
    apollo,
    auth,
    createContext,
    enableChangeFeed(db, opts = {}) {
      const store = 'read' in db && 'bump' in db ? db : mongoVersionStore(db);
      feed = new ChangeFeed({ store, log: def.log, pollMs: opts.pollMs, maxStreams: opts.maxStreams ?? maxStreamsFromEnv() });
      return feed;
    },
    get changeFeed() {
      return feed;
    },
    gateTreeVersion(reach) {
      reachTree = reach;
    },
    async listen(port, host, serve = {}) {
      const changes = feed;
      await changes?.start();
      // Waits until this service has applied the tree version the request carries (ADR 0008).
      const reachWanted = async (req: IncomingMessage) => {
        const wanted = Number(req.headers[TREE_VERSION_HEADER]);
        if (reachTree && Number.isSafeInteger(wanted) && wanted > 0)
          // Organizations unreachable: serve from what was applied (the poll catches up later).
          await reachTree(wanted).catch((err: unknown) => def.log.warn({ err, wanted }, 'could not reach the tree version asked'));
      };
      const uploads = def.imports
        ? [
            importRoute<C>(apollo as never, auth, def.imports, async (viewer, req) => {
              await reachWanted(req);
              return createContext(viewer, String(req.headers['x-request-id'] ?? 'import'));
            }),
          ]
        : [];
      try {
        const running = await serveApollo({
          apollo,
          log: def.log,
          port,
          host,
          routes: [noLandingPage, ...uploads, ...(changes ? [changes.route(auth)] : [])],
          ...serve,
          context: async (req: IncomingMessage, requestId: string) => {
            await reachWanted(req);
            return createContext(await auth.viewer(req.headers), requestId);
          },
        });
        return {
          ...running,
          // Open streams would hold the drain up: end them (and the poller) first.
          async close() {
            changes?.stop();
            await running.close();
          },
        };
      } catch (err) {
        changes?.stop();
        throw err;
      }
    },
  };
}

/** What every service's createServer takes besides its own options (index.ts passes the boot's; tests leave the defaults). */
export interface ServiceOptions {
  /** Default: createLogger(<the service's name>). */
  log?: Logger;
  /** Verifies bearer tokens; default Authenticator.fromEnv() (AUTH_JWT_SECRET or AUTH_JWKS_URL). */
  auth?: Authenticator;
}

/** What makes a service's subgraph, the same in every process: its name, its schema's place, its models and resolvers. */
export interface Service<M> {
  name: string;
  /** The directory of the service's server code (its __dirname): the schema is read beside it (readSchema). */
  dirname: string;
  createModels: (connection: Connection) => M;
  resolvers: SubgraphDefinition<BaseRequestContext>['resolvers'];
}

/** What a service's subgraph adds over its models: its context, and its plugins, imports and subtree-closed fields if any. */
export type ServiceParts<C extends BaseRequestContext> = Pick<
  SubgraphDefinition<C>,
  'context' | 'plugins' | 'imports' | 'subtreeClosed' | 'subtreeDated'
>;

/**
 * A service's subgraph over a database connection, as every createServer returns it: the
 * service's models on it (index.ts and the tests reach them), `parts` built over those models
 * with the log and token verifier the subgraph uses.
 */
export function serviceSubgraph<M, C extends BaseRequestContext>(
  connection: Connection,
  service: Service<M>,
  { log = createLogger(service.name), auth = Authenticator.fromEnv() }: ServiceOptions,
  parts: (models: M, shared: { log: Logger; auth: Authenticator }) => ServiceParts<C>,
): Subgraph<C> & { models: M } {
  const models = service.createModels(connection);
  const subgraph = createSubgraph<C>({
    name: service.name,
    typeDefs: readSchema(service.dirname),
    resolvers: service.resolvers,
    log,
    auth,
    ...parts(models, { log, auth }),
  });
  return Object.assign(subgraph, { models });
}
