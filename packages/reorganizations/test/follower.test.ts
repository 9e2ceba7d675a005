import { Schema, Types, type Model } from 'mongoose';
import { connectDatabase, type Database } from '@rcsc/db';
import { countersModels, heldOver, valuesOn, applyChanges, type Counters, type RecordState } from '@rcsc/counters';
import { ReorganizationFollower, placementsOf, type ReorganizationEvent, type StoredPlacement } from '../src';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const N = new Types.ObjectId();
const P1 = new Types.ObjectId();
const P2 = new Types.ObjectId();
const C = new Types.ObjectId();
const OTHER = new Types.ObjectId();

interface Member {
  _id: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  joinedOn: Date;
}
const stateOf = (m: Member): RecordState => ({
  path: m.orgPath,
  contributions: heldOver('members', m.joinedOn, null),
  earlier: placementsOf(m),
});

let db: Database;
let Members: Model<Member>;
let counters: Counters;
beforeAll(async () => {
  db = await connectDatabase('reorganizations_test');
  Members = db.connection.model<Member>(
    'Member',
    new Schema<Member>({ orgPath: [Schema.Types.ObjectId], joinedOn: Date }, { strict: false }),
  );
  counters = countersModels(db.connection);
  await counters.model.init();
});
afterAll(() => db.close());

const move = (seq: number, on: string, from: Types.ObjectId[], to: Types.ObjectId[]): ReorganizationEvent => ({
  seq,
  kind: 'MOVE',
  branchId: String(C),
  on,
  fromPath: from.map(String),
  toPath: to.map(String),
});

test('moves the records of a moved branch exactly once: paths, placements and counters from the effective day', async () => {
  const members = [
    { orgPath: [N, P1, C], joinedOn: d('2020-01-01') },
    { orgPath: [N, P1, C], joinedOn: d('2026-07-01') }, // joined after the move day, registered before the event arrived
    { orgPath: [N, P1, OTHER], joinedOn: d('2020-01-01') },
  ];
  const created = (await Members.insertMany(members)).map((m) => m.toObject() as Member);
  await applyChanges(
    counters,
    created.map((m) => ({ before: null, after: stateOf(m) })),
  );
  const events = [move(1, '2026-06-01', [N, P1, C], [N, P2, C])];
  const source = { after: async (seq: number) => events.filter((e) => e.seq > seq) };
  const follow = () =>
    new ReorganizationFollower({ connection: db.connection, source, counters, collections: [{ model: Members, state: stateOf as never }] });
  // Two replicas catch up at once: each event is applied once.
  const [a, b] = await Promise.all([follow().catchUp(), follow().catchUp()]);
  expect([a, b]).toEqual([1, 1]);
  expect(await follow().catchUp()).toBe(1);
  const moved = (await Members.findById(created[0]._id).lean()) as Member;
  expect(moved.orgPath.map(String)).toEqual([N, P2, C].map(String));
  expect(moved.orgPathHistory).toEqual([{ path: [N, P1, C], until: d('2026-06-01') }]);
  expect(((await Members.findById(created[2]._id).lean()) as Member).orgPath.map(String)).toEqual([N, P1, OTHER].map(String));
  const at = async (branch: Types.ObjectId, day: string) =>
    (await valuesOn(counters, [String(branch)], [d(day)], ['members'])).get(String(branch))![0].members;
  // Before the move day the old parent holds C's members, from it the new parent.
  expect([await at(P1, '2026-05-31'), await at(P2, '2026-05-31')]).toEqual([2, 0]);
  expect([await at(P1, '2026-06-01'), await at(P2, '2026-06-01')]).toEqual([1, 1]);
  expect([await at(P1, '2026-07-01'), await at(P2, '2026-07-01')]).toEqual([1, 2]);
  expect(await at(N, '2026-07-01')).toBe(3);
  expect(await at(C, '2026-07-01')).toBe(2);

  // A second move back, later: the history grows, each period counts where it was.
  events.push(move(2, '2026-09-01', [N, P2, C], [N, P1, C]));
  expect(await follow().catchUp()).toBe(2);
  expect([await at(P1, '2026-08-31'), await at(P2, '2026-08-31')]).toEqual([1, 2]);
  expect([await at(P1, '2026-09-01'), await at(P2, '2026-09-01')]).toEqual([3, 0]);
  expect([await at(P1, '2026-05-31'), await at(P2, '2026-05-31')]).toEqual([2, 0]);
  const back = (await Members.findById(created[0]._id).lean()) as Member;
  expect(back.orgPathHistory?.map((p) => p.until)).toEqual([d('2026-06-01'), d('2026-09-01')]);
});

test('refuses a gap in the sequence rather than skipping an event', async () => {
  const source = { after: async () => [move(7, '2026-06-01', [N, P1, C], [N, P2, C])] };
  const follower = new ReorganizationFollower({ connection: db.connection, source, collections: [{ model: Members }] });
  await expect(follower.catchUp()).rejects.toThrow(/reorganization 3 is missing/);
});

