import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import type { Role } from '@rcsc/service-kit';
import { matrixBranches, matrixCalls, startTestService, type MatrixMutation, type TestService } from '@rcsc/testing';
import { auditLog, codeOf, collectionsState, expectRegisterWrite, recordMutation } from '@rcsc/testing';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const ids = matrixBranches(tree, nationalId());

describe('grassroots authorization and audit', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const matrix = matrixCalls(() => svc.subgraph);
  const { run, as, v, created: mutate } = matrix;

  const unitIn = (org: string, extra: Record<string, unknown> = {}) =>
    mutate('registerGrassrootsUnit', `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`, {
      input: {
        organizationId: org,
        name: `单位${Math.random().toString(36).slice(2, 8)}`,
        type: 'COMMUNITY',
        establishedOn: '2019-01-01',
        ...extra,
      },
    });
  const homeIn = (org: string, extra: Record<string, unknown> = {}) =>
    mutate('openBoaiHome', `mutation($input: OpenBoaiHomeInput!) { openBoaiHome(input: $input) { id } }`, {
      input: {
        organizationId: org,
        name: `家园${Math.random().toString(36).slice(2, 8)}`,
        setting: 'URBAN',
        community: '某社区',
        openedOn: '2019-01-01',
        ...extra,
      },
    });
  const institutionIn = (org: string, extra: Record<string, unknown> = {}) =>
    mutate(
      'registerMedicalInstitution',
      `mutation($input: RegisterMedicalInstitutionInput!) { registerMedicalInstitution(input: $input) { id } }`,
      { input: { organizationId: org, name: `医院${Math.random().toString(36).slice(2, 8)}`, ...extra } },
    );

  /** Everything a mutation could change: every collection, the audit log included. */
  const state = () => {
    const { GrassrootsUnit, MedicalInstitution, BoaiHome, Audit } = svc.subgraph.models;
    return collectionsState({ units: GrassrootsUnit, institutions: MedicalInstitution, homes: BoaiHome }, Audit)();
  };

  beforeAll(async () => {
    const directory = StaticDirectory.fromTree(tree);
    svc = await startTestService('grassroots_authz', (connection) => createServer(connection, { directory }));
  });
  afterAll(() => svc.stop());

  describe('mutations: ADMIN and STAFF inside the subtree only', () => {
    const cases: MatrixMutation[] = [
      {
        name: 'registerGrassrootsUnit',
        prepare: async (org) => ({
          query: `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`,
          variables: { input: { organizationId: org, name: '新单位', type: 'STREET', establishedOn: '2020-01-01' } },
        }),
      },
      recordMutation(
        'updateGrassrootsUnit',
        unitIn,
        `mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { name: "改名" }) { id } }`,
      ),
      {
        name: 'assessGrassrootsUnit',
        prepare: async (org) => {
          const item = { met: true };
          return {
            query: `mutation($id: ID!, $input: FiveHasAssessmentInput!) { assessGrassrootsUnit(id: $id, input: $input) { id } }`,
            variables: {
              id: await unitIn(org),
              input: { assessedOn: '2021-03-01', leader: item, team: item, rules: item, platform: item, activities: item },
            },
          };
        },
      },
      {
        name: 'correctGrassrootsAssessment',
        prepare: async (org) => {
          const item = { met: true };
          return {
            query: `mutation($id: ID!, $input: CorrectFiveHasAssessmentInput!) { correctGrassrootsAssessment(id: $id, input: $input) { id } }`,
            variables: {
              id: await unitIn(org),
              input: { assessedOn: '2020-03-01', leader: item, team: item, rules: item, platform: item, activities: item, reason: '补录' },
            },
          };
        },
      },
      recordMutation(
        'installSchoolEquipment',
        (org) => unitIn(org, { type: 'SCHOOL' }),
        `mutation($id: ID!) { installSchoolEquipment(id: $id, input: { kind: AED, count: 2, installedOn: "2021-03-01" }) { id } }`,
      ),
      {
        name: 'removeSchoolEquipment',
        prepare: async (org) => {
          const id = await unitIn(org, { type: 'SCHOOL', school: { aeds: 2 } });
          const unit = await svc.subgraph.models.GrassrootsUnit.findById(id).lean();
          return {
            query: `mutation($id: ID!, $e: ID!) { removeSchoolEquipment(id: $id, input: { equipmentId: $e, removedOn: "2021-03-01" }) { id } }`,
            variables: { id, e: String(unit!.equipment![0]._id) },
          };
        },
      },
      {
        name: 'correctSchoolEquipment',
        prepare: async (org) => {
          const id = await unitIn(org, { type: 'SCHOOL', school: { aeds: 2 } });
          const unit = await svc.subgraph.models.GrassrootsUnit.findById(id).lean();
          return {
            query: `mutation($id: ID!, $e: ID!) { correctSchoolEquipment(id: $id, input: { equipmentId: $e, count: 3, reason: "清点" }) { id } }`,
            variables: { id, e: String(unit!.equipment![0]._id) },
          };
        },
      },
      recordMutation(
        'dissolveGrassrootsUnit',
        unitIn,
        `mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-06-01" }) { id } }`,
      ),
      {
        name: 'registerMedicalInstitution',
        prepare: async (org) => ({
          query: `mutation($org: ID!) { registerMedicalInstitution(input: { organizationId: $org, name: "新医院" }) { id } }`,
          variables: { org },
        }),
      },
      recordMutation(
        'updateMedicalInstitution',
        institutionIn,
        `mutation($id: ID!) { updateMedicalInstitution(id: $id, input: { redCrossNamed: true }) { id } }`,
      ),
      {
        name: 'openBoaiHome',
        prepare: async (org) => ({
          query: `mutation($org: ID!) { openBoaiHome(input: { organizationId: $org, name: "新家园", setting: RURAL, community: "某村", openedOn: "2021-01-01" }) { id } }`,
          variables: { org },
        }),
      },
      recordMutation(
        'updateBoaiHome',
        homeIn,
        `mutation($id: ID!) { updateBoaiHome(id: $id, input: { services: [ELDERLY_CARE] }) { id } }`,
      ),
      recordMutation(
        'designateDemonstrationSite',
        homeIn,
        `mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2021-05-01") { id } }`,
      ),
      {
        name: 'revokeDemonstrationSite',
        prepare: async (org) => {
          const id = await homeIn(org);
          await run(`mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2020-05-01") { id } }`, { id });
          return {
            query: `mutation($id: ID!) { revokeDemonstrationSite(id: $id, input: { revokedOn: "2021-05-01" }) { id } }`,
            variables: { id },
          };
        },
      },
      {
        name: 'correctDemonstrationSite',
        prepare: async (org) => {
          const id = await homeIn(org);
          await run(`mutation($id: ID!) { designateDemonstrationSite(id: $id, designatedOn: "2020-05-01") { id } }`, { id });
          return {
            query: `mutation($id: ID!) { correctDemonstrationSite(id: $id, input: { since: "2020-04-01", reason: "批文日期" }) { id } }`,
            variables: { id },
          };
        },
      },
      recordMutation('closeBoaiHome', homeIn, `mutation($id: ID!) { closeBoaiHome(id: $id, input: { closedOn: "2021-08-01" }) { id } }`),
    ];

    it.each(cases)('$name: allowed inside, FORBIDDEN outside and for read-only roles, changing nothing when refused', (c) =>
      expectRegisterWrite(svc.subgraph, ids, state, c),
    );

    it('keeps an unknown branch NOT_FOUND for an allowed role, and a branch outside the subtree FORBIDDEN', async () => {
      const q = `mutation($org: ID!) { registerMedicalInstitution(input: { organizationId: $org, name: "某院" }) { id } }`;
      const unknown = await as(v('STAFF', ids.xh), q, { org: 'f'.repeat(24) });
      expect(codeOf(unknown)).toBe('NOT_FOUND');
      expect(unknown.errors?.[0].extensions?.fields).toEqual([{ field: 'input.organizationId', message: 'no branch has this id' }]);
      // The prefecture above the viewer's county is outside the county's subtree.
      const above = await as(v('STAFF', ids.xh), q, { org: ids.hz });
      expect(codeOf(above)).toBe('FORBIDDEN');
      const national = await as(v('ADMIN', ids.hq), q, { org: ids.yw });
      expect(national.errors).toBeUndefined();
    });

    it("registers a unit only in the viewer's subtree, even for an institution inside it", async () => {
      // An institution in Xihu, a HOSPITAL unit for it registered at the Hangzhou level by Hangzhou staff.
      const inst = await institutionIn(ids.xh, { redCrossNamed: true });
      const q = `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`;
      const input = {
        organizationId: ids.hz,
        name: '杭州某医院红十字会',
        type: 'HOSPITAL',
        establishedOn: '2020-01-01',
        medicalInstitutionId: inst,
      };
      expect(codeOf(await as(v('STAFF', ids.xh), q, { input }))).toBe('FORBIDDEN');
      const ok = await as(v('STAFF', ids.hz), q, { input });
      expect(ok.errors).toBeUndefined();
    });
  });

  describe('reads: lists, single records, entities and aggregates inside the subtree only', () => {
    const rec: Record<string, string> = {};

    beforeAll(async () => {
      rec.xhUnit = await unitIn(ids.xh, { name: '西湖读单位', leader: { name: '李四', phone: '13900001111' } });
      rec.yhUnit = await unitIn(ids.yh, { name: '余杭读单位' });
      rec.ywUnit = await unitIn(ids.yw, { name: '义乌读单位' });
      rec.xhHome = await homeIn(ids.xh, { name: '西湖读家园' });
      rec.ywHome = await homeIn(ids.yw, { name: '义乌读家园' });
      rec.xhInst = await institutionIn(ids.xh, { name: '西湖读医院', redCrossNamed: true });
      rec.ywInst = await institutionIn(ids.yw, { name: '义乌读医院', redCrossNamed: true });
      // A unit at the Hangzhou level for the Xihu institution: above a Xihu viewer's subtree.
      rec.hzUnit = await unitIn(ids.hz, { name: '杭州读医院红十字会', type: 'HOSPITAL', medicalInstitutionId: rec.xhInst });
    });

    const lists = `{
      grassrootsUnits(first: 100) { totalCount nodes { id } }
      boaiHomes(first: 100) { totalCount nodes { id } }
      medicalInstitutions(first: 100) { totalCount nodes { id } }
    }`;
    const idsOf = (conn: { nodes: { id: string }[] }) => conn.nodes.map((n) => n.id);

    it('lists only the viewer’s subtree at the root, whatever the filter asks', async () => {
      for (const role of ['VIEWER', 'REPORTER', 'STAFF', 'ADMIN', 'TRAINING_MANAGER'] as Role[]) {
        const r = await as(v(role, ids.xh), lists);
        expect(r.errors).toBeUndefined();
        expect(idsOf(r.data.grassrootsUnits)).toEqual(expect.arrayContaining([rec.xhUnit]));
        expect(idsOf(r.data.grassrootsUnits)).not.toContain(rec.ywUnit);
        expect(idsOf(r.data.grassrootsUnits)).not.toContain(rec.yhUnit);
        expect(idsOf(r.data.grassrootsUnits)).not.toContain(rec.hzUnit);
        expect(idsOf(r.data.boaiHomes)).toContain(rec.xhHome);
        expect(idsOf(r.data.boaiHomes)).not.toContain(rec.ywHome);
        expect(idsOf(r.data.medicalInstitutions)).toContain(rec.xhInst);
        expect(idsOf(r.data.medicalInstitutions)).not.toContain(rec.ywInst);
      }
      // Every unit, home and institution the Xihu viewer sees is in Xihu.
      const all = await as(v('VIEWER', ids.xh), lists);
      const stored = await svc.subgraph.models.GrassrootsUnit.find({ _id: { $in: idsOf(all.data.grassrootsUnits) } }).lean();
      expect(stored.every((u) => u.orgPath.map(String).includes(ids.xh))).toBe(true);
      expect(all.data.grassrootsUnits.totalCount).toBe(
        await svc.subgraph.models.GrassrootsUnit.countDocuments({ orgPath: ids.xh, dissolvedOn: null }),
      );

      const within = await as(
        v('VIEWER', ids.xh),
        `query($id: ID!) { grassrootsUnits(filter: { within: $id }) { totalCount } boaiHomes(filter: { within: $id }) { totalCount } medicalInstitutions(filter: { within: $id }) { totalCount } }`,
        { id: ids.yw },
      );
      expect(within.data).toEqual({
        grassrootsUnits: { totalCount: 0 },
        boaiHomes: { totalCount: 0 },
        medicalInstitutions: { totalCount: 0 },
      });
      // The prefecture sees both of its counties and its own level, not Jinhua's.
      const hz = await as(v('VIEWER', ids.hz), lists);
      expect(idsOf(hz.data.grassrootsUnits)).toEqual(expect.arrayContaining([rec.xhUnit, rec.yhUnit, rec.hzUnit]));
      expect(idsOf(hz.data.grassrootsUnits)).not.toContain(rec.ywUnit);
      // A viewer without a branch sees nothing; a service sees everything.
      const none = await as(v('ADMIN', null), lists);
      expect(none.data).toEqual({
        grassrootsUnits: { totalCount: 0, nodes: [] },
        boaiHomes: { totalCount: 0, nodes: [] },
        medicalInstitutions: { totalCount: 0, nodes: [] },
      });
      expect(idsOf((await run(lists)).data.grassrootsUnits)).toEqual(expect.arrayContaining([rec.xhUnit, rec.ywUnit]));
    });

    it("filters Organization's lists by the viewer's subtree too, through _entities", async () => {
      const q = `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        grassrootsUnits(first: 100) { nodes { id } } boaiHomes(first: 100) { nodes { id } }
        medicalInstitutions(first: 100) { nodes { id } } namedMedicalInstitutionsWithoutUnit(first: 100) { nodes { id } } } } }`;
      const xhStaff = v('STAFF', ids.xh);
      const other = await as(xhStaff, q, { id: ids.yw });
      expect(other.errors).toBeUndefined();
      expect(other.data._entities[0]).toEqual({
        grassrootsUnits: { nodes: [] },
        boaiHomes: { nodes: [] },
        medicalInstitutions: { nodes: [] },
        namedMedicalInstitutionsWithoutUnit: { nodes: [] },
      });
      // Asking for the province gives only what lies in the viewer's county.
      const province = (await as(xhStaff, q, { id: ids.zj })).data._entities[0];
      expect(idsOf(province.grassrootsUnits)).toContain(rec.xhUnit);
      expect(idsOf(province.grassrootsUnits)).not.toContain(rec.ywUnit);
      expect(idsOf(province.grassrootsUnits)).not.toContain(rec.hzUnit);
      expect(idsOf(province.boaiHomes)).not.toContain(rec.ywHome);
      expect(idsOf(province.medicalInstitutions)).not.toContain(rec.ywInst);
      const yw = (await as(v('VIEWER', ids.yw), q, { id: ids.yw })).data._entities[0];
      expect(idsOf(yw.namedMedicalInstitutionsWithoutUnit)).toContain(rec.ywInst);
      expect(idsOf(yw.grassrootsUnits)).toContain(rec.ywUnit);
    });

    it('lists a branch above the viewer as the viewer’s subtree: one flat orgPath condition, commands independent of the page size', async () => {
      for (let i = 0; i < 15; i++) await unitIn(ids.xh, { name: `西湖页单位${i}` });
      const q = `query($id: ID!, $n: Int) {
        _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
          grassrootsUnits(first: $n) { totalCount nodes { id organization { id } leader { phone } medicalInstitution { id grassrootsUnit { id } } } } } }
        grassrootsUnits(filter: { within: $id }, first: $n) { totalCount nodes { id } } }`;
      // The conditions the database is asked for units with (the page's find, the count's aggregate).
      const conditions: unknown[] = [];
      const client = svc.db.connection.getClient();
      const listen = (e: { commandName: string; command: Record<string, any> }) => {
        if (e.commandName === 'find' && e.command.find === 'grassroots_units' && !e.command.filter._id) conditions.push(e.command.filter);
        if (e.commandName === 'aggregate' && e.command.aggregate === 'grassroots_units') conditions.push(e.command.pipeline[0].$match);
      };
      client.on('commandStarted', listen);
      try {
        const staff = v('STAFF', ids.xh);
        svc.db.commands.reset();
        const small = await as(staff, q, { id: ids.zj, n: 2 });
        const smallCount = svc.db.commands.count();
        svc.db.commands.reset();
        const large = await as(staff, q, { id: ids.zj, n: 14 });
        expect(small.errors).toBeUndefined();
        expect(large.errors).toBeUndefined();
        expect(svc.db.commands.count()).toBe(smallCount);

        // Asked for the province, the Xihu viewer gets exactly Xihu's units, on every list.
        const xhUnits = await svc.subgraph.models.GrassrootsUnit.find({ orgPath: ids.xh, dissolvedOn: null }).lean();
        const nested = large.data._entities[0].grassrootsUnits;
        expect(nested.nodes).toHaveLength(14);
        expect(nested.totalCount).toBe(xhUnits.length);
        expect(large.data.grassrootsUnits.totalCount).toBe(xhUnits.length);
        const xhIds = new Set(xhUnits.map((u) => String(u._id)));
        for (const list of [nested, large.data.grassrootsUnits]) expect(idsOf(list).filter((id) => !xhIds.has(id))).toEqual([]);
        expect(idsOf(nested)).not.toContain(rec.hzUnit);

        // One index-served condition: the viewer's branch, never an $and of the asked one and the viewer's.
        expect(conditions.length).toBeGreaterThanOrEqual(4);
        for (const c of conditions) expect(JSON.parse(JSON.stringify(c))).toEqual({ orgPath: ids.xh, dissolvedOn: null });
      } finally {
        client.off('commandStarted', listen);
      }
    });

    it("narrows an Organization's list filtered within another branch to the deeper of the two", async () => {
      const q = `query($id: ID!, $within: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        grassrootsUnits(filter: { within: $within }, first: 100) { totalCount nodes { id } } } } }`;
      const count = async (viewer: ReturnType<typeof v> | null, id: string, within: string) => {
        const r = viewer ? await as(viewer, q, { id, within }) : await run(q, { id, within });
        expect(r.errors).toBeUndefined();
        return r.data._entities[0].grassrootsUnits.totalCount as number;
      };
      const inXh = await svc.subgraph.models.GrassrootsUnit.countDocuments({ orgPath: ids.xh, dissolvedOn: null });
      const inHz = await svc.subgraph.models.GrassrootsUnit.countDocuments({ orgPath: ids.hz, dissolvedOn: null });
      expect(inHz).toBeGreaterThan(inXh);
      expect(await count(null, ids.zj, ids.xh)).toBe(inXh);
      expect(await count(null, ids.xh, ids.zj)).toBe(inXh);
      expect(await count(null, ids.zj, ids.hz)).toBe(inHz);
      expect(await count(null, ids.xh, ids.yw)).toBe(0);
      // And the viewer's subtree still bounds it.
      expect(await count(v('VIEWER', ids.xh), ids.zj, ids.hz)).toBe(inXh);
      expect(await count(v('VIEWER', ids.yw), ids.zj, ids.hz)).toBe(0);
      const malformed = await run(q, { id: ids.zj, within: 'nope' });
      expect(malformed.errors?.[0].extensions?.fields).toEqual([
        { field: 'filter.within', message: 'must be an id returned by this graph' },
      ]);
    });

    it('answers single records and entity references outside the subtree with FORBIDDEN, never the record', async () => {
      const xhViewer = v('VIEWER', ids.xh);
      const viewers = { outsider: xhViewer, insider: v('VIEWER', ids.yw) };
      for (const [field, id] of [
        ['grassrootsUnit', rec.ywUnit],
        ['boaiHome', rec.ywHome],
        ['medicalInstitution', rec.ywInst],
      ])
        await matrix.expectRecordForbidden(viewers, field, id, { secret: '义乌读' });
      // Unknown ids stay null, not FORBIDDEN.
      expect((await as(xhViewer, `{ grassrootsUnit(id: "${'e'.repeat(24)}") { id } }`)).data.grassrootsUnit).toBeNull();

      await matrix.expectEntities(
        xhViewer,
        '... on GrassrootsUnit { id name } ... on BoaiHome { id name } ... on MedicalInstitution { id name }',
        [
          { __typename: 'GrassrootsUnit', id: rec.xhUnit },
          { __typename: 'GrassrootsUnit', id: rec.ywUnit },
          { __typename: 'BoaiHome', id: rec.ywHome },
          { __typename: 'MedicalInstitution', id: rec.ywInst },
          { __typename: 'BoaiHome', id: rec.xhHome },
        ],
        [{ id: rec.xhUnit, name: '西湖读单位' }, null, null, null, { id: rec.xhHome, name: '西湖读家园' }],
      );
    });

    it('never leaks a linked record outside the subtree through a nested field', async () => {
      const q = `query($id: ID!) { medicalInstitution(id: $id) { name grassrootsUnit { id name } } }`;
      const xh = await as(v('STAFF', ids.xh), q, { id: rec.xhInst });
      expect(xh.data.medicalInstitution).toEqual({ name: '西湖读医院', grassrootsUnit: null });
      expect(xh.errors?.[0].path).toEqual(['medicalInstitution', 'grassrootsUnit']);
      expect(codeOf(xh)).toBe('FORBIDDEN');
      expect(JSON.stringify(xh)).not.toContain('杭州读医院红十字会');
      const hz = await as(v('STAFF', ids.hz), q, { id: rec.xhInst });
      expect(hz.errors).toBeUndefined();
      expect(hz.data.medicalInstitution.grassrootsUnit).toEqual({ id: rec.hzUnit, name: '杭州读医院红十字会' });
    });

    it('gives aggregates (row 8, coverage) to every role, REPORTER and VIEWER included, inside the subtree only', async () => {
      await matrix.expectAnnexRowInSubtree(ids, 'grassrootsUnits');
      const coverage = `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        boaiHomeCoverage(asOf: "2021-12-31") { countyCities { total covered } } } } }`;
      const own = await as(v('REPORTER', ids.yw), coverage, { id: ids.yw });
      expect(own.data._entities[0].boaiHomeCoverage.countyCities).toEqual({ total: 1, covered: 1 });
      const above = await as(v('REPORTER', ids.yw), coverage, { id: ids.zj });
      expect(codeOf(above)).toBe('FORBIDDEN');
      expect(above.errors?.[0].path).toEqual(['_entities', 0, 'boaiHomeCoverage']);
    });

    it('shows leaders’ phones masked to roles that work with people, not to REPORTER or VIEWER, never in clear', async () => {
      const q = `query($id: ID!) { grassrootsUnit(id: $id) { leader { name phone } } }`;
      for (const role of ['ADMIN', 'STAFF', 'TRAINING_MANAGER'] as Role[]) {
        const r = await as(v(role, ids.xh), q, { id: rec.xhUnit });
        expect(r.data.grassrootsUnit.leader).toEqual({ name: '李四', phone: '139****1111' });
      }
      for (const role of ['REPORTER', 'VIEWER'] as Role[]) {
        const r = await as(v(role, ids.xh), q, { id: rec.xhUnit });
        expect(r.data.grassrootsUnit.leader).toEqual({ name: '李四', phone: null });
      }
    });
  });

  describe('the audit log', () => {
    const log = auditLog('grassrootsAudit');

    it('records who, before and after for every change, with personal data only masked', async () => {
      const admin = { ...v('ADMIN', ids.hz), name: '审计 测试' };
      const unit = await unitIn(ids.xh, { name: '审计单位', leader: { name: '王五', phone: '13712345678' } });
      const r = await as(
        admin,
        `mutation($id: ID!) { updateGrassrootsUnit(id: $id, input: { name: "审计单位（改）", leader: { name: "赵六", phone: "13698765432" } }) { name } }`,
        { id: unit },
      );
      expect(r.errors).toBeUndefined();
      const read = await as(admin, log.query, { id: ids.xh, first: 5 });
      expect(read.errors).toBeUndefined();
      const [latest, creation] = log.entriesOf(read);
      log.expectEntry(latest, admin, { action: 'updateGrassrootsUnit', entity: 'GrassrootsUnit', entityId: unit, service: 'grassroots' });
      const before = JSON.parse(latest.before);
      const after = JSON.parse(latest.after);
      expect([before.name, after.name]).toEqual(['审计单位', '审计单位（改）']);
      expect(before.leader).toEqual({ name: '王五', phone: '137****5678' });
      expect(after.leader).toEqual({ name: '赵六', phone: '136****5432' });
      expect(creation).toMatchObject({ action: 'registerGrassrootsUnit', entityId: unit, before: null });
      expect(JSON.parse(creation.after).leader).toEqual({ name: '王五', phone: '137****5678' });

      // Neither the clear number nor its cipher or keyed hash is anywhere in the stored log.
      const stored = await svc.subgraph.models.GrassrootsUnit.findById(unit).lean();
      const raw = JSON.stringify(await svc.subgraph.models.Audit.find({ entityId: unit }).lean());
      for (const secret of ['13712345678', '13698765432', stored!.leader!.phone!.cipher, stored!.leader!.phone!.hash]) {
        expect(raw).not.toContain(secret);
      }
    });

    it('is readable by ADMINs of a subtree containing the branch only', () =>
      log.expectAccess(svc.subgraph, ids, [svc.subgraph.models.GrassrootsUnit]));

    it('audits both records when a change touches two, and a failed change leaves neither a change nor an entry', async () => {
      const staff = v('STAFF', ids.xh);
      const inst = await institutionIn(ids.xh, { name: '审计医院', redCrossNamed: true });
      const register = `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`;
      const input = {
        organizationId: ids.xh,
        name: '审计医院红十字会',
        type: 'HOSPITAL',
        establishedOn: '2020-01-01',
        medicalInstitutionId: inst,
      };
      const first = await as(staff, register, { input });
      expect(first.errors).toBeUndefined();
      const unit = first.data.registerGrassrootsUnit.id;
      const instEntries = async () => svc.subgraph.models.Audit.find({ entityId: inst }).sort({ at: 1, _id: 1 }).lean();
      expect((await instEntries()).map((e) => [e.action, e.before, e.after])).toEqual([
        ['registerMedicalInstitution', null, expect.objectContaining({ name: '审计医院' })],
        [
          'registerGrassrootsUnit',
          { grassrootsUnitId: null, unitPeriods: [] },
          { grassrootsUnitId: unit, unitPeriods: [{ unitId: unit, since: '2020-01-01T00:00:00.000Z', until: null }] },
        ],
      ]);

      // A second unit for the same institution: the unit was already inserted in the transaction
      // (and audited) when the link failed; both are rolled back.
      const before = await state();
      const second = await as(staff, register, { input: { ...input, name: '重复' } });
      expect(codeOf(second)).toBe('CONFLICT');
      expect(await state()).toEqual(before);

      // Business-rule refusals after the record was read change nothing either.
      const future = await as(
        staff,
        `mutation($id: ID!) { assessGrassrootsUnit(id: $id, input: {
        assessedOn: "2018-01-01", leader: { met: true }, team: { met: true }, rules: { met: true }, platform: { met: true }, activities: { met: true } }) { id } }`,
        { id: unit },
      );
      expect(codeOf(future)).toBe('BAD_USER_INPUT');
      expect(await state()).toEqual(before);

      // Dissolving the unit clears the institution's link: two entries in one transaction.
      const dissolved = await as(
        staff,
        `mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-02-01" }) { id } }`,
        {
          id: unit,
        },
      );
      expect(dissolved.errors).toBeUndefined();
      const entries = await svc.subgraph.models.Audit.find({ action: 'dissolveGrassrootsUnit', entityId: { $in: [unit, inst] } }).lean();
      expect(entries.map((e) => e.entity).sort()).toEqual(['GrassrootsUnit', 'MedicalInstitution']);
      const unitEntry = entries.find((e) => e.entity === 'GrassrootsUnit')!;
      expect([(unitEntry.before as any).dissolvedOn, (unitEntry.after as any).dissolvedOn]).toEqual([null, '2021-02-01T00:00:00.000Z']);

      const twice = await as(staff, `mutation($id: ID!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: "2021-03-01" }) { id } }`, {
        id: unit,
      });
      expect(codeOf(twice)).toBe('CONFLICT');
      expect(await svc.subgraph.models.Audit.countDocuments({ action: 'dissolveGrassrootsUnit', entityId: unit })).toBe(1);
    });
  });
});
