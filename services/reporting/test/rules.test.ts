import { GraphQLError } from 'graphql';
import { parseInput } from '@rcsc/service-kit';
import {
  annualPeriod,
  checkAllocation,
  checkBaseYear,
  checkChildrenDone,
  checkQualityRange,
  checkDueDate,
  checkExcusable,
  checkHasBranchAbove,
  checkNotLocked,
  checkRecipient,
  checkRecipientsBelow,
  checkReviewable,
  checkSharesBelow,
  checkSubmittable,
  checkUnapprovable,
  defaultDueDate,
  laggingChildren,
  lockingApproval,
  periodFromKey,
  periodOf,
  ratio,
  reminderText,
  sendNoticeInput,
  setTaskStatusInput,
  sharpFalls,
  taskDates,
  statusOf,
  timeliness,
} from '../src/rules';
import { ANNUAL_ROWS, differences, SURVEY_ROWS, valuesOf } from '../src/tables';
import { baseNote, beijingTime, buildCsv } from '../src/export';
import { WORK_PLAN_2021 } from '../src/work-plan';
import { MEASURES } from '../src/measures';

const d = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
const NOW = d('2021-12-10T08:00:00Z');

function failure(fn: () => unknown): { code: string; fields: string[]; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    const err = e as GraphQLError;
    return {
      code: String(err.extensions.code),
      fields: ((err.extensions.fields as { field: string }[]) ?? []).map((f) => f.field),
      message: err.message,
    };
  }
  throw new Error('expected an error');
}

