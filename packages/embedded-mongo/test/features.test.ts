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
