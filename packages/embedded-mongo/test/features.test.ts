// Features of MongoDB 7.0 that are implemented (let variables, TTL indexes, collMod, $merge) or
// refused with MongoDB's own error (change streams, $text without a text index). Runs against
// MONGODB_URI too.
import type { Collection, Document } from 'mongodb';
import { REAL, setup, TestEnv } from './helpers';

let env: TestEnv;
let c: Collection<Document>;
beforeAll(async () => {
  env = await setup('features');
  c = env.conn.db!.collection('docs');
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  await c.deleteMany({});
  await c.insertMany([
    { _id: 1 as any, x: 1, name: 'alpha' },
    { _id: 2 as any, x: 2, name: 'beta' },
    { _id: 3 as any, x: 3, name: 'gamma' },
  ]);
});

async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('let variables', () => {
  it('find: $expr and projection read them; outside $expr "$$x" is a plain string', async () => {
    const r = await c.find({ $expr: { $eq: ['$_id', '$$id'] } }, { let: { id: 2 } } as any).toArray();
    expect(r.map((d) => d._id)).toEqual([2]);
    const p = await c
      .find({ _id: 1 as any }, { let: { bonus: { $add: [10, 5] } }, projection: { _id: 0, y: { $add: ['$x', '$$bonus'] } } } as any)
      .toArray();
    expect(p).toEqual([{ y: 16 }]);
    await c.insertOne({ _id: 4 as any, name: '$$id' });
    expect((await c.find({ name: '$$id' }, { let: { id: 2 } } as any).toArray()).map((d) => d._id)).toEqual([4]);
  });

  it('aggregate: in $match $expr, in stages, and shadowed by a $lookup let', async () => {
    const r = await c
      .aggregate(
        [
          { $match: { $expr: { $gte: ['$x', '$$min'] } } },
          { $project: { _id: 1, scaled: { $multiply: ['$x', '$$factor'] } } },
          {
            $lookup: {
              from: 'docs',
              let: { min: '$_id' },
              pipeline: [{ $match: { $expr: { $eq: ['$_id', '$$min'] } } }, { $project: { _id: 0, name: 1 } }],
              as: 'self',
            },
          },
          { $sort: { _id: 1 } },
        ],
        { let: { min: 2, factor: 10 } },
      )
      .toArray();
    expect(r).toEqual([
      { _id: 2, scaled: 20, self: [{ name: 'beta' }] },
      { _id: 3, scaled: 30, self: [{ name: 'gamma' }] },
    ]);
  });

  it('update (operator and pipeline), delete and findAndModify', async () => {
    await c.updateOne({ $expr: { $eq: ['$name', '$$n'] } }, { $set: { hit: true } }, { let: { n: 'beta' } });
    expect((await c.findOne({ hit: true }))?._id).toBe(2);
    await c.updateMany({}, [{ $set: { x: { $add: ['$x', '$$inc'] } } }], { let: { inc: 100 } });
    expect((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => d.x)).toEqual([101, 102, 103]);
    const r = await c.findOneAndUpdate({ $expr: { $eq: ['$_id', '$$id'] } }, [{ $set: { tag: '$$t' } }], {
      let: { id: 3, t: 'ok' },
      returnDocument: 'after',
    });
    expect(r?.tag).toBe('ok');
    await c.deleteMany({ $expr: { $lt: ['$x', '$$lim'] } }, { let: { lim: 103 } });
    expect((await c.find({}).toArray()).map((d) => d._id)).toEqual([3]);
  });

  it('an undefined variable is an error, not a match', async () => {
    const err = await failure(c.find({ $expr: { $eq: ['$_id', '$$nope'] } }).toArray());
    expect(err).toBeDefined();
  });
});

