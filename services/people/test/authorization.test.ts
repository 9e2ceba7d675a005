import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import type { Role } from '@rcsc/service-kit';
import {
  auditLog,
  codeOf,
  collectionsState,
  expectRegisterWrite,
  matrixBranches,
  matrixCalls,
  recordMutation,
  startTestService,
  testViewer,
  xihuPath,
} from '@rcsc/testing';
import type { MatrixMutation, TestService } from '@rcsc/testing';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const ids = matrixBranches(tree, nationalId());
const XH_PATH = xihuPath(ids);

/** A fresh, valid resident identity number per call (adults born in the 1970s-80s). */
let serial = 0;
const nextIdNumber = () => {
  const n = serial++;
  return withCheckDigit(`330106${1970 + Math.floor(n / 900)}0101${String(100 + (n % 900)).padStart(3, '0')}`);
};

describe('people authorization, reveal and audit', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 9));
  const matrix = matrixCalls(() => svc.subgraph);
  const { run, as, v, created: ok } = matrix;

  // Fixtures, written as a service.
  const memberIn = (org: string, extra: Record<string, unknown> = {}) =>
    ok('registerMember', `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`, {
      input: {
        organizationId: org,
        kind: 'ADULT',
        name: '会员',
        idNumber: nextIdNumber(),
        phone: '13800001234',
        joinedOn: '2021-01-01',
        ...extra,
      },
    });
  const volunteerIn = (org: string, extra: Record<string, unknown> = {}) =>
    ok('registerVolunteer', `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
      input: { organizationId: org, name: '志愿者', idNumber: nextIdNumber(), phone: '13900005678', registeredOn: '2018-01-01', ...extra },
    });
  const teamIn = (org: string) =>
    ok('createServiceTeam', `mutation($input: CreateServiceTeamInput!) { createServiceTeam(input: $input) { id } }`, {
      input: { organizationId: org, name: `队${serial++}`, specialty: 'FIRST_AID', foundedOn: '2017-01-01' },
    });
  /** Hours straight into the collection (fixtures only): `days` days of 9 hours from 2019-01-01. */
  const hoursFor = async (volunteer: string, days: number, orgPath = XH_PATH) => {
    const rows = Array.from({ length: days }, (_, i) => ({
      volunteerId: volunteer,
      organizationId: orgPath[orgPath.length - 1],
      orgPath,
      activity: '应急救护培训',
      date: new Date(Date.UTC(2019, 0, 1 + i)),
      hours: 9,
      status: 'CONFIRMED',
    }));
    await svc.subgraph.models.ServiceRecord.insertMany(rows);
  };
  /** A pending rating of a volunteer of `org` (1 star: decided by the county). */
  const ratingIn = async (org: string, stars = 1, path = XH_PATH) => {
    const volunteer = await volunteerIn(org);
    await hoursFor(volunteer, stars === 1 ? 12 : 112, path);
    return ok('requestStarRating', `mutation($input: RequestStarRatingInput!) { requestStarRating(input: $input) { id } }`, {
      input: { volunteerId: volunteer, stars, requestedOn: '2021-06-01' },
    });
  };

  /** Everything a mutation could change: every collection, the audit log included. */
  const state = async () => {
    const m = svc.subgraph.models;
    const { Member, DuesPayment, Volunteer, ServiceTeam, ServiceRecord, StarRating, MemberStar, Audit } = m;
    return collectionsState({ Member, DuesPayment, Volunteer, ServiceTeam, ServiceRecord, StarRating, MemberStar }, Audit)();
  };

  beforeAll(async () => {
    svc = await startTestService('people_authz', (connection) =>
      createServer(connection, { directory: StaticDirectory.fromTree(tree), vault }),
    );
  });
  afterAll(() => svc.stop());

  describe('mutations: ADMIN and STAFF inside the subtree only', () => {
    const cases: MatrixMutation[] = [
      {
        name: 'registerMember',
        prepare: async (org) => ({
          query: `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
          variables: { input: { organizationId: org, kind: 'ADULT', name: '新会员', idNumber: nextIdNumber(), joinedOn: '2021-02-01' } },
        }),
      },
      recordMutation(
        'updateMember',
        memberIn,
        `mutation($id: ID!) { updateMember(id: $id, input: { name: "改名", phone: "13700001111" }) { id } }`,
      ),
      recordMutation('updateVolunteer', volunteerIn, `mutation($id: ID!) { updateVolunteer(id: $id, input: { skills: ["急救"] }) { id } }`),
      recordMutation('withdrawMember', memberIn, `mutation($id: ID!) { withdrawMember(id: $id, on: "2021-09-01", reason: "迁出") { id } }`),
      {
        name: 'recordDuesPayment',
        prepare: async (org) => ({
          query: `mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { id } }`,
          variables: { input: { memberId: await memberIn(org), receivedBy: org, periodFrom: 2021, paidOn: '2021-03-01' } },
        }),
      },
      {
        name: 'importMembers',
        prepare: async (org) => ({
          query: `mutation($input: ImportMembersInput!) { importMembers(input: $input) { created } }`,
          variables: {
            input: {
              organizationId: org,
              format: 'CSV',
              content: `kind,name,idNumber,joinedOn\nADULT,甲,${nextIdNumber()},2021-05-01\nADULT,乙,${nextIdNumber()},2021-05-02`,
            },
          },
        }),
      },
      {
        name: 'registerVolunteer',
        prepare: async (org) => ({
          query: `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
          variables: { input: { organizationId: org, name: '新志愿者', idNumber: nextIdNumber(), registeredOn: '2020-01-01' } },
        }),
      },
      {
        name: 'recordNationalRegistration',
        prepare: async (org) => ({
          // National codes are unique: a fresh one per call.
          query: `mutation($id: ID!, $code: String!) { recordNationalRegistration(volunteerId: $id, registeredOn: "2020-02-01", nationalSystemId: $code) { id } }`,
          variables: { id: await volunteerIn(org), code: `ZYZ${serial++}` },
        }),
      },
      recordMutation('endVolunteer', volunteerIn, `mutation($id: ID!) { endVolunteer(id: $id, on: "2021-01-01") { id } }`),
      {
        name: 'createServiceTeam',
        prepare: async (org) => ({
          query: `mutation($input: CreateServiceTeamInput!) { createServiceTeam(input: $input) { id } }`,
          variables: { input: { organizationId: org, name: `新队${serial++}`, specialty: 'OTHER', foundedOn: '2020-01-01' } },
        }),
      },
      recordMutation('dissolveServiceTeam', teamIn, `mutation($id: ID!) { dissolveServiceTeam(id: $id, on: "2021-01-01") { id } }`),
      {
        name: 'joinServiceTeam',
        prepare: async (org) => ({
          query: `mutation($v: ID!, $t: ID!) { joinServiceTeam(volunteerId: $v, teamId: $t) { id } }`,
          variables: { v: await volunteerIn(org), t: await teamIn(org) },
        }),
      },
      {
        name: 'leaveServiceTeam',
        prepare: async (org) => {
          const t = await teamIn(org);
          return {
            query: `mutation($v: ID!, $t: ID!) { leaveServiceTeam(volunteerId: $v, teamId: $t) { id } }`,
            variables: { v: await volunteerIn(org, { teamIds: [t] }), t },
          };
        },
      },
      {
        name: 'recordServiceHours',
        prepare: async (org) => ({
          query: `mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { id } }`,
          variables: { input: { volunteerId: await volunteerIn(org), activity: '社区服务', date: '2021-04-01', hours: 4 } },
        }),
      },
      {
        name: 'requestStarRating',
        prepare: async (org) => {
          const volunteer = await volunteerIn(org);
          await hoursFor(volunteer, 12);
          return {
            query: `mutation($input: RequestStarRatingInput!) { requestStarRating(input: $input) { id } }`,
            variables: { input: { volunteerId: volunteer, stars: 1, requestedOn: '2021-06-01' } },
          };
        },
      },
      {
        name: 'approveStarRating',
        // Decided by the county itself: its ADMIN (not the prefecture's) is the second allowed viewer.
        adminOf: ids.xh,
        prepare: async (org) => ({
          query: `mutation($id: ID!, $by: ID!) { approveStarRating(id: $id, approvedBy: $by, on: "2021-07-01") { id } }`,
          variables: { id: await ratingIn(org), by: org },
        }),
      },
      {
        name: 'rejectStarRating',
        adminOf: ids.xh,
        prepare: async (org) => ({
          query: `mutation($id: ID!, $by: ID!) { rejectStarRating(id: $id, rejectedBy: $by, reason: "材料不全", on: "2021-07-01") { id } }`,
          variables: { id: await ratingIn(org), by: org },
        }),
      },
      {
        name: 'awardMemberStar',
        prepare: async (org) => ({
          query: `mutation($input: AwardMemberStarInput!) { awardMemberStar(input: $input) { id } }`,
          variables: { input: { memberId: await memberIn(org), year: 2021, organizationId: org, citation: '年度之星' } },
        }),
      },
      recordMutation('revealMemberIdentity', memberIn, `mutation($id: ID!) { revealMemberIdentity(id: $id) { idNumber } }`, {
        action: 'REVEAL:idNumber',
      }),
      recordMutation('revealVolunteerIdentity', volunteerIn, `mutation($id: ID!) { revealVolunteerIdentity(id: $id) { idNumber } }`, {
        action: 'REVEAL:idNumber',
      }),
    ];

    it.each(cases)('$name: allowed inside, FORBIDDEN outside and for other roles, changing nothing when refused', (c) =>
      expectRegisterWrite(svc.subgraph, ids, state, c),
    );

    it('keeps an unknown branch a BAD_USER_INPUT and an unknown record NOT_FOUND for an allowed role; a branch above the viewer is FORBIDDEN', async () => {
      const staff = v('STAFF', ids.xh);
      const team = `mutation($org: ID!) { createServiceTeam(input: { organizationId: $org, name: "某队", specialty: OTHER, foundedOn: "2020-01-01" }) { id } }`;
      const unknown = await as(staff, team, { org: 'f'.repeat(24) });
      expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
      expect(unknown.errors?.[0].extensions?.fields).toEqual([{ field: 'input.organizationId', message: 'no branch has this id' }]);
      expect(codeOf(await as(staff, team, { org: ids.hz }))).toBe('FORBIDDEN');
      expect((await as(v('ADMIN', ids.hq), team, { org: ids.yw })).errors).toBeUndefined();
      const withdraw = await as(staff, `mutation { withdrawMember(id: "${'e'.repeat(24)}", on: "2021-01-01") { id } }`);
      expect(codeOf(withdraw)).toBe('NOT_FOUND');
    });

    it('records dues only as received by a branch in the viewer’s subtree', async () => {
      const member = await memberIn(ids.xh);
      const pay = `mutation($m: ID!, $by: ID!) { recordDuesPayment(input: { memberId: $m, receivedBy: $by, periodFrom: 2021, paidOn: "2021-03-01" }) { id } }`;
      // County staff may not book a payment as received by the prefecture above them.
      expect(codeOf(await as(v('STAFF', ids.xh), pay, { m: member, by: ids.hz }))).toBe('FORBIDDEN');
      expect((await as(v('STAFF', ids.hz), pay, { m: member, by: ids.hz })).errors).toBeUndefined();
    });

    it('lets only the approving branch decide a star rating, through its own staff', async () => {
      const rating = await ratingIn(ids.xh);
      const APPROVE = `mutation($id: ID!, $by: ID!) { approveStarRating(id: $id, approvedBy: $by, on: "2021-07-01") { status decidedBy { id } } }`;
      // The prefecture's ADMIN is above the county, but 1 star is the county's decision.
      const byPrefecture = await as(v('ADMIN', ids.hz), APPROVE, { id: rating, by: ids.hz });
      expect(codeOf(byPrefecture)).toBe('FORBIDDEN');
      expect(byPrefecture.errors?.[0].message).toContain('is decided by the county branch 杭州市西湖区红十字会');
      // Nor may it decide in the county's name.
      const inTheCountysName = await as(v('ADMIN', ids.hz), APPROVE, { id: rating, by: ids.xh });
      expect(codeOf(inTheCountysName)).toBe('FORBIDDEN');
      expect(inTheCountysName.errors?.[0].message).toContain(`only staff of 杭州市西湖区红十字会 may decide`);
      const approved = await as(v('STAFF', ids.xh), APPROVE, { id: rating, by: ids.xh });
      expect(approved.data?.approveStarRating).toEqual({ status: 'APPROVED', decidedBy: { id: ids.xh } });
      // The volunteer's stars follow, and both changes are audited.
      const entries = await svc.subgraph.models.Audit.find({ action: 'approveStarRating' }).sort({ at: -1, _id: -1 }).limit(2).lean();
      expect(entries.map((e) => e.entity).sort()).toEqual(['StarRating', 'Volunteer']);
      expect(entries.find((e) => e.entity === 'Volunteer')).toMatchObject({ before: { stars: 0 }, after: { stars: 1 } });

      // 4 stars: the prefecture decides, through its own staff; the county may not.
      const four = await ratingIn(ids.xh, 4);
      expect(codeOf(await as(v('STAFF', ids.xh), APPROVE, { id: four, by: ids.xh }))).toBe('FORBIDDEN');
      expect((await as(v('STAFF', ids.hz), APPROVE, { id: four, by: ids.hz })).data?.approveStarRating.status).toBe('APPROVED');
    });

    it('refuses to put a volunteer in a team outside the viewer’s subtree, or to register one into it', async () => {
      const prefectureTeam = await teamIn(ids.hz);
      const volunteer = await volunteerIn(ids.xh);
      const join = `mutation($v: ID!, $t: ID!) { joinServiceTeam(volunteerId: $v, teamId: $t) { id } }`;
      expect(codeOf(await as(v('STAFF', ids.xh), join, { v: volunteer, t: prefectureTeam }))).toBe('FORBIDDEN');
      expect((await as(v('STAFF', ids.hz), join, { v: volunteer, t: prefectureTeam })).errors).toBeUndefined();
      const register = await as(
        v('STAFF', ids.xh),
        `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
        {
          input: { organizationId: ids.xh, name: '某人', idNumber: nextIdNumber(), registeredOn: '2020-01-01', teamIds: [prefectureTeam] },
        },
      );
      expect(codeOf(register)).toBe('FORBIDDEN');
    });
  });

  describe('reads: lists, single records, entities and aggregates inside the subtree only', () => {
    const rec: Record<string, string> = {};

    beforeAll(async () => {
      rec.xhMember = await memberIn(ids.xh, { name: '西湖读会员', idNumber: withCheckDigit('33010619800202123'), phone: '13812345678' });
      rec.ywMember = await memberIn(ids.yw, { name: '义乌读会员' });
      rec.hzTeam = await teamIn(ids.hz);
      rec.xhTeam = await teamIn(ids.xh);
      rec.ywTeam = await teamIn(ids.yw);
      rec.xhVolunteer = await volunteerIn(ids.xh, { name: '西湖读志愿者', teamIds: [rec.xhTeam, rec.hzTeam] });
      rec.ywVolunteer = await volunteerIn(ids.yw, { name: '义乌读志愿者', teamIds: [rec.ywTeam] });
      // A record of service done with the prefecture's team.
      const r = await run(`mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { id } }`, {
        input: { volunteerId: rec.xhVolunteer, teamId: rec.hzTeam, activity: '赛事保障', date: '2021-05-01', hours: 6 },
      });
      expect(r.errors).toBeUndefined();
      rec.ywRating = await ratingIn(ids.yw, 1, [ids.hq, ids.zj, ids.jh, ids.yw]);
      rec.xhRating = await ratingIn(ids.xh);
    });

    const idsOf = (conn: { nodes: { id: string }[] }) => conn.nodes.map((n) => n.id);
    const ORG = `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
      id members(first: 100) { totalCount nodes { id } } volunteers(first: 100) { totalCount nodes { id } }
      serviceTeams(first: 100) { totalCount nodes { id } } starRatingsToDecide(first: 100) { nodes { id } } } } }`;

    it("filters Organization's lists by the viewer's subtree, whatever branch is asked", async () => {
      for (const role of ['VIEWER', 'REPORTER', 'STAFF', 'ADMIN', 'TRAINING_MANAGER'] as Role[]) {
        const zj = await as(v(role, ids.xh), ORG, { id: ids.zj });
        expect(zj.errors).toBeUndefined();
        const o = zj.data._entities[0];
        expect(idsOf(o.members)).toContain(rec.xhMember);
        expect(idsOf(o.members)).not.toContain(rec.ywMember);
        expect(idsOf(o.volunteers)).toContain(rec.xhVolunteer);
        expect(idsOf(o.volunteers)).not.toContain(rec.ywVolunteer);
        expect(idsOf(o.serviceTeams)).toEqual(expect.arrayContaining([rec.xhTeam]));
        expect(idsOf(o.serviceTeams)).not.toContain(rec.hzTeam);
        expect(idsOf(o.serviceTeams)).not.toContain(rec.ywTeam);
        // Every member listed is stored in the viewer's subtree.
        const stored = await svc.subgraph.models.Member.find({ _id: { $in: idsOf(o.members) } }).lean();
        expect(stored.every((m) => m.orgPath.map(String).includes(ids.xh))).toBe(true);
        expect(o.members.totalCount).toBe(await svc.subgraph.models.Member.countDocuments({ orgPath: ids.xh }));
      }
      // Another county's branch: nothing at all.
      const other = await as(v('STAFF', ids.xh), ORG, { id: ids.yw });
      expect(other.data._entities[0]).toEqual({
        id: ids.yw,
        members: { totalCount: 0, nodes: [] },
        volunteers: { totalCount: 0, nodes: [] },
        serviceTeams: { totalCount: 0, nodes: [] },
        starRatingsToDecide: { nodes: [] },
      });
      // Ratings to decide: the county decides its own; another county's staff sees none of them.
      expect(idsOf((await as(v('STAFF', ids.xh), ORG, { id: ids.xh })).data._entities[0].starRatingsToDecide)).toContain(rec.xhRating);
      expect(idsOf((await as(v('STAFF', ids.yh), ORG, { id: ids.xh })).data._entities[0].starRatingsToDecide)).toEqual([]);
      // The prefecture sees its own level and both of its counties; a viewer without a branch sees nothing; a service everything.
      const hz = (await as(v('VIEWER', ids.hz), ORG, { id: ids.hz })).data._entities[0];
      expect(idsOf(hz.serviceTeams)).toEqual(expect.arrayContaining([rec.xhTeam, rec.hzTeam]));
      const none = (await as(v('ADMIN', null), ORG, { id: ids.zj })).data._entities[0];
      expect([none.members.totalCount, none.volunteers.totalCount, none.serviceTeams.totalCount]).toEqual([0, 0, 0]);
      const all = (await run(ORG, { id: ids.zj })).data._entities[0];
      expect(idsOf(all.members)).toEqual(expect.arrayContaining([rec.xhMember, rec.ywMember]));
    });

    it('answers single records and entity references outside the subtree with FORBIDDEN, never the record', async () => {
      const xhViewer = v('VIEWER', ids.xh);
      const viewers = { outsider: xhViewer, insider: v('VIEWER', ids.yw) };
      await matrix.expectRecordForbidden(viewers, 'member', rec.ywMember, { secret: '义乌读会员' });
      await matrix.expectRecordForbidden(viewers, 'volunteer', rec.ywVolunteer, { secret: '义乌读志愿者' });
      await matrix.expectRecordForbidden(viewers, 'serviceTeam', rec.ywTeam, { secret: '队' });
      await matrix.expectRecordForbidden(viewers, 'starRating', rec.ywRating, { select: 'id stars' });
      expect((await as(xhViewer, `{ member(id: "${'e'.repeat(24)}") { id } }`)).data.member).toBeNull();

      await matrix.expectEntities(
        xhViewer,
        '... on Member { id name } ... on Volunteer { id name } ... on ServiceTeam { id }',
        [
          { __typename: 'Member', id: rec.xhMember },
          { __typename: 'Member', id: rec.ywMember },
          { __typename: 'Volunteer', id: rec.ywVolunteer },
          { __typename: 'ServiceTeam', id: rec.ywTeam },
          { __typename: 'ServiceTeam', id: rec.hzTeam },
          { __typename: 'Volunteer', id: rec.xhVolunteer },
        ],
        [{ id: rec.xhMember, name: '西湖读会员' }, null, null, null, null, { id: rec.xhVolunteer, name: '西湖读志愿者' }],
      );
    });

    it('never leaks a record outside the subtree through a nested field', async () => {
      const q = `query($id: ID!) { volunteer(id: $id) { name teams { id } serviceRecords { nodes { hours team { id } } } } }`;
      const xh = await as(v('STAFF', ids.xh), q, { id: rec.xhVolunteer });
      // The prefecture's team is left out of the volunteer's teams, and FORBIDDEN on the service record.
      expect(xh.data.volunteer.teams).toEqual([{ id: rec.xhTeam }]);
      expect(xh.data.volunteer.serviceRecords.nodes).toEqual([{ hours: 6, team: null }]);
      expect(xh.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['volunteer', 'serviceRecords', 'nodes', 0, 'team'], 'FORBIDDEN'],
      ]);
      const hz = await as(v('STAFF', ids.hz), q, { id: rec.xhVolunteer });
      expect(hz.errors).toBeUndefined();
      expect(hz.data.volunteer.teams.map((t: { id: string }) => t.id).sort()).toEqual([rec.xhTeam, rec.hzTeam].sort());
      // A team's members: only those in the viewer's subtree (the prefecture's team has a Xihu member).
      const members = `query($id: ID!) { serviceTeam(id: $id) { members { nodes { id } } } }`;
      expect((await as(v('STAFF', ids.hz), members, { id: rec.hzTeam })).data.serviceTeam.members.nodes).toEqual([{ id: rec.xhVolunteer }]);
      expect((await as(v('STAFF', ids.yh), members, { id: rec.xhTeam })).data?.serviceTeam).toBeNull();
    });

    it('gives aggregates to every role, REPORTER and VIEWER included, inside the subtree only; the rest of an answer stands', async () => {
      await matrix.expectAnnexRowInSubtree(ids, 'adultMembers');
      const org = `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        id peopleSurvey(asOf: "2021-12-31") { adultMembers } serviceHours members { totalCount } } } }`;
      const own = await as(v('REPORTER', ids.xh), org, { id: ids.xh });
      expect(own.errors).toBeUndefined();
      expect(own.data._entities[0].peopleSurvey.adultMembers).toBeGreaterThan(0);
      const above = await as(v('REPORTER', ids.xh), org, { id: ids.zj });
      expect(above.data._entities[0]).toMatchObject({ id: ids.zj, peopleSurvey: null, serviceHours: null });
      expect(above.data._entities[0].members.totalCount).toBeGreaterThan(0);
      expect(above.errors?.map((e) => e.path).sort()).toEqual([
        ['_entities', 0, 'peopleSurvey'],
        ['_entities', 0, 'serviceHours'],
      ]);

      const counties = `query($w: ID) { countiesWithFewTeams(within: $w, first: 100) { nodes { organization { id } } } }`;
      const mine = await as(v('VIEWER', ids.hz), counties, {});
      const listed = mine.data.countiesWithFewTeams.nodes.map((n: any) => n.organization.id);
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((id: string) => tree.find((b) => b.id === id)!.ancestorIds.includes(ids.hz))).toBe(true);
      expect(codeOf(await as(v('VIEWER', ids.hz), counties, { w: ids.jh }))).toBe('FORBIDDEN');
      expect((await as(v('VIEWER', null), counties, {})).data.countiesWithFewTeams.nodes).toEqual([]);
    });

    it('shows personal data masked to roles that work with people, and only names to REPORTER and VIEWER', async () => {
      const q = `query($id: ID!) { member(id: $id) { name gender birthDate idNumberMasked phoneMasked } }`;
      for (const role of ['ADMIN', 'STAFF', 'TRAINING_MANAGER'] as Role[]) {
        const r = await as(v(role, ids.xh), q, { id: rec.xhMember });
        expect(r.data.member).toEqual({
          name: '西湖读会员',
          gender: 'MALE',
          birthDate: '1980-02-02',
          idNumberMasked: '3301**********123' + withCheckDigit('33010619800202123').slice(-1),
          phoneMasked: '138****5678',
        });
      }
      for (const role of ['REPORTER', 'VIEWER'] as Role[]) {
        const r = await as(v(role, ids.xh), q, { id: rec.xhMember });
        expect(r.errors).toBeUndefined();
        expect(r.data.member).toEqual({ name: '西湖读会员', gender: null, birthDate: null, idNumberMasked: null, phoneMasked: null });
        const vol = await as(v(role, ids.xh), `query($id: ID!) { volunteer(id: $id) { name idNumberMasked phoneMasked birthDate } }`, {
          id: rec.xhVolunteer,
        });
        expect(vol.data.volunteer).toEqual({ name: '西湖读志愿者', idNumberMasked: null, phoneMasked: null, birthDate: null });
      }
    });
  });

  describe('the explicit reveal of identity numbers and phones', () => {
    it('shows the values in clear to ADMIN and STAFF of the subtree, audited without the values', async () => {
      const idNumber = nextIdNumber();
      const member = await memberIn(ids.xh, { idNumber, phone: '13512345678' });
      const REVEAL = `mutation($id: ID!) { revealMemberIdentity(id: $id) { id name idNumber phone } }`;
      const before = await svc.subgraph.models.Audit.countDocuments();
      const r = await as({ ...v('ADMIN', ids.hz), name: '杭州 管理员' }, REVEAL, { id: member });
      expect(r.errors).toBeUndefined();
      expect(r.data.revealMemberIdentity).toEqual({ id: member, name: '会员', idNumber, phone: '13512345678' });
      const entries = await svc.subgraph.models.Audit.find({ entityId: member, action: 'REVEAL:idNumber' }).lean();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        entity: 'Member',
        actor: { organizationId: ids.hz, roles: ['ADMIN'], name: '杭州 管理员' },
        before: null,
        after: { revealed: ['idNumber', 'phone'], idNumberMasked: `3301**********${idNumber.slice(-4)}`, phoneMasked: '135****5678' },
      });
      expect(await svc.subgraph.models.Audit.countDocuments()).toBe(before + 1);
      // Neither value, nor its cipher or keyed hash, is anywhere in the log.
      const stored = (await svc.subgraph.models.Member.findById(member).lean())!;
      const raw = JSON.stringify(await svc.subgraph.models.Audit.find({ entityId: member }).lean());
      for (const secret of [idNumber, '13512345678', stored.idNumberCipher, stored.idNumberHash, stored.phoneCipher!])
        expect(raw).not.toContain(secret);

      // A volunteer without a phone: only the identity number is named.
      const volunteer = await volunteerIn(ids.xh, { phone: null });
      const rv = await as(v('STAFF', ids.xh), `mutation($id: ID!) { revealVolunteerIdentity(id: $id) { idNumber phone } }`, {
        id: volunteer,
      });
      expect(rv.data.revealVolunteerIdentity.phone).toBeNull();
      const ve = (await svc.subgraph.models.Audit.findOne({ entityId: volunteer, action: 'REVEAL:idNumber' }).lean())!;
      expect(ve).toMatchObject({ entity: 'Volunteer', after: { revealed: ['idNumber'] } });
    });

    it('refuses services and every other role, leaving no entry; an unknown id is NOT_FOUND', async () => {
      const member = await memberIn(ids.xh);
      const REVEAL = `mutation($id: ID!) { revealMemberIdentity(id: $id) { idNumber } }`;
      const before = await state();
      for (const viewer of [
        v('SERVICE', null),
        v('VIEWER', ids.xh),
        v('REPORTER', ids.xh),
        v('TRAINING_MANAGER', ids.xh),
        v('ADMIN', ids.yh),
      ]) {
        const r = await as(viewer, REVEAL, { id: member });
        expect([viewer.roles, codeOf(r)]).toEqual([viewer.roles, 'FORBIDDEN']);
        expect(JSON.stringify(r)).not.toMatch(/\d{17}[\dX]/);
      }
      expect(await state()).toEqual(before);
      expect(codeOf(await as(v('STAFF', ids.xh), REVEAL, { id: 'e'.repeat(24) }))).toBe('NOT_FOUND');
    });
  });

  describe('the audit log', () => {
    const log = auditLog('peopleAudit');

    it('records who, before and after for every change, with personal data only masked', async () => {
      const admin = { ...testViewer(['ADMIN'], ids.hz), name: '审计 测试' };
      const idNumber = nextIdNumber();
      const created = await as(admin, `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`, {
        input: { organizationId: ids.xh, kind: 'ADULT', name: '审计会员', idNumber, phone: '13711112222', joinedOn: '2021-01-01' },
      });
      const member = created.data.registerMember.id;
      const w = await as(admin, `mutation($id: ID!) { withdrawMember(id: $id, on: "2021-08-01", reason: "迁出") { id } }`, { id: member });
      expect(w.errors).toBeUndefined();
      const read = await as(admin, log.query, { id: ids.xh, first: 5 });
      expect(read.errors).toBeUndefined();
      const [latest, creation] = log.entriesOf(read);
      log.expectEntry(latest, admin, { action: 'withdrawMember', entity: 'Member', entityId: member, service: 'people' });
      const [b, a] = [JSON.parse(latest.before), JSON.parse(latest.after)];
      expect([b.withdrawnOn, a.withdrawnOn, a.withdrawalReason]).toEqual([null, '2021-08-01T00:00:00.000Z', '迁出']);
      expect(a.idNumberMasked).toBe(`3301**********${idNumber.slice(-4)}`);
      expect(a.phoneMasked).toBe('137****2222');
      expect(creation).toMatchObject({ action: 'registerMember', entityId: member, before: null });
      expect(JSON.parse(creation.after).name).toBe('审计会员');
      const stored = (await svc.subgraph.models.Member.findById(member).lean())!;
      const raw = JSON.stringify(await svc.subgraph.models.Audit.find({ entityId: member }).lean());
      for (const secret of [idNumber, '13711112222', stored.idNumberCipher, stored.idNumberHash, stored.phoneCipher!])
        expect(raw).not.toContain(secret);
    });

    it('is readable by ADMINs of a subtree containing the branch only; a refusal leaves the rest of the answer', () =>
      log.expectAccess(svc.subgraph, ids, [svc.subgraph.models.Member]));

    it('writes nothing, neither a change nor an entry, when a mutation fails after reading', async () => {
      const staff = v('STAFF', ids.xh);
      const member = await memberIn(ids.xh);
      const pay = `mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { id } }`;
      expect(
        (await as(staff, pay, { input: { memberId: member, receivedBy: ids.xh, periodFrom: 2021, periodTo: 2022, paidOn: '2021-03-01' } }))
          .errors,
      ).toBeUndefined();
      // The payment and the member's new standing are two entries of one change.
      const two = await svc.subgraph.models.Audit.find({ action: 'recordDuesPayment', orgPath: ids.xh })
        .sort({ at: -1, _id: -1 })
        .limit(2)
        .lean();
      expect(two.map((e) => e.entity).sort()).toEqual(['DuesPayment', 'Member']);
      expect(two.find((e) => e.entity === 'Member')).toMatchObject({ before: { paidThrough: null }, after: { paidThrough: 2022 } });

      const before = await state();
      const refusals: [string, string, Record<string, unknown>][] = [
        ['CONFLICT', pay, { input: { memberId: member, receivedBy: ids.xh, periodFrom: 2022, paidOn: '2021-04-01' } }],
        ['BAD_USER_INPUT', pay, { input: { memberId: member, receivedBy: ids.xh, periodFrom: 2023, amount: 1, paidOn: '2021-04-01' } }],
        ['BAD_USER_INPUT', `mutation($id: ID!) { withdrawMember(id: $id, on: "2020-01-01") { id } }`, { id: member }],
      ];
      for (const [expected, query, variables] of refusals) {
        const r = await as(staff, query, variables);
        expect([query.slice(0, 40), codeOf(r)]).toEqual([query.slice(0, 40), expected]);
      }
      expect(await state()).toEqual(before);
      // A person registered twice in one branch: the insert fails inside the transaction, nothing stays.
      const idNumber = nextIdNumber();
      const reg = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
      const input = { organizationId: ids.xh, kind: 'ADULT', name: '某人', idNumber, joinedOn: '2021-01-01' };
      const first = await as(staff, reg, { input });
      expect(first.errors).toBeUndefined();
      const afterFirst = await state();
      expect(afterFirst.audit).toBe(before.audit + 1);
      const dup = await as(staff, reg, { input });
      expect(codeOf(dup)).toBe('CONFLICT');
      expect(dup.errors?.[0].message).toContain(first.data.registerMember.id);
      expect(await state()).toEqual(afterFirst);
    });

    it('keeps two concurrent imports of one file from registering anybody twice, auditing each member once', async () => {
      const staff = v('STAFF', ids.yh);
      const rows = Array.from({ length: 230 }, (_, i) => `ADULT,并发${i},${nextIdNumber()},2021-05-01`);
      const content = ['kind,name,idNumber,joinedOn', ...rows].join('\n');
      const IMPORT = `mutation($input: ImportMembersInput!) { importMembers(input: $input) { created alreadyRegistered failed } }`;
      const before = {
        members: await svc.subgraph.models.Member.countDocuments({ organizationId: ids.yh }),
        audit: await svc.subgraph.models.Audit.countDocuments(),
      };
      const [a, b] = await Promise.all([0, 1].map(() => as(staff, IMPORT, { input: { organizationId: ids.yh, format: 'CSV', content } })));
      expect(a.errors).toBeUndefined();
      expect(b.errors).toBeUndefined();
      const [ra, rb] = [a.data.importMembers, b.data.importMembers];
      expect(ra.created + rb.created).toBe(230);
      expect(ra.alreadyRegistered + rb.alreadyRegistered).toBe(230);
      expect(await svc.subgraph.models.Member.countDocuments({ organizationId: ids.yh })).toBe(before.members + 230);
      // Only committed batches left entries: one per member created.
      expect(await svc.subgraph.models.Audit.countDocuments()).toBe(before.audit + 230);
    });

    it('audits every member an import creates, and nothing when a second import creates none', async () => {
      const staff = v('STAFF', ids.xh);
      const csv = `kind,name,idNumber,joinedOn\nADULT,丙,${nextIdNumber()},2021-05-01\nADULT,丁,${nextIdNumber()},2021-05-02\nADULT,戊,bad,2021-05-03`;
      const IMPORT = `mutation($input: ImportMembersInput!) { importMembers(input: $input) { created alreadyRegistered failed } }`;
      const before = await svc.subgraph.models.Audit.countDocuments({ action: 'importMembers' });
      const first = await as(staff, IMPORT, { input: { organizationId: ids.xh, format: 'CSV', content: csv } });
      expect(first.data.importMembers).toEqual({ created: 2, alreadyRegistered: 0, failed: 1 });
      const entries = await svc.subgraph.models.Audit.find({ action: 'importMembers' }).sort({ _id: -1 }).limit(2).lean();
      expect(await svc.subgraph.models.Audit.countDocuments({ action: 'importMembers' })).toBe(before + 2);
      expect(entries.map((e) => (e.after as any).name).sort()).toEqual(['丁', '丙']);
      expect(
        entries.every((e) => e.entity === 'Member' && e.actor.userId === staff.userId && !('idNumberCipher' in (e.after as object))),
      ).toBe(true);
      const second = await as(staff, IMPORT, { input: { organizationId: ids.xh, format: 'CSV', content: csv } });
      expect(second.data.importMembers).toEqual({ created: 0, alreadyRegistered: 2, failed: 1 });
      expect(await svc.subgraph.models.Audit.countDocuments({ action: 'importMembers' })).toBe(before + 2);
    });
  });
});
