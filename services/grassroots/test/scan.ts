// The reference the maintained counters are checked against: row 8 by counting the units with the
// rules' own condition (what indicators.ts did before counters), and what the counters answer.
import { Types } from 'mongoose';
import { valuesLoader } from '@rcsc/counters';
import { COUNTER_KEYS, counters } from '../src/counters';
import type { Models } from '../src/models';
import { existsOnFilter } from '../src/rules';

export const scanUnits = (models: Models, rootId: string, date: Date) =>
  models.GrassrootsUnit.countDocuments({ orgPath: new Types.ObjectId(rootId), ...existsOnFilter('establishedOn', 'dissolvedOn', date) });

export const countedUnits = async (models: Models, rootId: string, date: Date) =>
  (await valuesLoader(counters(models), COUNTER_KEYS).on(rootId, date)).units;

/** Every branch on the path of a unit, each against the scan on each date. */
export async function expectCountersMatchScan(models: Models, dates: string[]) {
  const branches = new Set<string>();
  for (const u of await models.GrassrootsUnit.find({}, { orgPath: 1 }).lean()) for (const p of u.orgPath) branches.add(String(p));
  for (const id of branches)
    for (const d of dates) {
      const date = new Date(`${d}T00:00:00Z`);
      expect({ id, d, units: await countedUnits(models, id, date) }).toEqual({ id, d, units: await scanUnits(models, id, date) });
    }
  return branches.size;
}
