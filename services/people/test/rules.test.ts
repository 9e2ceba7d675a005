import { Types } from 'mongoose';
import { heldOver } from '@rcsc/counters';
import { withCheckDigit } from '@rcsc/personal-data';
import { DEFAULT_CONFIG, loadConfig } from '../src/config';
import { countersVersion, memberState } from '../src/counters';
import type { MemberDoc, ServiceTeamDoc, VolunteerDoc } from '../src/models';
import {
  applyDuesPayment,
  checkApprover,
  checkDailyHours,
  checkDecision,
  checkDuesPayment,
  checkMemberStar,
  checkNewVolunteer,
  checkServiceHours,
  checkStarRequest,
  checkTeamDissolution,
  checkTeamJoin,
  checkTeamLeave,
  checkVolunteerEnd,
  checkWithdrawal,
  newMemberProblem,
  standingFromLedger,
  statusFilter,
  volunteerTeamProblems,
  isValidCreditCode,
  lapseDate,
  memberIdentityProblem,
  memberStatusOn,
  personFromIdNumber,
  requiredApprover,
  starsForHours,
  withCreditCheck,
  branchDateProblem,
  checkNationalRegistration,
  unitReferenceProblem,
  volunteerAgeProblem,
  type PathBranch,
} from '../src/rules';
import { streaks } from '../src/data-quality';
import { checkServiceSeries, checkTransfer, yearsEndingWithin } from '../src/rules';
import { holdsOn, holdsOnFilter, MEMBER_ACTIVE, spanContributions, spansOf, TEAM_EXISTS, VOLUNTEER_REGISTERED } from '../src/spans';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

/** Runs `fn` and asserts the GraphQL error it throws: its code and, for BAD_USER_INPUT, the field named. */
function refusal(fn: () => unknown, code: string, field?: string): string {
  let thrown: { message: string; extensions?: { code?: string; fields?: { field: string }[] } } | undefined;
  try {
    fn();
  } catch (e) {
    thrown = e as typeof thrown;
  }
  expect(thrown?.extensions?.code).toBe(code);
  if (field) expect(thrown?.extensions?.fields?.map((f) => f.field)).toEqual([field]);
  return thrown!.message;
}

describe('identity documents', () => {
  it('reads birth date and gender from a resident identity number and refuses bad ones', () => {
    const id = withCheckDigit('33010619900307122');
    expect(personFromIdNumber(id)).toEqual({ birthDate: d('1990-03-07'), gender: 'FEMALE' });
    expect(personFromIdNumber(withCheckDigit('33010619900307113'))?.gender).toBe('MALE');
    expect(personFromIdNumber(id.slice(0, 17) + (id[17] === '0' ? '1' : '0'))).toBeNull();
    expect(personFromIdNumber(withCheckDigit('33010619900230123'))).toBeNull(); // 30 February
  });

  it('checks unified social credit codes (GB 32100)', () => {
    const code = withCreditCheck('91330106MA2AX1234');
    expect(isValidCreditCode(code)).toBe(true);
    expect(isValidCreditCode(code.slice(0, 17) + (code[17] === '0' ? '1' : '0'))).toBe(false);
    expect(isValidCreditCode('91330106MA2AX123I')).toBe(false);
  });

  it('checks the document and the age on joining per member kind', () => {
    const child = withCheckDigit('33010620100101123');
    expect(memberIdentityProblem('YOUTH', child, d('2021-01-01'), DEFAULT_CONFIG)).toBeNull();
    expect(memberIdentityProblem('ADULT', child, d('2021-01-01'), DEFAULT_CONFIG)).toMatchObject({ field: 'kind' });
    const adult = withCheckDigit('33010619700101123');
    expect(memberIdentityProblem('YOUTH', adult, d('2021-01-01'), DEFAULT_CONFIG)).toMatchObject({ field: 'kind' });
    expect(memberIdentityProblem('ADULT', 'x', d('2021-01-01'), DEFAULT_CONFIG)).toMatchObject({ field: 'idNumber' });
    expect(memberIdentityProblem('GROUP', adult, d('2021-01-01'), DEFAULT_CONFIG)).toMatchObject({ field: 'idNumber' });
    expect(memberIdentityProblem('ADULT', child, d('2009-01-01'), DEFAULT_CONFIG)).toMatchObject({
      message: expect.stringContaining('not born'),
    });
  });
});

