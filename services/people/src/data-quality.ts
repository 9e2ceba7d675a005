// Data quality (issue 16 item 5): people records of a subtree and period that look implausible.
// Each rule is one index-served query on the subtree (orgPath) and the period, at most
// MAX_FINDINGS_PER_RULE findings per rule, oldest first. Messages never carry personal data.
import { Types } from 'mongoose';
import type { Directory } from '@rcsc/directory';
import { MAX_FINDINGS_PER_RULE, type Finding } from '@rcsc/service-kit';
import { COUNTED_PAYMENT, STANDING_HOURS, type Models, type VolunteerDoc } from './models';
import { branchDateProblem, isoDay, today, VOLUNTEER_MIN_AGE, volunteerAgeProblem } from './rules';

/** The longest period one report covers, in days (from..to inclusive): a reporting year. */
export const MAX_PERIOD_DAYS = 366;
/** Members joined in the period whose ledgers are read for DUES_PAID_BEFORE_JOINING, at most. */
export const DUES_SCAN_CAP = 20_000;
/** VOLUNTEER_LONG_DAYS_STREAK: at least this many hours a day ... */
export const LONG_DAY_HOURS = 20;
/** ... on at least this many consecutive days. */
export const LONG_DAYS_STREAK = 7;

const DAY = 86_400_000;

/** Runs of consecutive days (sorted input) with at least `min` days, as [first, last]. */
export function streaks(days: readonly Date[], min: number): [Date, Date][] {
  const out: [Date, Date][] = [];
  let start = 0;
  for (let i = 1; i <= days.length; i++) {
    if (i < days.length && days[i].getTime() - days[i - 1].getTime() === DAY) continue;
    if (i - start >= min) out.push([days[start], days[i - 1]]);
    start = i;
  }
  return out;
}

