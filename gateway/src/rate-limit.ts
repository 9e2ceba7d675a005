import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { analysisCache, bearerToken, ErrorCode } from '@rcsc/service-kit';

/**
 * Per-token limits at the gateway (issue 17): a request rate, and a budget of estimated cost in
 * flight at once (the limits' cost estimate, limits.ts), so one token can neither flood the
 * gateway with cheap requests nor keep it busy with many expensive ones side by side. Both
 * answer 429 with Retry-After. Keyed by a hash of the bearer token, after it was verified;
 * SERVICE tokens (the subgraphs' own calls, e.g. reporting's live values) are not limited.
 */
export interface RateLimitConfig {
  /** Requests per second per token (fixed one-second windows). */
  requestsPerSecond: number;
  /** Estimated cost of one token's operations running at once. */
  costBudget: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { requestsPerSecond: 100, costBudget: 250_000 };

/** GATEWAY_RATE_LIMIT=off disables; GATEWAY_RATE_LIMIT_RPS (100) and GATEWAY_COST_BUDGET (250,000) set it. */
export function rateLimitConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitConfig | false {
  if (/^(off|false|0|no)$/i.test(env.GATEWAY_RATE_LIMIT ?? 'on')) return false;
  const rps = Number(env.GATEWAY_RATE_LIMIT_RPS ?? DEFAULT_RATE_LIMIT.requestsPerSecond);
  const budget = Number(env.GATEWAY_COST_BUDGET ?? DEFAULT_RATE_LIMIT.costBudget);
  if (!Number.isInteger(rps) || rps < 1) throw new Error('GATEWAY_RATE_LIMIT_RPS must be a positive whole number');
  if (!(budget > 0)) throw new Error('GATEWAY_COST_BUDGET must be a positive number');
  return { requestsPerSecond: rps, costBudget: budget };
}

function tooMany(message: string, retryAfterS: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.TOO_MANY_REQUESTS,
      retryAfter: retryAfterS,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterS)]]) },
    },
  });
}

export interface RateLimitContext {
  /** The verified token's key (RateLimiter.keyOf); unset: not limited. */
  rateKey?: string;
}

export class RateLimiter {
  private readonly rate: RateLimiterMemory;
  /** Estimated cost in flight, per token key (absent: none). */
  private readonly inFlight = new Map<string, number>();
  private readonly analyze = analysisCache();

  constructor(readonly config: RateLimitConfig) {
    this.rate = new RateLimiterMemory({ points: config.requestsPerSecond, duration: 1 });
  }

  /** The key of a verified token: a hash, so no token is kept in memory as a key; null for none or a SERVICE token. */
  static keyOf(authorization: string | undefined, roles: readonly string[] = []): string | null {
    const token = authorization ? bearerToken({ authorization }) : null;
    if (!token || roles.includes('SERVICE')) return null;
    return createHash('sha256').update(token).digest('base64url');
  }

  /** Counts one request of a verified token (its key); 429 past the rate. */
  async admit(key: string | null): Promise<void> {
    if (!key) return;
    try {
      await this.rate.consume(key);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const wait = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw tooMany(`More than ${this.config.requestsPerSecond} requests per second with this token: retry in ${wait} s`, wait);
    }
  }

  /** The estimated cost this token has in flight (tests, logs). */
  costInFlight(authorization: string | undefined): number {
    const key = RateLimiter.keyOf(authorization);
    return key ? (this.inFlight.get(key) ?? 0) : 0;
  }

  /**
   * Holds an operation's estimated cost while it runs. It runs after the limits plugin: an
   * operation over the per-operation limits never gets here. One operation alone always fits
   * (the per-operation limit bounds it); more at once only while their sum fits the budget.
   */
  plugin(): ApolloServerPlugin<RateLimitContext> {
    return {
      requestDidStart: async () => {
        let held: { key: string; cost: number } | null = null;
        return {
          didResolveOperation: async ({ document, schema, request, contextValue }) => {
            const key = contextValue.rateKey;
            if (!key) return;
            const a = this.analyze(schema, document, (request.variables ?? {}) as Record<string, unknown>);
            const cost = Math.max(1, a.cost);
            const now = this.inFlight.get(key) ?? 0;
            if (now > 0 && now + cost > this.config.costBudget) {
              throw tooMany(
                `This token has operations of estimated cost ${now} running; with ${cost} more it would pass its budget of ${this.config.costBudget}: retry in 1 s`,
                1,
              );
            }
            this.inFlight.set(key, now + cost);
            held = { key, cost };
          },
          willSendResponse: async () => {
            if (!held) return;
            const left = (this.inFlight.get(held.key) ?? 0) - held.cost;
            if (left > 0) this.inFlight.set(held.key, left);
            else this.inFlight.delete(held.key);
            held = null;
          },
        };
      },
    };
  }
}
