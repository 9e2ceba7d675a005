import { buildBranchTree, DEFAULT_SEED, type Branch } from '@rcsc/dataset';
import { PersonalDataVault } from '@rcsc/personal-data';
import { DEFAULT_CONFIG } from '../src/config';
import type { DuesPaymentDoc, MemberDoc } from '../src/models';
import { endOfYear, memberStatusOn, standingFromLedger, today } from '../src/rules';
import { generateMembers, HISTORY_END_YEAR } from '../src/seed';

const tree = buildBranchTree();
const byId = new Map(tree.map((b) => [b.id, b]));
const vault = new PersonalDataVault(Buffer.alloc(32, 5));
const d = (s: string) => new Date(`${s}T00:00:00Z`);

/** A few branches of every level, enough members for proportions to mean something. */
const branches = ['330000', '330100', '330106', '110101', '530000'].map((c) => tree.find((b) => b.divisionCode === c)!);
const provincialOf = (b: Branch) => (b.level === 'PROVINCIAL' ? b : byId.get(b.ancestorIds[1])!);
const generate = (currentYear: number, seed = DEFAULT_SEED) =>
  branches.map((b) => generateMembers(b, 400, seed, vault, provincialOf(b), DEFAULT_CONFIG, currentYear));
const members = (g: ReturnType<typeof generate>) => g.flatMap((x) => x.members);
const payments = (g: ReturnType<typeof generate>) => g.flatMap((x) => x.payments);
/** Ciphers carry a random IV: everything else must be the same for the same seed. */
const comparable = (m: MemberDoc) => ({ ...m, idNumberCipher: undefined, phoneCipher: undefined });

describe('the members generator: dues through the current year', () => {
  const now = generate(2026);
  const history = generate(HISTORY_END_YEAR);

  it('is deterministic: the same seed and year give the same members, ledgers and awards', () => {
    const again = generate(2026);
    expect(members(again).map(comparable)).toEqual(members(now).map(comparable));
    expect(payments(again)).toEqual(payments(now));
    expect(again.flatMap((x) => x.awards)).toEqual(now.flatMap((x) => x.awards));
    // Another seed gives other data.
    expect(payments(generate(2026, DEFAULT_SEED + 1))).not.toEqual(payments(now));
  });

  it('keeps the 2016-2021 history the indicators read unchanged', () => {
    const before = payments(history);
    const early = payments(now).filter((p) => p.paidOn <= endOfYear(HISTORY_END_YEAR));
    expect(early).toEqual(before);
    expect(now.flatMap((x) => x.awards)).toEqual(history.flatMap((x) => x.awards));
    const h = members(history);
    const n = members(now);
    expect(n.map((m) => String(m._id))).toEqual(h.map((m) => String(m._id)));
    const dates = [2016, 2017, 2018, 2019, 2020, 2021].flatMap((y) => [d(`${y}-03-31`), d(`${y}-06-30`), endOfYear(y)]);
    for (const [i, m] of n.entries()) {
      for (const date of dates)
        expect([String(m._id), date, memberStatusOn(m, date)]).toEqual([String(m._id), date, memberStatusOn(h[i], date)]);
      expect([m.joinedOn, m.kind, m.name]).toEqual([h[i].joinedOn, h[i].kind, h[i].name]);
      if (h[i].withdrawnOn) expect(m.withdrawnOn).toEqual(h[i].withdrawnOn);
      else if (m.withdrawnOn) expect(m.withdrawnOn.getTime()).toBeGreaterThan(endOfYear(HISTORY_END_YEAR).getTime());
    }
  });

  it('leaves most members ACTIVE in the current year; some lapse, some withdraw', () => {
    const all = members(now);
    const on = d('2026-11-28');
    const count = (s: string) => all.filter((m) => memberStatusOn(m, on) === s).length;
    expect(count('ACTIVE') / all.length).toBeGreaterThan(0.6);
    expect(count('LAPSED') / all.length).toBeGreaterThan(0.1);
    expect(count('WITHDRAWN') / all.length).toBeGreaterThan(0.04);
    expect(all.filter((m) => m.paidThrough === 2026).length / all.length).toBeGreaterThan(0.55);
    // Some members lapse after 2021 (they stopped paying in a later year).
    expect(all.some((m) => m.paidThrough! >= 2022 && m.paidThrough! < 2024 && memberStatusOn(m, on) === 'LAPSED')).toBe(true);
    // Without the later years, almost everyone read today is LAPSED (the bug this fixes).
    const old = members(history);
    expect(old.filter((m) => memberStatusOn(m, on) === 'ACTIVE').length / old.length).toBeLessThan(0.05);
  });

  it('writes ledgers the rules accept: in date order, no overlap, never in the future, the standing replayed', () => {
    const byMember = new Map<string, DuesPaymentDoc[]>();
    for (const p of payments(now)) byMember.set(String(p.memberId), [...(byMember.get(String(p.memberId)) ?? []), p]);
    const ids = new Set<string>();
    for (const m of members(now)) {
      const ledger = byMember.get(String(m._id)) ?? [];
      for (const [k, p] of ledger.entries()) {
        expect(ids.has(String(p._id))).toBe(false);
        ids.add(String(p._id));
        expect(p.paidOn.getTime()).toBeLessThanOrEqual(today().getTime());
        expect(p.periodFrom).toBeGreaterThanOrEqual(m.joinedOn.getUTCFullYear());
        // The API's limit (at most 5 years ahead) holds for the later years (the history is as it was).
        if (p.paidOn > endOfYear(HISTORY_END_YEAR)) expect(p.periodTo).toBeLessThanOrEqual(p.paidOn.getUTCFullYear() + 5);
        if (m.withdrawnOn) expect(p.paidOn.getTime()).toBeLessThan(m.withdrawnOn.getTime());
        if (k > 0) {
          expect(p.paidOn.getTime()).toBeGreaterThanOrEqual(ledger[k - 1].paidOn.getTime());
          expect(p.periodFrom).toBeGreaterThan(ledger[k - 1].periodTo);
        }
      }
      // The stored standing is the one derived from the ledger (what a policy change derives again).
      expect({ paidThrough: m.paidThrough, lapsesOn: m.lapsesOn, lapses: m.lapses }).toEqual(
        standingFromLedger(m.joinedOn, ledger, DEFAULT_CONFIG),
      );
      if (m.withdrawnOn) expect(m.withdrawnOn.getTime()).toBeLessThan(d('2026-01-01').getTime());
    }
  });

  it('takes the current year as a parameter: a load "in 2024" pays through 2024', () => {
    const in2024 = members(generate(2024));
    expect(Math.max(...in2024.map((m) => m.paidThrough ?? 0))).toBe(2024);
    expect(in2024.filter((m) => memberStatusOn(m, d('2024-06-30')) === 'ACTIVE').length / in2024.length).toBeGreaterThan(0.6);
    expect(payments(generate(2024)).every((p) => p.paidOn < d('2024-01-01'))).toBe(true);
  });
});
