// _id is immutable and always present, on every write path, as on MongoDB 7.0: pipeline
// updates, replacements, findAndModify, bulkWrite and upserts that would change it are refused
// with ImmutableField (66); a result without _id keeps the old one; an _id holding a
// '$'-prefixed field name is refused (DollarPrefixedFieldName, 52). Runs against MONGODB_URI too.
import type { Collection, Document } from 'mongodb';
import { setup, TestEnv } from './helpers';

let env: TestEnv;
let c: Collection<Document>;
beforeAll(async () => {
  env = await setup('ids');
  c = env.conn.db!.collection('things');
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  await c.deleteMany({});
  await c.insertMany([
    { _id: 1 as any, a: 1, t: { x: 1 } },
    { _id: 2 as any, a: 2, t: { _id: 9, x: 2 } },
  ]);
});

async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (e) {
    const err = e as any;
    return err.code ?? err.writeErrors?.[0]?.code ?? err.writeErrors?.[0]?.err?.code;
  }
  return undefined;
}

async function all(): Promise<Document[]> {
  return c.find({}).sort({ _id: 1 }).toArray();
}

const UNCHANGED = [
  { _id: 1, a: 1, t: { x: 1 } },
  { _id: 2, a: 2, t: { _id: 9, x: 2 } },
];

