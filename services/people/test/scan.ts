// The reference the maintained counters are checked against: annex rows 9-14 computed by scanning
// the registers with the rules' own MongoDB conditions (what indicators.ts did before counters).
import { Types } from 'mongoose';
import { valuesLoader } from '@rcsc/counters';
import { counters } from '../src/counters';
import { COUNTER_KEYS, survey, type PeopleCounts } from '../src/indicators';
import type { Models } from '../src/models';
import { holdsOnFilter, MEMBER_ACTIVE, TEAM_EXISTS, VOLUNTEER_REGISTERED } from '../src/spans';

export async function scanCounts(models: Models, rootId: string, date: Date): Promise<PeopleCounts> {
  const under = { orgPath: new Types.ObjectId(rootId) };
  const [kinds, volunteers, teams, hours] = await Promise.all([
    models.Member.aggregate<{ _id: string; n: number }>([
      { $match: { ...under, ...holdsOnFilter(MEMBER_ACTIVE, date) } },
      { $group: { _id: '$kind', n: { $sum: 1 } } },
    ]),
    models.Volunteer.countDocuments({ ...under, ...holdsOnFilter(VOLUNTEER_REGISTERED, date) }),
    models.ServiceTeam.countDocuments({ ...under, ...holdsOnFilter(TEAM_EXISTS, date) }),
    models.ServiceRecord.aggregate<{ h: number }>([
      { $match: { ...under, date: { $lte: date } } },
      { $group: { _id: null, h: { $sum: '$hours' } } },
    ]),
  ]);
  const n = (kind: string) => kinds.find((r) => r._id === kind)?.n ?? 0;
  return {
    groupMembers: n('GROUP'),
    adultMembers: n('ADULT'),
    youthMembers: n('YOUTH'),
    registeredVolunteers: volunteers,
    serviceOrganizations: teams,
    serviceHours: Math.round(hours[0]?.h ?? 0),
  };
}

/** What the service answers (annex 1 rows 9-14), through a fresh per-request loader. */
export const countedSurvey = (models: Models, rootId: string, date: Date) =>
  survey(valuesLoader(counters(models), COUNTER_KEYS), rootId, date);
