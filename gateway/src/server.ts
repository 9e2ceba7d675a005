import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  Authenticator,
  createLogger,
  injectTraceContext,
  introspectionFromEnv,
  errorLogPlugin,
  formatError,
  measuredFetch,
  requireAuthenticated,
  serveApollo,
  ServiceCredentials,
  ChangeFeeds,
  TREE_VERSION_HEADER,
  CHANGED_EXTENSION,
  parseReadScope,
  READ_SCOPE_EXTENSION,
  unionReadScopes,
  type BumpResult,
  type Logger,
  type RunningServer,
} from '@rcsc/service-kit';
import { explorerRoute } from './explorer';
import { exportRoute } from './export-route';
import { importRoute } from './import-route';
import { corsRoute, subgraphChecks } from './ops';
import { DEFAULT_LIMITS, limitsPlugin, scalarLiteralsRule, supportedOperationsRule, type Limits } from './limits';
import { dedupingFetcher, keepAliveFetcher, retryingFetcher, type Fetch } from './fetcher';
import { SUPERGRAPH_FILE } from './build-supergraph';
import { fetchedServices, ResponseCache, responseCacheConfigFromEnv, viewerKey, type CacheContext } from './response-cache';
import { WriteEpochs, writesPlugin } from './writes';
import { RateLimiter, rateLimitConfigFromEnv, type RateLimitConfig, type RateLimitContext } from './rate-limit';

export interface GatewayContext extends CacheContext, RateLimitContext {
  authorization?: string;
  requestId: string;
  /** The client's `Idempotency-Key`, passed on to the subgraphs (their mutation pipeline applies a retried write once). */
  idempotencyKey?: string;
}

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

/** The subgraph that owns the branch tree and announces its version on its change feed (ADR 0008). */
const TREE_OWNER = 'organizations';

/**
 * The highest branch-tree version any subgraph answered, or organizations' change feed announced
 * (ADR 0008): shared by every data source.
 */
export class TreeVersion {
  value = 0;
  saw(header: string | number | null): void {
    const v = Number(header);
    if (Number.isSafeInteger(v) && v > this.value) this.value = v;
  }
}

