import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { todayText, unionReadScopes, type ChangeFeeds, type ReadScope } from '@rcsc/service-kit';
import type { PlanContext, WriteEpochs } from './writes';

/**
 * The gateway's response cache (docs/adr/0006): whole answers to query operations, per viewer,
 * valid while every subgraph they came from still has the data version it had when they were
 * computed, and no mutation through this gateway changed any of them since (the write epochs).
 * Identical requests in flight are merged below, by the deduplicating fetcher, not here.
 */

/** What one request carries for the cache (in the gateway's context). */
export interface CacheRequestState {
  /** `hit`, `miss` or `bypass`, sent as the x-cache header. */
  status: 'hit' | 'miss' | 'bypass';
  key?: string;
  /** Whether a fresh answer may be stored (query, no `Cache-Control: no-store`, every feed known). */
  store?: boolean;
  /** Every subgraph's version before execution (null: its feed was down). */
  versions?: Record<string, string | null>;
  /** The write epochs before execution. */
  epochs?: Record<string, number>;
  /** When the entry would be stored, for the age limit. */
  started?: number;
}

export interface CacheContext extends PlanContext {
  /** The verified claims that shape answers (role, branch, user): part of every key. Unset: never cached. */
  viewerKey?: string;
  cache?: CacheRequestState;
}

interface Entry {
  result: Record<string, unknown>;
  /** Per subgraph it depends on, the version it was computed (or last found still valid) at. */
  versions: Record<string, string>;
  /** Per subgraph it depends on, what it read there: writes elsewhere leave it valid. */
  reads: Record<string, ReadScope>;
  /** The write epochs of the subgraphs in `versions` when the answer was computed. */
  epochs: Record<string, number>;
  bytes: number;
  expires: number;
}

/** A Map in least-recently-used order, bounded by an estimate of its entries' bytes. */
export class ByteLru<V extends { bytes: number }> {
  private readonly map = new Map<string, V>();
  private total = 0;
  constructor(readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: string, value: V): boolean {
    this.delete(key);
    // One entry may take at most a quarter of the cache: a giant answer does not empty it.
    if (value.bytes > this.maxBytes / 4) return false;
    this.map.set(key, value);
    this.total += value.bytes;
    for (const [k, v] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= v.bytes;
    }
    return true;
  }

  delete(key: string): void {
    const v = this.map.get(key);
    if (v === undefined) return;
    this.map.delete(key);
    this.total -= v.bytes;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.total;
  }
}

/** Claims that differ between two tokens of the same person and grant: left out of the key. */
const VOLATILE_CLAIMS = new Set(['exp', 'iat', 'nbf', 'jti']);

/** A stable text of the claims that decide what a viewer may see (role, branch, user, issuer…). */
export function viewerKey(claims: Readonly<Record<string, unknown>>): string {
  const kept = Object.keys(claims)
    .filter((k) => !VOLATILE_CLAIMS.has(k))
    .sort()
    .map((k) => [k, claims[k]]);
  return JSON.stringify(kept);
}

/** Query plan nodes, as far as the cache needs them (@apollo/query-planner's QueryPlan). */
interface PlanNode {
  kind: string;
  serviceName?: string;
  node?: PlanNode;
  nodes?: PlanNode[];
  primary?: { node?: PlanNode };
  deferred?: { node?: PlanNode }[];
  ifClause?: PlanNode;
  elseClause?: PlanNode;
  rest?: PlanNode;
}

/** The subgraphs a plan fetches from; 'all' if the plan has a node this does not know. */
export function fetchedServices(plan: { node?: PlanNode }): Set<string> | 'all' {
  const out = new Set<string>();
  const walk = (n: PlanNode | undefined): boolean => {
    if (!n) return true;
    switch (n.kind) {
      case 'Fetch':
        if (typeof n.serviceName !== 'string') return false;
        out.add(n.serviceName);
        return true;
      case 'Sequence':
      case 'Parallel':
        return (n.nodes ?? []).every(walk);
      case 'Flatten':
        return walk(n.node);
      case 'Defer':
        return walk(n.primary?.node) && (n.deferred ?? []).every((d) => walk(d.node));
      case 'Condition':
        return walk(n.ifClause) && walk(n.elseClause);
      case 'Subscription':
        return walk(n.primary as PlanNode) && walk(n.rest);
      default:
        return false;
    }
  };
  return walk(plan.node) ? out : 'all';
}

