import { homeDatedFacts, unitDatedFacts, unitPeriodsOf } from './migrate';
import { rebuildCounters } from './counters';
import { Types, type Model } from 'mongoose';
import {
  buildBranchTree,
  DEFAULT_SEED,
  personName,
  Random,
  stableId,
  type Branch,
  type DatasetLoadOptions,
  type DatasetScale,
} from '@rcsc/dataset';
import { PersonalDataVault } from '@rcsc/personal-data';
import {
  EMBEDDINGS,
  FIVE_HAS,
  HOME_SERVICES,
  type AssessmentDoc,
  type BoaiHomeDoc,
  type Embedding,
  type GrassrootsUnitDoc,
  type MedicalInstitutionDoc,
  type Models,
  type ProtectedDoc,
  type UnitType,
} from './models';
import { townshipRef, townshipsOf, type TownshipEntry } from './places';

/**
 * Multipliers of the per-branch means. Default: about 8,000 units, 1,500 Boai homes and 1,900
 * medical institutions, enough for real numbers in every province that load in a few seconds.
 * National: the real network's order of magnitude (about 100,000 units, a few thousand homes).
 */
export const SCALES: Record<DatasetScale, { units: number; institutions: number; homes: number }> = {
  default: { units: 1, institutions: 1, homes: 1 },
  national: { units: 14, institutions: 4, homes: 3 },
};

/** Per-branch means at the default scale, by level. */
const MEANS = {
  units: { NATIONAL: 0, PROVINCIAL: 4, PREFECTURE: 2, COUNTY: 2 },
  institutions: { NATIONAL: 0, PROVINCIAL: 1.5, PREFECTURE: 1, COUNTY: 0.6 },
  homes: { NATIONAL: 0, PROVINCIAL: 0, PREFECTURE: 0.3, COUNTY: 0.5 },
} as const;

/** Shares of cities left without any Boai home, so coverage has gaps to report. */
const UNCOVERED = { PREFECTURE_CITY: 0.07, COUNTY_CITY: 0.3 } as const;

/** The last day the dataset records facts on (the survey is taken in December 2021). */
const LAST_DAY = '2021-11-30';
const DAY = 86_400_000;

const oid = (hex: string) => new Types.ObjectId(hex);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);

function weighted<T>(rng: Random, table: readonly (readonly [T, number])[]): T {
  let roll = rng.next() * table.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of table) if ((roll -= w) < 0) return v;
  return table[table.length - 1][0];
}

/** A count with the given mean: uniform on [0, 2·mean], rounded without bias. */
const countWithMean = (rng: Random, mean: number) => Math.floor(2 * mean * rng.next() + rng.next());

/** A date in a year drawn from the table, up to the dataset's last day. */
function datedIn(rng: Random, years: readonly (readonly [number, number])[]): Date {
  const y = weighted(rng, years);
  return rng.date(`${y}-01-01`, y === 2021 ? LAST_DAY : `${y}-12-31`);
}

function between(rng: Random, from: Date, to: Date): Date {
  return rng.date(iso(from), iso(to));
}

const UNIT_YEARS = [
  [2016, 0.13],
  [2017, 0.15],
  [2018, 0.17],
  [2019, 0.19],
  [2020, 0.21],
  [2021, 0.15],
] as const;
const HOME_YEARS = [
  [2016, 0.08],
  [2017, 0.1],
  [2018, 0.13],
  [2019, 0.17],
  [2020, 0.22],
  [2021, 0.3],
] as const;

const COUNTY_UNIT_TYPES = [
  ['COMMUNITY', 0.3],
  ['SCHOOL', 0.28],
  ['TOWNSHIP', 0.14],
  ['STREET', 0.1],
  ['ENTERPRISE', 0.1],
  ['PUBLIC_INSTITUTION', 0.06],
  ['OTHER', 0.02],
] as const;
const HIGHER_UNIT_TYPES = [
  ['SCHOOL', 0.45],
  ['ENTERPRISE', 0.3],
  ['PUBLIC_INSTITUTION', 0.2],
  ['OTHER', 0.05],
] as const;

