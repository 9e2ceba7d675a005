import { Types } from 'mongoose';
import { connectDatabase, type Database } from '@rcsc/db';
import {
  applyChange,
  applyChanges,
  countersModels,
  dayOfYear,
  ensureBuilt,
  everyDocument,
  heldOver,
  rebuild,
  rollUp,
  CounterRollUp,
  counterPendingModel,
  valuesOn,
  type Counters,
  type RecordState,
} from '../src';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const DAY = 86_400_000;

// A small tree: national -> two provinces -> one county each.
const N = new Types.ObjectId();
const P1 = new Types.ObjectId();
const P2 = new Types.ObjectId();
const C1 = new Types.ObjectId();
const C2 = new Types.ObjectId();
const PATHS = [[N], [N, P1], [N, P2], [N, P1, C1], [N, P2, C2]];
const BRANCHES = [N, P1, P2, C1, C2].map(String);

/** A record in the model under test: active over [from, until) minus gaps, and hours on a day. */
interface Rec {
  path: Types.ObjectId[];
  kind: 'A' | 'B';
  from: Date | null;
  until: Date | null;
  gaps: { since: Date; until: Date }[];
  hours: { on: Date; hours: number } | null;
}
const stateOf = (r: Rec): RecordState => ({
  path: r.path,
  contributions: [
    ...heldOver(r.kind, r.from, r.until, r.gaps),
    ...(r.hours ? [{ key: 'hours', on: r.hours.on, delta: r.hours.hours }] : []),
  ],
});

/** What a scan over the records would answer: the reference the counters must equal. */
function scan(recs: Rec[], branch: string, date: Date) {
  const under = recs.filter((r) => r.path.some((p) => String(p) === branch));
  const active = (r: Rec) =>
    !!r.from && r.from <= date && (!r.until || r.until > date) && !r.gaps.some((g) => g.since <= date && g.until > date);
  return {
    A: under.filter((r) => r.kind === 'A' && active(r)).length,
    B: under.filter((r) => r.kind === 'B' && active(r)).length,
    hours: under.reduce((s, r) => s + (r.hours && r.hours.on <= date ? r.hours.hours : 0), 0),
  };
}

