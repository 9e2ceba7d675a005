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

  it('keeps the history of governance facts and leadership: new periods are added, the past is never rewritten', async () => {
    const nb = await create({
      name: '宁波市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330200',
      parentId: ids.zj,
      establishedOn: '1990-01-01',
    });
    const hs = await create({
      name: '宁波市海曙区红十字会',
      level: 'COUNTY',
      divisionCode: '330203',
      parentId: nb,
      establishedOn: '2000-01-01',
    });
    const record = (since: string, members: string[], extra = '') =>
      run(
        `mutation($id: ID!, $since: Date!, $m: [BoardMemberInput!]) { recordGovernance(input: { organizationId: $id, fact: SUPERVISORY_BOARD, since: $since, members: $m ${extra} }) { id } }`,
        { id: hs, since, m: members.map((name) => ({ name, position: '监事' })) },
      );
    expect((await record('2026-11-07', ['甲'])).errors).toBeUndefined();
    const board = `query($id: ID!, $d: Date) { organization(id: $id) { governance(asOf: $d) { supervisoryBoardEstablished supervisoryBoardEstablishedOn supervisoryBoard { members { name } } } } }`;
    const survey = `query($id: ID!) { organization(id: $id) { survey(asOf: "2026-11-10") { countiesWithSupervisoryBoard } } }`;
    const countBefore = (await run(survey, { id: nb })).data.organization.survey.countiesWithSupervisoryBoard;
    expect(countBefore).toBe(1);
    // The board is re-constituted on 25 November: 10 November still had the first board.
    expect((await record('2026-11-25', ['乙', '丙'])).errors).toBeUndefined();
    const nov10 = (await run(board, { id: hs, d: '2026-11-10' })).data.organization.governance;
    expect(nov10).toEqual({
      supervisoryBoardEstablished: true,
      supervisoryBoardEstablishedOn: '2026-11-07',
      supervisoryBoard: { members: [{ name: '甲' }] },
    });
    const nov26 = (await run(board, { id: hs, d: '2026-11-26' })).data.organization.governance;
    expect(nov26.supervisoryBoardEstablishedOn).toBe('2026-11-07');
    expect(nov26.supervisoryBoard.members.map((m: any) => m.name)).toEqual(['乙', '丙']);
    expect((await run(survey, { id: nb })).data.organization.survey.countiesWithSupervisoryBoard).toBe(countBefore);
    // A period starting on or before the current one would rewrite the past; future and pre-establishment dates are implausible.
    const rewrite = await record('2026-11-20', ['丁']);
    expect(rewrite.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'input.since' }] });
    const future = await record('2030-01-01', ['丁']);
    expect(future.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.since' }] });
    const party = (since: string) =>
      run(`mutation($id: ID!, $s: Date!) { recordGovernance(input: { organizationId: $id, fact: PARTY_GROUP, since: $s }) { id } }`, {
        id: hs,
        s: since,
      });
    expect((await party('1999-12-31')).errors?.[0].extensions?.fields).toEqual([
      { field: 'input.since', message: 'must not be before the branch was established (2000-01-01)' },
    ]);
    expect((await party('2021-03-01')).errors).toBeUndefined();
    const end = await run(
      `mutation($id: ID!) { endGovernance(input: { organizationId: $id, fact: PARTY_GROUP, on: "2024-05-01" }) { governancePeriods(fact: PARTY_GROUP) { since until } } }`,
      { id: hs },
    );
    expect(end.data.endGovernance.governancePeriods).toEqual([{ since: '2021-03-01', until: '2024-05-01' }]);
    const correct = await run(
      `mutation($id: ID!) { correctGovernance(input: { organizationId: $id, fact: PARTY_GROUP, since: "2021-04-01", until: "2024-05-01", reason: "会议纪要日期有误" }) { governancePeriods(fact: PARTY_GROUP) { since until } } }`,
      { id: hs },
    );
    expect(correct.data.correctGovernance.governancePeriods).toEqual([{ since: '2021-04-01', until: '2024-05-01' }]);
    const log = await run(`query($id: ID!) { organization(id: $id) { organizationsAudit(first: 10) { nodes { action after } } } }`, {
      id: hs,
    });
    const corrected = log.data.organization.organizationsAudit.nodes.find((e: any) => e.action === 'correctGovernance:PARTY_GROUP');
    expect(JSON.parse(corrected.after).reason).toBe('会议纪要日期有误');

    // Leadership: a change keeps the earlier team readable; one CHAIR at a time.
    const lead = (positions: unknown[], on?: string) =>
      run(
        `mutation($id: ID!, $p: [LeadershipPositionInput!]!, $on: Date) { setLeadership(organizationId: $id, positions: $p, on: $on) { id } }`,
        {
          id: hs,
          p: positions,
          on,
        },
      );
    expect(
      (
        await lead(
          [
            { title: 'CHAIR', name: '张三', since: '2021-01-01' },
            { title: 'SECRETARY_GENERAL', name: '李四', since: '2021-01-01' },
          ],
          '2021-01-01',
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (
        await lead(
          [
            { title: 'CHAIR', name: '王五', since: '2026-06-01' },
            { title: 'SECRETARY_GENERAL', name: '李四', since: '2021-01-01' },
          ],
          '2026-06-01',
        )
      ).errors,
    ).toBeUndefined();
    const team = `query($id: ID!, $d: Date) { organization(id: $id) { leadership(asOf: $d) { title name } } }`;
    expect((await run(team, { id: hs, d: '2025-01-01' })).data.organization.leadership).toEqual([
      { title: 'CHAIR', name: '张三' },
      { title: 'SECRETARY_GENERAL', name: '李四' },
    ]);
    expect((await run(team, { id: hs, d: '2026-07-01' })).data.organization.leadership.map((p: any) => p.name).sort()).toEqual([
      '李四',
      '王五',
    ]);
    const twoChairs = await lead(
      [
        { title: 'CHAIR', name: '王五', since: '2026-06-01' },
        { title: 'CHAIR', name: '赵六', since: '2026-07-01' },
      ],
      '2026-07-01',
    );
    expect(twoChairs.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'positions' }] });

    // Terms: no congress in the future, before the branch existed, or electing a body twice.
    const term = (congressDate: string, bodies: unknown[] = []) =>
      run(
        `mutation($id: ID!, $d: Date!, $b: [ElectedBodyInput!]) { recordTermChange(input: { organizationId: $id, congressDate: $d, bodies: $b }) { number } }`,
        {
          id: hs,
          d: congressDate,
          b: bodies,
        },
      );
    expect((await term('2027-03-01')).errors?.[0].extensions?.fields).toEqual([
      { field: 'input.congressDate', message: expect.stringContaining('future') },
    ]);
    expect((await term('1995-03-01')).errors?.[0].extensions?.fields).toMatchObject([{ field: 'input.congressDate' }]);
    const twice = await term('2022-03-01', [
      { kind: 'COUNCIL', size: 30 },
      { kind: 'COUNCIL', size: 20 },
    ]);
    expect(twice.errors?.[0].extensions?.fields).toEqual([{ field: 'input.bodies.1.kind', message: expect.stringContaining('twice') }]);
    expect((await term('2022-03-01', [{ kind: 'COUNCIL', size: 30 }])).errors).toBeUndefined();

    // Dissolution: once, within the branch's life, not in the future; nothing is recorded on or moved under a dissolved branch.
    const dissolve = (on: string | null) =>
      run(`mutation($id: ID!, $on: Date) { updateOrganization(id: $id, input: { dissolvedOn: $on }) { dissolvedOn } }`, { id: hs, on });
    expect((await dissolve('1999-01-01')).errors?.[0].extensions?.fields).toMatchObject([{ field: 'input.dissolvedOn' }]);
    expect((await dissolve('2031-01-01')).errors?.[0].extensions?.fields).toMatchObject([{ field: 'input.dissolvedOn' }]);
    expect((await dissolve('2026-11-30')).errors).toBeUndefined();
    expect((await dissolve('2026-12-01')).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await dissolve(null)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await party('2026-12-01')).errors?.[0].extensions?.fields).toMatchObject([
      { message: expect.stringContaining('dissolved on 2026-11-30') },
    ]);
    const under = await run(`mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p) { id } }`, { id: ids.xh, p: hs });
    expect(under.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // The term in force ends with the branch: it is not due for a change in later years.
    const due = await run(`query($w: ID!) { termChangesDue(year: 2028, within: $w) { totalCount } }`, { w: nb });
    expect(due.data.termChangesDue.totalCount).toBe(0);
    const regional = await run(`mutation($id: ID!) { updateOrganization(id: $id, input: { divisionCode: null }) { id } }`, { id: nb });
    expect(regional.errors?.[0].extensions?.fields).toEqual([
      { field: 'input.divisionCode', message: 'a regional branch keeps a division code' },
    ]);
    const later = await run(
      `mutation($p: ID!) { createOrganization(input: { name: "x", level: COUNTY, divisionCode: "330205", parentId: $p, establishedOn: "2031-01-01" }) { id } }`,
      {
        p: nb,
      },
    );
    expect(later.errors?.[0].extensions?.fields).toMatchObject([{ field: 'input.establishedOn' }]);
  });

  it('puts regional branches on divisions of GB/T 2260: the code exists, at the right level, inside the parent, with its type', async () => {
    const make = (input: string) =>
      run(`mutation($p: ID!) { createOrganization(input: { name: "x", ${input}, parentId: $p }) { id divisionType } }`, { p: ids.zj });
    const fieldOf = (r: any) => r.errors?.[0].extensions?.fields?.map((f: any) => f.field);
    expect(fieldOf(await make('level: COUNTY, divisionCode: "119910"'))).toEqual(['input.divisionCode']); // in no edition
    expect(fieldOf(await make('level: PREFECTURE, divisionCode: "330108"'))).toEqual(['input.level']); // 滨江区 is a county-level division
    expect(fieldOf(await make('level: PREFECTURE, divisionCode: "620100"'))).toEqual(['input.parentId']); // 兰州 is not in 浙江
    expect(fieldOf(await make('level: PREFECTURE, divisionCode: "330300", divisionType: COUNTY'))).toEqual(['input.divisionType']);
    const typed = await make('level: PREFECTURE, divisionCode: "330300"'); // 温州: the type comes from the data
    expect(typed.data.createOrganization.divisionType).toBe('PREFECTURE_CITY');
    const special = await run(
      `mutation($p: ID!) { createOrganization(input: { name: "中国铁路红十字会", level: PROVINCIAL, kind: SPECIAL_SYSTEM, parentId: $p }) { id } }`,
      { p: ids.hq },
    );
    expect(special.errors).toBeUndefined();
    const retype = await run(`mutation($id: ID!) { updateOrganization(id: $id, input: { divisionType: PREFECTURE_CITY }) { id } }`, {
      id: ids.xh,
    });
    expect(fieldOf(retype)).toEqual(['input.divisionType']);
  });

  it('moves a branch from a date: every read before it sees the old tree, from it the new one', async () => {
    const huzhou = await create({
      name: '湖州市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330500',
      parentId: ids.zj,
      establishedOn: '1990-01-01',
    });
    const jiaxing = await create({
      name: '嘉兴市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330400',
      parentId: ids.zj,
      establishedOn: '1990-01-01',
    });
    const wuxing = await create({
      name: '湖州市吴兴区红十字会',
      level: 'COUNTY',
      divisionCode: '330502',
      parentId: huzhou,
      establishedOn: '2000-01-01',
    });
    const fact = await run(
      `mutation($id: ID!) { recordGovernance(input: { organizationId: $id, fact: PARTY_GROUP, since: "2020-01-01" }) { id } }`,
      {
        id: wuxing,
      },
    );
    expect(fact.errors).toBeUndefined();
    const term = await run(`mutation($id: ID!) { recordTermChange(input: { organizationId: $id, congressDate: "2018-03-01" }) { id } }`, {
      id: wuxing,
    });
    expect(term.errors).toBeUndefined();
    const move = (on?: string) =>
      run(`mutation($id: ID!, $p: ID!, $on: Date) { moveOrganization(id: $id, parentId: $p, on: $on) { parent { divisionCode } } }`, {
        id: wuxing,
        p: jiaxing,
        on,
      });
    expect((await move('2030-01-01')).errors?.[0].extensions?.fields).toMatchObject([{ field: 'on' }]);
    const moved = await move('2026-06-01');
    expect(moved.errors).toBeUndefined();
    expect(moved.data.moveOrganization.parent.divisionCode).toBe('330400');
    // Nothing is inserted before a recorded move.
    const back = await run(`mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p, on: "2026-05-01") { id } }`, {
      id: wuxing,
      p: huzhou,
    });
    expect(back.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'on' }] });

    const partyGroups = async (id: string, asOf: string) =>
      (await run(`query($id: ID!, $d: Date!) { organization(id: $id) { survey(asOf: $d) { countiesWithPartyGroup } } }`, { id, d: asOf }))
        .data.organization.survey.countiesWithPartyGroup;
    expect([await partyGroups(huzhou, '2026-05-31'), await partyGroups(jiaxing, '2026-05-31')]).toEqual([1, 0]);
    expect([await partyGroups(huzhou, '2026-06-01'), await partyGroups(jiaxing, '2026-06-01')]).toEqual([0, 1]);
    expect(await partyGroups(ids.zj, '2026-05-31')).toBe(await partyGroups(ids.zj, '2026-06-01'));
    const tree = `query($id: ID!, $d: Date) { organization(id: $id) { children(asOf: $d) { divisionCode } } }`;
    const kids = async (id: string, d?: string) => (await run(tree, { id, d })).data.organization.children.map((c: any) => c.divisionCode);
    expect(await kids(huzhou, '2026-05-31')).toEqual(['330502']);
    expect(await kids(huzhou)).toEqual([]);
    expect(await kids(jiaxing, '2026-05-31')).toEqual([]);
    expect(await kids(jiaxing, '2026-06-01')).toEqual(['330502']);
    expect(await kids(huzhou, '1999-12-31')).toEqual([]); // not yet established
    const up = await run(
      `query($id: ID!) { organization(id: $id) { then: ancestors(asOf: "2026-05-31") { divisionCode } now: ancestors { divisionCode } parent(asOf: "2026-05-31") { divisionCode } } }`,
      {
        id: wuxing,
      },
    );
    expect(up.data.organization).toEqual({
      then: [{ divisionCode: '100000' }, { divisionCode: '330000' }, { divisionCode: '330500' }],
      now: [{ divisionCode: '100000' }, { divisionCode: '330000' }, { divisionCode: '330400' }],
      parent: { divisionCode: '330500' },
    });
  });

  it('merges a prefecture into another from a date: its counties move, it closes under the other, the outbox says so in order', async () => {
    const jinhua = await create({
      name: '金华市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330700',
      parentId: ids.zj,
      establishedOn: '1990-01-01',
    });
    const quzhou = await create({
      name: '衢州市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330800',
      parentId: ids.zj,
      establishedOn: '1990-01-01',
    });
    const kecheng = await create({
      name: '衢州市柯城区红十字会',
      level: 'COUNTY',
      divisionCode: '330802',
      parentId: quzhou,
      establishedOn: '1990-01-01',
    });
    expect(
      (
        await run(
          `mutation($id: ID!) { recordGovernance(input: { organizationId: $id, fact: PARTY_GROUP, since: "2020-01-01" }) { id } }`,
          { id: kecheng },
        )
      ).errors,
    ).toBeUndefined();
    const before = (await run('{ reorganizations(after: 0, first: 100) { seq } }')).data.reorganizations.length;
    const merge = (id: string, into: string, on?: string) =>
      run(
        `mutation($id: ID!, $into: ID!, $on: Date) { mergeOrganization(id: $id, intoId: $into, on: $on) { id dissolvedOn mergedInto { divisionCode } } }`,
        {
          id,
          into,
          on,
        },
      );
    const fieldOf = (r: any) => r.errors?.[0].extensions?.fields?.map((f: any) => f.field);
    expect(fieldOf(await merge(quzhou, kecheng))).toEqual(['intoId']); // into its own county
    expect(fieldOf(await merge(quzhou, ids.yw))).toEqual(['intoId']); // a prefecture into a county
    expect(fieldOf(await merge(quzhou, jinhua, '2031-01-01'))).toEqual(['on']);
    expect(fieldOf(await merge(ids.hq, jinhua))).toEqual(['id']);
    // Refusals wrote nothing.
    expect((await run('{ reorganizations(after: 0, first: 100) { seq } }')).data.reorganizations).toHaveLength(before);

    const merged = await merge(quzhou, jinhua, '2026-07-01');
    expect(merged.errors).toBeUndefined();
    expect(merged.data.mergeOrganization).toEqual({ id: quzhou, dissolvedOn: '2026-07-01', mergedInto: { divisionCode: '330700' } });
    const kids = async (id: string, d?: string) =>
      (
        await run(`query($id: ID!, $d: Date) { organization(id: $id) { children(asOf: $d) { divisionCode } } }`, { id, d })
      ).data.organization.children.map((c: any) => c.divisionCode);
    expect(await kids(jinhua, '2026-06-30')).toEqual([]);
    expect(await kids(jinhua)).toEqual(['330802']);
    expect(await kids(quzhou, '2026-06-30')).toEqual(['330802']);
    expect(await kids(ids.zj, '2026-06-30')).toContain('330800');
    expect(await kids(ids.zj)).not.toContain('330800');
    const partyGroups = async (id: string, asOf: string) =>
      (await run(`query($id: ID!, $d: Date!) { organization(id: $id) { survey(asOf: $d) { countiesWithPartyGroup } } }`, { id, d: asOf }))
        .data.organization.survey.countiesWithPartyGroup;
    expect([await partyGroups(quzhou, '2026-06-30'), await partyGroups(jinhua, '2026-06-30')]).toEqual([1, 0]);
    expect([await partyGroups(quzhou, '2026-07-01'), await partyGroups(jinhua, '2026-07-01')]).toEqual([0, 1]);
    // The outbox: the county moved, then the prefecture closed under 金华, then its dissolution.
    const events = (await run('query($a: Int!) { reorganizations(after: $a, first: 100) { kind branchId toPath on } }', { a: before })).data
      .reorganizations;
    expect(events.map((e: any) => [e.kind, e.branchId, e.toPath.at(-2), e.on])).toEqual([
      ['MOVE', kecheng, jinhua, '2026-07-01'],
      ['MERGE', quzhou, jinhua, '2026-07-01'],
      ['DISSOLVE', quzhou, jinhua, '2026-07-01'],
    ]);
    // Closed once: a second merge or a dissolution is refused.
    expect((await merge(quzhou, jinhua)).errors?.[0].extensions?.fields).toEqual([
      { field: 'id', message: expect.stringContaining('dissolved') },
    ]);
  });

  it('renames and re-codes a branch from a date (撤县设市): earlier names, codes and types stay readable', async () => {
    const chunan = await create({
      name: '杭州市淳安县红十字会',
      level: 'COUNTY',
      divisionCode: '330127',
      parentId: ids.hz,
      establishedOn: '2000-01-01',
    });
    const rename = (input: Record<string, unknown>, on?: string) =>
      run(
        `mutation($id: ID!, $input: RenameOrganizationInput!, $on: Date) { renameOrganization(id: $id, input: $input, on: $on) { name divisionCode divisionName divisionType } }`,
        {
          id: chunan,
          input,
          on,
        },
      );
    const before = (await run('{ reorganizations(after: 0, first: 100) { seq } }')).data.reorganizations.length;
    expect((await rename({ divisionCode: '330106' }, '2026-03-01')).errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      fields: [{ field: 'input.divisionCode' }],
    });
    expect((await rename({}, '2026-03-01')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await rename({ name: '未来' }, '2031-01-01')).errors?.[0].extensions?.fields).toMatchObject([{ field: 'on' }]);
    const renamed = await rename({ name: '杭州市建德市红十字会', divisionCode: '330182' }, '2026-03-01');
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data.renameOrganization).toMatchObject({
      name: '杭州市建德市红十字会',
      divisionCode: '330182',
      divisionType: 'COUNTY_CITY',
    });
    expect((await rename({ name: '更早' }, '2026-02-01')).errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      fields: [{ field: 'on' }],
    });
    const read = await run(
      `query($id: ID!) { organization(id: $id) { then: identity(asOf: "2026-02-28") { name divisionCode divisionType until } now: identity { divisionCode divisionType } identityHistory { divisionCode until } } }`,
      { id: chunan },
    );
    expect(read.data.organization).toEqual({
      then: { name: '杭州市淳安县红十字会', divisionCode: '330127', divisionType: 'COUNTY', until: '2026-03-01' },
      now: { divisionCode: '330182', divisionType: 'COUNTY_CITY' },
      identityHistory: [
        { divisionCode: '330127', until: '2026-03-01' },
        { divisionCode: '330182', until: null },
      ],
    });
    expect((await run(`{ organization(divisionCode: "330182") { id } }`)).data.organization.id).toBe(chunan);
    const events = (await run('query($a: Int!) { reorganizations(after: $a, first: 100) { kind branchId on } }', { a: before })).data
      .reorganizations;
    expect(events).toEqual([{ kind: 'RENAME', branchId: chunan, on: '2026-03-01' }]);
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
    // A branch outside the viewer's subtree asked for by name is refused, not silently answered with 0.
    const withinOutside = await as(hzAdmin, `query($w: ID!) { termChangesDue(year: 2021, within: $w) { totalCount } }`, { w: ids.yw });
    expect(withinOutside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const withinInside = await as(hzAdmin, `query($w: ID!) { termChangesDue(year: 2021, within: $w) { totalCount } }`, { w: ids.xh });
    expect(withinInside.data.termChangesDue.totalCount).toBe(1);
    const report = await as(
      hzAdmin,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Survey { countiesRationalized } } }`,
      { reps: [{ __typename: 'Survey', organizationId: ids.zj, asOf: '2021-06-30' }] },
    );
    expect(report.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await as({ userId: null, organizationId: null, roles: [], token: null }, `{ organizations { totalCount } }`);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers the annex tables on the branch itself: reader roles inside their subtree, FORBIDDEN on that field only otherwise', async () => {
    const as = (viewer: Viewer, query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables, viewer);
    const tables = `query($id: ID!) { organization(id: $id) { name survey(asOf: "2021-06-30") { organizationId asOf countiesRationalized } annualIncrease(year: 2021) { year countiesRationalized } } }`;
    const reporter = await as(testViewer(['REPORTER'], ids.zj), tables, { id: ids.hz });
    expect(reporter.errors).toBeUndefined();
    expect(reporter.data.organization.survey).toMatchObject({ organizationId: ids.hz, asOf: '2021-06-30' });
    expect(reporter.data.organization.annualIncrease).toMatchObject({ year: 2021 });
    const outside = await as(testViewer(['ADMIN'], ids.yw), tables, { id: ids.zj });
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(outside.errors?.[0].message).toContain('浙江省红十字会');
    // A role that may not read aggregates loses these two fields, not the branch.
    const training = await as(testViewer(['TRAINING_MANAGER'], ids.zj), tables, { id: ids.zj });
    expect(training.errors?.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(training.errors?.[0].message).toContain('ADMIN or STAFF or REPORTER or VIEWER or SERVICE');
    expect(training.data.organization).toEqual({ name: '浙江省红十字会', survey: null, annualIncrease: null });
    const badYear = await as(
      testViewer(['REPORTER'], ids.zj),
      `query($id: ID!) { organization(id: $id) { annualIncrease(year: 99999) { year } } }`,
      {
        id: ids.zj,
      },
    );
    expect(badYear.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
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
      [
        '2010-12-31',
        '2019-01-01',
        '2020-06-30',
        '2020-12-31',
        '2021-01-01',
        '2021-06-30',
        '2021-12-31',
        '2024-01-01',
        '2026-05-31',
        '2026-06-01',
        '2030-12-31',
      ],
      [2019, 2020, 2021, 2022, 2025, 2026],
    );
  });
});