const COMMUNITY_NAMES =
  '幸福 和平 建设 东风 新华 胜利 光明 文化 长青 康乐 朝阳 民主 团结 解放 人民 阳光 花园 滨江 春晖 百合 青山 石桥 新村 向阳 红星 前进 友谊 兴隆 太平 永安 丰收 新民 跃进 复兴 吉祥 金桥 清泉 枫林 桃园 梨花'.split(
    ' ',
  );
const NUMERALS = '一二三四五六七八九十'.split('');
const numeral = (n: number) => (n <= 10 ? NUMERALS[n - 1] : n < 20 ? `十${NUMERALS[n - 11]}` : String(n));
const ENTERPRISES = '电力 水务 燃气 交通投资 建工 钢铁 化工 纺织 烟草 电信 港务 粮油 医药 旅游 农业发展'.split(' ');
const COMPANY_FORMS = ['集团有限公司', '有限责任公司', '股份有限公司'];
const PUBLIC_INSTITUTIONS = '疾病预防控制中心 图书馆 文化馆 体育中心 气象局 广播电视台 社会福利院 残疾人康复中心'.split(' ');
const OTHERS = ['老年协会', '慈善义工联合会', '商会', '出租车行业协会'];
const HIGHER_SCHOOLS = ['医科大学', '师范大学', '职业技术学院', '理工大学', '卫生职业学院', '第一中学', '实验学校'];
const HOSPITALS = ['人民医院', '中医院', '妇幼保健院', '中西医结合医院', '精神卫生中心', '第二人民医院', '第三人民医院', '口腔医院'];

const EVIDENCE: Record<(typeof FIVE_HAS)[number], string[]> = {
  leader: ['会长由单位主要负责人兼任', '由社区党组织书记担任带头人', '配备专职工作人员一名'],
  team: ['会员与志愿者名册齐全', '组建志愿服务队一支，定期开展活动', '年度新增会员与志愿者登记在册'],
  rules: ['制定基层红十字会工作制度和会员管理办法', '建立活动台账和财务管理制度', '章程及议事规则上墙公示'],
  platform: ['依托党群服务中心设立红十字服务站', '设有固定活动场所和救护培训室', '配备急救箱和宣传栏'],
  activities: ['开展应急救护培训和"博爱送万家"活动', '组织无偿献血和造血干细胞捐献宣传', '开展"红十字博爱周"主题活动'],
};

function assessments(rng: Random, establishedOn: Date): AssessmentDoc[] {
  const out: AssessmentDoc[] = [];
  const last = new Date(`${LAST_DAY}T00:00:00Z`);
  const n = rng.int(0, 3);
  let on = addDays(establishedOn, rng.int(30, 300));
  for (let i = 0; i < n && on <= last; i++) {
    // Units get better at the standard over time.
    const p = Math.min(0.97, 0.84 + 0.05 * i);
    const items = Object.fromEntries(
      FIVE_HAS.map((point) => {
        const met = rng.chance(p);
        return [point, { met, evidence: met ? rng.pick(EVIDENCE[point]) : rng.chance(0.5) ? '尚未达标，限期整改' : null }];
      }),
    ) as Pick<AssessmentDoc, (typeof FIVE_HAS)[number]>;
    out.push({
      assessedOn: on,
      ...items,
      meetsAll: FIVE_HAS.every((pt) => items[pt].met),
      assessedBy: rng.chance(0.6) ? '上级红十字会组织宣传部' : null,
    });
    on = addDays(on, rng.int(180, 420));
  }
  return out;
}

/** Dissolves a small share of units after their last fact (or returns null). */
function dissolution(rng: Random, establishedOn: Date, history: AssessmentDoc[]): Date | null {
  if (!rng.chance(0.03)) return null;
  const lastFact = history.length ? history[history.length - 1].assessedOn : establishedOn;
  const earliest = addDays(lastFact > establishedOn ? lastFact : establishedOn, 90);
  const last = new Date(`${LAST_DAY}T00:00:00Z`);
  return earliest < last ? between(rng, earliest, last) : null;
}

