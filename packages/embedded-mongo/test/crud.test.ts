import { ObjectId } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { setup, TestEnv } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await setup('crud');
});
afterAll(async () => {
  await env.close();
});

interface Item {
  name: string;
  qty: number;
  tags: string[];
  sizes: { label: string; stock: number }[];
  meta?: { color?: string };
}

function model() {
  const schema = new Schema<Item>({
    name: { type: String, required: true },
    qty: Number,
    tags: [String],
    sizes: [{ _id: false, label: String, stock: Number }],
    meta: { color: String },
  });
  return env.conn.model<Item>('Item', schema);
}

describe('CRUD through mongoose', () => {
  let Item: mongoose.Model<Item>;
  beforeAll(async () => {
    Item = model();
    await Item.init();
  });
  beforeEach(async () => {
    await Item.deleteMany({});
    await Item.insertMany([
      {
        name: 'apple',
        qty: 5,
        tags: ['fruit', 'red'],
        sizes: [
          { label: 's', stock: 1 },
          { label: 'l', stock: 0 },
        ],
        meta: { color: 'red' },
      },
      { name: 'banana', qty: 12, tags: ['fruit'], sizes: [{ label: 's', stock: 3 }] },
      { name: 'carrot', qty: 0, tags: ['vegetable'], sizes: [] },
      { name: 'date', qty: 7, tags: ['fruit', 'brown'], sizes: [{ label: 'm', stock: 2 }] },
    ]);
  });

  it('find with filter, projection, sort, skip, limit', async () => {
    const r = await Item.find({ tags: 'fruit' }, { name: 1, _id: 0 }).sort({ qty: -1 }).skip(1).limit(2).lean();
    expect(r).toEqual([{ name: 'date' }, { name: 'apple' }]);
    const ne = await Item.find({ qty: { $gt: 4, $lt: 10 }, name: { $ne: 'apple' } }).lean();
    expect(ne.map((d) => d.name)).toEqual(['date']);
    const re = await Item.find({ name: /an/ }).lean();
    expect(re.map((d) => d.name)).toEqual(['banana']);
    const nested = await Item.findOne({ 'meta.color': 'red' }).lean();
    expect(nested?.name).toBe('apple');
    const elem = await Item.find({ sizes: { $elemMatch: { label: 's', stock: { $gte: 2 } } } }).lean();
    expect(elem.map((d) => d.name)).toEqual(['banana']);
    const excl = await Item.findOne({ name: 'apple' }).select('-sizes -tags').lean();
    expect(excl).not.toHaveProperty('sizes');
    expect(excl).toHaveProperty('qty', 5);
  });

  it('cursors fetch across getMore batches', async () => {
    const docs = Array.from({ length: 250 }, (_, i) => ({ name: 'bulk' + i, qty: i }));
    await Item.insertMany(docs);
    const seen: number[] = [];
    for await (const d of Item.find({ name: /^bulk/ }).sort({ qty: 1 }).batchSize(17).cursor()) seen.push(d.qty);
    expect(seen).toEqual(docs.map((d) => d.qty));
    const raw = await env.conn.db!.collection('items').find({ name: /^bulk/ }, { batchSize: 10 }).toArray();
    expect(raw.length).toBe(250);
    // killCursors on an abandoned cursor
    const c = env.conn.db!.collection('items').find({}, { batchSize: 2 });
    await c.next();
    await c.close();
  });

  it('update operators, replacement, multi, upsert with $setOnInsert', async () => {
    await Item.updateOne({ name: 'apple' }, { $inc: { qty: 2 }, $push: { tags: 'sweet' }, $set: { 'meta.color': 'green' } });
    const a = await Item.findOne({ name: 'apple' }).lean();
    expect(a?.qty).toBe(7);
    expect(a?.tags).toEqual(['fruit', 'red', 'sweet']);
    expect(a?.meta?.color).toBe('green');
    const many = await Item.updateMany({ tags: 'fruit' }, { $addToSet: { tags: 'food' } });
    expect(many.matchedCount).toBe(3);
    expect(many.modifiedCount).toBe(3);
    const none = await Item.updateMany({ name: 'apple' }, { $set: { qty: 7 } });
    expect(none.matchedCount).toBe(1);
    expect(none.modifiedCount).toBe(0);
    await Item.updateOne({ name: 'carrot' }, { $unset: { tags: 1 }, $rename: { qty: 'count' } }, { strict: false });
    const c = await env.conn.db!.collection('items').findOne({ name: 'carrot' });
    expect(c).not.toHaveProperty('tags');
    expect(c?.count).toBe(0);
    const up = await Item.updateOne({ name: 'eggplant' }, { $set: { qty: 1 }, $setOnInsert: { tags: ['new'] } }, { upsert: true });
    expect(up.upsertedCount).toBe(1);
    const e = await Item.findOne({ name: 'eggplant' }).lean();
    expect(e).toMatchObject({ name: 'eggplant', qty: 1, tags: ['new'] });
    await Item.updateOne({ name: 'eggplant' }, { $set: { qty: 2 }, $setOnInsert: { tags: ['ignored'] } }, { upsert: true });
    expect((await Item.findOne({ name: 'eggplant' }).lean())?.tags).toEqual(['new']);
    await Item.replaceOne({ name: 'banana' }, { name: 'banana', qty: 1 });
    const b = await Item.findOne({ name: 'banana' }).lean();
    expect(b?.qty).toBe(1);
    expect(b?.tags).toEqual([]);
  });

  it('positional $, $[] and arrayFilters', async () => {
    await Item.updateOne({ name: 'apple', 'sizes.label': 'l' }, { $set: { 'sizes.$.stock': 9 } });
    await Item.updateOne({ name: 'banana' }, { $inc: { 'sizes.$[].stock': 10 } });
    await Item.updateOne({ name: 'date' }, { $set: { 'sizes.$[s].stock': 0 } }, { arrayFilters: [{ 's.label': 'm' }] });
    expect((await Item.findOne({ name: 'apple' }).lean())?.sizes).toEqual([
      { label: 's', stock: 1 },
      { label: 'l', stock: 9 },
    ]);
    expect((await Item.findOne({ name: 'banana' }).lean())?.sizes).toEqual([{ label: 's', stock: 13 }]);
    expect((await Item.findOne({ name: 'date' }).lean())?.sizes).toEqual([{ label: 'm', stock: 0 }]);
  });

  it('deleteOne / deleteMany', async () => {
    expect((await Item.deleteOne({ tags: 'fruit' })).deletedCount).toBe(1);
    expect((await Item.deleteMany({ tags: 'fruit' })).deletedCount).toBe(2);
    expect(await Item.countDocuments()).toBe(1);
  });

  it('findOneAndUpdate / findOneAndDelete / upsert via findAndModify', async () => {
    const before = await Item.findOneAndUpdate({ name: 'apple' }, { $inc: { qty: 1 } }).lean();
    expect(before?.qty).toBe(5);
    const after = await Item.findOneAndUpdate(
      { name: 'apple' },
      { $inc: { qty: 1 } },
      { returnDocument: 'after', projection: { qty: 1 } },
    ).lean();
    expect(after?.qty).toBe(7);
    expect(after).not.toHaveProperty('tags');
    const first = await Item.findOneAndUpdate(
      { tags: 'fruit' },
      { $set: { meta: { color: 'x' } } },
      { sort: { qty: -1 }, returnDocument: 'after' },
    ).lean();
    expect(first?.name).toBe('banana');
    const created = await Item.findOneAndUpdate(
      { name: 'fig' },
      { $setOnInsert: { qty: 3 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(created).toMatchObject({ name: 'fig', qty: 3 });
    const gone = await Item.findOneAndDelete({ name: 'carrot' }).lean();
    expect(gone?.name).toBe('carrot');
    expect(await Item.findOne({ name: 'carrot' })).toBeNull();
    expect(await Item.findOneAndUpdate({ name: 'nothing' }, { $set: { qty: 1 } })).toBeNull();
  });

  it('count, countDocuments, estimatedDocumentCount, distinct', async () => {
    expect(await Item.countDocuments({ qty: { $gte: 5 } })).toBe(3);
    expect(await Item.estimatedDocumentCount()).toBe(4);
    expect((await Item.distinct('tags')).sort()).toEqual(['brown', 'fruit', 'red', 'vegetable']);
    expect((await Item.distinct('name', { qty: { $lt: 6 } })).sort()).toEqual(['apple', 'carrot']);
    const raw = await env.conn.db!.command({ count: 'items', query: { tags: 'fruit' } });
    expect(raw.n).toBe(3);
  });

  it('bulkWrite ordered and unordered report writeErrors with their index', async () => {
    const Uniq = env.conn.model('Uniq', new Schema({ code: { type: String, unique: true }, n: Number }));
    await Uniq.init();
    const r = await Uniq.bulkWrite([
      { insertOne: { document: { code: 'a', n: 1 } } },
      { updateOne: { filter: { code: 'a' }, update: { $inc: { n: 1 } } } },
      { updateOne: { filter: { code: 'z' }, update: { $set: { n: 0 } }, upsert: true } },
      { deleteOne: { filter: { code: 'nope' } } },
    ]);
    expect(r.insertedCount).toBe(1);
    expect(r.modifiedCount).toBe(1);
    expect(r.upsertedCount).toBe(1);
    let err: any;
    try {
      await Uniq.bulkWrite(
        [
          { insertOne: { document: { code: 'b' } } },
          { insertOne: { document: { code: 'a' } } },
          { insertOne: { document: { code: 'c' } } },
        ],
        { ordered: true },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeDefined();
    expect(err.code).toBe(11000);
    expect(err.writeErrors.map((w: any) => w.index)).toEqual([1]);
    expect(await Uniq.exists({ code: 'c' })).toBeNull();
    err = undefined;
    try {
      await Uniq.bulkWrite(
        [
          { insertOne: { document: { code: 'a' } } },
          { insertOne: { document: { code: 'd' } } },
          { insertOne: { document: { code: 'b' } } },
          { insertOne: { document: { code: 'e' } } },
        ],
        { ordered: false },
      );
    } catch (e) {
      err = e;
    }
    expect(err.writeErrors.map((w: any) => w.index).sort()).toEqual([0, 2]);
    expect(await Uniq.countDocuments({ code: { $in: ['d', 'e'] } })).toBe(2);
  });

  it('insertMany unordered continues past duplicate keys and reports each index', async () => {
    const Person = env.conn.model('Person', new Schema({ email: { type: String, unique: true } }));
    await Person.init();
    await Person.create({ email: 'x@y' });
    let err: any;
    try {
      await Person.insertMany([{ email: 'a@y' }, { email: 'x@y' }, { email: 'b@y' }, { email: 'a@y' }], { ordered: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeDefined();
    const idx = (err.writeErrors ?? err.result?.result?.writeErrors ?? []).map((w: any) => w.index ?? w.err?.index);
    expect(idx.sort()).toEqual([1, 3]);
    expect(await Person.countDocuments()).toBe(3);
    err = undefined;
    try {
      await Person.insertMany([{ email: 'c@y' }, { email: 'x@y' }, { email: 'd@y' }], { ordered: true });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(11000);
    expect(await Person.exists({ email: 'c@y' })).not.toBeNull();
    expect(await Person.exists({ email: 'd@y' })).toBeNull();
  });

  it('unsupported query and update operators are errors, not silence', async () => {
    const c = env.conn.db!.collection('items');
    await expect(c.find({ qty: { $bogus: 1 } }).toArray()).rejects.toMatchObject({ code: 2 });
    await expect(c.updateOne({}, { $bogus: { qty: 1 } } as any)).rejects.toMatchObject({ code: 9 });
    await expect(c.updateOne({ name: 'apple' }, { $set: { _id: 5 } })).rejects.toMatchObject({ code: 66 });
  });

  it('optimistic concurrency: versionKey and VersionError', async () => {
    const schema = new Schema({ title: String, list: [String] }, { optimisticConcurrency: true });
    const Doc = env.conn.model('Versioned', schema);
    const d = await Doc.create({ title: 't', list: [] });
    const a = await Doc.findById(d._id);
    const b = await Doc.findById(d._id);
    a!.title = 'a';
    await a!.save();
    expect(a!.__v).toBe(1);
    b!.title = 'b';
    await expect(b!.save()).rejects.toBeInstanceOf(mongoose.Error.VersionError);
    expect((await Doc.findById(d._id).lean())?.title).toBe('a');
  });
});

describe('$in filters', () => {
  it('match scalars and array elements through a set, in time linear in the list', async () => {
    const { MongoClient, ObjectId } = (await import('mongoose')).mongo;
    const { startEmbeddedMongo } = await import('../src');
    const m = await startEmbeddedMongo();
    const client = await MongoClient.connect(m.uri);
    try {
      const coll = client.db('intest').collection('docs');
      const docs = Array.from({ length: 6000 }, (_, i) => ({
        _id: new ObjectId(),
        n: i,
        d: new Date(Date.UTC(2020, 0, 1 + (i % 50))),
        tags: [i % 7, `t${i % 11}`],
      }));
      await coll.insertMany(docs);
      expect(await coll.countDocuments({ _id: { $in: docs.slice(0, 5000).map((d) => d._id) } })).toBe(5000);
      expect(await coll.countDocuments({ n: { $in: [1, 2, 2.0, 99999] } })).toBe(2);
      expect(await coll.countDocuments({ tags: { $in: [3, 't4'] } })).toBe(
        docs.filter((d) => d.tags[0] === 3 || d.tags[1] === 't4').length,
      );
      expect(await coll.countDocuments({ d: { $in: [new Date(Date.UTC(2020, 0, 1))] } })).toBe(120);
      expect(await coll.countDocuments({ n: { $in: [] } })).toBe(0);
    } finally {
      await client.close();
      await m.stop();
    }
  });

  // Inclusion projections are done without mingo (counter reads project on every request);
  // they answer as mingo did, except that fields come in the document's order, as on mongod.
  it('inclusion projections: dotted paths through sub-documents and arrays, _id excluded or not', async () => {
    const c = env.conn.db!.collection('inclusions');
    const when = new Date('2021-06-30T00:00:00Z');
    const docs: any[] = [
      { _id: 1, a: { b: 1, c: 2 }, d: 3 },
      { _id: 2, a: { c: 2 } },
      { _id: 3, a: [1, { b: 2, c: 3 }, { c: 4 }, [{ b: 5 }, 6]] },
      { _id: 4, a: 5, d: when },
      { _id: 5 },
      { d: 1, _id: 6, a: { b: { x: 1, y: [1, 2] } } },
      { _id: 7, a: { b: when, c: new ObjectId('0123456789abcdef01234567') } },
    ];
    await c.insertMany(docs);
    const cases: Array<[any, any[]]> = [
      [
        { 'a.b': 1 },
        [
          { _id: 1, a: { b: 1 } },
          { _id: 2, a: {} },
          { _id: 3, a: [{ b: 2 }, {}, [{ b: 5 }]] },
          { _id: 4 },
          { _id: 5 },
          { _id: 6, a: { b: { x: 1, y: [1, 2] } } },
          { _id: 7, a: { b: when } },
        ],
      ],
      [
        { 'a.b': 1, _id: 0 },
        [{ a: { b: 1 } }, { a: {} }, { a: [{ b: 2 }, {}, [{ b: 5 }]] }, {}, {}, { a: { b: { x: 1, y: [1, 2] } } }, { a: { b: when } }],
      ],
      [
        { d: true, 'a.c': 2 },
        [
          { _id: 1, a: { c: 2 }, d: 3 },
          { _id: 2, a: { c: 2 } },
          { _id: 3, a: [{ c: 3 }, { c: 4 }, [{}]] },
          { _id: 4, d: when },
          { _id: 5 },
          { d: 1, _id: 6, a: {} },
          { _id: 7, a: { c: new ObjectId('0123456789abcdef01234567') } },
        ],
      ],
      [
        { 'a.b.y': 1, 'a.c': 1, _id: 0 },
        [
          { a: { c: 2 } },
          { a: { c: 2 } },
          { a: [{ c: 3 }, { c: 4 }, [{}]] },
          {},
          {},
          { a: { b: { y: [1, 2] } } },
          { a: { c: new ObjectId('0123456789abcdef01234567') } },
        ],
      ],
    ];
    for (const [projection, expected] of cases) {
      const got = await c.find({}, { projection }).sort({ _id: 1 }).toArray();
      expect({ projection, got }).toEqual({ projection, got: expected });
    }
    // as on mongod: the document's order (_id first, as stored), not the projection's
    expect(Object.keys((await c.findOne({ _id: 6 as any }, { projection: { a: 1, d: 1 } }))!)).toEqual(['_id', 'd', 'a']);
    // In a transaction only the fields projected and sorted on are decoded: the same answers,
    // sorted on a field left out of the projection (no index on it), and the transaction's own writes.
    const session = env.conn.getClient().startSession();
    try {
      await session.withTransaction(async () => {
        for (const [projection, expected] of cases) {
          const got = await c.find({}, { projection, session }).sort({ _id: 1 }).toArray();
          expect({ projection, inTransaction: got }).toEqual({ projection, inTransaction: expected });
        }
        await c.insertOne({ _id: 8, a: { b: 9 }, d: 0 } as any, { session });
        const byD = await c
          .find({ d: { $type: 'number' } }, { projection: { 'a.b': 1, _id: 0 }, session })
          .sort({ d: -1 })
          .toArray();
        expect(byD).toEqual([{ a: { b: 1 } }, { a: { b: { x: 1, y: [1, 2] } } }, { a: { b: 9 } }]);
        await session.abortTransaction();
      });
    } finally {
      await session.endSession();
    }
  });

  // Exclusions of top-level fields are done without mingo (each change feed reads its version
  // document with { recent: 0 } ten times a second); dotted ones still go through mingo.
  it('exclusion projections: top-level fields, _id, dotted paths, in the document order, in a transaction', async () => {
    const c = env.conn.db!.collection('exclusions');
    await c.insertMany([
      { _id: 1 as any, v: 3, recent: ['a', 'b'], since: 's', nested: { x: 1, y: 2 } },
      { _id: 2 as any, nested: [{ x: 1, y: 2 }, { x: 3 }], v: 4 },
      { _id: 3 as any },
    ]);
    const cases: [Record<string, unknown>, unknown[]][] = [
      [
        { recent: 0 },
        [{ _id: 1, v: 3, since: 's', nested: { x: 1, y: 2 } }, { _id: 2, nested: [{ x: 1, y: 2 }, { x: 3 }], v: 4 }, { _id: 3 }],
      ],
      [{ _id: 0, recent: false, since: 0 }, [{ v: 3, nested: { x: 1, y: 2 } }, { nested: [{ x: 1, y: 2 }, { x: 3 }], v: 4 }, {}]],
      [{ _id: 0 }, [{ v: 3, recent: ['a', 'b'], since: 's', nested: { x: 1, y: 2 } }, { nested: [{ x: 1, y: 2 }, { x: 3 }], v: 4 }, {}]],
      [
        { missing: 0 },
        [
          { _id: 1, v: 3, recent: ['a', 'b'], since: 's', nested: { x: 1, y: 2 } },
          { _id: 2, nested: [{ x: 1, y: 2 }, { x: 3 }], v: 4 },
          { _id: 3 },
        ],
      ],
      [
        { 'nested.y': 0, recent: 0 },
        [{ _id: 1, v: 3, since: 's', nested: { x: 1 } }, { _id: 2, nested: [{ x: 1 }, { x: 3 }], v: 4 }, { _id: 3 }],
      ],
    ];
    for (const [projection, expected] of cases) {
      const got = await c.find({}, { projection }).sort({ _id: 1 }).toArray();
      expect({ projection, got }).toEqual({ projection, got: expected });
    }
    expect(Object.keys((await c.findOne({ _id: 2 as any }, { projection: { _id: 0 } }))!)).toEqual(['nested', 'v']);
    // { _id: 0 } alone was taken for an inclusion of nothing: every document came back empty.
    expect(await c.aggregate([{ $match: { _id: 3 } }, { $project: { _id: 0 } }]).toArray()).toEqual([{}]);
    expect(await c.aggregate([{ $match: { _id: 2 } }, { $project: { _id: 0 } }]).toArray()).toEqual([
      { nested: [{ x: 1, y: 2 }, { x: 3 }], v: 4 },
    ]);
    const session = env.conn.getClient().startSession();
    try {
      await session.withTransaction(async () => {
        await c.updateOne({ _id: 3 as any }, { $set: { v: 5, recent: [] } }, { session });
        expect(await c.findOne({ _id: 3 as any }, { projection: { recent: 0 }, session })).toEqual({ _id: 3, v: 5 });
      });
    } finally {
      await session.endSession();
    }
    // Inclusion and exclusion mixed (other than _id) is refused, as mongod refuses it.
    await expect(c.findOne({}, { projection: { v: 1, recent: 0 } })).rejects.toMatchObject({ code: expect.any(Number) });
  });

  // A read with a dotted exclusion ('a.b': 0) removed that path from the decoded document the
  // server keeps for later reads, and the next update stored it so: the field was lost for good.
  it('a read never changes what is stored: dotted exclusions in find and $project, in a transaction too', async () => {
    const c = env.conn.db!.collection('unchanged-by-reads');
    const orig = {
      _id: 1,
      nested: [
        { x: 1, y: 2 },
        { x: 3, y: [1, 2] },
      ],
      obj: { a: 1, b: 2, c: { d: 1, e: 2 } },
      v: 4,
    };
    await c.insertOne(orig as any);
    const reads: [string, () => Promise<unknown>][] = [
      ["find { 'obj.b': 0 }", () => c.find({}, { projection: { 'obj.b': 0 } }).toArray()],
      ["find { 'nested.y': 0 }", () => c.find({}, { projection: { 'nested.y': 0 } }).toArray()],
      ["find { 'obj.c.d': 0, v: 0 }", () => c.find({}, { projection: { 'obj.c.d': 0, v: 0 } }).toArray()],
      ["find { 'obj.c.e': 0, nested: { $slice: 1 } }", () => c.find({}, { projection: { 'obj.c.e': 0, nested: { $slice: 1 } } }).toArray()],
      ["$project { 'obj.b': 0 }", () => c.aggregate([{ $project: { 'obj.b': 0 } }]).toArray()],
      [
        "$match, $project { 'nested.y': 0, _id: 0 }",
        () => c.aggregate([{ $match: { v: 4 } }, { $project: { 'nested.y': 0, _id: 0 } }]).toArray(),
      ],
    ];
    for (const [what, read] of reads) {
      await c.findOne({ _id: 1 as any }); // decoded and kept by the server
      await read();
      expect({ what, stored: await c.findOne({ _id: 1 as any }) }).toEqual({ what, stored: orig });
    }
    expect(await c.find({}, { projection: { 'obj.c.d': 0 } }).toArray()).toEqual([{ ...orig, obj: { a: 1, b: 2, c: { e: 2 } } }]);
    await c.updateOne({ _id: 1 as any }, { $inc: { v: 1 } });
    expect(await c.findOne({ _id: 1 as any })).toEqual({ ...orig, v: 5 });
    // A transaction's own version of the document, read so, is committed whole.
    const session = env.conn.getClient().startSession();
    try {
      await session.withTransaction(async () => {
        await c.updateOne({ _id: 1 as any }, { $set: { v: 6 } }, { session });
        await c.find({}, { projection: { 'obj.b': 0, 'nested.y': 0 }, session }).toArray();
        await c.aggregate([{ $project: { 'obj.c.d': 0 } }], { session }).toArray();
      });
    } finally {
      await session.endSession();
    }
    expect(await c.findOne({ _id: 1 as any })).toEqual({ ...orig, v: 6 });
  });

  // mongod 4.4+: a `$slice` projection by itself is an exclusion (every other field returned);
  // with an inclusion it is part of it. The change feed reads the last scopes of its version
  // document this way, and got a document with neither the version nor its history.
  it('a $slice projection alone returns every other field; with an inclusion only what is included', async () => {
    const c = env.conn.db!.collection('slices');
    await c.insertOne({
      _id: 1 as any,
      v: 7,
      since: 's',
      recent: ['a', 'b', 'c', 'd'],
      details: { colors: ['x', 'y', 'z'], sizes: [1, 2] },
    });
    expect(await c.findOne({ _id: 1 as any }, { projection: { recent: { $slice: -2 } } })).toEqual({
      _id: 1,
      v: 7,
      since: 's',
      recent: ['c', 'd'],
      details: { colors: ['x', 'y', 'z'], sizes: [1, 2] },
    });
    expect(
      await c.findOne({ _id: 1 as any }, { projection: { _id: 0, since: 0, 'details.colors': { $slice: 1 }, recent: { $slice: [1, 2] } } }),
    ).toEqual({
      v: 7,
      recent: ['b', 'c'],
      details: { colors: ['x'], sizes: [1, 2] },
    });
    expect(await c.findOne({ _id: 1 as any }, { projection: { v: 1, recent: { $slice: 1 } } })).toEqual({ _id: 1, v: 7, recent: ['a'] });
    // findAndModify answers with the same projection; the stored document is untouched.
    const after = await c.findOneAndUpdate({ _id: 1 as any }, { $inc: { v: 1 }, $push: { recent: { $each: ['e'], $slice: -4 } } } as any, {
      returnDocument: 'after',
      projection: { recent: { $slice: -1 } },
      includeResultMetadata: false,
    });
    expect(after).toMatchObject({ v: 8, since: 's', recent: ['e'] });
    expect((await c.findOne({ _id: 1 as any }))!.recent).toEqual(['b', 'c', 'd', 'e']);
    await expect(c.findOne({ _id: 1 as any }, { projection: { recent: { $slice: [1, 0] } } })).rejects.toMatchObject({ code: 2 });
  });
});

describe('$push and conflicting update paths', () => {
  const coll = () => env.conn.db!.collection<any>('pushes');
  beforeEach(async () => {
    await coll().deleteMany({});
    await coll().insertOne({ _id: 1, list: ['a', 'b'], n: 5, nested: { inner: [1] }, text: 'x' });
  });
  const after = async (update: object) => {
    await coll().updateOne({ _id: 1 }, update);
    return coll().findOne({ _id: 1 });
  };

  it('appends a value, an object or $each values, creating missing arrays and embedded documents', async () => {
    expect((await after({ $push: { list: 'c' } }))!.list).toEqual(['a', 'b', 'c']);
    expect((await after({ $push: { list: { k: 1 } } }))!.list).toEqual(['a', 'b', 'c', { k: 1 }]);
    expect((await after({ $push: { 'nested.inner': { $each: [2, 3] } } }))!.nested).toEqual({ inner: [1, 2, 3] });
    expect((await after({ $push: { 'fresh.deep': { $each: ['z'] } } }))!.fresh).toEqual({ deep: ['z'] });
    expect((await after({ $push: { other: [1, 2] } }))!.other).toEqual([[1, 2]]);
  });

  it('$slice keeps the first n, the last n when negative, none when 0', async () => {
    expect((await after({ $push: { list: { $each: ['c', 'd'], $slice: 3 } } }))!.list).toEqual(['a', 'b', 'c']);
    expect((await after({ $push: { list: { $each: ['e'], $slice: -2 } } }))!.list).toEqual(['c', 'e']);
    expect((await after({ $push: { list: { $each: [], $slice: 0 } } }))!.list).toEqual([]);
  });

  it('refuses to push onto a field that is not an array, changing nothing (BadValue, PathNotViable: as mongod)', async () => {
    await expect(coll().updateOne({ _id: 1 }, { $push: { n: 1 } } as any)).rejects.toMatchObject({
      code: 2,
      message: "The field 'n' must be an array but is of type int in document {_id: 1}",
    });
    await expect(coll().updateOne({ _id: 1 }, { $push: { 'text.deep': 1 } } as any)).rejects.toMatchObject({ code: 28 });
    expect(await coll().findOne({ _id: 1 })).toMatchObject({ n: 5, text: 'x' });
  });

  it('refuses two operators on one path, or on a path and a field below it (ConflictingUpdateOperators, as mongod)', async () => {
    for (const update of [
      { $set: { n: 1 }, $inc: { n: 1 } },
      { $inc: { n: 1 }, $push: { n: 2 } },
      { $set: { nested: {} }, $push: { 'nested.inner': 2 } },
      { $unset: { 'nested.inner': '' }, $set: { nested: 1 } },
    ])
      await expect(coll().updateOne({ _id: 1 }, update as any)).rejects.toMatchObject({ code: 40 });
    // Sibling paths and a name that only starts like another are not conflicts.
    expect(await after({ $set: { 'nested.a': 1, nestedX: 2 }, $push: { 'nested.inner': 2 } })).toMatchObject({
      nested: { inner: [1, 2], a: 1 },
      nestedX: 2,
    });
  });
});

describe('the 16 MiB document limit', () => {
  it('refuses an update whose result would pass it (17419, as mongod), inside a transaction too, changing nothing', async () => {
    const coll = env.conn.db!.collection<{ _id: string; a?: string; b?: string }>('limit16');
    const half = 'x'.repeat(9 * 1024 * 1024);
    await coll.insertOne({ _id: 'doc', a: half });
    const err = await coll.updateOne({ _id: 'doc' }, { $set: { b: half } }).catch((e) => e);
    expect(err).toMatchObject({ code: 17419, errmsg: 'Resulting document after update is larger than 16777216' });
    const session = env.conn.getClient().startSession();
    try {
      const inTxn = await session
        .withTransaction(() => coll.updateOne({ _id: 'doc' }, { $set: { b: half } }, { session }))
        .catch((e: unknown) => e);
      expect(inTxn).toMatchObject({ code: 17419 });
    } finally {
      await session.endSession();
    }
    expect(Object.keys((await coll.findOne({ _id: 'doc' }))!)).toEqual(['_id', 'a']);
  });
});
