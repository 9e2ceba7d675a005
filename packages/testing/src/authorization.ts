// What every subgraph's authorization matrix sets up alike: the branches it plays on, calls as
// the unrestricted SERVICE or as a viewer, the state a refused call must leave unchanged, and
// the viewers each kind of rule refuses.
import type { Model } from 'mongoose';
import type { Role, Viewer } from '@rcsc/service-kit';
import { execute, expectRefused, testViewer, type AnySubgraph } from './index';

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

/**
 * Calls of one subgraph: `run` as SERVICE (fixtures), `as` a viewer, `created` for a fixture's id;
 * and the read checks every matrix makes through them.
 */
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
  return {
    run,
    as,
    created,
    v: (role: Role, org: string | null) => testViewer([role], org),

    /**
     * A single-record query of a record outside `outsider`'s subtree: FORBIDDEN on that field only,
     * null, and nothing of the record (`secret`, e.g. its name) in the answer; `insider` reads it.
     */
    async expectRecordForbidden(
      viewers: { outsider: Viewer; insider: Viewer },
      field: string,
      id: string,
      opts: { select?: string; secret?: string | null } = {},
    ): Promise<void> {
      const r = await as(viewers.outsider, `query($id: ID!) { ${field}(id: $id) { ${opts.select ?? 'id name'} } }`, { id });
      expect([field, codeOf(r)]).toEqual([field, 'FORBIDDEN']);
      expect(r.errors?.[0].path).toEqual([field]);
      expect(r.data?.[field]).toBeNull();
      if (opts.secret) expect(JSON.stringify(r)).not.toContain(opts.secret);
      const inside = await as(viewers.insider, `query($id: ID!) { ${field}(id: $id) { id } }`, { id });
      expect(inside.data[field]).toEqual({ id });
    },

    /** Entity references as `viewer`: each answer in order (null where refused), FORBIDDEN at exactly the refused positions. Returns the answer. */
    async expectEntities(
      viewer: Viewer,
      selection: string,
      reps: { __typename: string; id: string }[],
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of every shape
      expected: any[],
    ): Promise<GraphResult> {
      const r = await as(viewer, `query($reps: [_Any!]!) { _entities(representations: $reps) { ${selection} } }`, { reps });
      expect(r.data._entities).toEqual(expected);
      const refused = expected.flatMap((e, i) => (e === null ? [[['_entities', i], 'FORBIDDEN']] : []));
      expect(r.errors?.map((e) => [e.path, e.extensions?.code]).sort()).toEqual(refused.sort());
      return r;
    },

    /**
     * An annex row (`field` of Survey and AnnualIncrease) is every role's inside its subtree, REPORTER
     * and VIEWER included: the prefecture's read Xihu's (a count above zero); Xihu's get FORBIDDEN for
     * the prefecture above and for another county, and nothing of them.
     */
    async expectAnnexRowInSubtree(ids: MatrixBranches, field: string): Promise<void> {
      const rows = `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Survey { organizationId ${field} } ... on AnnualIncrease { organizationId ${field} } } }`;
      const reps = (org: string) => [
        { __typename: 'Survey', organizationId: org, asOf: '2021-12-31' },
        { __typename: 'AnnualIncrease', organizationId: org, year: 2021, baseYear: 2020 },
      ];
      for (const role of ['REPORTER', 'VIEWER'] as Role[]) {
        const own = await as(testViewer([role], ids.hz), rows, { reps: reps(ids.xh) });
        expect(own.errors).toBeUndefined();
        expect(own.data._entities[0]).toEqual({ organizationId: ids.xh, [field]: expect.any(Number) });
        expect(own.data._entities[0][field]).toBeGreaterThan(0);
        const outside = await as(testViewer([role], ids.xh), rows, { reps: [...reps(ids.hz), ...reps(ids.yw)] });
        expect(outside.data._entities).toEqual([null, null, null, null]);
        expect(outside.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      }
    },
  };
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

/** A subgraph with its audit log: what the write and audit checks read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service's models
export type AuditedSubgraph = AnySubgraph & { models: { Audit: Model<any> } };

/** One mutation of a matrix, against a fresh target under branch `org` (a new record, or the branch itself). */
export interface MatrixMutation {
  name: string;
  /** The audit action (default: the mutation's name). */
  action?: string;
  prepare: (org: string) => Promise<{ query: string; variables: Record<string, unknown> }>;
  /** The branch whose ADMIN is the second allowed viewer (default: the prefecture above Xihu). */
  adminOf?: string;
}

/**
 * A matrix mutation of one record: `create` makes a fresh one under the branch each time the
 * matrix prepares the mutation, and `query` takes its id as $id.
 */
export function recordMutation(
  name: string,
  create: (org: string) => Promise<string>,
  query: string,
  more: Pick<MatrixMutation, 'action' | 'adminOf'> = {},
): MatrixMutation {
  return { name, ...more, prepare: async (org) => ({ query, variables: { id: await create(org) } }) };
}

/**
 * A register write in Xihu, allowed to ADMIN and STAFF inside the subtree only: refusedWriters get
 * FORBIDDEN and change nothing (an outsider told it is outside its subtree, a reader that only ADMIN
 * or STAFF may); Xihu's STAFF does it, audited with the actor and Xihu's path; the ADMIN above does
 * it on a fresh target.
 */
export async function expectRegisterWrite(
  subgraph: AuditedSubgraph,
  ids: MatrixBranches,
  state: () => Promise<{ audit: number }>,
  mutation: MatrixMutation,
): Promise<void> {
  const { as } = matrixCalls(() => subgraph);
  const audit = subgraph.models.Audit;
  const { query, variables } = await mutation.prepare(ids.xh);
  const before = await state();
  await expectRefused(subgraph, refusedWriters(ids), query, variables, state);
  const outside = await as(testViewer(['STAFF'], ids.yw), query, variables);
  expect(outside.errors?.[0].message).toMatch(/outside your branch's subtree/);
  const reader = await as(testViewer(['VIEWER'], ids.xh), query, variables);
  expect(reader.errors?.[0].message).toMatch(/^Only ADMIN or STAFF/);

  const staff = { ...testViewer(['STAFF'], ids.xh), name: '西湖 职员' };
  expect((await as(staff, query, variables)).errors).toBeUndefined();
  const entry = (await audit
    .findOne({ action: mutation.action ?? mutation.name })
    .sort({ at: -1, _id: -1 })
    .lean())!;
  expect(entry).toMatchObject({
    service: subgraph.name,
    actor: { userId: staff.userId, name: staff.name, organizationId: ids.xh, roles: ['STAFF'] },
  });
  expect(entry.orgPath.map(String)).toEqual(xihuPath(ids));
  expect(await audit.countDocuments()).toBeGreaterThan(before.audit);

  const again = await mutation.prepare(ids.xh);
  const admin = await as(testViewer(['ADMIN'], mutation.adminOf ?? ids.hz), again.query, again.variables);
  expect(admin.errors).toBeUndefined();
}

/**
 * A service's audit log as the matrices read it (Organization.<field>: grassrootsAudit,
 * peopleAudit, …), with the checks every matrix runs on it.
 */
export function auditLog(field: string) {
  const query = `query($id: ID!, $first: Int) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { id
      ${field}(first: $first) { totalCount nodes { action entity entityId actorId actorName actorOrganizationId actorRoles before after service } } } } }`;
  /** The entries of an answer (branch $id, $first of them), newest first. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- entries of every service
  const entriesOf = (r: GraphResult) => r.data._entities[0][field].nodes as Record<string, any>[];
  const totalOf = (r: GraphResult) => r.data._entities[0][field].totalCount as number;
  return {
    query,
    entriesOf,

    /** An entry as the log shows it: what was done to which record by which service, and `actor` as who did it. */
    expectEntry(
      entry: Record<string, unknown>,
      actor: Viewer,
      what: { action: string; entity: string; entityId: string; service: string },
    ) {
      expect(entry).toMatchObject({
        ...what,
        actorId: actor.userId,
        actorName: actor.name,
        actorOrganizationId: actor.organizationId,
        actorRoles: actor.roles,
      });
    },

    /**
     * A branch's log is for ADMINs of a subtree containing the branch only: Xihu's ADMIN reads
     * Xihu's, the province's ADMIN the province's (Xihu's entries and more); each of `refused`
     * gets FORBIDDEN on the log alone; Yiwu's log holds exactly the entries filed under Yiwu, none
     * about a record of `filedInXihu` (the service's collections).
     */
    async expectAccess(
      subgraph: AuditedSubgraph,
      ids: MatrixBranches,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service's models
      filedInXihu: Model<any>[],
      refused = refusedAuditReaders(ids),
    ): Promise<void> {
      const { as } = matrixCalls(() => subgraph);
      const admin = (org: string) => testViewer(['ADMIN'], org);
      const xhLog = await as(admin(ids.xh), query, { id: ids.xh, first: 100 });
      expect(xhLog.errors).toBeUndefined();
      expect(entriesOf(xhLog).length).toBeGreaterThan(0);
      const zjLog = await as(admin(ids.zj), query, { id: ids.zj, first: 100 });
      expect(totalOf(zjLog)).toBeGreaterThan(totalOf(xhLog));
      for (const [who, viewer, branch] of refused) {
        const r = await as(viewer, query, { id: branch });
        expect([who, codeOf(r)]).toEqual([who, 'FORBIDDEN']);
        expect(r.errors?.[0].path).toEqual(['_entities', 0, field]);
        expect(r.data._entities[0]).toEqual({ id: branch, [field]: null });
      }
      const ywLog = entriesOf(await as(admin(ids.yw), query, { id: ids.yw, first: 100 }));
      expect(ywLog.length).toBeGreaterThan(0);
      expect(ywLog.length).toBe(await subgraph.models.Audit.countDocuments({ orgPath: ids.yw }));
      const xihuRecords = new Set<string>();
      for (const model of filedInXihu)
        for (const d of await model.find({ orgPath: ids.xh }, { _id: 1 }).lean()) xihuRecords.add(String(d._id));
      expect(xihuRecords.size).toBeGreaterThan(0);
      expect(ywLog.some((e) => xihuRecords.has(e.entityId))).toBe(false);
    },
  };
}
