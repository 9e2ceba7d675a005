import type { IncomingHttpHeaders } from 'node:http';

/**
 * Roles a token may carry: ADMIN (everything in the subtree), STAFF (registers), TRAINING_MANAGER
 * (instructor pool and classes), REPORTER (aggregates, tables, exports; no personal data), VIEWER
 * (read-only, no personal data), SERVICE (subgraph-to-subgraph calls).
 */
export type Role = 'ADMIN' | 'STAFF' | 'TRAINING_MANAGER' | 'REPORTER' | 'VIEWER' | 'SERVICE';

/** Who is asking. Every request context carries one; resolvers check it, never the raw headers. */
export interface Viewer {
  /** Null for an anonymous request. */
  userId: string | null;
  /** Display name from the token, for audit records. */
  name?: string | null;
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
