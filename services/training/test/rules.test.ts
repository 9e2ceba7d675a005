import { GraphQLError } from 'graphql';
import { Types } from 'mongoose';
import { parseInput } from '@rcsc/service-kit';
import {
  certificateNumber,
  CERTIFICATE_NUMBER,
  checkCertificateIssue,
  checkPeriodFree,
  checkUnavailablePeriod,
  unavailableFor,
  checkClassEdit,
  checkSessionChangeable,
  seatsFreed,
  attendanceRate,
  attendanceTotals,
  checkAssessable,
  checkAttendanceRecordable,
  checkAttendee,
  completionDate,
  isCompleted,
  seatOrWait,
  beijingDay,
  beijingRange,
  cannotTeach,
  checkAudience,
  checkDates,
  checkEnrolledOn,
  checkPoolTier,
  dateProblems,
  checkAssignments,
  checkSessionInClass,
  checkAssignable,
  checkEnrollment,
  checkNewVersion,
  checkNotCancelled,
  checkStatusChange,
  checkUniquePhone,
  checkWithdrawal,
  nextQualifications,
  overlaps,
  sessionHours,
  sessionTotals,
  versionInForce,
  withRating,
  type Assignment,
} from '../src/rules';
import { createInstructorInput, createTrainingClassInput } from '../src/inputs';
import { certificateLines } from '../src/certificate-pdf';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const t = (s: string) => new Date(s);

/** The code and field names of the error `fn` throws. */
function errorOf(fn: () => unknown): { code: unknown; fields: string[]; messages: string[] } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    const err = e as GraphQLError;
    const fields = (err.extensions.fields as { field: string; message: string }[]) ?? [];
    return { code: err.extensions.code, fields: fields.map((f) => f.field), messages: fields.map((f) => f.message) };
  }
  throw new Error('expected an error');
}

const teacher = {
  name: '王伟',
  status: 'ACTIVE' as const,
  topics: ['IHL-01', 'MOV-01'],
  qualifications: [
    { moduleCode: 'IHL-01', title: 'x', issuedOn: d('2019-01-01'), expiresOn: d('2023-12-31') },
    { moduleCode: 'MOV-01', title: 'x', issuedOn: d('2018-01-01'), expiresOn: d('2020-12-31') },
  ],
};

describe('time', () => {
  it('overlaps only when each session starts before the other ends', () => {
    const a = { startsAt: t('2021-10-11T01:00:00Z'), endsAt: t('2021-10-11T04:00:00Z') };
    expect(overlaps(a, { startsAt: t('2021-10-11T03:59:00Z'), endsAt: t('2021-10-11T05:00:00Z') })).toBe(true);
    expect(overlaps(a, { startsAt: t('2021-10-11T04:00:00Z'), endsAt: t('2021-10-11T05:00:00Z') })).toBe(false);
    expect(overlaps(a, { startsAt: t('2021-10-11T00:00:00Z'), endsAt: t('2021-10-11T06:00:00Z') })).toBe(true);
  });

  it('dates sessions by their day in Beijing and counts hours to the half hour', () => {
    expect(beijingDay(t('2021-10-10T16:30:00Z')).toISOString()).toBe('2021-10-11T00:00:00.000Z');
    expect(beijingDay(t('2021-10-10T15:59:00Z')).toISOString()).toBe('2021-10-10T00:00:00.000Z');
    expect(beijingRange(d('2021-10-11'), d('2021-10-11'))).toEqual({ start: t('2021-10-10T16:00:00Z'), end: t('2021-10-11T16:00:00Z') });
    expect(sessionHours(t('2021-10-11T01:00:00Z'), t('2021-10-11T04:20:00Z'))).toBe(3.5);
  });

  it('keeps a session within its class days', () => {
    const cls = { startsOn: d('2021-10-11'), endsOn: d('2021-10-12') };
    expect(() => checkSessionInClass({ startsAt: t('2021-10-12T06:00:00Z'), endsAt: t('2021-10-12T09:00:00Z') }, cls, 'f')).not.toThrow();
    const e = errorOf(() =>
      checkSessionInClass({ startsAt: t('2021-10-12T15:00:00Z'), endsAt: t('2021-10-12T17:00:00Z') }, cls, 'input.sessions.0.startsAt'),
    );
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.sessions.0.startsAt'] });
  });
});