describe('the two tables', () => {
  it('have the 14 rows of the annexes, in order, with the annex 2 renames of rows 2 and 3', () => {
    expect(SURVEY_ROWS.map((r) => r.number)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(ANNUAL_ROWS[1]).toMatchObject({ field: 'prefecturesCompletedTermChange', label: '市级红十字会完成换届增加数' });
    expect(SURVEY_ROWS[2]).toMatchObject({ field: 'countiesDueForTermChange', label: '县级红十字会应换届个数' });
    expect(SURVEY_ROWS[13]).toMatchObject({ field: 'serviceHours', unit: '小时' });
    expect(SURVEY_ROWS.map((r) => r.field).slice(3)).toEqual(ANNUAL_ROWS.map((r) => r.field).slice(3));
  });

  it('compare frozen and live values row by row, ignoring rows not answered now', () => {
    expect(
      differences('SURVEY', { grassrootsUnits: 5, adultMembers: 7 }, { grassrootsUnits: 6, adultMembers: 7, youthMembers: null }),
    ).toEqual([{ number: 8, field: 'grassrootsUnits', label: '红十字会基层组织数', frozen: 5, live: 6 }]);
    expect(differences('ANNUAL', { serviceHours: null }, { serviceHours: 3 })).toEqual([
      { number: 14, field: 'serviceHours', label: '红十字会志愿服务总时长增加数', frozen: null, live: 3 },
    ]);
    expect(valuesOf('SURVEY', { countiesRationalized: 4 })[0].value).toBe(4);
    expect(valuesOf('SURVEY', null)[1].value).toBeNull();
  });
});

describe('periods', () => {
  it('are a survey date or a year, each alone, not in the future', () => {
    expect(periodOf({ table: 'SURVEY', asOf: d('2021-06-30') }, NOW)).toEqual({
      table: 'SURVEY',
      asOf: d('2021-06-30'),
      year: 2021,
      key: 'SURVEY:2021-06-30',
    });
    expect(periodOf({ table: 'ANNUAL', year: 2021 }, NOW).key).toBe('ANNUAL:2021');
    expect(failure(() => periodOf({ table: 'SURVEY' }, NOW)).fields).toEqual(['input.period.asOf']);
    expect(failure(() => periodOf({ table: 'SURVEY', asOf: d('2021-12-11') }, NOW)).fields).toEqual(['input.period.asOf']);
    expect(failure(() => periodOf({ table: 'ANNUAL', year: 2022 }, NOW, 'period')).fields).toEqual(['period.year']);
    expect(failure(() => periodOf({ table: 'ANNUAL', year: 2021, asOf: d('2021-01-01') }, NOW)).fields).toEqual(['input.period.asOf']);
    expect(periodFromKey('SURVEY:2021-06-30')).toEqual(periodOf({ table: 'SURVEY', asOf: d('2021-06-30') }, NOW));
    expect(periodFromKey('ANNUAL:2020')).toEqual({ table: 'ANNUAL', asOf: null, year: 2020, key: 'ANNUAL:2020' });
  });

  it('are due by 31 December of their year by default', () => {
    expect(defaultDueDate({ year: 2021 })).toEqual(d('2021-12-31'));
  });

  it('tell on time from late by the end of the due date, and pending from overdue', () => {
    const due = d('2021-12-31');
    expect(timeliness('SUBMITTED', d('2021-12-31T23:59:59Z'), due, NOW)).toBe('ON_TIME');
    expect(timeliness('APPROVED', d('2022-01-01T00:00:00Z'), due, NOW)).toBe('LATE');
    expect(timeliness('NOT_SUBMITTED', null, due, NOW)).toBe('PENDING');
    expect(timeliness('RETURNED', d('2021-12-01'), due, d('2022-01-02'))).toBe('OVERDUE');
    expect(timeliness('EXCUSED', null, due, NOW)).toBeNull();
  });
});

describe('submission rules', () => {
  it('lock approved tables and review only submitted ones', () => {
    expect(() => checkSubmittable(null, 'x')).not.toThrow();
    expect(() => checkSubmittable({ status: 'RETURNED' }, 'x')).not.toThrow();
    expect(failure(() => checkSubmittable({ status: 'APPROVED' }, 'x')).code).toBe('CONFLICT');
    expect(failure(() => checkReviewable({ status: 'RETURNED' }, 'approve')).code).toBe('CONFLICT');
    expect(failure(() => checkExcusable({ status: 'SUBMITTED' }, 'x')).code).toBe('CONFLICT');
    expect(() => checkExcusable({ status: 'RETURNED' }, 'x')).not.toThrow();
    expect(() => checkExcusable(null, 'x')).not.toThrow();
    expect(failure(() => checkExcusable({ status: 'APPROVED' }, 'x')).code).toBe('CONFLICT');
    expect(failure(() => checkHasBranchAbove({ parentId: null })).fields).toEqual(['input.organizationId']);
    expect(() => checkHasBranchAbove({ parentId: 'p' })).not.toThrow();
    expect(statusOf(null)).toBe('NOT_SUBMITTED');
    expect(statusOf({ status: 'RETURNED' })).toBe('RETURNED');
  });

  it('set a due date not before the period itself', () => {
    const survey = periodOf({ table: 'SURVEY', asOf: d('2021-06-30') }, NOW);
    expect(failure(() => checkDueDate(survey, d('2021-06-29'))).fields).toEqual(['input.dueDate']);
    expect(failure(() => checkDueDate(survey, d('2021-06-29'))).message).toContain('2021-06-30');
    expect(() => checkDueDate(survey, d('2021-06-30'))).not.toThrow();
    expect(failure(() => checkDueDate(annualPeriod(2021), d('2020-12-31'))).fields).toEqual(['input.dueDate']);
    expect(() => checkDueDate(annualPeriod(2021), d('2021-01-01'))).not.toThrow();
    expect(periodFromKey('ANNUAL:2021')).toEqual(annualPeriod(2021));
  });

  it('let a branch submit only when every child is approved or excused, naming the others', () => {
    const kids = Array.from({ length: 8 }, (_, i) => ({ id: String(i), name: `县${i}` }));
    expect(() => checkChildrenDone('市', kids, new Set(kids.map((k) => k.id)))).not.toThrow();
    const f = failure(() => checkChildrenDone('市', kids, new Set(['0'])));
    expect(f.code).toBe('CONFLICT');
    expect(f.message).toBe(
      '市 cannot submit yet: 7 of 8 branches below it are not approved or excused (县1, 县2, 县3, 县4, 县5 and 2 more)',
    );
  });
});

describe('target allocation', () => {
  const current = new Map([
    ['a', { value: 40, allocated: 30 }],
    ['b', { value: 20, allocated: 0 }],
  ]);
  it('keeps the shares within the target, counting the unchanged ones', () => {
    expect(checkAllocation(100, current, [{ organizationId: 'c', value: 40 }])).toBe(100);
    expect(failure(() => checkAllocation(100, current, [{ organizationId: 'c', value: 41 }])).fields).toEqual(['input.allocations']);
    expect(checkAllocation(100, current, [{ organizationId: 'b', value: 0 }])).toBe(40);
  });
  it('refuses to cut a share below what its holder allocated further down', () => {
    expect(failure(() => checkAllocation(100, current, [{ organizationId: 'a', value: 29 }])).fields).toEqual([
      'input.allocations.0.value',
    ]);
  });
  it('gives shares only to the branches directly below the holder, naming the others', () => {
    const holder = { id: 'h', name: '省' };
    expect(() => checkSharesBelow(holder, [{ parentId: 'h' }, { parentId: 'h' }])).not.toThrow();
    const f = failure(() => checkSharesBelow(holder, [{ parentId: 'h' }, { parentId: 'x' }]));
    expect([f.code, f.fields]).toEqual(['BAD_USER_INPUT', ['input.allocations.1.organizationId']]);
    expect(f.message).toContain('directly below 省');
  });
  it('computes progress as a ratio, null without both numbers', () => {
    expect(ratio(50, 200)).toBe(0.25);
    expect(ratio(null, 200)).toBeNull();
    expect(ratio(10, 0)).toBeNull();
    expect(MEASURES.find((m) => m.measure === 'MEMBERS')!.fields).toEqual(['adultMembers', 'youthMembers']);
  });
});

describe('notices', () => {
  const sender = { id: 's', name: '市' };
  it('go only to branches strictly below the sender, and are confirmed only by recipients', () => {
    expect(() => checkRecipientsBelow(sender, [{ name: '县', ancestorIds: ['root', 's'] }])).not.toThrow();
    const f = failure(() =>
      checkRecipientsBelow(sender, [
        { name: '县', ancestorIds: ['root', 's'] },
        { name: '邻市', ancestorIds: ['root'] },
      ]),
    );
    expect([f.code, f.message]).toEqual(['FORBIDDEN', 'A notice from 市 can go only to branches below it; 邻市 is not']);
    expect(failure(() => checkRecipientsBelow(sender, [{ name: '市', ancestorIds: ['root'] }])).code).toBe('FORBIDDEN');
    expect(() => checkRecipient({ recipientIds: ['a', 'b'] }, 'b')).not.toThrow();
    expect(failure(() => checkRecipient({ recipientIds: ['a'] }, 'b')).fields).toEqual(['organizationId']);
  });
  it('remind the children that have not submitted or were returned, by name', () => {
    const kids = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, name: `县${id}` }));
    const subs = [
      { organizationId: 'a', status: 'APPROVED' as const },
      { organizationId: 'b', status: 'RETURNED' as const },
      { organizationId: 'c', status: 'SUBMITTED' as const },
      { organizationId: 'd', status: 'EXCUSED' as const },
    ];
    const lagging = laggingChildren(kids, subs);
    expect(lagging.map((k) => k.id)).toEqual(['b', 'e']);
    const text = reminderText(annualPeriod(2021), '年表', d('2022-01-31'), lagging);
    expect(text).toEqual({ title: '关于报送《年表》的提示函', body: '请以下单位于 2022-01-31 前报送《年表》（2021年度）：县b、县e。' });
    const survey = periodOf({ table: 'SURVEY', asOf: d('2021-06-30') }, NOW);
    expect(reminderText(survey, '调查表', d('2021-07-31'), lagging).body).toContain('（统计时点 2021-06-30）');
  });
});

