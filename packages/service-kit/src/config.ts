import { z } from 'zod';
import { readEnv } from './env';
import { MAX_PAGE_SIZE } from './pagination';

/**
 * Every environment variable the processes read, in one place: each process validates its own
 * at boot (a wrong value stops it with a message naming the variable), the compose file's test
 * checks every service's environment against the same schemas, and docs/deployment.md lists them.
 */
const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const url = z.string().url();
const flag = z.enum(['true', 'false']);
/** The OTLP/HTTP exporter's endpoints ("collector:4318" parses as a URL of scheme "collector:"). */
const httpUrl = url.regex(/^https?:\/\//, 'an http:// or https:// URL');

export const COMMON_ENV = {
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  AUTH_JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  AUTH_JWKS_URL: url.optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Largest request body, bytes. */
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  /** On SIGTERM, how long to go on serving with /ready at 503 before closing (the load balancer's time to notice). */
  SHUTDOWN_DELAY_MS: int(0, 0, 120_000),
  // OpenTelemetry traces (service-kit tracing.ts), the standard names: off unless an endpoint is set.
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .regex(/^([^=,\s]+=[^,]*)(,\s*[^=,\s]+=[^,]*)*$/, 'key=value pairs separated by commas')
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_SDK_DISABLED: flag.optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).optional(),
};

export const SUBGRAPH_ENV = {
  ...COMMON_ENV,
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI')
    .optional(),
  /** Where an embedded server started by the process itself keeps its files (development). */
  EMBEDDED_MONGO_DBPATH: z.string().optional(),
  PERSONAL_DATA_KEY: z.string().optional(),
  SERVICE_TOKEN: z.string().optional(),
  ORGANIZATIONS_URL: url.optional(),
  /** reporting: the gateway it reads live table values through. */
  GATEWAY_URL: url.optional(),
  /** people: the grassroots subgraph it checks unit references against. */
  GRASSROOTS_URL: url.optional(),
};

export const GATEWAY_ENV = {
  ...COMMON_ENV,
  ORGANIZATIONS_URL: url.optional(),
  GRASSROOTS_URL: url.optional(),
  PEOPLE_URL: url.optional(),
  TRAINING_URL: url.optional(),
  REPORTING_URL: url.optional(),
  /** Comma-separated origins allowed by CORS, e.g. https://app.example.org,http://localhost:5173. */
  CORS_ORIGINS: z.string().optional(),
  GRAPHQL_INTROSPECTION: flag.optional(),
  GATEWAY_RESPONSE_CACHE: z.enum(['on', 'off']).optional(),
  GATEWAY_RESPONSE_CACHE_MB: z.coerce.number().positive().optional(),
  GATEWAY_RESPONSE_CACHE_MAX_AGE_S: z.coerce.number().positive().optional(),
  /** Key of the signed /export download links (default: derived from AUTH_JWT_SECRET); their life in seconds. */
  EXPORT_LINK_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  EXPORT_LINK_TTL_S: int(300, 10, 3600),
  GATEWAY_MAX_DEPTH: int(12, 1, 100),
  GATEWAY_MAX_ALIASES: int(30, 0, 1000),
  GATEWAY_MAX_COST: int(50_000, 1, 100_000_000),
  // Above the subgraphs' own hard maximum every larger page would be refused by them anyway.
  GATEWAY_MAX_PAGE_SIZE: int(MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE),
};

export type GatewayEnv = z.infer<z.ZodObject<typeof GATEWAY_ENV>>;
export type SubgraphEnv = z.infer<z.ZodObject<typeof SUBGRAPH_ENV>>;

/** Fails (with every wrong variable named) on a value the schema refuses or on no way to verify tokens. */
function checkAuth(env: { AUTH_JWT_SECRET?: string; AUTH_JWKS_URL?: string }, source: NodeJS.ProcessEnv) {
  if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL && !source.JEST_WORKER_ID)
    throw new Error('Invalid environment:\n  AUTH_JWT_SECRET or AUTH_JWKS_URL: one of them is required to verify tokens');
}

export function readGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayEnv & { corsOrigins: string[] } {
  const env = readEnv(GATEWAY_ENV, source);
  checkAuth(env, source);
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const bad = corsOrigins.filter((o) => {
    try {
      return new URL(o).origin !== o;
    } catch {
      return true;
    }
  });
  if (bad.length)
    throw new Error(
      `Invalid environment:\n  CORS_ORIGINS: ${bad.join(', ')} is not an origin (scheme://host[:port], no path or trailing slash)`,
    );
  return { ...env, corsOrigins };
}

export function readSubgraphConfig(source: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  const env = readEnv(SUBGRAPH_ENV, source);
  checkAuth(env, source);
  return env;
}