describe('who can teach', () => {
  it('needs the module among the topics', () => {
    expect(cannotTeach(teacher, 'FIN-01', d('2021-10-11'))).toMatch(/not among/);
    expect(cannotTeach(teacher, 'IHL-01', d('2021-10-11'))).toBeNull();
  });
  it('needs a qualification valid that day', () => {
    expect(cannotTeach(teacher, 'MOV-01', d('2020-12-31'))).toBeNull();
    expect(cannotTeach(teacher, 'MOV-01', d('2021-01-01'))).toMatch(/expired on 2020-12-31/);
    expect(cannotTeach(teacher, 'IHL-01', d('2018-06-01'))).toMatch(/only valid from 2019-01-01/);
    expect(cannotTeach({ ...teacher, qualifications: [] }, 'IHL-01', d('2021-01-01'))).toMatch(/no qualification/);
  });
  it('needs an ACTIVE instructor', () => {
    expect(cannotTeach({ ...teacher, status: 'SUSPENDED' }, 'IHL-01', d('2021-10-11'))).toMatch(/SUSPENDED/);
    expect(cannotTeach({ ...teacher, status: 'RETIRED' }, 'IHL-01', d('2021-10-11'))).toMatch(/RETIRED/);
  });
});

describe('checkAssignments', () => {
  const morning = { moduleCode: 'IHL-01', startsAt: t('2021-10-11T01:00:00Z'), endsAt: t('2021-10-11T04:00:00Z') };
  const a = (field: string, session = morning, instructorId = 'a'): Assignment => ({ field, instructorId, instructor: teacher, session });

  it('refuses a session overlapping one already booked, except the same session', () => {
    const booked = [{ id: 's1', instructorIds: ['a'], startsAt: t('2021-10-11T02:00:00Z'), endsAt: t('2021-10-11T05:00:00Z') }];
    const e = errorOf(() => checkAssignments([a('input.sessions.0.instructorIds.0')], booked));
    expect(e.code).toBe('CONFLICT');
    expect(e.fields).toEqual(['input.sessions.0.instructorIds.0']);
    expect(e.messages[0]).toMatch(/already teaches/);
    expect(() => checkAssignments([a('x', { ...morning, id: 's1' } as never)], booked)).not.toThrow();
    expect(() => checkAssignments([a('x', morning, 'b')], booked)).not.toThrow();
  });

  it('refuses overlaps within the same batch, and names every offending field at once', () => {
    const e = errorOf(() =>
      checkAssignments(
        [
          a('s.0'),
          a('s.1', { ...morning, startsAt: t('2021-10-11T03:00:00Z'), endsAt: t('2021-10-11T06:00:00Z') }),
          a('s.2', { ...morning, moduleCode: 'FIN-01' }),
        ],
        [],
      ),
    );
    expect(e).toMatchObject({ code: 'CONFLICT', fields: ['s.1', 's.2'] });
  });
});

describe('capacity and status', () => {
  it('changes status forward only, and never out of RETIRED', () => {
    expect(() => checkStatusChange({ status: 'ACTIVE', statusSince: d('2020-01-01') }, 'SUSPENDED', d('2021-01-01'))).not.toThrow();
    expect(
      errorOf(() => checkStatusChange({ status: 'ACTIVE', statusSince: d('2020-01-01') }, 'SUSPENDED', d('2019-01-01'))).fields,
    ).toEqual(['since']);
    expect(errorOf(() => checkStatusChange({ status: 'RETIRED', statusSince: d('2020-01-01') }, 'ACTIVE', d('2021-01-01'))).code).toBe(
      'CONFLICT',
    );
  });
  it('computes attendance rates', () => {
    expect(attendanceRate(15, 18)).toBe(0.833);
    expect(attendanceRate(20, 18)).toBe(1);
    expect(attendanceRate(0, 0)).toBe(0);
  });
});

describe('syllabus versions', () => {
  it('picks the version in force on a date', () => {
    const v = [
      { version: 1, effectiveFrom: d('2016-01-01'), supersededOn: d('2021-09-01') },
      { version: 2, effectiveFrom: d('2021-09-01'), supersededOn: null },
    ];
    expect(versionInForce(v, d('2021-08-31'))?.version).toBe(1);
    expect(versionInForce(v, d('2021-09-01'))?.version).toBe(2);
    expect(versionInForce(v, d('2010-01-01'))?.version).toBe(1);
  });
});

