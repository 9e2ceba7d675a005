import { Types, type AnyBulkWriteOperation } from 'mongoose';
import { buildBranchTree, personName, Random, stableId, DEFAULT_SEED, type Branch, type DatasetLoadOptions } from '@rcsc/dataset';
import type { PersonalDataVault } from '@rcsc/personal-data';
import {
  branchSortKey,
  type ActorDoc,
  type Models,
  type NoticeDoc,
  type SubmissionDoc,
  type TargetDoc,
  type TaskStatusDoc,
  type WorkPlanTaskDoc,
} from './models';
import { MEASURES } from './measures';
import { WORK_PLAN_2021, WORK_PLAN_YEAR } from './work-plan';
import { ANNUAL_FIELDS, SURVEY_FIELDS, type TableValues } from './tables';
import type { TaskState } from './rules';

const oid = (hex: string) => new Types.ObjectId(hex);
const at = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Provinces whose branches submitted their 2021 tables in the default dataset: how diligent their
 * branches are (the chance that a branch submits on its turn and that its submission is
 * approved), and the periods for which the whole province is complete (every branch approved or
 * excused, the province itself submitted). Zhejiang, the pilot province of task 14, completed
 * its annual table; Sichuan lags.
 */
const DEFAULT_PROVINCES: [string, number, string[]][] = [
  ['330000', 0.97, ['ANNUAL:2021']],
  ['320000', 0.95, ['SURVEY:2021-06-30']],
  ['110000', 0.95, ['ANNUAL:2021', 'SURVEY:2021-06-30']],
  ['350000', 0.92, []],
  ['510000', 0.85, []],
];

/** The periods the dataset has submissions for; the survey is due by 31 July (task 1: 5月—7月). */
const PERIODS = [
  {
    key: 'SURVEY:2021-06-30',
    table: 'SURVEY' as const,
    asOf: at('2021-06-30'),
    year: 2021,
    dueDate: at('2021-07-31'),
    opens: at('2021-07-01'),
  },
  { key: 'ANNUAL:2021', table: 'ANNUAL' as const, asOf: null, year: 2021, dueDate: at('2021-12-31'), opens: at('2021-12-01') },
];
type SeedPeriod = (typeof PERIODS)[number];

const EXCUSES = ['机构改革期间由上级红十字会代为汇总，本期免报', '撤并重组中，本期免报', '新设立不足三个月，本期免报'];
const RETURNS = [
  '第10、11项会员数与会籍登记情况不一致，请核实后重新报送',
  '第14项志愿服务总时长与全国红十字志愿服务信息系统不符，请核对',
  '第8项基层组织数包含已撤销的单位，请修正后重新报送',
];

const upsert = <T extends { _id: Types.ObjectId }>(doc: T): AnyBulkWriteOperation<T> => ({
  updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc } as never, upsert: true },
});

interface Tree {
  byId: Map<string, Branch>;
  children: Map<string, Branch[]>;
  root: Branch;
}

function indexTree(tree: Branch[]): Tree {
  const byId = new Map(tree.map((b) => [b.id, b]));
  const children = new Map<string, Branch[]>();
  for (const b of tree) {
    if (!b.parentId) continue;
    const list = children.get(b.parentId);
    if (list) list.push(b);
    else children.set(b.parentId, [b]);
  }
  for (const list of children.values()) list.sort((a, b) => (branchSortKey(a) < branchSortKey(b) ? -1 : 1));
  return { byId, children, root: tree.find((b) => !b.parentId)! };
}

const pathOf = (b: Branch) => [...b.ancestorIds, b.id].map(oid);

function actor(seed: number, role: string, b: Branch): ActorDoc {
  return { userId: `seed:${role}:${b.divisionCode ?? b.id}`, name: personName(new Random(seed, role, b.id)), organizationId: oid(b.id) };
}

