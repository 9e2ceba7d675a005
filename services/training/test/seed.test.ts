import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { execute, startTestService, testViewer, type TestService } from '@rcsc/testing';
import type { EnrollmentDoc, InstructorDoc, SessionDoc, TrainingClassDoc } from '../src/models';
import { attendanceTotals, beijingDay, cannotTeach, completionDate, overlaps } from '../src/rules';
import { classFilter, instructorFilter } from '../src/resolvers/filters';
import { seed } from '../src/seed';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const ZJ = tree.find((b) => b.divisionCode === '330000')!;

describe('the national dataset (training part)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  let loaded: Awaited<ReturnType<typeof seed>>;
  const run = (query: string, variables?: Record<string, unknown>) => execute<any>(svc.subgraph, query, variables);

  beforeAll(async () => {
    svc = await startTestService('training', (c) => createServer(c, { directory: StaticDirectory.fromTree(tree) }));
    loaded = await seed(svc.subgraph.models);
  });
  afterAll(() => svc.stop());

  it('loads a realistic pool and classes over 2020-2021, and a second load changes nothing', async () => {
    expect(loaded.instructors).toBeGreaterThan(2000);
    expect(loaded.instructors).toBeLessThan(3000);
    expect(loaded.classes).toBeGreaterThan(250);
    expect(loaded.enrollments).toBeGreaterThan(9000);
    expect(loaded.unstaffedSessions).toBe(0);
    expect(loaded.inserted.enrollments).toBe(loaded.enrollments);
    const again = await seed(svc.subgraph.models);
    expect(again.inserted).toEqual({ syllabusModules: 0, instructors: 0, classes: 0, sessions: 0, enrollments: 0 });
    expect(await svc.subgraph.models.Enrollment.countDocuments()).toBe(loaded.enrollments);
    const tiers = await svc.subgraph.models.Instructor.aggregate([{ $group: { _id: '$tier', n: { $sum: 1 } } }]);
    expect(tiers.map((t) => t._id).sort()).toEqual(['NATIONAL', 'PREFECTURE', 'PROVINCIAL']);
  });

  it("derives every enrolment's totals and completion from its per-session records, and keeps classes' audiences", async () => {
    const { Enrollment, Session, TrainingClass } = svc.subgraph.models;
    const classes = new Map(((await TrainingClass.find().lean()) as TrainingClassDoc[]).map((c) => [String(c._id), c]));
    const sessions = new Map<string, SessionDoc[]>();
    for (const s of (await Session.find().lean()) as SessionDoc[])
      sessions.set(String(s.classId), [...(sessions.get(String(s.classId)) ?? []), s]);
    const levels = new Map(tree.map((b) => [b.id, b.level]));
    let completed = 0;
    for (const e of (await Enrollment.find().lean()) as EnrollmentDoc[]) {
      const cls = classes.get(String(e.classId))!;
      const totals = attendanceTotals(e.attendance, sessions.get(String(e.classId)) ?? []);
      expect([e.attendedSessions, e.attendedHours]).toEqual([totals.attendedSessions, totals.attendedHours]);
      const criteria = { minAttendanceRate: cls.minAttendanceRate, requiresAssessment: cls.requiresAssessment, endsOn: cls.endsOn };
      expect(e.completedOn).toEqual(completionDate(e, totals, criteria));
      if (cls.audienceLevel) expect(levels.get(String(e.organizationId))).toBe(cls.audienceLevel);
      if (e.completedOn) completed += 1;
    }
    expect(completed / loaded.enrollments).toBeGreaterThan(0.8);
  });

  it('obeys its own rules: no instructor double-booked, every assignment allowed on its day', async () => {
    const instructors = new Map(((await svc.subgraph.models.Instructor.find().lean()) as InstructorDoc[]).map((i) => [String(i._id), i]));
    const sessions = (await svc.subgraph.models.Session.find().sort({ startsAt: 1 }).lean()) as SessionDoc[];
    const last = new Map<string, SessionDoc>();
    for (const s of sessions) {
      for (const id of s.instructorIds.map(String)) {
        const prev = last.get(id);
        expect(prev && overlaps(prev, s)).toBeFalsy();
        last.set(id, s);
        const i = instructors.get(id)!;
        const day = beijingDay(s.startsAt);
        const status = i.statusHistory.filter((h) => h.since <= day).pop()!.status;
        expect(cannotTeach({ ...i, status }, s.moduleCode, day)).toBeNull();
      }
    }
  });

  it('gives real numbers under Zhejiang, different in 2020 and 2021', async () => {
    const r = await run(
      `query($id: ID!) {
        pool: instructors(filter: { within: $id }) { totalCount }
        classes: trainingClasses(filter: { within: $id }) { totalCount }
        y2020: trainedCadres(organizationId: $id, year: 2020) { completed enrolled classesHosted }
        y2021: trainedCadres(organizationId: $id, year: 2021) { completed enrolled classesHosted byCategory { category completed } }
      }`,
      { id: ZJ.id },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.pool.totalCount).toBeGreaterThan(30);
    expect(r.data.classes.totalCount).toBeGreaterThan(2);
    expect(r.data.y2021.completed).toBeGreaterThan(50);
    expect(r.data.y2021.byCategory.reduce((s: number, c: any) => s + c.completed, 0)).toBe(r.data.y2021.completed);
    expect(r.data.y2020.completed).not.toBe(r.data.y2021.completed);
  });

  it('adds up: a subtree total equals the sum over the children plus the branch own records', async () => {
    const children = tree.filter((b) => b.parentId === ZJ.id);
    const r = await run(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { id trainedCadres(year: 2021) { completed enrolled classesHosted } } } }`,
      { reps: [ZJ, ...children].map((b) => ({ __typename: 'Organization', id: b.id })) },
    );
    expect(r.errors).toBeUndefined();
    const [zj, ...kids] = r.data._entities.map((e: any) => e.trainedCadres);
    const sum = (k: string) => kids.reduce((s: number, c: any) => s + c[k], 0);
    const { Enrollment, TrainingClass } = svc.subgraph.models;
    const inYear = { $gte: new Date('2021-01-01T00:00:00Z'), $lte: new Date('2021-12-31T00:00:00Z') };
    const own = {
      completed: await Enrollment.countDocuments({ organizationId: ZJ.id, completedOn: inYear }),
      enrolled: await Enrollment.countDocuments({ organizationId: ZJ.id, classStartsOn: inYear, withdrawnOn: null }),
      classesHosted: await TrainingClass.countDocuments({ organizationId: ZJ.id, startsOn: inYear, cancelledOn: null }),
    };
    expect(own.completed).toBeGreaterThan(0);
    expect(zj.completed).toBe(sum('completed') + own.completed);
    expect(zj.enrolled).toBe(sum('enrolled') + own.enrolled);
    expect(zj.classesHosted).toBe(sum('classesHosted') + own.classesHosted);
    // The national headquarters' total covers every completion of the year.
    const hq = tree.find((b) => b.level === 'NATIONAL')!;
    const all = await run(`query($id: ID!) { trainedCadres(organizationId: $id, year: 2021) { completed } }`, { id: hq.id });
    expect(all.data.trainedCadres.completed).toBe(await Enrollment.countDocuments({ completedOn: inYear }));
  });

  it('searches the pool by topic and availability, and ranks workloads', async () => {
    const r = await run(`{
      free: instructors(filter: { topic: "IHL-01", availableFrom: "2021-06-01", availableTo: "2021-06-30" }, first: 5) { totalCount nodes { name topics } }
      all: instructors(filter: { topic: "IHL-01" }) { totalCount }
      expiring: instructors(filter: { qualificationExpiresBefore: "2021-12-31" }) { totalCount }
      busiest: instructorWorkloads(from: "2021-01-01", to: "2021-12-31", first: 3) { hours sessions instructor { name } }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.free.totalCount).toBeGreaterThan(0);
    expect(r.data.free.totalCount).toBeLessThanOrEqual(r.data.all.totalCount);
    expect(r.data.free.nodes.every((n: any) => n.topics.includes('IHL-01'))).toBe(true);
    expect(r.data.expiring.totalCount).toBeGreaterThan(0);
    expect(r.data.busiest).toHaveLength(3);
    expect(r.data.busiest[0].hours).toBeGreaterThanOrEqual(r.data.busiest[2].hours);
  });

  it('makes the same number of database commands for a page of 2 and of 20 classes with nested fields', async () => {
    const q = `query($n: Int) { trainingClasses(first: $n) { totalCount nodes {
      title host { id } enrollmentCount completedCount modules { code version }
      instructors { name organization { id } rating workload(from: "2021-01-01", to: "2021-12-31") { hours } }
      sessions { hours instructors { name } ratings { score instructor { name } } }
    } } }`;
    svc.db.commands.reset();
    const small = await run(q, { n: 2 });
    const few = svc.db.commands.count();
    svc.db.commands.reset();
    const large = await run(q, { n: 20 });
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data.trainingClasses.nodes).toHaveLength(20);
    expect(svc.db.commands.count()).toBe(few);
    expect(few).toBeLessThanOrEqual(8);

    const instructorsQ = `query($n: Int) { instructors(first: $n) { nodes { name rating ratingCount organization { id } workload(from: "2021-01-01", to: "2021-12-31") { sessions } } } }`;
    svc.db.commands.reset();
    await run(instructorsQ, { n: 2 });
    const a = svc.db.commands.count();
    svc.db.commands.reset();
    await run(instructorsQ, { n: 20 });
    expect(svc.db.commands.count()).toBe(a);
  });

  it('serves the key queries from indexes', async () => {
    const { Instructor, Session, TrainingClass, Enrollment } = svc.subgraph.models;
    const plans = [
      await Instructor.find({ topics: 'IHL-01', status: { $in: ['ACTIVE'] } }).explain(),
      await Instructor.find({ orgPath: ZJ.id }).explain(),
      await Instructor.find({ 'qualifications.expiresOn': { $lt: new Date('2021-12-31') } }).explain(),
      // Availability and overlap checks: sessions by time, and an instructor's sessions by time.
      await Session.find({
        startsAt: { $gt: new Date('2021-05-31T04:00:00Z'), $lt: new Date('2021-06-30T16:00:00Z') },
        endsAt: { $gt: new Date('2021-05-31T16:00:00Z') },
      }).explain(),
      await Session.find({
        instructorIds: { $in: [(await Instructor.findOne().lean())!._id] },
        startsAt: { $lt: new Date('2022-01-01') },
      }).explain(),
      // Declared unavailability overlapping a period: a bounded range on the period's first day.
      await Instructor.find({ 'unavailable.from': { $gt: new Date('2020-06-01'), $lte: new Date('2021-06-30') } }).explain(),
      // The waiting list's first trainee.
      await Enrollment.find({ classId: (await TrainingClass.findOne().lean())!._id, waiting: true, withdrawnOn: null })
        .sort({ waitSeq: 1 })
        .limit(1)
        .explain(),
      await TrainingClass.find({ orgPath: ZJ.id, startsOn: { $gte: new Date('2021-01-01') } }).explain(),
      await Enrollment.aggregate([{ $match: { orgPath: { $in: [ZJ.id] }, completedOn: { $gte: new Date('2021-01-01') } } }]).explain(),
    ];
    for (const plan of plans) expect(JSON.stringify(plan)).toContain('IXSCAN');
  });

  it('serves the lists a viewer asks for from indexes, its scope included (the instructor search too)', async () => {
    const { Instructor, TrainingClass } = svc.subgraph.models;
    const HZ = tree.find((b) => b.divisionCode === '330100')!.id;
    const plans: [string, unknown][] = [];
    for (const viewer of [testViewer(['VIEWER'], HZ), testViewer(['ADMIN'], ZJ.id), testViewer(['SERVICE'])]) {
      const ctx = await svc.subgraph.createContext(viewer);
      // As paginate asks: the list's order, one row more than the page.
      const page = (filter: Record<string, unknown>) => Instructor.find(filter).sort({ name: 1, _id: 1 }).limit(21).explain();
      plans.push(
        ['search', await page(await instructorFilter(ctx, { search: '王' }))],
        ['topic within', await page(await instructorFilter(ctx, { topic: 'IHL-01', within: ZJ.id }))],
        ['available on a day', await page(await instructorFilter(ctx, { availableOn: new Date('2021-06-01') }))],
        [
          'classes within',
          await TrainingClass.find(await classFilter(ctx, { within: ZJ.id }))
            .sort({ startsOn: 1, _id: 1 })
            .limit(21)
            .explain(),
        ],
      );
    }
    for (const [name, plan] of plans) expect([name, JSON.stringify(plan)]).toEqual([name, expect.stringContaining('IXSCAN')]);
  });
});
