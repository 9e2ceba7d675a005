/**
 * The two tables of the seed's annexes: their 14 rows in order (序号), the field each row has in
 * the supergraph's Survey / AnnualIncrease types, the Chinese label (工作事项) and the unit.
 */
export type TableKind = 'SURVEY' | 'ANNUAL';

export interface TableRow {
  number: number;
  field: string;
  label: string;
  unit: '个' | '人' | '小时';
}

const row = (number: number, field: string, label: string, unit: TableRow['unit'] = '个'): TableRow => ({ number, field, label, unit });

/** 附件1 组织体系建设工作情况调查表. */
export const SURVEY_ROWS: readonly TableRow[] = [
  row(1, 'countiesRationalized', '县级红十字会理顺管理体制数'),
  row(2, 'prefecturesDueForTermChange', '市级红十字会应换届数'),
  row(3, 'countiesDueForTermChange', '县级红十字会应换届个数'),
  row(4, 'prefecturesWithPartyGroup', '市级红十字会已设立党组数'),
  row(5, 'countiesWithPartyGroup', '县级红十字会已设立党组数'),
  row(6, 'prefecturesWithSupervisoryBoard', '市级红十字会已设立监事会数'),
  row(7, 'countiesWithSupervisoryBoard', '县级红十字会已设立监事会数'),
  row(8, 'grassrootsUnits', '红十字会基层组织数'),
  row(9, 'groupMembers', '红十字会团体会员数'),
  row(10, 'adultMembers', '红十字会成人会员数', '人'),
  row(11, 'youthMembers', '红十字会青少年会员数', '人'),
  row(12, 'registeredVolunteers', '红十字会注册志愿者数', '人'),
  row(13, 'serviceOrganizations', '红十字会志愿服务组织数'),
  row(14, 'serviceHours', '红十字会志愿服务总时长', '小时'),
];

/** 附件2 组织体系建设年工作成效统计表: rows 2 and 3 count completed term changes. */
export const ANNUAL_ROWS: readonly TableRow[] = [
  row(1, 'countiesRationalized', '县级红十字会理顺管理体制增加数'),
  row(2, 'prefecturesCompletedTermChange', '市级红十字会完成换届增加数'),
  row(3, 'countiesCompletedTermChange', '县级红十字会完成换届增加数'),
  row(4, 'prefecturesWithPartyGroup', '市级红十字会设立党组增加数'),
  row(5, 'countiesWithPartyGroup', '县级红十字会设立党组增加数'),
  row(6, 'prefecturesWithSupervisoryBoard', '市级红十字会设立监事会增加数'),
  row(7, 'countiesWithSupervisoryBoard', '县级红十字会设立监事会增加数'),
  row(8, 'grassrootsUnits', '红十字会基层组织增加数'),
  row(9, 'groupMembers', '红十字会团体会员增加数'),
  row(10, 'adultMembers', '红十字会成人会员增加数', '人'),
  row(11, 'youthMembers', '红十字会青少年会员增加数', '人'),
  row(12, 'registeredVolunteers', '红十字会注册志愿者增加数', '人'),
  row(13, 'serviceOrganizations', '红十字会志愿服务组织增加数'),
  row(14, 'serviceHours', '红十字会志愿服务总时长增加数', '小时'),
];

export const SURVEY_FIELDS = SURVEY_ROWS.map((r) => r.field);

/**
 * Figures of a year that the target measures need and the annex tables do not hold, counted
 * from the registers through the graph (TableRequest REGISTERS): Boai homes opened in the year
 * and homes designated demonstration sites in it (grassroots), Member Stars awarded for it (people).
 */
export const REGISTER_FIELDS = ['boaiHomesOpened', 'demonstrationSitesDesignated', 'memberStarsAwarded'] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];
export const ANNUAL_FIELDS = ANNUAL_ROWS.map((r) => r.field);

const rowsOf = (table: TableKind): readonly TableRow[] => (table === 'SURVEY' ? SURVEY_ROWS : ANNUAL_ROWS);

/** A table's values by field; null (or absent) when the graph did not answer that row. */
export type TableValues = Record<string, number | null>;

export const TABLE_TITLES: Record<TableKind, { annex: string; title: string }> = {
  SURVEY: { annex: '附件1', title: '组织体系建设工作情况调查表' },
  ANNUAL: { annex: '附件2', title: '组织体系建设年工作成效统计表' },
};

/** The table's rows with their values, in annex order. */
export function valuesOf(table: TableKind, values: TableValues | null | undefined) {
  return rowsOf(table).map((r) => ({ ...r, value: values?.[r.field] ?? null }));
}

/** Rows whose frozen value differs from the live one (a row the graph did not answer now is not compared). */
export function differences(table: TableKind, frozen: TableValues, live: TableValues) {
  return rowsOf(table)
    .filter((r) => live[r.field] != null && (frozen[r.field] ?? null) !== live[r.field])
    .map((r) => ({ number: r.number, field: r.field, label: r.label, frozen: frozen[r.field] ?? null, live: live[r.field] ?? null }));
}
