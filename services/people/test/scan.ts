// The reference the maintained counters are checked against: annex rows 9-14 computed by scanning
// the registers with the rules' own MongoDB conditions (what indicators.ts did before counters).
import { Types } from 'mongoose';
import { valuesLoader } from '@rcsc/counters';
import { counters } from '../src/counters';
import { COUNTER_KEYS, survey, type PeopleCounts } from '../src/indicators';
import { COUNTED_HOURS, type Models } from '../src/models';
import { holdsOn, holdsOnFilter, MEMBER_ACTIVE, TEAM_EXISTS, VOLUNTEER_REGISTERED } from '../src/spans';

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
      { $match: { ...under, date: { $lte: date }, ...COUNTED_HOURS } },
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

/** The branch path a record held on `date`: its earlier placements (each until a day), else its current path. */
function pathOn(r: { orgPath: Types.ObjectId[]; orgPathHistory?: { path: Types.ObjectId[]; until: Date }[] }, date: Date) {
  return (r.orgPathHistory ?? []).find((p) => date < p.until)?.path ?? r.orgPath;
}

/**
 * Annex rows 9-14 recounted from the raw registers, record by record, in plain code: each record
 * counts under the branches of the path it held on that date (transfers and reorganizations move
 * it from their day), members by the ACTIVE rule, volunteers by the registration rule, teams while
 * they exist, and CONFIRMED service hours served up to the date. For small test databases.
 */
export async function recountFromRegisters(models: Models, rootId: string, date: Date): Promise<PeopleCounts> {
  const [members, volunteers, teams, records] = await Promise.all([
    models.Member.find().lean(),
    models.Volunteer.find().lean(),
    models.ServiceTeam.find().lean(),
    models.ServiceRecord.find().lean(),
  ]);
  const under = (r: Parameters<typeof pathOn>[0]) => pathOn(r, date).some((b) => String(b) === rootId);
  const active = members.filter((m) => under(m) && holdsOn(MEMBER_ACTIVE, m, date));
  const kind = (k: string) => active.filter((m) => m.kind === k).length;
  const hours = records
    .filter((r) => under(r) && r.date <= date && (r.status == null || r.status === 'CONFIRMED'))
    .reduce((s, r) => s + r.hours, 0);
  return {
    groupMembers: kind('GROUP'),
    adultMembers: kind('ADULT'),
    youthMembers: kind('YOUTH'),
    registeredVolunteers: volunteers.filter((v) => under(v) && holdsOn(VOLUNTEER_REGISTERED, v, date)).length,
    serviceOrganizations: teams.filter((t) => under(t) && holdsOn(TEAM_EXISTS, t, date)).length,
    serviceHours: Math.round(hours),
  };
}
