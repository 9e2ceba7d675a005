import type { ApolloServerPlugin } from '@apollo/server';
import { changedNothing } from '@rcsc/service-kit';

/**
 * The gateway's one write epoch (docs/adr/0006): per subgraph, how many mutations through this
 * gateway changed data there. The response cache keeps an answer only while the epochs of the
 * subgraphs it depends on have not moved, and the deduplicating fetcher never gives a request
 * made after a write the answer of one sent before it: a client reads its own writes at once,
 * before the subgraph's change feed says so.
 */
export class WriteEpochs {
  private readonly bySubgraph = new Map<string, number>();
  /** Every bump, whatever the subgraph: what a request that cannot name its subgraphs compares. */
  private total = 0;

  of(service: string): number {
    return this.bySubgraph.get(service) ?? 0;
  }

  /** The sum over every subgraph. */
  all(): number {
    return this.total;
  }

  /** Every subgraph's epoch now (subgraphs never written to are absent: 0). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.bySubgraph);
  }

  /** Whether none of `services` was written to since `snapshot` was taken. */
  unchangedSince(snapshot: Record<string, number>, services: Iterable<string>): boolean {
    for (const s of services) if (this.of(s) !== (snapshot[s] ?? 0)) return false;
    return true;
  }

  bump(services: Iterable<string>): void {
    for (const s of services) {
      this.bySubgraph.set(s, this.of(s) + 1);
      this.total++;
    }
  }
}

/** What the gateway's context carries for the write epoch: the subgraphs the operation's plan fetches from. */
export interface PlanContext {
  /** Set once the query plan is known; 'all' when the plan could not be read. */
  fetched?: Set<string> | 'all';
}

/**
 * Moves the epochs of the subgraphs a mutation fetched from, once it ran and changed data:
 * never for a mutation refused before execution (limits, validation), one whose plan calls no
 * subgraph (`mutation { __typename }`), or one every subgraph refused as a whole (FORBIDDEN or
 * UNAUTHENTICATED and no root field answered: refusals write nothing, not even to the audit log).
 */
export function writesPlugin(epochs: WriteEpochs, allServices: () => string[]): ApolloServerPlugin<PlanContext> {
  return {
    requestDidStart: async () => {
      let executed = false;
      return {
        executionDidStart: async () => {
          executed = true;
        },
        willSendResponse: async ({ operation, contextValue, response }) => {
          if (operation?.operation !== 'mutation' || !executed) return;
          const fetched = contextValue.fetched ?? 'all';
          if (fetched !== 'all' && fetched.size === 0) return;
          if (response.body.kind === 'single' && changedNothing(response.body.singleResult)) return;
          epochs.bump(fetched === 'all' ? allServices() : fetched);
        },
      };
    },
  };
}
