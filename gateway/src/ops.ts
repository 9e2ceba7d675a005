import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { ReadinessCheck, Route } from '@rcsc/service-kit';

/**
 * CORS for the browser front ends on the allowlist (CORS_ORIGINS), with the `cors` package:
 * preflights are answered here (204), other requests get their Access-Control-* headers and go
 * on. An origin not on the list gets no Access-Control-Allow-Origin, so its browser refuses.
 */
export function corsRoute(origins: string[]): Route {
  const middleware = cors({
    origin: origins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'x-cache', 'content-disposition'],
    maxAge: 600,
  });
  return (req: IncomingMessage, res: ServerResponse) =>
    new Promise<boolean>((resolve, reject) => {
      middleware(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve(false)));
      // A preflight is ended by the middleware without calling next.
      if (res.writableEnded) resolve(true);
    });
}

/**
 * The gateway is ready when every subgraph it calls answers its own /ready (which checks that
 * subgraph's database): one check per subgraph, named after it.
 */
export function subgraphChecks(urls: Map<string, string>): () => Record<string, ReadinessCheck> {
  return () =>
    urls.size
      ? Object.fromEntries([...urls].map(([name, url]) => [name, () => checkSubgraph(url)]))
      : { supergraph: () => Promise.reject(new Error('the supergraph is not loaded yet')) };
}

/** One readiness check per subgraph, named after it (what /ready lists as missing). */
export async function checkSubgraph(url: string): Promise<void> {
  const ready = new URL('/ready', url);
  const res = await fetch(ready, { signal: AbortSignal.timeout(1500) }).catch((err: Error) => {
    throw new Error(`unreachable at ${ready.href} (${err.cause instanceof Error ? err.cause.message : err.message})`);
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { missing?: string[] } | null;
    throw new Error(`not ready (HTTP ${res.status}${body?.missing ? `: ${body.missing.join(', ')} missing` : ''})`);
  }
}
