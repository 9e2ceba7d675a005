import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import type { Role, Viewer } from '@rcsc/service-kit';
import {
  auditLog,
  codeOf,
  collectionsState,
  expectRefused,
  matrixBranches,
  matrixCalls,
  recordMutation,
  refusedAuditReaders,
  startTestService,
  testViewer,
} from '@rcsc/testing';
import type { GraphResult as Result, MatrixMutation, TestService } from '@rcsc/testing';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const code = (c: string) => tree.find((b) => b.divisionCode === c)!.id;
const ids = { ...matrixBranches(tree, nationalId()), js: code('320000') /* 江苏省 */ };

describe('training authorization and audit', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const matrix = matrixCalls(() => svc.subgraph);
  const { run, as, v } = matrix;

  let seq = 0;
  const next = () => ++seq;
  const ok = async (query: string, variables: Record<string, unknown>) => {
    const r = await run(query, variables);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const instructorIn = async (org: string, name = `师资${next()}`) =>
    (
      await ok(`mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id } }`, {
        input: {
          name,
          category: 'EXPERT',
          organizationId: org,
          topics: ['IHL-01', 'FIN-01'],
          qualifications: [
            { moduleCode: 'IHL-01', title: '探索人道法师资证书', issuedOn: '2015-01-01', expiresOn: '2030-12-31' },
            { moduleCode: 'FIN-01', title: '筹资师资证书', issuedOn: '2015-01-01', expiresOn: '2030-12-31' },
          ],
          phone: `139${String(next()).padStart(8, '0')}`,
          email: `t${next()}@example.org`,
          joinedOn: '2016-01-01',
        },
      })
    ).createInstructor.id as string;
  /**
   * A county pool's instructor, as recorded before pools were limited to three tiers (issue 16):
   * created in the parent prefecture's pool, then placed at the county directly in the database,
   * so that reads keep being checked on every level of the tree.
   */
  const legacyCountyInstructor = async (county: string, name: string) => {
    const branch = tree.find((b) => b.id === county)!;
    const id = await instructorIn(branch.parentId!, name);
    await svc.subgraph.models.Instructor.updateOne(
      { _id: id },
      { $set: { organizationId: county, orgPath: [...branch.ancestorIds, county], tier: 'COUNTY' } },
    );
    return id;
  };
  /** A class hosted by `org` from `day` (three days), one morning session taught by `instructorIds`. */
  const classIn = async (org: string, instructorIds: string[] = [], day = '2021-05-10', title = `培训班${next()}`) => {
    const d = await ok(`mutation($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id sessions { id } } }`, {
      input: {
        title,
        category: 'IHL_INSTRUCTORS',
        organizationId: org,
        startsOn: day,
        endsOn: new Date(Date.parse(day) + 2 * 86_400_000).toISOString().slice(0, 10),
        place: '杭州',
        capacity: 10,
        sessions: [{ moduleCode: 'IHL-01', startsAt: `${day}T01:00:00Z`, endsAt: `${day}T04:00:00Z`, instructorIds }],
      },
    });
    return { id: d.createTrainingClass.id as string, sessionId: d.createTrainingClass.sessions[0].id as string };
  };
  const enrollmentIn = async (classId: string, org: string, name = `学员${next()}`) =>
    (
      await ok(`mutation($input: EnrollInput!) { enroll(input: $input) { id } }`, {
        input: { classId, name, organizationId: org, position: '秘书长', enrolledOn: '2021-02-01' },
      })
    ).enroll.id as string;

  /** Everything a mutation could change: every collection, the audit log included. */
  const state = () => {
    const { Instructor, TrainingClass, Session, Enrollment, SyllabusModule, Audit } = svc.subgraph.models;
    return collectionsState(
      { instructors: Instructor, classes: TrainingClass, sessions: Session, enrollments: Enrollment, syllabus: SyllabusModule },
      Audit,
    )();
  };
  const latestAudit = (action: string) => svc.subgraph.models.Audit.findOne({ action }).sort({ at: -1, _id: -1 }).lean();

  beforeAll(async () => {
    const directory = StaticDirectory.fromTree(tree);
    svc = await startTestService('training_authz', (connection) =>
      createServer(connection, { directory, vault: new PersonalDataVault(Buffer.alloc(32, 9)) }),
    );
    for (const [c, title] of [
      ['IHL-01', '国际人道法概论'],
      ['FIN-01', '筹资与项目管理'],
    ]) {
      await ok(`mutation($input: PublishSyllabusModuleInput!) { publishSyllabusModule(input: $input) { id } }`, {
        input: { code: c, title, objectives: ['理解'], hours: 6, audienceLevels: ['PROVINCIAL'], effectiveFrom: '2016-01-01' },
      });
    }
  });
  afterAll(() => svc.stop());

  describe('mutations: TRAINING_MANAGER and ADMIN of the host or pool subtree; STAFF enrols its own cadres', () => {
    /** Each mutation against a target under branch `org` (a fresh record, or the branch itself). */
    const cases: (MatrixMutation & {
      /** STAFF inside may do it too (enrolling and withdrawing its own cadres). */
      staff?: boolean;
    })[] = [
      {
        name: 'createInstructor',
        prepare: async (org) => ({
          query: `mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id } }`,
          variables: {
            input: { name: '新师资', category: 'SCHOLAR', organizationId: org, topics: ['IHL-01'], joinedOn: '2021-01-01' },
          },
        }),
      },
      recordMutation('updateInstructor', instructorIn, `mutation($id: ID!) { updateInstructor(id: $id, input: { name: "改名" }) { id } }`),
      recordMutation(
        'setInstructorStatus',
        instructorIn,
        `mutation($id: ID!) { setInstructorStatus(id: $id, status: SUSPENDED, since: "2021-06-01") { id } }`,
      ),
      recordMutation(
        'addUnavailability',
        instructorIn,
        `mutation($id: ID!) { addUnavailability(instructorId: $id, input: { from: "2021-08-01", to: "2021-08-05" }) { id } }`,
      ),
      {
        name: 'removeUnavailability',
        prepare: async (org) => {
          const id = await instructorIn(org);
          const added = await ok(
            `mutation($id: ID!) { addUnavailability(instructorId: $id, input: { from: "2021-09-01", to: "2021-09-02" }) { unavailablePeriods { id } } }`,
            { id },
          );
          return {
            query: `mutation($id: ID!, $p: ID!) { removeUnavailability(instructorId: $id, periodId: $p, on: "2021-08-01") { id } }`,
            variables: { id, p: added.addUnavailability.unavailablePeriods[0].id },
          };
        },
      },
      recordMutation(
        'revealInstructorContact',
        instructorIn,
        `mutation($id: ID!) { revealInstructorContact(id: $id) { phone email instructor { id } } }`,
        { action: 'REVEAL:contact' },
      ),
      {
        name: 'createTrainingClass',
        prepare: async (org) => ({
          query: `mutation($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id } }`,
          variables: {
            input: {
              title: '新培训班',
              category: 'NEW_LEADERS',
              organizationId: org,
              startsOn: '2021-07-01',
              endsOn: '2021-07-02',
              place: '某地',
              capacity: 5,
              sessions: [
                {
                  moduleCode: 'IHL-01',
                  startsAt: '2021-07-01T01:00:00Z',
                  endsAt: '2021-07-01T04:00:00Z',
                  instructorIds: [await instructorIn(org)],
                },
              ],
            },
          },
        }),
      },
      {
        name: 'addSession',
        prepare: async (org) => ({
          query: `mutation($input: AddSessionInput!) { addSession(input: $input) { id } }`,
          variables: {
            input: {
              classId: (await classIn(org)).id,
              session: { moduleCode: 'FIN-01', startsAt: '2021-05-11T01:00:00Z', endsAt: '2021-05-11T04:00:00Z', instructorIds: [] },
            },
          },
        }),
      },
      {
        name: 'assignInstructor',
        prepare: async (org) => ({
          query: `mutation($s: ID!, $i: ID!) { assignInstructor(sessionId: $s, instructorId: $i) { id } }`,
          variables: { s: (await classIn(org)).sessionId, i: await instructorIn(org) },
        }),
      },
      {
        name: 'cancelTrainingClass',
        prepare: async (org) => ({
          query: `mutation($id: ID!) { cancelTrainingClass(id: $id, on: "2021-05-01") { id } }`,
          variables: { id: (await classIn(org)).id },
        }),
      },
      {
        name: 'enroll',
        staff: true,
        prepare: async (org) => ({
          query: `mutation($input: EnrollInput!) { enroll(input: $input) { id } }`,
          variables: {
            input: {
              classId: (await classIn(org)).id,
              name: `报名${next()}`,
              organizationId: org,
              position: '副会长',
              enrolledOn: '2021-04-01',
            },
          },
        }),
      },
      {
        name: 'registerStaff',
        staff: true,
        action: 'registerStaff',
        prepare: async (org) => ({
          query: `mutation($input: RegisterStaffInput!) { registerStaff(input: $input) { id } }`,
          variables: {
            input: { name: '登记人员', organizationId: org, idNumber: withCheckDigit(`3301061990${String(next()).padStart(7, '0')}`) },
          },
        }),
      },
      {
        name: 'withdrawEnrollment',
        staff: true,
        prepare: async (org) => ({
          query: `mutation($id: ID!) { withdrawEnrollment(id: $id, on: "2021-04-15") { id } }`,
          variables: { id: await enrollmentIn((await classIn(org)).id, org) },
        }),
      },
      {
        name: 'recordSessionAttendance',
        prepare: async (org) => {
          const cls = await classIn(org);
          const enrollmentId = await enrollmentIn(cls.id, org);
          return {
            query: `mutation($input: RecordSessionAttendanceInput!) { recordSessionAttendance(input: $input) { id } }`,
            variables: { input: { sessionId: cls.sessionId, records: [{ enrollmentId, status: 'PRESENT' }] } },
          };
        },
      },
      {
        name: 'updateTrainingClass',
        prepare: async (org) => ({
          query: `mutation($id: ID!) { updateTrainingClass(id: $id, input: { capacity: 20, minAttendanceRate: 0.9 }) { id } }`,
          variables: { id: (await classIn(org)).id },
        }),
      },
      {
        name: 'cancelSession',
        prepare: async (org) => ({
          query: `mutation($s: ID!) { cancelSession(sessionId: $s, on: "2021-05-01") { session { id } } }`,
          variables: { s: (await classIn(org)).sessionId },
        }),
      },
      {
        name: 'moveSession',
        prepare: async (org) => ({
          query: `mutation($s: ID!) { moveSession(sessionId: $s, startsAt: "2021-05-11T01:00:00Z", endsAt: "2021-05-11T04:00:00Z") { session { id } } }`,
          variables: { s: (await classIn(org)).sessionId },
        }),
      },
      {
        name: 'restaffSession',
        prepare: async (org) => ({
          query: `mutation($s: ID!, $i: ID!) { restaffSession(sessionId: $s, instructorIds: [$i]) { affectedInstructors { id } } }`,
          variables: { s: (await classIn(org)).sessionId, i: await instructorIn(org) },
        }),
      },
      {
        name: 'issueCertificates',
        prepare: async (org) => {
          const cls = await classIn(org);
          const enrollmentId = await enrollmentIn(cls.id, org);
          await ok(`mutation($input: RecordSessionAttendanceInput!) { recordSessionAttendance(input: $input) { id } }`, {
            input: { sessionId: cls.sessionId, records: [{ enrollmentId, status: 'PRESENT' }] },
          });
          return {
            query: `mutation($id: ID!) { issueCertificates(classId: $id, on: "2021-05-20") { number } }`,
            variables: { id: cls.id },
          };
        },
      },
      {
        name: 'recordAssessment',
        prepare: async (org) => ({
          query: `mutation($id: ID!) { recordAssessment(enrollmentId: $id, passed: true) { id } }`,
          variables: { id: await enrollmentIn((await classIn(org)).id, org) },
        }),
      },
      {
        name: 'rateInstructor',
        prepare: async (org) => {
          const teacher = await instructorIn(org);
          return {
            query: `mutation($input: RateInstructorInput!) { rateInstructor(input: $input) { id } }`,
            variables: {
              input: { sessionId: (await classIn(org, [teacher])).sessionId, instructorId: teacher, score: 4.5, responses: 20 },
            },
          };
        },
      },
    ];

    it.each(cases)('$name: allowed inside, FORBIDDEN outside and for other roles, changing nothing when refused', async (c) => {
      // Targets in 杭州市 (a prefecture): its pool, its classes, its cadres.
      const { query, variables } = await c.prepare(ids.hz);
      const refused: [string, Viewer][] = [
        ['TRAINING_MANAGER of a sibling prefecture', v('TRAINING_MANAGER', ids.jh)],
        ['ADMIN of another province', v('ADMIN', ids.js)],
        ['TRAINING_MANAGER of a county below (the target is above its subtree)', v('TRAINING_MANAGER', ids.xh)],
        ['STAFF of a sibling prefecture', v('STAFF', ids.jh)],
        ['VIEWER inside', v('VIEWER', ids.hz)],
        ['REPORTER inside', v('REPORTER', ids.hz)],
        ['TRAINING_MANAGER without a branch', v('TRAINING_MANAGER', null)],
        ...(c.staff ? [] : ([['STAFF inside', v('STAFF', ids.hz)]] as [string, Viewer][])),
      ];
      const before = await state();
      // Refused: FORBIDDEN, nothing written, no audit entry.
      await expectRefused(svc.subgraph, refused, query, variables ?? {}, state);
      expect((await as(v('TRAINING_MANAGER', ids.jh), query, variables)).errors?.[0].message).toMatch(/outside your branch's subtree/);
      expect((await as(v('VIEWER', ids.hz), query, variables)).errors?.[0].message).toMatch(
        c.staff ? /^Only TRAINING_MANAGER or ADMIN or STAFF/ : /^Only TRAINING_MANAGER or ADMIN/,
      );

      // The prefecture's own TRAINING_MANAGER (or STAFF where allowed).
      const manager = { ...v(c.staff ? 'STAFF' : 'TRAINING_MANAGER', ids.hz), name: '杭州 经办' };
      const done = await as(manager, query, variables);
      expect(done.errors).toBeUndefined();
      const entry = (await latestAudit(c.action ?? c.name))!;
      expect(entry).toMatchObject({
        service: 'training',
        actor: { userId: manager.userId, name: '杭州 经办', organizationId: ids.hz, roles: manager.roles },
      });
      expect(entry.orgPath.map(String)).toEqual([ids.hq, ids.zj, ids.hz]);
      expect((await state()).audit).toBeGreaterThan(before.audit);

      // The province's ADMIN, on a fresh target.
      const again = await c.prepare(ids.hz);
      expect((await as(v('ADMIN', ids.zj), again.query, again.variables)).errors).toBeUndefined();
    });

    it('publishes syllabus modules for the national HQ only', async () => {
      const q = `mutation($input: PublishSyllabusModuleInput!) { publishSyllabusModule(input: $input) { version } }`;
      const input = (c: string) => ({
        code: c,
        title: '新专题',
        objectives: ['x'],
        hours: 3,
        audienceLevels: ['COUNTY'],
        effectiveFrom: '2021-01-01',
      });
      const before = await state();
      for (const viewer of [v('TRAINING_MANAGER', ids.zj), v('ADMIN', ids.hz), v('STAFF', ids.hq), v('VIEWER', ids.hq), v('ADMIN', null)]) {
        expect(codeOf(await as(viewer, q, { input: input('NEW-01') }))).toBe('FORBIDDEN');
      }
      expect(await state()).toEqual(before);
      expect((await as(v('TRAINING_MANAGER', ids.hq), q, { input: input('NEW-01') })).data.publishSyllabusModule).toEqual({ version: 1 });
      const entry = (await latestAudit('publishSyllabusModule'))!;
      expect(entry.orgPath.map(String)).toEqual([ids.hq]);
      expect(entry.actor.roles).toEqual(['TRAINING_MANAGER']);
    });

    it('keeps an unknown branch BAD_USER_INPUT and an unknown record NOT_FOUND for an allowed role', async () => {
      const tm = v('TRAINING_MANAGER', ids.hz);
      const unknown = await as(
        tm,
        `mutation { createInstructor(input: { name: "某", category: EXPERT, organizationId: "${'f'.repeat(24)}", topics: ["IHL-01"], joinedOn: "2021-01-01" }) { id } }`,
      );
      expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
      expect(codeOf(await as(tm, `mutation { cancelTrainingClass(id: "${'e'.repeat(24)}", on: "2021-01-01") { id } }`))).toBe('NOT_FOUND');
      // An unknown record for a role that may never do it is FORBIDDEN first.
      expect(
        codeOf(await as(v('VIEWER', ids.hz), `mutation { cancelTrainingClass(id: "${'e'.repeat(24)}", on: "2021-01-01") { id } }`)),
      ).toBe('FORBIDDEN');
    });

    it("books instructors of the viewer's subtree and of its ancestors' pools, never another subtree's", async () => {
      const tm = v('TRAINING_MANAGER', ids.hz);
      const national = await instructorIn(ids.hq, '国家师资');
      const other = await instructorIn(ids.js, '江苏师资');
      const sibling = await instructorIn(ids.jh, '金华师资');
      const q = `mutation($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id instructors { name } } }`;
      const input = (instructorIds: string[], day: string) => ({
        title: '杭州市师资混合班',
        category: 'IHL_INSTRUCTORS',
        organizationId: ids.hz,
        startsOn: day,
        endsOn: day,
        place: '杭州',
        capacity: 5,
        sessions: [{ moduleCode: 'IHL-01', startsAt: `${day}T01:00:00Z`, endsAt: `${day}T04:00:00Z`, instructorIds }],
      });
      const before = await state();
      for (const outside of [other, sibling]) {
        const r = await as(tm, q, { input: input([outside], '2021-08-02') });
        expect(codeOf(r)).toBe('FORBIDDEN');
        expect(r.errors?.[0].message).toMatch(/input\.sessions\.0\.instructorIds\.0/);
      }
      expect(await state()).toEqual(before);
      const r = await as(tm, q, { input: input([national], '2021-08-02') });
      expect(r.errors).toBeUndefined();
      expect(r.data.createTrainingClass.instructors).toEqual([{ name: '国家师资' }]);
      // assignInstructor and addSession follow the same rule.
      const cls = await classIn(ids.hz, [], '2021-08-09');
      const assign = await as(tm, `mutation($s: ID!, $i: ID!) { assignInstructor(sessionId: $s, instructorId: $i) { id } }`, {
        s: cls.sessionId,
        i: other,
      });
      expect(codeOf(assign)).toBe('FORBIDDEN');
      expect(assign.errors?.[0].message).toMatch(/outside your branch's subtree/);
      const add = await as(tm, `mutation($input: AddSessionInput!) { addSession(input: $input) { id } }`, {
        input: {
          classId: cls.id,
          session: { moduleCode: 'IHL-01', startsAt: '2021-08-10T01:00:00Z', endsAt: '2021-08-10T04:00:00Z', instructorIds: [sibling] },
        },
      });
      expect(codeOf(add)).toBe('FORBIDDEN');
      // The Jiangsu instructor was never booked by the refused requests.
      expect((await svc.subgraph.models.Instructor.findById(other).lean())!.scheduleRevision).toBe(0);
    });

    it("enrols the viewer's own cadres into classes of its subtree and of its ancestors, which it cannot change", async () => {
      const national = await classIn(ids.hq, [], '2021-09-06', '总会培训班');
      const other = await classIn(ids.js, [], '2021-09-06', '江苏培训班');
      const q = `mutation($input: EnrollInput!) { enroll(input: $input) { id organization { id } } }`;
      const input = (classId: string, org: string) => ({
        classId,
        name: `县级学员${next()}`,
        organizationId: org,
        position: '秘书长',
        enrolledOn: '2021-08-01',
      });
      const staff = v('STAFF', ids.xh);
      const ok1 = await as(staff, q, { input: input(national.id, ids.xh) });
      expect(ok1.errors).toBeUndefined();
      const before = await state();
      expect(before.audit).toBeGreaterThan(0);
      // A cadre of another county, and a class of another province: FORBIDDEN.
      expect(codeOf(await as(staff, q, { input: input(national.id, ids.yh) }))).toBe('FORBIDDEN');
      expect(codeOf(await as(staff, q, { input: input(national.id, ids.hz) }))).toBe('FORBIDDEN');
      expect(codeOf(await as(staff, q, { input: input(other.id, ids.xh) }))).toBe('FORBIDDEN');
      expect(
        codeOf(
          await as(v('TRAINING_MANAGER', ids.xh), `mutation($id: ID!) { cancelTrainingClass(id: $id, on: "2021-08-01") { id } }`, {
            id: national.id,
          }),
        ),
      ).toBe('FORBIDDEN');
      expect(await state()).toEqual(before);
      // STAFF withdraws its own cadre, not another county's; the host's manager may withdraw anyone's.
      const yhCadre = await enrollmentIn(national.id, ids.yh);
      const afterFixture = await state();
      const withdraw = `mutation($id: ID!) { withdrawEnrollment(id: $id, on: "2021-08-15") { withdrawnOn } }`;
      expect(codeOf(await as(staff, withdraw, { id: yhCadre }))).toBe('FORBIDDEN');
      expect(codeOf(await as(v('TRAINING_MANAGER', ids.xh), withdraw, { id: yhCadre }))).toBe('FORBIDDEN');
      expect(await state()).toEqual(afterFixture);
      expect((await as(staff, withdraw, { id: ok1.data.enroll.id })).errors).toBeUndefined();
      expect((await as(v('TRAINING_MANAGER', ids.hq), withdraw, { id: yhCadre })).errors).toBeUndefined();
    });
  });

  describe('reads: lists, single records, entities and aggregates', () => {
    const rec: Record<string, string> = {};

    beforeAll(async () => {
      rec.hqI = await instructorIn(ids.hq, '读总会师资');
      rec.zjI = await instructorIn(ids.zj, '读浙江师资');
      rec.hzI = await instructorIn(ids.hz, '读杭州师资');
      rec.xhI = await legacyCountyInstructor(ids.xh, '读西湖师资');
      rec.ywI = await legacyCountyInstructor(ids.yw, '读义乌师资');
      rec.jsI = await instructorIn(ids.js, '读江苏师资');
      // The national class is taught by the national and the Jiangsu instructor (booked by a service).
      const hqClass = await classIn(ids.hq, [rec.hqI, rec.jsI], '2021-03-01', '读总会班');
      rec.hqC = hqClass.id;
      rec.hqS = hqClass.sessionId;
      // A provincial class also taught by the Jiangsu instructor (booked by a service).
      rec.zjC = (await classIn(ids.zj, [rec.zjI, rec.jsI], '2021-03-08', '读浙江班')).id;
      rec.hzC = (await classIn(ids.hz, [rec.hzI], '2021-03-15', '读杭州班')).id;
      rec.xhC = (await classIn(ids.xh, [rec.xhI, rec.hqI], '2021-03-22', '读西湖班')).id;
      rec.ywC = (await classIn(ids.yw, [rec.ywI, rec.hqI], '2021-03-29', '读义乌班')).id;
      rec.jsC = (await classIn(ids.js, [rec.jsI], '2021-04-05', '读江苏班')).id;
      rec.hqXh = await enrollmentIn(rec.hqC, ids.xh, '读西湖学员');
      rec.hqYw = await enrollmentIn(rec.hqC, ids.yw, '读义乌学员');
      rec.hqJs = await enrollmentIn(rec.hqC, ids.js, '读江苏学员');
      rec.hzXh = await enrollmentIn(rec.hzC, ids.xh, '读西湖学员二');
      rec.hzHz = await enrollmentIn(rec.hzC, ids.hz, '读杭州学员');
    });

    const idsOf = (conn: { nodes: { id: string }[] }) => conn.nodes.map((n) => n.id);
    const lists = `{ instructors(first: 100) { totalCount nodes { id } } trainingClasses(first: 100) { totalCount nodes { id } } }`;

    it("lists instructors and classes of the viewer's subtree and of its ancestors, whatever the filter asks", async () => {
      for (const role of ['VIEWER', 'REPORTER', 'STAFF', 'TRAINING_MANAGER', 'ADMIN'] as Role[]) {
        const r = await as(v(role, ids.xh), lists);
        expect(r.errors).toBeUndefined();
        expect(idsOf(r.data.instructors)).toEqual(expect.arrayContaining([rec.hqI, rec.zjI, rec.hzI, rec.xhI]));
        expect(idsOf(r.data.instructors)).not.toContain(rec.ywI);
        expect(idsOf(r.data.instructors)).not.toContain(rec.jsI);
        expect(idsOf(r.data.trainingClasses)).toEqual(expect.arrayContaining([rec.hqC, rec.zjC, rec.hzC, rec.xhC]));
        expect(idsOf(r.data.trainingClasses)).not.toContain(rec.ywC);
        expect(idsOf(r.data.trainingClasses)).not.toContain(rec.jsC);
      }
      // Every instructor the county sees is held in its subtree or by one of its ancestors.
      const seen = await as(v('VIEWER', ids.xh), lists);
      const stored = await svc.subgraph.models.Instructor.find({ _id: { $in: idsOf(seen.data.instructors) } }).lean();
      expect(stored.length).toBeGreaterThanOrEqual(4);
      expect(stored.every((i) => [ids.hq, ids.zj, ids.hz, ids.xh].includes(String(i.organizationId)))).toBe(true);
      const within = await as(
        v('VIEWER', ids.xh),
        `query($id: ID!) { instructors(filter: { within: $id }) { totalCount } trainingClasses(filter: { within: $id }) { totalCount } }`,
        { id: ids.yw },
      );
      expect(within.data).toEqual({ instructors: { totalCount: 0 }, trainingClasses: { totalCount: 0 } });
      const none = await as(v('ADMIN', null), lists);
      expect(none.data).toEqual({ instructors: { totalCount: 0, nodes: [] }, trainingClasses: { totalCount: 0, nodes: [] } });
      const all = await run(lists);
      expect(idsOf(all.data.instructors)).toEqual(expect.arrayContaining([rec.ywI, rec.jsI]));
    });

    it('answers single records and entity references outside what the viewer may read with FORBIDDEN', async () => {
      const xh = v('VIEWER', ids.xh);
      const select = 'id name: __typename';
      await matrix.expectRecordForbidden({ outsider: xh, insider: v('VIEWER', ids.yw) }, 'instructor', rec.ywI, { select });
      await matrix.expectRecordForbidden({ outsider: xh, insider: v('VIEWER', ids.js) }, 'trainingClass', rec.jsC, { select });
      expect((await as(xh, `query($id: ID!) { instructor(id: $id) { name } }`, { id: rec.hqI })).data.instructor).toEqual({
        name: '读总会师资',
      });
      expect((await as(xh, `{ trainingClass(id: "${'e'.repeat(24)}") { id } }`)).data.trainingClass).toBeNull();
      const r = await matrix.expectEntities(
        xh,
        '... on Instructor { name } ... on TrainingClass { title }',
        [
          { __typename: 'Instructor', id: rec.xhI },
          { __typename: 'Instructor', id: rec.ywI },
          { __typename: 'TrainingClass', id: rec.jsC },
          { __typename: 'TrainingClass', id: rec.hqC },
        ],
        [{ name: '读西湖师资' }, null, null, { title: '读总会班' }],
      );
      expect(JSON.stringify(r)).not.toMatch(/读义乌|读江苏/);
    });

    it("filters Organization's pools, classes and enrolments by the viewer's subtree, through _entities too", async () => {
      const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { id
        instructorPool(includeSubtree: true, first: 100) { totalCount nodes { id } }
        hostedClasses(first: 100) { totalCount nodes { id enrollments(first: 100) { totalCount nodes { id name } } } } } } }`;
      const org = (id: string) => ({ __typename: 'Organization', id });
      const xh = await as(v('STAFF', ids.xh), q, { reps: [org(ids.yw), org(ids.zj), org(ids.hq), org(ids.hz)] });
      expect(xh.errors).toBeUndefined();
      const [yw, zj, hq, hz] = xh.data._entities;
      expect(yw.instructorPool).toEqual({ totalCount: 0, nodes: [] });
      expect(yw.hostedClasses).toEqual({ totalCount: 0, nodes: [] });
      // The province's pool with its subtree: its own, 杭州's and 西湖's, not 义乌's.
      expect(idsOf(zj.instructorPool)).toEqual(expect.arrayContaining([rec.zjI, rec.hzI, rec.xhI]));
      expect(idsOf(zj.instructorPool)).not.toContain(rec.ywI);
      const seen = await svc.subgraph.models.Instructor.find({ _id: { $in: idsOf(zj.instructorPool) } }).lean();
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(seen.every((i) => [ids.zj, ids.hz, ids.xh].includes(String(i.organizationId)))).toBe(true);
      expect(zj.instructorPool.totalCount).toBe(
        await svc.subgraph.models.Instructor.countDocuments({
          status: 'ACTIVE',
          $or: [{ organizationId: { $in: [ids.zj, ids.hz] } }, { orgPath: ids.xh }],
        }),
      );
      expect(idsOf(hq.instructorPool)).not.toContain(rec.jsI);
      // The national class: readable, but only 西湖's cadre among its trainees.
      const national = hq.hostedClasses.nodes.find((c: any) => c.id === rec.hqC);
      expect(national.enrollments).toEqual({ totalCount: 1, nodes: [{ id: rec.hqXh, name: '读西湖学员' }] });
      const hzClass = hz.hostedClasses.nodes.find((c: any) => c.id === rec.hzC);
      expect(idsOf(hzClass.enrollments)).toEqual([rec.hzXh]);
      // The host's prefecture sees every trainee of its class; the national HQ every one of its own.
      const hzView = (await as(v('VIEWER', ids.hz), q, { reps: [org(ids.hz)] })).data._entities[0];
      expect(idsOf(hzView.hostedClasses.nodes.find((c: any) => c.id === rec.hzC).enrollments).sort()).toEqual([rec.hzXh, rec.hzHz].sort());
      const hqView = (await as(v('VIEWER', ids.hq), q, { reps: [org(ids.hq)] })).data._entities[0];
      expect(hqView.hostedClasses.nodes.find((c: any) => c.id === rec.hqC).enrollments.totalCount).toBe(3);
    });

    it('never shows instructors or sessions of other subtrees through nested fields', async () => {
      const xh = v('VIEWER', ids.xh);
      const cls = await as(xh, `query($id: ID!) { trainingClass(id: $id) { instructors { name } sessions { instructors { name } } } }`, {
        id: rec.hqC,
      });
      expect(cls.errors).toBeUndefined();
      expect(cls.data.trainingClass).toEqual({
        instructors: [{ name: '读总会师资' }],
        sessions: [{ instructors: [{ name: '读总会师资' }] }],
      });
      // The national instructor teaches in 西湖, in 义乌 and at the HQ: the county sees the HQ's and its own.
      const sessions = await as(
        xh,
        `query($id: ID!) { instructor(id: $id) { sessions(from: "2021-01-01", to: "2021-12-31") { trainingClass { title } } } }`,
        {
          id: rec.hqI,
        },
      );
      expect(sessions.data.instructor.sessions.map((s: any) => s.trainingClass.title).sort()).toEqual(['读总会班', '读西湖班']);
      const everyone = await run(`query($id: ID!) { instructor(id: $id) { sessions(from: "2021-01-01", to: "2021-12-31") { id } } }`, {
        id: rec.hqI,
      });
      expect(everyone.data.instructor.sessions).toHaveLength(3);
      // Ratings of an unreadable instructor are left out too.
      await ok(`mutation($input: RateInstructorInput!) { rateInstructor(input: $input) { id } }`, {
        input: { sessionId: rec.hqS, instructorId: rec.jsI, score: 4, responses: 10 },
      });
      const rated = await as(xh, `query($id: ID!) { trainingClass(id: $id) { sessions { ratings { instructor { name } } } } }`, {
        id: rec.hqC,
      });
      expect(rated.data.trainingClass.sessions[0].ratings).toEqual([]);
      expect(JSON.stringify([cls, sessions, rated])).not.toMatch(/读江苏|读义乌/);
    });

    it("shows staff records' identity numbers masked to roles that work with people, and verifies certificates for any role", async () => {
      const idNumber = withCheckDigit('33010619750303003');
      const staffId = (
        await ok(`mutation($input: RegisterStaffInput!) { registerStaff(input: $input) { id } }`, {
          input: { name: '读人员', organizationId: ids.hz, idNumber },
        })
      ).registerStaff.id;
      const cls = await classIn(ids.hz, [], '2021-06-07', '读证书班');
      const enrollmentId = (
        await ok(`mutation($input: EnrollInput!) { enroll(input: $input) { id } }`, {
          input: { classId: cls.id, name: '读人员', organizationId: ids.hz, position: '干事', enrolledOn: '2021-06-01', staffId },
        })
      ).enroll.id;
      await ok(`mutation($input: RecordSessionAttendanceInput!) { recordSessionAttendance(input: $input) { id } }`, {
        input: { sessionId: cls.sessionId, records: [{ enrollmentId, status: 'PRESENT' }] },
      });
      const number = (await ok(`mutation($id: ID!) { issueCertificates(classId: $id, on: "2021-06-10") { number } }`, { id: cls.id }))
        .issueCertificates[0].number;
      const q = `query($id: ID!) { trainingClass(id: $id) { enrollments { nodes { staff { name identityNumber } certificate { number } } } } }`;
      const masked = `3301${'*'.repeat(10)}${idNumber.slice(-4)}`;
      for (const [role, shown] of [
        ['STAFF', masked],
        ['TRAINING_MANAGER', masked],
        ['ADMIN', masked],
        ['REPORTER', null],
        ['VIEWER', null],
      ] as [Role, string | null][]) {
        const r = await as(v(role, ids.hz), q, { id: cls.id });
        expect([role, r.data.trainingClass.enrollments.nodes[0]]).toEqual([
          role,
          { staff: { name: '读人员', identityNumber: shown }, certificate: { number } },
        ]);
      }
      // The number is what the holder shows: any authenticated viewer verifies it.
      const verify = await as(v('VIEWER', ids.js), `query($n: String!) { certificate(number: $n) { number name valid } }`, { n: number });
      expect(verify.data.certificate).toEqual({ number, name: '读人员', valid: true });
    });

    it('shows contact details masked to roles that work with people, not to REPORTER or VIEWER', async () => {
      const q = `query($id: ID!) { instructor(id: $id) { contact { phone email } } }`;
      for (const role of ['ADMIN', 'STAFF', 'TRAINING_MANAGER'] as Role[]) {
        const r = await as(v(role, ids.xh), q, { id: rec.xhI });
        expect(r.data.instructor.contact.phone).toMatch(/^139\*{4}\d{4}$/);
        expect(r.data.instructor.contact.email).toMatch(/^t\*\*\*@example\.org$/);
      }
      for (const role of ['REPORTER', 'VIEWER'] as Role[]) {
        expect((await as(v(role, ids.xh), q, { id: rec.xhI })).data.instructor.contact).toEqual({ phone: null, email: null });
      }
    });

    it('gives aggregates to every role inside the subtree only', async () => {
      const totals = `query($id: ID!) { trainedCadres(organizationId: $id, year: 2021) { enrolled } }`;
      for (const role of ['REPORTER', 'VIEWER'] as Role[]) {
        const own = await as(v(role, ids.hz), totals, { id: ids.xh });
        expect(own.data.trainedCadres.enrolled).toBe(2);
        const above = await as(v(role, ids.xh), totals, { id: ids.hz });
        expect(codeOf(above)).toBe('FORBIDDEN');
        expect(above.data).toEqual({ trainedCadres: null });
      }
      const nested = await as(
        v('REPORTER', ids.xh),
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { id trainedCadres(year: 2021) { enrolled } } } }`,
        {
          reps: [
            { __typename: 'Organization', id: ids.zj },
            { __typename: 'Organization', id: ids.xh },
          ],
        },
      );
      // Only the forbidden field is null: the rest of the answer stands.
      expect(nested.data._entities).toEqual([
        { id: ids.zj, trainedCadres: null },
        { id: ids.xh, trainedCadres: { enrolled: 2 } },
      ]);
      expect(nested.errors?.map((e) => e.path)).toEqual([['_entities', 0, 'trainedCadres']]);

      const ranking = `query($w: ID) { instructorWorkloads(from: "2021-01-01", to: "2021-12-31", within: $w, first: 100) { instructor { name } sessions } }`;
      const own = await as(v('REPORTER', ids.xh), ranking, {});
      expect(own.data.instructorWorkloads.map((w: any) => w.instructor.name).sort()).toEqual(['读总会师资', '读西湖师资']);
      for (const w of [ids.yw, ids.zj]) expect(codeOf(await as(v('REPORTER', ids.xh), ranking, { w }))).toBe('FORBIDDEN');
      // 浙江's ranking leaves out the Jiangsu instructor who taught its class; the HQ's has them.
      const zj = await as(v('VIEWER', ids.zj), ranking, {});
      expect(zj.data.instructorWorkloads.map((w: any) => w.instructor.name)).not.toContain('读江苏师资');
      expect((await as(v('VIEWER', ids.hq), ranking, {})).data.instructorWorkloads.map((w: any) => w.instructor.name)).toContain(
        '读江苏师资',
      );
    });
  });

  describe('the audit log and reveals', () => {
    const log = auditLog('trainingAudit');

    it('records who, before and after, with contact details only masked', async () => {
      const admin = { ...testViewer(['ADMIN'], ids.hz), name: '审计 测试' };
      const id = await instructorIn(ids.hz, '审计师资');
      const stored = (await svc.subgraph.models.Instructor.findById(id).lean())!;
      const r = await as(
        admin,
        `mutation($id: ID!) { updateInstructor(id: $id, input: { name: "审计师资（改）", phone: "13698765432" }) { name } }`,
        { id },
      );
      expect(r.errors).toBeUndefined();
      const [latest, creation] = log.entriesOf(await as(admin, log.query, { id: ids.hz, first: 2 }));
      log.expectEntry(latest, admin, { action: 'updateInstructor', entity: 'Instructor', entityId: id, service: 'training' });
      const before = JSON.parse(latest.before);
      const after = JSON.parse(latest.after);
      expect([before.name, after.name]).toEqual(['审计师资', '审计师资（改）']);
      expect(before.contact).toEqual({ phone: stored.contact.phone!.masked, email: stored.contact.email!.masked });
      expect(after.contact.phone).toBe('136****5432');
      expect(creation).toMatchObject({ action: 'createInstructor', entityId: id, before: null });
      const updated = (await svc.subgraph.models.Instructor.findById(id).lean())!;
      const raw = JSON.stringify(await svc.subgraph.models.Audit.find({ entityId: id }).lean());
      for (const secret of [
        '13698765432',
        stored.contact.phone!.cipher,
        stored.contact.phone!.hash,
        stored.contact.email!.cipher,
        updated.contact.phone!.cipher,
        updated.contact.phone!.hash,
      ]) {
        expect(raw).not.toContain(secret);
      }
    });

    it('is readable by ADMINs of a subtree containing the branch only', () => {
      const { Instructor, TrainingClass } = svc.subgraph.models;
      const managerInside: [string, Viewer, string] = ['TRAINING_MANAGER inside', v('TRAINING_MANAGER', ids.xh), ids.xh];
      return log.expectAccess(svc.subgraph, ids, [Instructor, TrainingClass], [managerInside, ...refusedAuditReaders(ids)]);
    });

    it('reveals contact details to the pool’s managers only, audited without the values', async () => {
      const id = await instructorIn(ids.hz, '揭示师资');
      const stored = (await svc.subgraph.models.Instructor.findById(id).lean())!;
      const reveal = `mutation($id: ID!) { revealInstructorContact(id: $id) { phone email instructor { id name } } }`;
      const before = await state();
      for (const [who, viewer] of [
        ['STAFF inside', v('STAFF', ids.hz)],
        ['VIEWER inside', v('VIEWER', ids.hz)],
        ['REPORTER inside', v('REPORTER', ids.hz)],
        ['TRAINING_MANAGER of a county below', v('TRAINING_MANAGER', ids.xh)],
        ['ADMIN of another province', v('ADMIN', ids.js)],
      ] as [string, Viewer][]) {
        const r = await as(viewer, reveal, { id });
        expect([who, codeOf(r)]).toEqual([who, 'FORBIDDEN']);
        expect(JSON.stringify(r)).not.toMatch(/139\d{8}/);
      }
      expect(await state()).toEqual(before);
      const tm = v('TRAINING_MANAGER', ids.hz);
      const r = await as(tm, reveal, { id });
      expect(r.errors).toBeUndefined();
      const clear = r.data.revealInstructorContact;
      expect(clear.phone).toMatch(/^139\d{8}$/);
      expect(clear.email).toMatch(/^t\d+@example\.org$/);
      expect(clear.instructor).toEqual({ id, name: '揭示师资' });
      const entry = (await svc.subgraph.models.Audit.findOne({ action: 'REVEAL:contact', entityId: id }).lean())!;
      expect(entry).toMatchObject({ entity: 'Instructor', actor: { userId: tm.userId, roles: ['TRAINING_MANAGER'] } });
      expect(entry.orgPath.map(String)).toEqual([ids.hq, ids.zj, ids.hz]);
      expect(entry.after).toEqual({ revealed: ['phone', 'email'] });
      const raw = JSON.stringify(entry);
      for (const secret of [
        clear.phone,
        clear.email,
        stored.contact.phone!.cipher,
        stored.contact.phone!.hash,
        stored.contact.phone!.masked,
      ]) {
        expect(raw).not.toContain(secret);
      }
      // The province's ADMIN sees the reveal in its log.
      const zj = log.entriesOf(await as(v('ADMIN', ids.zj), log.query, { id: ids.zj, first: 5 }));
      expect(zj[0]).toMatchObject({ action: 'REVEAL:contact', entityId: id, actorRoles: ['TRAINING_MANAGER'] });
    });

    it('audits both records of an enrolment, and a failed change leaves neither a change nor an entry', async () => {
      const staff = v('STAFF', ids.xh);
      const cls = await classIn(ids.hz, [], '2021-10-04', '审计班');
      await svc.subgraph.models.TrainingClass.updateOne({ _id: cls.id }, { $set: { capacity: 1 } });
      const q = `mutation($input: EnrollInput!) { enroll(input: $input) { id } }`;
      const input = (name: string) => ({ classId: cls.id, name, organizationId: ids.xh, position: '干事', enrolledOn: '2021-09-01' });
      const first = await as(staff, q, { input: input('审计学员') });
      expect(first.errors).toBeUndefined();
      const entries = await svc.subgraph.models.Audit.find({ action: 'enroll', entityId: { $in: [first.data.enroll.id, cls.id] } }).lean();
      expect(entries.map((e) => [e.entity, e.orgPath.map(String)]).sort()).toEqual([
        ['Enrollment', [ids.hq, ids.zj, ids.hz, ids.xh]],
        ['TrainingClass', [ids.hq, ids.zj, ids.hz]],
      ]);
      expect(entries.find((e) => e.entity === 'TrainingClass')).toMatchObject({
        before: { enrollmentCount: 0, capacity: 1 },
        after: { enrollmentCount: 1, capacity: 1 },
      });
      // The same cadre again: CONFLICT, inside the transaction. Nothing changes.
      const before = await state();
      expect(codeOf(await as(staff, q, { input: input('审计学员') }))).toBe('CONFLICT');
      expect(await state()).toEqual(before);
      // An overlapping booking fails after the class would have been written: nothing either.
      const teacher = await instructorIn(ids.hz);
      await classIn(ids.hz, [teacher], '2021-10-11');
      const before2 = await state();
      const clash = await as(
        v('TRAINING_MANAGER', ids.hz),
        `mutation($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id } }`,
        {
          input: {
            title: '冲突班',
            category: 'NEW_LEADERS',
            organizationId: ids.hz,
            startsOn: '2021-10-11',
            endsOn: '2021-10-11',
            place: '杭州',
            capacity: 5,
            sessions: [
              { moduleCode: 'IHL-01', startsAt: '2021-10-11T02:00:00Z', endsAt: '2021-10-11T05:00:00Z', instructorIds: [teacher] },
            ],
          },
        },
      );
      expect(codeOf(clash)).toBe('CONFLICT');
      expect(await state()).toEqual(before2);
    });
  });

  describe('batched per-parent lists', () => {
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization {
      instructorPool(includeSubtree: true, first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { id name } }
      hostedClasses(first: 5) { totalCount nodes { id enrollments(first: 2) { totalCount nodes { id } } } } } } }`;
    const branches = [ids.hq, ids.zj, ids.hz, ids.xh, ids.yh, ids.jh, ids.yw, ids.js];
    const reps = (list: string[]) => list.map((id) => ({ __typename: 'Organization', id }));

    it('reads the pools, classes and enrolments of a whole list of branches in a constant number of commands', async () => {
      const counts: number[] = [];
      const answers: any[] = [];
      for (const [viewer, lists] of [
        [v('ADMIN', ids.hq), [branches.slice(0, 1), branches.slice(0, 3), branches]],
        [v('VIEWER', ids.xh), [[ids.xh, ids.hq], [ids.xh, ids.hq, ids.zj], branches]],
      ] as [Viewer, string[][]][]) {
        for (const list of lists) {
          svc.db.commands.reset();
          const r = await as(viewer, q, { reps: reps(list) });
          expect(r.errors).toBeUndefined();
          counts.push(svc.db.commands.count());
          answers.push(r.data._entities);
        }
      }
      // Pools: one aggregation for the pages and one for totalCount; the same for the classes
      // and for their enrolments (a county viewer's enrolments split into two groups: classes
      // hosted in its subtree, and classes hosted above it, where it sees its own cadres only).
      expect(counts).toEqual([6, 6, 6, 8, 8, 8]);
      expect(svc.db.commands.names().every((n) => n === 'aggregate')).toBe(true);
      // Batched answers equal one-branch-at-a-time answers.
      const full = answers[2];
      for (const [i, id] of branches.entries()) {
        const single = (await as(v('ADMIN', ids.hq), q, { reps: reps([id]) })).data._entities[0];
        expect(full[i]).toEqual(single);
      }
      expect(full[0].instructorPool.totalCount).toBe(await svc.subgraph.models.Instructor.countDocuments({ status: 'ACTIVE' }));
    });

    it('pages each parent with cursors exactly as the root list does', async () => {
      const page = `query($id: ID!, $after: String) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization {
        instructorPool(includeSubtree: true, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } } }`;
      const walked: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 50; i++) {
        const r: Result = await as(v('VIEWER', ids.zj), page, { id: ids.zj, after });
        expect(r.errors).toBeUndefined();
        const pool = r.data._entities[0].instructorPool;
        walked.push(...idsOf(pool));
        if (!pool.pageInfo.hasNextPage) break;
        after = pool.pageInfo.endCursor;
      }
      const root = await as(
        v('VIEWER', ids.zj),
        `query($id: ID!) { instructors(filter: { within: $id }, first: 100) { totalCount nodes { id } } }`,
        {
          id: ids.zj,
        },
      );
      expect(walked).toEqual(idsOf(root.data.instructors));
      expect(walked.length).toBe(root.data.instructors.totalCount);
      expect(new Set(walked).size).toBe(walked.length);
      expect(walked.length).toBeGreaterThan(4);
      const bad = await as(v('VIEWER', ids.zj), page, { id: ids.zj, after: 'nope' });
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    });
    const idsOf = (conn: { nodes: { id: string }[] }) => conn.nodes.map((n) => n.id);
  });
});
