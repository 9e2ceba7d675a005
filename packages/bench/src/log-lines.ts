/**
 * The request id the bench sends with every request. Both gateways pass it on to the subgraphs
 * (ours always, Hive by the config in stack.ts), so a subgraph's log tells the bench's requests
 * from the subgraphs' own background calls: the reorganization followers ask organizations
 * every 500 ms (ADR 0008). Those are neither counted as the bench's cost nor keep `settle` from
 * seeing quiet.
 */
export const BENCH_REQUEST_ID = 'bench';

/** How many of these subgraph log lines (pino JSON, one per line) are GraphQL requests the bench sent. */
export function countBenchRequests(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (!line.includes('"msg":"request"')) continue;
    let entry: { msg?: string; path?: string; requestId?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.msg === 'request' && entry.path === '/graphql' && entry.requestId === BENCH_REQUEST_ID) n++;
  }
  return n;
}