/** A branch's own contribution to a table (its own records), by level. */
function ownValues(rng: Random, b: Branch, table: 'SURVEY' | 'ANNUAL'): TableValues {
  const county = b.level === 'COUNTY';
  const prefecture = b.level === 'PREFECTURE';
  const scale = county ? 1 : 0.3;
  const n = (lo: number, hi: number) => Math.round(rng.int(lo, hi) * scale);
  const flag = (yes: boolean, p: number) => (yes && rng.chance(p) ? 1 : 0);
  if (table === 'SURVEY') {
    return {
      countiesRationalized: flag(county, 0.6),
      prefecturesDueForTermChange: flag(prefecture, 0.2),
      countiesDueForTermChange: flag(county, 0.2),
      prefecturesWithPartyGroup: flag(prefecture, 0.6),
      countiesWithPartyGroup: flag(county, 0.2),
      prefecturesWithSupervisoryBoard: flag(prefecture, 0.45),
      countiesWithSupervisoryBoard: flag(county, 0.15),
      grassrootsUnits: n(20, 120),
      groupMembers: n(5, 60),
      adultMembers: n(500, 5000),
      youthMembers: n(300, 4000),
      registeredVolunteers: n(100, 2000),
      serviceOrganizations: n(1, 8),
      serviceHours: n(1000, 30000),
    };
  }
  return {
    countiesRationalized: flag(county, 0.05),
    prefecturesCompletedTermChange: flag(prefecture, 0.15),
    countiesCompletedTermChange: flag(county, 0.15),
    prefecturesWithPartyGroup: flag(prefecture, 0.1),
    countiesWithPartyGroup: flag(county, 0.05),
    prefecturesWithSupervisoryBoard: flag(prefecture, 0.15),
    countiesWithSupervisoryBoard: flag(county, 0.08),
    grassrootsUnits: n(0, 10),
    groupMembers: n(0, 5),
    adultMembers: n(50, 600),
    youthMembers: n(30, 500),
    registeredVolunteers: n(10, 200),
    serviceOrganizations: n(0, 2),
    serviceHours: n(500, 8000),
  };
}

/**
 * Submissions of a province's subtree for a period, bottom-up as the rules allow: a branch
 * submits only once all its children are approved or excused; the branch above approves,
 * returns or has not yet reviewed it; a branch that did not submit may be excused. Frozen values
 * are synthetic but additive (a branch's values = its own plus its children's): the seed cannot
 * ask the gateway, so the stale check flags where they differ from the live graph.
 */
function generateSubmissions(
  t: Tree,
  province: Branch,
  diligence: number,
  complete: boolean,
  period: SeedPeriod,
  seed: number,
): SubmissionDoc[] {
  const out: SubmissionDoc[] = [];
  const fields = period.table === 'SURVEY' ? SURVEY_FIELDS : ANNUAL_FIELDS;

  /** Returns the branch's subtree values and whether it counts as done (approved or excused) with when. */
  const visit = (b: Branch): { values: TableValues; done: boolean; doneAt: number } => {
    const rng = new Random(seed, 'submission', period.key, b.id);
    const own = ownValues(rng, b, period.table);
    const kids = (t.children.get(b.id) ?? []).map(visit);
    const values: TableValues = {};
    for (const f of fields) values[f] = (own[f] ?? 0) + kids.reduce((a, k) => a + (k.values[f] ?? 0), 0);
    const ready = kids.every((k) => k.done);
    const parent = b.parentId ? t.byId.get(b.parentId)! : null;
    const base = {
      organizationId: oid(b.id),
      orgPath: pathOf(b),
      parentId: parent ? oid(parent.id) : null,
      branchName: b.name,
      branchSortKey: branchSortKey(b),
      table: period.table,
      periodKey: period.key,
      asOf: period.asOf,
      year: period.year,
      _id: oid(stableId('submission', b.id, period.key)),
    };
    const reviewer = parent ? actor(seed, 'admin', parent) : null;
    // In a complete province every branch submits (a few counties are excused) and is approved.
    const excusable = b.level === 'COUNTY' ? (complete ? 0.02 : 0.4) : b.level === 'PREFECTURE' && !complete ? 0.1 : 0;
    const excused = complete ? rng.chance(excusable) : false;
    if (excused || !ready || !(complete || rng.chance(diligence))) {
      // Not submitted: the branch above may excuse it.
      if (parent && (excused || rng.chance(excusable))) {
        const excusedAt = period.opens.getTime() + rng.int(3, 20) * DAY + rng.int(8, 17) * HOUR;
        const reason = rng.pick(EXCUSES);
        out.push({
          ...base,
          status: 'EXCUSED',
          values: null,
          submittedAt: null,
          submittedBy: null,
          reviewedAt: new Date(excusedAt),
          reviewedBy: reviewer,
          comment: null,
          excuseReason: reason,
          history: [{ action: 'EXCUSED', at: new Date(excusedAt), by: reviewer!, comment: reason }],
        });
        return { values, done: true, doneAt: excusedAt };
      }
      return { values, done: false, doneAt: 0 };
    }
    const latestChild = Math.max(period.opens.getTime(), ...kids.map((k) => k.doneAt));
    // Counties spread over the first three weeks; upper levels follow their last child; some are late.
    const submittedAt =
      latestChild +
      (b.level === 'COUNTY' ? rng.int(0, 24) : rng.int(1, 4)) * DAY +
      rng.int(8, 17) * HOUR +
      (rng.chance(0.06) ? rng.int(10, 30) * DAY : 0);
    const by = actor(seed, 'reporter', b);
    const history: SubmissionDoc['history'] = [{ action: 'SUBMITTED', at: new Date(submittedAt), by, comment: null }];
    const roll = rng.next();
    let status: SubmissionDoc['status'] = 'SUBMITTED';
    let reviewedAt: number | null = null;
    let comment: string | null = null;
    if (!parent) {
      status = 'APPROVED';
      reviewedAt = submittedAt;
    } else if (b.level === 'PROVINCIAL' ? roll < 0.5 : complete || roll < diligence) {
      status = 'APPROVED';
      reviewedAt = submittedAt + rng.int(1, 5) * DAY;
      // Some were returned once and corrected before approval.
      if (rng.chance(0.08)) {
        const returnedAt = submittedAt + DAY;
        history.push({ action: 'RETURNED', at: new Date(returnedAt), by: reviewer!, comment: rng.pick(RETURNS) });
        history.push({ action: 'SUBMITTED', at: new Date(returnedAt + 2 * DAY), by, comment: null });
        reviewedAt += 3 * DAY;
      }
      history.push({ action: 'APPROVED', at: new Date(reviewedAt), by: reviewer!, comment: null });
    } else if (b.level !== 'PROVINCIAL' && roll < diligence + (1 - diligence) / 2) {
      status = 'RETURNED';
      reviewedAt = submittedAt + rng.int(1, 5) * DAY;
      comment = rng.pick(RETURNS);
      history.push({ action: 'RETURNED', at: new Date(reviewedAt), by: reviewer!, comment });
    }
    const lastSubmitted = history.filter((h) => h.action === 'SUBMITTED').pop()!.at;
    out.push({
      ...base,
      status,
      values,
      submittedAt: lastSubmitted,
      submittedBy: by,
      reviewedAt: reviewedAt ? new Date(reviewedAt) : null,
      reviewedBy: reviewedAt ? (reviewer ?? by) : null,
      comment,
      excuseReason: null,
      history,
    });
    return { values, done: status === 'APPROVED', doneAt: reviewedAt ?? 0 };
  };
  visit(province);
  return out;
}