/**
 * Passes the caller's Authorization header, the request id and the trace context on to every
 * subgraph, with the tree version every subgraph must have reached before it answers (so a move
 * is followed at once).
 */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly tree: TreeVersion,
    private readonly service: string,
    private readonly feeds: ChangeFeeds,
  ) {
    super(config);
  }

  /**
   * What the subgraph's answer says for the response cache: a query's `readScope` (what it read),
   * a mutation's `changed` (the version its write made, and what it wrote), learned at once.
   */
  override didReceiveResponse({
    response,
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const ext = response.extensions as Record<string, unknown> | undefined;
    if (/^\s*mutation\b/.test(request.query ?? '')) {
      const changed = ext?.[CHANGED_EXTENSION] as BumpResult | undefined;
      const learned = typeof changed?.version === 'string' && typeof changed.scope === 'string' && this.feeds.learn(this.service, changed);
      if (learned) (context.learned ??= new Set()).add(this.service);
      else (context.unlearned ??= new Set()).add(this.service);
    } else {
      const reads = (context.reads ??= new Map());
      reads.set(this.service, unionReadScopes(reads.get(this.service), parseReadScope(ext?.[READ_SCOPE_EXTENSION])));
    }
    return response;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return;
    if (context.authorization) headers.set('authorization', context.authorization);
    headers.set('x-request-id', context.requestId);
    if (context.idempotencyKey !== undefined) headers.set('idempotency-key', context.idempotencyKey);
    if (this.tree.value) headers.set(TREE_VERSION_HEADER, String(this.tree.value));
    // With tracing on, the subgraph's spans become children of this fetch's span (W3C traceparent).
    injectTraceContext(headers);
  }

  override parseBody(response: FetcherResponse, ...rest: unknown[]): Promise<object | string> {
    this.tree.saw(response.headers.get(TREE_VERSION_HEADER));
    return super.parseBody(response, ...(rest as []));
  }

  /**
   * A subgraph answers a bad variable (e.g. an impossible Date) with HTTP 400 and a
   * BAD_USER_INPUT error, and a rejected token with 401: pass those on as the caller's mistakes,
   * with their messages, instead of reporting the subgraph as failing.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    if (response.status === 400 || response.status === 401) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { errors?: { message: string; extensions?: { code?: string; fields?: unknown } }[] } | null;
      const first = body?.errors?.[0];
      const code = first?.extensions?.code;
      const fields = first?.extensions?.fields;
      if (first && (code === 'BAD_USER_INPUT' || code === 'UNAUTHENTICATED'))
        return new GraphQLError(first.message, { extensions: { code, ...(Array.isArray(fields) ? { fields } : {}) } });
    }
    return super.errorFromResponse(response);
  }
}

/** A subgraph that cannot be reached becomes an error naming it, instead of a bare fetch failure. */
function unavailableAs(service: string, fetcher: Fetch): Fetch {
  return async (url, init) => {
    try {
      return await fetcher(url, init);
    } catch (err) {
      throw new GraphQLError(`The ${service} service is unavailable; the other fields are answered`, {
        extensions: { code: 'INTERNAL_SERVER_ERROR', service },
        originalError: err as Error,
      });
    }
  };
}

export interface GatewayOptions {
  /** The composed supergraph; defaults to gateway/supergraph.graphql written at build time. */
  supergraphSdl?: string;
  /** Subgraph URLs by name, overriding those recorded in the supergraph. */
  urls?: Record<string, string>;
  log?: Logger;
  /** Verifies bearer tokens; defaults to Authenticator.fromEnv(). */
  auth?: Authenticator;
  limits?: Limits;
  /** Introspection and the explorer page; default on, except with NODE_ENV=production. */
  introspection?: boolean;
  /**
   * The response cache (docs/adr/0006): default from GATEWAY_RESPONSE_CACHE (on unless "off")
   * and GATEWAY_RESPONSE_CACHE_MB (64); false disables.
   */
  responseCache?: false | { maxBytes?: number; maxAgeMs?: number };
  /** Browser origins allowed by CORS (CORS_ORIGINS); none by default. */
  corsOrigins?: string[];
  /** Largest request body in bytes (BODY_LIMIT_BYTES). */
  maxBodyBytes?: number;
  /** On close, serving on with /ready at 503 this long first (SHUTDOWN_DELAY_MS). */
  shutdownDelayMs?: number;
  /**
   * Per-token request rate and in-flight cost budget (gateway/src/rate-limit.ts): default from
   * GATEWAY_RATE_LIMIT (on unless "off"), GATEWAY_RATE_LIMIT_RPS and GATEWAY_COST_BUDGET; false disables.
   */
  rateLimit?: false | RateLimitConfig;
}

/**
 * What a subgraph's answers depend on besides its own data: every subgraph but organizations
 * learns the branch tree from organizations; reporting reads the other subgraphs through a gateway.
 */
export function impliedDependencies(service: string): string[] | 'all' {
  if (service === 'reporting') return 'all';
  return service === 'organizations' ? [] : ['organizations'];
}

/** GRAPHQL_INTROSPECTION=true|false, else off in production and on elsewhere (shared with the subgraphs). */
export { introspectionFromEnv };

export function loadSupergraph(): string {
  try {
    return readFileSync(SUPERGRAPH_FILE, 'utf8');
  } catch {
    throw new Error(`No supergraph at ${SUPERGRAPH_FILE}: run npm run build first`);
  }
}

export function createGateway(opts: GatewayOptions = {}) {
  const log = opts.log ?? createLogger('gateway');
  const auth = opts.auth ?? Authenticator.fromEnv();
  // Mutations through this gateway that changed data, per subgraph: no answer computed before
  // one is given to a request after it, by the cache or by the fetcher's merge.
  const writes = new WriteEpochs();
  const serviceAt = new Map<string, string>();
  // Queries and keyed mutations that no replica answered are sent again (gateway/src/fetcher.ts).
  const retrying = retryingFetcher(keepAliveFetcher());
  const fetcher = dedupingFetcher(retrying, (url) => {
    const service = serviceAt.get(url);
    return service ? writes.of(service) : writes.all();
  });
  const envCache = responseCacheConfigFromEnv();
  const cacheConfig = opts.responseCache === undefined ? (envCache.enabled ? envCache : false) : opts.responseCache;
  // The gateway subscribes to the subgraphs' feeds as a service (its own SERVICE token, or SERVICE_TOKEN).
  const serviceCredentials = new ServiceCredentials(auth, 'gateway');
  // Every subgraph's feed for the cache; organizations' always: it announces the tree version.
  const feeds = new ChangeFeeds({ log, authorization: () => serviceCredentials.authorization() });
  const cache = cacheConfig
    ? new ResponseCache({
        feeds,
        writes,
        maxBytes: cacheConfig.maxBytes ?? envCache.maxBytes,
        maxAgeMs: cacheConfig.maxAgeMs ?? envCache.maxAgeMs,
        impliedBy: impliedDependencies,
      })
    : null;
  // Operations: the subgraphs /ready checks, CORS (gateway/src/ops.ts).
  const subgraphUrls = new Map<string, string>();
  const treeVersion = new TreeVersion();
  feeds.onTree = (version) => treeVersion.saw(version);
  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl ?? loadSupergraph(),
    buildService: ({ name, url }) => {
      const target = opts.urls?.[name] ?? url;
      if (target) serviceAt.set(target, name);
      if (target && (cache || name === TREE_OWNER)) feeds.follow(name, target);
      if (target) subgraphUrls.set(name, target);
      return new ForwardingDataSource(
        { url: target, fetcher: unavailableAs(name, measuredFetch(name, fetcher)) as never },
        treeVersion,
        name,
        feeds,
      );
    },
    logger: log,
    // The subgraphs an operation fetches from: what a cached answer depends on, what a mutation may change.
    experimental_didResolveQueryPlan: ({ queryPlan, requestContext }) => {
      (requestContext.context as GatewayContext).fetched = fetchedServices(queryPlan as never);
    },
  });
  const introspection = opts.introspection ?? introspectionFromEnv();
  const rateConfig = opts.rateLimit === undefined ? rateLimitConfigFromEnv() : opts.rateLimit;
  const rateLimiter = rateConfig ? new RateLimiter(rateConfig) : null;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // A subgraph that cannot be reached is named (nothing internal): the rest of the answer stands.
    formatError,
    includeStacktraceInErrorResponses: false,
    // stopOnSignals drains requests, closes the database and flushes traces; Apollo's own handler
    // stopped the server and re-sent SIGTERM to the process, killing it before any of that.
    stopOnTerminationSignals: false,
    introspection,
    validationRules: [supportedOperationsRule, scalarLiteralsRule()],
    // Browsers may not send simple (CSRF-able) requests: a JSON content type or a preflight header is required.
    csrfPrevention: true,
    // The cache plugin comes after the limits: a refused operation never gets a cached answer.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      errorLogPlugin<GatewayContext>(log),
      writesPlugin(writes, () => [...new Set(serviceAt.values())]) as ApolloServerPlugin<GatewayContext>,
      limitsPlugin(opts.limits ?? DEFAULT_LIMITS),
      ...(rateLimiter ? [rateLimiter.plugin() as ApolloServerPlugin<GatewayContext>] : []),
      ...(cache ? [cache.plugin() as ApolloServerPlugin<GatewayContext>] : []),
    ],
  });
  return {
    apollo,
    gateway,
    fetcher,
    /** Subgraph requests sent again after no replica answered them. */
    retries: () => retrying.retries(),
    /** The write epochs (mutations through this gateway that changed data, per subgraph). */
    writes,
    /** The per-token rate limiter, null when disabled. */
    rateLimiter,
    /** The response cache, null when disabled. */
    cache,
    /** The subgraphs' change feeds (only organizations', for the tree version, when the cache is disabled). */
    feeds,
    async listen(port: number, host?: string): Promise<RunningServer> {
      const running = await serveApollo({
        apollo,
        log,
        port,
        host,
        routes: [
          ...(opts.corsOrigins?.length ? [corsRoute(opts.corsOrigins)] : []),
          exportRoute(apollo, auth),
          // POST /imports/<register>: bulk-import files streamed to the owning subgraph (import-route.ts).
          importRoute({ auth, urls: subgraphUrls, writes, treeVersion, rateLimiter, log }),
          ...(introspection ? [explorerRoute()] : []),
        ],
        checks: subgraphChecks(subgraphUrls),
        maxBodyBytes: opts.maxBodyBytes,
        shutdownDelayMs: opts.shutdownDelayMs,
        // Anonymous callers get nothing but /health, /ready and the explorer page: the token is
        // verified here and again by every subgraph.
        context: async (req: IncomingMessage, requestId: string): Promise<GatewayContext> => {
          const { viewer, claims } = await auth.authenticate(req.headers);
          requireAuthenticated(viewer);
          const rateKey = rateLimiter ? RateLimiter.keyOf(req.headers.authorization, viewer.roles) : null;
          await rateLimiter?.admit(rateKey);
          const idempotencyKey = req.headers['idempotency-key'];
          return {
            authorization: req.headers.authorization,
            requestId,
            ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
            ...(rateKey ? { rateKey } : {}),
            ...(cache ? { viewerKey: viewerKey(claims) } : {}),
          };
        },
      });
      return {
        ...running,
        async close() {
          await running.close();
          await feeds.close();
        },
      };
    },
  };
}
export { composeSupergraph } from './compose';