describe('the work plan', () => {
  it('has the 20 tasks of the seed under four headings', () => {
    expect(WORK_PLAN_2021).toHaveLength(20);
    expect(WORK_PLAN_2021.map((t) => t.section)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4]);
    expect(WORK_PLAN_2021[3]).toMatchObject({ months: '10月', fromMonth: 10, toMonth: 10 });
    expect(WORK_PLAN_2021[16].text).toContain('县级红十字会负责一至三星级志愿者评定');
    expect(WORK_PLAN_2021[15].text).toContain('不少于3支');
  });

  it('dates statuses: started by default today, done not before started, nothing in the future', () => {
    expect(taskDates('IN_PROGRESS', null, null, NOW)).toEqual({ startedOn: d('2021-12-10'), completedOn: null });
    expect(taskDates('DONE', d('2021-05-01'), null, NOW)).toEqual({ startedOn: d('2021-05-01'), completedOn: d('2021-12-10') });
    expect(failure(() => taskDates('DONE', d('2021-06-01'), d('2021-05-01'), NOW)).fields).toEqual(['input.completedOn']);
    expect(failure(() => taskDates('IN_PROGRESS', d('2022-01-01'), null, NOW)).fields).toEqual(['input.startedOn']);
    expect(failure(() => taskDates('NOT_STARTED', d('2021-06-01'), null, NOW)).fields).toEqual(['input.startedOn']);
    expect(failure(() => taskDates('IN_PROGRESS', null, d('2021-06-01'), NOW)).fields).toEqual(['input.completedOn']);
  });

  it('validates inputs naming every field', () => {
    expect(failure(() => parseInput(setTaskStatusInput, { organizationId: 'x', taskNumber: 0, state: 'DONE' })).fields.sort()).toEqual([
      'input.organizationId',
      'input.taskNumber',
    ]);
    const notice = failure(() =>
      parseInput(sendNoticeInput, {
        senderId: 'a'.repeat(24),
        kind: 'LETTER',
        title: 'x\u0007',
        body: 'ok',
        recipientIds: ['b'.repeat(24), 'b'.repeat(24)],
      }),
    );
    expect(notice.fields.sort()).toEqual(['input.kind', 'input.recipientIds', 'input.title']);
  });
});

