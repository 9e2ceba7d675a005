// What the people test files share to run operations: run and ok (errors asserted away) as a
// viewer (SERVICE unless said), viewers of a branch, and the code and fields of a refusal.
import { execute, testViewer, type AnySubgraph } from '@rcsc/testing';
import type { Viewer } from '@rcsc/service-kit';

type Refusal = { errors?: readonly { extensions?: Record<string, unknown> }[] };

export const code = (r: Refusal) => r.errors?.[0]?.extensions?.code;
export const fields = (r: Refusal) => ((r.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field);

/** A viewer with `roles` (STAFF unless said) in branch `org`, under its own user id if given. */
export const viewerAt = (org: string, roles: Viewer['roles'] = ['STAFF'], userId?: string): Viewer => ({
  ...testViewer(roles, org),
  ...(userId ? { userId } : {}),
});

/** run and ok against the subgraph `subgraph()` gives (created in the file's beforeAll). */
export function operations(subgraph: () => AnySubgraph) {
  const run = <T = any>(query: string, variables?: Record<string, unknown>, viewer = testViewer(['SERVICE'])) =>
    execute<T>(subgraph(), query, variables, viewer);
  const ok = async (query: string, variables?: Record<string, unknown>, viewer = testViewer(['SERVICE'])) => {
    const r = await run(query, variables, viewer);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  return { run, ok };
}
