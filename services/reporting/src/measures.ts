import type { TargetMeasure } from './models/target';
import type { RegisterField } from './tables';

/** What each target measure counts, and which annex 2 rows measure it (none: not in the annex tables). */
export interface MeasureDefinition {
  measure: TargetMeasure;
  /** The target as the seed words it (工作目标). */
  description: string;
  /** The annex 2 (AnnualIncrease) fields whose sum is the actual increase. */
  fields: string[];
  /** For a measure the annex tables do not hold: the figure counted from the registers instead. */
  counted?: RegisterField;
  /** The national target for 2021, from the seed. */
  national2021: number;
}

export const MEASURES: readonly MeasureDefinition[] = [
  {
    measure: 'COUNTIES_RATIONALIZED',
    description: '全年新增理顺管理体制的县级红十字会 100 个',
    fields: ['countiesRationalized'],
    national2021: 100,
  },
  { measure: 'GRASSROOTS_UNITS', description: '全年新增红十字会基层组织 1 万个', fields: ['grassrootsUnits'], national2021: 10_000 },
  // 会员 "名" are persons: adult and youth members; group members (团体会员) are institutions.
  { measure: 'MEMBERS', description: '全年新增红十字会员 70 万名', fields: ['adultMembers', 'youthMembers'], national2021: 700_000 },
  {
    measure: 'REGISTERED_VOLUNTEERS',
    description: '新增红十字注册志愿者 10 万名',
    fields: ['registeredVolunteers'],
    national2021: 100_000,
  },
  // Not in the annex tables: counted from the registers (homes opened / designated in the year, awards for the year).
  { measure: 'BOAI_HOMES', description: '全年新增城乡社区博爱家园 1000 个', fields: [], counted: 'boaiHomesOpened', national2021: 1_000 },
  {
    measure: 'DEMONSTRATION_BOAI_HOMES',
    description: '建设城市社区博爱家园示范点 100 个',
    fields: [],
    counted: 'demonstrationSitesDesignated',
    national2021: 100,
  },
  { measure: 'MEMBER_STARS', description: '推选 500 名“会员之星”', fields: [], counted: 'memberStarsAwarded', national2021: 500 },
];
