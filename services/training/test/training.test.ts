import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { formatDate, today } from '@rcsc/service-kit';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const branch = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const HQ = tree.find((b) => b.level === 'NATIONAL')!.id;
const ZJ = branch('330000');
const HZ = branch('330100');
const JS = branch('320000');

type Err = { extensions?: Record<string, unknown>; message: string };
/** The first error's code and the fields it names. */
const problem = (r: { errors?: Err[] }) => ({
  code: r.errors?.[0]?.extensions?.code,
  fields: ((r.errors?.[0]?.extensions?.fields as { field: string }[]) ?? []).map((f) => f.field),
  message: r.errors?.[0]?.message ?? '',
});

describe('training subgraph', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = <T = any>(query: string, variables?: Record<string, unknown>) => execute<T>(svc.subgraph, query, variables);
  const ids: Record<string, string> = {};

  const publish = (input: Record<string, unknown>) =>
    run(`mutation($input: PublishSyllabusModuleInput!) { publishSyllabusModule(input: $input) { id code version supersededOn } }`, {
      input,
    });
  const createInstructor = async (input: Record<string, unknown>) => {
    const r = await run(`mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id tier } }`, { input });
    expect(r.errors).toBeUndefined();
    return r.data.createInstructor.id as string;
  };
  const session = (moduleCode: string, day: string, slot: 'am' | 'pm', instructorIds: string[]) => ({
    moduleCode,
    startsAt: `${day}T${slot === 'am' ? '01' : '06'}:00:00Z`,
    endsAt: `${day}T${slot === 'am' ? '04' : '09'}:00:00Z`,
    instructorIds,
  });
  const classInput = (over: Record<string, unknown>) => ({
    title: '浙江省红十字会2021年探索人道法师资培训班',
    category: 'IHL_INSTRUCTORS',
    organizationId: ZJ,
    startsOn: '2021-10-11',
    endsOn: '2021-10-13',
    place: '杭州',
    capacity: 2,
    ...over,
  });
  const CREATE_CLASS = `mutation($input: CreateTrainingClassInput!) { createTrainingClass(input: $input) { id enrollmentCount totalHours instructors { name } } }`;

  beforeAll(async () => {
    svc = await startTestService('training', (c) =>
      createServer(c, { directory: StaticDirectory.fromTree(tree), vault: new PersonalDataVault(Buffer.alloc(32, 7)) }),
    );
    const module = (code: string, title: string) => ({
      code,
      title,
      objectives: ['理解基本原则'],
      hours: 6,
      audienceLevels: ['PROVINCIAL', 'PREFECTURE'],
      effectiveFrom: '2016-01-01',
    });
    for (const [code, title] of [
      ['IHL-01', '国际人道法概论'],
      ['MOV-01', '红十字运动基本知识'],
      ['FIN-01', '筹资与项目管理'],
    ]) {
      expect((await publish(module(code, title))).errors).toBeUndefined();
    }
    ids.a = await createInstructor({
      name: '王伟',
      category: 'FULL_TIME_STAFF',
      organizationId: ZJ,
      topics: ['IHL-01', 'MOV-01'],
      qualifications: [
        { moduleCode: 'IHL-01', title: '探索人道法师资证书', issuedOn: '2019-01-01', expiresOn: '2023-12-31' },
        { moduleCode: 'MOV-01', title: '红十字运动师资证书', issuedOn: '2018-01-01', expiresOn: '2020-12-31' },
      ],
      phone: '13812345678',
      email: 'wangwei@example.org',
      joinedOn: '2018-01-01',
    });
    ids.b = await createInstructor({
      name: '李娜',
      category: 'EXPERT',
      organizationId: HZ,
      topics: ['FIN-01'],
      qualifications: [{ moduleCode: 'FIN-01', title: '筹资师资证书', issuedOn: '2020-01-01', expiresOn: '2025-12-31' }],
      joinedOn: '2020-01-01',
    });
    ids.c = await createInstructor({
      name: '张敏',
      category: 'SCHOLAR',
      organizationId: HQ,
      topics: ['IHL-01'],
      qualifications: [{ moduleCode: 'IHL-01', title: '探索人道法师资证书', issuedOn: '2019-01-01', expiresOn: '2025-12-31' }],
      joinedOn: '2019-01-01',
    });
  });
  afterAll(() => svc.stop());

  it('versions syllabus modules and answers the syllabus in force on a date', async () => {
    const v2 = await publish({
      code: 'IHL-01',
      title: '国际人道法概论（2021年版）',
      objectives: ['新目标'],
      hours: 9,
      audienceLevels: ['PROVINCIAL'],
      effectiveFrom: '2021-09-01',
    });
    expect(v2.data!.publishSyllabusModule).toMatchObject({ code: 'IHL-01', version: 2, supersededOn: null });
    const q = `query($d: Date) { syllabus(asOf: $d) { totalHours modules { code version hours } } }`;
    expect((await run(q, { d: '2021-08-31' })).data.syllabus.modules.find((m: any) => m.code === 'IHL-01')).toEqual({
      code: 'IHL-01',
      version: 1,
      hours: 6,
    });
    const now = (await run(q)).data.syllabus;
    expect(now.modules.find((m: any) => m.code === 'IHL-01')).toEqual({ code: 'IHL-01', version: 2, hours: 9 });
    expect(now.totalHours).toBe(21);
    const versions = await run(`{ syllabusModuleVersions(code: "IHL-01") { version effectiveFrom supersededOn } }`);
    expect(versions.data.syllabusModuleVersions).toEqual([
      { version: 1, effectiveFrom: '2016-01-01', supersededOn: '2021-09-01' },
      { version: 2, effectiveFrom: '2021-09-01', supersededOn: null },
    ]);
    const early = await publish({
      code: 'IHL-01',
      title: 'x',
      objectives: ['x'],
      hours: 1,
      audienceLevels: ['PROVINCIAL'],
      effectiveFrom: '2020-01-01',
    });
    expect(problem(early)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.effectiveFrom'] });
  });

  it('keeps contact details protected and returns them masked', async () => {
    const r = await run(`query($id: ID!) { instructor(id: $id) { name tier contact { phone email } organization { id } statusSince } }`, {
      id: ids.a,
    });
    expect(r.data.instructor).toEqual({
      name: '王伟',
      tier: 'PROVINCIAL',
      contact: { phone: '138****5678', email: 'w***@example.org' },
      organization: { id: ZJ },
      statusSince: '2018-01-01',
    });
    const raw = JSON.stringify(await svc.db.connection.collection('instructors').find({}).toArray());
    expect(raw).not.toContain('13812345678');
    expect(raw).not.toContain('wangwei@');
    const dup = await run(`mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id } }`, {
      input: {
        name: '王伟',
        category: 'EXPERT',
        organizationId: ZJ,
        topics: ['MOV-01'],
        phone: '138 1234 5678'.replace(/ /g, ''),
        joinedOn: '2021-01-01',
      },
    });
    expect(problem(dup)).toMatchObject({ code: 'CONFLICT', fields: ['input.phone'] });
  });

  it('refuses unknown branches, modules and malformed instructor input, naming the fields', async () => {
    const m = `mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id } }`;
    const base = { name: '赵强', category: 'EXPERT', organizationId: ZJ, topics: ['MOV-01'], joinedOn: '2021-01-01' };
    expect(problem(await run(m, { input: { ...base, organizationId: 'f'.repeat(24) } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.organizationId'],
    });
    expect(problem(await run(m, { input: { ...base, topics: ['MOV-01', 'XYZ-09'] } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.topics.1'],
    });
    expect(problem(await run(m, { input: { ...base, name: '', phone: '1' } })).fields.sort()).toEqual(['input.name', 'input.phone']);
  });

  it('creates a class with sessions, instructors and hours', async () => {
    const r = await run(CREATE_CLASS, {
      input: classInput({ sessions: [session('IHL-01', '2021-10-11', 'am', [ids.a]), session('FIN-01', '2021-10-11', 'pm', [ids.b])] }),
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.createTrainingClass).toMatchObject({
      enrollmentCount: 0,
      totalHours: 6,
      instructors: [{ name: '王伟' }, { name: '李娜' }],
    });
    ids.cls = r.data.createTrainingClass.id;
    const read = await run(
      `query($id: ID!) { trainingClass(id: $id) {
      title category host { id } startsOn endsOn status modules { code version } sessions { moduleCode hours instructors { name } trainingClass { id } } } }`,
      { id: ids.cls },
    );
    expect(read.data.trainingClass).toMatchObject({
      category: 'IHL_INSTRUCTORS',
      host: { id: ZJ },
      startsOn: '2021-10-11',
      status: 'FINISHED',
      // The class started after 1 September 2021: the second version of IHL-01 applies.
      modules: [
        { code: 'IHL-01', version: 2 },
        { code: 'FIN-01', version: 1 },
      ],
      sessions: [
        { moduleCode: 'IHL-01', hours: 3, instructors: [{ name: '王伟' }], trainingClass: { id: ids.cls } },
        { moduleCode: 'FIN-01' },
      ],
    });
  });

  it('refuses an instructor teaching two overlapping sessions (CONFLICT naming the field), all or nothing', async () => {
    const before = await svc.subgraph.models.TrainingClass.countDocuments();
    const sessionsBefore = await svc.subgraph.models.Session.countDocuments();
    const r = await run(CREATE_CLASS, {
      input: classInput({
        organizationId: HZ,
        startsOn: '2021-10-10',
        sessions: [
          session('FIN-01', '2021-10-10', 'am', [ids.b]),
          { ...session('IHL-01', '2021-10-11', 'am', [ids.a]), startsAt: '2021-10-11T02:00:00Z', endsAt: '2021-10-11T05:00:00Z' },
        ],
      }),
    });
    expect(problem(r)).toMatchObject({ code: 'CONFLICT', fields: ['input.sessions.1.instructorIds.0'] });
    expect(problem(r).message).toMatch(/王伟 already teaches/);
    expect(await svc.subgraph.models.TrainingClass.countDocuments()).toBe(before);
    expect(await svc.subgraph.models.Session.countDocuments()).toBe(sessionsBefore);
  });

  it('refuses a module outside the instructor topics, an expired qualification and a suspended instructor', async () => {
    const outside = await run(CREATE_CLASS, { input: classInput({ sessions: [session('FIN-01', '2021-10-12', 'am', [ids.a])] }) });
    expect(problem(outside)).toMatchObject({ code: 'CONFLICT', fields: ['input.sessions.0.instructorIds.0'] });
    expect(problem(outside).message).toMatch(/FIN-01 is not among 王伟's topics/);

    const expired = await run(CREATE_CLASS, { input: classInput({ sessions: [session('MOV-01', '2021-10-12', 'am', [ids.a])] }) });
    expect(problem(expired)).toMatchObject({ code: 'CONFLICT', fields: ['input.sessions.0.instructorIds.0'] });
    expect(problem(expired).message).toMatch(/expired on 2020-12-31/);

    const suspend = await run(
      `mutation($id: ID!) { setInstructorStatus(id: $id, status: SUSPENDED, since: "2021-06-01") { status statusSince } }`,
      { id: ids.c },
    );
    expect(suspend.data.setInstructorStatus).toEqual({ status: 'SUSPENDED', statusSince: '2021-06-01' });
    const suspended = await run(`mutation($s: ID!, $i: ID!) { assignInstructor(sessionId: $s, instructorId: $i) { id } }`, {
      s: await firstSessionId(),
      i: ids.c,
    });
    expect(problem(suspended)).toMatchObject({ code: 'CONFLICT', fields: ['instructorId'] });
    expect(problem(suspended).message).toMatch(/SUSPENDED/);
    const both = await run(CREATE_CLASS, {
      input: classInput({ sessions: [session('MOV-01', '2021-10-12', 'am', [ids.a]), session('IHL-01', '2021-10-12', 'pm', [ids.c])] }),
    });
    expect(problem(both).fields).toEqual(['input.sessions.0.instructorIds.0', 'input.sessions.1.instructorIds.0']);
  });

  it('refuses bad class input: sessions outside the class, unknown modules, instructors and branches', async () => {
    const outside = await run(CREATE_CLASS, { input: classInput({ sessions: [session('IHL-01', '2021-10-20', 'am', [])] }) });
    expect(problem(outside)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.sessions.0.startsAt'] });
    const unknownModule = await run(CREATE_CLASS, { input: classInput({ sessions: [session('ABC-01', '2021-10-12', 'am', [])] }) });
    expect(problem(unknownModule)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.sessions.0.moduleCode'] });
    const unknownInstructor = await run(CREATE_CLASS, {
      input: classInput({ sessions: [session('IHL-01', '2021-10-12', 'am', ['e'.repeat(24)])] }),
    });
    expect(problem(unknownInstructor).code).toBe('NOT_FOUND');
    const unknownBranch = await run(CREATE_CLASS, { input: classInput({ organizationId: 'e'.repeat(24) }) });
    expect(problem(unknownBranch)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.organizationId'] });
    const malformed = await run(CREATE_CLASS, { input: classInput({ capacity: 0, title: ' ' }) });
    expect(problem(malformed).fields.sort()).toEqual(['input.capacity', 'input.title']);
  });

  async function firstSessionId(): Promise<string> {
    const r = await run(`query($id: ID!) { trainingClass(id: $id) { sessions { id } } }`, { id: ids.cls });
    return r.data.trainingClass.sessions[0].id;
  }

  it('assigns one more instructor and adds sessions under the same rules', async () => {
    const added = await run(`mutation($input: AddSessionInput!) { addSession(input: $input) { id hours instructors { name } } }`, {
      input: { classId: ids.cls, session: session('IHL-01', '2021-10-12', 'am', [ids.a]) },
    });
    expect(added.errors).toBeUndefined();
    const clash = await run(`mutation($input: AddSessionInput!) { addSession(input: $input) { id } }`, {
      input: { classId: ids.cls, session: session('IHL-01', '2021-10-12', 'am', [ids.a]) },
    });
    expect(problem(clash)).toMatchObject({ code: 'CONFLICT', fields: ['input.session.instructorIds.0'] });
    const again = await run(`mutation($s: ID!, $i: ID!) { assignInstructor(sessionId: $s, instructorId: $i) { id } }`, {
      s: added.data.addSession.id,
      i: ids.a,
    });
    expect(problem(again)).toMatchObject({ code: 'CONFLICT', fields: ['instructorId'] });
    const cls = await run(`query($id: ID!) { trainingClass(id: $id) { totalHours sessions { id } } }`, { id: ids.cls });
    expect(cls.data.trainingClass.totalHours).toBe(9);
    expect(cls.data.trainingClass.sessions).toHaveLength(3);
  });

  it('enrols cadres up to capacity, then on a waiting list that moves up on withdrawal; completion from per-session attendance', async () => {
    const enroll = (name: string, organizationId = HZ) =>
      run(
        `mutation($input: EnrollInput!) { enroll(input: $input) { id name position waiting waitingPosition organization { id } trainingClass { enrollmentCount waitingCount } } }`,
        {
          input: { classId: ids.cls, name, organizationId, position: '副会长', enrolledOn: '2021-09-20' },
        },
      );
    const first = await enroll('陈杰');
    expect(first.data!.enroll).toMatchObject({
      name: '陈杰',
      organization: { id: HZ },
      waiting: false,
      trainingClass: { enrollmentCount: 1 },
    });
    expect(problem(await enroll('陈杰'))).toMatchObject({ code: 'CONFLICT', fields: ['input.name'] });
    const second = await enroll('刘洋', ZJ);
    expect(second.errors).toBeUndefined();
    // Full: the third cadre waits, first in line.
    const third = await enroll('黄磊');
    expect(third.data!.enroll).toMatchObject({ waiting: true, waitingPosition: 1, trainingClass: { enrollmentCount: 2, waitingCount: 1 } });
    expect(problem(await enroll('黄磊'))).toMatchObject({ code: 'CONFLICT', fields: ['input.name'] });
    expect(problem(await enroll('黄磊', 'e'.repeat(24)))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.organizationId'] });

    const withdrawn = await run(`mutation($id: ID!) { withdrawEnrollment(id: $id, on: "2021-10-01") { withdrawnOn } }`, {
      id: second.data!.enroll.id,
    });
    expect(withdrawn.data!.withdrawEnrollment.withdrawnOn).toBe('2021-10-01');
    const promoted = await svc.subgraph.models.Enrollment.findById(third.data!.enroll.id).lean();
    expect(promoted).toMatchObject({ waiting: false, promotedOn: new Date('2021-10-01T00:00:00Z') });

    // Typed totals are refused (recordAttendance is deprecated); the roll is taken per session.
    const typed = await run(`mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }`, {
      input: { enrollmentId: first.data!.enroll.id, attendedHours: 6, completed: true },
    });
    expect(problem(typed)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.completed', 'input.attendedHours'] });
    const sessions = (await run(`query($id: ID!) { trainingClass(id: $id) { sessions { id } } }`, { id: ids.cls })).data.trainingClass
      .sessions as { id: string }[];
    const roll = (sessionId: string, records: { enrollmentId: string; status: string }[]) =>
      run(
        `mutation($input: RecordSessionAttendanceInput!) { recordSessionAttendance(input: $input) { id attendedSessions attendedHours completed completedOn attendanceRate } }`,
        { input: { sessionId, records } },
      );
    const [chen, huang] = [first.data!.enroll.id as string, third.data!.enroll.id as string];
    for (const [i, s] of sessions.entries()) {
      const r = await roll(s.id, [
        { enrollmentId: chen, status: i === 1 ? 'LATE' : 'PRESENT' },
        { enrollmentId: huang, status: i === 0 ? 'PRESENT' : 'EXCUSED' },
      ]);
      expect(r.errors).toBeUndefined();
    }
    const done = await run(
      `query($id: ID!) { trainingClass(id: $id) { enrollments { nodes { name attendedSessions attendedHours completed completedOn attendance { status } } } } }`,
      { id: ids.cls },
    );
    expect(done.data.trainingClass.enrollments.nodes).toEqual([
      {
        name: '陈杰',
        attendedSessions: 3,
        attendedHours: 9,
        completed: true,
        completedOn: '2021-10-13',
        attendance: [{ status: 'PRESENT' }, { status: 'LATE' }, { status: 'PRESENT' }],
      },
      {
        name: '黄磊',
        attendedSessions: 1,
        attendedHours: 3,
        completed: false,
        completedOn: null,
        attendance: [{ status: 'PRESENT' }, { status: 'EXCUSED' }, { status: 'EXCUSED' }],
      },
    ]);
    // A withdrawn trainee, an enrolment of another class and the same trainee twice are refused.
    expect(problem(await roll(sessions[0].id, [{ enrollmentId: second.data!.enroll.id, status: 'PRESENT' }]))).toMatchObject({
      code: 'CONFLICT',
      fields: ['input.records.0.enrollmentId'],
    });
    expect(
      problem(
        await roll(sessions[0].id, [
          { enrollmentId: chen, status: 'PRESENT' },
          { enrollmentId: chen, status: 'ABSENT' },
        ]),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.records'] });
    const missing = await run(`mutation { withdrawEnrollment(id: "${'e'.repeat(24)}", on: "2021-10-01") { id } }`);
    expect(problem(missing).code).toBe('NOT_FOUND');

    const cls = await run(
      `query($id: ID!) { trainingClass(id: $id) { enrollmentCount completedCount
      all: enrollments(includeWithdrawn: true) { totalCount } enrollments { totalCount nodes { name withdrawnOn } } } }`,
      { id: ids.cls },
    );
    expect(cls.data.trainingClass).toMatchObject({
      enrollmentCount: 2,
      completedCount: 1,
      all: { totalCount: 3 },
      enrollments: { totalCount: 2 },
    });

    const totals = `query($id: ID!) { trainedCadres(organizationId: $id, year: 2021) { enrolled completed classesHosted byCategory { category completed } } }`;
    expect((await run(totals, { id: ZJ })).data.trainedCadres).toEqual({
      enrolled: 2,
      completed: 1,
      classesHosted: 1,
      byCategory: [{ category: 'IHL_INSTRUCTORS', completed: 1 }],
    });
    expect((await run(totals, { id: JS })).data.trainedCadres).toMatchObject({ enrolled: 0, completed: 0, classesHosted: 0 });
  });

  it('rates instructors and answers workloads', async () => {
    const sid = await firstSessionId();
    const rated = await run(
      `mutation($input: RateInstructorInput!) { rateInstructor(input: $input) { ratings { score responses instructor { name } } } }`,
      {
        input: { sessionId: sid, instructorId: ids.a, score: 4.6, responses: 30 },
      },
    );
    expect(rated.data!.rateInstructor.ratings).toEqual([{ score: 4.6, responses: 30, instructor: { name: '王伟' } }]);
    const notHis = await run(`mutation($input: RateInstructorInput!) { rateInstructor(input: $input) { id } }`, {
      input: { sessionId: sid, instructorId: ids.b, score: 4, responses: 3 },
    });
    expect(problem(notHis)).toMatchObject({ code: 'CONFLICT', fields: ['input.instructorId'] });
    const r = await run(
      `query($id: ID!) { instructor(id: $id) { rating ratingCount workload(from: "2021-10-01", to: "2021-10-31") { sessions hours classes }
      none: workload(from: "2021-11-01", to: "2021-11-30") { sessions hours } sessions(from: "2021-10-01", to: "2021-10-31") { moduleCode } } }`,
      { id: ids.a },
    );
    expect(r.data.instructor).toEqual({
      rating: 4.6,
      ratingCount: 1,
      workload: { sessions: 2, hours: 6, classes: 1 },
      none: { sessions: 0, hours: 0 },
      sessions: [{ moduleCode: 'IHL-01' }, { moduleCode: 'IHL-01' }],
    });
    const ranking = await run(
      `query($z: ID!) { instructorWorkloads(from: "2021-01-01", to: "2021-12-31", within: $z) { instructor { name } sessions hours } }`,
      { z: ZJ },
    );
    expect(ranking.data.instructorWorkloads).toEqual([
      { instructor: { name: '王伟' }, sessions: 2, hours: 6 },
      { instructor: { name: '李娜' }, sessions: 1, hours: 3 },
    ]);
    const backwards = await run(`query($id: ID!) { instructor(id: $id) { workload(from: "2021-10-31", to: "2021-10-01") { hours } } }`, {
      id: ids.a,
    });
    expect(problem(backwards)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['to'] });
  });

  it('searches instructors by topic, subtree, tier, availability and expiring qualifications', async () => {
    const names = async (filter: Record<string, unknown>) =>
      (
        (await run(`query($f: InstructorFilter) { instructors(filter: $f) { nodes { name } } }`, { f: filter })).data.instructors.nodes as {
          name: string;
        }[]
      )
        .map((n) => n.name)
        .sort();
    expect(await names({ topic: 'IHL-01' })).toEqual(['王伟']);
    expect(await names({ topic: 'IHL-01', statuses: ['ACTIVE', 'SUSPENDED'] })).toEqual(['张敏', '王伟']);
    expect(await names({ within: ZJ })).toEqual(['李娜', '王伟']);
    expect(await names({ tier: 'PREFECTURE' })).toEqual(['李娜']);
    expect(await names({ availableFrom: '2021-10-11', availableTo: '2021-10-11' })).toEqual([]);
    expect(await names({ availableFrom: '2021-10-12', availableTo: '2021-10-13' })).toEqual(['李娜']);
    expect(await names({ availableFrom: '2021-10-13', availableTo: '2021-10-20' })).toEqual(['李娜', '王伟']);
    expect(await names({ qualificationExpiresBefore: '2021-01-01' })).toEqual(['王伟']);
    const half = await run(`{ instructors(filter: { availableFrom: "2021-10-11" }) { totalCount } }`);
    expect(problem(half)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['filter.availableTo'] });
    const badTopic = await run(`{ instructors(filter: { topic: "ihl" }) { totalCount } }`);
    expect(problem(badTopic)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['filter.topic'] });
    const tooMany = await run(`{ instructors(first: 101) { totalCount } }`);
    expect(problem(tooMany)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['first'] });
  });

  it('lists classes by filter, and cancelling a class frees its instructors', async () => {
    const q = `query($f: TrainingClassFilter) { trainingClasses(filter: $f) { totalCount nodes { id status } } }`;
    expect((await run(q, { f: { within: ZJ, year: 2021 } })).data.trainingClasses.totalCount).toBe(1);
    expect((await run(q, { f: { instructorId: ids.b } })).data.trainingClasses.totalCount).toBe(1);
    expect((await run(q, { f: { moduleCode: 'FIN-01', category: 'IHL_INSTRUCTORS' } })).data.trainingClasses.totalCount).toBe(1);
    expect((await run(q, { f: { within: JS } })).data.trainingClasses.totalCount).toBe(0);
    const cancelled = await run(`mutation($id: ID!) { cancelTrainingClass(id: $id, on: "2021-10-01") { status cancelledOn } }`, {
      id: ids.cls,
    });
    expect(cancelled.data!.cancelTrainingClass).toEqual({ status: 'CANCELLED', cancelledOn: '2021-10-01' });
    expect((await run(q, { f: { within: ZJ } })).data.trainingClasses.totalCount).toBe(0);
    expect((await run(q, { f: { within: ZJ, includeCancelled: true } })).data.trainingClasses.nodes[0].status).toBe('CANCELLED');
    const free = await run(`{ instructors(filter: { availableFrom: "2021-10-11", availableTo: "2021-10-11" }) { nodes { name } } }`);
    expect(free.data.instructors.nodes.map((n: any) => n.name).sort()).toEqual(['李娜', '王伟']);
    const again = await run(`mutation($id: ID!) { cancelTrainingClass(id: $id, on: "2021-10-02") { id } }`, { id: ids.cls });
    expect(problem(again)).toMatchObject({ code: 'CONFLICT', fields: ['id'] });
  });

  it('resolves Instructor, TrainingClass and Organization entities', async () => {
    const r = await run(
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Instructor { name } ... on TrainingClass { title } ... on Organization { id instructorPool(includeSubtree: true) { totalCount } trainedCadres(year: 2021) { completed } } } }`,
      {
        reps: [
          { __typename: 'Instructor', id: ids.a },
          { __typename: 'Instructor', id: 'f'.repeat(24) },
          { __typename: 'TrainingClass', id: ids.cls },
          { __typename: 'Organization', id: ZJ },
        ],
      },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([
      { name: '王伟' },
      null,
      { title: '浙江省红十字会2021年探索人道法师资培训班' },
      // The class was cancelled (previous test): its completion no longer counts.
      { id: ZJ, instructorPool: { totalCount: 2 }, trainedCadres: { completed: 0 } },
    ]);
  });

  it('keeps the booking, capacity and duplicate-enrolment rules under concurrent requests', async () => {
    const teacher = await createInstructor({
      name: '并发师资',
      category: 'EXPERT',
      organizationId: ZJ,
      topics: ['FIN-01'],
      qualifications: [{ moduleCode: 'FIN-01', title: '筹资师资证书', issuedOn: '2019-01-01', expiresOn: '2025-12-31' }],
      joinedOn: '2019-01-01',
    });
    const day = '2021-11-15';
    const oneDay = { startsOn: day, endsOn: day, organizationId: HZ, category: 'FUNDRAISING_FINANCE' };
    // Three classes booking the same instructor for the same morning, at once: one gets them.
    const booked = await Promise.all(
      [0, 1, 2].map((i) =>
        run(CREATE_CLASS, {
          input: classInput({ ...oneDay, title: `并发班${i}`, capacity: 1, sessions: [session('FIN-01', day, 'am', [teacher])] }),
        }),
      ),
    );
    expect(booked.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of booked.filter((b) => b.errors)) {
      expect(problem(r)).toMatchObject({ code: 'CONFLICT', fields: ['input.sessions.0.instructorIds.0'] });
    }
    expect(await svc.subgraph.models.Session.countDocuments({ instructorIds: teacher })).toBe(1);

    const enroll = (classId: string, name: string) =>
      run(`mutation($input: EnrollInput!) { enroll(input: $input) { id } }`, {
        input: { classId, name, organizationId: HZ, position: '干事', enrolledOn: '2021-11-01' },
      });
    // One seat, three cadres at once: one is seated, the others wait at places 1 and 2.
    const full = booked.find((r) => !r.errors)!.data.createTrainingClass.id as string;
    const seats = await Promise.all(['甲', '乙', '丙'].map((name) => enroll(full, name)));
    expect(seats.filter((r) => r.errors)).toEqual([]);
    const { Enrollment, TrainingClass } = svc.subgraph.models;
    const line = async () =>
      (await Enrollment.find({ classId: full, withdrawnOn: null }).sort({ waitSeq: 1 }).lean()).map(
        (e) => [e.name, e.waiting, e.waitSeq] as [string, boolean, number | null],
      );
    const placed = await line();
    expect(placed.filter(([, waiting]) => !waiting)).toHaveLength(1);
    expect(placed.filter(([, waiting]) => waiting).map(([, , seq]) => seq)).toEqual([1, 2]);
    expect(await TrainingClass.findById(full).lean()).toMatchObject({ enrollmentCount: 1, waitingCount: 2, lastWaitSeq: 2 });
    // The seated cadre withdraws while a fourth enrols, at once: the first in line takes the seat,
    // the fourth waits behind the second.
    const seated = placed.find(([, waiting]) => !waiting)![0];
    const firstInLine = placed.find(([, , seq]) => seq === 1)![0];
    const seatedId = String((await Enrollment.findOne({ classId: full, name: seated as string }).lean())!._id);
    const [out, fourth] = await Promise.all([
      run(`mutation($id: ID!) { withdrawEnrollment(id: $id, on: "2021-11-02") { id } }`, { id: seatedId }),
      enroll(full, '丁'),
    ]);
    expect([out.errors, fourth.errors]).toEqual([undefined, undefined]);
    const after = await line();
    expect(after.filter(([, waiting]) => !waiting).map(([name]) => name)).toEqual([firstInLine]);
    expect(after.filter(([, waiting]) => waiting).map(([name, , seq]) => [name, seq])).toEqual([
      [placed.find(([, , seq]) => seq === 2)![0], 2],
      ['丁', 3],
    ]);
    expect(await TrainingClass.findById(full).lean()).toMatchObject({ enrollmentCount: 1, waitingCount: 2, lastWaitSeq: 3 });

    // Seats to spare: different cadres at once are all enrolled (each retries after the other's
    // seat), the same cadre twice only once.
    const roomy = await run(CREATE_CLASS, { input: classInput({ ...oneDay, title: '并发大班', capacity: 5 }) });
    const roomyId = roomy.data.createTrainingClass.id as string;
    const rush = await Promise.all(['丁', '丁', '戊', '己'].map((name) => enroll(roomyId, name)));
    expect(rush.filter((r) => !r.errors)).toHaveLength(3);
    expect(rush.filter((r) => r.errors).map(problem)).toEqual([expect.objectContaining({ code: 'CONFLICT', fields: ['input.name'] })]);
    expect(await svc.subgraph.models.Enrollment.countDocuments({ classId: roomyId })).toBe(3);
    expect((await svc.subgraph.models.TrainingClass.findById(roomyId).lean())!.enrollmentCount).toBe(3);
  });

  it('refuses the undated facts of issue 16: future completions, empty completions, future enrolments, wrong audiences, county pools', async () => {
    const county = tree.find((b) => b.parentId === HZ && b.level === 'COUNTY')!.id;
    const todayIso = formatDate(today());
    const nextYear = today().getUTCFullYear() + 1;
    const enroll = (classId: string, name: string, organizationId: string, enrolledOn = todayIso) =>
      run(`mutation($input: EnrollInput!) { enroll(input: $input) { id } }`, {
        input: { classId, name, organizationId, position: '干事', enrolledOn },
      });
    const attend = (enrollmentId: string, attendedHours: number) =>
      run(`mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { completed } }`, {
        input: { enrollmentId, attendedHours, completed: true },
      });
    const totals = (year: number) =>
      run(`query($id: ID!, $y: Int!) { trainedCadres(organizationId: $id, year: $y) { completed } }`, { id: ZJ, y: year });

    // A class of next year: completing it now would count it in next year's totals before it exists.
    const planned = await run(CREATE_CLASS, {
      input: classInput({
        title: '明年的培训班',
        startsOn: `${nextYear}-03-02`,
        endsOn: `${nextYear}-03-03`,
        capacity: 5,
        sessions: [session('MOV-01', `${nextYear}-03-02`, 'am', [])],
      }),
    });
    expect(planned.errors).toBeUndefined();
    const early = await enroll(planned.data.createTrainingClass.id, '周明', HZ);
    expect(early.errors).toBeUndefined();
    const premature = await attend(early.data.enroll.id, 3);
    expect(problem(premature)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.completed', 'input.attendedHours'] });
    // Nor can the roll of a session that has not taken place be taken.
    const plannedSession = (await svc.subgraph.models.Session.findOne({ classId: planned.data.createTrainingClass.id }).lean())!;
    const roll = await run(`mutation($input: RecordSessionAttendanceInput!) { recordSessionAttendance(input: $input) { id } }`, {
      input: { sessionId: String(plannedSession._id), records: [{ enrollmentId: early.data.enroll.id, status: 'PRESENT' }] },
    });
    expect(problem(roll)).toMatchObject({ code: 'CONFLICT', fields: ['input.sessionId'] });
    expect((await totals(nextYear)).data.trainedCadres.completed).toBe(0);

    // A past class for provincial cadres.
    const past = await run(CREATE_CLASS, {
      input: classInput({
        title: '省级干部班',
        startsOn: '2019-12-06',
        endsOn: '2019-12-07',
        capacity: 5,
        audienceLevel: 'PROVINCIAL',
        sessions: [session('MOV-01', '2019-12-06', 'am', [])],
      }),
    });
    const pastId = past.data.createTrainingClass.id as string;
    expect(problem(await enroll(pastId, '吴刚', county, '2019-11-01'))).toMatchObject({
      code: 'CONFLICT',
      fields: ['input.organizationId'],
    });
    expect(problem(await enroll(pastId, '吴刚', ZJ, '2099-01-01'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.enrolledOn'] });
    expect(problem(await enroll(pastId, '吴刚', ZJ, '2020-01-01'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.enrolledOn'] });
    const seated = await enroll(pastId, '吴刚', ZJ, '2019-11-01');
    expect(seated.errors).toBeUndefined();
    expect(problem(await attend(seated.data.enroll.id, 0))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.completed', 'input.attendedHours'],
    });
    expect(await svc.subgraph.models.Enrollment.countDocuments({ completedOn: { $ne: null }, classId: pastId })).toBe(0);
    const late = await run(`mutation($id: ID!) { withdrawEnrollment(id: $id, on: "2099-01-01") { id } }`, { id: seated.data.enroll.id });
    expect(problem(late)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['on'] });
    expect(await svc.subgraph.models.Enrollment.countDocuments({ classId: pastId })).toBe(1);

    // Pools are national, provincial or prefecture; joining a pool is not dated ahead.
    const pool = (organizationId: string, joinedOn = '2020-01-01') =>
      run(`mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id } }`, {
        input: { name: '县级师资', category: 'EXPERT', organizationId, topics: ['FIN-01'], joinedOn },
      });
    expect(problem(await pool(county))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.organizationId'] });
    expect(problem(await pool(HZ, '2099-01-01'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.joinedOn'] });
    expect(await svc.subgraph.models.Instructor.countDocuments({ name: '县级师资' })).toBe(0);
  });

  it('evaluates completion from criteria, edits a class, and cancels, moves or re-staffs one session under the booking rules', async () => {
    const qualified = (name: string, expiresOn = '2030-12-31') =>
      createInstructor({
        name,
        category: 'EXPERT',
        organizationId: HZ,
        topics: ['FIN-01'],
        qualifications: [{ moduleCode: 'FIN-01', title: '筹资师资证书', issuedOn: '2015-01-01', expiresOn }],
        joinedOn: '2015-01-01',
      });
    const [t1, t2, t3] = [await qualified('甲师资'), await qualified('乙师资'), await qualified('丙师资', '2019-09-02')];
    const created = await run(CREATE_CLASS, {
      input: classInput({
        title: '筹资培训班',
        category: 'FUNDRAISING_FINANCE',
        organizationId: HZ,
        startsOn: '2019-09-02',
        endsOn: '2019-09-04',
        capacity: 1,
        minAttendanceRate: 0.5,
        requiresAssessment: true,
        sessions: [
          session('FIN-01', '2019-09-02', 'am', [t1]),
          session('FIN-01', '2019-09-02', 'pm', [t1]),
          session('FIN-01', '2019-09-03', 'am', [t1]),
        ],
      }),
    });
    expect(created.errors).toBeUndefined();
    const classId = created.data.createTrainingClass.id as string;
    // Another class keeps 乙师资 busy on the afternoon of 3 September.
    expect(
      (
        await run(CREATE_CLASS, {
          input: classInput({
            title: '占用班',
            organizationId: HZ,
            startsOn: '2019-09-03',
            endsOn: '2019-09-03',
            sessions: [session('FIN-01', '2019-09-03', 'pm', [t2])],
          }),
        })
      ).errors,
    ).toBeUndefined();
    const enroll = async (name: string) =>
      (
        await run(`mutation($input: EnrollInput!) { enroll(input: $input) { id } }`, {
          input: { classId, name, organizationId: HZ, position: '干事', enrolledOn: '2019-08-01' },
        })
      ).data.enroll.id as string;
    const [a, b] = [await enroll('赵一'), await enroll('钱二')];
    const sessionIds = (
      await run(`query($id: ID!) { trainingClass(id: $id) { sessions { id } } }`, { id: classId })
    ).data.trainingClass.sessions.map((x: { id: string }) => x.id) as string[];
    const E = `id attendedSessions completed waiting`;
    const roll = (sessionId: string) =>
      run(`mutation($input: RecordSessionAttendanceInput!) { recordSessionAttendance(input: $input) { ${E} } }`, {
        input: { sessionId, records: [{ enrollmentId: a, status: 'PRESENT' }] },
      });
    const state = async () =>
      (await run(`query($id: ID!) { trainingClass(id: $id) { completedCount enrollments { nodes { ${E} } } } }`, { id: classId })).data
        .trainingClass;
    expect((await roll(sessionIds[0])).data.recordSessionAttendance[0]).toMatchObject({ attendedSessions: 1, completed: false });
    // 2 of 3 meets 0.5, but the class requires a passed assessment.
    expect((await roll(sessionIds[1])).data.recordSessionAttendance[0]).toMatchObject({ attendedSessions: 2, completed: false });
    const passed = await run(`mutation($id: ID!) { recordAssessment(enrollmentId: $id, passed: true) { ${E} assessmentPassed } }`, {
      id: a,
    });
    expect(passed.data.recordAssessment).toMatchObject({ completed: true, assessmentPassed: true });
    const waiting = await run(`mutation($id: ID!) { recordAssessment(enrollmentId: $id, passed: true) { id } }`, { id: b });
    expect(problem(waiting)).toMatchObject({ code: 'CONFLICT', fields: ['enrollmentId'] });

    // Stricter criteria: evaluated again at once.
    const U = `mutation($id: ID!, $input: UpdateTrainingClassInput!) { updateTrainingClass(id: $id, input: $input) { capacity completionCriteria { minAttendanceRate requiresAssessment } waitingCount enrollmentCount } }`;
    const stricter = await run(U, { id: classId, input: { minAttendanceRate: 1 } });
    expect(stricter.data.updateTrainingClass.completionCriteria).toEqual({ minAttendanceRate: 1, requiresAssessment: true });
    expect((await state()).completedCount).toBe(0);
    // The third session is cancelled: 2 of 2 attended, completed again; trainees and instructors listed.
    const SC = `session { id } affectedTrainees { id waiting } affectedInstructors { name }`;
    const cancelled = await run(`mutation($s: ID!) { cancelSession(sessionId: $s, on: "2019-08-20") { ${SC} } }`, { s: sessionIds[2] });
    expect(cancelled.data.cancelSession).toEqual({
      session: { id: sessionIds[2] },
      affectedTrainees: [
        { id: a, waiting: false },
        { id: b, waiting: true },
      ],
      affectedInstructors: [{ name: '甲师资' }],
    });
    expect((await state()).completedCount).toBe(1);
    expect(
      problem(await run(`mutation($s: ID!) { cancelSession(sessionId: $s, on: "2019-08-21") { session { id } } }`, { s: sessionIds[2] })),
    ).toMatchObject({ code: 'CONFLICT', fields: ['sessionId'] });
    // A session whose roll was taken is not moved.
    const M = `mutation($s: ID!, $from: DateTime!, $to: DateTime!) { moveSession(sessionId: $s, startsAt: $from, endsAt: $to) { ${SC} } }`;
    expect(problem(await run(M, { s: sessionIds[0], from: '2019-09-04T01:00:00Z', to: '2019-09-04T04:00:00Z' }))).toMatchObject({
      code: 'CONFLICT',
      fields: ['sessionId'],
    });

    // A new session: one more to attend, evaluated again (2 of 3 under the stricter criteria).
    const added = await run(`mutation($input: AddSessionInput!) { addSession(input: $input) { id } }`, {
      input: { classId, session: session('FIN-01', '2019-09-03', 'am', []) },
    });
    const s3 = added.data.addSession.id as string;
    expect((await state()).completedCount).toBe(0);
    // Moved within the class's days; outside them BAD_USER_INPUT.
    expect(problem(await run(M, { s: s3, from: '2019-09-05T01:00:00Z', to: '2019-09-05T04:00:00Z' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['startsAt'],
    });
    expect((await run(M, { s: s3, from: '2019-09-03T06:00:00Z', to: '2019-09-03T09:00:00Z' })).errors).toBeUndefined();
    // Re-staffed: 乙 is busy that afternoon, 丙's qualification expired; both refused naming the field.
    const R = `mutation($s: ID!, $ids: [ID!]!) { restaffSession(sessionId: $s, instructorIds: $ids) { ${SC} } }`;
    const busy = await run(R, { s: s3, ids: [t2] });
    expect(problem(busy)).toMatchObject({ code: 'CONFLICT', fields: ['instructorIds.0'] });
    expect(problem(busy).message).toMatch(/already teaches/);
    expect(problem(await run(R, { s: s3, ids: [t3] })).message).toMatch(/expired on 2019-09-02/);
    // Moved to the last morning, 乙 can teach it; the result names 乙 as affected.
    const moved = await run(M, { s: s3, from: '2019-09-04T01:00:00Z', to: '2019-09-04T04:00:00Z' });
    expect(moved.data.moveSession.affectedInstructors).toEqual([]);
    const restaffed = await run(R, { s: s3, ids: [t2] });
    expect(restaffed.data.restaffSession.affectedInstructors).toEqual([{ name: '乙师资' }]);
    expect((await svc.subgraph.models.TrainingClass.findById(classId).lean())!.instructorIds.map(String).sort()).toEqual([t1, t2].sort());

    // Seats: not below the seated trainees; raised, the first waiting trainee is seated.
    expect(problem(await run(U, { id: classId, input: { title: '  ' } })).code).toBe('BAD_USER_INPUT');
    const raised = await run(U, { id: classId, input: { capacity: 2 } });
    expect(raised.data.updateTrainingClass).toMatchObject({ capacity: 2, waitingCount: 0, enrollmentCount: 2 });
    expect((await state()).enrollments.nodes.map((n: { waiting: boolean }) => n.waiting)).toEqual([false, false]);
    expect(problem(await run(U, { id: classId, input: { capacity: 1 } }))).toMatchObject({ code: 'CONFLICT', fields: ['input.capacity'] });
    expect(problem(await run(U, { id: classId, input: { startsOn: '2019-09-03' } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.startsOn'],
    });

    // Two sessions of two classes re-staffed with one instructor for the same morning, at once: one wins.
    const morning = async (title: string) =>
      (
        await run(CREATE_CLASS, {
          input: classInput({
            title,
            organizationId: HZ,
            startsOn: '2019-09-10',
            endsOn: '2019-09-10',
            sessions: [session('FIN-01', '2019-09-10', 'am', [])],
          }),
        })
      ).data.createTrainingClass.id as string;
    const firstSession = async (id: string) => String((await svc.subgraph.models.Session.findOne({ classId: id }).lean())!._id);
    const race = await Promise.all(
      [await firstSession(await morning('并发甲')), await firstSession(await morning('并发乙'))].map((s) => run(R, { s, ids: [t1] })),
    );
    expect(race.filter((r) => !r.errors)).toHaveLength(1);
    expect(race.filter((r) => r.errors).map(problem)).toEqual([expect.objectContaining({ code: 'CONFLICT', fields: ['instructorIds.0'] })]);
  });

  it('honours declared unavailability in booking and in the instructor search, and reports workloads', async () => {
    const u = await createInstructor({
      name: '休假师资',
      category: 'EXPERT',
      organizationId: HZ,
      topics: ['FIN-01'],
      qualifications: [{ moduleCode: 'FIN-01', title: '筹资师资证书', issuedOn: '2015-01-01', expiresOn: '2030-12-31' }],
      joinedOn: '2015-01-01',
    });
    const ADD = `mutation($i: ID!, $input: UnavailabilityInput!) { addUnavailability(instructorId: $i, input: $input) { unavailablePeriods { id from to reason } } }`;
    const added = await run(ADD, { i: u, input: { from: '2019-10-01', to: '2019-10-07', reason: '出国访问' } });
    expect(added.data.addUnavailability.unavailablePeriods).toEqual([
      { id: expect.any(String), from: '2019-10-01', to: '2019-10-07', reason: '出国访问' },
    ]);
    const periodId = added.data.addUnavailability.unavailablePeriods[0].id as string;
    expect(problem(await run(ADD, { i: u, input: { from: '2019-10-07', to: '2019-10-01' } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.to'],
    });

    const oneDay = (day: string, title: string) =>
      run(CREATE_CLASS, {
        input: classInput({
          title,
          organizationId: HZ,
          category: 'FUNDRAISING_FINANCE',
          startsOn: day,
          endsOn: day,
          sessions: [session('FIN-01', day, 'am', [u])],
        }),
      });
    const refused = await oneDay('2019-10-03', '国庆班');
    expect(problem(refused)).toMatchObject({ code: 'CONFLICT', fields: ['input.sessions.0.instructorIds.0'] });
    expect(problem(refused).message).toMatch(/unavailable from 2019-10-01 to 2019-10-07 \(出国访问\)/);
    const free = (f: Record<string, unknown>) =>
      run(`query($f: InstructorFilter) { instructors(filter: $f) { totalCount } }`, { f: { search: '休假师资', ...f } });
    expect((await free({ availableOn: '2019-10-03' })).data.instructors.totalCount).toBe(0);
    expect((await free({ availableFrom: '2019-09-28', availableTo: '2019-10-01' })).data.instructors.totalCount).toBe(0);
    expect((await free({ availableOn: '2019-10-08' })).data.instructors.totalCount).toBe(1);
    expect(problem(await free({ availableOn: '2019-10-08', availableFrom: '2019-10-08' })).fields).toEqual(['filter.availableOn']);

    // A period may not cover a session already booked.
    expect((await oneDay('2019-10-10', '十月班')).errors).toBeUndefined();
    const over = await run(ADD, { i: u, input: { from: '2019-10-09', to: '2019-10-11' } });
    expect(problem(over)).toMatchObject({ code: 'CONFLICT', fields: ['input.from'] });
    // Removed (kept, dated), the instructor can be booked in it again; not removed twice.
    const RM = `mutation($i: ID!, $p: ID!) { removeUnavailability(instructorId: $i, periodId: $p, on: "2019-09-20") { unavailablePeriods { id } } }`;
    expect((await run(RM, { i: u, p: periodId })).data.removeUnavailability.unavailablePeriods).toEqual([]);
    expect(problem(await run(RM, { i: u, p: periodId })).code).toBe('CONFLICT');
    expect((await svc.subgraph.models.Instructor.findById(u).lean())!.unavailable).toHaveLength(1);
    expect((await oneDay('2019-10-03', '国庆班')).errors).toBeUndefined();
    const workload = await run(
      `query($id: ID!) { instructor(id: $id) { workload(from: "2019-10-01", to: "2019-10-31") { sessions hours classes } } }`,
      { id: u },
    );
    expect(workload.data.instructor.workload).toEqual({ sessions: 2, hours: 6, classes: 2 });

    // Declaring a period and booking into it at once: one of the two wins, never both.
    const race = await Promise.all([run(ADD, { i: u, input: { from: '2019-11-01', to: '2019-11-05' } }), oneDay('2019-11-03', '十一月班')]);
    expect(race.filter((r) => !r.errors)).toHaveLength(1);
    expect(race.filter((r) => r.errors).map((r) => problem(r).code)).toEqual(['CONFLICT']);
  });

  it('links trainees to members or staff records, one person once per class (the 王伟 case)', async () => {
    const idA = withCheckDigit('33010619800101001');
    const idB = withCheckDigit('33010619850505002');
    const REG = `mutation($input: RegisterStaffInput!) { registerStaff(input: $input) { id name identityNumber organization { id } } }`;
    const reg = (name: string, idNumber: string, organizationId = HZ) =>
      run(REG, { input: { name, organizationId, idNumber, position: '干事' } });
    const a = await reg('王伟', idA);
    const b = await reg('王伟', idB);
    expect([a.errors, b.errors]).toEqual([undefined, undefined]);
    expect(a.data.registerStaff).toMatchObject({
      name: '王伟',
      identityNumber: `3301${'*'.repeat(10)}${idA.slice(-4)}`,
      organization: { id: HZ },
    });
    // One identity number, one person: refused whatever the name or branch.
    expect(problem(await reg('王伟伟', idA, ZJ))).toMatchObject({ code: 'CONFLICT', fields: ['input.idNumber'] });
    expect(problem(await reg('李四', '330106198001010010'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.idNumber'] });
    const raw = JSON.stringify(await svc.subgraph.models.Audit.find({ entity: 'StaffRecord' }).lean());
    expect(raw).not.toContain(idA);
    expect(JSON.stringify(await svc.subgraph.models.Staff.find().lean())).not.toContain(idA);

    const cls = await run(CREATE_CLASS, {
      input: classInput({ title: '人员班', organizationId: HZ, startsOn: '2019-12-02', endsOn: '2019-12-02', capacity: 10 }),
    });
    const classId = cls.data.createTrainingClass.id as string;
    const enroll = (extra: Record<string, unknown>, organizationId = HZ, name = '王伟') =>
      run(`mutation($input: EnrollInput!) { enroll(input: $input) { id staff { id identityNumber } member { id } } }`, {
        input: { classId, name, organizationId, position: '干事', enrolledOn: '2019-11-01', ...extra },
      });
    const [sa, sb] = [a.data.registerStaff.id as string, b.data.registerStaff.id as string];
    // Two different cadres of one name in one branch: both enrolled.
    const first = await enroll({ staffId: sa });
    expect(first.data.enroll.staff.id).toBe(sa);
    expect((await enroll({ staffId: sb })).errors).toBeUndefined();
    // The same person twice: refused.
    expect(problem(await enroll({ staffId: sa }))).toMatchObject({ code: 'CONFLICT', fields: ['input.name'] });
    expect(problem(await enroll({ staffId: sa }, ZJ))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.organizationId'] });
    expect(problem(await enroll({ staffId: sa }, HZ, '王五'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.name'] });
    expect(problem(await enroll({ staffId: sa, memberId: 'm-1' })).fields).toEqual(['input.staffId']);
    // Members, by the people subgraph's id: the same member twice at once, one enrolment.
    const race = await Promise.all([enroll({ memberId: 'member-42' }, HZ, '孙七'), enroll({ memberId: 'member-42' }, HZ, '孙七')]);
    expect(race.filter((r) => !r.errors).map((r) => r.data.enroll.member)).toEqual([{ id: 'member-42' }]);
    expect(race.filter((r) => r.errors).map((r) => problem(r).code)).toEqual(['CONFLICT']);
    // Withdrawn, the person may enrol again.
    await run(`mutation($id: ID!) { withdrawEnrollment(id: $id, on: "2019-11-05") { id } }`, { id: first.data.enroll.id });
    expect((await enroll({ staffId: sa })).errors).toBeUndefined();
  });

  it('numbers a certificate per completion, verifies it by number, and revokes it when the completion no longer holds', async () => {
    const oneDayClass = async (title: string, day: string) =>
      (
        await run(CREATE_CLASS, {
          input: classInput({
            title,
            organizationId: HZ,
            startsOn: day,
            endsOn: day,
            capacity: 5,
            sessions: [session('MOV-01', day, 'am', [])],
          }),
        })
      ).data.createTrainingClass.id as string;
    const enrolAndRoll = async (classId: string, names: [string, string][]) => {
      const ids: string[] = [];
      for (const [name] of names) {
        ids.push(
          (
            await run(`mutation($input: EnrollInput!) { enroll(input: $input) { id } }`, {
              input: { classId, name, organizationId: HZ, position: '干事', enrolledOn: '2019-11-01' },
            })
          ).data.enroll.id,
        );
      }
      const sid = String((await svc.subgraph.models.Session.findOne({ classId }).lean())!._id);
      const r = await run(`mutation($input: RecordSessionAttendanceInput!) { recordSessionAttendance(input: $input) { id } }`, {
        input: { sessionId: sid, records: names.map(([, status], i) => ({ enrollmentId: ids[i], status })) },
      });
      expect(r.errors).toBeUndefined();
      return ids;
    };
    const ISSUE = `mutation($id: ID!, $on: Date!) { issueCertificates(classId: $id, on: $on) { number name completedOn issuedOn valid } }`;
    const classId = await oneDayClass('证书班', '2019-12-09');
    const [e1] = await enrolAndRoll(classId, [
      ['冯一', 'PRESENT'],
      ['陈二', 'LATE'],
      ['褚三', 'ABSENT'],
    ]);
    expect(problem(await run(ISSUE, { id: classId, on: '2019-12-08' }))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['on'] });
    const issued = await run(ISSUE, { id: classId, on: '2019-12-10' });
    expect(issued.data.issueCertificates).toEqual([
      { number: 'RC-2019-330100-000001', name: '冯一', completedOn: '2019-12-09', issuedOn: '2019-12-10', valid: true },
      { number: 'RC-2019-330100-000002', name: '陈二', completedOn: '2019-12-09', issuedOn: '2019-12-10', valid: true },
    ]);
    expect((await run(ISSUE, { id: classId, on: '2019-12-11' })).data.issueCertificates).toEqual([]);
    const VERIFY = `query($n: String!) { certificate(number: $n) { number name valid revokedOn trainingClass { title } } }`;
    expect((await run(VERIFY, { n: 'rc-2019-330100-000001' })).data.certificate).toEqual({
      number: 'RC-2019-330100-000001',
      name: '冯一',
      valid: true,
      revokedOn: null,
      trainingClass: { title: '证书班' },
    });
    expect((await run(VERIFY, { n: 'RC-2019-330100-999999' })).data.certificate).toBeNull();
    // Printable: a one-page A4 PDF with the CJK font embedded as a subset (not the 10 MB font).
    const pdf = Buffer.from(
      (await run(`query($n: String!) { certificate(number: $n) { pdfBase64 } }`, { n: 'RC-2019-330100-000001' })).data.certificate
        .pdfBase64,
      'base64',
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(200_000);
    const printed = await PDFDocument.load(pdf);
    expect(printed.getPageCount()).toBe(1);
    expect(printed.getTitle()).toBe('结业证书 RC-2019-330100-000001');
    // The font is embedded (a TrueType font file, subset to the glyphs printed).
    const fonts = printed.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFDict => o instanceof PDFDict && o.has(PDFName.of('FontFile2')));
    expect(fonts).toHaveLength(1);
    expect(String(fonts[0].get(PDFName.of('FontName')))).toMatch(/^\/NotoSansSC/);
    expect(problem(await run(VERIFY, { n: 'not a number' }))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['number'] });
    // A class not yet over issues nothing.
    const nextYear = today().getUTCFullYear() + 1;
    const planned = (
      await run(CREATE_CLASS, {
        input: classInput({ title: '未来证书班', organizationId: HZ, startsOn: `${nextYear}-01-05`, endsOn: `${nextYear}-01-05` }),
      })
    ).data.createTrainingClass.id;
    expect(problem(await run(ISSUE, { id: planned, on: '2019-12-10' }))).toMatchObject({ code: 'CONFLICT', fields: ['classId'] });

    // One more session: 1 of 2 attended, the completion and its certificate go.
    await run(`mutation($input: AddSessionInput!) { addSession(input: $input) { id } }`, {
      input: { classId, session: session('MOV-01', '2019-12-09', 'pm', []) },
    });
    const lost = await run(VERIFY, { n: 'RC-2019-330100-000001' });
    expect(lost.data.certificate).toMatchObject({ valid: false, revokedOn: expect.any(String) });
    const e = await run(
      `query($id: ID!) { trainingClass(id: $id) { enrollments { nodes { id completed certificate { number valid } } } } }`,
      { id: classId },
    );
    expect(e.data.trainingClass.enrollments.nodes.find((n: { id: string }) => n.id === e1)).toMatchObject({
      completed: false,
      certificate: { valid: false },
    });

    // Two classes of one host and year issuing at once: distinct numbers, no gap.
    const [x, y] = [await oneDayClass('证书班甲', '2019-12-16'), await oneDayClass('证书班乙', '2019-12-17')];
    await enrolAndRoll(x, [['卫四', 'PRESENT']]);
    await enrolAndRoll(y, [['蒋五', 'PRESENT']]);
    const both = await Promise.all([run(ISSUE, { id: x, on: '2019-12-20' }), run(ISSUE, { id: y, on: '2019-12-20' })]);
    expect(both.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(both.map((r) => r.data.issueCertificates[0].number).sort()).toEqual(['RC-2019-330100-000003', 'RC-2019-330100-000004']);
  });
});
