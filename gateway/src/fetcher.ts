import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';

/** What the data sources send: Apollo's RemoteGraphQLDataSource passes the headers as a plain object. */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A subgraph request: a fetch whose answer is a SubgraphResponse. */
export type Fetch = (url: string, init?: FetchInit) => Promise<SubgraphResponse>;

/** A response's headers, read-only, with the lookups Apollo's FetcherHeaders declares. */
export class ResponseHeaders implements Iterable<[string, string]> {
  private readonly map = new Map<string, string>();
  /** From undici's response headers (lower-case names; a repeated header as a list). */
  constructor(headers: Record<string, string | string[] | undefined>) {
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) this.map.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v);
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  forEach(fn: (value: string, name: string) => void): void {
    this.map.forEach(fn);
  }
  entries() {
    return this.map.entries();
  }
  keys() {
    return this.map.keys();
  }
  values() {
    return this.map.values();
  }
  [Symbol.iterator]() {
    return this.map.entries();
  }
}

/**
 * A subgraph's answer with its body already read (subgraph answers are JSON of bounded size):
 * what Apollo's data sources read of a fetch Response (status, headers, text/json, clone), without
 * the WHATWG streams behind one, and shareable between the callers of a merged request.
 */
export class SubgraphResponse {
  readonly ok: boolean;
  readonly statusText: string;
  readonly redirected = false;
  readonly bodyUsed = false;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: ResponseHeaders,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? '';
  }
  async text(): Promise<string> {
    return this.body;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.body);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  clone(): SubgraphResponse {
    return this;
  }
}

/**
 * Subgraph requests on a keep-alive connection pool (reusing connections roughly doubles gateway
 * throughput against the default fetcher: stack.md, ~400 -> ~770 req/s here), through undici's
 * `request` rather than its `fetch`: a quarter of the CPU per request (docs/performance.md).
 */
export function keepAliveFetcher(connections = 64): Fetch {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections, pipelining: 1 });
  return async (url, init) => {
    const res = await request(url, {
      method: (init?.method ?? 'GET') as 'GET',
      headers: init?.headers,
      body: init?.body,
      dispatcher,
    });
    return new SubgraphResponse(url, res.statusCode, new ResponseHeaders(res.headers), await res.body.text());
  };
}

/** A request header, whatever its case. */
function headerOf(init: FetchInit | undefined, name: string): string | undefined {
  for (const [k, v] of Object.entries(init?.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Statuses of a load balancer or a replica that did not handle the request (nginx: no upstream left, a replica stopping). */
const RETRIED_STATUSES = new Set([502, 503, 504]);

/**
 * Retries a subgraph request that failed before a replica answered it (the connection failed,
 * or the load balancer answered 502/503/504), only where that is safe: a query, or a mutation
 * carrying an `Idempotency-Key` (the subgraph applies it once and answers a retry from the first
 * answer). `delaysMs`: the waits before each retry. A replica killed mid-request is then
 * invisible to the caller: the load balancer sends the retry to another replica.
 */
export function retryingFetcher(
  inner: Fetch,
  delaysMs: readonly number[] = [25, 100, 250, 500, 1000, 2000],
): Fetch & { retries(): number } {
  let retries = 0;
  const fetcher = async (url: string, init?: FetchInit): Promise<SubgraphResponse> => {
    const body = typeof init?.body === 'string' ? init.body : null;
    const safe = body !== null && (isQuery(body) || headerOf(init, 'idempotency-key') !== undefined);
    for (let attempt = 0; ; attempt++) {
      const last = !safe || attempt >= delaysMs.length;
      try {
        const res = await inner(url, init);
        if (last || !RETRIED_STATUSES.has(res.status)) return res;
      } catch (err) {
        if (last) throw err;
      }
      retries++;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  };
  return Object.assign(fetcher, { retries: () => retries });
}

/** A read-only operation, the only kind safe to share between callers. */
function isQuery(body: string): boolean {
  // What the gateway sends starts with the operation's text: decided without parsing the body
  // (each subgraph request asks twice: the retries and the merge).
  if (body.startsWith('{"query":"query') || body.startsWith('{"query":"{')) return true;
  if (body.startsWith('{"query":"mutation')) return false;
  try {
    const { query } = JSON.parse(body) as { query?: string };
    return typeof query === 'string' && /^\s*(query\b|\{)/.test(query);
  } catch {
    return false;
  }
}

/**
 * Merges identical in-flight subgraph requests, the gateway's one in-flight merge (the response
 * cache has none of its own): while one query with the same URL, body and Authorization is on
 * its way, later callers wait for its answer instead of sending it again (a burst of the same
 * page asks the subgraph once, whether or not the response cache is on). Mutations are never
 * merged; nothing is kept after the answer arrives. `generation(url)` (the write epoch of the
 * subgraph at `url`, see writes.ts) is part of the key: a request made after a write there
 * never takes the answer of one sent before it.
 */
export function dedupingFetcher(
  inner: Fetch,
  generation: (url: string) => number = () => 0,
): Fetch & { inFlight(): number; merged(): number } {
  const pending = new Map<string, Promise<SubgraphResponse>>();
  let merged = 0;
  const fetcher = async (url: string, init?: FetchInit): Promise<SubgraphResponse> => {
    const body = typeof init?.body === 'string' ? init.body : null;
    if (!body || (init?.method ?? 'POST') !== 'POST' || !isQuery(body)) return inner(url, init);
    const key = `${generation(url)}\n${url}\n${headerOf(init, 'authorization') ?? ''}\n${body}`;
    let shared = pending.get(key);
    if (shared) merged++;
    else {
      // Answers are read whole and never changed by their readers: every caller may share one.
      shared = inner(url, init).finally(() => pending.delete(key));
      pending.set(key, shared);
    }
    return shared;
  };
  return Object.assign(fetcher, { inFlight: () => pending.size, merged: () => merged });
}
