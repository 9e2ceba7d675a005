import { groupBy } from '@rcsc/service-kit';
import DataLoader from 'dataloader';
import { Types, type Model, type QueryFilter } from 'mongoose';
import type { Models, ReportingPeriodDoc, SubmissionDoc, TargetDoc, TaskStatusDoc, WorkPlanTaskDoc } from './models';
import type { Period } from './rules';
import { MAX_TABLES_PER_CALL, type TableRequest, type TableSource } from './table-source';
import type { TableValues } from './tables';

const oid = (id: string) => new Types.ObjectId(id);

/** What the live-table loader reads: a table's period, or a year's register figures (key REGISTERS:<year>). */
export type LivePeriod = Period | { table: 'REGISTERS'; asOf: null; year: number; key: string };

/** A key of a branch and something else (a period key, a year): a tuple, cached as one string. */
type OrgKey<K extends string | number> = readonly [organizationId: string, second: K];
const orgKeyOptions = { cacheKeyFn: ([org, second]: OrgKey<string | number>) => `${org}|${second}` };

/** One query per distinct second part, with every branch of that part in one $in. */
async function byOrgAnd<K extends string | number, T>(
  keys: readonly OrgKey<K>[],
  fetch: (second: K, orgIds: Types.ObjectId[]) => Promise<T[]>,
  keyOf: (row: T) => OrgKey<K>,
): Promise<T[][]> {
  const seconds = [...new Set(keys.map(([, second]) => second))];
  const lists = await Promise.all(
    seconds.map((second) =>
      fetch(
        second,
        keys.filter((k) => k[1] === second).map(([org]) => oid(org)),
      ),
    ),
  );
  const byKey = groupBy(lists.flat(), (row) => orgKeyOptions.cacheKeyFn(keyOf(row)));
  return keys.map((k) => byKey.get(orgKeyOptions.cacheKeyFn(k)) ?? []);
}

/** Records by id (null: no such record). */
function byId<T extends { _id: unknown }>(model: Model<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = (await model.find({ _id: { $in: ids.map(oid) } } as QueryFilter<T>).lean()) as T[];
    const found = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** A branch's records of a year: [orgId, year]. */
function ofBranchAndYear<T extends { organizationId: unknown; year: number }>(model: Model<T>) {
  return new DataLoader<OrgKey<number>, T[], string>(
    (keys) =>
      byOrgAnd(
        keys,
        async (year, orgIds) => (await model.find({ organizationId: { $in: orgIds }, year } as QueryFilter<T>).lean()) as T[],
        (r) => [String(r.organizationId), r.year],
      ),
    orgKeyOptions,
  );
}

/** One set per request: every by-key fetch goes through these, so lists make a constant number of commands. */
export function createLoaders(models: Models, tables: TableSource, authorization: () => Promise<string>) {
  const { Submission, ReportingPeriod, Target, WorkPlanTask, TaskStatus } = models;

  const submissionById = byId<SubmissionDoc>(Submission);

  /** A branch's submission for a period: [orgId, periodKey]. */
  const submissionOf = new DataLoader<OrgKey<string>, SubmissionDoc | null, string>(async (keys) => {
    const lists = await byOrgAnd(
      keys,
      async (periodKey, orgIds) => (await Submission.find({ organizationId: { $in: orgIds }, periodKey }).lean()) as SubmissionDoc[],
      (r) => [String(r.organizationId), r.periodKey],
    );
    for (const [r] of lists) if (r) submissionById.prime(String(r._id), r);
    return lists.map((l) => l[0] ?? null);
  }, orgKeyOptions);

  const periodByKey = new DataLoader<string, ReportingPeriodDoc | null>(async (keys) => {
    const rows = (await ReportingPeriod.find({ periodKey: { $in: [...keys] } }).lean()) as ReportingPeriodDoc[];
    const byKey = new Map(rows.map((r) => [r.periodKey, r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });

  const targetById = byId<TargetDoc>(Target);

  /** A branch's targets for a year. */
  const targetsOf = ofBranchAndYear<TargetDoc>(Target);

  /** Shares allocated from a target, keyed by the target's id; withdrawn shares (value 0) are not listed. */
  const allocationsOf = new DataLoader<string, TargetDoc[]>(async (ids) => {
    const rows = (await Target.find({ parentTargetId: { $in: ids.map(oid) }, value: { $gt: 0 } }).lean()) as TargetDoc[];
    for (const r of rows) targetById.prime(String(r._id), r);
    const byParent = groupBy(rows, (r) => String(r.parentTargetId));
    return ids.map((id) => byParent.get(id) ?? []);
  });

  /** The tasks of a year's work plan, in number order. */
  const tasksOfYear = new DataLoader<number, WorkPlanTaskDoc[]>(async (years) => {
    const rows = (await WorkPlanTask.find({ year: { $in: [...years] } })
      .sort({ year: 1, number: 1 })
      .lean()) as WorkPlanTaskDoc[];
    const byYear = groupBy(rows, (r) => String(r.year));
    return years.map((y) => byYear.get(String(y)) ?? []);
  });

  /** A branch's task statuses for a year. */
  const taskStatusesOf = ofBranchAndYear<TaskStatusDoc>(TaskStatus);

  /**
   * Live table values through the supergraph, [orgId, period]: every table one request
   * needs (e.g. `stale` on a page of submissions) is read in one gateway call, one alias per
   * distinct branch and period (DataLoader batches the loads of one tick and dedupes keys).
   */
  const liveTable = new DataLoader<readonly [organizationId: string, period: LivePeriod, baseYear?: number | null], TableValues, string>(
    async (keys) => {
      const requests = keys.map(([organizationId, p, baseYear]): TableRequest => {
        if (p.table === 'REGISTERS') return { organizationId, table: 'REGISTERS', year: p.year };
        return p.table === 'SURVEY' && p.asOf
          ? { organizationId, table: 'SURVEY', asOf: p.asOf }
          : { organizationId, table: 'ANNUAL', year: p.year, ...(baseYear != null ? { baseYear } : {}) };
      });
      const auth = await authorization();
      try {
        return await tables.read(requests, auth);
      } catch (e) {
        const failed = e instanceof Error ? e : new Error(String(e));
        return keys.map(() => failed);
      }
    },
    { maxBatchSize: MAX_TABLES_PER_CALL, cacheKeyFn: ([org, p, baseYear]) => `${org}|${p.key}|${baseYear ?? ''}` },
  );

  return { submissionById, submissionOf, periodByKey, targetById, targetsOf, allocationsOf, tasksOfYear, taskStatusesOf, liveTable };
}
export type Loaders = ReturnType<typeof createLoaders>;
