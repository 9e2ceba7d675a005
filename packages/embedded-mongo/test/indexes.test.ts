import { Schema } from 'mongoose';
import { findStage, setup, TestEnv, winningPlan } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await setup('indexes');
});
afterAll(async () => {
  await env.close();
});

describe('indexes', () => {
  it('unique index errors look exactly like MongoDB (mongoose surfaces them)', async () => {
    const User = env.conn.model('User', new Schema({ name: { type: String, unique: true }, org: String }));
    await User.init();
    await User.create({ name: 'x' });
    let err: any;
    try {
      await User.create({ name: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(11000);
    expect(err.message).toMatch(
      new RegExp(`E11000 duplicate key error collection: ${env.dbName}.users index: name_1 dup key: \\{ name: "x" \\}`),
    );
    expect(err.keyPattern).toEqual({ name: 1 });
    expect(err.keyValue).toEqual({ name: 'x' });
    // update and findAndModify and upsert are checked too
    await User.create({ name: 'y' });
    await expect(User.updateOne({ name: 'y' }, { $set: { name: 'x' } })).rejects.toMatchObject({ code: 11000, keyValue: { name: 'x' } });
    await expect(User.findOneAndUpdate({ name: 'y' }, { $set: { name: 'x' } })).rejects.toMatchObject({
      code: 11000,
      codeName: 'DuplicateKey',
    });
    await expect(User.updateOne({ name: 'nobody' }, { $set: { name: 'x' } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
    expect(await User.countDocuments()).toBe(2);
    // duplicate _id
    const d = await User.findOne({ name: 'x' }).lean();
    await expect(env.conn.db!.collection('users').insertOne({ _id: d!._id, name: 'z' })).rejects.toMatchObject({ code: 11000 });
  });

  it('compound unique, sparse and partial indexes', async () => {
    const c = env.conn.db!.collection('members');
    await c.createIndex({ org: 1, email: 1 }, { unique: true });
    await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await c.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { org: 'a', email: 'e' },
      { org: 'b', email: 'e' },
    ]);
    await expect(c.insertOne({ org: 'a', email: 'e' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { org: 'a', email: 'e' },
      keyPattern: { org: 1, email: 1 },
    });
    // sparse: many documents without the field are fine
    await c.insertOne({ org: 'c', email: '1' });
    await c.insertOne({ org: 'c', email: '2', nick: 'n' });
    await expect(c.insertOne({ org: 'c', email: '3', nick: 'n' })).rejects.toMatchObject({ code: 11000 });
    // partial: only active documents are constrained
    await c.insertOne({ org: 'd', email: '1', code: 'k', active: false });
    await c.insertOne({ org: 'd', email: '2', code: 'k', active: true });
    await expect(c.insertOne({ org: 'd', email: '3', code: 'k', active: true })).rejects.toMatchObject({ code: 11000 });
  });

  it('creating a unique index over violating data fails with 11000', async () => {
    const c = env.conn.db!.collection('dups');
    await c.insertMany([{ v: 1 }, { v: 1 }]);
    await expect(c.createIndex({ v: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    const names = (await c.listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });

  it('listIndexes and dropIndexes by name, key and *', async () => {
    const c = env.conn.db!.collection('many');
    await c.createIndexes([
      { key: { a: 1 } },
      { key: { b: -1 }, name: 'bee' },
      { key: { c: 1, d: 1 } },
      { key: { t: 1 }, expireAfterSeconds: 60 },
    ]);
    let list = await c.listIndexes().toArray();
    expect(list.map((i) => i.name)).toEqual(['_id_', 'a_1', 'bee', 'c_1_d_1', 't_1']);
    expect(list.find((i) => i.name === 't_1')?.expireAfterSeconds).toBe(60);
    await c.dropIndex('bee');
    await c.dropIndex({ a: 1 } as any);
    list = await c.listIndexes().toArray();
    expect(list.map((i) => i.name)).toEqual(['_id_', 'c_1_d_1', 't_1']);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    await expect(c.dropIndex('nope')).rejects.toMatchObject({ code: 27 });
    await expect(env.conn.db!.collection('doesNotExist').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
    // same name, different key -> 86; same key, different options -> 85
    await c.createIndex({ x: 1 }, { name: 'xi' });
    await expect(c.createIndex({ y: 1 }, { name: 'xi' })).rejects.toMatchObject({ code: 86 });
    await expect(c.createIndex({ x: 1 }, { name: 'xi', unique: true })).rejects.toMatchObject({ code: 85 });
    await c.createIndex({ x: 1 }, { name: 'xi' }); // identical: no-op
  });

  it('a partial index serves the queries whose filter implies its filter expression, as on mongod, and only those', async () => {
    const c = env.conn.db!.collection('partialplan');
    await c.createIndex({ key: 1 }, { name: 'key_partial', unique: true, partialFilterExpression: { key: { $type: 'string' } } });
    await c.createIndex({ code: 1 }, { name: 'code_active', partialFilterExpression: { active: true, n: { $gte: 5 } } });
    await c.insertMany(
      Array.from({ length: 60 }, (_, i) => ({ key: i % 3 === 0 ? null : `k${i}`, code: `c${i % 4}`, active: i % 2 === 0, n: i % 10 })),
    );
    const used = async (filter: object) => findStage(winningPlan(await c.find(filter).explain()), 'IXSCAN')?.indexName ?? null;
    // Every document these match is in the index: it is used (a scan of every document before).
    expect(await used({ key: 'k4' })).toBe('key_partial');
    expect(await used({ key: { $eq: 'k4' } })).toBe('key_partial');
    expect(await used({ key: { $in: ['k4', 'k5'] } })).toBe('key_partial');
    expect(await used({ code: 'c1', active: true, n: 7 })).toBe('code_active');
    expect(await used({ $and: [{ code: 'c1' }, { active: true }], n: { $in: [5, 9] } })).toBe('code_active');
    // These may match documents outside it: never used.
    expect(await used({ key: null })).toBeNull();
    expect(await used({ key: { $in: ['k4', null] } })).toBeNull();
    expect(await used({ key: 4 })).toBeNull();
    expect(await used({ key: { $gt: 'k' } })).toBeNull();
    expect(await used({ code: 'c1', active: true, n: 3 })).toBeNull();
    expect(await used({ code: 'c1', active: true })).toBeNull();
    expect(await used({ $or: [{ key: 'k4' }] })).toBeNull();
    // The answers are the same either way.
    expect((await c.find({ key: 'k4' }).toArray()).map((d) => d.key)).toEqual(['k4']);
    expect(await c.countDocuments({ key: { $in: ['k4', 'k5', 'k6'] } })).toBe(2);
    const scanned = (await c.find({}).toArray()).filter((d) => d.code === 'c1' && d.active && [5, 9].includes(d.n)).length;
    expect(await c.countDocuments({ $and: [{ code: 'c1' }, { active: true }], n: { $in: [5, 9] } })).toBe(scanned);
  });

  it('explain says IXSCAN with the index name when indexed, COLLSCAN otherwise', async () => {
    const Ev = env.conn.model('Ev', new Schema({ kind: { type: String, index: true }, at: Number, org: String, tag: String }));
    Ev.schema.index({ org: 1, at: -1 });
    await Ev.init();
    await Ev.syncIndexes();
    await Ev.insertMany(Array.from({ length: 50 }, (_, i) => ({ kind: 'k' + (i % 5), at: i, org: 'o' + (i % 3), tag: 't' })));
    const ix = (plan: any) => findStage(plan, 'IXSCAN');
    let e: any = await Ev.find({ kind: 'k1' }).explain();
    expect(ix(winningPlan(e))?.indexName).toBe('kind_1');
    e = await Ev.find({ kind: { $in: ['k1', 'k2'] } }).explain();
    expect(ix(winningPlan(e))?.indexName).toBe('kind_1');
    e = await Ev.find({ org: 'o1', at: { $gte: 10 } }).explain();
    expect(ix(winningPlan(e))?.indexName).toBe('org_1_at_-1');
    e = await Ev.find({ tag: 't' }).explain();
    expect(ix(winningPlan(e))).toBeNull();
    expect(findStage(winningPlan(e), 'COLLSCAN')).not.toBeNull();
    e = await Ev.aggregate([{ $match: { kind: 'k3' } }, { $group: { _id: null, n: { $sum: 1 } } }]).explain();
    expect(ix(winningPlan(e))?.indexName).toBe('kind_1');
    e = await Ev.aggregate([{ $match: { tag: 't' } }]).explain();
    expect(findStage(winningPlan(e), 'COLLSCAN')).not.toBeNull();
    // results through the index are correct
    expect(await Ev.countDocuments({ kind: { $in: ['k1', 'k2'] } })).toBe(20);
    expect(await Ev.countDocuments({ org: 'o1', at: { $gte: 10, $lt: 20 } })).toBe(4);
  });

  it('range and equality lookups through an index compare numbers, dates, ObjectIds and strings by BSON order', async () => {
    const c = env.conn.db!.collection('mixed');
    await c.createIndex({ v: 1 });
    const d1 = new Date('2020-01-01');
    const d2 = new Date('2021-01-01');
    await c.insertMany([{ v: 1 }, { v: 2.5 }, { v: 10 }, { v: 'a' }, { v: 'b' }, { v: d1 }, { v: d2 }, { v: null }, {}, { v: [3, 30] }]);
    const vals = async (f: any) => (await c.find(f).toArray()).map((d) => d.v);
    expect(await vals({ v: { $gt: 2 } })).toEqual(expect.arrayContaining([2.5, 10, [3, 30]]));
    expect((await vals({ v: { $gt: 2 } })).length).toBe(3);
    expect(await vals({ v: { $gte: 'a', $lt: 'b' } })).toEqual(['a']);
    expect((await vals({ v: { $gt: d1 } })).map((x: any) => x.getTime())).toEqual([d2.getTime()]);
    expect(await vals({ v: 3 })).toEqual([[3, 30]]);
    // multikey: the two bounds may be met by different elements, as on MongoDB
    expect(await vals({ v: { $gt: 4, $lt: 20 } })).toEqual(expect.arrayContaining([10, [3, 30]]));
    expect((await vals({ v: null })).length).toBe(2);
    expect(await vals({ v: 2.5 })).toEqual([2.5]);
  });
});