/** Shares of `value` for `children`, proportional to their number of county branches, rounded down (never more than value). */
function shares(t: Tree, children: Branch[], value: number): number[] {
  const weight = (b: Branch): number => {
    const kids = t.children.get(b.id) ?? [];
    return b.level === 'COUNTY'
      ? 1
      : Math.max(
          1,
          kids.reduce((a, k) => a + weight(k), 0),
        );
  };
  const w = children.map(weight);
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => Math.floor((value * x) / total));
}

function target(
  b: Branch,
  measure: (typeof MEASURES)[number],
  value: number,
  parent: TargetDoc | null,
  by: ActorDoc,
  when: Date,
): TargetDoc {
  return {
    _id: oid(stableId('target', b.id, WORK_PLAN_YEAR, measure.measure)),
    organizationId: oid(b.id),
    orgPath: pathOf(b),
    parentTargetId: parent?._id ?? null,
    year: WORK_PLAN_YEAR,
    measure: measure.measure,
    description: measure.description,
    value,
    allocated: 0,
    updatedBy: by,
    history: [{ value, at: when, by }],
  };
}

/** National targets, allocated to every provincial branch, and by the chosen provinces on to their children (90 % of their share). */
function generateTargets(t: Tree, allocating: Branch[], seed: number): TargetDoc[] {
  const out: TargetDoc[] = [];
  const provinces = t.children.get(t.root.id) ?? [];
  for (const m of MEASURES) {
    const national = target(t.root, m, m.national2021, null, actor(seed, 'admin', t.root), at('2021-05-10'));
    out.push(national);
    if (!m.fields.length) continue; // measured outside the annex tables: kept at the national level
    const values = shares(t, provinces, m.national2021);
    national.allocated = values.reduce((a, b) => a + b, 0);
    provinces.forEach((p, i) => {
      const pt = target(p, m, values[i], national, actor(seed, 'admin', t.root), at('2021-05-20'));
      out.push(pt);
      if (!allocating.includes(p)) return;
      const kids = t.children.get(p.id) ?? [];
      const kv = shares(t, kids, Math.floor(pt.value * 0.9));
      pt.allocated = kv.reduce((a, b) => a + b, 0);
      kids.forEach((k, j) => out.push(target(k, m, kv[j], pt, actor(seed, 'admin', p), at('2021-06-01'))));
    });
  }
  return out;
}

