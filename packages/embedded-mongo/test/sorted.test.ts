// Sorts served by index walks and counts served by index entries: every page and count is
// checked against a full match + sort done another way (no sort pushed to the server), in both
// directions, with residual filters, multikey paths, keyset cursors and open transactions.
import mongoose, { Types } from 'mongoose';
import { makeComparator } from '../src/values';
import { findStage, itEmbedded, setup, TestEnv, winningPlan } from './helpers';

let env: TestEnv;
let coll: mongoose.mongo.Collection;

const branches = Array.from({ length: 8 }, () => new Types.ObjectId());
// a small tree: 0 is the root, 1-2 provinces, 3-7 under 1 or 2
const pathOf = (b: number): Types.ObjectId[] =>
  b === 0 ? [branches[0]] : b <= 2 ? [branches[0], branches[b]] : [branches[0], branches[1 + (b % 2)], branches[b]];
const KINDS = ['ADULT', 'YOUTH', 'GROUP'];
const NAMES = ['安', 'Beta', 'alpha', 'beta', '', 'Zed', '红十字', 'alpha'];

function docAt(i: number): Record<string, any> {
  const b = i % 8;
  const d: Record<string, unknown> = {
    _id: new Types.ObjectId(),
    orgPath: pathOf(b),
    kind: KINDS[(i * 7) % 3],
    joinedOn: new Date(Date.UTC(2014, 0, 1 + ((i * 37) % 3000))),
    at: new Date(Date.UTC(2020, 0, 1, 0, (i * 13) % 500)),
    n: (i * 17) % 23,
  };
  if (i % 11 !== 0) d.name = NAMES[i % NAMES.length];
  if (i % 29 === 0) d.name = null;
  return d;
}

const N = 600;

beforeAll(async () => {
  env = await setup('sorted');
  coll = env.conn.db!.collection('members');
  const docs = Array.from({ length: N }, (_, i) => docAt(i));
  await coll.insertMany(docs);
  await coll.createIndex({ orgPath: 1, _id: 1 });
  await coll.createIndex({ orgPath: 1, kind: 1, joinedOn: 1 });
  await coll.createIndex({ name: 1, _id: 1 });
  await coll.createIndex({ orgPath: 1, at: -1 });
  await coll.createIndex({ n: 1 });
});
afterAll(() => env.close());

const ids = (docs: any[]) => docs.map((d) => String(d._id));

/** Matches found without any sort or limit sent to the server, sorted here. */
async function expected(filter: object, sort: Record<string, 1 | -1>, skip = 0, limit = 0, session?: mongoose.mongo.ClientSession) {
  const all = await coll.find(filter, { session }).toArray();
  const sorted = all.sort(makeComparator(sort));
  return sorted.slice(skip, limit ? skip + limit : undefined);
}

const CASES: Array<[string, object, Record<string, 1 | -1>]> = [
  ['branch by _id', { orgPath: branches[0] }, { _id: 1 }],
  ['branch by _id desc', { orgPath: branches[1] }, { _id: -1 }],
  ['branch + kind by _id (residual)', { orgPath: branches[2], kind: 'GROUP' }, { _id: 1 }],
  ['branch + kind by joinedOn', { orgPath: branches[0], kind: 'YOUTH' }, { joinedOn: 1 }],
  ['branch + kind by joinedOn desc', { orgPath: branches[0], kind: 'ADULT' }, { joinedOn: -1 }],
  ['names, everyone', {}, { name: 1, _id: 1 }],
  ['names desc with residual', { kind: 'ADULT' }, { name: -1, _id: -1 }],
  ['audit by at desc', { orgPath: branches[1] }, { at: -1, _id: -1 }],
  ['audit by at asc', { orgPath: branches[1] }, { at: 1, _id: 1 }],
  ['_id only', {}, { _id: 1 }],
  ['_id desc, residual', { n: { $gte: 5 } }, { _id: -1 }],
];

