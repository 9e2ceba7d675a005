import type { IncomingHttpHeaders } from 'node:http';

/** Roles a token may carry (see the security work); STAFF-level checks build on these. */
export type Role = 'ADMIN' | 'STAFF' | 'TRAINING_MANAGER' | 'REPORTER' | 'VIEWER';

/** Who is asking. Every request context carries one; resolvers check it, never the raw headers. */
export interface Viewer {
  /** Null for an anonymous request. */
  userId: string | null;
  /** The branch whose subtree the viewer may act in; null means no branch. */
  organizationId: string | null;
  roles: Role[];
  /** The raw bearer token, forwarded by the gateway to subgraphs. */
  token: string | null;
}

export const anonymousViewer: Viewer = { userId: null, organizationId: null, roles: [], token: null };

export function bearerToken(headers: IncomingHttpHeaders | Headers): string | null {
  const raw = headers instanceof Headers ? headers.get('authorization') : headers.authorization;
  const m = raw ? /^Bearer\s+(\S+)$/i.exec(raw) : null;
  return m ? m[1] : null;
}

/**
 * Reads the viewer from a request. Authentication (token verification, roles, subtree) is
 * its own piece of work; until it lands the viewer only carries the token through.
 */
export function viewerFromHeaders(headers: IncomingHttpHeaders | Headers): Viewer {
  return { ...anonymousViewer, token: bearerToken(headers) };
}