function generateTaskStatuses(branches: Branch[], tasks: WorkPlanTaskDoc[], seed: number): TaskStatusDoc[] {
  const out: TaskStatusDoc[] = [];
  for (const b of branches) {
    const diligence = new Random(seed, 'diligence', b.id).next();
    for (const task of tasks) {
      const rng = new Random(seed, 'task-status', b.id, task.number);
      const roll = rng.next();
      const state: TaskState = roll < 0.35 + diligence * 0.5 ? 'DONE' : roll < 0.85 ? 'IN_PROGRESS' : 'NOT_STARTED';
      if (state === 'NOT_STARTED') continue;
      const month = (m: number) => String(m).padStart(2, '0');
      const startedOn = rng.date(`2021-${month(task.fromMonth)}-01`, `2021-${month(task.fromMonth)}-28`);
      const completedOn = state === 'DONE' ? rng.date(`2021-${month(task.toMonth)}-01`, `2021-${month(task.toMonth)}-28`) : null;
      const by = actor(seed, 'staff', b);
      out.push({
        _id: oid(stableId('task-status', b.id, String(task._id))),
        organizationId: oid(b.id),
        orgPath: pathOf(b),
        parentId: b.parentId ? oid(b.parentId) : null,
        taskId: task._id,
        year: task.year,
        taskNumber: task.number,
        state,
        startedOn,
        completedOn: completedOn && completedOn < startedOn ? startedOn : completedOn,
        note: state === 'DONE' ? '已按工作方案完成' : '正在推进',
        updatedBy: by,
        history: [
          { state: 'IN_PROGRESS', at: startedOn, by, note: null },
          ...(completedOn ? [{ state: 'DONE' as const, at: completedOn, by, note: null }] : []),
        ],
      });
    }
  }
  return out;
}

function notice(
  key: string,
  sender: Branch,
  kind: NoticeDoc['kind'],
  title: string,
  body: string,
  recipients: Branch[],
  sentAt: Date,
  seed: number,
  extra: Partial<NoticeDoc> = {},
): NoticeDoc {
  const rng = new Random(seed, 'notice', key);
  return {
    _id: oid(stableId('notice', key)),
    kind,
    title,
    body,
    senderId: oid(sender.id),
    senderPath: pathOf(sender),
    sentAt,
    newestFirst: -sentAt.getTime(),
    sentBy: actor(seed, 'admin', sender),
    recipientIds: recipients.map((r) => oid(r.id)),
    taskNumbers: [],
    periodKey: null,
    readReceipts: recipients
      .filter(() => rng.chance(0.7))
      .map((r) => ({
        organizationId: oid(r.id),
        readAt: new Date(sentAt.getTime() + rng.int(1, 72) * HOUR),
        readBy: actor(seed, 'staff', r),
      })),
    ...extra,
  };
}

function generateNotices(t: Tree, chosen: Branch[], lagging: Branch[], seed: number): NoticeDoc[] {
  const out: NoticeDoc[] = [];
  const good = chosen.slice(0, 2);
  out.push(
    notice(
      'hq-bulletin-2021-09',
      t.root,
      'BULLETIN',
      '红会工作通报（2021年第1期）：组织体系建设年工作进展',
      `${good.map((b) => b.name).join('、')}按照《中国红十字会组织体系建设年工作方案》要求，扎实开展组织体系建设大调研，按时报送调查表，工作成效突出，予以表扬。`,
      good,
      at('2021-09-15T02:00:00Z'),
      seed,
      { taskNumbers: [1, 3, 14] },
    ),
  );
  if (lagging.length) {
    out.push(
      notice(
        'hq-reminder-annual-2021',
        t.root,
        'REMINDER',
        '关于报送《组织体系建设年工作成效统计表》的提示函',
        `请${lagging.map((b) => b.name).join('、')}抓紧督促所属红十字会完成审核，于2021年12月31日前报送《组织体系建设年工作成效统计表》。`,
        lagging,
        at('2021-12-20T02:00:00Z'),
        seed,
        { taskNumbers: [3], periodKey: 'ANNUAL:2021' },
      ),
    );
  }
  for (const p of chosen) {
    const kids = t.children.get(p.id) ?? [];
    if (!kids.length) continue;
    out.push(
      notice(
        `bulletin-${p.id}-2021-10`,
        p,
        'BULLETIN',
        `${p.divisionName}红十字会工作通报：基层组织建设进展`,
        '各地按照“五有”要求在乡镇、街道、社区、学校、医院、企事业单位大力发展红十字会基层组织，进展良好，特此通报。',
        kids,
        at('2021-10-18T02:00:00Z'),
        seed,
        { taskNumbers: [5] },
      ),
    );
  }
  return out;
}