export async function peopleFindings(
  models: Models,
  directory: Directory,
  organizationId: string,
  from: Date,
  to: Date,
  now = today(),
): Promise<Finding[]> {
  const org = new Types.ObjectId(organizationId);
  const period = { $gte: from, $lte: to };
  const { Member, Volunteer, ServiceRecord, DuesPayment } = models;
  const rules = await Promise.all([
    // A person member registered before being born.
    (async () => {
      const rows = await Member.find(
        { orgPath: org, joinedOn: period, birthDate: { $ne: null }, $expr: { $gt: ['$birthDate', '$joinedOn'] } },
        { organizationId: 1, joinedOn: 1 },
      )
        .sort({ joinedOn: 1 })
        .limit(MAX_FINDINGS_PER_RULE)
        .lean();
      return rows.map((m) => ({
        rule: 'MEMBER_JOINED_BEFORE_BIRTH',
        recordType: 'Member',
        recordId: String(m._id),
        organizationId: String(m.organizationId),
        on: m.joinedOn,
        message: 'the member joined before the date of birth its identity number gives',
      }));
    })(),
    // Joined before the branch was established (branches whose establishment date is known).
    (async () => {
      const dated = (await directory.subtree(organizationId)).filter((b) => (b as { establishedOn?: string | null }).establishedOn);
      const out: Finding[] = [];
      for (let i = 0; i < dated.length && out.length < MAX_FINDINGS_PER_RULE; i += 500) {
        const clauses = dated.slice(i, i + 500).map((b) => ({
          organizationId: new Types.ObjectId(b.id),
          joinedOn: { $lt: new Date(`${(b as { establishedOn?: string }).establishedOn!.slice(0, 10)}T00:00:00Z`) },
        }));
        const rows = await Member.find({ $or: clauses, joinedOn: period }, { organizationId: 1, joinedOn: 1 })
          .sort({ joinedOn: 1 })
          .limit(MAX_FINDINGS_PER_RULE - out.length)
          .lean();
        const byId = new Map(dated.map((b) => [b.id, b]));
        for (const m of rows) {
          const b = byId.get(String(m.organizationId))!;
          out.push({
            rule: 'MEMBER_JOINED_BEFORE_BRANCH',
            recordType: 'Member',
            recordId: String(m._id),
            organizationId: b.id,
            on: m.joinedOn,
            message: `the member joined: ${branchDateProblem(b, m.joinedOn) ?? 'before the branch existed'}`,
          });
        }
      }
      return out;
    })(),
    // Dues received before joining, for members joined in the period (their ledgers by the memberId index).
    (async () => {
      const members = await Member.find({ orgPath: org, joinedOn: period }, { organizationId: 1, joinedOn: 1 })
        .sort({ joinedOn: 1 })
        .limit(DUES_SCAN_CAP)
        .lean();
      const out: Finding[] = [];
      for (let i = 0; i < members.length && out.length < MAX_FINDINGS_PER_RULE; i += 1000) {
        const chunk = members.slice(i, i + 1000);
        const joined = new Map(chunk.map((m) => [String(m._id), m]));
        const payments = await DuesPayment.find(
          { memberId: { $in: chunk.map((m) => m._id) }, ...COUNTED_PAYMENT },
          { memberId: 1, paidOn: 1 },
        ).lean();
        for (const p of payments) {
          const m = joined.get(String(p.memberId))!;
          if (p.paidOn < m.joinedOn && out.length < MAX_FINDINGS_PER_RULE)
            out.push({
              rule: 'DUES_PAID_BEFORE_JOINING',
              recordType: 'DuesPayment',
              recordId: String(p._id),
              organizationId: String(m.organizationId),
              on: p.paidOn,
              message: `dues received on ${isoDay(p.paidOn)}, before the member joined on ${isoDay(m.joinedOn)}`,
            });
        }
      }
      return out;
    })(),
    // Volunteers too young (or not born) on registration, with the branch or nationally: candidates
    // by the year of birth, then the exact rule.
    ...(
      [
        ['registeredOn', 'VOLUNTEER_UNDER_AGE', 'registered with the branch'],
        ['nationalRegisteredOn', 'VOLUNTEER_NATIONAL_BEFORE_BIRTH', 'registered in the national system'],
      ] as const
    ).map(async ([field, rule, what]) => {
      const rows = (await Volunteer.find(
        {
          orgPath: org,
          [field]: period,
          birthDate: { $ne: null },
          $expr: { $lte: [{ $subtract: [{ $year: `$${field}` }, { $year: '$birthDate' }] }, VOLUNTEER_MIN_AGE] },
        },
        { organizationId: 1, birthDate: 1, registeredOn: 1, nationalRegisteredOn: 1 },
      )
        .sort({ [field]: 1 })
        .limit(MAX_FINDINGS_PER_RULE * 2)
        .lean()) as Pick<VolunteerDoc, '_id' | 'organizationId' | 'birthDate' | 'registeredOn' | 'nationalRegisteredOn'>[];
      return rows
        .flatMap((v) => {
          const on = v[field] as Date;
          const problem = volunteerAgeProblem(v.birthDate, on, true);
          return problem
            ? [
                {
                  rule,
                  recordType: 'Volunteer',
                  recordId: String(v._id),
                  organizationId: String(v.organizationId),
                  on,
                  message: `${what} ${v.birthDate! > on ? 'before being born' : `before age ${VOLUNTEER_MIN_AGE}`}`,
                },
              ]
            : [];
        })
        .slice(0, MAX_FINDINGS_PER_RULE);
    }),
    // About 24 hours a day for a week or more: days of LONG_DAY_HOURS or more, in runs.
    (async () => {
      const days = await ServiceRecord.aggregate<{ _id: { v: Types.ObjectId; d: Date }; hours: number; org: Types.ObjectId }>([
        { $match: { orgPath: org, date: period, ...STANDING_HOURS } },
        { $group: { _id: { v: '$volunteerId', d: '$date' }, hours: { $sum: '$hours' }, org: { $first: '$organizationId' } } },
        { $match: { hours: { $gte: LONG_DAY_HOURS } } },
        { $sort: { '_id.v': 1, '_id.d': 1 } },
      ]);
      const out: Finding[] = [];
      for (const [v, rows] of groupByVolunteer(days)) {
        for (const [first, last] of streaks(
          rows.map((r) => r._id.d),
          LONG_DAYS_STREAK,
        )) {
          const n = Math.round((last.getTime() - first.getTime()) / DAY) + 1;
          out.push({
            rule: 'VOLUNTEER_LONG_DAYS_STREAK',
            recordType: 'Volunteer',
            recordId: v,
            organizationId: String(rows[0].org),
            on: first,
            message: `${LONG_DAY_HOURS} or more service hours a day on ${n} consecutive days, ${isoDay(first)} to ${isoDay(last)}`,
          });
        }
      }
      return out.sort((a, b) => a.on!.getTime() - b.on!.getTime()).slice(0, MAX_FINDINGS_PER_RULE);
    })(),
    // Service records dated after today.
    (async () => {
      const rows = await ServiceRecord.find({ orgPath: org, date: { $gt: now > from ? now : new Date(from.getTime() - DAY), $lte: to } })
        .sort({ date: 1 })
        .limit(MAX_FINDINGS_PER_RULE)
        .lean();
      return rows
        .filter((r) => r.date > now)
        .map((r) => ({
          rule: 'SERVICE_RECORD_IN_FUTURE',
          recordType: 'ServiceRecord',
          recordId: String(r._id),
          organizationId: String(r.organizationId),
          on: r.date,
          message: `a service record dated ${isoDay(r.date)}, after today (${isoDay(now)})`,
        }));
    })(),
  ]);
  return rules.flat();
}

function groupByVolunteer<T extends { _id: { v: Types.ObjectId } }>(rows: T[]): Map<string, T[]> {
  const by = new Map<string, T[]>();
  for (const r of rows) {
    const k = String(r._id.v);
    const list = by.get(k);
    if (list) list.push(r);
    else by.set(k, [r]);
  }
  return by;
}
