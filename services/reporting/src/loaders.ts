import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import { formatDate } from '@rcsc/service-kit';
import type { Models, ReportingPeriodDoc, SubmissionDoc, TargetDoc, TaskStatusDoc, WorkPlanTaskDoc } from './models';
import type { Period } from './rules';
import { MAX_TABLES_PER_CALL, type TableRequest, type TableSource } from './table-source';
import type { TableValues } from './tables';

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

/** Keys "a|b": one query per distinct b, with every a of that b in one $in. */
function byPair<T>(keys: readonly string[], fetch: (second: string, firsts: string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  const bySecond = groupBy([...keys], (k) => k.slice(k.indexOf('|') + 1));
  return Promise.all(
    [...bySecond].map(([second, ks]) =>
      fetch(
        second,
        ks.map((k) => k.slice(0, k.indexOf('|'))),
      ),
    ),
  ).then((lists) => {
    const byKey = groupBy(lists.flat(), keyOf);
    return keys.map((k) => byKey.get(k) ?? []);
  });
}

/** One set per request: every by-key fetch goes through these, so lists make a constant number of commands. */
export function createLoaders(models: Models, tables: TableSource, authorization: () => Promise<string>) {
  const { Submission, ReportingPeriod, Target, WorkPlanTask, TaskStatus } = models;

  const submissionById = new DataLoader<string, SubmissionDoc | null>(async (ids) => {
    const rows = (await Submission.find({ _id: { $in: ids.map(oid) } }).lean()) as SubmissionDoc[];
    const byId = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  /** A branch's submission for a period, keyed "orgId|periodKey". */
  const submissionOf = new DataLoader<string, SubmissionDoc | null>(async (keys) => {
    const lists = await byPair(
      keys,
      async (periodKey, orgIds) =>
        (await Submission.find({ organizationId: { $in: orgIds.map(oid) }, periodKey }).lean()) as SubmissionDoc[],
      (r) => `${String(r.organizationId)}|${r.periodKey}`,
    );
    for (const [r] of lists) if (r) submissionById.prime(String(r._id), r);
    return lists.map((l) => l[0] ?? null);
  });

  const periodByKey = new DataLoader<string, ReportingPeriodDoc | null>(async (keys) => {
    const rows = (await ReportingPeriod.find({ periodKey: { $in: [...keys] } }).lean()) as ReportingPeriodDoc[];
    const byKey = new Map(rows.map((r) => [r.periodKey, r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });

  const targetById = new DataLoader<string, TargetDoc | null>(async (ids) => {
    const rows = (await Target.find({ _id: { $in: ids.map(oid) } }).lean()) as TargetDoc[];
    const byId = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  /** A branch's targets for a year, keyed "orgId|year". */
  const targetsOf = new DataLoader<string, TargetDoc[]>((keys) =>
    byPair(
      keys,
      async (year, orgIds) => (await Target.find({ organizationId: { $in: orgIds.map(oid) }, year: Number(year) }).lean()) as TargetDoc[],
      (r) => `${String(r.organizationId)}|${r.year}`,
    ),
  );

  /** Shares allocated from a target, keyed by the target's id. */
  const allocationsOf = new DataLoader<string, TargetDoc[]>(async (ids) => {
    const rows = (await Target.find({ parentTargetId: { $in: ids.map(oid) } }).lean()) as TargetDoc[];
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

  /** A branch's task statuses for a year, keyed "orgId|year". */
  const taskStatusesOf = new DataLoader<string, TaskStatusDoc[]>((keys) =>
    byPair(
      keys,
      async (year, orgIds) =>
        (await TaskStatus.find({ organizationId: { $in: orgIds.map(oid) }, year: Number(year) }).lean()) as TaskStatusDoc[],
      (r) => `${String(r.organizationId)}|${r.year}`,
    ),
  );

  /**
   * Live table values through the supergraph, keyed "orgId|periodKey": every table one request
   * needs (e.g. `stale` on a page of submissions) is read in one gateway call, one alias per
   * distinct branch and period (DataLoader batches the loads of one tick and dedupes keys).
   */
  const liveTable = new DataLoader<string, TableValues>(
    async (keys) => {
      const requests = keys.map((k): TableRequest => {
        const [orgId, table, rest] = k.split(/[|:]/);
        return table === 'SURVEY'
          ? { organizationId: orgId, table: 'SURVEY', asOf: new Date(`${rest}T00:00:00Z`) }
          : { organizationId: orgId, table: 'ANNUAL', year: Number(rest) };
      });
      const auth = await authorization();
      try {
        return await tables.read(requests, auth);
      } catch (e) {
        const failed = e instanceof Error ? e : new Error(String(e));
        return keys.map(() => failed);
      }
    },
    { maxBatchSize: MAX_TABLES_PER_CALL },
  );

  return { submissionById, submissionOf, periodByKey, targetById, targetsOf, allocationsOf, tasksOfYear, taskStatusesOf, liveTable };
}
export type Loaders = ReturnType<typeof createLoaders>;

/** The loader key of a period's live table. */
export const liveKey = (orgId: string, period: Pick<Period, 'key'>) => `${orgId}|${period.key}`;
export const annualKey = (orgId: string, year: number) => `${orgId}|ANNUAL:${year}`;
export const surveyKey = (orgId: string, asOf: Date) => `${orgId}|SURVEY:${formatDate(asOf)}`;