export interface ResponseCacheOptions {
  feeds: ChangeFeeds;
  /** Mutations through this gateway that changed data, per subgraph. */
  writes: WriteEpochs;
  /** Bound on the entries' estimated size. */
  maxBytes: number;
  /** An entry is recomputed at least this often (bounds what derived caches in subgraphs may hold back). */
  maxAgeMs?: number;
  /**
   * What else a subgraph's answers depend on: the subgraphs that learn the branch tree from
   * organizations change when it changes; reporting reads every subgraph through a gateway.
   * 'all': every followed subgraph.
   */
  impliedBy?: (service: string) => string[] | 'all';
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  bypasses: number;
  stored: number;
  entries: number;
  bytes: number;
  epoch: number;
}

export class ResponseCache {
  private readonly lru: ByteLru<Entry>;
  private readonly stats = { hits: 0, misses: 0, bypasses: 0, stored: 0 };
  private readonly now: () => number;

  constructor(private readonly opts: ResponseCacheOptions) {
    this.lru = new ByteLru<Entry>(opts.maxBytes);
    this.now = opts.now ?? Date.now;
  }

  /** Counters since start, for tests and logs. */
  snapshotStats(): CacheStats {
    return { ...this.stats, entries: this.lru.size, bytes: this.lru.bytes, epoch: this.opts.writes.all() };
  }

  /** Drops every entry (tests, and an operator's lever). */
  clear(): void {
    this.lru.clear();
  }

  private keyOf(rc: GraphQLRequestContext<CacheContext>): string {
    const day = todayText(new Date(this.now()));
    return createHash('sha256')
      .update(
        JSON.stringify([
          rc.source ?? rc.request.query ?? '',
          rc.request.operationName ?? null,
          rc.request.variables ?? {},
          rc.contextValue.viewerKey,
          // Answers about "today" change at midnight in China.
          day,
        ]),
      )
      .digest('base64url');
  }

  private valid(e: Entry): boolean {
    const services = Object.keys(e.versions);
    if (e.expires <= this.now() || !this.opts.writes.unchangedSince(e.epochs, services)) return false;
    const feeds = this.opts.feeds;
    if (!services.every((s) => feeds.unchangedFor(s, e.versions[s], e.reads[s] ?? '*'))) return false;
    // Still right at the current versions: the next look starts from them.
    for (const s of services) e.versions[s] = feeds.state(s).version ?? e.versions[s];
    return true;
  }

  /**
   * The subgraphs whose versions an answer from `fetched` depends on, with what it read in each;
   * null if one is unknown. A subgraph implied by another (reporting reads the others through a
   * gateway, about the branches it was asked about) is read as widely as the one implying it.
   */
  private dependencies(
    fetched: Set<string> | 'all',
    versions: Record<string, string | null>,
    reads: ReadonlyMap<string, ReadScope> | undefined,
  ): { versions: Record<string, string>; reads: Record<string, ReadScope> } | null {
    const all = Object.keys(versions);
    const deps = new Map<string, ReadScope>();
    const add = (s: string, read: ReadScope): boolean => {
      if (!(s in versions)) return false; // not a followed subgraph: cannot tell when it changes
      const before = deps.get(s);
      // Already depended on with at least this read: nothing new to follow.
      if (before === '*' || (before !== undefined && read !== '*' && [...read].every((id) => before.has(id)))) return true;
      const after = unionReadScopes(before, read);
      deps.set(s, after);
      const implied = this.opts.impliedBy?.(s) ?? [];
      return (implied === 'all' ? all.filter((i) => i !== s) : implied.filter((i) => i in versions)).every((i) => add(i, after));
    };
    if (!(fetched === 'all' ? all : [...fetched]).every((s) => add(s, fetched === 'all' ? '*' : (reads?.get(s) ?? '*')))) return null;
    const out: Record<string, string> = {};
    for (const s of deps.keys()) {
      const v = versions[s];
      if (v === null || v === undefined) return null;
      out[s] = v;
    }
    return { versions: out, reads: Object.fromEntries(deps) };
  }