function mobile(rng: Random): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

/** Names unique within a branch: draws again on a clash, then numbers the name. */
function namer() {
  const used = new Set<string>();
  return (make: () => string, suffix = '红十字会') => {
    for (let i = 0; i < 8; i++) {
      const n = `${make()}${suffix}`;
      if (!used.has(n)) return (used.add(n), n);
    }
    for (let k = 2; ; k++) {
      const n = `${make()}${numeral(k)}${suffix}`;
      if (!used.has(n)) return (used.add(n), n);
    }
  };
}

interface Generated {
  units: GrassrootsUnitDoc[];
  institutions: MedicalInstitutionDoc[];
  homes: BoaiHomeDoc[];
}

export interface GenerateOptions {
  seed: number;
  scale: DatasetScale;
  /** Protects leaders' phone numbers. */
  protectPhone: (phone: string) => ProtectedDoc;
  /** Whether a city (prefecture-level or county-level) is left without Boai homes. */
  uncovered: (branch: Branch) => boolean;
}

/** Whether the dataset leaves a city without any Boai home (keyed by the city, so stable). */
export function isUncoveredCity(branch: Branch, seed: number): boolean {
  const share = branch.divisionType === 'PREFECTURE_CITY' || branch.divisionType === 'COUNTY_CITY' ? UNCOVERED[branch.divisionType] : 0;
  return share > 0 && new Random(seed, 'coverage', branch.id).chance(share);
}

/**
 * One branch's own records: units of each type in real townships of its division, medical
 * institutions (some Red Cross-named, some without a unit), and Boai homes unless it sits in an
 * uncovered city. Keyed by the branch, so a branch's records do not depend on the others.
 */