describe('input schemas', () => {
  it('name every offending field of a class', () => {
    const e = errorOf(() =>
      parseInput(createTrainingClassInput, {
        title: ' ',
        category: 'NEW_LEADERS',
        organizationId: 'nope',
        startsOn: d('2021-10-11'),
        endsOn: d('2021-10-10'),
        place: 'x',
        capacity: 0,
        sessions: [{ moduleCode: 'ihl', startsAt: t('2021-10-11T04:00:00Z'), endsAt: t('2021-10-11T01:00:00Z'), instructorIds: [] }],
      }),
    );
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.fields.sort()).toEqual(
      [
        'input.capacity',
        'input.endsOn',
        'input.organizationId',
        'input.sessions.0.endsAt',
        'input.sessions.0.moduleCode',
        'input.title',
      ].sort(),
    );
  });
  it('tie qualifications to topics and check contact formats', () => {
    const e = errorOf(() =>
      parseInput(createInstructorInput, {
        name: '李娜',
        category: 'EXPERT',
        organizationId: 'a'.repeat(24),
        topics: ['IHL-01', 'IHL-01'],
        qualifications: [{ moduleCode: 'FIN-01', title: 'x', issuedOn: d('2020-01-01'), expiresOn: d('2019-01-01') }],
        phone: '12345',
        email: 'not-an-email',
        joinedOn: d('2020-01-01'),
      }),
    );
    expect(e.fields.sort()).toEqual(
      ['input.email', 'input.phone', 'input.qualifications.0.expiresOn', 'input.qualifications.0.moduleCode', 'input.topics'].sort(),
    );
  });
});