describe('sorted pages from index walks', () => {
  it.each(CASES)('%s: pages equal a full sort', async (_label, filter, sort) => {
    for (const [skip, limit] of [
      [0, 21],
      [5, 7],
      [0, 0],
      [40, 21],
    ]) {
      const got = await coll.find(filter).sort(sort).skip(skip).limit(limit).toArray();
      expect(ids(got)).toEqual(ids(await expected(filter, sort, skip, limit)));
    }
  });

  itEmbedded('explain shows an index walk, not a blocking SORT', async () => {
    const plan = winningPlan(await coll.find({ orgPath: branches[0] }).sort({ _id: 1 }).limit(21).explain());
    expect(findStage(plan, 'SORT')).toBeNull();
    expect(findStage(plan, 'IXSCAN').indexName).toBe('orgPath_1__id_1');
    const back = winningPlan(await coll.find({ orgPath: branches[1] }).sort({ at: -1, _id: -1 }).limit(5).explain());
    expect(findStage(back, 'SORT')).toBeNull();
    expect(findStage(back, 'IXSCAN')).toMatchObject({ indexName: 'orgPath_1_at_-1', direction: 'backward' });
    const units = winningPlan(await coll.find({}).sort({ name: 1, _id: 1 }).limit(20).explain());
    expect(findStage(units, 'IXSCAN').indexName).toBe('name_1__id_1');
    // a mixed-direction sort is not an index order: blocking sort
    const mixed = winningPlan(await coll.find({ orgPath: branches[1] }).sort({ at: -1, _id: 1 }).limit(5).explain());
    expect(findStage(mixed, 'SORT')).not.toBeNull();
  });

  itEmbedded('a page of the root reads about a page of documents', async () => {
    const ex: any = await coll.find({ orgPath: branches[0] }).sort({ _id: 1 }).limit(21).explain('executionStats');
    expect(ex.executionStats.nReturned).toBe(21);
    expect(ex.executionStats.totalDocsExamined).toBeLessThanOrEqual(21);
  });

  it('keyset cursors ($or on the sort field then _id) page through everything in order', async () => {
    for (const [filter, field, dir] of [
      [{ orgPath: branches[0] }, 'at', -1],
      [{ name: { $type: 'string' } }, 'name', 1],
      [{ name: { $gte: '' } }, 'name', -1],
      [{ orgPath: branches[2], kind: 'ADULT' }, 'joinedOn', 1],
    ] as Array<[object, string, 1 | -1]>) {
      const sort = { [field]: dir, _id: dir };
      const all = await expected(filter, sort);
      const seen: any[] = [];
      let last: any = null;
      for (let guard = 0; guard < 200; guard++) {
        const op = dir === 1 ? '$gt' : '$lt';
        const q = last
          ? {
              $and: [
                filter,
                { $or: [{ [field]: { [op]: last[field] ?? null } }, { [field]: last[field] ?? null, _id: { [op]: last._id } }] },
              ],
            }
          : filter;
        const page = await coll.find(q).sort(sort).limit(9).toArray();
        seen.push(...page);
        if (page.length < 9) break;
        last = page[page.length - 1];
      }
      // null/missing sort values cannot be paged past with $gt/$lt (as on MongoDB): compare what precedes them
      const comparable = all.filter((d) => d[field] !== null && d[field] !== undefined);
      expect(ids(seen.filter((d) => d[field] !== null && d[field] !== undefined))).toEqual(ids(comparable));
    }
  });

  it('$match + $sort + $limit in a pipeline equals find', async () => {
    const filter = { orgPath: branches[1], kind: 'YOUTH' };
    const got = await coll.aggregate([{ $match: filter }, { $sort: { joinedOn: -1 } }, { $limit: 6 }, { $project: { _id: 1 } }]).toArray();
    expect(ids(got)).toEqual(ids(await expected(filter, { joinedOn: -1 }, 0, 6)));
    const skipped = await coll.aggregate([{ $match: filter }, { $sort: { joinedOn: 1 } }, { $skip: 3 }, { $limit: 4 }]).toArray();
    expect(ids(skipped)).toEqual(ids(await expected(filter, { joinedOn: 1 }, 3, 4)));
  });

  it('pages and counts inside a transaction see its own writes', async () => {
    const session = env.conn.getClient().startSession();
    try {
      session.startTransaction();
      const extra = Array.from({ length: 30 }, (_, i) => ({ ...docAt(i), _id: new Types.ObjectId(), kind: 'GROUP' }));
      await coll.insertMany(extra, { session });
      const victims = await coll.find({ orgPath: branches[1] }).sort({ _id: 1 }).limit(10).toArray();
      await coll.deleteMany({ _id: { $in: victims.slice(0, 5).map((d) => d._id) } }, { session });
      // moved to another branch and to the end of the names
      await coll.updateMany(
        { _id: { $in: victims.slice(5).map((d) => d._id) } },
        { $set: { orgPath: pathOf(4), name: 'zzz' } },
        { session },
      );
      for (const [, filter, sort] of CASES) {
        const got = await coll.find(filter, { session }).sort(sort).limit(25).toArray();
        expect(ids(got)).toEqual(ids(await expected(filter, sort, 0, 25, session)));
      }
      for (const filter of COUNTS) {
        const all = await coll.find(filter, { session }).toArray();
        expect(await coll.countDocuments(filter, { session })).toBe(all.length);
      }
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
  });
});

describe('aggregation inputs decoded to the fields the pipeline reads', () => {
  it('gives the same results as computing from whole documents', async () => {
    const all = await coll.find({ orgPath: branches[1] }).toArray();
    const byKind = new Map<string, { n: number; total: number }>();
    for (const d of all) {
      const g = byKind.get(d.kind) ?? { n: 0, total: 0 };
      g.n++;
      g.total += d.n;
      byKind.set(d.kind, g);
    }
    const grouped = await coll
      .aggregate([
        { $match: { orgPath: branches[1] } },
        { $group: { _id: '$kind', n: { $sum: 1 }, total: { $sum: '$n' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([...byKind.entries()].sort().map(([k, g]) => ({ _id: k, ...g })));
    const projected = await coll
      .aggregate([{ $match: { orgPath: branches[2] } }, { $project: { kind: 1, joined: '$joinedOn' } }])
      .toArray();
    const raw = await coll.find({ orgPath: branches[2] }).toArray();
    expect(projected).toEqual(raw.map((d) => ({ _id: d._id, kind: d.kind, joined: d.joinedOn })));
    const facet = await coll
      .aggregate([
        { $match: { orgPath: branches[0] } },
        { $facet: { d1: [{ $group: { _id: { $arrayElemAt: ['$orgPath', 1] } } }, { $sort: { _id: 1 } }] } },
      ])
      .toArray();
    expect(facet[0].d1.filter((r: any) => r._id !== null).map((r: any) => String(r._id))).toEqual(
      [
        ...new Set(
          (await coll.find({}).toArray())
            .map((d) => d.orgPath[1])
            .filter(Boolean)
            .map(String),
        ),
      ].sort(),
    );
    const roots = await coll
      .aggregate([{ $match: { orgPath: branches[3] } }, { $group: { _id: null, docs: { $push: '$$ROOT' } } }])
      .toArray();
    expect(roots[0].docs.map((d: any) => Object.keys(d).length)).toEqual(
      (await coll.find({ orgPath: branches[3] }).toArray()).map((d) => Object.keys(d).length),
    );
    const unwound = await coll.aggregate([{ $match: { kind: 'GROUP' } }, { $unwind: '$orgPath' }, { $count: 'n' }]).toArray();
    const groups = await coll.find({ kind: 'GROUP' }).toArray();
    expect(unwound[0].n).toBe(groups.reduce((n, d) => n + d.orgPath.length, 0));
  });
});

describe('lazy cursors', () => {
  it('a find without limit decodes batch by batch: every match once, projected, deletions since skipped', async () => {
    const c = env.conn.db!.collection('lazy');
    await c.insertMany(Array.from({ length: 5000 }, (_, i) => ({ _id: i, g: i % 2, pad: 'x'.repeat(100) })) as any);
    const cursor = c.find({ g: 1 }, { projection: { pad: 0 }, batchSize: 1000 });
    const first: any[] = [];
    for (let i = 0; i < 1000; i++) first.push(await cursor.next());
    // documents of later batches deleted after the cursor opened are not returned
    await c.deleteMany({ _id: { $gte: 4001 } } as any);
    const rest = await cursor.toArray();
    const all = [...first, ...rest];
    expect(all.every((d) => d.g === 1 && d.pad === undefined)).toBe(true);
    expect(all.length).toBe(first.length + rest.length);
    expect(new Set(all.map((d) => d._id)).size).toBe(all.length);
    expect(all.filter((d) => d._id > 4000)).toHaveLength(0);
    expect(all.length).toBe(2000);
  });
});

describe('keys ending in byte 0xff', () => {
  it('ranges over a prefix whose last byte is 0xff hold all its entries', async () => {
    const c = env.conn.db!.collection('ff');
    await c.createIndex({ orgPath: 1, _id: 1 });
    const ff = new Types.ObjectId('65a00000000000000000ffff');
    const next = new Types.ObjectId('65a000000000000000010000');
    // enough entries for several index chunks on both sides of the prefix's end
    const docs = Array.from({ length: 3000 }, (_, i) => ({ orgPath: [i % 3 === 2 ? next : ff], i }));
    await c.insertMany(docs);
    const want = docs.filter((d) => d.orgPath[0] === ff).length;
    expect(await c.countDocuments({ orgPath: ff })).toBe(want);
    expect((await c.find({ orgPath: ff }).toArray()).length).toBe(want);
    const page = await c.find({ orgPath: ff }).sort({ _id: -1 }).limit(5).toArray();
    expect(page.map((d) => d.i)).toEqual(
      [...docs]
        .reverse()
        .filter((d) => d.orgPath[0] === ff)
        .slice(0, 5)
        .map((d) => d.i),
    );
  });
});

const COUNTS: object[] = [
  {},
  { orgPath: branches[0] },
  { orgPath: branches[3] },
  { orgPath: branches[1], kind: 'GROUP' },
  { orgPath: branches[0], kind: 'ADULT', joinedOn: { $gte: new Date('2016-01-01'), $lt: new Date('2019-01-01') } },
  { orgPath: branches[0], kind: 'ADULT', joinedOn: { $gt: new Date('2016-01-01') } },
  { n: { $gte: 3, $lte: 9 } },
  { n: 4 },
  { n: { $lt: 2 } },
  { name: 'alpha' },
  { name: null },
  { orgPath: branches[2], kind: 'YOUTH', name: 'beta' }, // residual: not from the index
  { orgPath: new Types.ObjectId() },
];

describe('counts from index entries', () => {
  it.each(COUNTS.map((f) => [JSON.stringify(f), f]))('countDocuments(%s) equals the number of matches', async (_l, filter) => {
    const all = await coll.find(filter as object).toArray();
    expect(await coll.countDocuments(filter as object)).toBe(all.length);
    const r = await env.conn.db!.command({ count: 'members', query: filter });
    expect(r.n).toBe(all.length);
  });

  it('count honours skip and limit', async () => {
    const all = await coll.find({ orgPath: branches[0] }).toArray();
    expect(await coll.countDocuments({ orgPath: branches[0] }, { skip: 10, limit: 50 })).toBe(Math.min(50, all.length - 10));
  });

  itEmbedded('an index-answered count fetches no documents', async () => {
    const server = env.server!;
    const coll2 = server.engine.getCollection(env.dbName, 'members')!;
    const r = coll2.count({ orgPath: branches[0], kind: 'ADULT' });
    expect(r.fromIndex).toBe(true);
    expect(coll2.count({ orgPath: branches[0], kind: 'ADULT', name: 'x' }).fromIndex).toBe(false);
  });

  it('counts follow writes (insert, update of the indexed field, delete)', async () => {
    const before = await coll.countDocuments({ orgPath: branches[5] });
    const d = docAt(5);
    await coll.insertOne(d);
    expect(await coll.countDocuments({ orgPath: branches[5] })).toBe(before + 1);
    await coll.updateOne({ _id: d._id }, { $set: { orgPath: pathOf(6) } });
    expect(await coll.countDocuments({ orgPath: branches[5] })).toBe(before);
    await coll.updateOne({ _id: d._id }, { $set: { orgPath: pathOf(5) } });
    await coll.deleteOne({ _id: d._id });
    expect(await coll.countDocuments({ orgPath: branches[5] })).toBe(before);
  });
});
