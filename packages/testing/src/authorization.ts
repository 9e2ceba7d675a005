// What every subgraph's authorization matrix sets up alike: the branches it plays on, calls as
// the unrestricted SERVICE or as a viewer, the state a refused call must leave unchanged, and
// the viewers each kind of rule refuses.
import type { Model } from 'mongoose';
import type { Role, Viewer } from '@rcsc/service-kit';
import { execute, testViewer, type AnySubgraph } from './index';

/** The branches of a matrix: a county (Xihu) with its line up to the headquarters, and its neighbours. */
export interface MatrixBranches {
  hq: string;
  /** 浙江省 */
  zj: string;
  /** 杭州市 */
  hz: string;
  /** 西湖区, under 杭州市: the county the matrices act in. */
  xh: string;
  /** 余杭区, a sibling county under 杭州市. */
  yh: string;
  /** 金华市, another prefecture. */
  jh: string;
  /** 义乌市, a county under 金华市. */
  yw: string;
}

/** The matrix branches of a branch tree (@rcsc/dataset's buildBranchTree) and the headquarters' id. */
export function matrixBranches(tree: readonly { id: string; divisionCode?: string | null }[], hqId: string): MatrixBranches {
  const code = (c: string) => {
    const branch = tree.find((b) => b.divisionCode === c);
    if (!branch) throw new Error(`the branch tree has no branch for division ${c}`);
    return branch.id;
  };
  return {
    hq: hqId,
    zj: code('330000'),
    hz: code('330100'),
    xh: code('330106'),
    yh: code('330110'),
    jh: code('330700'),
    yw: code('330782'),
  };
}

/** The stored path of a record of Xihu (national HQ first). */
export const xihuPath = (ids: MatrixBranches) => [ids.hq, ids.zj, ids.hz, ids.xh];

/** An operation's result as the matrices read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the matrices read answers of every shape
export type GraphResult = { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

/** The error code of the first error (undefined: none). */
export const codeOf = (r: GraphResult) => r.errors?.[0]?.extensions?.code;

/** Calls of one subgraph: `run` as SERVICE (fixtures), `as` a viewer, `created` for a fixture's id. */
export function matrixCalls(subgraph: () => AnySubgraph) {
  const run = (query: string, variables?: Record<string, unknown>) => execute(subgraph(), query, variables) as Promise<GraphResult>;
  const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) =>
    execute(subgraph(), query, variables, viewer) as Promise<GraphResult>;
  /** Runs a creating mutation as SERVICE and returns the id of `field`'s answer (failing on any error). */
  const created = async (field: string, query: string, variables: Record<string, unknown>) => {
    const r = await run(query, variables);
    expect(r.errors).toBeUndefined();
    return r.data[field].id as string;
  };
  return { run, as, created, v: (role: Role, org: string | null) => testViewer([role], org) };
}

/** Everything a mutation could change: each collection's documents, and how many audit entries there are. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service's models
export function collectionsState(collections: Record<string, Model<any>>, audit: Model<any>) {
  return async () => {
    const out: Record<string, unknown> = {};
    for (const [name, model] of Object.entries(collections)) out[name] = JSON.stringify(await model.find().sort({ _id: 1 }).lean());
    out.audit = await audit.countDocuments();
    return out as Record<string, unknown> & { audit: number };
  };
}

/** Viewers a register write in Xihu refuses (FORBIDDEN): outside the subtree, read-only roles, no branch. */
export function refusedWriters(ids: MatrixBranches): [string, Viewer][] {
  const v = (role: Role, org: string | null) => testViewer([role], org);
  return [
    ['STAFF of a county in another prefecture', v('STAFF', ids.yw)],
    ['ADMIN of another prefecture', v('ADMIN', ids.jh)],
    ['STAFF of a sibling county', v('STAFF', ids.yh)],
    ['VIEWER inside', v('VIEWER', ids.xh)],
    ['REPORTER inside', v('REPORTER', ids.xh)],
    ['TRAINING_MANAGER inside', v('TRAINING_MANAGER', ids.xh)],
    ['STAFF without a branch', v('STAFF', null)],
  ];
}

/** Viewers refused a branch's audit log (ADMINs of a subtree containing it only), with the branch asked. */
export function refusedAuditReaders(ids: MatrixBranches): [string, Viewer, string][] {
  const v = (role: Role, org: string | null) => testViewer([role], org);
  return [
    ['STAFF inside', v('STAFF', ids.xh), ids.xh],
    ['VIEWER inside', v('VIEWER', ids.xh), ids.xh],
    ['REPORTER inside', v('REPORTER', ids.xh), ids.xh],
    ['ADMIN of another county', v('ADMIN', ids.yw), ids.xh],
    ['ADMIN of a county, for the prefecture above', v('ADMIN', ids.xh), ids.hz],
    ['ADMIN without a branch', v('ADMIN', null), ids.xh],
  ];
}

/**
 * A single-record query of a record outside `outsider`'s subtree: FORBIDDEN on that field only,
 * null, and nothing of the record (`secret`, e.g. its name) in the answer; `insider` reads it.
 */
export async function expectRecordForbidden(
  calls: Pick<ReturnType<typeof matrixCalls>, 'as'>,
  viewers: { outsider: Viewer; insider: Viewer },
  field: string,
  id: string,
  opts: { select?: string; secret?: string | null } = {},
): Promise<void> {
  const r = await calls.as(viewers.outsider, `query($id: ID!) { ${field}(id: $id) { ${opts.select ?? 'id name'} } }`, { id });
  expect([field, codeOf(r)]).toEqual([field, 'FORBIDDEN']);
  expect(r.errors?.[0].path).toEqual([field]);
  expect(r.data?.[field]).toBeNull();
  if (opts.secret) expect(JSON.stringify(r)).not.toContain(opts.secret);
  const inside = await calls.as(viewers.insider, `query($id: ID!) { ${field}(id: $id) { id } }`, { id });
  expect(inside.data[field]).toEqual({ id });
}

/** Entity references as `viewer`: each answer in order (null where refused), FORBIDDEN at exactly the refused positions. */
export async function expectEntities(
  calls: Pick<ReturnType<typeof matrixCalls>, 'as'>,
  viewer: Viewer,
  selection: string,
  reps: { __typename: string; id: string }[],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of every shape
  expected: any[],
): Promise<void> {
  const r = await calls.as(viewer, `query($reps: [_Any!]!) { _entities(representations: $reps) { ${selection} } }`, { reps });
  expect(r.data._entities).toEqual(expected);
  const refused = expected.flatMap((e, i) => (e === null ? [[['_entities', i], 'FORBIDDEN']] : []));
  expect(r.errors?.map((e) => [e.path, e.extensions?.code]).sort()).toEqual(refused.sort());
}
