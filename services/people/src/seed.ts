import { CounterTotals } from '@rcsc/counters';
import { markMigrated } from './migrations';
import { memberState, rebuildCounters, serviceRecordState, teamState, volunteerState } from './counters';
import { Types, type Collection } from 'mongoose';
import { today } from '@rcsc/service-kit';
import { buildBranchTree, personName, Random, stableId, DEFAULT_SEED, type Branch, type DatasetLoadOptions } from '@rcsc/dataset';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { DEFAULT_CONFIG, type MemberKind, type PeopleConfig } from './config';
import {
  SPECIALTIES,
  type DuesPaymentDoc,
  type MemberDoc,
  type MemberStarDoc,
  type Models,
  type ServiceRecordDoc,
  type ServiceTeamDoc,
  type Specialty,
  type StarRatingDoc,
  type VolunteerDoc,
} from './models';
import { currentKey, memberKey, protectIdentity } from './new-records';
import {
  applyDuesPayment,
  duesDue,
  endOfYear,
  lapseDate,
  memberStatusOn,
  requiredApprover,
  starsForHours,
  withCreditCheck,
  type PathBranch,
  isoDay,
} from './rules';

/**
 * Dataset sizes. DEFAULT is what `npm start` and the contract test load (a few seconds, real
 * numbers in every province); NATIONAL is the real network's order of magnitude, for benchmarks.
 * Service records follow the volunteers (about five per volunteer).
 */
export const SCALES = {
  default: { members: 40_000, volunteers: 10_000, teams: 2_000 },
  national: { members: 1_200_000, volunteers: 300_000, teams: 9_000 },
} as const;
export type Scale = keyof typeof SCALES;

/** Relative size of a branch's own register, by level (a county is 1). */
function weight(b: Branch): number {
  if (b.kind === 'SPECIAL_SYSTEM') return 4;
  return { NATIONAL: 3, PROVINCIAL: 8, PREFECTURE: 3, COUNTY: 1 }[b.level];
}

const END = '2021-12-31';
const END_DATE = new Date(`${END}T00:00:00Z`);
const DAY = 86_400_000;
const oid = (hex: string) => new Types.ObjectId(hex);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);
const minDate = (a: Date, b: Date) => (a < b ? a : b);

/** A count around `expected`, varying by ±50%, whole (the fraction is kept by chance). */
function around(rng: Random, expected: number): number {
  const x = expected * (0.5 + rng.next());
  return Math.floor(x) + (rng.chance(x - Math.floor(x)) ? 1 : 0);
}

/** A date uniformly between two dates (inclusive); `from` when the range is empty. */
function between(rng: Random, from: Date, to: Date): Date {
  return to <= from ? from : new Date(from.getTime() + rng.int(0, Math.round((to.getTime() - from.getTime()) / DAY)) * DAY);
}

const GROUP_NAMES = [
  '第一中学',
  '实验小学',
  '人民医院',
  '中医院',
  '职业技术学院',
  '供电公司',
  '商会',
  '红十字医院',
  '疾控中心',
  '妇幼保健院',
  '第二中学',
  '中心小学',
];
const SPECIALTY_NAMES: Record<Specialty, string> = {
  EMERGENCY_RESCUE: '应急救援',
  FIRST_AID: '应急救护',
  HUMANITARIAN_RELIEF: '人道救助',
  COMMUNITY_SERVICE: '社区服务',
  ELDERLY_CARE: '养老护理',
  BLOOD_DONATION: '无偿献血',
  STEM_CELL_DONATION: '造血干细胞捐献宣传',
  ORGAN_DONATION: '遗体和器官捐献宣传',
  OTHER: '综合',
};
const SKILLS = ['急救', '心理支持', '驾驶', '医疗', '通讯', '水上救援', '宣传', '外语', '摄影', '护理'];
const ACTIVITIES = [
  '应急救护培训',
  '社区健康宣传',
  '无偿献血服务',
  '敬老院探访',
  '防灾减灾演练',
  '赛事医疗保障',
  '造血干细胞捐献宣传',
  '救灾物资发放',
];