  plugin(): ApolloServerPlugin<CacheContext> {
    return {
      requestDidStart: async () => ({
        // Runs after the context (the token is verified there) and after didResolveOperation
        // (the limits plugin): a refused request never reaches this.
        responseForOperation: async (rc) => {
          const state: CacheRequestState = { status: 'bypass' };
          rc.contextValue.cache = state;
          if (rc.operation?.operation !== 'query' || !rc.contextValue.viewerKey) return null;
          const control = `${rc.request.http?.headers.get('cache-control') ?? ''},${rc.request.http?.headers.get('pragma') ?? ''}`;
          const noStore = /\bno-store\b/i.test(control);
          const noCache = noStore || /\bno-cache\b/i.test(control);
          const key = this.keyOf(rc);
          if (!noCache) {
            const entry = this.lru.get(key);
            if (entry && this.valid(entry)) {
              state.status = 'hit';
              this.stats.hits++;
              return {
                http: { status: undefined, headers: new HeaderMap([['x-cache', 'hit']]) },
                body: { kind: 'single', singleResult: entry.result },
              };
            }
            if (entry) this.lru.delete(key);
          }
          // The versions before execution: an answer is never marked newer than the data it read.
          const versions = this.opts.feeds.snapshot();
          if (noStore || Object.values(versions).some((v) => v === null)) return null;
          const epochs = this.opts.writes.snapshot();
          Object.assign(state, { status: noCache ? 'bypass' : 'miss', key, store: true, versions, epochs, started: this.now() });
          return null;
        },
        willSendResponse: async (rc) => {
          const state = rc.contextValue.cache;
          const status = state?.status ?? 'bypass';
          if (status === 'hit') return;
          if (status === 'miss') this.stats.misses++;
          else this.stats.bypasses++;
          rc.response.http.headers.set('x-cache', status);
          if (!state?.store || !state.key || !state.versions || !state.epochs) return;
          const body = rc.response.body;
          const usable =
            body.kind === 'single' &&
            !body.singleResult.errors?.length &&
            !!body.singleResult.data &&
            (rc.response.http.status === undefined || rc.response.http.status === 200);
          if (!usable || body.kind !== 'single') return;
          const result = { data: body.singleResult.data } as Record<string, unknown>;
          const deps = this.dependencies(rc.contextValue.fetched ?? 'all', state.versions, rc.contextValue.reads);
          // An answer computed across an opaque write through this gateway to what it read is not kept.
          if (!deps || !this.opts.writes.unchangedSince(state.epochs, Object.keys(deps.versions))) return;
          const epochs = Object.fromEntries(Object.keys(deps.versions).map((s) => [s, state.epochs![s] ?? 0]));
          const bytes = 2 * JSON.stringify(result).length + 200;
          const expires = (state.started ?? this.now()) + (this.opts.maxAgeMs ?? 60_000);
          if (this.lru.set(state.key, { result, ...deps, epochs, bytes, expires })) this.stats.stored++;
        },
      }),
    };
  }
}

/** GATEWAY_RESPONSE_CACHE=off disables; GATEWAY_RESPONSE_CACHE_MB (default 64) bounds it. */
export function responseCacheConfigFromEnv(env: NodeJS.ProcessEnv = process.env): { enabled: boolean; maxBytes: number; maxAgeMs: number } {
  const enabled = !/^(off|false|0|no)$/i.test(env.GATEWAY_RESPONSE_CACHE ?? 'on');
  const mb = Number(env.GATEWAY_RESPONSE_CACHE_MB ?? 64);
  const age = Number(env.GATEWAY_RESPONSE_CACHE_MAX_AGE_S ?? 60);
  if (!(mb > 0)) throw new Error('GATEWAY_RESPONSE_CACHE_MB must be a positive number');
  if (!(age > 0)) throw new Error('GATEWAY_RESPONSE_CACHE_MAX_AGE_S must be a positive number');
  return { enabled, maxBytes: Math.round(mb * 1024 * 1024), maxAgeMs: age * 1000 };
}
