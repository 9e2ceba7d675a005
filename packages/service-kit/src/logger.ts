import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout; LOG_LEVEL picks the level (silent in tests by default). */
export function createLogger(name: string, level = process.env.LOG_LEVEL): Logger {
  const fallback = process.env.JEST_WORKER_ID ? 'silent' : 'info';
  return pino({ name, level: level ?? fallback, base: { service: name } });
}