/**
 * Loads the reporting part of the national dataset: the 20 tasks of the 2021 work plan, the
 * national 2021 targets (allocated to the provinces, and on down in the chosen provinces), the
 * survey's due date, submissions for 2021 under a few provinces (every province at national
 * scale), task statuses and notices. Deterministic and idempotent: records are keyed by stable
 * ids and only inserted when missing.
 */
export async function seed(models: Models, opts: DatasetLoadOptions & { vault?: PersonalDataVault } = {}) {
  const seedNumber = opts.seed ?? DEFAULT_SEED;
  const national = opts.scale === 'national';
  const t = indexTree(buildBranchTree());
  const provinces = t.children.get(t.root.id) ?? [];
  const chosen = national ? provinces : DEFAULT_PROVINCES.map(([code]) => provinces.find((p) => p.divisionCode === code)!);
  const settings = (p: Branch) => DEFAULT_PROVINCES.find(([code]) => code === p.divisionCode);
  const diligence = (p: Branch) => settings(p)?.[1] ?? 0.85 + new Random(seedNumber, 'province', p.id).next() * 0.14;
  const complete = (p: Branch, period: SeedPeriod) =>
    settings(p)?.[2].includes(period.key) ?? new Random(seedNumber, 'complete', p.id, period.key).chance(0.5);

  const tasks: WorkPlanTaskDoc[] = WORK_PLAN_2021.map((task) => ({
    _id: oid(stableId('work-plan-task', WORK_PLAN_YEAR, task.number)),
    year: WORK_PLAN_YEAR,
    ...task,
  }));
  const submissions = chosen.flatMap((p) =>
    PERIODS.flatMap((period) => generateSubmissions(t, p, diligence(p), complete(p, period), period, seedNumber)),
  );
  const targets = generateTargets(t, chosen, seedNumber);
  // Task statuses: every provincial branch and the branches directly below the chosen ones (every branch at national scale).
  const tracked = national
    ? [...t.byId.values()].filter((b) => b.parentId)
    : [...provinces, ...chosen.flatMap((p) => t.children.get(p.id) ?? [])];
  const statuses = generateTaskStatuses(tracked, tasks, seedNumber);
  const annualApproved = new Set(
    submissions.filter((s) => s.periodKey === 'ANNUAL:2021' && s.status === 'APPROVED').map((s) => String(s.organizationId)),
  );
  const lagging = provinces.filter((p) => p.kind === 'REGIONAL' && !annualApproved.has(p.id)).slice(0, national ? 33 : 8);
  const notices = generateNotices(t, chosen, lagging, seedNumber);

  const total = tasks.length + targets.length + submissions.length + statuses.length + notices.length;
  let done = 0;
  let inserted = 0;
  const write = async <T extends { _id: Types.ObjectId }>(
    model: { bulkWrite: (ops: AnyBulkWriteOperation<T>[], o: object) => Promise<{ upsertedCount: number }> },
    docs: T[],
  ) => {
    for (let i = 0; i < docs.length; i += 1000) {
      const slice = docs.slice(i, i + 1000);
      inserted += (await model.bulkWrite(slice.map(upsert), { ordered: false })).upsertedCount;
      done += slice.length;
      opts.onProgress?.(done, total);
    }
  };
  await models.ReportingPeriod.updateOne(
    { periodKey: PERIODS[0].key },
    {
      $setOnInsert: {
        table: PERIODS[0].table,
        asOf: PERIODS[0].asOf,
        year: PERIODS[0].year,
        dueDate: PERIODS[0].dueDate,
        setBy: actor(seedNumber, 'admin', t.root),
      },
    },
    { upsert: true },
  );
  await write(models.WorkPlanTask as never, tasks);
  await write(models.Target as never, targets);
  await write(models.Submission as never, submissions);
  await write(models.TaskStatus as never, statuses);
  await write(models.Notice as never, notices);
  return {
    tasks: tasks.length,
    targets: targets.length,
    submissions: submissions.length,
    taskStatuses: statuses.length,
    notices: notices.length,
    inserted,
  };
}