describe('CSV export', () => {
  it('quotes cells that need it and leaves unanswered rows empty', () => {
    const file = buildCsv(
      {
        branchName: '某, "测试" 红十字会',
        period: { table: 'ANNUAL', asOf: null, year: 2022, key: 'ANNUAL:2022' },
        source: 'LIVE',
        generatedAt: NOW,
      },
      { countiesRationalized: 3 },
    );
    const lines = Buffer.from(file.base64, 'base64').toString('utf8').slice(1).split('\r\n');
    expect(lines[2]).toBe('填报单位,"某, ""测试"" 红十字会"');
    expect(lines[3]).toBe('统计年度,2022年');
    expect(lines[6]).toBe('1,县级红十字会理顺管理体制增加数,3');
    expect(lines[7]).toBe('2,市级红十字会完成换届增加数,');
    expect(lines[20]).toBe('说明：表中“增加数”是指与上年相比的增加数。');
    expect(file.filename).toBe('附件2_组织体系建设年工作成效统计表_某,_测试_红十字会_2022.csv');
  });
});

describe('approval lock (issue 16)', () => {
  const approval = (org: string, status: 'APPROVED' | 'SUBMITTED', name = org) => ({
    organizationId: org,
    branchName: name,
    periodKey: 'SURVEY:2021-06-30',
    status,
    reviewedAt: new Date('2021-07-02T03:00:00Z'),
    reviewedBy: { userId: 'u1', name: '王审核' },
  });

  it('finds the nearest approved table above a branch, or none', () => {
    const path = ['hq', 'prov', 'pref'];
    expect(lockingApproval(path, [approval('prov', 'SUBMITTED'), approval('pref', 'SUBMITTED')])).toBeNull();
    expect(lockingApproval(path, [approval('hq', 'APPROVED'), approval('prov', 'APPROVED')])?.organizationId).toBe('prov');
    expect(lockingApproval(path, [approval('hq', 'APPROVED'), approval('pref', 'SUBMITTED')])?.organizationId).toBe('hq');
    expect(lockingApproval([], [approval('hq', 'APPROVED')])).toBeNull();
  });

  it('refuses a change under an approval with CONFLICT naming it, who and when', () => {
    expect(() => checkNotLocked('X', null)).not.toThrow();
    let err: GraphQLError | undefined;
    try {
      checkNotLocked('The SURVEY table of 某县 for SURVEY:2021-06-30', approval('pref', 'APPROVED', '某市红十字会'));
    } catch (e) {
      err = e as GraphQLError;
    }
    expect(err?.extensions.code).toBe('CONFLICT');
    expect(err?.message).toContain('the table of 某市红十字会 for SURVEY:2021-06-30 above it was approved on 2021-07-02 by 王审核');
    expect(err?.message).toContain('unapproveSubmission');
    expect(() => checkUnapprovable({ status: 'APPROVED' })).not.toThrow();
    expect(() => checkUnapprovable({ status: 'SUBMITTED' })).toThrow(/Only an APPROVED table/);
  });
});

