import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import type {
  EnrollmentDoc,
  InstructorDoc,
  Models,
  SessionDoc,
  SyllabusModuleDoc,
  TrainingClassDoc,
  TrainingCategory,
  WorkloadRow,
} from './models';
import { beijingRange, endOfYear, startOfYear } from './rules';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

const oid = (id: string) => new Types.ObjectId(id);

/** Rows from `find`, in the order of the keys asked for (null where missing). */
function byId<T extends { _id: Types.ObjectId }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [String(r._id), r]));
  return ids.map((id) => map.get(id) ?? null);
}

export interface CadreTotals {
  enrolled: number;
  completed: number;
  byCategory: { category: TrainingCategory; completed: number }[];
  classesHosted: number;
}

/** Loader queries fetch their whole answer in one round trip (no getMore for a page's worth of rows). */
const BATCH = 10_000;

/** One set per request: every by-key fetch goes through these, so lists make a constant number of commands. */
export function createLoaders({ SyllabusModule, Instructor, TrainingClass, Session, Enrollment }: Models) {
  const instructorById = new DataLoader<string, InstructorDoc | null>(async (ids) =>
    byId(
      ids,
      (await Instructor.find({ _id: { $in: ids.map(oid) } })
        .batchSize(BATCH)
        .lean()) as InstructorDoc[],
    ),
  );

  const classById = new DataLoader<string, TrainingClassDoc | null>(async (ids) =>
    byId(
      ids,
      (await TrainingClass.find({ _id: { $in: ids.map(oid) } })
        .batchSize(BATCH)
        .lean()) as TrainingClassDoc[],
    ),
  );

  const sessionsOfClass = new DataLoader<string, SessionDoc[]>(async (ids) => {
    const rows = (await Session.find({ classId: { $in: ids.map(oid) } })
      .sort({ classId: 1, startsAt: 1 })
      .batchSize(BATCH)
      .lean()) as SessionDoc[];
    const byClass = groupBy(rows, (r) => String(r.classId));
    return ids.map((id) => byClass.get(id) ?? []);
  });

  /** Every version of the modules with these codes, oldest first (the syllabus is small). */
  const moduleVersions = new DataLoader<string, SyllabusModuleDoc[]>(async (codes) => {
    const rows = (await SyllabusModule.find({ code: { $in: [...codes] } })
      .sort({ code: 1, version: 1 })
      .batchSize(BATCH)
      .lean()) as SyllabusModuleDoc[];
    const byCode = groupBy(rows, (r) => r.code);
    return codes.map((c) => byCode.get(c) ?? []);
  });

  /** Average rating per instructor over every rated session: one aggregation per batch. */
  const ratingOf = new DataLoader<string, { average: number | null; count: number }>(async (ids) => {
    const keys = ids.map(oid);
    const rows = await Session.aggregate<{ _id: Types.ObjectId; average: number; count: number }>([
      { $match: { instructorIds: { $in: keys }, cancelledOn: null } },
      { $unwind: '$ratings' },
      { $match: { 'ratings.instructorId': { $in: keys } } },
      { $group: { _id: '$ratings.instructorId', average: { $avg: '$ratings.score' }, count: { $sum: 1 } } },
    ]);
    const map = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => {
      const r = map.get(id);
      return r ? { average: Math.round(r.average * 100) / 100, count: r.count } : { average: null, count: 0 };
    });
  });

  /** Sessions taught per instructor in a period, keyed "id|from|to" (dates); one aggregation per period. */
  const workloadOf = new DataLoader<string, WorkloadRow>(async (keys) => {
    const byPeriod = groupBy([...keys], (k) => k.slice(25));
    const found = new Map<string, WorkloadRow>();
    await Promise.all(
      [...byPeriod].map(async ([period, periodKeys]) => {
        const [from, to] = period.split('|');
        const ids = periodKeys.map((k) => oid(k.slice(0, 24)));
        const { start, end } = beijingRange(new Date(from), new Date(to));
        const rows = await Session.aggregate<{ _id: Types.ObjectId; sessions: number; hours: number; classes: unknown[] }>([
          { $match: { instructorIds: { $in: ids }, startsAt: { $gte: start, $lt: end }, cancelledOn: null } },
          { $unwind: '$instructorIds' },
          { $match: { instructorIds: { $in: ids } } },
          { $group: { _id: '$instructorIds', sessions: { $sum: 1 }, hours: { $sum: '$hours' }, classes: { $addToSet: '$classId' } } },
        ]);
        for (const r of rows) {
          found.set(`${String(r._id)}|${period}`, {
            instructorId: String(r._id),
            sessions: r.sessions,
            hours: r.hours,
            classes: r.classes.length,
          });
        }
      }),
    );
    return keys.map((k) => found.get(k) ?? { instructorId: k.slice(0, 24), sessions: 0, hours: 0, classes: 0 });
  });

  /** An instructor's sessions in a period, keyed "id|from|to"; one query per period. */
  const sessionsOfInstructor = new DataLoader<string, SessionDoc[]>(async (keys) => {
    const byPeriod = groupBy([...keys], (k) => k.slice(25));
    const found = new Map<string, SessionDoc[]>();
    await Promise.all(
      [...byPeriod].map(async ([period, periodKeys]) => {
        const [from, to] = period.split('|');
        const ids = periodKeys.map((k) => oid(k.slice(0, 24)));
        const { start, end } = beijingRange(new Date(from), new Date(to));
        const rows = (await Session.find({ instructorIds: { $in: ids }, startsAt: { $gte: start, $lt: end }, cancelledOn: null })
          .sort({ startsAt: 1 })
          .limit(100 * ids.length)
          .batchSize(BATCH)
          .lean()) as SessionDoc[];
        for (const id of ids) {
          found.set(`${String(id)}|${period}`, rows.filter((r) => r.instructorIds.some((i) => i.equals(id))).slice(0, 100));
        }
      }),
    );
    return keys.map((k) => found.get(k) ?? []);
  });

  /** Completed enrolments per class: one aggregation per batch. */
  const completedCountOf = new DataLoader<string, number>(async (ids) => {
    const rows = await Enrollment.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { classId: { $in: ids.map(oid) }, completed: true } },
      { $group: { _id: '$classId', n: { $sum: 1 } } },
    ]);
    const map = new Map(rows.map((r) => [String(r._id), r.n]));
    return ids.map((id) => map.get(id) ?? 0);
  });

  /**
   * Trained cadres per subtree and year, keyed "orgId|year": for all branches asked about in one
   * request, one aggregation per year over the enrolments under any of them ($unwind of the path
   * attributes each enrolment to every asked-for ancestor), plus one for hosted classes.
   */
  const cadresOf = new DataLoader<string, CadreTotals>(async (keys) => {
    const byYear = groupBy([...keys], (k) => k.slice(25));
    const found = new Map<string, CadreTotals>();
    await Promise.all(
      [...byYear].map(async ([yearText, yearKeys]) => {
        const year = Number(yearText);
        const roots = yearKeys.map((k) => oid(k.slice(0, 24)));
        const inYear = { $gte: startOfYear(year), $lte: endOfYear(year) };
        const [completed, enrolled, hosted] = await Promise.all([
          Enrollment.aggregate<{ _id: { org: Types.ObjectId; category: TrainingCategory }; n: number }>([
            { $match: { orgPath: { $in: roots }, completedOn: inYear } },
            { $unwind: '$orgPath' },
            { $match: { orgPath: { $in: roots } } },
            { $group: { _id: { org: '$orgPath', category: '$category' }, n: { $sum: 1 } } },
          ]),
          Enrollment.aggregate<{ _id: Types.ObjectId; n: number }>([
            { $match: { orgPath: { $in: roots }, classStartsOn: inYear, withdrawnOn: null } },
            { $unwind: '$orgPath' },
            { $match: { orgPath: { $in: roots } } },
            { $group: { _id: '$orgPath', n: { $sum: 1 } } },
          ]),
          TrainingClass.aggregate<{ _id: Types.ObjectId; n: number }>([
            { $match: { orgPath: { $in: roots }, startsOn: inYear, cancelledOn: null } },
            { $unwind: '$orgPath' },
            { $match: { orgPath: { $in: roots } } },
            { $group: { _id: '$orgPath', n: { $sum: 1 } } },
          ]),
        ]);
        for (const root of roots) {
          const id = String(root);
          const mine = completed.filter((r) => String(r._id.org) === id).sort((a, b) => a._id.category.localeCompare(b._id.category));
          found.set(`${id}|${yearText}`, {
            completed: mine.reduce((s, r) => s + r.n, 0),
            byCategory: mine.map((r) => ({ category: r._id.category, completed: r.n })),
            enrolled: enrolled.find((r) => String(r._id) === id)?.n ?? 0,
            classesHosted: hosted.find((r) => String(r._id) === id)?.n ?? 0,
          });
        }
      }),
    );
    return keys.map((k) => found.get(k)!);
  });

  const enrollmentById = new DataLoader<string, EnrollmentDoc | null>(async (ids) =>
    byId(
      ids,
      (await Enrollment.find({ _id: { $in: ids.map(oid) } })
        .batchSize(BATCH)
        .lean()) as EnrollmentDoc[],
    ),
  );

  return {
    instructorById,
    classById,
    sessionsOfClass,
    moduleVersions,
    ratingOf,
    workloadOf,
    sessionsOfInstructor,
    completedCountOf,
    cadresOf,
    enrollmentById,
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
