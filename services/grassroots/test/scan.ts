// The reference the maintained counters are checked against: row 8 by counting the units with the
// rules' own condition, and what the counters answer, for many branches and dates at once.
import { Types } from 'mongoose';
import { valuesOn } from '@rcsc/counters';
import { COUNTER_KEYS, counters } from '../src/counters';
import type { Models } from '../src/models';
import { existsOnFilter } from '../src/rules';

/** Units standing on `date` under each branch of their paths (one aggregation): branch id → count. */
export async function scanUnits(models: Models, date: Date): Promise<Map<string, number>> {
  const rows = await models.GrassrootsUnit.aggregate<{ _id: Types.ObjectId; n: number }>([
    { $match: existsOnFilter('establishedOn', 'dissolvedOn', date) },
    { $unwind: '$orgPath' },
    { $group: { _id: '$orgPath', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((r) => [String(r._id), r.n]));
}

/**
 * Every branch on the path of a unit, each against the scan on each date; the mismatches are
 * listed (none expected). Returns how many branches were compared.
 */
export async function expectCountersMatchScan(models: Models, dates: string[]) {
  const branches = new Set<string>();
  for (const u of await models.GrassrootsUnit.find({}, { orgPath: 1 }).lean()) for (const p of u.orgPath) branches.add(String(p));
  const ids = [...branches];
  const days = dates.map((d) => new Date(`${d}T00:00:00Z`));
  // By a hundred branches: the embedded server's $in over thousands of roots is slow.
  const counted = new Map<string, Record<string, number>[]>();
  for (let i = 0; i < ids.length; i += 100) {
    for (const [id, values] of await valuesOn(counters(models), ids.slice(i, i + 100), days, COUNTER_KEYS)) counted.set(id, values);
  }
  const mismatches: { id: string; date: string; counted: number; scanned: number }[] = [];
  for (const [i, day] of days.entries()) {
    const scanned = await scanUnits(models, day);
    for (const id of ids) {
      const c = counted.get(id)![i].units;
      const s = scanned.get(id) ?? 0;
      if (c !== s) mismatches.push({ id, date: dates[i], counted: c, scanned: s });
    }
  }
  expect(mismatches).toEqual([]);
  return ids.length;
}
