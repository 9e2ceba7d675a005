import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role, TokenClaims } from '@rcsc/service-kit';

/** The query parameters a signed link adds to an /export URL. */
const LINK_PARAMS = ['expires', 'as', 'signature'];

export class LinkError extends Error {}

/**
 * Short-lived signed download links for /export (issue 18): a browser cannot add an
 * Authorization header to a plain link or a button, so a caller with a token asks
 * GET /export/link?<the export's parameters> and gets a URL that downloads that one file, as
 * that caller, for `ttlSeconds`. The URL holds the export's parameters, an expiry and the
 * caller's claims, signed with HMAC-SHA256; no token is in it. Whoever gets the URL gets that
 * file until it expires, nothing else.
 */
export class DownloadLinks {
  constructor(
    private readonly key: Buffer,
    readonly ttlSeconds = 300,
  ) {}

  /**
   * EXPORT_LINK_SECRET, else a key derived from AUTH_JWT_SECRET (every gateway instance sharing
   * it accepts the others' links), else a random key of this process.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DownloadLinks {
    const secret = env.EXPORT_LINK_SECRET ?? env.AUTH_JWT_SECRET;
    const key = secret ? createHmac('sha256', secret).update('rcsc export download links').digest() : randomBytes(32);
    const ttl = Number(env.EXPORT_LINK_TTL_S ?? 300);
    return new DownloadLinks(key, ttl);
  }

  private mac(params: URLSearchParams): Buffer {
    const canonical = new URLSearchParams([...params].filter(([k]) => k !== 'signature'));
    canonical.sort();
    return createHmac('sha256', this.key).update(canonical.toString()).digest();
  }

  /** The path and query of a link for `params` (the export's own parameters), valid for ttlSeconds. */
  sign(params: URLSearchParams, claims: TokenClaims, now = Date.now()): { path: string; expiresAt: string } {
    const q = new URLSearchParams([...params].filter(([k]) => !LINK_PARAMS.includes(k)));
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    q.set('expires', String(expires));
    const as = { sub: claims.sub, org: claims.org ?? null, roles: claims.roles, name: claims.name };
    q.set('as', Buffer.from(JSON.stringify(as)).toString('base64url'));
    q.set('signature', this.mac(q).toString('base64url'));
    return { path: `/export?${q}`, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** The claims of the link's maker, if `params` carry a valid, unexpired signature; else LinkError. */
  verify(params: URLSearchParams, now = Date.now()): TokenClaims {
    const given = Buffer.from(params.get('signature') ?? '', 'base64url');
    const expected = this.mac(params);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new LinkError('The download link is not valid');
    const expires = Number(params.get('expires'));
    if (!(expires * 1000 > now)) throw new LinkError('The download link has expired: ask for a new one');
    const as = JSON.parse(Buffer.from(params.get('as') ?? '', 'base64url').toString('utf8')) as {
      sub: string;
      org: string | null;
      roles: Role[];
      name?: string;
    };
    return { sub: as.sub, org: as.org, roles: as.roles, name: as.name };
  }
}