function generateBranch(branch: Branch, opts: GenerateOptions, inUncoveredCity: boolean): Generated {
  const rng = new Random(opts.seed, 'grassroots', branch.id);
  const scale = SCALES[opts.scale];
  const owned = { organizationId: oid(branch.id), orgPath: [...branch.ancestorIds, branch.id].map(oid) };
  const div = branch.divisionName;
  const county = branch.level === 'COUNTY';
  const townships: TownshipEntry[] = county && branch.divisionCode ? townshipsOf(branch.divisionCode) : [];
  const towns = townships.filter((t) => /[镇乡]$/.test(t.name));
  const streets = townships.filter((t) => t.name.endsWith('街道'));
  const usedTownships = new Set<string>();
  const unitName = namer();
  const out: Generated = { units: [], institutions: [], homes: [] };

  const unit = (key: string, type: UnitType, name: string, extra: Partial<GrassrootsUnitDoc> = {}): GrassrootsUnitDoc => {
    const r = new Random(opts.seed, 'grassroots-unit', branch.id, key);
    const establishedOn = datedIn(r, UNIT_YEARS);
    const history = assessments(r, establishedOn);
    const dissolvedOn = dissolution(r, establishedOn, history);
    const doc: GrassrootsUnitDoc = {
      _id: oid(stableId('grassroots-unit', branch.id, key)),
      ...owned,
      name,
      type,
      township: null,
      community: null,
      establishedOn,
      dissolvedOn,
      dissolvedReason: dissolvedOn ? r.pick(['所在单位撤并', '乡镇区划调整', '长期未开展活动']) : null,
      leader: r.chance(0.7) ? { name: personName(r), phone: r.chance(0.8) ? opts.protectPhone(mobile(r)) : null } : null,
      assessments: history,
      meetsFiveHas: history.length ? history[history.length - 1].meetsAll : false,
      school:
        type === 'SCHOOL'
          ? {
              schoolClinic: r.chance(0.3),
              firstAidKiosks: r.chance(0.25) ? r.int(1, 2) : 0,
              firstAidKits: r.int(1, 20),
              aeds: r.chance(0.4) ? r.int(1, 3) : 0,
            }
          : null,
      medicalInstitutionId: null,
      ...extra,
    };
    out.units.push(doc);
    return doc;
  };

  const freeTownship = (list: TownshipEntry[]) => {
    const free = list.filter((t) => !usedTownships.has(t.code));
    if (!free.length) return null;
    const t = rng.pick(free);
    usedTownships.add(t.code);
    return t;
  };

  // Units other than hospitals.
  const unitCount = countWithMean(rng, MEANS.units[branch.level] * scale.units);
  for (let i = 0; i < unitCount; i++) {
    // Every provincial branch runs at least one school unit of its own (a university or college).
    let type: UnitType = county
      ? weighted(rng, COUNTY_UNIT_TYPES)
      : i === 0 && branch.level === 'PROVINCIAL'
        ? 'SCHOOL'
        : weighted(rng, HIGHER_UNIT_TYPES);
    let township: TownshipEntry | null = null;
    if (type === 'TOWNSHIP' || type === 'STREET') {
      township = freeTownship(type === 'TOWNSHIP' ? towns : streets);
      if (!township) type = 'COMMUNITY';
    }
    const key = `u${i}`;
    switch (type) {
      case 'TOWNSHIP':
      case 'STREET':
        unit(
          key,
          type,
          unitName(() => township!.name),
          { township: townshipRef(township!) },
        );
        break;
      case 'COMMUNITY': {
        const t = townships.length ? rng.pick(townships) : null;
        const community = `${rng.pick(COMMUNITY_NAMES)}${t && !t.name.endsWith('街道') ? '村' : '社区'}`;
        const name = unitName(() => `${t?.name ?? div}${community}`);
        unit(key, type, name, { township: t ? townshipRef(t) : null, community: name.slice((t?.name ?? div).length, -'红十字会'.length) });
        break;
      }
      case 'SCHOOL':
        unit(
          key,
          type,
          unitName(() =>
            county ? `${div}第${numeral(rng.int(1, 12))}${rng.pick(['中学', '小学'])}` : `${div}${rng.pick(HIGHER_SCHOOLS)}`,
          ),
          {
            township: townships.length ? townshipRef(rng.pick(townships)) : null,
          },
        );
        break;
      case 'ENTERPRISE':
        unit(
          key,
          type,
          unitName(() => `${div}${rng.pick(ENTERPRISES)}${rng.pick(COMPANY_FORMS)}`),
        );
        break;
      case 'PUBLIC_INSTITUTION':
        unit(
          key,
          type,
          unitName(() => `${div}${rng.pick(PUBLIC_INSTITUTIONS)}`),
        );
        break;
      default:
        unit(
          key,
          'OTHER',
          unitName(() => `${div}${rng.pick(OTHERS)}`),
        );
    }
  }

  // Medical institutions; most have a HOSPITAL unit, Red Cross-named ones more often (but not all).
  const institutionName = namer();
  const institutionCount = countWithMean(rng, MEANS.institutions[branch.level] * scale.institutions);
  for (let i = 0; i < institutionCount; i++) {
    const named = rng.chance(0.12);
    const t = townships.length && rng.chance(0.5) ? rng.pick(townships) : null;
    const name = named
      ? institutionName(() => `${div}${rng.pick(['红十字医院', '红十字会医院', '红十字会中医院'])}`, '')
      : institutionName(() => (t && !t.name.endsWith('街道') && rng.chance(0.5) ? `${t.name}卫生院` : `${div}${rng.pick(HOSPITALS)}`), '');
    const inst: MedicalInstitutionDoc = {
      _id: oid(stableId('medical-institution', branch.id, i)),
      ...owned,
      name,
      township: t ? townshipRef(t) : null,
      redCrossNamed: named,
      grassrootsUnitId: null,
    };
    out.institutions.push(inst);
    if (rng.chance(named ? 0.8 : 0.65)) {
      const u = unit(
        `m${i}`,
        'HOSPITAL',
        unitName(() => name),
        { medicalInstitutionId: inst._id, township: inst.township },
      );
      if (!u.dissolvedOn) inst.grassrootsUnitId = u._id;
    }
  }

  // Boai homes, none in uncovered cities.
  const homeCount = inUncoveredCity ? 0 : countWithMean(rng, MEANS.homes[branch.level] * scale.homes);
  const homeName = namer();
  for (let i = 0; i < homeCount; i++) out.homes.push(generateHome(branch, opts.seed, String(i), townships, homeName));
  return out;
}