test('a REVERSAL takes back the placement its move added: records and counters read as if never moved', async () => {
  const C2 = new Types.ObjectId();
  const created = (
    await Members.insertMany([
      { orgPath: [N, P1, C2], joinedOn: d('2020-01-01') },
      { orgPath: [N, P1, C2], joinedOn: d('2021-01-01') },
    ])
  ).map((m) => m.toObject() as Member);
  await applyChanges(
    counters,
    created.map((m) => ({ before: null, after: stateOf(m) })),
  );
  const at = async (branch: Types.ObjectId, day: string) =>
    (await valuesOn(counters, [String(branch)], [d(day)], ['members'])).get(String(branch))![0].members;
  const before = [await at(P1, '2025-12-31'), await at(P1, '2026-01-01'), await at(P2, '2026-01-01')];
  const ev = (seq: number, kind: ReorganizationEvent['kind'], from: Types.ObjectId[], to: Types.ObjectId[]): ReorganizationEvent => ({
    seq,
    kind,
    branchId: String(C2),
    on: '2026-01-01',
    fromPath: from.map(String),
    toPath: to.map(String),
  });
  const connection = db.connection;
  const marker = connection.collection<{ _id: string; applied: number }>('reorganizations_applied');
  const start = (await marker.findOne({ _id: 'reorganizations' }))?.applied ?? 0;
  const events = [ev(start + 1, 'MOVE', [N, P1, C2], [N, P2, C2])];
  const source = { after: async (seq: number) => events.filter((e) => e.seq > seq) };
  const follower = new ReorganizationFollower({ connection, source, counters, collections: [{ model: Members, state: stateOf as never }] });
  await follower.catchUp();
  // A member filed under the new place after the move (no placement): it only returns.
  const late = (await Members.create({ orgPath: [N, P2, C2], joinedOn: d('2026-02-01') })).toObject() as Member;
  await applyChanges(counters, [{ before: null, after: stateOf(late) }]);
  expect(await at(P2, '2026-01-01')).toBe(2);
  events.push(ev(start + 2, 'REVERSAL', [N, P2, C2], [N, P1, C2]));
  expect(await follower.catchUp()).toBe(start + 2);
  for (const m of created) {
    const back = (await Members.findById(m._id).lean()) as Member;
    expect(back.orgPath.map(String)).toEqual([N, P1, C2].map(String));
    expect(back.orgPathHistory).toEqual([]);
  }
  const lateBack = (await Members.findById(late._id).lean()) as Member;
  expect(lateBack.orgPath.map(String)).toEqual([N, P1, C2].map(String));
  expect(lateBack.orgPathHistory ?? []).toEqual([]);
  // Every date as before the move, plus the late member under the old parent.
  expect([await at(P1, '2025-12-31'), await at(P1, '2026-01-01'), await at(P2, '2026-01-01')]).toEqual(before);
  expect([await at(P1, '2026-02-01'), await at(P2, '2026-02-01')]).toEqual([before[1] + 1, before[2]]);
});

test("records found through their owners (a dues payment's copy of its member's path) move with them", async () => {
  const other = await connectDatabase('reorganizations_through_test');
  try {
    const Owners = other.connection.model<Member>('Member', new Schema<Member>({ orgPath: [Schema.Types.ObjectId] }, { strict: false }));
    interface Payment {
      _id: Types.ObjectId;
      memberId: Types.ObjectId;
      memberOrgPath: Types.ObjectId[];
      memberOrgPathHistory?: StoredPlacement[];
    }
    const Payments = other.connection.model<Payment>(
      'Payment',
      new Schema<Payment>({ memberId: Schema.Types.ObjectId, memberOrgPath: [Schema.Types.ObjectId] }, { strict: false }),
    );
    const [inC, elsewhere] = await Owners.insertMany([{ orgPath: [N, P1, C] }, { orgPath: [N, P1, OTHER] }]);
    const paid = await Payments.insertMany([
      { memberId: inC._id, memberOrgPath: [N, P1, C] },
      { memberId: inC._id, memberOrgPath: [N, P1, C] },
      { memberId: elsewhere._id, memberOrgPath: [N, P1, OTHER] },
    ]);
    const follower = new ReorganizationFollower({
      connection: other.connection,
      source: { after: async (seq: number) => [move(1, '2026-06-01', [N, P1, C], [N, P2, C])].filter((e) => e.seq > seq) },
      collections: [{ model: Owners }, { model: Payments, pathField: 'memberOrgPath', through: { owner: Owners, field: 'memberId' } }],
    });
    expect(await follower.catchUp()).toBe(1);
    const after = await Payments.find({}).sort({ _id: 1 }).lean();
    expect(after.map((p) => p.memberOrgPath.map(String))).toEqual([
      [N, P2, C].map(String),
      [N, P2, C].map(String),
      [N, P1, OTHER].map(String),
    ]);
    expect(after[0].memberOrgPathHistory).toEqual([{ path: [N, P1, C], until: d('2026-06-01') }]);
    expect(after[2].memberOrgPathHistory ?? []).toEqual([]);
    expect(after.map((p) => String(p._id))).toEqual(paid.map((p) => String(p._id)));
  } finally {
    await other.connection.dropDatabase();
    await other.close();
  }
});
