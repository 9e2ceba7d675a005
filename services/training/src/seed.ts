import { Types, type Collection } from 'mongoose';
import { buildBranchTree, personName, Random, stableId, DEFAULT_SEED, type Branch, type DatasetLoadOptions } from '@rcsc/dataset';
import { PersonalDataVault } from '@rcsc/personal-data';
import type {
  AttendanceStatus,
  EnrollmentDoc,
  InstructorCategory,
  InstructorDoc,
  Level,
  Models,
  SessionDoc,
  SyllabusModuleDoc,
  TrainingCategory,
  TrainingClassDoc,
} from './models';
import {
  addDays,
  attendanceTotals,
  cannotTeach,
  completionDate,
  DEFAULT_MIN_ATTENDANCE,
  overlaps,
  personKey,
  sessionHours,
  type Interval,
} from './rules';

const oid = (hex: string) => new Types.ObjectId(hex);
const day = (s: string) => new Date(`${s}T00:00:00Z`);
const HOUR = 3_600_000;

interface ModuleSpec {
  code: string;
  title: string;
  objectives: string[];
  hours: number;
  audienceLevels: Level[];
}

const ALL: Level[] = ['NATIONAL', 'PROVINCIAL', 'PREFECTURE', 'COUNTY'];
const UPPER: Level[] = ['NATIONAL', 'PROVINCIAL', 'PREFECTURE'];

