import type { IncomingHttpHeaders } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { mongo } from 'mongoose';
import { observeDatabaseCommands } from './db-commands';

/**
 * OpenTelemetry traces (issue 18), off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, with the standard variable names: the OTLP/HTTP
 * exporter reads the endpoint and OTEL_EXPORTER_OTLP_HEADERS itself. One provider per process,
 * registered globally, so @apollo/gateway's own spans (request, plan, fetch per subgraph) join
 * ours; W3C trace context crosses from the gateway to the subgraphs in `traceparent`.
 */
export interface Tracing {
  provider: NodeTracerProvider;
  /** Sends the spans still buffered (tests, and before exit). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let active: Tracing | null = null;

/** Whether spans are recorded in this process: everything below costs nothing while it is off. */
export function tracingEnabled(): boolean {
  return active !== null;
}

export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts tracing for this process when the environment asks for it (see above); null otherwise.
 * `service` names the process unless OTEL_SERVICE_NAME does. A second call returns the first.
 * The SDK and its exporter are loaded only then (a tenth of a second of every start).
 */
export async function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing | null> {
  if (active) return active;
  if (!tracingConfigured(env)) return null;
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor, NodeTracerProvider }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  if (active) return active; // another call finished while these loaded
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  active = {
    provider,
    flush: () => provider.forceFlush(),
    async shutdown() {
      active = null;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  return active;
}

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
};

/**
 * The server span of one HTTP request, a child of the caller's span when its `traceparent`
 * says so (the gateway's fetch to a subgraph); null while tracing is off.
 */
export function startServerSpan(
  service: string,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): { span: Span; context: Context } | null {
  if (!active) return null;
  const parent = propagation.extract(ROOT_CONTEXT, headers, headerGetter);
  const span = trace
    .getTracer(service)
    .startSpan(
      `${method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path, 'rcsc.service': service } },
      parent,
    );
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends a server span with the response status (5xx marks it failed). */
export function endServerSpan(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Writes the active span's trace context into outgoing request headers (the gateway to a subgraph). */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  if (!active) return;
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/** The active trace's id, for log lines; undefined outside a traced request. */
export function currentTraceId(): string | undefined {
  if (!active) return undefined;
  const ctx = trace.getSpan(context.active())?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? ctx.traceId : undefined;
}

/**
 * A span per database command (db-commands.ts): each is a child of the span active when the
 * driver sent it, e.g. the subgraph's request. Nothing is recorded while tracing is off.
 */
export function traceDatabaseCommands(service: string, client: mongo.MongoClient): void {
  if (!active) return;
  const tracer = trace.getTracer(`${service}-mongodb`);
  observeDatabaseCommands(client, ({ commandName, databaseName, collection }) => {
    // readiness probes ping the database: no trace of their own
    if (commandName === 'ping' || !active) return;
    const span = tracer.startSpan(`${commandName} ${databaseName}${collection ? `.${collection}` : ''}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'mongodb',
        'db.namespace': databaseName,
        'db.operation.name': commandName,
        ...(collection ? { 'db.collection.name': collection } : {}),
      },
    });
    return (failure) => {
      if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: String((failure as Error).message ?? failure) });
      span.end();
    };
  });
}
