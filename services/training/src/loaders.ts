import DataLoader from 'dataloader';
import { Types, type Model } from 'mongoose';
import { NOTHING, type Access } from '@rcsc/access';
import { allOf, badInput, decodeCursor, encodeCursor, groupBy, inIdOrder, type Page } from '@rcsc/service-kit';
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
import { beijingRange, endOfYear, startOfYear, today } from './rules';
import type { InstructorFilter } from './generated/graphql';
import { instructorConditions } from './resolvers/filters';

const oid = (id: string) => new Types.ObjectId(id);

interface CadreTotals {
  enrolled: number;
  completed: number;
  byCategory: { category: TrainingCategory; completed: number }[];
  classesHosted: number;
}

/** Loader queries fetch their whole answer in one round trip (no getMore for a page's worth of rows). */
const BATCH = 10_000;

type Filter = Record<string, unknown>;

/** How one kind of per-parent list (a branch's pool, its classes, a class's enrolments) is read. */
interface ListSpec<A> {
  model: Model<never>;
  /** The sort field (then _id), as paginate orders the same list. */
  sortField: string;
  /** The field holding the parent's id for these arguments; `array` when it is a path (orgPath). */
  parentField(args: A): { field: string; array: boolean };
  /** The rows of any of `parents` for these arguments, the viewer's scope included: one condition. */
  match(args: A, parents: string[]): Promise<Filter>;
}

/**
 * Any of `conditions` (NOTHING when none): conditions on one field with a plain value merge into
 * one `$in`, so that a list of parents in the viewer's subtree stays one indexed condition.
 */
function anyOf(conditions: Filter[]): Filter {
  const merged = new Map<string, unknown[]>();
  const rest: Filter[] = [];
  for (const c of conditions) {
    if (c === NOTHING) continue;
    const keys = Object.keys(c);
    const value = c[keys[0]];
    if (keys.length === 1 && !keys[0].startsWith('$') && value !== null && (value instanceof Types.ObjectId || typeof value !== 'object')) {
      merged.set(keys[0], [...(merged.get(keys[0]) ?? []), value]);
    } else rest.push(c);
  }
  const all = [
    ...[...merged].map(([field, values]) => (values.length === 1 ? { [field]: values[0] } : { [field]: { $in: values } })),
    ...rest,
  ];
  if (!all.length) return NOTHING;
  return all.length === 1 ? all[0] : { $or: all };
}

/** The parent id of each row as `_parent` (one row per asked-for ancestor when the field is a path). */
function parentStages(field: string, array: boolean, parents: Types.ObjectId[]): Filter[] {
  const stages: Filter[] = [{ $addFields: { _parent: `$${field}` } }];
  if (array) stages.push({ $unwind: '$_parent' }, { $match: { _parent: { $in: parents } } });
  return stages;
}

/** Rows beyond a cursor, in (sortField, _id) order. */
function beyondCursor(sortField: string, after: string): Filter {
  const { sortValue, id } = decodeCursor(after);
  if (!/^[0-9a-f]{24}$/i.test(id)) throw badInput('after', 'is not a cursor returned by this list');
  const _id = new Types.ObjectId(id);
  return { $or: [{ [sortField]: { $gt: sortValue } }, { [sortField]: sortValue, _id: { $gt: _id } }] };
}

/**
 * Per-parent pages for a whole list of parents at once: every parent asked for with the same
 * arguments in one tick shares one aggregation (`$match` on all the parents, `$sort`, `$group`
 * with `$firstN`), and `totalCount`, when selected, one more (`$group` with `$sum`). So a list of
 * branches with their pools costs two commands, not two per branch. Pages and cursors are those
 * of `paginate` (keyset on sortField then _id, at most `first` rows, `first` checked by the caller).
 */
