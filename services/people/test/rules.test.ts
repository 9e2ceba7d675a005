import { withCheckDigit } from '@rcsc/personal-data';
import { DEFAULT_CONFIG, loadConfig } from '../src/config';
import {
  applyDuesPayment,
  checkApprover,
  isValidCreditCode,
  lapseDate,
  memberIdentityProblem,
  memberStatusOn,
  personFromIdNumber,
  requiredApprover,
  starsForHours,
  withCreditCheck,
  type PathBranch,
} from '../src/rules';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

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
    try {
      checkApprover([hq, zj, hz, xh], 1, hz);
    } catch (e) {
      expect((e as { extensions: { code: string } }).extensions.code).toBe('FORBIDDEN');
    }
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