const URBAN_TYPES = new Set(['DISTRICT', 'COUNTY_CITY', 'PREFECTURE_CITY', 'MUNICIPALITY']);

function generateHome(
  branch: Branch,
  seed: number,
  key: string,
  townships: TownshipEntry[],
  homeName: ReturnType<typeof namer>,
): BoaiHomeDoc {
  const r = new Random(seed, 'boai-home', branch.id, key);
  const setting = r.chance(URBAN_TYPES.has(branch.divisionType ?? '') ? 0.75 : 0.3) ? 'URBAN' : 'RURAL';
  const preferred = townships.filter((t) => (setting === 'URBAN') === t.name.endsWith('街道'));
  const t = preferred.length ? r.pick(preferred) : townships.length ? r.pick(townships) : null;
  const community = `${r.pick(COMMUNITY_NAMES)}${setting === 'URBAN' ? '社区' : '村'}`;
  const openedOn = datedIn(r, HOME_YEARS);
  const services = HOME_SERVICES.filter(() => r.chance(0.4));
  // Demonstration sites (示范点) are urban and were designated in 2021.
  const designationStart = new Date('2021-05-01T00:00:00Z');
  const last = new Date(`${LAST_DAY}T00:00:00Z`);
  const designatedOn =
    setting === 'URBAN' && r.chance(0.09) && openedOn < last
      ? between(r, openedOn > designationStart ? openedOn : designationStart, last)
      : null;
  const closedOn = !designatedOn && r.chance(0.02) && addDays(openedOn, 180) < last ? between(r, addDays(openedOn, 180), last) : null;
  return {
    _id: oid(stableId('boai-home', branch.id, key)),
    organizationId: oid(branch.id),
    orgPath: [...branch.ancestorIds, branch.id].map(oid),
    name: homeName(() => `${t?.name ?? branch.divisionName}${community}`, '博爱家园'),
    setting,
    township: t ? townshipRef(t) : null,
    community,
    embeddedIn: weighted<Embedding>(r, [
      [EMBEDDINGS[0], 0.4],
      [EMBEDDINGS[1], 0.25],
      [EMBEDDINGS[2], 0.15],
      [EMBEDDINGS[3], 0.2],
    ]),
    services: services.length ? services : ['FIRST_AID_TRAINING'],
    openedOn,
    closedOn,
    closedReason: closedOn ? '场地调整，暂停运行' : null,
    demonstrationDesignatedOn: designatedOn,
  };
}

/**
 * The dataset for one provincial subtree: every branch's records, plus one home run by the city
 * branch itself for each covered prefecture-level city whose counties drew none.
 */
export function generateProvince(subtree: Branch[], opts: GenerateOptions): Generated {
  const byId = new Map(subtree.map((b) => [b.id, b]));
  const out: Generated = { units: [], institutions: [], homes: [] };
  const inUncovered = (b: Branch) => [b, b.parentId ? byId.get(b.parentId) : undefined].some((x) => x && opts.uncovered(x));
  for (const b of subtree) {
    const g = generateBranch(b, opts, inUncovered(b));
    out.units.push(...g.units);
    out.institutions.push(...g.institutions);
    out.homes.push(...g.homes);
  }
  const coveredCities = new Set(out.homes.flatMap((h) => h.orgPath.map(String)));
  for (const b of subtree) {
    if ((b.divisionType === 'PREFECTURE_CITY' || b.divisionType === 'COUNTY_CITY') && !inUncovered(b) && !coveredCities.has(b.id)) {
      out.homes.push(generateHome(b, opts.seed, 'anchor', b.divisionCode ? townshipsOf(b.divisionCode) : [], namer()));
    }
  }
  return out;
}