describe('collation', () => {
  const p = () => env.conn.db!.collection('people');
  beforeEach(async () => {
    await p().deleteMany({});
    await p().insertMany([
      { _id: 1 as any, name: 'Émile', city: '北京' },
      { _id: 2 as any, name: 'emile', city: '上海' },
      { _id: 3 as any, name: 'EMILE', city: '广州' },
      { _id: 4 as any, name: 'Zoe', city: '深圳' },
      { _id: 5 as any, name: 'adam', city: '成都' },
    ]);
  });
  const fr2 = { locale: 'fr', strength: 2 };
  const en1 = { locale: 'en', strength: 1 };

  it('strength 2 matches case-insensitively (accents count), strength 1 ignores accents too', async () => {
    expect((await p().find({ name: 'emile' }, { collation: fr2 }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([2, 3]);
    expect((await p().find({ name: 'emile' }, { collation: en1 }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
    expect(await p().countDocuments({ name: { $in: ['EMILE', 'zoe'] } }, { collation: fr2 })).toBe(3);
    expect(await p().countDocuments({ name: 'emile' })).toBe(1); // no collation: binary
    expect(await p().countDocuments({ name: { $gt: 'b' } }, { collation: en1 })).toBe(4);
  });

  it('sort follows the locale: case-insensitive order, and Chinese (zh) pinyin order', async () => {
    expect((await p().find({}, { collation: en1 }).sort({ name: 1, _id: 1 }).toArray()).map((d) => d.name)).toEqual([
      'adam',
      'Émile',
      'emile',
      'EMILE',
      'Zoe',
    ]);
    const zh = await p()
      .find({}, { collation: { locale: 'zh', strength: 2 } })
      .sort({ city: 1 })
      .toArray();
    // pinyin: beijing, chengdu, guangzhou, shanghai, shenzhen
    expect(zh.map((d) => d.city)).toEqual(['北京', '成都', '广州', '上海', '深圳']);
    const agg = await p()
      .aggregate([{ $match: { name: 'EMILE' } }, { $sort: { _id: -1 } }], { collation: fr2 })
      .toArray();
    expect(agg.map((d) => d._id)).toEqual([3, 2]);
  });

  it('update, delete, findOneAndUpdate and distinct under a collation', async () => {
    const r = await p().updateMany({ name: 'EMILE' }, { $set: { hit: 1 } }, { collation: fr2 });
    expect(r.modifiedCount).toBe(2);
    const f = await p().findOneAndUpdate({ name: 'ZOE' }, { $set: { hit: 2 } }, { collation: fr2, returnDocument: 'after' });
    expect(f?._id).toBe(4);
    expect((await p().distinct('name', { _id: { $lte: 3 } } as any, { collation: en1 })).length).toBe(1);
    const d = await p().deleteMany({ name: 'emile' }, { collation: en1 });
    expect(d.deletedCount).toBe(3);
  });

  it('an unknown locale is BadValue (2)', async () => {
    expect(
      (
        await failure(
          p()
            .find({}, { collation: { locale: 'xx_NOPE' } })
            .toArray(),
        )
      )?.code,
    ).toBe(2);
  });

  it('what is not implemented under a collation is refused (238), never answered with binary comparisons', async () => {
    const grouped = await failure(
      p()
        .aggregate([{ $group: { _id: '$name' } }], { collation: en1 })
        .toArray(),
    );
    const index = await failure(p().createIndex({ name: 1 }, { collation: en1 }));
    if (REAL) expect([grouped, index]).toEqual([undefined, undefined]);
    else expect([grouped?.code, index?.code]).toEqual([238, 238]);
  });
});

describe('$merge', () => {
  const target = () => env.conn.db!.collection('merged');
  beforeEach(async () => {
    await target()
      .drop()
      .catch(() => undefined);
    await target().insertMany([
      { _id: 1 as any, x: 0, keep: 'a' },
      { _id: 9 as any, x: 9 },
    ]);
  });

  it('default: merge matched documents by _id, insert the others', async () => {
    await c.aggregate([{ $project: { x: 1 } }, { $merge: { into: 'merged' } }]).toArray();
    expect(await target().find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, x: 1, keep: 'a' },
      { _id: 2, x: 2 },
      { _id: 3, x: 3 },
      { _id: 9, x: 9 },
    ]);
  });

  it('replace / keepExisting / discard / a pipeline with $$new and let', async () => {
    await c
      .aggregate([
        { $match: { _id: 1 } },
        { $project: { x: 1 } },
        { $merge: { into: 'merged', whenMatched: 'replace', whenNotMatched: 'discard' } },
      ])
      .toArray();
    expect(await target().findOne({ _id: 1 as any })).toEqual({ _id: 1, x: 1 });
    await c.aggregate([{ $project: { x: { $literal: 50 } } }, { $merge: { into: 'merged', whenMatched: 'keepExisting' } }]).toArray();
    expect((await target().find({}).sort({ _id: 1 }).toArray()).map((d) => d.x)).toEqual([1, 50, 50, 9]);
    await c
      .aggregate([
        { $match: { _id: 2 } },
        {
          $merge: {
            into: 'merged',
            let: { add: '$x', nm: '$name' },
            whenMatched: [{ $set: { x: { $add: ['$x', '$$add'] }, from: '$$nm' } }],
          },
        },
      ])
      .toArray();
    expect(await target().findOne({ _id: 2 as any })).toEqual({ _id: 2, x: 52, from: 'beta' });
  });

  it('fail modes and the on fields: 11000, 13113, 51183 (no unique index on them), then by a unique field', async () => {
    expect((await failure(c.aggregate([{ $merge: { into: 'merged', whenMatched: 'fail' } }]).toArray()))?.code).toBe(11000);
    expect(
      (await failure(c.aggregate([{ $match: { _id: 3 } }, { $merge: { into: 'merged', whenNotMatched: 'fail' } }]).toArray()))?.code,
    ).toBe(13113);
    expect((await failure(c.aggregate([{ $merge: { into: 'merged', on: 'name' } }]).toArray()))?.code).toBe(51183);
    await target().updateOne({ _id: 1 as any }, { $set: { name: 'one' } });
    await target().updateOne({ _id: 9 as any }, { $set: { name: 'gamma' } });
    await target().createIndex({ name: 1 }, { unique: true });
    await c
      .aggregate([{ $match: { _id: 3 } }, { $project: { _id: 0, name: 1, x: 1 } }, { $merge: { into: 'merged', on: 'name' } }])
      .toArray();
    expect(await target().findOne({ name: 'gamma' })).toEqual({ _id: 9, x: 3, name: 'gamma' });
  });
});

describe('TTL indexes', () => {
  afterAll(async () => {
    await env.conn.db!.admin().command({ setParameter: 1, ttlMonitorSleepSecs: 60 });
  });

  it('the TTL monitor deletes documents whose date is past expireAfterSeconds (earliest of an array), and only those', async () => {
    const t = env.conn.db!.collection('sessions');
    await t.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
    const was = await env.conn.db!.admin().command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
    expect(was.was).toBeDefined();
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    await t.insertMany([
      { _id: 'old' as any, at: past },
      { _id: 'new' as any, at: future },
      { _id: 'str' as any, at: 'yesterday' },
      { _id: 'none' as any },
      { _id: 'arr' as any, at: [future, past] },
    ]);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await t.countDocuments({ _id: { $in: ['old', 'arr'] } as any })) > 0)
      await new Promise((r) => setTimeout(r, 250));
    expect((await t.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['new', 'none', 'str']);
    const status = await env.conn.db!.admin().command({ serverStatus: 1 });
    expect(Number(status.metrics.ttl.passes)).toBeGreaterThan(0);
  }, 30_000);
});

describe('collMod', () => {
  it("changes an index's expireAfterSeconds and hides it from the planner (hidden indexes still enforce uniqueness)", async () => {
    const t = env.conn.db!.collection('modded');
    await t.insertMany([
      { u: 1, at: new Date() },
      { u: 2, at: new Date() },
    ]);
    await t.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    await t.createIndex({ u: 1 }, { unique: true });
    const r = await env.conn.db!.command({ collMod: 'modded', index: { keyPattern: { at: 1 }, expireAfterSeconds: 60 } });
    expect(r).toMatchObject({ expireAfterSeconds_old: 3600, expireAfterSeconds_new: 60, ok: 1 });
    expect((await t.listIndexes().toArray()).find((i) => i.name === 'at_1')?.expireAfterSeconds).toBe(60);
    const h = await env.conn.db!.command({ collMod: 'modded', index: { name: 'u_1', hidden: true } });
    expect(h).toMatchObject({ hidden_old: false, hidden_new: true });
    const plan = JSON.stringify((await t.find({ u: 2 }).explain()).queryPlanner.winningPlan);
    expect(plan).toContain('COLLSCAN');
    expect((await failure(t.insertOne({ u: 1 })))?.code).toBe(11000);
    await env.conn.db!.command({ collMod: 'modded', index: { name: 'u_1', hidden: false } });
    expect(JSON.stringify((await t.find({ u: 2 }).explain()).queryPlanner.winningPlan)).toContain('IXSCAN');
  });

  it('errors: missing collection 26, missing index 27, unknown field 40415', async () => {
    expect((await failure(env.conn.db!.command({ collMod: 'nosuch', index: { name: 'x_1', hidden: true } })))?.code).toBe(26);
    await env.conn.db!.collection('modded2').insertOne({ a: 1 });
    expect((await failure(env.conn.db!.command({ collMod: 'modded2', index: { name: 'x_1', hidden: true } })))?.code).toBe(27);
    expect((await failure(env.conn.db!.command({ collMod: 'modded2', frobnicate: 1 })))?.code).toBe(40415);
    const v = await failure(env.conn.db!.command({ collMod: 'modded2', validator: { a: { $type: 'number' } } }));
    if (REAL) expect(v).toBeUndefined();
    else expect(v?.code).toBe(238); // not implemented here: refused, never ignored
  });
});

describe('refused like MongoDB', () => {
  it('change streams: refused with 40573 (what mongod answers where they are unavailable); on a replica set they open', async () => {
    const cs = c.watch();
    try {
      const err = await failure(cs.tryNext());
      if (REAL) expect(err).toBeUndefined();
      else expect(err?.code).toBe(40573);
    } finally {
      await cs.close();
    }
    const dbErr = await failure(env.conn.db!.command({ aggregate: 1, pipeline: [{ $changeStream: {} }], cursor: {} }));
    if (!REAL) expect(dbErr?.code).toBe(40573);
  });

  it('$text without a text index: IndexNotFound (27)', async () => {
    const err = await failure(c.find({ $text: { $search: 'alpha' } }).toArray());
    expect(err?.code).toBe(27);
  });
});