function batchedList<T extends { _id: Types.ObjectId }, A extends object>(spec: ListSpec<A>) {
  const argsByKey = new Map<string, A>();
  const model = spec.model as unknown as Model<T>;
  /** One parent's list: its arguments (by key), and for rows the page asked for. */
  type Key = { parent: string; argsKey: string; first?: number; after?: string | null };
  const cacheKeyFn = (k: Key) => JSON.stringify([k.parent, k.argsKey, k.first, k.after]);

  /** Runs `fetch` once per group of keys sharing everything but the parent. */
  function grouped<V>(fetch: (args: A, parents: string[], k: Key) => Promise<Map<string, V>>, missing: () => V) {
    return async (keys: readonly Key[]): Promise<(V | Error)[]> => {
      const groups = new Map<string, Key[]>();
      for (const k of keys) {
        const g = JSON.stringify([k.argsKey, k.first, k.after]);
        groups.set(g, [...(groups.get(g) ?? []), k]);
      }
      const out = new Map<Key, V | Error>();
      await Promise.all(
        [...groups.values()].map(async (ks) => {
          const parents = ks.map((k) => k.parent);
          try {
            const found = await fetch(argsByKey.get(ks[0].argsKey)!, parents, ks[0]);
            ks.forEach((k) => out.set(k, found.get(k.parent) ?? missing()));
          } catch (err) {
            for (const k of ks) out.set(k, err as Error);
          }
        }),
      );
      return keys.map((k) => out.get(k)!);
    };
  }

  const counts = new DataLoader<Key, number, string>(
    grouped<number>(
      async (args, parents) => {
        const { field, array } = spec.parentField(args);
        const rows = await model.aggregate<{ _id: Types.ObjectId; n: number }>([
          { $match: await spec.match(args, parents) },
          ...parentStages(field, array, parents.map(oid)),
          { $group: { _id: '$_parent', n: { $sum: 1 } } },
        ] as never[]);
        return new Map(rows.map((r) => [String(r._id), r.n]));
      },
      () => 0,
    ),
    { cacheKeyFn },
  );

  const rows = new DataLoader<Key, T[], string>(
    grouped<T[]>(
      async (args, parents, { first, after }) => {
        const { field, array } = spec.parentField(args);
        const match = await spec.match(args, parents);
        const groups = await model.aggregate<{ _id: Types.ObjectId; nodes: (T & { _parent?: unknown })[] }>([
          { $match: after ? allOf([match, beyondCursor(spec.sortField, after)]) : match },
          ...parentStages(field, array, parents.map(oid)),
          { $sort: { _parent: 1, [spec.sortField]: 1, _id: 1 } },
          { $group: { _id: '$_parent', nodes: { $firstN: { input: '$$ROOT', n: first! + 1 } } } },
        ] as never[]);
        return new Map(groups.map((g) => [String(g._id), g.nodes.map(({ _parent, ...doc }) => doc as unknown as T)]));
      },
      () => [],
    ),
    { cacheKeyFn },
  );

  /** One parent's page; `first` already checked (pageSize). */
  return async function page(parentId: string, args: A, first: number, after: string | null | undefined): Promise<Page<T>> {
    const parent = parentId.toLowerCase();
    const argsKey = JSON.stringify(args);
    if (!argsByKey.has(argsKey)) argsByKey.set(argsKey, args);
    const totalCount = () => counts.load({ parent, argsKey });
    if (first === 0) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount };
    const found = await rows.load({ parent, argsKey, first, after: after ?? null });
    const hasNextPage = found.length > first;
    const nodes = hasNextPage ? found.slice(0, first) : found;
    const last = nodes[nodes.length - 1] as Record<string, unknown> | undefined;
    return { nodes, pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last[spec.sortField], last._id) : null }, totalCount };
  };
}

/** An instructor's sessions over a period of days. */
interface InPeriod {
  instructorId: string;
  from: Date;
  to: Date;
}
const periodOf = (k: InPeriod) => `${k.from.toISOString()}|${k.to.toISOString()}`;
const inPeriodKey = (k: InPeriod) => `${k.instructorId}|${periodOf(k)}`;

/** A branch's subtree in a year. */
interface CadresKey {
  organizationId: string;
  year: number;
}
const cadresKey = (k: CadresKey) => `${k.organizationId}|${k.year}`;

interface PoolArgs {
  filter: InstructorFilter | null;
  includeSubtree: boolean;
}
interface HostedArgs {
  year: number | null;
}
interface EnrollmentArgs {
  includeWithdrawn: boolean;
  /** Only the trainees of the viewer's subtree (the class is hosted above it). */
  ownOnly: boolean;
}