describe('checks on loaded records', () => {
  const cls = { title: '培训班', cancelledOn: null, capacity: 2, enrollmentCount: 1, totalHours: 6, endsOn: d('2021-10-13') };

  it('refuses changes to a cancelled class', () => {
    expect(() => checkNotCancelled(cls, 'id')).not.toThrow();
    expect(errorOf(() => checkNotCancelled({ ...cls, cancelledOn: d('2021-10-01') }, 'id'))).toMatchObject({
      code: 'CONFLICT',
      fields: ['id'],
    });
  });

  it('enrols into a class not cancelled, once per name and branch; a full class puts the cadre on the waiting list', () => {
    expect(() => checkEnrollment(cls, null)).not.toThrow();
    expect(errorOf(() => checkEnrollment({ ...cls, cancelledOn: d('2021-10-01') }, null)).fields).toEqual(['input.classId']);
    expect(seatOrWait(cls)).toBe('SEAT');
    expect(seatOrWait({ ...cls, enrollmentCount: 2 })).toBe('WAIT');
    const twice = errorOf(() => checkEnrollment(cls, { name: '陈杰' }));
    expect(twice).toMatchObject({ code: 'CONFLICT', fields: ['input.name'] });
    expect(twice.messages[0]).toMatch(/陈杰 of this branch is already enrolled/);
    expect(errorOf(() => checkEnrollment(cls, { name: '陈杰', waiting: true })).messages[0]).toMatch(/on the waiting list/);
  });

  it('withdraws once, not after completion, not before the enrolment', () => {
    const e = { withdrawnOn: null, completedOn: null, enrolledOn: d('2021-09-20') };
    expect(() => checkWithdrawal(e, d('2021-10-01'))).not.toThrow();
    expect(errorOf(() => checkWithdrawal({ ...e, withdrawnOn: d('2021-09-25') }, d('2021-10-01'))).code).toBe('CONFLICT');
    expect(errorOf(() => checkWithdrawal({ ...e, completedOn: d('2021-10-13') }, d('2021-10-01'))).messages).toEqual([
      'has completed the class',
    ]);
    // Criteria met for a class not yet over: not completed yet, so still withdrawable.
    expect(() => checkWithdrawal({ ...e, completedOn: d('2021-10-13') }, d('2021-10-01'), d('2021-10-13'))).not.toThrow();
    expect(errorOf(() => checkWithdrawal(e, d('2021-09-01')))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['on'] });
  });

  it('adds an instructor to a session once, never to a cancelled one', () => {
    const a = new Types.ObjectId();
    expect(() => checkAssignable({ cancelledOn: null, instructorIds: [a] }, String(new Types.ObjectId()))).not.toThrow();
    expect(errorOf(() => checkAssignable({ cancelledOn: null, instructorIds: [a] }, String(a).toUpperCase())).fields).toEqual([
      'instructorId',
    ]);
    expect(errorOf(() => checkAssignable({ cancelledOn: d('2021-10-01'), instructorIds: [] }, String(a))).fields).toEqual(['sessionId']);
  });

  it("rates a session's own instructors, replacing their earlier rating", () => {
    const [a, b] = [new Types.ObjectId(), new Types.ObjectId()];
    const session = {
      instructorIds: [a, b],
      ratings: [
        { instructorId: a, score: 3, responses: 5 },
        { instructorId: b, score: 4, responses: 6 },
      ],
    };
    expect(withRating(session, { instructorId: new Types.ObjectId(String(a)), score: 5, responses: 9 })).toEqual([
      { instructorId: b, score: 4, responses: 6 },
      { instructorId: a, score: 5, responses: 9 },
    ]);
    expect(errorOf(() => withRating(session, { instructorId: new Types.ObjectId(), score: 5, responses: 1 })).fields).toEqual([
      'input.instructorId',
    ]);
  });

  it('publishes a new module version only after the latest one', () => {
    expect(() => checkNewVersion(null, d('2016-01-01'))).not.toThrow();
    expect(() => checkNewVersion({ version: 1, effectiveFrom: d('2016-01-01') }, d('2021-09-01'))).not.toThrow();
    expect(errorOf(() => checkNewVersion({ version: 1, effectiveFrom: d('2016-01-01') }, d('2016-01-01'))).fields).toEqual([
      'input.effectiveFrom',
    ]);
  });

  it('refuses a phone already in the pool', () => {
    expect(() => checkUniquePhone(null)).not.toThrow();
    expect(errorOf(() => checkUniquePhone({ _id: new Types.ObjectId() }))).toMatchObject({ code: 'CONFLICT', fields: ['input.phone'] });
  });

  it("keeps qualifications to the instructor's topics when either changes", () => {
    const current = { topics: teacher.topics, qualifications: teacher.qualifications };
    // New topics alone keep the qualifications of the topics that remain.
    expect(nextQualifications(current, { topics: ['IHL-01', 'FIN-01'] })).toEqual({
      topics: ['IHL-01', 'FIN-01'],
      qualifications: [teacher.qualifications[0]],
    });
    const fin = { moduleCode: 'FIN-01', title: 'x', issuedOn: d('2020-01-01'), expiresOn: d('2025-01-01') };
    // New qualifications alone must cover the current topics.
    expect(errorOf(() => nextQualifications(current, { qualifications: [teacher.qualifications[1], fin] })).fields).toEqual([
      'input.qualifications.1.moduleCode',
    ]);
    expect(nextQualifications(current, { qualifications: [teacher.qualifications[1]] }).qualifications).toEqual([
      teacher.qualifications[1],
    ]);
  });

  it("keeps a class's modules, instructors and hours with its sessions", () => {
    const [a, b] = [String(new Types.ObjectId()), String(new Types.ObjectId())];
    const s = (moduleCode: string, from: string, to: string, instructorIds: string[]) => ({
      moduleCode,
      startsAt: t(from),
      endsAt: t(to),
      instructorIds,
    });
    expect(
      sessionTotals([
        s('IHL-01', '2021-10-11T01:00:00Z', '2021-10-11T04:00:00Z', [a]),
        s('FIN-01', '2021-10-11T06:00:00Z', '2021-10-11T08:30:00Z', [b.toUpperCase(), a]),
        s('IHL-01', '2021-10-12T01:00:00Z', '2021-10-12T04:00:00Z', []),
      ]),
    ).toEqual({ moduleCodes: ['IHL-01', 'FIN-01'], instructorIds: [a, b], totalHours: 8.5 });
    expect(sessionTotals([])).toEqual({ moduleCodes: [], instructorIds: [], totalHours: 0 });
  });
});

