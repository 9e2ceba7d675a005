import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import pretty from 'pino-pretty';
import { currentTraceId } from './tracing';

export type Logger = pino.Logger;

/** The request being served: serveApollo runs each request inside it, so every log line names it. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Where loggers created from now on write instead of stdout (tests read the lines); undefined restores stdout. */
let destination: pino.DestinationStream | undefined;
export function setLogDestination(stream: pino.DestinationStream | undefined): void {
  destination = stream;
}

/** LOG_FORMAT=json|pretty; by default pretty on a terminal, one JSON object per line otherwise. */
export function prettyLogs(env: NodeJS.ProcessEnv = process.env, tty = Boolean(process.stdout.isTTY)): boolean {
  if (env.LOG_FORMAT === 'json') return false;
  if (env.LOG_FORMAT === 'pretty') return true;
  return tty;
}

/**
 * Structured logs on stdout; LOG_LEVEL picks the level (silent in tests by default). Every line
 * written while a request is served carries its requestId (and traceId when tracing is on), errors included.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL): Logger {
  const fallback = process.env.JEST_WORKER_ID ? 'silent' : 'info';
  const options: pino.LoggerOptions = {
    name,
    level: level ?? fallback,
    base: { service: name },
    // The request id, and with tracing on the trace id: one request found in every log and trace.
    mixin: () => {
      const store = requestContext.getStore();
      const traceId = currentTraceId();
      return { ...(store ? { requestId: store.requestId } : {}), ...(traceId ? { traceId } : {}) };
    },
  };
  if (destination) return pino(options, destination);
  // pino-pretty as a plain stream (no worker thread): a development terminal, not a hot path.
  if (prettyLogs())
    // The service shows as the logger's name: "[12:00:00.000] INFO (people): request".
    return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  return pino(options);
}