/** The 6-digit region code that starts the identity numbers of people registered at a branch. */
function regionCode(b: Branch, rng: Random): string {
  if (b.divisionCode && b.level !== 'NATIONAL') return b.divisionCode;
  if (b.kind === 'SPECIAL_SYSTEM') return b.name.includes('兵团') ? '659001' : '110101';
  return rng.pick(['110101', '310101', '330106', '440103', '510104']);
}

function idNumber(rng: Random, region: string, born: Date, used: Set<string>): string {
  const birth = isoDay(born).replace(/-/g, '');
  for (let seq = rng.int(0, 999); ; seq = (seq + 1) % 1000) {
    const v = withCheckDigit(`${region}${birth}${String(seq).padStart(3, '0')}`);
    if (!used.has(v)) {
      used.add(v);
      return v;
    }
  }
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function creditCode(rng: Random, region: string, used: Set<string>): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < 9; i++) body += rng.pick(CREDIT_CHARS.split(''));
    const v = withCreditCheck(`${rng.pick(['12', '91', '52'])}${region}${body}`);
    if (!used.has(v)) {
      used.add(v);
      return v;
    }
  }
}

const phone = (rng: Random) => `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;

/** A birth date making the person `minAge`..`maxAge` years old on `on`. */
function bornFor(rng: Random, on: Date, minAge: number, maxAge: number): Date {
  const age = rng.int(minAge, maxAge);
  return addDays(new Date(Date.UTC(on.getUTCFullYear() - age, on.getUTCMonth(), on.getUTCDate())), -rng.int(0, 360));
}

interface Generated {
  members: MemberDoc[];
  payments: DuesPaymentDoc[];
  awards: MemberStarDoc[];
}

/** The last year of the 2016-2021 history the indicators are read over; later dues follow `currentYear`. */
export const HISTORY_END_YEAR = 2021;
const LATER_START = new Date(Date.UTC(HISTORY_END_YEAR + 1, 0, 1));

/**
 * One branch's own members with their dues ledger and Member Star awards: the 2014-2021 history
 * (joining, dues, withdrawals, awards), then dues through `currentYear` (default: the year of the
 * load) for the members still paying at the end of 2021. The later years come from a random
 * stream of their own, so the history is the same whatever `currentYear` is, and nothing later
 * is dated before 2022 (nor after the end of the year before `currentYear`, so never in the future).
 */
export function generateMembers(
  b: Branch,
  count: number,
  seed: number,
  vault: PersonalDataVault,
  provincial: Branch,
  config: PeopleConfig,
  currentYear: number = today().getUTCFullYear(),
  /** Identity numbers already given (shared across branches by seed: one membership per person nationally). */
  used: Set<string> = new Set<string>(),
): Generated {
  const out: Generated = { members: [], payments: [], awards: [] };
  const path = [...b.ancestorIds, b.id].map(oid);
  for (let i = 0; i < count; i++) {
    const rng = new Random(seed, 'member', b.id, i);
    const id = oid(stableId('member', b.id, i));
    const roll = rng.next();
    const kind: MemberKind = roll < 0.05 ? 'GROUP' : roll < 0.4 ? 'YOUTH' : 'ADULT';
    const joinedOn = rng.date('2014-01-01', END);
    const region = regionCode(b, rng);
    let identity: string;
    let born: Date | null = null;
    let name: string;
    if (kind === 'GROUP') {
      identity = creditCode(rng, region, used);
      name = `${b.divisionName}${rng.pick(GROUP_NAMES)}${i >= GROUP_NAMES.length ? `(${i})` : ''}`;
    } else {
      born = kind === 'YOUTH' ? bornFor(rng, joinedOn, 7, 20) : bornFor(rng, joinedOn, 18, 70);
      identity = idNumber(rng, region, born, used);
      name = personName(rng);
    }
    const m: MemberDoc = {
      _id: id,
      kind,
      name,
      gender: born ? (+identity[16] % 2 === 1 ? 'MALE' : 'FEMALE') : null,
      birthDate: born,
      contactPerson: kind === 'GROUP' ? personName(rng) : null,
      ...protectIdentity(vault, identity, rng.chance(0.8) ? phone(rng) : null),
      organizationId: oid(b.id),
      orgPath: path,
      grassrootsUnitId: null,
      joinedOn,
      withdrawnOn: null,
      withdrawalReason: null,
      paidThrough: null,
      lapsesOn: lapseDate(joinedOn, null, config),
      lapses: [],
    };
    // The dues ledger: blocks of 1-4 years from the joining year; some members stop paying
    // (they lapse), some pause for 2-3 years and come back (a closed lapse in the history).
    const joinYear = joinedOn.getUTCFullYear();
    const target = (() => {
      const r = rng.next();
      if (r < 0.6) return 2021 + rng.int(0, 1);
      if (r < 0.8) return 2020;
      return rng.int(joinYear - 1, 2019);
    })();
    let year = joinYear;
    let lastPaid = joinedOn;
    let n = 0;
    while (year <= target) {
      const to = Math.min(target, year + rng.int(0, 3));
      const paidOn =
        n === 0 ? joinedOn : year > 2021 ? between(rng, lastPaid, END_DATE) : between(rng, lastPaid, new Date(Date.UTC(year, 5, 30)));
      const payment: DuesPaymentDoc = {
        _id: oid(stableId('dues', b.id, i, n)),
        memberId: id,
        memberOrgPath: path,
        organizationId: oid(b.id),
        orgPath: path,
        periodFrom: year,
        periodTo: to,
        amountCents: duesDue(kind, to - year + 1, config),
        paidOn,
      };
      out.payments.push(payment);
      Object.assign(m, applyDuesPayment(m, payment, config));
      lastPaid = paidOn;
      n++;
      year = to + 1 + (rng.chance(0.08) ? rng.int(2, 3) : 0);
    }
    if (rng.chance(0.03)) {
      m.withdrawnOn = between(rng, addDays(lastPaid, 1), END_DATE);
      m.withdrawalReason = '个人申请退会';
    }
    // Member Stars (会员之星): a few active members a year, chosen by the provincial branch.
    if (rng.chance(0.006)) {
      const year = rng.chance(0.7) ? 2021 : 2020;
      if (memberStatusOn(m, endOfYear(year)) === 'ACTIVE') {
        out.awards.push({
          _id: oid(stableId('memberStar', b.id, i, year)),
          memberId: id,
          year,
          organizationId: oid(provincial.id),
          orgPath: [...provincial.ancestorIds, provincial.id].map(oid),
          citation: `${year}年度${provincial.divisionName}红十字会员之星`,
        });
      }
    }
    continueDues(
      m,
      new Random(seed, 'dues-later', b.id, i),
      { branchId: b.id, index: i, from: n, path, currentYear, config },
      out.payments,
    );
    out.members.push(m);
  }
  return out;
}

/**
 * Dues after 2021, so that a status read today shows most members ACTIVE. Members not withdrawn and paid through 2020 or later at the end of 2021: 85%
 * keep paying through `currentYear`, 10% stop after a year before it (and lapse
 * LAPSE_AFTER_YEARS later), 5% withdraw (after 2021, before `currentYear`). Each payment covers
 * 1-4 years (as in the history) and is made in the last quarter of the year before its first year (late payments
 * for 2021 in the first quarter of 2022), so the ledger stays in date order and in the past.
 */
function continueDues(
  m: MemberDoc,
  rng: Random,
  at: { branchId: string; index: number; from: number; path: Types.ObjectId[]; currentYear: number; config: PeopleConfig },
  payments: DuesPaymentDoc[],
): void {
  const { currentYear, config } = at;
  if (currentYear <= HISTORY_END_YEAR || m.withdrawnOn || (m.paidThrough ?? 0) < HISTORY_END_YEAR - 1) return;
  const paidThrough = m.paidThrough!;
  const r = rng.next();
  // Withdrawing needs a whole year after 2021 before the current one to happen in.
  const withdraws = r >= 0.95 && currentYear > HISTORY_END_YEAR + 1;
  const keeps = r < 0.85;
  const lastYear = keeps ? currentYear : rng.int(Math.min(paidThrough, currentYear - 1), currentYear - 1);
  let lastPaid = LATER_START;
  let n = at.from;
  for (let year = paidThrough + 1; year <= lastYear; ) {
    const to = Math.min(lastYear, year + rng.int(0, 3));
    const paidOn =
      year - 1 > HISTORY_END_YEAR
        ? between(rng, new Date(Date.UTC(year - 1, 9, 1)), endOfYear(year - 1))
        : between(rng, LATER_START, new Date(Date.UTC(HISTORY_END_YEAR + 1, 2, 31)));
    const payment: DuesPaymentDoc = {
      _id: oid(stableId('dues', at.branchId, at.index, n)),
      memberId: m._id,
      memberOrgPath: at.path,
      organizationId: m.organizationId,
      orgPath: at.path,
      periodFrom: year,
      periodTo: to,
      amountCents: duesDue(m.kind, to - year + 1, config),
      paidOn: paidOn < lastPaid ? lastPaid : paidOn,
    };
    payments.push(payment);
    Object.assign(m, applyDuesPayment(m, payment, config));
    lastPaid = payment.paidOn;
    n++;
    year = to + 1;
  }
  if (withdraws) {
    const from = addDays(lastPaid, 1);
    const until = endOfYear(Math.min(Math.max(lastYear, HISTORY_END_YEAR + 1), currentYear - 1));
    m.withdrawnOn = between(rng, from, until < from ? from : until);
    m.withdrawalReason = '个人申请退会';
  }
}

/** One branch's own service teams. */
function generateTeams(b: Branch, count: number, seed: number): ServiceTeamDoc[] {
  const teams: ServiceTeamDoc[] = [];
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    const rng = new Random(seed, 'team', b.id, i);
    const specialty = i === 0 ? 'FIRST_AID' : rng.pick(SPECIALTIES);
    let name = `${b.divisionName}红十字${SPECIALTY_NAMES[specialty]}志愿服务队`;
    for (let k = 2; names.has(name); k++) name = `${b.divisionName}红十字${SPECIALTY_NAMES[specialty]}志愿服务第${k}队`;
    names.add(name);
    const foundedOn = rng.date('2012-01-01', '2021-11-30');
    teams.push({
      _id: oid(stableId('team', b.id, i)),
      name,
      specialty,
      organizationId: oid(b.id),
      orgPath: [...b.ancestorIds, b.id].map(oid),
      orgLevel: b.level,
      foundedOn,
      dissolvedOn: rng.chance(0.03) ? between(rng, addDays(foundedOn, 90), END_DATE) : null,
    });
  }
  return teams;
}

interface VolunteerPart {
  volunteers: VolunteerDoc[];
  records: ServiceRecordDoc[];
  ratings: StarRatingDoc[];
}

/** One branch's own volunteers, with their service records and star ratings. */
function generateVolunteers(
  b: Branch,
  count: number,
  seed: number,
  vault: PersonalDataVault,
  teams: ServiceTeamDoc[],
  path: PathBranch[],
  config: PeopleConfig,
): VolunteerPart {
  const out: VolunteerPart = { volunteers: [], records: [], ratings: [] };
  const used = new Set<string>();
  const orgPath = [...b.ancestorIds, b.id].map(oid);
  for (let i = 0; i < count; i++) {
    const rng = new Random(seed, 'volunteer', b.id, i);
    const id = oid(stableId('volunteer', b.id, i));
    const registeredOn = rng.date('2014-01-01', END);
    const born = bornFor(rng, registeredOn, 16, 65);
    const identity = idNumber(rng, regionCode(b, rng), born, used);
    const national = rng.chance(0.85) ? minDate(addDays(registeredOn, rng.int(0, 90)), END_DATE) : null;
    const endedOn = rng.chance(0.03) ? between(rng, addDays(registeredOn, 60), END_DATE) : null;
    const open = teams.filter((t) => !t.dissolvedOn);
    const myTeams = open.length && rng.chance(0.7) ? [...new Set([rng.pick(open), ...(rng.chance(0.3) ? [rng.pick(open)] : [])])] : [];
    const v: VolunteerDoc = {
      _id: id,
      name: personName(rng),
      gender: +identity[16] % 2 === 1 ? 'MALE' : 'FEMALE',
      birthDate: born,
      ...protectIdentity(vault, identity, rng.chance(0.9) ? phone(rng) : null),
      organizationId: oid(b.id),
      orgPath,
      registeredOn,
      nationalRegisteredOn: national,
      nationalSystemId: national ? `ZYZ${stableId('zyz', b.id, i).slice(0, 12).toUpperCase()}` : null,
      endedOn,
      skills: rng.chance(0.6) ? [...new Set([rng.pick(SKILLS), rng.pick(SKILLS)])] : [],
      teamIds: myTeams.map((t) => t._id),
      stars: 0,
    };
    // Activity: most serve a little, a few a lot (enough for 4 and 5 stars).
    const a = rng.next();
    const [records, minH, maxH] =
      a < 0.65
        ? [rng.int(0, 2), 2, 8]
        : a < 0.9
          ? [rng.int(2, 8), 2, 12]
          : a < 0.99
            ? [rng.int(10, 30), 6, 16]
            : [rng.int(120, 200), 12, 16];
    const last = endedOn ? addDays(endedOn, -1) : END_DATE;
    const dates: Date[] = [];
    for (let k = 0; k < records; k++) dates.push(between(rng, registeredOn, last));
    dates.sort((x, y) => x.getTime() - y.getTime());
    let total = 0;
    const cumulative: number[] = [];
    const reached: (Date | null)[] = [null, null, null, null, null];
    dates.forEach((date, k) => {
      const team = myTeams.length ? rng.pick(myTeams) : null;
      const withTeam = team && team.foundedOn <= date && (!team.dissolvedOn || team.dissolvedOn > date) ? team : null;
      const hours = rng.int(minH, maxH) / 2;
      out.records.push({
        _id: oid(stableId('service', b.id, i, k)),
        volunteerId: id,
        teamId: withTeam?._id ?? null,
        organizationId: oid(b.id),
        orgPath,
        activity: rng.pick(ACTIVITIES),
        date,
        hours,
        // The dataset's hours stand as confirmed (the workflow's PENDING is for new records).
        status: 'CONFIRMED',
      });
      total += hours;
      cumulative.push(total);
      config.starHours.forEach((h, s) => {
        if (!reached[s] && total >= h) reached[s] = date;
      });
    });
    // Star ratings: the top level earned (sometimes also the one below, as history), approved
    // by the branch the rules name; about one in ten is still pending.
    const earned = starsForHours(total, config);
    if (earned > 0 && rng.chance(0.85)) {
      const levels = earned > 1 && rng.chance(0.5) ? [earned - 1, earned] : [earned];
      levels.forEach((stars, k) => {
        const requestedOn = minDate(addDays(reached[stars - 1]!, rng.int(1, 60)), END_DATE);
        const pending = k === levels.length - 1 && rng.chance(0.1);
        const approver = requiredApprover(path, stars);
        const decidedOn = pending ? null : minDate(addDays(requestedOn, rng.int(3, 40)), END_DATE);
        out.ratings.push({
          _id: oid(stableId('rating', b.id, i, stars)),
          volunteerId: id,
          orgPath,
          stars,
          status: pending ? 'PENDING' : 'APPROVED',
          requestedOn,
          hoursAtRequest: cumulative[dates.filter((d) => d <= requestedOn).length - 1] ?? 0,
          approverId: oid(approver.id),
          decidedBy: pending ? null : oid(approver.id),
          decidedOn,
          reason: null,
        });
        if (!pending) v.stars = Math.max(v.stars, stars);
      });
    }
    out.volunteers.push(v);
  }
  return out;
}

export interface SeedOptions extends DatasetLoadOptions {
  /** Protects identity numbers and phones; default PersonalDataVault.fromEnv(). */
  vault?: PersonalDataVault;
  config?: PeopleConfig;
  /** Members keep paying dues through this year (default: the year of the load); see generateMembers. */
  currentYear?: number;
}

type Doc = { _id: Types.ObjectId };

/**
 * Buffers documents per collection and writes them in bulk, keyed by their stable _id. A
 * collection that was empty when the load began gets plain inserts (the fast path: nothing can
 * be there yet); otherwise the write is an updateOne upsert with $setOnInsert, which inserts the
 * missing documents and leaves present ones (and their edits) alone. Either way a second load
 * inserts nothing. Up to `inFlight` batches are written while the next ones are generated, so
 * the generator and the database work at the same time.
 */
class Writer {
  private buffers = new Map<Collection, Doc[]>();
  private empty = new Map<Collection, boolean>();
  private writing: Promise<void>[] = [];
  inserted = 0;
  constructor(
    private readonly batch = 5000,
    private readonly inFlight = 2,
  ) {}
  async add(collection: Collection, docs: Doc[]): Promise<void> {
    let buf = this.buffers.get(collection);
    if (!buf) {
      this.buffers.set(collection, (buf = []));
      this.empty.set(collection, (await collection.estimatedDocumentCount()) === 0);
    }
    for (const d of docs) buf.push(d);
    if (buf.length >= this.batch) {
      this.buffers.set(collection, []);
      this.start(collection, buf);
      while (this.writing.length > this.inFlight) await this.writing.shift();
    }
  }
  /** Writes every buffered document and waits for every write. */
  async flush(): Promise<void> {
    for (const [c, docs] of this.buffers) if (docs.length) this.start(c, docs);
    this.buffers.clear();
    // every write settles before the first failure is thrown: none is left running unobserved
    const results = await Promise.allSettled(this.writing.splice(0));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }
  private start(c: Collection, docs: Doc[]): void {
    const p = this.write(c, docs);
    p.catch(() => undefined); // observed when awaited in turn; not an unhandled rejection meanwhile
    this.writing.push(p);
  }
  private async write(c: Collection, docs: Doc[]): Promise<void> {
    // (the count is read after the await: writes run side by side)
    const written = this.empty.get(c)
      ? (await c.insertMany(docs, { ordered: false })).insertedCount
      : (
          await c.bulkWrite(
            docs.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $setOnInsert: d }, upsert: true } })),
            { ordered: false },
          )
        ).upsertedCount;
    this.inserted += written;
  }
}

/**
 * Loads the people part of the national dataset: every branch's members (with dues and Member
 * Stars), service teams, volunteers (with service records and star ratings). Deterministic (each
 * record's randomness is keyed by its own branch and index) and idempotent (stable ids, inserted
 * only when missing: a second load changes nothing and keeps edits).
 */
export async function seed(models: Models, opts: SeedOptions = {}) {
  const seedNumber = opts.seed ?? DEFAULT_SEED;
  const sizes = SCALES[opts.scale ?? 'default'];
  const vault = opts.vault ?? PersonalDataVault.fromEnv();
  const config = opts.config ?? DEFAULT_CONFIG;
  const currentYear = opts.currentYear ?? today().getUTCFullYear();
  const tree = buildBranchTree();
  const byId = new Map(tree.map((b) => [b.id, b]));
  const totalWeight = tree.reduce((s, b) => s + weight(b), 0);
  const counts = { members: 0, duesPayments: 0, memberStars: 0, volunteers: 0, serviceTeams: 0, serviceRecords: 0, starRatings: 0 };

  // Teams first: volunteers join their own branch's teams or their parent's.
  const teamsOf = new Map<string, ServiceTeamDoc[]>();
  for (const b of tree) {
    const n = around(new Random(seedNumber, 'teams', b.id), (sizes.teams * weight(b)) / totalWeight);
    teamsOf.set(b.id, generateTeams(b, n, seedNumber));
  }

  const writer = new Writer();
  const c = {
    Member: models.Member.collection,
    DuesPayment: models.DuesPayment.collection,
    MemberStar: models.MemberStar.collection,
    Volunteer: models.Volunteer.collection,
    ServiceTeam: models.ServiceTeam.collection,
    ServiceRecord: models.ServiceRecord.collection,
    StarRating: models.StarRating.collection,
  };
  // Into an empty database the counters are summed from the records as they are generated; into
  // one that holds records (perhaps edited since), they are rebuilt from what is stored.
  const fresh = (await Promise.all(Object.values(c).map((x) => x.estimatedDocumentCount()))).every((n) => n === 0);
  const totals = fresh ? new CounterTotals() : undefined;
  let done = 0;
  // One membership per person in the whole country: no identity number is given twice.
  const usedIdentities = new Set<string>();
  for (const b of tree) {
    const rng = new Random(seedNumber, 'sizes', b.id);
    const path: PathBranch[] = [...b.ancestorIds, b.id].map((id) => byId.get(id)!).map((x) => ({ id: x.id, name: x.name, level: x.level }));
    const provincial = b.level === 'NATIONAL' ? b : byId.get(b.level === 'PROVINCIAL' ? b.id : b.ancestorIds[1])!;
    const teams = teamsOf.get(b.id)!;
    const m = generateMembers(
      b,
      around(rng, (sizes.members * weight(b)) / totalWeight),
      seedNumber,
      vault,
      provincial,
      config,
      currentYear,
      usedIdentities,
    );
    const v = generateVolunteers(
      b,
      around(rng, (sizes.volunteers * weight(b)) / totalWeight),
      seedNumber,
      vault,
      [...teams, ...(b.parentId ? teamsOf.get(b.parentId)! : [])],
      path,
      config,
    );
    await writer.add(c.ServiceTeam, teams);
    // Current memberships and registrations carry their unique key (new-records.currentKey).
    await writer.add(
      c.Member,
      m.members.map((x) => (x.withdrawnOn ? x : { ...x, currentKey: memberKey(x.idNumberHash) })),
    );
    await writer.add(c.DuesPayment, m.payments);
    await writer.add(c.MemberStar, m.awards);
    await writer.add(
      c.Volunteer,
      v.volunteers.map((x) => (x.endedOn ? x : { ...x, currentKey: currentKey(String(x.organizationId), x.idNumberHash) })),
    );
    await writer.add(c.ServiceRecord, v.records);
    await writer.add(c.StarRating, v.ratings);
    if (totals) {
      for (const x of teams) totals.add(teamState(x));
      for (const x of m.members) totals.add(memberState(x));
      for (const x of v.volunteers) totals.add(volunteerState(x));
      for (const x of v.records) totals.add(serviceRecordState(x));
    }
    counts.serviceTeams += teams.length;
    counts.members += m.members.length;
    counts.duesPayments += m.payments.length;
    counts.memberStars += m.awards.length;
    counts.volunteers += v.volunteers.length;
    counts.serviceRecords += v.records.length;
    counts.starRatings += v.ratings.length;
    opts.onProgress?.(++done, tree.length);
  }
  await writer.flush();
  // The records were written directly, not through the mutations: count them into the annex counters.
  await rebuildCounters(models, config, totals);
  // Records written now have the current format: nothing for the boot migrations to do.
  if (fresh) await markMigrated(models);
  return { ...counts, inserted: writer.inserted };
}