/**
 * One set per request: every by-key fetch goes through these, so lists make a constant number of
 * commands. Lists keep to what `access` lets the viewer read.
 */
export function createLoaders(models: Models, access: Access) {
  const { SyllabusModule, Instructor, TrainingClass, Session, Enrollment } = models;
  const instructorById = new DataLoader<string, InstructorDoc | null>(async (ids) =>
    inIdOrder(
      ids,
      (await Instructor.find({ _id: { $in: ids.map(oid) } })
        .batchSize(BATCH)
        .lean()) as InstructorDoc[],
    ),
  );

  const classById = new DataLoader<string, TrainingClassDoc | null>(async (ids) =>
    inIdOrder(
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

  /** Sessions taught per instructor in a period; one aggregation per period. */
  const workloadOf = new DataLoader<InPeriod, WorkloadRow, string>(
    async (keys) => {
      const found = new Map<string, WorkloadRow>();
      await Promise.all(
        [...groupBy([...keys], periodOf)].map(async ([period, ks]) => {
          const ids = ks.map((k) => oid(k.instructorId));
          const { start, end } = beijingRange(ks[0].from, ks[0].to);
          const rows = await Session.aggregate<{ _id: Types.ObjectId; sessions: number; hours: number; classes: unknown[] }>([
            { $match: { instructorIds: { $in: ids }, startsAt: { $gte: start, $lt: end }, cancelledOn: null } },
            { $unwind: '$instructorIds' },
            { $match: { instructorIds: { $in: ids } } },
            { $group: { _id: '$instructorIds', sessions: { $sum: 1 }, hours: { $sum: '$hours' }, classes: { $addToSet: '$classId' } } },
          ]);
          for (const r of rows) {
            const row = { instructorId: String(r._id), sessions: r.sessions, hours: r.hours, classes: r.classes.length };
            found.set(`${row.instructorId}|${period}`, row);
          }
        }),
      );
      return keys.map((k) => found.get(inPeriodKey(k)) ?? { instructorId: k.instructorId, sessions: 0, hours: 0, classes: 0 });
    },
    { cacheKeyFn: inPeriodKey },
  );

  /** An instructor's sessions in a period, only those of classes the viewer may read; one query per period. */
  const sessionsOfInstructor = new DataLoader<InPeriod, SessionDoc[], string>(
    async (keys) => {
      const byKey = new Map<string, SessionDoc[]>();
      await Promise.all(
        [...groupBy([...keys], periodOf)].map(async ([, ks]) => {
          const ids = ks.map((k) => oid(k.instructorId));
          const { start, end } = beijingRange(ks[0].from, ks[0].to);
          const found = (await Session.find({ instructorIds: { $in: ids }, startsAt: { $gte: start, $lt: end }, cancelledOn: null })
            .sort({ startsAt: 1 })
            .limit(100 * ids.length)
            .batchSize(BATCH)
            .lean()) as SessionDoc[];
          const readable = await Promise.all(found.map((r) => access.coversOrAbove(r.orgPath)));
          const rows = found.filter((_, i) => readable[i]);
          for (const k of ks) {
            byKey.set(inPeriodKey(k), rows.filter((r) => r.instructorIds.some((i) => String(i) === k.instructorId)).slice(0, 100));
          }
        }),
      );
      return keys.map((k) => byKey.get(inPeriodKey(k)) ?? []);
    },
    { cacheKeyFn: inPeriodKey },
  );

  /** Completed enrolments per class: one aggregation per batch. */
  const completedCountOf = new DataLoader<string, number>(async (ids) => {
    const rows = await Enrollment.aggregate<{ _id: Types.ObjectId; n: number }>([
      // Completion is evaluated (criteria met, dated on the class's last day) and counts once that day has passed.
      { $match: { classId: { $in: ids.map(oid) }, completedOn: { $lt: today() } } },
      { $group: { _id: '$classId', n: { $sum: 1 } } },
    ]);
    const map = new Map(rows.map((r) => [String(r._id), r.n]));
    return ids.map((id) => map.get(id) ?? 0);
  });

  /**
   * Trained cadres per subtree and year, for all branches asked about in one
   * request, one aggregation per year over the enrolments under any of them ($unwind of the path
   * attributes each enrolment to every asked-for ancestor), plus one for hosted classes.
   */
  const cadresOf = new DataLoader<CadresKey, CadreTotals, string>(
    async (keys) => {
      const byYear = groupBy([...keys], (k) => String(k.year));
      const found = new Map<string, CadreTotals>();
      await Promise.all(
        [...byYear].map(async ([yearText, yearKeys]) => {
          const year = Number(yearText);
          const roots = yearKeys.map((k) => oid(k.organizationId));
          const inYear = { $gte: startOfYear(year), $lte: endOfYear(year) };
          const [completed, enrolled, hosted] = await Promise.all([
            Enrollment.aggregate<{ _id: { org: Types.ObjectId; category: TrainingCategory }; n: number }>([
              { $match: { orgPath: { $in: roots }, completedOn: { ...inYear, $lt: today() } } },
              { $unwind: '$orgPath' },
              { $match: { orgPath: { $in: roots } } },
              { $group: { _id: { org: '$orgPath', category: '$category' }, n: { $sum: 1 } } },
            ]),
            Enrollment.aggregate<{ _id: Types.ObjectId; n: number }>([
              { $match: { orgPath: { $in: roots }, classStartsOn: inYear, withdrawnOn: null, waiting: { $ne: true } } },
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
            found.set(cadresKey({ organizationId: id, year }), {
              completed: mine.reduce((s, r) => s + r.n, 0),
              byCategory: mine.map((r) => ({ category: r._id.category, completed: r.n })),
              enrolled: enrolled.find((r) => String(r._id) === id)?.n ?? 0,
              classesHosted: hosted.find((r) => String(r._id) === id)?.n ?? 0,
            });
          }
        }),
      );
      return keys.map((k) => found.get(cadresKey(k))!);
    },
    { cacheKeyFn: cadresKey },
  );

  /**
   * A branch's pool (or its subtree's), only instructors the viewer may read: per parent one
   * index-served condition (subtreeOrAncestorsUnder), never the parent ANDed with the viewer's scope.
   */
  const poolPage = batchedList<InstructorDoc, PoolArgs>({
    model: Instructor as never,
    sortField: 'name',
    parentField: (a) => (a.includeSubtree ? { field: 'orgPath', array: true } : { field: 'organizationId', array: false }),
    match: async (a, parents) => {
      const { within, conditions } = await instructorConditions(models, a.filter);
      const scope = anyOf(await Promise.all(parents.map((p) => access.subtreeOrAncestorsUnder(p, !a.includeSubtree))));
      return allOf([scope, within ? { orgPath: within } : {}, conditions]);
    },
  });

  /** Classes a branch hosted (not cancelled), only classes the viewer may read. */
  const hostedPage = batchedList<TrainingClassDoc, HostedArgs>({
    model: TrainingClass as never,
    sortField: 'startsOn',
    parentField: () => ({ field: 'organizationId', array: false }),
    match: async (a, parents) => {
      const scope = anyOf(await Promise.all(parents.map((p) => access.subtreeOrAncestorsUnder(p, true))));
      const inYear = a.year == null ? {} : { startsOn: { $gte: startOfYear(a.year), $lte: endOfYear(a.year) } };
      return allOf([scope, { cancelledOn: null }, inYear]);
    },
  });

  /** A class's enrolments: all of them, or (`ownOnly`) the trainees of the viewer's subtree. */
  const enrollmentPage = batchedList<EnrollmentDoc, EnrollmentArgs>({
    model: Enrollment as never,
    sortField: 'enrolledOn',
    parentField: () => ({ field: 'classId', array: false }),
    match: async (a, parents) =>
      allOf([{ classId: { $in: parents.map(oid) } }, a.includeWithdrawn ? {} : { withdrawnOn: null }, a.ownOnly ? access.subtree() : {}]),
  });

  return {
    poolPage,
    hostedPage,
    enrollmentPage,
    instructorById,
    classById,
    sessionsOfClass,
    moduleVersions,
    ratingOf,
    workloadOf,
    sessionsOfInstructor,
    completedCountOf,
    cadresOf,
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