/** The national cadre-training syllabus (干部培训大纲), first edition (2016). */
const SYLLABUS: ModuleSpec[] = [
  {
    code: 'MOV-01',
    title: '红十字运动基本知识',
    objectives: ['掌握红十字运动七项基本原则', '了解红十字运动的组成和历史'],
    hours: 6,
    audienceLevels: ALL,
  },
  {
    code: 'LAW-01',
    title: '红十字会法与章程',
    objectives: ['掌握《中华人民共和国红十字会法》', '依法依章履职'],
    hours: 6,
    audienceLevels: ALL,
  },
  {
    code: 'IHL-01',
    title: '国际人道法概论',
    objectives: ['理解日内瓦公约及其附加议定书', '了解红十字会在人道法传播中的职责'],
    hours: 6,
    audienceLevels: UPPER,
  },
  {
    code: 'IHL-02',
    title: '探索人道法教学方法',
    objectives: ['掌握探索人道法课程的参与式教学方法', '能够在学校组织探索人道法课程'],
    hours: 12,
    audienceLevels: UPPER,
  },
  {
    code: 'PTY-01',
    title: '党史学习教育',
    objectives: ['学党史、悟思想、办实事、开新局', '把党史学习教育与红十字事业结合'],
    hours: 6,
    audienceLevels: ALL,
  },
  {
    code: 'PTY-02',
    title: '党的建设与党风廉政建设',
    objectives: ['落实全面从严治党责任', '加强党组和机关党的建设'],
    hours: 3,
    audienceLevels: ALL,
  },
  {
    code: 'LEAD-01',
    title: '依法履职与领导能力',
    objectives: ['提高依法履职能力和推动改革能力', '提高群众工作能力'],
    hours: 6,
    audienceLevels: UPPER,
  },
  {
    code: 'LEAD-02',
    title: '风险处置与舆情应对',
    objectives: ['提高风险处置能力', '掌握突发舆情的应对流程'],
    hours: 3,
    audienceLevels: UPPER,
  },
  { code: 'ORG-01', title: '组织体系建设', objectives: ['理顺管理体制', '健全省市县三级红十字会组织'], hours: 6, audienceLevels: ALL },
  {
    code: 'ORG-02',
    title: '基层组织与博爱家园建设',
    objectives: ['推进乡镇（街道）、社区、学校、医疗机构建立基层组织', '建设博爱家园'],
    hours: 6,
    audienceLevels: ALL,
  },
  { code: 'ORG-03', title: '换届与理事会工作', objectives: ['按期换届', '规范会员代表大会和理事会运行'], hours: 3, audienceLevels: UPPER },
  { code: 'SUP-01', title: '监事会工作实务', objectives: ['明确监事会职责和工作规则', '开展监督检查'], hours: 6, audienceLevels: UPPER },
  {
    code: 'MEM-01',
    title: '会员发展与管理',
    objectives: ['规范会籍登记和会费收缴', '发展成人、青少年和团体会员'],
    hours: 3,
    audienceLevels: ALL,
  },
  {
    code: 'VOL-01',
    title: '志愿服务管理',
    objectives: ['志愿者注册、培训、管理和服务', '组建专业化志愿服务队'],
    hours: 6,
    audienceLevels: ALL,
  },
  {
    code: 'VOL-02',
    title: '志愿者星级评定与激励',
    objectives: ['掌握星级评定标准与分级审批', '做好志愿者褒扬激励'],
    hours: 3,
    audienceLevels: ALL,
  },
  {
    code: 'RES-01',
    title: '应急救护培训',
    objectives: ['掌握心肺复苏和AED使用', '组织群众性应急救护培训'],
    hours: 12,
    audienceLevels: ALL,
  },
  { code: 'RES-02', title: '灾害应急救援', objectives: ['掌握救灾应急响应流程', '开展救援队伍建设'], hours: 6, audienceLevels: ALL },
  { code: 'AID-01', title: '人道救助', objectives: ['规范人道救助工作', '开展"博爱送万家"等救助活动'], hours: 3, audienceLevels: ALL },
  {
    code: 'DON-01',
    title: '造血干细胞与遗体器官捐献',
    objectives: ['做好捐献宣传动员', '规范捐献见证和缅怀纪念'],
    hours: 3,
    audienceLevels: ALL,
  },
  { code: 'FIN-01', title: '筹资与项目管理', objectives: ['拓宽筹资渠道', '规范项目全过程管理'], hours: 6, audienceLevels: UPPER },
  { code: 'FIN-02', title: '财务管理与审计', objectives: ['规范财务管理和捐赠款物管理', '配合审计监督'], hours: 6, audienceLevels: UPPER },
  { code: 'FIN-03', title: '信息公开与透明度建设', objectives: ['依法公开捐赠款物信息', '提升公信力'], hours: 3, audienceLevels: ALL },
  { code: 'COM-01', title: '宣传与传播', objectives: ['讲好红十字故事', '运用新媒体开展传播'], hours: 3, audienceLevels: ALL },
  { code: 'YTH-01', title: '红十字青少年工作', objectives: ['推进学校红十字工作', '发展青少年会员'], hours: 3, audienceLevels: ALL },
  {
    code: 'INT-01',
    title: '国际交流与合作',
    objectives: ['了解国际联合会和红十字国际委员会', '参与国际人道援助'],
    hours: 3,
    audienceLevels: ['NATIONAL', 'PROVINCIAL'],
  },
];

/** Modules revised in the 2021 edition (work plan task 18), effective 1 September 2021. */
const REVISED_2021: Record<string, { hours: number; extra: string }> = {
  'ORG-01': { hours: 9, extra: '落实组织体系建设年各项任务' },
  'PTY-01': { hours: 9, extra: '庆祝中国共产党成立100周年' },
  'SUP-01': { hours: 9, extra: '实现省级红十字会监事会全覆盖' },
  'VOL-01': { hours: 6, extra: '对接全国志愿服务信息系统' },
  'LEAD-01': { hours: 9, extra: '提高风险处置能力' },
};
const EDITION_2016 = day('2016-01-01');
const EDITION_2021 = day('2021-09-01');