describe('dues and standing', () => {
  const cfg = { lapseAfterYears: 2 };
  const joined = d('2018-05-01');

  it('lapses after two whole unpaid years, counted from the last year paid (or joining)', () => {
    expect(lapseDate(joined, null, cfg)).toEqual(d('2020-01-01'));
    expect(lapseDate(joined, 2019, cfg)).toEqual(d('2022-01-01'));
    const m = { joinedOn: joined, paidThrough: 2018, lapsesOn: lapseDate(joined, 2018, cfg), lapses: [] };
    expect(memberStatusOn(m, d('2018-04-30'))).toBeNull();
    expect(memberStatusOn(m, d('2020-12-31'))).toBe('ACTIVE');
    expect(memberStatusOn(m, d('2021-01-01'))).toBe('LAPSED');
    expect(memberStatusOn({ ...m, withdrawnOn: d('2019-03-01') }, d('2019-03-01'))).toBe('WITHDRAWN');
  });

  it('a payment extends the standing; one that brings a lapsed member back keeps the lapse as history', () => {
    const m = { joinedOn: joined, paidThrough: 2018, lapsesOn: d('2021-01-01'), lapses: [] as { since: Date; until: Date }[] };
    const ontime = applyDuesPayment(m, { periodTo: 2020, paidOn: d('2019-02-01') }, cfg);
    expect(ontime).toEqual({ paidThrough: 2020, lapsesOn: d('2023-01-01'), lapses: [] });

    const late = applyDuesPayment(m, { periodTo: 2021, paidOn: d('2021-06-01') }, cfg);
    expect(late.lapses).toEqual([{ since: d('2021-01-01'), until: d('2021-06-01') }]);
    const after = { ...m, ...late };
    expect(memberStatusOn(after, d('2021-03-01'))).toBe('LAPSED');
    expect(memberStatusOn(after, d('2021-06-01'))).toBe('ACTIVE');
    expect(memberStatusOn(after, d('2020-06-01'))).toBe('ACTIVE');

    // Paying only an old year does not bring the member back: the lapse keeps its start.
    const old = applyDuesPayment({ ...m, paidThrough: 2015, lapsesOn: d('2018-01-01') }, { periodTo: 2016, paidOn: d('2021-06-01') }, cfg);
    expect(old).toEqual({ paidThrough: 2016, lapsesOn: d('2018-01-01'), lapses: [] });
  });
});

