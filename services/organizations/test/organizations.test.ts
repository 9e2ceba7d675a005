import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import type { Viewer } from '@rcsc/service-kit';
import { createServer } from '../src/server';
import { expectCountersMatchScan } from './scan';

type Org = { id: string; name: string; level: string };

describe('organizations subgraph', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = <T = any>(query: string, variables?: Record<string, unknown>) => execute<T>(svc.subgraph, query, variables);
  const ids: Record<string, string> = {};

  const create = async (input: Record<string, unknown>) => {
    const r = await run<{ createOrganization: Org }>(
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name level } }',
      { input },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createOrganization.id;
  };

  beforeAll(async () => {
    svc = await startTestService('organizations', createServer);
    ids.hq = await create({ name: '中国红十字会总会', level: 'NATIONAL', divisionCode: '100000', divisionType: 'COUNTRY' });
    ids.zj = await create({
      name: '浙江省红十字会',
      level: 'PROVINCIAL',
      divisionCode: '330000',
      divisionType: 'PROVINCE',
      parentId: ids.hq,
    });
    ids.js = await create({
      name: '江苏省红十字会',
      level: 'PROVINCIAL',
      divisionCode: '320000',
      divisionType: 'PROVINCE',
      parentId: ids.hq,
    });
    ids.hz = await create({
      name: '杭州市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330100',
      divisionType: 'PREFECTURE_CITY',
      parentId: ids.zj,
    });
    ids.xh = await create({
      name: '杭州市西湖区红十字会',
      level: 'COUNTY',
      divisionCode: '330106',
      divisionType: 'DISTRICT',
      parentId: ids.hz,
    });
    ids.yw = await create({
      name: '金华市义乌市红十字会',
      level: 'COUNTY',
      divisionCode: '330782',
      divisionType: 'COUNTY_CITY',
      parentId: ids.zj,
    });
  });
  afterAll(() => svc.stop());

  it('answers the branch profile by division code, with parent, children and ancestors', async () => {
    const r = await run(`{
      organization(divisionCode: "330100") {
        name level divisionCode divisionType
        parent { name level }
        children { name divisionType }
        ancestors { name }
      }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.organization).toEqual({
      name: '杭州市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330100',
      divisionType: 'PREFECTURE_CITY',
      parent: { name: '浙江省红十字会', level: 'PROVINCIAL' },
      children: [{ name: '杭州市西湖区红十字会', divisionType: 'DISTRICT' }],
      ancestors: [{ name: '中国红十字会总会' }, { name: '浙江省红十字会' }],
    });
  });

  it('lists everything under a branch, filtered, with cursor pages that cover every row once', async () => {
    const all = await run(`query($id: ID!) { organizations(filter: { within: $id }, first: 100) { totalCount nodes { name } } }`, {
      id: ids.zj,
    });
    expect(all.data.organizations.totalCount).toBe(3);
    const counties = await run(
      `query($id: ID!) { organization(id: $id) { descendants(filter: { level: COUNTY }) { totalCount nodes { divisionCode } } } }`,
      { id: ids.zj },
    );
    expect(counties.data.organization.descendants.nodes.map((n: any) => n.divisionCode)).toEqual(['330106', '330782']);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r: any = await run(
        `query($after: String) { organizations(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { divisionCode } } }`,
        { after },
      );
      seen.push(...r.data.organizations.nodes.map((n: any) => n.divisionCode));
      if (!r.data.organizations.pageInfo.hasNextPage) break;
      after = r.data.organizations.pageInfo.endCursor;
    }
    expect(seen).toEqual(['100000', '320000', '330000', '330100', '330106', '330782']);
  });

  it('searches by name and by division type', async () => {
    const r = await run(`{ organizations(filter: { search: "杭州" }) { nodes { divisionCode } } }`);
    expect(r.data.organizations.nodes.map((n: any) => n.divisionCode)).toEqual(['330100', '330106']);
    const cities = await run(`{ organizations(filter: { divisionTypes: [PREFECTURE_CITY, COUNTY_CITY] }) { totalCount } }`);
    expect(cities.data.organizations.totalCount).toBe(2);
  });

  it('records governance facts with dates and reads them as of any date', async () => {
    const r = await run(
      `mutation($id: ID!) {
        a: recordGovernance(input: { organizationId: $id, fact: MANAGEMENT_RATIONALIZED, since: "2021-04-01" }) { id }
        b: recordGovernance(input: { organizationId: $id, fact: SUPERVISORY_BOARD, since: "2019-07-01",
             members: [{ name: "王伟", position: "监事长" }, { name: "李娜", position: "监事" }] }) { id }
      }`,
      { id: ids.xh },
    );
    expect(r.errors).toBeUndefined();
    const q = `query($id: ID!, $d: Date) { organization(id: $id) { governance(asOf: $d) {
      managementRationalized managementRationalizedOn supervisoryBoardEstablished supervisoryBoard { members { name position } } partyGroupEstablished } } }`;
    const before = await run(q, { id: ids.xh, d: '2020-12-31' });
    expect(before.data.organization.governance).toEqual({
      managementRationalized: false,
      managementRationalizedOn: null,
      supervisoryBoardEstablished: true,
      supervisoryBoard: {
        members: [
          { name: '王伟', position: '监事长' },
          { name: '李娜', position: '监事' },
        ],
      },
      partyGroupEstablished: false,
    });
    const after = await run(q, { id: ids.xh, d: '2021-06-30' });
    expect(after.data.organization.governance.managementRationalizedOn).toBe('2021-04-01');
    const filtered = await run(`{ organizations(filter: { managementRationalized: true }) { nodes { divisionCode } } }`);
    expect(filtered.data.organizations.nodes.map((n: any) => n.divisionCode)).toEqual(['330106']);
    const notFiltered = await run(`{ organizations(filter: { managementRationalized: false, level: COUNTY }) { nodes { divisionCode } } }`);
    expect(notFiltered.data.organizations.nodes.map((n: any) => n.divisionCode)).toEqual(['330782']);
  });

  it('records term changes: the current term, due dates, overdue, due and completed by year', async () => {
    const change = (id: string, congressDate: string) =>
      run(`mutation($input: RecordTermChangeInput!) { recordTermChange(input: $input) { number dueDate bodies { kind size } } }`, {
        input: { organizationId: id, congressDate, bodies: [{ kind: 'COUNCIL', size: 45 }] },
      });
    const first = await change(ids.hz, '2015-09-20');
    expect(first.data.recordTermChange).toEqual({ number: 1, dueDate: '2020-09-20', bodies: [{ kind: 'COUNCIL', size: 45 }] });
    await change(ids.xh, '2016-03-01');
    const second = await change(ids.hz, '2021-05-18');
    expect(second.data.recordTermChange.number).toBe(2);

    const q = `query($id: ID!, $d: Date) { organization(id: $id) { currentTerm(asOf: $d) { number congressDate dueDate overdue } } }`;
    expect((await run(q, { id: ids.hz, d: '2020-12-31' })).data.organization.currentTerm).toEqual({
      number: 1,
      congressDate: '2015-09-20',
      dueDate: '2020-09-20',
      overdue: true,
    });
    expect((await run(q, { id: ids.hz, d: '2021-06-30' })).data.organization.currentTerm.overdue).toBe(false);
    expect((await run(q, { id: ids.yw })).data.organization.currentTerm).toBeNull();

    const due = await run(`{ termChangesDue(year: 2021) { totalCount nodes { organization { divisionCode } } } }`);
    expect(due.data.termChangesDue.nodes.map((n: any) => n.organization.divisionCode).sort()).toEqual(['330100', '330106']);
    const dueIn2020 = await run(`{ termChangesDue(year: 2020, level: PREFECTURE) { totalCount } }`);
    expect(dueIn2020.data.termChangesDue.totalCount).toBe(1);
    const completed = await run(`query($id: ID!) { termChangesCompleted(year: 2021, within: $id) { totalCount nodes { number } } }`, {
      id: ids.zj,
    });
    expect(completed.data.termChangesCompleted).toEqual({ totalCount: 1, nodes: [{ number: 2 }] });

    const early = await change(ids.hz, '2020-01-01');
    expect(early.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((early.errors?.[0].extensions?.fields as any[])[0].field).toBe('input.congressDate');
  });

  it('moves a branch with its subtree, keeping the tree a tree', async () => {
    const zsCity = await create({ name: '舟山市红十字会', level: 'PREFECTURE', divisionCode: '330900', parentId: ids.zj });
    const county = await create({ name: '舟山市定海区红十字会', level: 'COUNTY', divisionCode: '330902', parentId: zsCity });
    const moved = await run(
      `mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p) { parent { divisionCode } ancestors { divisionCode } } }`,
      { id: zsCity, p: ids.js },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data.moveOrganization.ancestors.map((a: any) => a.divisionCode)).toEqual(['100000', '320000']);
    const c = await run(`query($id: ID!) { organization(id: $id) { ancestors { divisionCode } } }`, { id: county });
    expect(c.data.organization.ancestors.map((a: any) => a.divisionCode)).toEqual(['100000', '320000', '330900']);
    const under = await run(`query($id: ID!) { organizations(filter: { within: $id }) { totalCount } }`, { id: ids.js });
    expect(under.data.organizations.totalCount).toBe(2);

    const cycle = await run(`mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p) { id } }`, { id: zsCity, p: county });
    expect(cycle.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const up = await run(`mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p) { id } }`, { id: ids.zj, p: ids.hz });
    expect(up.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((up.errors?.[0].extensions?.fields as any[])[0].field).toBe('parentId');
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and duplicates with CONFLICT', async () => {
    const dup = await run(
      `mutation($p: ID!) { createOrganization(input: { name: "x", level: PREFECTURE, divisionCode: "330100", parentId: $p }) { id } }`,
      { p: ids.zj },
    );
    expect(dup.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(dup.errors?.[0].message).toContain('330100');
    const bad = await run(
      `mutation($p: ID!) { createOrganization(input: { name: "", level: PREFECTURE, divisionCode: "33x", parentId: $p }) { id } }`,
      { p: ids.zj },
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((bad.errors?.[0].extensions?.fields as any[]).map((f) => f.field).sort()).toEqual(['input.divisionCode', 'input.name']);
    const noParent = await run(
      `mutation { createOrganization(input: { name: "x", level: COUNTY, divisionCode: "330199", parentId: "${'f'.repeat(24)}" }) { id } }`,
    );
    expect((noParent.errors?.[0].extensions?.fields as any[])[0].field).toBe('input.parentId');
    const both = await run(`{ organization(id: "${ids.zj}", divisionCode: "330000") { id } }`);
    expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badId = await run(`{ organization(id: "zz") { id } }`);
    expect(badId.errors?.[0].extensions?.fields).toEqual([{ field: 'id', message: 'must be an id returned by this graph' }]);
    const tooMany = await run(`{ organizations(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0].extensions?.fields).toEqual([{ field: 'first', message: 'must be an integer from 0 to 100' }]);
    const badCursor = await run(`{ organizations(after: "garbage") { totalCount } }`);
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badDate = await run(`{ organization(divisionCode: "330000") { governance(asOf: "2021-02-30") { managementRationalized } } }`);
    expect(badDate.errors?.[0].message).toMatch(/Date/);
    const notFound = await run(`mutation { setLeadership(organizationId: "${'e'.repeat(24)}", positions: []) { id } }`);
    expect(notFound.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('resolves Organization entities for other subgraphs', async () => {
    const r = await run(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { id name level } } }`, {
      reps: [
        { __typename: 'Organization', id: ids.hz },
        { __typename: 'Organization', id: 'f'.repeat(24) },
        { __typename: 'Organization', id: ids.hq },
      ],
    });
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([
      { id: ids.hz, name: '杭州市红十字会', level: 'PREFECTURE' },
      null,
      { id: ids.hq, name: '中国红十字会总会', level: 'NATIONAL' },
    ]);
  });

  it('lets staff see and change only their own subtree', async () => {
    const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables, viewer);
    const hzAdmin = testViewer(['ADMIN'], ids.hz);
    const rename = `mutation($id: ID!, $n: String!) { updateOrganization(id: $id, input: { name: $n }) { name } }`;
    const own = await as(hzAdmin, rename, { id: ids.xh, n: '杭州市西湖区红十字会' });
    expect(own.errors).toBeUndefined();
    const other = await as(hzAdmin, rename, { id: ids.yw, n: 'hijacked' });
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(other.errors?.[0].message).toContain('outside your branch');
    const viewer = await as(testViewer(['VIEWER'], ids.hz), rename, { id: ids.xh, n: 'x' });
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const gov = `query($id: ID!) { organization(id: $id) { name governance { partyGroupEstablished } } }`;
    const outside = await as(hzAdmin, gov, { id: ids.yw });
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(outside.errors?.[0].path).toEqual(['organization', 'governance']);
    // The rest of the answer stands: only the forbidden field is null.
    expect(outside.data.organization).toEqual({ name: '金华市义乌市红十字会', governance: null });
    expect((await as(hzAdmin, gov, { id: ids.xh })).errors).toBeUndefined();
    const due = await as(hzAdmin, `{ termChangesDue(year: 2021) { nodes { organization { divisionCode } } } }`);
    // Hangzhou itself and its district; nothing outside Hangzhou's subtree.
    expect(due.data.termChangesDue.nodes.map((n: any) => n.organization.divisionCode).sort()).toEqual(['330100', '330106']);
    const dueOutside = await as(testViewer(['ADMIN'], ids.yw), `{ termChangesDue(year: 2021) { totalCount } }`);
    expect(dueOutside.data.termChangesDue.totalCount).toBe(0);
    const report = await as(
      hzAdmin,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Survey { countiesRationalized } } }`,
      { reps: [{ __typename: 'Survey', organizationId: ids.zj, asOf: '2021-06-30' }] },
    );
    expect(report.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await as({ userId: null, organizationId: null, roles: [], token: null }, `{ organizations { totalCount } }`);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('audits every change with who, when, before and after, readable by admins of the subtree', async () => {
    const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables, viewer);
    const admin = { ...testViewer(['ADMIN'], ids.hz), name: '审计 测试' };
    await as(
      admin,
      `mutation($id: ID!) { setLeadership(organizationId: $id, positions: [{ title: CHAIR, name: "张三", since: "2021-01-01" }]) { id } }`,
      { id: ids.xh },
    );
    const log = `query($id: ID!) { organization(id: $id) { organizationsAudit(first: 50) { totalCount nodes { action entity actorName actorOrganizationId before after service } } } }`;
    const r = await as(admin, log, { id: ids.hz });
    expect(r.errors).toBeUndefined();
    const entries = r.data.organization.organizationsAudit.nodes;
    expect(entries[0]).toMatchObject({
      action: 'setLeadership',
      entity: 'Organization',
      actorName: '审计 测试',
      actorOrganizationId: ids.hz,
      service: 'organizations',
    });
    expect(JSON.parse(entries[0].after)[0].name).toBe('张三');
    expect(entries.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['recordTermChange', 'recordGovernance:SUPERVISORY_BOARD', 'createOrganization']),
    );
    const forbidden = await as(testViewer(['VIEWER'], ids.hz), log, { id: ids.hz });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const outside = await as(admin, log, { id: ids.zj });
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('makes a constant number of database commands for a list with nested branch fields', async () => {
    const q = `query($n: Int) { organizations(first: $n) { nodes { name parent { name } children { name } currentTerm { number organization { name } } } } }`;
    svc.db.commands.reset();
    await run(q, { n: 2 });
    const small = svc.db.commands.count();
    svc.db.commands.reset();
    await run(q, { n: 8 });
    expect(svc.db.commands.count()).toBe(small);
  });

  // Runs last: the branches created, updated, dissolved and moved above, their governance facts
  // and term changes have moved the annex counters; they must still equal the aggregations.
  it('keeps the annex counters equal to aggregations over the branches and terms after the changes above', async () => {
    const ids = (await svc.subgraph.models.Organization.find({}, { _id: 1 }).lean()).map((o) => String(o._id));
    expect(ids.length).toBeGreaterThan(3);
    await expectCountersMatchScan(
      svc.subgraph.models,
      ids,
      ['2010-12-31', '2019-01-01', '2020-06-30', '2020-12-31', '2021-01-01', '2021-06-30', '2021-12-31', '2024-01-01', '2030-12-31'],
      [2019, 2020, 2021, 2022, 2025],
    );
  });
});