/** Modules taught in each kind of class. */
const CATEGORY_MODULES: Record<TrainingCategory, string[]> = {
  NEW_LEADERS: ['MOV-01', 'LAW-01', 'LEAD-01', 'LEAD-02', 'ORG-01', 'FIN-03', 'PTY-02'],
  PARTY_HISTORY: ['PTY-01', 'PTY-02', 'LEAD-01', 'MOV-01'],
  SUPERVISORY_BOARD: ['SUP-01', 'LAW-01', 'FIN-02', 'FIN-03', 'ORG-03'],
  VOLUNTEER_SERVICE: ['VOL-01', 'VOL-02', 'MEM-01', 'ORG-02', 'RES-01'],
  IHL_INSTRUCTORS: ['IHL-01', 'IHL-02', 'MOV-01', 'INT-01'],
  FUNDRAISING_FINANCE: ['FIN-01', 'FIN-02', 'FIN-03', 'LAW-01'],
  ORGANIZATION_BUILDING: ['ORG-01', 'ORG-02', 'ORG-03', 'MEM-01', 'YTH-01'],
  EMERGENCY_RESPONSE: ['RES-01', 'RES-02', 'AID-01', 'DON-01', 'COM-01'],
};
const CATEGORY_TITLE: Record<TrainingCategory, string> = {
  NEW_LEADERS: '新任职领导干部培训班',
  PARTY_HISTORY: '党史学习教育培训班',
  SUPERVISORY_BOARD: '监事会工作培训班',
  VOLUNTEER_SERVICE: '志愿服务工作培训班',
  IHL_INSTRUCTORS: '探索人道法师资培训班',
  FUNDRAISING_FINANCE: '筹资财务工作培训班',
  ORGANIZATION_BUILDING: '组织体系建设培训班',
  EMERGENCY_RESPONSE: '应急救护与救灾业务培训班',
};
const CATEGORIES = Object.keys(CATEGORY_MODULES) as TrainingCategory[];
const QUALIFICATION_TITLE = (title: string) => `${title}师资证书`;
const POSITIONS = [
  '会长',
  '常务副会长',
  '副会长',
  '秘书长',
  '副秘书长',
  '监事长',
  '监事',
  '办公室主任',
  '组织宣传部部长',
  '赈济救护部部长',
  '筹资部部长',
  '财务科科长',
  '志愿服务科科长',
  '专职工作人员',
];

/** Dataset sizes: the default (npm start, tests) and the benchmark's national scale. */
export const SCALES = {
  default: { instructors: 1, classes: 1 },
  national: { instructors: 2, classes: 3 },
} as const;
export type Scale = keyof typeof SCALES;

function generateSyllabus(): SyllabusModuleDoc[] {
  return SYLLABUS.flatMap((m) => {
    const revised = REVISED_2021[m.code];
    const first: SyllabusModuleDoc = {
      _id: oid(stableId('syllabus', m.code, 1)),
      ...m,
      version: 1,
      effectiveFrom: EDITION_2016,
      supersededOn: revised ? EDITION_2021 : null,
    };
    if (!revised) return [first];
    return [
      first,
      {
        ...first,
        _id: oid(stableId('syllabus', m.code, 2)),
        version: 2,
        hours: revised.hours,
        objectives: [...m.objectives, revised.extra],
        effectiveFrom: EDITION_2021,
        supersededOn: null,
      },
    ];
  });
}

/** How many instructors a branch's pool holds (counties keep no pool in the dataset). */
function poolSize(branch: Branch, rng: Random, multiplier: number): number {
  if (branch.level === 'NATIONAL') return 150 * multiplier;
  if (branch.level === 'PROVINCIAL') return rng.int(22, 38) * multiplier;
  if (branch.level === 'PREFECTURE') return rng.int(2, 6) * multiplier;
  return 0;
}

function weighted<T>(rng: Random, items: [T, number][]): T {
  let roll = rng.next();
  for (const [item, share] of items) if ((roll -= share) < 0) return item;
  return items[items.length - 1][0];
}

const PHONE_PREFIXES = ['130', '133', '135', '136', '138', '139', '150', '158', '177', '186', '189'];