describe('_id is immutable (ImmutableField 66)', () => {
  it('a pipeline update that sets another _id is refused and changes nothing', async () => {
    expect(await codeOf(c.updateOne({ _id: 1 as any }, [{ $set: { _id: 2 } }]))).toBe(66);
    expect(await codeOf(c.updateMany({}, [{ $set: { _id: 3 } }]))).toBe(66);
    expect(await all()).toEqual(UNCHANGED);
    expect(await c.countDocuments({ _id: 2 as any })).toBe(1);
  });

  it('a pipeline that drops _id keeps the old one; one that brings another _id is refused', async () => {
    await c.updateOne({ _id: 1 as any }, [{ $replaceRoot: { newRoot: '$t' } }]);
    expect(await c.findOne({ _id: 1 as any })).toEqual({ _id: 1, x: 1 });
    await c.updateOne({ _id: 1 as any }, [{ $unset: '_id' }, { $set: { b: 1 } }]);
    expect(await c.findOne({ _id: 1 as any })).toEqual({ _id: 1, x: 1, b: 1 });
    expect(await codeOf(c.updateOne({ _id: 2 as any }, [{ $replaceRoot: { newRoot: '$t' } }]))).toBe(66);
    expect(await codeOf(c.updateOne({ _id: 2 as any }, [{ $replaceWith: { _id: 7 } }]))).toBe(66);
    expect(await c.countDocuments({})).toBe(2);
    expect((await all()).map((d) => d._id)).toEqual([1, 2]);
  });

  it('a pipeline keeping the same _id value is fine', async () => {
    await c.updateOne({ _id: 2 as any }, [{ $replaceWith: { _id: 2, z: 1 } }]);
    expect(await c.findOne({ _id: 2 as any })).toEqual({ _id: 2, z: 1 });
  });

  it('operator updates and replacements that change or remove _id are refused', async () => {
    expect(await codeOf(c.updateOne({ _id: 1 as any }, { $set: { _id: 5 } }))).toBe(66);
    expect(await codeOf(c.updateOne({ _id: 1 as any }, { $unset: { _id: 1 } }))).toBe(66);
    expect(await codeOf(c.updateOne({ _id: 1 as any }, { $rename: { a: '_id' } }))).toBe(66);
    expect(await codeOf(c.replaceOne({ _id: 1 as any }, { _id: 5, a: 1 }))).toBe(66);
    await c.replaceOne({ _id: 1 as any }, { a: 10 }); // no _id: keeps it
    expect(await c.findOne({ a: 10 })).toEqual({ _id: 1, a: 10 });
    expect((await all()).map((d) => d._id)).toEqual([1, 2]);
  });

  it('findOneAndUpdate / findOneAndReplace refuse a new _id', async () => {
    expect(await codeOf(c.findOneAndUpdate({ _id: 1 as any }, [{ $set: { _id: 2 } }]))).toBe(66);
    expect(await codeOf(c.findOneAndUpdate({ _id: 1 as any }, { $set: { _id: 2 } }))).toBe(66);
    expect(await codeOf(c.findOneAndReplace({ _id: 1 as any }, { _id: 2 }))).toBe(66);
    const r = await c.findOneAndUpdate({ _id: 1 as any }, [{ $replaceRoot: { newRoot: { k: 1 } } }], { returnDocument: 'after' });
    expect(r).toEqual({ _id: 1, k: 1 });
    expect((await all()).map((d) => d._id)).toEqual([1, 2]);
  });

  it('bulkWrite reports 66 as the write error of the statement and applies the others', async () => {
    let err: any;
    try {
      await c.bulkWrite(
        [
          { updateOne: { filter: { _id: 1 as any }, update: { $set: { ok: 1 } } } },
          { updateOne: { filter: { _id: 1 as any }, update: [{ $set: { _id: 2 } }] } },
          { replaceOne: { filter: { _id: 2 as any }, replacement: { _id: 1 } } },
          { updateOne: { filter: { _id: 2 as any }, update: { $set: { ok: 2 } } } },
        ],
        { ordered: false },
      );
    } catch (e) {
      err = e;
    }
    expect(err?.writeErrors?.map((w: any) => [w.index, w.code])).toEqual([
      [1, 66],
      [2, 66],
    ]);
    expect((await all()).map((d) => [d._id, d.ok])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('upserts: the query _id is immutable; without one the pipeline or replacement may choose it', async () => {
    expect(await codeOf(c.updateOne({ _id: 3 as any }, [{ $set: { _id: 4 } }], { upsert: true }))).toBe(66);
    expect(await codeOf(c.updateOne({ _id: 3 as any }, { $set: { _id: 4 } }, { upsert: true }))).toBe(66);
    expect(await codeOf(c.replaceOne({ _id: 3 as any }, { _id: 4 }, { upsert: true }))).toBe(66);
    expect(await codeOf(c.findOneAndUpdate({ _id: 3 as any }, [{ $set: { _id: 4 } }], { upsert: true }))).toBe(66);
    expect(await c.countDocuments({})).toBe(2);
    const r = await c.updateOne({ a: 50 }, [{ $set: { _id: 50, b: 1 } }], { upsert: true });
    expect(r.upsertedId).toBe(50);
    const r2 = await c.updateOne({ a: 60 }, [{ $unset: 'a' }], { upsert: true });
    const made = await c.findOne({ _id: r2.upsertedId as any });
    expect(made?._id).toBeDefined();
    expect(made).not.toHaveProperty('a');
    // an upsert choosing an _id that exists is a duplicate key, not a second document
    expect(await codeOf(c.updateOne({ a: 70 }, [{ $set: { _id: 1 } }], { upsert: true }))).toBe(11000);
    expect(await c.countDocuments({ _id: 1 as any })).toBe(1);
  });
});

describe("'$'-prefixed field names", () => {
  it("an _id holding a '$'-prefixed field is refused (52); other top-level and nested ones are stored", async () => {
    expect(await codeOf(c.insertOne({ _id: { $a: 1 } as any }))).toBe(52);
    expect(await codeOf(c.insertOne({ _id: { x: { $a: 1 } } as any }))).toBe(52);
    expect(await codeOf(c.insertOne({ _id: [1, 2] as any }))).toBe(2);
    expect(await c.countDocuments({})).toBe(2);
    await c.insertOne({ _id: 10 as any, $a: 1, b: { $c: 2 } });
    expect(await c.findOne({ _id: 10 as any })).toEqual({ _id: 10, $a: 1, b: { $c: 2 } });
  });

  it("an upsert whose _id would hold a '$'-prefixed field is refused", async () => {
    const code = await codeOf(c.updateOne({ q: 1 }, [{ $set: { _id: { $literal: { $a: 1 } } } }], { upsert: true }));
    expect(code).toBe(52);
    expect(await c.countDocuments({})).toBe(2);
  });
});