/** A deterministic generator (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const START = d('2018-01-01').getTime();
function randomRecord(r: () => number): Rec {
  const day = () => new Date(START + Math.floor(r() * 5 * 365) * DAY);
  const from = r() < 0.05 ? null : day();
  const until = r() < 0.5 ? null : day();
  const gaps =
    r() < 0.3
      ? [0, 1].slice(0, 1 + Math.floor(r() * 2)).map(() => {
          const a = day();
          return { since: a, until: new Date(a.getTime() + Math.floor(1 + r() * 400) * DAY) };
        })
      : [];
  return {
    path: PATHS[Math.floor(r() * PATHS.length)],
    kind: r() < 0.5 ? 'A' : 'B',
    from,
    until,
    gaps,
    hours: r() < 0.5 ? { on: day(), hours: Math.floor(r() * 96) / 4 } : null,
  };
}

let db: Database;
let counters: Counters;
beforeAll(async () => {
  db = await connectDatabase('counters_test');
  counters = countersModels(db.connection);
  await counters.model.init();
});
afterAll(() => db.close());
beforeEach(async () => {
  await counters.model.deleteMany({});
  await counters.marker.deleteMany({});
  await counterPendingModel(db.connection).deleteMany({});
});

async function expectMatchesScan(recs: Rec[], dates: Date[]) {
  const got = await valuesOn(counters, BRANCHES, dates, ['A', 'B', 'hours']);
  for (const b of BRANCHES) dates.forEach((date, i) => expect({ b, date, ...got.get(b)![i] }).toEqual({ b, date, ...scan(recs, b, date) }));
}

const DATES = [
  '2017-12-31',
  '2018-01-01',
  '2018-06-30',
  '2019-12-31',
  '2020-02-29',
  '2020-03-01',
  '2021-07-15',
  '2022-12-31',
  '2030-01-01',
].map(d);

test('heldOver: +1 from the start, -1 at the end, gaps clipped to the period, nothing for a fact that never held', () => {
  expect(heldOver('k', d('2020-01-01'), d('2021-01-01'))).toEqual([
    { key: 'k', on: d('2020-01-01'), delta: 1 },
    { key: 'k', on: d('2021-01-01'), delta: -1 },
  ]);
  expect(heldOver('k', d('2020-01-01'), d('2020-01-01'))).toEqual([]);
  expect(heldOver('k', null, null)).toEqual([]);
  // A gap running past the end stops at the end; one before the start counts from the start.
  expect(heldOver('k', d('2020-01-01'), d('2020-12-01'), [{ since: d('2019-06-01'), until: d('2021-06-01') }])).toEqual([
    { key: 'k', on: d('2020-01-01'), delta: 1 },
    { key: 'k', on: d('2020-12-01'), delta: -1 },
    { key: 'k', on: d('2020-01-01'), delta: -1 },
    { key: 'k', on: d('2020-12-01'), delta: 1 },
  ]);
  expect(dayOfYear(d('2020-12-31'))).toBe(366);
  expect(dayOfYear(d('2021-01-01'))).toBe(1);
});

test('creating, changing and deleting records one by one keeps every subtree equal to a scan on every date', async () => {
  const r = rng(7);
  const recs: Rec[] = [];
  for (let i = 0; i < 60; i++) {
    const rec = randomRecord(r);
    recs.push(rec);
    await applyChange(counters, null, stateOf(rec));
  }
  await expectMatchesScan(recs, DATES);
  // Changes: a record moves branch, ends, gains a gap, or is deleted.
  for (let i = 0; i < 40; i++) {
    const at = Math.floor(r() * recs.length);
    const old = recs[at];
    const next = randomRecord(r);
    const before = stateOf(old);
    if (r() < 0.2) {
      recs.splice(at, 1);
      await applyChange(counters, before, null);
    } else {
      recs[at] = { ...next, kind: r() < 0.8 ? old.kind : next.kind };
      await applyChange(counters, before, stateOf(recs[at]));
    }
  }
  await expectMatchesScan(recs, DATES);
  // Every day of a leap year at the county, against the scan.
  const days = Array.from({ length: 366 }, (_, i) => new Date(d('2020-01-01').getTime() + i * DAY));
  const got = await valuesOn(counters, [String(C1)], days, ['A', 'B', 'hours']);
  days.forEach((date, i) => expect(got.get(String(C1))![i]).toEqual(scan(recs, String(C1), date)));
});

test('records moved between subtrees count under the old path before each move and the new one from it, on every date', async () => {
  // A placement history: the record sat on earlier paths until given days, then on its path.
  interface Moved extends Rec {
    earlier: { path: Types.ObjectId[]; until: Date }[];
  }
  const movedState = (m: Moved): RecordState => ({ ...stateOf(m), earlier: m.earlier });
  const pathOn = (m: Moved, date: Date) => m.earlier.find((p) => date < p.until)?.path ?? m.path;
  const scanMoved = (recs: Moved[], branch: string, date: Date) =>
    scan(
      recs.map((m) => ({ ...m, path: pathOn(m, date) })),
      branch,
      date,
    );
  const r = rng(5);
  const moveDays = () => {
    const n = Math.floor(r() * 3);
    return Array.from({ length: n }, () => new Date(START + Math.floor(r() * 5 * 365) * DAY))
      .sort((a, b) => a.getTime() - b.getTime())
      .filter((x, i, all) => i === 0 || x > all[i - 1]);
  };
  const randomMoved = (): Moved => {
    const rec = randomRecord(r);
    const earlier = moveDays().map((until) => ({ path: PATHS[Math.floor(r() * PATHS.length)], until }));
    return { ...rec, earlier };
  };
  const recs = Array.from({ length: 60 }, randomMoved);
  await applyChanges(
    counters,
    recs.map((m) => ({ before: null, after: movedState(m) })),
  );
  // Later changes (a correction of a date before a move, a further move) are differences of whole states.
  for (let i = 0; i < 30; i++) {
    const at = Math.floor(r() * recs.length);
    const before = movedState(recs[at]);
    const next = randomMoved();
    recs[at] =
      r() < 0.5
        ? { ...recs[at], from: next.from, until: next.until, gaps: next.gaps, hours: next.hours }
        : { ...recs[at], earlier: next.earlier, path: next.path };
    await applyChange(counters, before, movedState(recs[at]));
  }
  const dates = [
    ...DATES,
    ...recs.flatMap((m) => m.earlier.map((p) => p.until)).slice(0, 20),
    ...recs.flatMap((m) => m.earlier.map((p) => new Date(p.until.getTime() - DAY))).slice(0, 20),
  ];
  const got = await valuesOn(counters, BRANCHES, dates, ['A', 'B', 'hours']);
  for (const b of BRANCHES)
    dates.forEach((date, i) => expect({ b, date, ...got.get(b)![i] }).toEqual({ b, date, ...scanMoved(recs, b, date) }));
  // A rebuild from the same states gives the same counters.
  async function* states() {
    for (const m of recs) yield movedState(m);
  }
  const incremental = await valuesOn(counters, BRANCHES, dates, ['A', 'B', 'hours']);
  await rebuild(counters, states(), 1);
  expect(await valuesOn(counters, BRANCHES, dates, ['A', 'B', 'hours'])).toEqual(incremental);
});

test('rebuild from the records gives the same counters as the changes did, and ensureBuilt rebuilds only for a new version', async () => {
  const r = rng(11);
  const recs = Array.from({ length: 80 }, () => randomRecord(r));
  await applyChanges(
    counters,
    recs.map((rec) => ({ before: null, after: stateOf(rec) })),
  );
  const incremental = await valuesOn(counters, BRANCHES, DATES, ['A', 'B', 'hours']);
  async function* records() {
    for (const rec of recs) yield stateOf(rec);
  }
  expect(await rebuild(counters, records(), 1)).toEqual({ records: 80, documents: expect.any(Number) });
  expect(await valuesOn(counters, BRANCHES, DATES, ['A', 'B', 'hours'])).toEqual(incremental);
  await expectMatchesScan(recs, DATES);
  expect(await ensureBuilt(counters, records, 1)).toBeNull();
  expect(await ensureBuilt(counters, records, 2)).toEqual({ records: 80, documents: expect.any(Number) });
});

test('changes made in an aborted transaction leave no trace', async () => {
  const rec = randomRecord(rng(3));
  rec.from = d('2019-01-01');
  rec.until = null;
  rec.gaps = [];
  await expect(
    db.connection.transaction(async (session) => {
      await applyChange(counters, null, stateOf(rec), session);
      throw new Error('refused');
    }),
  ).rejects.toThrow('refused');
  expect(await counters.model.countDocuments()).toBe(0);
  expect(await counterPendingModel(db.connection).countDocuments()).toBe(0);
  await db.connection.transaction((session) => applyChange(counters, null, stateOf(rec), session));
  const got = await valuesOn(counters, [String(N)], [d('2020-01-01')], [rec.kind]);
  expect(got.get(String(N))![0][rec.kind]).toBe(1);
});

test('a key that is not a plain name is refused before anything is written', async () => {
  await expect(applyChange(counters, null, { path: [N], contributions: [{ key: 'a.b', on: d('2020-01-01'), delta: 1 }] })).rejects.toThrow(
    'counter key "a.b" must be a plain name',
  );
  expect(await counters.model.countDocuments()).toBe(0);
});

test('everyDocument reads a collection page by page in _id order, each document once', async () => {
  const docs = Array.from({ length: 23 }, (_, i) => ({
    _id: `k${String(i).padStart(2, '0')}`,
    root: N,
    year: 2000 + i,
    total: { a: i },
    days: {},
  }));
  await counters.model.collection.insertMany(docs as never[]);
  const seen: string[] = [];
  for await (const d of everyDocument<{ _id: string; year: number; total?: unknown }>(counters.model, { year: 1 }, 5)) {
    expect(d.total).toBeUndefined(); // only the projection (and _id)
    seen.push(d._id);
  }
  expect(seen).toEqual(docs.map((d) => d._id));
});

test("a write's transaction only inserts a pending entry; the roll-up adds it to every branch's documents once, and reads are exact before and after (issue 22)", async () => {
  const pending = counterPendingModel(db.connection);
  const r = rng(13);
  const recs = Array.from({ length: 40 }, () => ({ ...randomRecord(r), path: [N, P1, C1] }));
  for (const rec of recs) await db.connection.transaction((session) => applyChange(counters, null, stateOf(rec), session));
  // No write touched a counter document: not the nation's, the province's, nor the county's own.
  expect(await counters.model.countDocuments()).toBe(0);
  // One pending entry per write that contributed anything.
  expect(await pending.countDocuments()).toBe(recs.filter((rec) => stateOf(rec).contributions.some((c) => c.delta)).length);
  await expectMatchesScan(recs, DATES);
  // Two replicas rolling up at once: each entry is added exactly once.
  const rolled = await Promise.all([rollUp(counters, 7), rollUp(counters, 7), rollUp(counters, 500)]);
  expect(rolled.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(40);
  const runner = new CounterRollUp(counters);
  await runner.drain();
  expect(await pending.countDocuments()).toBe(0);
  expect(new Set((await counters.model.find({}, { root: 1 }).lean()).map((c) => String(c.root)))).toEqual(new Set([N, P1, C1].map(String)));
  await expectMatchesScan(recs, DATES);
  // More writes while it runs in the background: still exact at every moment a read is made.
  runner.start();
  for (let i = 0; i < 20; i++) {
    const rec = { ...randomRecord(r), path: PATHS[i % PATHS.length] };
    recs.push(rec);
    await applyChange(counters, null, stateOf(rec));
    if (i % 5 === 0) await expectMatchesScan(recs, DATES.slice(3, 6));
  }
  await runner.stop();
  await runner.drain();
  expect(await pending.countDocuments()).toBe(0);
  await expectMatchesScan(recs, DATES);
});