describe('star ratings', () => {
  const hq: PathBranch = { id: 'hq', name: '总会', level: 'NATIONAL' };
  const zj: PathBranch = { id: 'zj', name: '浙江省红十字会', level: 'PROVINCIAL' };
  const hz: PathBranch = { id: 'hz', name: '杭州市红十字会', level: 'PREFECTURE' };
  const xh: PathBranch = { id: 'xh', name: '杭州市西湖区红十字会', level: 'COUNTY' };
  const bj: PathBranch = { id: 'bj', name: '北京市红十字会', level: 'PROVINCIAL' };
  const dc: PathBranch = { id: 'dc', name: '北京市东城区红十字会', level: 'COUNTY' };

  it('earns stars by hours under the configured thresholds', () => {
    expect(starsForHours(99.5, DEFAULT_CONFIG)).toBe(0);
    expect(starsForHours(100, DEFAULT_CONFIG)).toBe(1);
    expect(starsForHours(1499, DEFAULT_CONFIG)).toBe(4);
    expect(starsForHours(5000, DEFAULT_CONFIG)).toBe(5);
    expect(starsForHours(50, { starHours: [10, 20, 30, 40, 50] })).toBe(5);
  });

  it('names the county for 1-3 stars, the prefecture for 4, the province for 5', () => {
    const path = [hq, zj, hz, xh];
    expect([1, 2, 3, 4, 5].map((s) => requiredApprover(path, s).id)).toEqual(['xh', 'xh', 'xh', 'hz', 'zj']);
  });

  it('falls back to the nearest branch above where the chain lacks the level', () => {
    // A district directly under a municipality: no prefecture, the municipality approves 4 stars.
    expect(requiredApprover([hq, bj, dc], 4).id).toBe('bj');
    // A volunteer registered at a prefecture: no county below it, the prefecture approves 1-3 stars.
    expect(requiredApprover([hq, zj, hz], 2).id).toBe('hz');
    expect(requiredApprover([hq], 5).id).toBe('hq');
  });

  it('forbids any other branch, with a message naming the right one', () => {
    expect(() => checkApprover([hq, zj, hz, xh], 4, zj)).toThrow(/prefecture branch 杭州市红十字会 \(hz\); 浙江省红十字会 may not/);
    expect(() => checkApprover([hq, bj, dc], 4, dc)).toThrow(/nearest branch above/);
    // The code is asserted on what was thrown: nothing thrown fails the test.
    expect(() => checkApprover([hq, zj, hz, xh], 1, hz)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    expect(checkApprover([hq, zj, hz, xh], 5, zj).id).toBe('zj');
  });
});

describe('configuration', () => {
  it('reads thresholds and rates from the environment over the defaults', () => {
    const c = loadConfig({ STAR_HOURS: '50,150,300,500,800', DUES_ADULT: '20', LAPSE_AFTER_YEARS: '3' });
    expect(c.starHours).toEqual([50, 150, 300, 500, 800]);
    expect(c.duesRates).toEqual({ ADULT: 20, YOUTH: 2, GROUP: 500 });
    expect(c.lapseAfterYears).toBe(3);
    expect(loadConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('refuses bad values naming the variable', () => {
    expect(() => loadConfig({ STAR_HOURS: '100,50,600,1000,1500' })).toThrow(/STAR_HOURS/);
    expect(() => loadConfig({ DUES_YOUTH: '-1' })).toThrow(/DUES_YOUTH/);
  });
});

describe('dated rules: one span rule gives spans, the answer on a date, the filter and the counters', () => {
  const member = {
    kind: 'ADULT' as const,
    joinedOn: d('2018-05-01'),
    withdrawnOn: d('2024-03-01') as Date | null,
    lapsesOn: d('2025-01-01'),
    lapses: [
      { since: d('2020-01-01'), until: d('2020-06-01') },
      { since: d('2020-05-01'), until: d('2020-07-01') }, // overlapping: merged
    ],
    orgPath: [new Types.ObjectId()],
  };

  it("computes a member's active spans from joining, withdrawal, lapse and closed lapses", () => {
    expect(spansOf(MEMBER_ACTIVE, member)).toEqual([
      { from: d('2018-05-01'), until: d('2020-01-01') },
      { from: d('2020-07-01'), until: d('2024-03-01') },
    ]);
    expect(spansOf(MEMBER_ACTIVE, { ...member, withdrawnOn: null })).toEqual([
      { from: d('2018-05-01'), until: d('2020-01-01') },
      { from: d('2020-07-01'), until: d('2025-01-01') },
    ]);
    // Withdrawn on joining: never active.
    expect(spansOf(MEMBER_ACTIVE, { ...member, withdrawnOn: member.joinedOn })).toEqual([]);
    expect(spansOf(VOLUNTEER_REGISTERED, { nationalRegisteredOn: null, endedOn: null })).toEqual([]);
    expect(spansOf(TEAM_EXISTS, { foundedOn: d('2019-01-01'), dissolvedOn: null })).toEqual([{ from: d('2019-01-01'), until: null }]);
  });

  it('derives the status on a date from the spans', () => {
    expect(memberStatusOn(member, d('2018-04-30'))).toBeNull();
    expect(memberStatusOn(member, d('2019-12-31'))).toBe('ACTIVE');
    expect(memberStatusOn(member, d('2020-06-15'))).toBe('LAPSED');
    expect(memberStatusOn(member, d('2020-07-01'))).toBe('ACTIVE');
    expect(memberStatusOn(member, d('2024-03-01'))).toBe('WITHDRAWN');
    expect(holdsOn(TEAM_EXISTS, { foundedOn: d('2019-01-01'), dissolvedOn: d('2020-01-01') }, d('2020-01-01'))).toBe(false);
  });

  it('derives the MongoDB condition from the same rule', () => {
    const on = d('2021-01-01');
    expect(holdsOnFilter(MEMBER_ACTIVE, on)).toEqual({
      joinedOn: { $lte: on },
      lapsesOn: { $gt: on },
      $and: [
        { $or: [{ withdrawnOn: null }, { withdrawnOn: { $gt: on } }] },
        { $nor: [{ lapses: { $elemMatch: { since: { $lte: on }, until: { $gt: on } } } }] },
      ],
    });
    expect(holdsOnFilter(VOLUNTEER_REGISTERED, on)).toEqual({
      nationalRegisteredOn: { $lte: on },
      $or: [{ endedOn: null }, { endedOn: { $gt: on } }],
    });
    expect(statusFilter('LAPSED', on)).toMatchObject({ $and: [expect.anything(), { $nor: [holdsOnFilter(MEMBER_ACTIVE, on)] }] });
  });

  it('counts a member over its spans exactly as the held-over contributions did', () => {
    const net = (cs: { key: string; on: Date; delta: number }[]) => {
      const m = new Map<number, number>();
      for (const c of cs) m.set(c.on.getTime(), (m.get(c.on.getTime()) ?? 0) + c.delta);
      return [...m].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
    };
    const end = member.withdrawnOn! < member.lapsesOn ? member.withdrawnOn : member.lapsesOn;
    expect(net(memberState(member as unknown as MemberDoc).contributions)).toEqual(
      net(heldOver('ADULT', member.joinedOn, end, member.lapses)),
    );
    expect(spanContributions('teams', [{ from: d('2019-01-01'), until: null }])).toEqual([{ key: 'teams', on: d('2019-01-01'), delta: 1 }]);
  });

  it('derives a standing from the dues ledger in date order, under the lapse policy', () => {
    const joined = d('2018-05-01');
    const ledger = [
      { periodTo: 2021, paidOn: d('2021-06-01') }, // late: brings the member back
      { periodTo: 2018, paidOn: d('2018-05-01') },
    ];
    expect(standingFromLedger(joined, ledger, { lapseAfterYears: 2 })).toEqual({
      paidThrough: 2021,
      lapsesOn: d('2024-01-01'),
      lapses: [{ since: d('2021-01-01'), until: d('2021-06-01') }],
    });
    // Three years' grace: the member never lapsed before paying.
    expect(standingFromLedger(joined, ledger, { lapseAfterYears: 3 })).toEqual({
      paidThrough: 2021,
      lapsesOn: d('2025-01-01'),
      lapses: [],
    });
  });

  it("makes the lapse policy part of the counters' rules version", () => {
    expect(countersVersion({ lapseAfterYears: 2 })).toBe(countersVersion({ lapseAfterYears: 2 }));
    expect(countersVersion({ lapseAfterYears: 3 })).not.toBe(countersVersion({ lapseAfterYears: 2 }));
    expect(Number.isSafeInteger(countersVersion({ lapseAfterYears: 2 }))).toBe(true);
  });
});

describe('checks on loaded records', () => {
  const oid = () => new Types.ObjectId();
  const hq = oid();
  const county = oid();
  const member = { kind: 'ADULT' as const, joinedOn: d('2019-03-01'), withdrawnOn: null as Date | null, orgPath: [hq, county] };

  it('a new member: document, age, contact person only for a group', () => {
    const adult = withCheckDigit('33010619700101123');
    expect(newMemberProblem({ kind: 'ADULT', idNumber: adult, joinedOn: d('2021-01-01') }, DEFAULT_CONFIG)).toBeNull();
    expect(newMemberProblem({ kind: 'ADULT', idNumber: adult, joinedOn: d('2021-01-01'), contactPerson: '王' }, DEFAULT_CONFIG)).toEqual({
      field: 'contactPerson',
      message: 'goes only with a GROUP member',
    });
  });

  it('withdrawal: once, not before joining', () => {
    expect(() => checkWithdrawal(member, d('2020-01-01'))).not.toThrow();
    refusal(() => checkWithdrawal(member, d('2019-01-01')), 'BAD_USER_INPUT', 'on');
    expect(refusal(() => checkWithdrawal({ ...member, withdrawnOn: d('2020-01-01') }, d('2021-01-01')), 'CONFLICT')).toContain(
      '2020-01-01',
    );
  });

  it("dues: received on the member's path, dated, enough, not twice, in ledger order", () => {
    const none = { overlap: null, latest: null };
    const pay = { periodFrom: 2020, periodTo: 2021, paidOn: d('2020-02-01') };
    expect(checkDuesPayment(member, String(county), pay, none, DEFAULT_CONFIG)).toEqual({ periodTo: 2021, amountCents: 2000 });
    refusal(() => checkDuesPayment(member, String(oid()), pay, none, DEFAULT_CONFIG), 'BAD_USER_INPUT', 'input.receivedBy');
    refusal(
      () => checkDuesPayment(member, String(hq), { ...pay, paidOn: d('2019-01-01') }, none, DEFAULT_CONFIG),
      'BAD_USER_INPUT',
      'input.paidOn',
    );
    refusal(
      () => checkDuesPayment(member, String(hq), { ...pay, periodFrom: 2018 }, none, DEFAULT_CONFIG),
      'BAD_USER_INPUT',
      'input.periodFrom',
    );
    expect(
      refusal(() => checkDuesPayment(member, String(hq), { ...pay, amount: 19 }, none, DEFAULT_CONFIG), 'BAD_USER_INPUT', 'input.amount'),
    ).toContain('20.00 yuan');
    const earlier = { _id: oid(), periodFrom: 2019, periodTo: 2020, paidOn: d('2019-03-01') };
    refusal(() => checkDuesPayment(member, String(hq), pay, { overlap: earlier, latest: earlier }, DEFAULT_CONFIG), 'CONFLICT');
    const later = { ...earlier, periodFrom: 2019, periodTo: 2019, paidOn: d('2020-03-01') };
    refusal(
      () => checkDuesPayment(member, String(hq), pay, { overlap: null, latest: later }, DEFAULT_CONFIG),
      'BAD_USER_INPUT',
      'input.paidOn',
    );
    refusal(
      () => checkDuesPayment({ ...member, withdrawnOn: d('2020-01-01') }, String(hq), pay, none, DEFAULT_CONFIG),
      'BAD_USER_INPUT',
      'input.paidOn',
    );
  });

  const team = (over: Partial<ServiceTeamDoc> = {}) =>
    ({
      _id: oid(),
      organizationId: county,
      orgPath: [hq, county],
      foundedOn: d('2018-01-01'),
      dissolvedOn: null,
      ...over,
    }) as ServiceTeamDoc;
  const volunteer = (over: Partial<VolunteerDoc> = {}) =>
    ({
      _id: oid(),
      organizationId: county,
      orgPath: [hq, county],
      registeredOn: d('2018-06-01'),
      endedOn: null,
      teamIds: [],
      stars: 0,
      ...over,
    }) as VolunteerDoc;

  it('at most 24 hours a day, counting what the day already has', () => {
    expect(() => checkDailyHours(16, 8)).not.toThrow();
    expect(refusal(() => checkDailyHours(16, 9), 'BAD_USER_INPUT', 'input.hours')).toContain('16 hours are already recorded');
    expect(refusal(() => checkDailyHours(0, 24.25), 'BAD_USER_INPUT', 'input.hours')).toContain('must be at most 24 hours a day');
  });

  it('service hours: while registered, in a team of the volunteer that existed that day', () => {
    const t = team({ dissolvedOn: d('2020-01-01') });
    const v = volunteer({ teamIds: [t._id] });
    expect(() => checkServiceHours(v, t, d('2019-05-01'), 8, 0)).not.toThrow();
    refusal(() => checkServiceHours(v, null, d('2018-05-01'), 8, 0), 'BAD_USER_INPUT', 'input.date');
    refusal(() => checkServiceHours({ ...v, endedOn: d('2019-01-01') }, null, d('2019-05-01'), 8, 0), 'BAD_USER_INPUT', 'input.date');
    refusal(() => checkServiceHours(v, t, d('2020-01-01'), 8, 0), 'BAD_USER_INPUT', 'input.teamId');
    refusal(() => checkServiceHours(volunteer(), t, d('2019-05-01'), 8, 0), 'BAD_USER_INPUT', 'input.teamId');
    refusal(() => checkServiceHours(v, t, d('2019-05-01'), 8, 20), 'BAD_USER_INPUT', 'input.hours');
  });

  it('teams: joined by current volunteers on one line of branches; dissolved once', () => {
    const other = oid();
    expect(() => checkTeamJoin(volunteer(), team())).not.toThrow();
    refusal(() => checkTeamJoin(volunteer(), team({ organizationId: other, orgPath: [hq, other] })), 'BAD_USER_INPUT', 'teamId');
    refusal(() => checkTeamJoin(volunteer({ endedOn: d('2019-01-01') }), team()), 'BAD_USER_INPUT', 'volunteerId');
    const missing = oid();
    const t = team();
    expect(volunteerTeamProblems(volunteer({ teamIds: [t._id, missing] }), [t]).map((p) => p.field)).toEqual(['input.teamIds.1']);
    refusal(() => checkTeamDissolution(team(), d('2017-01-01')), 'BAD_USER_INPUT', 'on');
    refusal(() => checkTeamDissolution(team({ dissolvedOn: d('2019-01-01') }), d('2020-01-01')), 'CONFLICT');
    refusal(() => checkVolunteerEnd(volunteer(), d('2018-01-01')), 'BAD_USER_INPUT', 'on');
    expect(() => checkTeamLeave(volunteer({ teamIds: [t._id] }), t._id)).not.toThrow();
    refusal(() => checkTeamLeave(volunteer(), t._id), 'BAD_USER_INPUT', 'teamId');
    refusal(() => checkNewVolunteer(volunteer({ birthDate: d('2019-01-01') })), 'BAD_USER_INPUT', 'input.idNumber');
    expect(() => checkNewVolunteer(volunteer({ birthDate: d('1990-01-01') }))).not.toThrow();
  });

  it('star ratings: more stars, none pending, enough hours; decided once, not before the request', () => {
    expect(() => checkStarRequest(volunteer(), 1, null, 100, DEFAULT_CONFIG)).not.toThrow();
    expect(refusal(() => checkStarRequest(volunteer(), 2, null, 299, DEFAULT_CONFIG), 'BAD_USER_INPUT', 'input.stars')).toContain(
      'needs 300',
    );
    refusal(() => checkStarRequest(volunteer({ stars: 2 }), 2, null, 1000, DEFAULT_CONFIG), 'BAD_USER_INPUT', 'input.stars');
    refusal(
      () => checkStarRequest(volunteer(), 1, { _id: oid(), stars: 1, requestedOn: d('2020-01-01') }, 100, DEFAULT_CONFIG),
      'CONFLICT',
    );
    const pending = { status: 'PENDING' as const, decidedOn: null, requestedOn: d('2021-06-01') };
    expect(() => checkDecision(pending, d('2021-06-01'))).not.toThrow();
    refusal(() => checkDecision(pending, d('2021-05-31')), 'BAD_USER_INPUT', 'on');
    refusal(() => checkDecision({ ...pending, status: 'APPROVED', decidedOn: d('2021-07-01') }, d('2021-08-01')), 'CONFLICT');
  });

  it("Member Stars: a past or current year, a member of the branch's subtree active that year", () => {
    const m = { ...member, paidThrough: 2021, lapsesOn: d('2024-01-01'), lapses: [] };
    const now = d('2022-06-01');
    expect(() => checkMemberStar(m, String(hq), 2021, now)).not.toThrow();
    refusal(() => checkMemberStar(m, String(hq), 2023, now), 'BAD_USER_INPUT', 'input.year');
    refusal(() => checkMemberStar(m, String(oid()), 2021, now), 'BAD_USER_INPUT', 'input.organizationId');
    refusal(() => checkMemberStar(m, String(hq), 2018, now), 'BAD_USER_INPUT', 'input.memberId');
  });

  describe('plausibility (issue 16)', () => {
    it('volunteer ages: from 14, under 18 with a guardian consent, never before birth', () => {
      const born = d('2004-06-01');
      expect(volunteerAgeProblem(born, d('2018-05-31'), true)?.field).toBe('idNumber'); // 13
      expect(volunteerAgeProblem(born, d('2018-06-01'), false)?.field).toBe('guardianConsent'); // 14
      expect(volunteerAgeProblem(born, d('2018-06-01'), true)).toBeNull();
      expect(volunteerAgeProblem(born, d('2022-05-31'), false)?.field).toBe('guardianConsent'); // 17
      expect(volunteerAgeProblem(born, d('2022-06-01'), false)).toBeNull(); // 18
      expect(volunteerAgeProblem(born, d('2004-05-31'), true)?.message).toContain('not born');
      expect(volunteerAgeProblem(null, d('2004-05-31'), false)).toBeNull();
      refusal(
        () => checkNewVolunteer({ birthDate: d('2018-12-31'), registeredOn: d('2019-01-01'), nationalRegisteredOn: null }),
        'BAD_USER_INPUT',
        'input.idNumber',
      );
      refusal(
        () => checkNewVolunteer({ birthDate: d('1990-01-01'), registeredOn: d('2019-01-01'), nationalRegisteredOn: d('1995-01-01') }),
        'BAD_USER_INPUT',
        'input.nationalSystemRegisteredOn',
      );
      refusal(
        () => checkNationalRegistration({ birthDate: d('1995-03-01') }, d('1980-01-01'), 'registeredOn'),
        'BAD_USER_INPUT',
        'registeredOn',
      );
      expect(() => checkNationalRegistration({ birthDate: d('1995-03-01') }, d('2015-01-01'), 'registeredOn')).not.toThrow();
    });

    it('branch dates: not before establishment (where known), not from dissolution on', () => {
      const b = { name: '拱墅区红十字会', establishedOn: '2016-05-01', dissolvedOn: '2021-01-01' };
      expect(branchDateProblem(b, d('2016-04-30'))).toContain('established (2016-05-01)');
      expect(branchDateProblem(b, d('2016-05-01'))).toBeNull();
      expect(branchDateProblem(b, d('2021-01-01'))).toContain('dissolved');
      expect(branchDateProblem({ name: 'x' }, d('1900-01-01'))).toBeNull();
      expect(
        newMemberProblem({ kind: 'ADULT', idNumber: withCheckDigit('33010619700101123'), joinedOn: d('2016-04-30') }, DEFAULT_CONFIG, b)
          ?.field,
      ).toBe('joinedOn');
    });

    it('grassroots unit references: exists, in the branch subtree, standing on the date', () => {
      const unit = { organizationId: 'u', establishedOn: d('2015-01-01'), dissolvedOn: d('2020-01-01') };
      const branch = { id: 'b', name: '西湖区红十字会' };
      expect(unitReferenceProblem(null, null, branch, d('2018-01-01'))).toBe('no grassroots unit has this id');
      expect(unitReferenceProblem(unit, ['hq', 'other', 'u'], branch, d('2018-01-01'))).toContain('outside');
      expect(unitReferenceProblem(unit, ['hq', 'b', 'u'], branch, d('2018-01-01'))).toBeNull();
      expect(unitReferenceProblem(unit, ['hq', 'b', 'u'], branch, d('2014-12-31'))).toContain('established');
      expect(unitReferenceProblem(unit, ['hq', 'b', 'u'], branch, d('2020-01-01'))).toContain('dissolved');
    });

    it('NOT_MEMBER as a filter: not joined yet on the date', () => {
      expect(statusFilter('NOT_MEMBER', d('2020-01-01'))).toEqual({ joinedOn: { $gt: d('2020-01-01') } });
    });

    it('streaks of consecutive days', () => {
      const days = ['2020-03-01', '2020-03-02', '2020-03-03', '2020-03-05', '2020-03-06'].map(d);
      expect(streaks(days, 3)).toEqual([[d('2020-03-01'), d('2020-03-03')]]);
      expect(streaks(days, 2)).toEqual([
        [d('2020-03-01'), d('2020-03-03')],
        [d('2020-03-05'), d('2020-03-06')],
      ]);
      expect(streaks([], 1)).toEqual([]);
    });
  });

  describe('issue 19.4-19.6 rules', () => {
    const day = (s: string) => new Date(`${s}T00:00:00Z`);
    it('refuses a series beyond 24 hours a day or 84 in any 7 consecutive days', () => {
      const three = ['2020-06-01', '2020-06-02', '2020-06-03'].map((s) => ({ date: day(s), hours: 24 }));
      expect(() => checkServiceSeries(three, day('2020-06-04'), 24, 84)).toThrow(/at most 84 hours count in any 7 consecutive days/);
      expect(() => checkServiceSeries(three, day('2020-06-04'), 12, 84)).not.toThrow();
      // The window may lie before or after the new day.
      expect(() => checkServiceSeries(three, day('2020-05-31'), 13, 84)).toThrow(/from 2020-05-28 to 2020-06-03/);
      expect(() => checkServiceSeries(three, day('2020-06-07'), 24, 84)).toThrow();
      expect(() => checkServiceSeries(three, day('2020-06-10'), 24, 84)).not.toThrow();
      expect(() => checkServiceSeries(three, day('2020-06-01'), 1, 1000)).toThrow(/24/);
    });
    it('finds the last paid years whose paid-up period ends in the window', () => {
      expect(yearsEndingWithin(day('2021-12-01'), 30)).toEqual([2021]);
      expect(yearsEndingWithin(day('2021-11-30'), 30)).toEqual([]);
      expect(yearsEndingWithin(day('2021-12-31'), 0)).toEqual([2021]);
      expect(yearsEndingWithin(day('2021-01-01'), 366)).toEqual([2021]);
      expect(() => yearsEndingWithin(day('2021-01-01'), -1)).toThrow(/withinDays/);
      expect(() => yearsEndingWithin(day('2021-01-01'), 3661)).toThrow(/withinDays/);
      expect(yearsEndingWithin(day('2021-01-01'), 2021)).toEqual([2021, 2022, 2023, 2024, 2025]);
    });
    it('dates a transfer after joining, the last transfer, the last move and the last payment', () => {
      const m = {
        joinedOn: day('2019-01-01'),
        withdrawnOn: null,
        organizationId: new Types.ObjectId('aaaaaaaaaaaaaaaaaaaaaaaa'),
        orgPathHistory: [{ path: [], until: day('2020-03-01') }],
        transfers: [],
      };
      const to = { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: '乙' };
      expect(() => checkTransfer(m, to, day('2020-03-01'), day('2020-02-01'))).not.toThrow();
      expect(() => checkTransfer(m, to, day('2020-02-28'), null)).toThrow(/last moved/);
      expect(() => checkTransfer(m, to, day('2020-04-01'), day('2020-05-01'))).toThrow(/last dues payment/);
      expect(() => checkTransfer(m, { ...to, id: 'AAAAAAAAAAAAAAAAAAAAAAAA' }, day('2020-04-01'), null)).toThrow(/already/);
      expect(() => checkTransfer({ ...m, withdrawnOn: day('2020-01-01') }, to, day('2020-04-01'), null)).toThrow(/withdrew/);
      expect(() => checkTransfer(m, { ...to, dissolvedOn: '2020-01-01' }, day('2020-04-01'), null)).toThrow(/dissolved/);
    });
  });
});
