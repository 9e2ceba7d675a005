import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { GraphQLError } from 'graphql';
import { ErrorCode, forbidden } from './errors';
import { anonymousViewer, bearerToken, type Role, type Viewer } from './viewer';

export const ROLES: readonly Role[] = ['ADMIN', 'STAFF', 'TRAINING_MANAGER', 'REPORTER', 'VIEWER', 'SERVICE'];

export interface AuthConfig {
  /** Shared secret (HS256), at least 32 bytes: development and single-tenant deployments. */
  secret?: string;
  /** An identity provider's JWKS URL (RS256/ES256...): production with an IdP. */
  jwksUrl?: string;
  issuer: string;
  audience: string;
  /** Longest lifetime accepted, `exp` minus `iat` (or minus now without `iat`), in seconds; default 24 h. */
  maxLifetimeS?: number;
  /** How far in the future `iat` may be (the issuer's clock ahead of ours), in seconds; default 60. */
  clockSkewS?: number;
}

export const DEFAULT_MAX_TOKEN_LIFETIME_S = 24 * 3600;
export const DEFAULT_CLOCK_SKEW_S = 60;

export interface TokenClaims {
  sub: string;
  /** The branch whose subtree the user may act in. */
  org?: string | null;
  roles: Role[];
  name?: string;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

let testSecret: string | undefined;

/** '12h', '30m', '-10s', '2d' or plain seconds, as jose's setExpirationTime takes them (the common forms). */
function lifetimeSeconds(text: string): number {
  const m = /^(-?\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?$/i.exec(text.trim());
  if (!m) throw new Error(`Cannot read the token lifetime ${JSON.stringify(text)}`);
  const unit = (m[2] ?? 's')[0].toLowerCase();
  return Math.round(Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[unit]);
}

/** A remembered token is verified again at least this often (JWKS keys rotate, clocks drift). */
const MAX_REMEMBER_MS = 10 * 60_000;

/**
 * Verifies bearer JWTs (jose) and turns them into viewers. The gateway and every subgraph verify
 * the token themselves, so reaching a subgraph directly is no way around the gateway.
 */
export class Authenticator {
  private readonly key: Uint8Array | ReturnType<typeof createRemoteJWKSet>;
  /** Verified tokens, least recently used first (a Map keeps insertion order). */
  private readonly verified = new Map<string, { viewer: Viewer; claims: Readonly<JWTPayload>; until: number }>();
  constructor(
    readonly config: AuthConfig,
    /** How many verified tokens are remembered (0: none). */
    private readonly maxRemembered = 10_000,
  ) {
    if (config.jwksUrl) this.key = createRemoteJWKSet(new URL(config.jwksUrl));
    else if (config.secret && Buffer.byteLength(config.secret) >= 32) this.key = new TextEncoder().encode(config.secret);
    else throw new Error('Authentication needs AUTH_JWKS_URL or an AUTH_JWT_SECRET of at least 32 characters');
  }

  /**
   * From AUTH_JWT_SECRET or AUTH_JWKS_URL (+ AUTH_ISSUER, AUTH_AUDIENCE). Under jest with neither
   * set, a random per-process secret, so tests never depend on a fixed secret in the code.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): Authenticator {
    let secret = env.AUTH_JWT_SECRET;
    if (!secret && !env.AUTH_JWKS_URL && env.JEST_WORKER_ID) secret = testSecret ??= randomBytes(32).toString('base64');
    const seconds = (name: string, fallback: number): number => {
      const v = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number of seconds`);
      return v;
    };
    return new Authenticator({
      secret,
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER ?? 'rcsc',
      audience: env.AUTH_AUDIENCE ?? 'rcsc-graph',
      maxLifetimeS: seconds('AUTH_MAX_TOKEN_LIFETIME_S', DEFAULT_MAX_TOKEN_LIFETIME_S),
      clockSkewS: seconds('AUTH_CLOCK_SKEW_S', DEFAULT_CLOCK_SKEW_S),
    });
  }

  static generateSecret(): string {
    return randomBytes(32).toString('base64');
  }

  private get maxLifetimeS(): number {
    return this.config.maxLifetimeS ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
  }

  private get clockSkewS(): number {
    return this.config.clockSkewS ?? DEFAULT_CLOCK_SKEW_S;
  }

  /**
   * Signs a token (shared-secret mode only: with an IdP, the IdP issues tokens). `expiresIn` as
   * jose takes it ('12h', '-10s'); longer than the lifetime this verifier accepts is refused here.
   */
  async sign(claims: TokenClaims, expiresIn: string | number = '12h'): Promise<string> {
    if (!(this.key instanceof Uint8Array)) throw new Error('Tokens are issued by the identity provider in JWKS mode');
    const now = Math.floor(Date.now() / 1000);
    const exp = typeof expiresIn === 'number' ? expiresIn : now + lifetimeSeconds(expiresIn);
    if (exp - now > this.maxLifetimeS) throw new Error(`A token may live at most ${this.maxLifetimeS} s (AUTH_MAX_TOKEN_LIFETIME_S)`);
    return new SignJWT({ org: claims.org ?? null, roles: claims.roles, name: claims.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
  }

  /** The viewer of a request: anonymous without a token; UNAUTHENTICATED for a bad one. */
  async viewer(headers: IncomingHttpHeaders | Headers): Promise<Viewer> {
    return (await this.authenticate(headers)).viewer;
  }

  /**
   * The viewer and the verified claims of a request (claims empty when anonymous). A verified
   * token is remembered until it expires (bounded, least recently used first out): the same
   * token is not verified again on every request. Failures are never remembered.
   */
  async authenticate(headers: IncomingHttpHeaders | Headers): Promise<{ viewer: Viewer; claims: Readonly<JWTPayload> }> {
    const token = bearerToken(headers);
    if (!token) return { viewer: anonymousViewer, claims: {} };
    const hit = this.verified.get(token);
    if (hit) {
      this.verified.delete(token);
      if (Date.now() < hit.until) {
        this.verified.set(token, hit);
        return hit;
      }
    }
    const result = await this.verify(token);
    const until = Math.min(typeof result.claims.exp === 'number' ? result.claims.exp * 1000 : Infinity, Date.now() + MAX_REMEMBER_MS);
    this.verified.set(token, { ...result, until });
    if (this.verified.size > this.maxRemembered) this.verified.delete(this.verified.keys().next().value as string);
    return result;
  }

  private async verify(token: string): Promise<{ viewer: Viewer; claims: Readonly<JWTPayload> }> {
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, this.key as Uint8Array, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        // A token that never expires cannot be taken back (issue 17).
        // `exp` is strict (no grace after expiry); the skew is for `iat` below.
        requiredClaims: ['exp'],
      });
      payload = verified.payload;
    } catch (err) {
      const reason = (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
      throw unauthenticated(`The bearer token is ${reason}`);
    }
    const now = Date.now() / 1000;
    if (typeof payload.iat === 'number' && payload.iat > now + this.clockSkewS) {
      throw unauthenticated('The bearer token is invalid: issued in the future');
    }
    const lifetime = (payload.exp as number) - (typeof payload.iat === 'number' ? payload.iat : now);
    if (lifetime > this.maxLifetimeS + this.clockSkewS) {
      throw unauthenticated(`The bearer token is invalid: it lives longer than the ${this.maxLifetimeS} s allowed`);
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
    if (!payload.sub || roles.length === 0) throw unauthenticated('The bearer token names no user or no known role');
    const viewer: Viewer = {
      userId: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : null,
      organizationId: typeof payload.org === 'string' ? payload.org : null,
      // Shared by every request with this token: frozen, so no request can change another's.
      roles: Object.freeze(roles) as Role[],
      token,
    };
    return { viewer: Object.freeze(viewer), claims: Object.freeze(payload) };
  }
}

export function requireAuthenticated(viewer: Viewer): void {
  if (!viewer.userId) throw unauthenticated('Authentication required: send Authorization: Bearer <token>');
}

/** FORBIDDEN unless the viewer holds one of `roles`. */
export function requireRole(viewer: Viewer, roles: Role[], action: string): void {
  requireAuthenticated(viewer);
  if (!viewer.roles.some((r) => roles.includes(r))) {
    throw forbidden(`Only ${roles.join(' or ')} may ${action}; you are ${viewer.roles.join(', ') || 'without a role'}`);
  }
}

/** Whether a record on `orgPath` (ancestors plus its own branch) lies in the viewer's subtree. */
export function inViewerSubtree(viewer: Viewer, orgPath: readonly unknown[]): boolean {
  if (viewer.roles.includes('SERVICE')) return true;
  return !!viewer.organizationId && orgPath.some((id) => String(id) === viewer.organizationId);
}

/** FORBIDDEN unless the record on `orgPath` lies in the viewer's subtree. */
export function requireInSubtree(viewer: Viewer, orgPath: readonly unknown[], what: string): void {
  requireAuthenticated(viewer);
  if (!inViewerSubtree(viewer, orgPath)) throw forbidden(`${what} is outside your branch's subtree`);
}

/** Roles that may see personal data (names in full are fine; identity numbers and phones only masked otherwise). */
export function seesPersonalData(viewer: Viewer): boolean {
  return viewer.roles.some((r) => r === 'ADMIN' || r === 'STAFF' || r === 'TRAINING_MANAGER');
}

/**
 * The credentials a subgraph uses to call another (e.g. the branch directory): SERVICE_TOKEN
 * when an identity provider issues tokens, else a short-lived token signed with the shared
 * secret, renewed before it expires.
 */
export class ServiceCredentials {
  private cached: { token: string; until: number } | null = null;
  constructor(
    private readonly auth: Authenticator,
    private readonly service: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async authorization(): Promise<string> {
    if (this.env.SERVICE_TOKEN) return `Bearer ${this.env.SERVICE_TOKEN}`;
    if (!this.cached || this.cached.until < Date.now()) {
      const token = await this.auth.sign({ sub: `service:${this.service}`, roles: ['SERVICE'] }, '1h');
      this.cached = { token, until: Date.now() + 50 * 60_000 };
    }
    return `Bearer ${this.cached.token}`;
  }
}
