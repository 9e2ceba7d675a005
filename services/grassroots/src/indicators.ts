import { Types } from 'mongoose';
import { ancestorsOn, divisionTypeOn, movedSince, subtreeOn, type BranchInfo, type Directory } from '@rcsc/directory';
import type { Models } from './models';
import { endOfYear, existsOnFilter } from './rules';

const oid = (id: string) => new Types.ObjectId(id);

/** Row 8 of annex 2: the count on 31 December of `year` minus the count on 31 December of the base year. */
export async function unitIncrease(count: (asOf: Date) => Promise<number>, year: number, baseYear = year - 1): Promise<number> {
  const [end, start] = await Promise.all([count(endOfYear(year)), count(endOfYear(baseYear))]);
  return end - start;
}

/** The city kinds coverage counts, by the division type the organizations subgraph gives. */
const CITY_TYPES = { prefectureCities: 'PREFECTURE_CITY', countyCities: 'COUNTY_CITY' } as const;

export interface CityCoverage {
  total: number;
  covered: number;
  /** covered / total; null without cities. */
  rate: number | null;
  uncovered: { id: string }[];
}
export interface Coverage {
  asOf: Date;
  prefectureCities: CityCoverage;
  countyCities: CityCoverage;
  /** 全覆盖: every prefecture-level city covered. */
  fullyCovered: boolean;
  /** 基本覆盖: the share of county-level cities covered reaches the threshold. */
  basicallyCovered: boolean;
  basicCoverageThreshold: number;
}

/** The targets of the work plan judged on a coverage: full for prefecture-level cities, basic (a share) for county-level ones. */
export function coverageTargets(p: CityCoverage, c: CityCoverage, threshold: number) {
  return { fullyCovered: p.covered === p.total, basicallyCovered: c.total === 0 || c.covered / c.total >= threshold };
}

/** A branch stands on `date` unless it was dissolved on or before it. */
function standsOn(b: BranchInfo, date: Date): boolean {
  return !b.dissolvedOn || new Date(b.dissolvedOn) > date;
}

/**
 * Boai home coverage of a subtree's prefecture-level and county-level cities on a date. The city
 * list comes from the directory (division types, never the organizations database); one
 * aggregation over the open homes of the subtree finds, per city depth, the distinct branches
 * with at least one home below them, and the cities among them are covered.
 */
export async function coverage(
  models: Models,
  directory: Directory,
  rootId: string,
  asOf: Date,
  basicCoverageThreshold: number,
): Promise<Coverage> {
  // The subtree as it stood on the date (a county moved away since still counts here, one moved
  // in does not), each branch with the division type it had then: a county that became a
  // county-level city counts as one from that day.
  const all = await directory.all();
  const dated = movedSince(all, asOf);
  const subtree = dated ? subtreeOn(all, rootId, asOf) : await directory.subtree(rootId);
  const cities = subtree
    .map((b) => ({ ...b, divisionType: divisionTypeOn(b, asOf) }))
    .filter((b) => (b.divisionType === CITY_TYPES.prefectureCities || b.divisionType === CITY_TYPES.countyCities) && standsOn(b, asOf));
  const covered = new Set<string>();
  if (cities.length && dated) {
    // One aggregation over the open homes of every branch that was in the subtree then (the
    // highest of them by today's tree: their subtrees hold them all), per branch of record; each
    // branch's place on the date, from the directory, says which cities its homes covered.
    const inSubtree = new Map(subtree.map((b) => [b.id, b]));
    const tops = subtree.filter((b) => !b.parentId || !inSubtree.has(b.parentId)).map((b) => oid(b.id));
    const rows = await models.BoaiHome.aggregate<{ _id: Types.ObjectId }>([
      { $match: { orgPath: { $in: tops }, ...existsOnFilter('openedOn', 'closedOn', asOf) } },
      { $group: { _id: '$organizationId' } },
    ]);
    const cityIds = new Set(cities.map((c) => c.id));
    for (const r of rows) {
      const branch = inSubtree.get(String(r._id));
      if (!branch) continue;
      for (const id of [...ancestorsOn(branch, asOf), branch.id]) if (cityIds.has(id)) covered.add(id);
    }
  } else if (cities.length) {
    const depths = [...new Set(cities.map((c) => c.ancestorIds.length))];
    const [row] = await models.BoaiHome.aggregate<Record<string, { _id: Types.ObjectId | null }[]>>([
      { $match: { orgPath: oid(rootId), ...existsOnFilter('openedOn', 'closedOn', asOf) } },
      { $facet: Object.fromEntries(depths.map((d) => [`d${d}`, [{ $group: { _id: { $arrayElemAt: ['$orgPath', d] } } }]])) },
    ]);
    for (const rows of Object.values(row ?? {})) for (const r of rows) if (r._id) covered.add(String(r._id));
  }
  const sortKey = (b: BranchInfo) => b.divisionCode ?? b.name;
  const of = (type: string): CityCoverage => {
    const list = cities.filter((c) => c.divisionType === type).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const uncovered = list.filter((c) => !covered.has(c.id));
    const n = list.length - uncovered.length;
    return { total: list.length, covered: n, rate: list.length ? n / list.length : null, uncovered: uncovered.map((c) => ({ id: c.id })) };
  };
  const prefectureCities = of(CITY_TYPES.prefectureCities);
  const countyCities = of(CITY_TYPES.countyCities);
  return {
    asOf,
    prefectureCities,
    countyCities,
    ...coverageTargets(prefectureCities, countyCities, basicCoverageThreshold),
    basicCoverageThreshold,
  };
}
