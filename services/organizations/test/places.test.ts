// Issue 24 items 1-2 for branches: contact details and a GCJ-02 location validated with the rules
// units and homes use (service-kit's places), audited; a GeoJSON map of a subtree's branches;
// groups of branches (示范县 …) with dated memberships, a list filter and counts by group.
import { testViewer } from '@rcsc/testing';
import type { Viewer } from '@rcsc/service-kit';
import { fields, useOrganizations } from './fixture';

describe('branch contacts, locations, map and groups', () => {
  const { service, run, ok, ids, create, createNationalAndZhejiang } = useOrganizations('organizations_places');

  beforeAll(async () => {
    await createNationalAndZhejiang();
    await create('js', { name: '江苏省红十字会', level: 'PROVINCIAL', divisionCode: '320000', parentId: ids.hq });
    await create('hz', { name: '杭州市红十字会', level: 'PREFECTURE', divisionCode: '330100', parentId: ids.zj });
    await create('ca', { name: '杭州市淳安县红十字会', level: 'COUNTY', divisionCode: '330127', parentId: ids.hz });
    await create('tl', { name: '杭州市桐庐县红十字会', level: 'COUNTY', divisionCode: '330122', parentId: ids.hz });
    await create('jd', {
      name: '杭州市建德市红十字会',
      level: 'COUNTY',
      divisionCode: '330182',
      parentId: ids.hz,
      establishedOn: '2022-01-01',
    });
  });

  const setContact = (id: string, args: string, viewer?: Viewer) =>
    run(
      `mutation($id: ID!) { setOrganizationContact(id: $id${args}) { contact { address postcode phone email website } location { longitude latitude coordinateSystem } } }`,
      { id },
      viewer,
    );

  describe('contact details and location', () => {
    it('stores them (STAFF of the subtree may), states the coordinate system, and audits before and after', async () => {
      const r = await setContact(
        ids.hz,
        `, contact: { address: "杭州市上城区解放路", postcode: "310009", phone: "0571-87000000", email: "hz@example.cn", website: "https://www.hzredcross.example" }, location: { longitude: 120.17, latitude: 30.25 }`,
        testViewer(['STAFF'], ids.zj),
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.setOrganizationContact).toEqual({
        contact: {
          address: '杭州市上城区解放路',
          postcode: '310009',
          phone: '0571-87000000',
          email: 'hz@example.cn',
          website: 'https://www.hzredcross.example',
        },
        location: { longitude: 120.17, latitude: 30.25, coordinateSystem: 'GCJ-02' },
      });
      // Left out: unchanged; null: removed.
      const removed = await setContact(ids.hz, ', contact: null');
      expect(removed.data.setOrganizationContact).toEqual({
        contact: null,
        location: { longitude: 120.17, latitude: 30.25, coordinateSystem: 'GCJ-02' },
      });
      const audit = await ok(
        `query($id: ID!) { organization(id: $id) { organizationsAudit(first: 2) { nodes { action before after } } } }`,
        { id: ids.hz },
      );
      const [last, first] = audit.organization.organizationsAudit.nodes;
      expect(last.action).toBe('setOrganizationContact');
      expect(JSON.parse(last.before).contact).toMatchObject({ postcode: '310009' });
      expect(JSON.parse(last.after).contact).toBeNull();
      expect(JSON.parse(first.after).location).toEqual({ longitude: 120.17, latitude: 30.25 });
    });

    it('refuses what units and homes refuse (the same rules), naming each field, and writes nothing', async () => {
      const bad = await setContact(
        ids.ca,
        `, contact: { phone: "call us", email: "not-an-email", postcode: "31000", website: "ftp://x.example" }, location: { longitude: 10, latitude: 30 }`,
      );
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(fields(bad)).toEqual(['contact.email', 'contact.phone', 'contact.postcode', 'contact.website', 'location.longitude']);
      expect(
        (await ok(`query($id: ID!) { organization(id: $id) { contact { phone } location { latitude } } }`, { id: ids.ca })).organization,
      ).toEqual({
        contact: null,
        location: null,
      });
      // Outside the viewer's subtree, or a role that keeps no registers: FORBIDDEN.
      expect(
        (await setContact(ids.ca, ', location: { longitude: 119, latitude: 29.6 }', testViewer(['ADMIN'], ids.js))).errors?.[0].extensions
          ?.code,
      ).toBe('FORBIDDEN');
      expect(
        (await setContact(ids.ca, ', location: { longitude: 119, latitude: 29.6 }', testViewer(['VIEWER'], ids.hz))).errors?.[0].extensions
          ?.code,
      ).toBe('FORBIDDEN');
    });

    it('draws the located branches of a subtree standing on a date as a GeoJSON FeatureCollection, paginated', async () => {
      await ok(
        `mutation($id: ID!) { setOrganizationContact(id: $id, location: { longitude: 119.04, latitude: 29.61 }, contact: { address: "淳安县千岛湖镇" }) { id } }`,
        { id: ids.ca },
      );
      await ok(`mutation($id: ID!) { setOrganizationContact(id: $id, location: { longitude: 119.28, latitude: 29.48 }) { id } }`, {
        id: ids.jd,
      });
      const map = async (asOf: string, first = 10, after?: string) =>
        (
          await ok(
            `query($r: ID!, $d: Date, $n: Int, $a: String) { branchMap(rootId: $r, asOf: $d, first: $n, after: $a) { type totalCount pageInfo { hasNextPage endCursor }
              features { type id geometry { type coordinates } properties { name level divisionCode parentId address } } } }`,
            { r: ids.hz, d: asOf, n: first, a: after },
          )
        ).branchMap;
      const now = await map('2026-06-01');
      expect(now.type).toBe('FeatureCollection');
      expect(now.totalCount).toBe(3);
      expect(now.features.map((f: any) => f.properties.divisionCode)).toEqual(['330100', '330127', '330182']);
      expect(now.features[1]).toEqual({
        type: 'Feature',
        id: ids.ca,
        geometry: { type: 'Point', coordinates: [119.04, 29.61] },
        properties: { name: '杭州市淳安县红十字会', level: 'COUNTY', divisionCode: '330127', parentId: ids.hz, address: '淳安县千岛湖镇' },
      });
      // 建德 was not yet established in 2021.
      expect((await map('2021-06-01')).totalCount).toBe(2);
      const page1 = await map('2026-06-01', 2);
      const page2 = await map('2026-06-01', 2, page1.pageInfo.endCursor);
      expect([...page1.features, ...page2.features].map((f: any) => f.id)).toEqual(now.features.map((f: any) => f.id));
      const outside = await run(`query($r: ID!) { branchMap(rootId: $r) { totalCount } }`, { r: ids.hz }, testViewer(['VIEWER'], ids.js));
      expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('groups of branches', () => {
    const group = async (organizationId: string, name: string, groupSet: string, viewer?: Viewer) =>
      run(
        `mutation($input: CreateBranchGroupInput!) { createBranchGroup(input: $input) { id name groupSet definedBy { id } } }`,
        {
          input: { organizationId, name, groupSet },
        },
        viewer,
      );
    const join = (organizationId: string, groupId: string, since: string, viewer?: Viewer) =>
      run(
        `mutation($o: ID!, $g: ID!, $s: Date!) { joinBranchGroup(organizationId: $o, groupId: $g, since: $s) { id } }`,
        { o: organizationId, g: groupId, s: since },
        viewer,
      );
    const leave = (organizationId: string, groupId: string, on: string) =>
      run(`mutation($o: ID!, $g: ID!, $on: Date!) { leaveBranchGroup(organizationId: $o, groupId: $g, on: $on) { id } }`, {
        o: organizationId,
        g: groupId,
        on,
      });
    const gids: Record<string, string> = {};

    it('lets national and provincial ADMINs define groups; others are refused', async () => {
      const national = await group(ids.hq, '全国红十字示范县', '示范县');
      expect(national.errors).toBeUndefined();
      gids.national = national.data.createBranchGroup.id;
      const provincial = await group(ids.zj, '浙江省示范县', '示范县', testViewer(['ADMIN'], ids.zj));
      expect(provincial.errors).toBeUndefined();
      gids.zj = provincial.data.createBranchGroup.id;
      gids.pilot = (await group(ids.zj, '应急救护试点县', '试点县')).data.createBranchGroup.id;
      expect(fields(await group(ids.hz, '杭州示范', '示范县'))).toEqual(['input.organizationId']); // a prefecture defines none
      expect((await group(ids.zj, '浙江省示范县', '示范县')).errors?.[0].extensions?.code).toBe('CONFLICT');
      expect((await group(ids.zj, 'x', '示范县', testViewer(['STAFF'], ids.zj))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await group(ids.zj, 'x', '示范县', testViewer(['ADMIN'], ids.js))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(fields(await group(ids.zj, ' ', ''))).toEqual(['input.groupSet', 'input.name']);
      const usable = await ok(`query($id: ID!) { organization(id: $id) { branchGroups { name definedBy { id } } } }`, { id: ids.ca });
      expect(usable.organization.branchGroups.map((g: any) => g.name)).toEqual(['全国红十字示范县', '浙江省示范县', '应急救护试点县']);
      const js = await ok(`query($id: ID!) { organization(id: $id) { branchGroups { name } } }`, { id: ids.js });
      expect(js.organization.branchGroups.map((g: any) => g.name)).toEqual(['全国红十字示范县']);
    });

    it('dates memberships: joined on, left on, one group of a set at a time, groups defined above only', async () => {
      expect((await join(ids.ca, gids.zj, '2021-03-01')).errors).toBeUndefined();
      expect((await join(ids.ca, gids.pilot, '2021-05-01')).errors).toBeUndefined();
      expect((await join(ids.tl, gids.zj, '2021-06-01', testViewer(['ADMIN'], ids.hz))).errors).toBeUndefined();
      // Another group of the same set while a member: CONFLICT; the same group twice too.
      expect((await join(ids.ca, gids.national, '2021-04-01')).errors?.[0].extensions).toMatchObject({
        code: 'CONFLICT',
        fields: [{ field: 'groupId' }],
      });
      expect((await join(ids.ca, gids.zj, '2021-09-01')).errors?.[0].extensions?.code).toBe('CONFLICT');
      // Dates within the branch's life and not in the future; a group of another province; staff may not assign.
      expect(fields(await join(ids.jd, gids.zj, '2021-01-01'))).toEqual(['since']);
      expect(fields(await join(ids.jd, gids.zj, '2099-01-01'))).toEqual(['since']);
      const jsGroup = (await group(ids.js, '江苏省示范县', '示范县')).data.createBranchGroup.id;
      expect(fields(await join(ids.ca, jsGroup, '2021-03-01'))).toEqual(['groupId']);
      expect((await join(ids.jd, gids.zj, '2022-03-01', testViewer(['STAFF'], ids.hz))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(fields(await leave(ids.ca, gids.zj, '2021-02-01'))).toEqual(['on']);
      expect((await leave(ids.jd, gids.zj, '2022-02-01')).errors?.[0].extensions?.code).toBe('CONFLICT');
      // 淳安 leaves the provincial set and joins the national one the same day.
      expect((await leave(ids.ca, gids.zj, '2022-01-01')).errors).toBeUndefined();
      expect((await join(ids.ca, gids.national, '2022-01-01')).errors).toBeUndefined();
      const o = await ok(
        `query($id: ID!) { organization(id: $id) { then: groups(asOf: "2021-12-31") { name } now: groups { name } groupMemberships { group { name } since until } } }`,
        { id: ids.ca },
      );
      expect(o.organization.then.map((g: any) => g.name).sort()).toEqual(['应急救护试点县', '浙江省示范县']);
      expect(o.organization.now.map((g: any) => g.name).sort()).toEqual(['全国红十字示范县', '应急救护试点县']);
      expect(o.organization.groupMemberships).toEqual([
        { group: { name: '浙江省示范县' }, since: '2021-03-01', until: '2022-01-01' },
        { group: { name: '应急救护试点县' }, since: '2021-05-01', until: null },
        { group: { name: '全国红十字示范县' }, since: '2022-01-01', until: null },
      ]);
    });

    it('filters lists by group on a date and counts the branches of a subtree per group, annex-style', async () => {
      const list = async (g: string, on?: string) =>
        (
          await ok(
            `query($g: ID!, $d: Date) { organizations(filter: { group: $g, groupAsOf: $d }) { totalCount nodes { divisionCode } } }`,
            {
              g,
              d: on,
            },
          )
        ).organizations;
      expect(await list(gids.zj, '2021-07-01')).toEqual({ totalCount: 2, nodes: [{ divisionCode: '330122' }, { divisionCode: '330127' }] });
      expect(await list(gids.zj)).toEqual({ totalCount: 1, nodes: [{ divisionCode: '330122' }] });
      expect((await run(`{ organizations(filter: { group: "nope" }) { totalCount } }`)).errors?.[0].extensions?.fields).toEqual([
        expect.objectContaining({ field: 'filter.group' }),
      ]);
      const counts = async (id: string, asOf: string, set?: string, viewer?: Viewer) =>
        run(
          `query($id: ID!, $d: Date, $s: String) { organization(id: $id) { branchGroupCounts(asOf: $d, groupSet: $s) { group { name } branches } } }`,
          {
            id,
            d: asOf,
            s: set,
          },
          viewer,
        );
      const at = async (asOf: string, set?: string) =>
        Object.fromEntries(
          ((await counts(ids.hz, asOf, set)).data.organization.branchGroupCounts as any[]).map((c) => [c.group.name, c.branches]),
        );
      expect(await at('2021-07-01')).toEqual({ 全国红十字示范县: 0, 浙江省示范县: 2, 应急救护试点县: 1 });
      expect(await at('2022-01-01')).toEqual({ 全国红十字示范县: 1, 浙江省示范县: 1, 应急救护试点县: 1 });
      expect(await at('2022-01-01', '示范县')).toEqual({ 全国红十字示范县: 1, 浙江省示范县: 1 });
      expect(await at('2020-12-31')).toEqual({ 全国红十字示范县: 0, 浙江省示范县: 0, 应急救护试点县: 0 });
      // Readers inside the subtree; FORBIDDEN outside it (the rest of the branch stands).
      expect((await counts(ids.hz, '2022-01-01', undefined, testViewer(['REPORTER'], ids.zj))).errors).toBeUndefined();
      const outside = await counts(ids.hz, '2022-01-01', undefined, testViewer(['REPORTER'], ids.js));
      expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      // A dissolved branch no longer counts from its dissolution.
      await ok(`mutation($id: ID!) { updateOrganization(id: $id, input: { dissolvedOn: "2023-01-01" }) { id } }`, { id: ids.tl });
      expect(await at('2023-01-01')).toEqual({ 全国红十字示范县: 1, 浙江省示范县: 0, 应急救护试点县: 1 });
    });

    it('draws the map and counts by group on the tree of the date: a county moved to another prefecture counts under the old one before the move', async () => {
      await create('nb', { name: '宁波市红十字会', level: 'PREFECTURE', divisionCode: '330200', parentId: ids.zj });
      await ok(`mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p, on: "2025-01-01") { id } }`, {
        id: ids.ca,
        p: ids.nb,
      });
      const mapped = async (root: string, asOf: string) =>
        (
          await ok(`query($r: ID!, $d: Date) { branchMap(rootId: $r, asOf: $d) { features { id } } }`, { r: root, d: asOf })
        ).branchMap.features.map((f: { id: string }) => f.id);
      expect(await mapped(ids.hz, '2024-12-31')).toContain(ids.ca);
      expect(await mapped(ids.hz, '2025-01-01')).not.toContain(ids.ca);
      expect(await mapped(ids.nb, '2024-12-31')).toEqual([]);
      expect(await mapped(ids.nb, '2025-01-01')).toEqual([ids.ca]);
      const counted = async (root: string, asOf: string) =>
        Object.fromEntries(
          (
            (
              await ok(`query($id: ID!, $d: Date) { organization(id: $id) { branchGroupCounts(asOf: $d) { group { name } branches } } }`, {
                id: root,
                d: asOf,
              })
            ).organization.branchGroupCounts as { group: { name: string }; branches: number }[]
          ).map((c) => [c.group.name, c.branches]),
        );
      const [hzBefore, hzAfter, nbBefore, nbAfter] = await Promise.all([
        counted(ids.hz, '2024-12-31'),
        counted(ids.hz, '2025-01-01'),
        counted(ids.nb, '2024-12-31'),
        counted(ids.nb, '2025-01-01'),
      ]);
      // What 淳安 took along is what 宁波 counts from the move, and nothing before it.
      for (const name of Object.keys(nbAfter)) expect([name, hzBefore[name] - hzAfter[name]]).toEqual([name, nbAfter[name]]);
      expect(Object.values(nbBefore).every((n) => n === 0)).toBe(true);
      expect(Object.values(nbAfter).some((n) => n > 0)).toBe(true);
    });

    it('counts by group in a constant number of database commands, whatever the subtree', async () => {
      const q = `query($id: ID!) { organization(id: $id) { branchGroupCounts(asOf: "2022-01-01") { group { name definedBy { name } } branches } } }`;
      service().db.commands.reset();
      await ok(q, { id: ids.ca });
      const small = service().db.commands.count();
      service().db.commands.reset();
      await ok(q, { id: ids.zj });
      expect(service().db.commands.count()).toBe(small);
    });
  });
});