describe('dates, audiences and pool tiers (issue 16)', () => {
  const now = d('2026-12-02');
  it('refuses facts dated in the future unless planned, and on or after the branch was dissolved', () => {
    expect(dateProblems([{ field: 'a', date: d('2026-12-02') }], now)).toEqual([]);
    expect(dateProblems([{ field: 'a', date: d('2099-01-01') }], now).map((p) => p.field)).toEqual(['a']);
    expect(dateProblems([{ field: 'a', date: d('2027-03-01'), future: true }], now)).toEqual([]);
    const gone = { name: '某县红十字会', dissolvedOn: '2021-06-30' };
    expect(dateProblems([{ field: 'a', date: d('2021-06-29'), branch: gone }], now)).toEqual([]);
    expect(dateProblems([{ field: 'a', date: d('2021-06-30'), branch: gone }], now)[0].message).toMatch(/dissolved \(2021-06-30\)/);
    expect(dateProblems([{ field: 'a', date: d('2027-03-01'), branch: gone, future: true }], now)).toHaveLength(1);
    const young = { name: '某新县红十字会', establishedOn: '2020-01-01' };
    expect(dateProblems([{ field: 'a', date: d('2019-12-31'), branch: young }], now)[0].message).toMatch(/established \(2020-01-01\)/);
    expect(dateProblems([{ field: 'a', date: d('2020-01-01'), branch: young }], now)).toEqual([]);
    expect(
      errorOf(() =>
        checkDates(
          [
            { field: 'x', date: d('2099-01-01') },
            { field: 'y', date: d('2099-01-02') },
          ],
          now,
        ),
      ),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['x', 'y'],
    });
  });

  it('holds pools at the national, provincial and prefecture tiers only', () => {
    for (const level of ['NATIONAL', 'PROVINCIAL', 'PREFECTURE']) expect(() => checkPoolTier(level)).not.toThrow();
    expect(errorOf(() => checkPoolTier('COUNTY'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.organizationId'] });
  });

  it("takes cadres of the class's audience level only, enrolled by its last day", () => {
    expect(() => checkAudience({ title: '班', audienceLevel: null }, 'COUNTY')).not.toThrow();
    expect(() => checkAudience({ title: '班', audienceLevel: 'PROVINCIAL' }, 'PROVINCIAL')).not.toThrow();
    expect(errorOf(() => checkAudience({ title: '班', audienceLevel: 'PROVINCIAL' }, 'COUNTY'))).toMatchObject({
      code: 'CONFLICT',
      fields: ['input.organizationId'],
    });
    expect(() => checkEnrolledOn({ endsOn: d('2021-10-13') }, d('2021-10-13'))).not.toThrow();
    expect(errorOf(() => checkEnrolledOn({ endsOn: d('2021-10-13') }, d('2021-10-14'))).fields).toEqual(['input.enrolledOn']);
  });
});

describe('per-session attendance and completion (issue 20)', () => {
  const ids = [1, 2, 3, 4, 5].map(() => new Types.ObjectId());
  const sessions = ids.map((_id, i) => ({ _id, hours: 3, cancelledOn: i === 4 ? d('2021-10-01') : null }));
  const criteria = { minAttendanceRate: 0.8, requiresAssessment: false, endsOn: d('2021-10-13') };
  const seated = { withdrawnOn: null, waiting: false, assessmentPassed: null };
  const rec = (statuses: string[]) => statuses.map((status, i) => ({ sessionId: ids[i], status }));

  it('derives sessions and hours attended from the records, over sessions not cancelled', () => {
    expect(attendanceTotals(rec(['PRESENT', 'LATE', 'ABSENT', 'EXCUSED', 'PRESENT']), sessions)).toEqual({
      sessions: 4,
      attendedSessions: 2,
      attendedHours: 6,
    });
    expect(attendanceTotals([{ sessionId: new Types.ObjectId(), status: 'PRESENT' }], sessions).attendedSessions).toBe(0);
  });

  it('completes at the threshold, dated on the last day, counted once that day has passed', () => {
    const four = attendanceTotals(rec(['PRESENT', 'LATE', 'PRESENT', 'PRESENT']), sessions);
    expect(completionDate(seated, four, criteria)).toEqual(d('2021-10-13'));
    const three = attendanceTotals(rec(['PRESENT', 'LATE', 'PRESENT', 'ABSENT']), sessions);
    expect(completionDate(seated, three, criteria)).toBeNull();
    expect(completionDate(seated, three, { ...criteria, minAttendanceRate: 0.75 })).toEqual(d('2021-10-13'));
    expect(completionDate({ ...seated, withdrawnOn: d('2021-10-12') }, four, criteria)).toBeNull();
    expect(completionDate({ ...seated, waiting: true }, four, criteria)).toBeNull();
    expect(completionDate(seated, { sessions: 0, attendedSessions: 0 }, criteria)).toBeNull();
    expect(completionDate(seated, four, { ...criteria, cancelled: true })).toBeNull();
    expect(completionDate(seated, four, { ...criteria, requiresAssessment: true })).toBeNull();
    expect(completionDate({ ...seated, assessmentPassed: true }, four, { ...criteria, requiresAssessment: true })).toEqual(d('2021-10-13'));
    expect(isCompleted(d('2021-10-13'), d('2021-10-13'))).toBe(false);
    expect(isCompleted(d('2021-10-13'), d('2021-10-14'))).toBe(true);
    expect(isCompleted(null, d('2021-10-14'))).toBe(false);
  });

  it('takes the roll of sessions that have taken place, for seated trainees of the class', () => {
    const s = { endsAt: t('2021-10-11T04:00:00Z'), cancelledOn: null };
    expect(() => checkAttendanceRecordable(s, 'f', t('2021-10-11T04:00:00Z'))).not.toThrow();
    expect(errorOf(() => checkAttendanceRecordable(s, 'f', t('2021-10-11T03:59:00Z')))).toMatchObject({ code: 'CONFLICT', fields: ['f'] });
    expect(errorOf(() => checkAttendanceRecordable({ ...s, cancelledOn: d('2021-10-01') }, 'f', t('2022-01-01T00:00:00Z'))).code).toBe(
      'CONFLICT',
    );
    const classId = new Types.ObjectId();
    expect(() => checkAttendee({ classId, withdrawnOn: null }, classId, 'e')).not.toThrow();
    expect(errorOf(() => checkAttendee({ classId: new Types.ObjectId(), withdrawnOn: null }, classId, 'e')).code).toBe('BAD_USER_INPUT');
    expect(errorOf(() => checkAttendee({ classId, withdrawnOn: d('2021-10-01') }, classId, 'e')).code).toBe('CONFLICT');
    expect(errorOf(() => checkAttendee({ classId, withdrawnOn: null, waiting: true }, classId, 'e')).code).toBe('CONFLICT');
    const cls = { title: '班', cancelledOn: null, startsOn: d('2021-10-11') };
    expect(() => checkAssessable(cls, 'e', d('2021-10-11'))).not.toThrow();
    expect(errorOf(() => checkAssessable(cls, 'e', d('2021-10-10'))).code).toBe('CONFLICT');
  });
});

describe('editing a class and one session (issue 20)', () => {
  const s = { startsAt: t('2021-10-11T01:00:00Z'), endsAt: t('2021-10-11T04:00:00Z'), cancelledOn: null };
  it('keeps the sessions within the new days and the seated trainees within the seats', () => {
    const next = { startsOn: d('2021-10-11'), endsOn: d('2021-10-13'), capacity: 2 };
    expect(() => checkClassEdit(next, 2, [s])).not.toThrow();
    expect(errorOf(() => checkClassEdit({ ...next, startsOn: d('2021-10-12') }, 0, [s])).fields).toEqual(['input.startsOn']);
    expect(() => checkClassEdit({ ...next, startsOn: d('2021-10-12') }, 0, [{ ...s, cancelledOn: d('2021-10-01') }])).not.toThrow();
    expect(errorOf(() => checkClassEdit({ ...next, endsOn: d('2021-10-10') }, 0, [])).fields).toEqual(['input.endsOn']);
    expect(errorOf(() => checkClassEdit(next, 3, [s]))).toMatchObject({ code: 'CONFLICT', fields: ['input.capacity'] });
    expect([seatsFreed(5, 2, 10), seatsFreed(5, 2, 1), seatsFreed(2, 2, 4)]).toEqual([3, 1, 0]);
  });
  it('changes a session only while it is not cancelled and has no attendance', () => {
    expect(() => checkSessionChangeable({ cancelledOn: null }, false)).not.toThrow();
    expect(errorOf(() => checkSessionChangeable({ cancelledOn: null }, true))).toMatchObject({ code: 'CONFLICT', fields: ['sessionId'] });
    expect(errorOf(() => checkSessionChangeable({ cancelledOn: d('2021-10-01') }, false)).code).toBe('CONFLICT');
  });
});

describe('declared unavailability (issue 20)', () => {
  const away = { ...teacher, unavailable: [{ from: d('2021-10-01'), to: d('2021-10-07'), reason: '出国访问', removedOn: null }] };
  const at = (iso: string) => ({ startsAt: t(iso), endsAt: new Date(t(iso).getTime() + 3 * 3_600_000) });
  it('refuses sessions whose Beijing day falls in a period not removed, naming it', () => {
    expect(unavailableFor(away, at('2021-10-07T01:00:00Z'))).toBe('王伟 is unavailable from 2021-10-01 to 2021-10-07 (出国访问)');
    // 2021-09-30T17:00Z is 1 October 01:00 in Beijing.
    expect(unavailableFor(away, at('2021-09-30T17:00:00Z'))).toMatch(/unavailable/);
    expect(unavailableFor(away, at('2021-10-08T01:00:00Z'))).toBeNull();
    expect(
      unavailableFor({ ...away, unavailable: [{ ...away.unavailable[0], removedOn: d('2021-09-01') }] }, at('2021-10-03T01:00:00Z')),
    ).toBeNull();
    const a: Assignment = {
      field: 'f',
      instructorId: 'x',
      instructor: away,
      session: { ...at('2021-10-03T01:00:00Z'), moduleCode: 'IHL-01' },
    };
    expect(errorOf(() => checkAssignments([a], []))).toMatchObject({ code: 'CONFLICT', fields: ['f'] });
  });
  it('declares periods of at most a year, free of booked sessions', () => {
    expect(() => checkUnavailablePeriod(d('2021-01-01'), d('2021-12-31'))).not.toThrow();
    expect(errorOf(() => checkUnavailablePeriod(d('2021-01-01'), d('2022-01-02'))).fields).toEqual(['input.to']);
    expect(errorOf(() => checkUnavailablePeriod(d('2021-01-02'), d('2021-01-01'))).code).toBe('BAD_USER_INPUT');
    expect(() => checkPeriodFree('王伟', [])).not.toThrow();
    expect(errorOf(() => checkPeriodFree('王伟', [at('2021-10-03T01:00:00Z')]))).toMatchObject({
      code: 'CONFLICT',
      fields: ['input.from'],
    });
  });
});

describe('certificates (issue 20)', () => {
  it('numbers certificates by year, host code and sequence', () => {
    expect(certificateNumber(2021, '330000', 42)).toBe('RC-2021-330000-000042');
    expect(certificateNumber(2021, null, 1)).toBe('RC-2021-000000-000001');
    expect(certificateNumber(2021, '330000', 1234567)).toBe('RC-2021-330000-1234567');
    expect(CERTIFICATE_NUMBER.test(certificateNumber(2021, '330000', 42))).toBe(true);
    expect(CERTIFICATE_NUMBER.test('RC-21-330000-42')).toBe(false);
  });
  it('issues once the class has ended, dated from its last day and not ahead', () => {
    const cls = { title: '班', endsOn: d('2021-10-13'), cancelledOn: null };
    expect(() => checkCertificateIssue(cls, d('2021-10-14'), d('2021-10-20'))).not.toThrow();
    expect(errorOf(() => checkCertificateIssue(cls, d('2021-10-13'), d('2021-10-13'))).code).toBe('CONFLICT');
    expect(errorOf(() => checkCertificateIssue(cls, d('2021-10-12'), d('2021-10-20'))).fields).toEqual(['on']);
    expect(errorOf(() => checkCertificateIssue(cls, d('2021-10-21'), d('2021-10-20'))).fields).toEqual(['on']);
  });
});

describe('the printed certificate', () => {
  it('prints the name, the class, the dates and the number', () => {
    const lines = certificateLines({
      number: 'RC-2021-330000-000042',
      name: '王伟',
      classTitle: '浙江省红十字会2021年探索人道法师资培训班',
      hostName: '浙江省红十字会',
      completedOn: d('2021-10-13'),
      issuedOn: d('2021-10-20'),
      attendedHours: 15,
    });
    expect(lines.title).toBe('结业证书');
    expect(lines.body.join('')).toBe(
      '王伟同志：于2021年10月13日完成浙江省红十字会2021年探索人道法师资培训班的学习（出勤15学时），准予结业。',
    );
    expect(lines.footer).toEqual(['浙江省红十字会', '发证日期：2021年10月20日', '证书编号：RC-2021-330000-000042']);
  });
});