function generateInstructor(branch: Branch, n: number, seed: number, vault: PersonalDataVault): InstructorDoc {
  const rng = new Random(seed, 'instructor', branch.id, n);
  const category = weighted<InstructorCategory>(rng, [
    ['FULL_TIME_STAFF', 0.35],
    ['PART_TIME_STAFF', 0.25],
    ['EXPERT', 0.25],
    ['SCHOLAR', 0.15],
  ]);
  // Topics: two to four modules of one kind of class, sometimes one more from elsewhere.
  const home = CATEGORY_MODULES[rng.pick(CATEGORIES)];
  const topics = new Set<string>();
  const count = rng.int(2, Math.min(4, home.length));
  while (topics.size < count) topics.add(rng.pick(home));
  if (rng.chance(0.3)) topics.add(rng.pick(SYLLABUS).code);
  const joinedOn = rng.chance(0.1) ? rng.date('2021-01-01', '2021-10-31') : rng.date('2016-01-01', '2020-06-30');
  // Qualifications are valid three or five years; most expired ones were renewed.
  const qualifications = [...topics].flatMap((code) => {
    const title = QUALIFICATION_TITLE(SYLLABUS.find((m) => m.code === code)!.title);
    const issuedOn = rng.date('2015-06-01', joinedOn.toISOString().slice(0, 10));
    const years = rng.chance(0.5) ? 3 : 5;
    const expiresOn = addDays(new Date(Date.UTC(issuedOn.getUTCFullYear() + years, issuedOn.getUTCMonth(), issuedOn.getUTCDate())), -1);
    const first = { moduleCode: code, title, issuedOn, expiresOn };
    if (expiresOn < day('2022-01-01') && rng.chance(0.6)) {
      const renewedOn = addDays(expiresOn, 1);
      return [
        first,
        {
          moduleCode: code,
          title,
          issuedOn: renewedOn,
          expiresOn: addDays(new Date(Date.UTC(renewedOn.getUTCFullYear() + 5, renewedOn.getUTCMonth(), renewedOn.getUTCDate())), -1),
        },
      ];
    }
    return [first];
  });
  const roll = rng.next();
  const status = roll < 0.9 ? 'ACTIVE' : roll < 0.96 ? 'SUSPENDED' : 'RETIRED';
  const statusSince = status === 'ACTIVE' ? joinedOn : rng.date('2021-06-01', '2021-12-31');
  const id = stableId('instructor', branch.id, n);
  const phone = `${rng.pick(PHONE_PREFIXES)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
  return {
    _id: oid(id),
    name: personName(rng),
    category,
    organizationId: oid(branch.id),
    orgPath: [...branch.ancestorIds, branch.id].map(oid),
    tier: branch.level,
    topics: [...topics],
    qualifications,
    contact: {
      phone: vault.protect(phone, 'phone'),
      email: rng.chance(0.7) ? vault.protect(`t${id.slice(0, 8)}@redcross.org.cn`, 'email') : null,
    },
    status,
    statusSince,
    statusHistory:
      status === 'ACTIVE'
        ? [{ status, since: joinedOn }]
        : [
            { status: 'ACTIVE', since: joinedOn },
            { status, since: statusSince },
          ],
    joinedOn,
    scheduleRevision: 0,
  };
}

/** Facts of an instructor on a past day, for the generator (the rules check the current status). */
function couldTeachOn(i: InstructorDoc, moduleCode: string, on: Date): boolean {
  if (i.joinedOn > on) return false;
  if (!i.topics.includes(moduleCode)) return false;
  const status = i.statusHistory.filter((h) => h.since <= on).pop()?.status ?? 'ACTIVE';
  return cannotTeach({ name: i.name, topics: i.topics, qualifications: i.qualifications, status }, moduleCode, on) === null;
}

/** How many classes a branch hosts in a year. */
function classesHosted(branch: Branch, year: number, rng: Random, multiplier: number): number {
  if (branch.level === 'NATIONAL') return (year === 2020 ? 12 : 18) * multiplier;
  if (branch.level === 'PROVINCIAL') return (year === 2020 ? rng.int(1, 3) : rng.int(2, 4)) * multiplier;
  if (branch.level === 'PREFECTURE') return rng.chance(year === 2020 ? 0.12 : 0.2) ? multiplier : 0;
  return 0;
}

interface GeneratedClass {
  cls: TrainingClassDoc;
  sessions: SessionDoc[];
  enrollments: EnrollmentDoc[];
}

interface Pools {
  byBranch: Map<string, InstructorDoc[]>;
  busy: Map<string, Interval[]>;
  /** Trainee branches for a class hosted by a branch. */
  trainees: (host: Branch) => Branch[];
}

function generateClass(host: Branch, year: number, k: number, seed: number, pools: Pools): GeneratedClass {
  const rng = new Random(seed, 'class', host.id, year, k);
  const id = stableId('class', host.id, year, k);
  const category = host.level === 'NATIONAL' && k < CATEGORIES.length ? CATEGORIES[k] : rng.pick(CATEGORIES);
  // 2020: classes resumed in June after the epidemic's first wave.
  const startsOn = rng.date(year === 2020 ? '2020-06-01' : '2021-03-01', `${year}-12-10`);
  const days = rng.int(2, 5);
  const endsOn = addDays(startsOn, days - 1);
  const capacity = host.level === 'NATIONAL' ? rng.int(50, 100) : host.level === 'PROVINCIAL' ? rng.int(30, 60) : rng.int(25, 50);
  const orgPath = [...host.ancestorIds, host.id].map(oid);
  // Instructors come from the host's pool and the pools above it (a national class also from provincial pools).
  const candidates = [host.id, ...host.ancestorIds].flatMap((b) => pools.byBranch.get(b) ?? []);
  if (host.level === 'NATIONAL')
    for (const p of pools.trainees(host)) if (p.level === 'PROVINCIAL') candidates.push(...(pools.byBranch.get(p.id) ?? []));
  const modules = CATEGORY_MODULES[category];
  const sessions: SessionDoc[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(startsOn, d);
    // 09:00-12:00 and 14:00-17:00 in Beijing; the last day has the morning only.
    const slots = d === days - 1 ? [1] : [1, 6];
    for (const startHour of slots) {
      const n = sessions.length;
      const moduleCode = modules[n % modules.length];
      const slot = { startsAt: new Date(date.getTime() + startHour * HOUR), endsAt: new Date(date.getTime() + (startHour + 3) * HOUR) };
      const eligible = candidates.filter(
        (i) => couldTeachOn(i, moduleCode, date) && !(pools.busy.get(String(i._id)) ?? []).some((b) => overlaps(b, slot)),
      );
      const chosen: InstructorDoc[] = [];
      const wanted = rng.chance(0.1) ? 2 : 1;
      while (chosen.length < wanted && eligible.length) chosen.push(...eligible.splice(rng.int(0, eligible.length - 1), 1));
      for (const i of chosen) {
        const list = pools.busy.get(String(i._id));
        if (list) list.push(slot);
        else pools.busy.set(String(i._id), [slot]);
      }
      sessions.push({
        _id: oid(stableId('session', id, n)),
        classId: oid(id),
        orgPath,
        moduleCode,
        ...slot,
        hours: sessionHours(slot.startsAt, slot.endsAt),
        instructorIds: chosen.map((i) => i._id),
        ratings: chosen
          .filter(() => rng.chance(0.8))
          .map((i) => ({ instructorId: i._id, score: Math.round((3.5 + rng.next() * 1.5) * 10) / 10, responses: rng.int(15, capacity) })),
        cancelledOn: null,
      });
    }
  }
  const totalHours = sessions.reduce((s, x) => s + x.hours, 0);
  const audienceLevel = host.level === 'NATIONAL' ? (category === 'NEW_LEADERS' ? 'PROVINCIAL' : null) : null;
  // A class restricted to one level takes cadres of that level only (checkAudience).
  const trainees = pools.trainees(host).filter((b) => !audienceLevel || b.level === audienceLevel);
  const enrolled = rng.int(Math.ceil(capacity * 0.6), capacity);
  const criteria = { minAttendanceRate: DEFAULT_MIN_ATTENDANCE, requiresAssessment: false, endsOn };
  const taken = new Set<string>();
  const enrollments: EnrollmentDoc[] = Array.from({ length: enrolled }, (_, n) => {
    const branch = rng.pick(trainees);
    const withdrawn = rng.chance(0.03);
    const enrolledOn = addDays(startsOn, -rng.int(7, 30));
    const completing = !withdrawn && rng.chance(0.92);
    // One standing enrolment per person and class (unique activeKey): a second cadre of the same
    // name in the same branch is drawn again.
    let name = personName(rng);
    while (taken.has(`${branch.id}:${name}`)) name = personName(rng);
    taken.add(`${branch.id}:${name}`);
    // Per-session records: a completing trainee misses at most a fifth of the sessions, another
    // attends at most 60 % of them; the totals and the completion are derived (rules.ts).
    const allowedMisses = completing ? Math.floor(sessions.length * (1 - DEFAULT_MIN_ATTENDANCE) + 1e-9) : 0;
    let misses = 0;
    const attendance = withdrawn
      ? []
      : sessions.map((s) => {
          const attends = completing ? !(misses < allowedMisses && rng.chance(0.2) && ++misses) : rng.chance(0.6) && rng.chance(0.8);
          const status = attends ? (rng.chance(0.1) ? 'LATE' : 'PRESENT') : rng.chance(0.5) ? 'EXCUSED' : 'ABSENT';
          return { sessionId: s._id, status: status as AttendanceStatus };
        });
    const totals = attendanceTotals(attendance, sessions);
    const withdrawnOn = withdrawn ? addDays(enrolledOn, rng.int(1, 5)) : null;
    const completedOn = completionDate({ withdrawnOn, waiting: false }, totals, criteria);
    return {
      _id: oid(stableId('enrollment', id, n)),
      classId: oid(id),
      category,
      classStartsOn: startsOn,
      name,
      organizationId: oid(branch.id),
      orgPath: [...branch.ancestorIds, branch.id].map(oid),
      position: category === 'SUPERVISORY_BOARD' ? rng.pick(['监事长', '监事', '副监事长']) : rng.pick(POSITIONS),
      enrolledOn,
      withdrawnOn,
      activeKey: withdrawnOn ? null : personKey({ organizationId: branch.id, name }),
      attendance,
      attendedSessions: totals.attendedSessions,
      attendedHours: totals.attendedHours,
      completed: !!completedOn,
      completedOn,
      assessmentPassed: null,
      waiting: false,
      waitSeq: null,
      promotedOn: null,
    };
  });
  const place =
    host.level === 'NATIONAL'
      ? rng.pick(['北京', '苏州（红十字国际学院）', '北京（中国红十字会总会培训中心）'])
      : `${host.divisionName}${rng.pick(['红十字会培训中心', '委党校', '红十字应急救护培训基地'])}`;
  const cls: TrainingClassDoc = {
    _id: oid(id),
    title: `${host.name}${year}年${CATEGORY_TITLE[category]}`,
    category,
    organizationId: oid(host.id),
    orgPath,
    startsOn,
    endsOn,
    place,
    capacity,
    audienceLevel,
    cancelledOn: null,
    moduleCodes: [...new Set(sessions.map((s) => s.moduleCode))],
    instructorIds: [...new Map(sessions.flatMap((s) => s.instructorIds).map((i) => [String(i), i])).values()],
    totalHours,
    enrollmentCount: enrollments.filter((e) => !e.withdrawnOn).length,
    minAttendanceRate: criteria.minAttendanceRate,
    requiresAssessment: criteria.requiresAssessment,
    waitingCount: 0,
    lastWaitSeq: 0,
  };
  return { cls, sessions, enrollments };
}

export interface SeedOptions extends DatasetLoadOptions {
  /** Protects contact details; default PersonalDataVault.fromEnv() (use the service's key). */
  vault?: PersonalDataVault;
}

/**
 * Loads the training part of the national dataset: the syllabus, instructor pools at the national,
 * provincial and prefecture tiers, and classes over 2020-2021 with sessions and enrolments.
 * Idempotent: records are keyed by stable ids and only inserted when missing.
 */
export async function seed(models: Models, opts: SeedOptions = {}) {
  const seedNumber = opts.seed ?? DEFAULT_SEED;
  const scale = SCALES[opts.scale ?? 'default'];
  const vault = opts.vault ?? PersonalDataVault.fromEnv();
  const tree = buildBranchTree();
  const children = new Map<string, Branch[]>();
  for (const b of tree) if (b.parentId) children.set(b.parentId, [...(children.get(b.parentId) ?? []), b]);

  // Generate everything first (cheap), then write in batches.
  const syllabus = generateSyllabus();
  const byBranch = new Map<string, InstructorDoc[]>();
  for (const b of tree) {
    const size = poolSize(b, new Random(seedNumber, 'pool', b.id), scale.instructors);
    if (size)
      byBranch.set(
        b.id,
        Array.from({ length: size }, (_, n) => generateInstructor(b, n, seedNumber, vault)),
      );
  }
  const instructors = [...byBranch.values()].flat();
  const traineeCache = new Map<string, Branch[]>();
  const trainees = (host: Branch): Branch[] => {
    let list = traineeCache.get(host.id);
    if (!list) {
      const below = (id: string): Branch[] => (children.get(id) ?? []).flatMap((c) => [c, ...below(c.id)]);
      // National classes train provincial and prefecture cadres; others their own subtree.
      list =
        host.level === 'NATIONAL' ? tree.filter((b) => b.level === 'PROVINCIAL' || b.level === 'PREFECTURE') : [host, ...below(host.id)];
      traineeCache.set(host.id, list);
    }
    return list;
  };
  const pools: Pools = { byBranch, busy: new Map(), trainees };
  const classes: GeneratedClass[] = [];
  for (const b of tree) {
    for (const year of [2020, 2021]) {
      const n = classesHosted(b, year, new Random(seedNumber, 'hosting', b.id, year), scale.classes);
      for (let k = 0; k < n; k++) classes.push(generateClass(b, year, k, seedNumber, pools));
    }
  }

  // Written through the driver: the documents are already typed (ObjectIds, Dates), so mongoose's
  // casting of every upsert would only cost time. Timestamps are set as mongoose would.
  const now = new Date();
  const upsert = (doc: { _id: Types.ObjectId }) => ({
    updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: { ...doc, createdAt: now, updatedAt: now } }, upsert: true },
  });
  const sessions = classes.flatMap((c) => c.sessions);
  const enrollments = classes.flatMap((c) => c.enrollments);
  const total = syllabus.length + instructors.length + classes.length + sessions.length + enrollments.length;
  let done = 0;
  const inserted = { syllabusModules: 0, instructors: 0, classes: 0, sessions: 0, enrollments: 0 };
  const write = async (model: { collection: Collection }, docs: { _id: Types.ObjectId }[], key: keyof typeof inserted) => {
    const batch = 1000;
    for (let i = 0; i < docs.length; i += batch) {
      const slice = docs.slice(i, i + batch);
      const r = await model.collection.bulkWrite(slice.map(upsert), { ordered: false });
      inserted[key] += r.upsertedCount;
      done += slice.length;
      opts.onProgress?.(done, total);
    }
  };
  await write(models.SyllabusModule, syllabus, 'syllabusModules');
  await write(models.Instructor, instructors, 'instructors');
  await write(
    models.TrainingClass,
    classes.map((c) => c.cls),
    'classes',
  );
  await write(models.Session, sessions, 'sessions');
  await write(models.Enrollment, enrollments, 'enrollments');
  return {
    syllabusModules: syllabus.length,
    instructors: instructors.length,
    classes: classes.length,
    sessions: sessions.length,
    enrollments: enrollments.length,
    unstaffedSessions: sessions.filter((s) => !s.instructorIds.length).length,
    inserted,
  };
}
