import client from 'prom-client';
import type { ApolloServerPlugin } from '@apollo/server';
import type { mongo } from 'mongoose';
import { observeDatabaseCommands } from './db-commands';

/**
 * Prometheus metrics of one process (GET /metrics). One registry per process: tests that run
 * several servers in one process share it, the `service` label tells them apart.
 */
export const metricsRegistry = new client.Registry();

let defaultsCollected = false;
/** Node's own metrics (event-loop lag, heap, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  client.collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });
}

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  httpRequests: new client.Counter({
    name: 'rcsc_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['service', 'route', 'status'] as const,
    registers: [metricsRegistry],
  }),
  httpDuration: new client.Histogram({
    name: 'rcsc_http_request_duration_seconds',
    help: 'HTTP request latency, by route',
    labelNames: ['service', 'route'] as const,
    buckets: seconds,
    registers: [metricsRegistry],
  }),
  operations: new client.Counter({
    name: 'rcsc_graphql_operations_total',
    help: 'GraphQL operations, by operation name and type',
    labelNames: ['service', 'operation', 'type'] as const,
    registers: [metricsRegistry],
  }),
  operationDuration: new client.Histogram({
    name: 'rcsc_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency, by operation name',
    labelNames: ['service', 'operation'] as const,
    buckets: seconds,
    registers: [metricsRegistry],
  }),
  errors: new client.Counter({
    name: 'rcsc_graphql_errors_total',
    help: 'GraphQL errors, by extensions.code',
    labelNames: ['service', 'code'] as const,
    registers: [metricsRegistry],
  }),
  responseCache: new client.Counter({
    name: 'rcsc_response_cache_total',
    help: "The gateway's response cache: answers by x-cache (hit, miss, bypass)",
    labelNames: ['service', 'result'] as const,
    registers: [metricsRegistry],
  }),
  subgraphRequests: new client.Counter({
    name: 'rcsc_subgraph_requests_total',
    help: "The gateway's requests to each subgraph, by HTTP status (or 'unreachable')",
    labelNames: ['subgraph', 'status'] as const,
    registers: [metricsRegistry],
  }),
  subgraphDuration: new client.Histogram({
    name: 'rcsc_subgraph_request_duration_seconds',
    help: "The gateway's request latency to each subgraph",
    labelNames: ['subgraph'] as const,
    buckets: seconds,
    registers: [metricsRegistry],
  }),
  dbCommands: new client.Histogram({
    name: 'rcsc_db_command_duration_seconds',
    help: 'Database command latency, by command and outcome',
    labelNames: ['service', 'command', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [metricsRegistry],
  }),
};

/** Operation names come from clients: at most this many distinct ones get their own series. */
const MAX_OPERATION_NAMES = 200;
const seenOperations = new Set<string>();
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!/^[A-Za-z_][\w]{0,63}$/.test(name)) return 'other';
  if (!seenOperations.has(name)) {
    if (seenOperations.size >= MAX_OPERATION_NAMES) return 'other';
    seenOperations.add(name);
  }
  return name;
}

/** Counts every operation, its latency and its errors by code. */
export function metricsPlugin(service: string): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) metrics.errors.inc({ service, code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
        async willSendResponse({ operationName, operation }) {
          const label = operationLabel(operationName ?? operation?.name?.value);
          metrics.operations.inc({ service, operation: label, type: operation?.operation ?? 'invalid' });
          metrics.operationDuration.observe({ service, operation: label }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

/** A fetch that records each call's status and latency under the subgraph's name. */
export function measuredFetch<I, R extends { status: number }>(
  subgraph: string,
  fetcher: (url: string, init?: I) => Promise<R>,
): (url: string, init?: I) => Promise<R> {
  return async (url: string, init?: I) => {
    const end = metrics.subgraphDuration.startTimer({ subgraph });
    try {
      const res = await fetcher(url, init);
      metrics.subgraphRequests.inc({ subgraph, status: String(res.status) });
      return res;
    } catch (err) {
      metrics.subgraphRequests.inc({ subgraph, status: 'unreachable' });
      throw err;
    } finally {
      end();
    }
  };
}

/** Database command latency (pool wait included), by command and outcome. */
export function measureDatabaseCommands(service: string, client: mongo.MongoClient): void {
  observeDatabaseCommands(client, ({ commandName }) => {
    const end = metrics.dbCommands.startTimer({ service, command: commandName });
    return (failure) => end({ outcome: failure ? 'error' : 'ok' });
  });
}