describe('exports: Beijing time and the base year (issues 18, 16)', () => {
  it('writes times as Beijing time (UTC+8), labelled, across midnight UTC', () => {
    expect(beijingTime(new Date('2021-12-10T08:00:00Z'))).toBe('2021-12-10 16:00:00（北京时间 UTC+8）');
    expect(beijingTime(new Date('2021-12-31T20:30:05Z'))).toBe('2022-01-01 04:30:05（北京时间 UTC+8）');
  });

  it('names the base year in the note when given one, else the year before', () => {
    expect(baseNote(2019)).toBe('说明：表中“增加数”是指与2019年相比的增加数。');
    expect(baseNote(null)).toBe('说明：表中“增加数”是指与上年相比的增加数。');
  });

  it('takes a base year only for annex 2, before the period, and for SUBMITTED only the year before', () => {
    const y2021 = annualPeriod(2021);
    expect(checkBaseYear(y2021, null, 'LIVE')).toBeNull();
    expect(checkBaseYear(y2021, 2019, 'LIVE')).toBe(2019);
    expect(checkBaseYear(y2021, 2020, 'SUBMITTED')).toBe(2020);
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as GraphQLError).extensions.code, ((e as GraphQLError).extensions.fields as { field: string }[])[0].field];
      }
      return null;
    };
    expect(bad(() => checkBaseYear(y2021, 2021, 'LIVE'))).toEqual(['BAD_USER_INPUT', 'baseYear']);
    expect(bad(() => checkBaseYear(y2021, 1999, 'LIVE'))).toEqual(['BAD_USER_INPUT', 'baseYear']);
    expect(bad(() => checkBaseYear(y2021, 2019, 'SUBMITTED'))).toEqual(['BAD_USER_INPUT', 'baseYear']);
    expect(bad(() => checkBaseYear(periodFromKey('SURVEY:2021-06-30'), 2020, 'LIVE'))).toEqual(['BAD_USER_INPUT', 'baseYear']);
  });
});

describe('data quality rules (issue 16 item 5)', () => {
  it('calls a fall sharp only above both 20 % and 10, on annex 1 rows answered both times', () => {
    const falls = sharpFalls(
      { adultMembers: 100, youthMembers: 40, groupMembers: 12, serviceHours: 1000, grassrootsUnits: null },
      { adultMembers: 79, youthMembers: 20, groupMembers: 1, serviceHours: 850, grassrootsUnits: 0 },
    );
    // adult −21 (21 %): sharp; youth −20 (50 %): sharp; group −11 (92 %): sharp; hours −150 (15 %): not; units unanswered before.
    expect(falls.map((f) => [f.number, f.from, f.to])).toEqual([
      [9, 12, 1],
      [10, 100, 79],
      [11, 40, 20],
    ]);
    expect(sharpFalls({ adultMembers: 100 }, { adultMembers: 80 })).toEqual([]);
    expect(sharpFalls({ adultMembers: 30 }, { adultMembers: 20 })).toEqual([]);
  });

  it('takes a range from ≤ to of at most five years', () => {
    const d = (s: string) => new Date(`${s}T00:00:00Z`);
    expect(() => checkQualityRange(d('2021-01-01'), d('2021-01-01'))).not.toThrow();
    expect(() => checkQualityRange(d('2021-02-01'), d('2021-01-01'))).toThrow(/must not be before from/);
    expect(() => checkQualityRange(d('2015-01-01'), d('2021-01-01'))).toThrow(/at most 1830 days/);
  });
});
