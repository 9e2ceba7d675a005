// The lapse policy is part of what stored standings and the counters derive from: changing
// LAPSE_AFTER_YEARS derives the standings again from the dues ledger and rebuilds the counters.
import { Types } from 'mongoose';
import { valuesLoader } from '@rcsc/counters';
import { startTestDatabase, type TestDatabase } from '@rcsc/testing';
import { counters, ensureCounters, rebuildCounters } from '../src/counters';
import { COUNTER_KEYS } from '../src/indicators';
import { createModels, type Models } from '../src/models';
import { memberStatusOn, standingFromLedger } from '../src/rules';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe('a changed lapse policy', () => {
  let db: TestDatabase;
  let models: Models;
  const hq = new Types.ObjectId();
  const joinedOn = d('2018-05-01');
  const neverPaid = new Types.ObjectId();
  const paidLate = new Types.ObjectId();
  const ledger = [
    { periodFrom: 2018, periodTo: 2018, paidOn: d('2018-05-01') },
    { periodFrom: 2019, periodTo: 2021, paidOn: d('2021-06-01') },
  ];
  const adultsOn = async (date: string) => (await valuesLoader(counters(models), COUNTER_KEYS).on(String(hq), d(date))).ADULT;
  const stored = async (id: Types.ObjectId) => (await models.Member.findById(id).lean())!;

  beforeAll(async () => {
    db = await startTestDatabase('people_policy');
    models = createModels(db.connection);
    // Two members written under a two-year lapse policy, as the mutations and the seed write them.
    const member = (id: Types.ObjectId, payments: typeof ledger) => ({
      _id: id,
      kind: 'ADULT',
      name: '会员',
      idNumberHash: String(id),
      idNumberCipher: 'c',
      idNumberMasked: 'm',
      organizationId: hq,
      orgPath: [hq],
      joinedOn,
      ...standingFromLedger(joinedOn, payments, { lapseAfterYears: 2 }),
    });
    await models.Member.insertMany([member(neverPaid, []), member(paidLate, ledger)]);
    await models.DuesPayment.insertMany(
      ledger.map((p) => ({ ...p, memberId: paidLate, memberOrgPath: [hq], organizationId: hq, orgPath: [hq], amountCents: 1000 })),
    );
    await rebuildCounters(models, { lapseAfterYears: 2 });
  });
  afterAll(() => db.close());

  it('is noticed at boot: stored standings follow the new policy and the counters are rebuilt', async () => {
    expect(await ensureCounters(models, { lapseAfterYears: 2 })).toBeNull();
    expect((await stored(neverPaid)).lapsesOn).toEqual(d('2020-01-01'));
    expect(await adultsOn('2020-06-01')).toBe(1);
    expect(await adultsOn('2021-03-01')).toBe(0);

    const built = await ensureCounters(models, { lapseAfterYears: 3 });
    expect(built).toMatchObject({ records: 2, rederived: 2 });
    const a = await stored(neverPaid);
    const b = await stored(paidLate);
    expect(a.lapsesOn).toEqual(d('2021-01-01'));
    // Three years' grace: the late payment came before the member lapsed, so no lapse is kept.
    expect({ lapsesOn: b.lapsesOn, lapses: b.lapses }).toEqual({ lapsesOn: d('2025-01-01'), lapses: [] });
    expect(memberStatusOn(b, d('2021-03-01'))).toBe('ACTIVE');
    // The counters agree with the standings under the new policy.
    expect(await adultsOn('2020-06-01')).toBe(2);
    expect(await adultsOn('2021-03-01')).toBe(1);

    // Built under this policy now: the next boot does nothing.
    expect(await ensureCounters(models, { lapseAfterYears: 3 })).toBeNull();
  });
});
