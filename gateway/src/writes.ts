import type { ApolloServerPlugin } from '@apollo/server';
import { afterChangingMutations, type ReadScope } from '@rcsc/service-kit';

/**
 * The gateway's one write epoch (docs/adr/0006): per subgraph, how many mutations through this
 * gateway changed data there. The response cache keeps an answer only while the epochs of the
 * subgraphs it depends on have not moved, and the deduplicating fetcher never gives a request
 * made after a write the answer of one sent before it: a client reads its own writes at once,
 * before the subgraph's change feed says so.
 */
export class WriteEpochs {
  private readonly bySubgraph = new Map<string, number>();
  /** Per subgraph, the writes whose answer did not say what they wrote (the response cache's epochs). */
  private readonly opaque = new Map<string, number>();
  /** Every bump, whatever the subgraph: what a request that cannot name its subgraphs compares. */
  private total = 0;

  /** Every write through this gateway (the fetcher's merge: a request after a write never shares one sent before). */
  of(service: string): number {
    return this.bySubgraph.get(service) ?? 0;
  }

  /** The sum over every subgraph. */
  all(): number {
    return this.total;
  }

  /**
   * Every subgraph's epoch of opaque writes now (never written to: absent, 0): what the response
   * cache compares. A write whose answer said what it wrote reaches the cache through the change
   * feeds' logs instead (ChangeFeeds.learn), and drops only the answers that read it.
   */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.opaque);
  }

  /** Whether none of `services` had an opaque write since `snapshot` was taken. */
  unchangedSince(snapshot: Record<string, number>, services: Iterable<string>): boolean {
    for (const s of services) if ((this.opaque.get(s) ?? 0) !== (snapshot[s] ?? 0)) return false;
    return true;
  }

  /** Writes to `services`; those not in `learned` are opaque (their answers did not say what they wrote). */
  bump(services: Iterable<string>, learned: ReadonlySet<string> = new Set()): void {
    for (const s of services) {
      this.bySubgraph.set(s, this.of(s) + 1);
      if (!learned.has(s)) this.opaque.set(s, (this.opaque.get(s) ?? 0) + 1);
      this.total++;
    }
  }
}

/** What the gateway's context carries for the write epoch: the subgraphs the operation's plan fetches from. */
export interface PlanContext {
  /** Set once the query plan is known; 'all' when the plan could not be read. */
  fetched?: Set<string> | 'all';
  /** Per subgraph, what its answers to this request read (their `extensions.readScope`). */
  reads?: Map<string, ReadScope>;
  /** Subgraphs whose every answer to this mutation said what it wrote, and the gateway learned it. */
  learned?: Set<string>;
  /** Subgraphs with an answer to this mutation that did not. */
  unlearned?: Set<string>;
}

/**
 * Moves the epochs of the subgraphs a mutation fetched from, once it ran and changed data:
 * never for a mutation refused before execution (limits, validation), one whose plan calls no
 * subgraph (`mutation { __typename }`), or one every subgraph refused as a whole (FORBIDDEN or
 * UNAUTHENTICATED and no root field answered: refusals write nothing, not even to the audit log).
 */
export function writesPlugin(epochs: WriteEpochs, allServices: () => string[]): ApolloServerPlugin<PlanContext> {
  return afterChangingMutations<PlanContext>(async ({ contextValue }) => {
    const fetched = contextValue.fetched ?? 'all';
    if (fetched !== 'all' && fetched.size === 0) return;
    const learned = new Set([...(contextValue.learned ?? [])].filter((s) => !contextValue.unlearned?.has(s)));
    epochs.bump(fetched === 'all' ? allServices() : fetched, learned);
  });
}