/** The provincial subtrees of the national tree (special systems included), in tree order. */
function provinces(tree: Branch[]): Branch[][] {
  const groups = new Map<string, Branch[]>();
  for (const b of tree) {
    if (b.level === 'NATIONAL') continue;
    const key = b.level === 'PROVINCIAL' ? b.id : b.ancestorIds[1];
    const list = groups.get(key);
    if (list) list.push(b);
    else groups.set(key, [b]);
  }
  return [...groups.values()];
}

/**
 * Inserts the records that are missing (upsert with $setOnInsert keyed by the stable _id), in
 * batches of 1,000. Written through the driver: the generator already produces the stored shape,
 * and mongoose's casting of 100,000 nested documents costs several times the write itself.
 */
async function upsertAll<T extends { _id: Types.ObjectId }>(model: Model<T>, docs: T[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < docs.length; i += 1000) {
    const ops = docs.slice(i, i + 1000).map((doc) => ({
      updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: { ...doc, __v: 0 } }, upsert: true },
    }));
    inserted += (await model.collection.bulkWrite(ops as never, { ordered: false })).upsertedCount;
  }
  return inserted;
}

export interface SeedOptions extends DatasetLoadOptions {
  /** Protects leaders' phone numbers; default from PERSONAL_DATA_KEY (a random key without it). */
  vault?: PersonalDataVault;
}

/**
 * Loads the grassroots part of the national dataset. Deterministic (records are keyed by their
 * branch and position) and idempotent: stable ids, inserted only when missing, so a second load
 * changes nothing and keeps edits. Phone ciphers differ between loads (random IVs), but they are
 * only written on the first.
 */
export async function seed(models: Models, opts: SeedOptions = {}) {
  const seedNumber = opts.seed ?? DEFAULT_SEED;
  const vault = opts.vault ?? PersonalDataVault.fromEnv();
  const gen: GenerateOptions = {
    seed: seedNumber,
    scale: opts.scale ?? 'default',
    protectPhone: (phone) => vault.protect(phone, 'phone'),
    uncovered: (b) => isUncoveredCity(b, seedNumber),
  };
  const groups = provinces(buildBranchTree());
  const total = groups.reduce((s, g) => s + g.length, 0);
  const counts = { units: 0, institutions: 0, homes: 0, inserted: 0 };
  let done = 0;
  for (const group of groups) {
    const g = generateProvince(group, gen);
    counts.units += g.units.length;
    counts.institutions += g.institutions.length;
    counts.homes += g.homes.length;
    // Stored with their dated facts, as the mutations write them (src/migrate.ts shapes both).
    const byInstitution = new Map<string, GrassrootsUnitDoc[]>();
    for (const u of g.units)
      if (u.medicalInstitutionId)
        byInstitution.set(String(u.medicalInstitutionId), [...(byInstitution.get(String(u.medicalInstitutionId)) ?? []), u]);
    const units = g.units.map(({ school, ...u }) => ({ ...u, ...unitDatedFacts({ ...u, school }) }));
    const institutions = g.institutions.map((i) => ({ ...i, unitPeriods: unitPeriodsOf(byInstitution.get(String(i._id)) ?? []) }));
    counts.inserted += await upsertAll(models.GrassrootsUnit, units);
    counts.inserted += await upsertAll(models.MedicalInstitution, institutions);
    counts.inserted += await upsertAll(
      models.BoaiHome,
      g.homes.map((h) => ({ ...h, ...homeDatedFacts(h) })),
    );
    done += group.length;
    opts.onProgress?.(done, total);
  }
  // The units were written directly, not through the mutations: count them into the annex counters.
  await rebuildCounters(models);
  return counts;
}
