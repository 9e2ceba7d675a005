import { Agent, fetch as undiciFetch } from 'undici';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * A fetch on a keep-alive connection pool: reusing connections to subgraphs roughly doubles
 * gateway throughput against the default fetcher (stack.md: ~400 -> ~770 req/s here).
 */
export function keepAliveFetcher(connections = 64): Fetch {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections, pipelining: 1 });
  return ((url: string, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Fetch;
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
  const fetcher = async (url: string, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? init.body : null;
    const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
    const safe = body !== null && (isQuery(body) || headers.has('idempotency-key'));
    for (let attempt = 0; ; attempt++) {
      const last = !safe || attempt >= delaysMs.length;
      try {
        const res = await inner(url, init);
        if (last || !RETRIED_STATUSES.has(res.status)) return res;
        await res.body?.cancel();
      } catch (err) {
        if (last) throw err;
      }
      retries++;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  };
  return Object.assign(fetcher, { retries: () => retries });
}

interface Shared {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

/** A read-only operation, the only kind safe to share between callers. */
function isQuery(body: string): boolean {
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
  const pending = new Map<string, Promise<Shared>>();
  let merged = 0;
  const fetcher = async (url: string, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? init.body : null;
    if (!body || (init?.method ?? 'POST') !== 'POST' || !isQuery(body)) return inner(url, init);
    const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
    const key = `${generation(url)}\n${url}\n${headers.get('authorization') ?? ''}\n${body}`;
    let shared = pending.get(key);
    if (shared) merged++;
    else {
      shared = (async () => {
        try {
          const res = await inner(url, init);
          return { status: res.status, statusText: res.statusText, headers: [...res.headers], body: await res.text() };
        } finally {
          pending.delete(key);
        }
      })();
      pending.set(key, shared);
    }
    const s = await shared;
    return new Response(s.body, { status: s.status, statusText: s.statusText, headers: s.headers });
  };
  return Object.assign(fetcher, { inFlight: () => pending.size, merged: () => merged });
}
