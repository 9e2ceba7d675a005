// Bulk inserts are stored as the bytes the client sent when the document is well formed and of
// common types (src/plain-bson.ts); everything else is deserialized as before. The check must
// never let through bytes that the server could not read back.
import { Binary, BSON, Decimal128, Double, Long, MaxKey, MinKey, ObjectId, Timestamp, BSONRegExp, Code, BSONSymbol } from 'bson';
import { MongoClient } from 'mongodb';
import { isPlainBson } from '../src/plain-bson';
import { DESER } from '../src/store';
import { itEmbedded, setup, TestEnv } from './helpers';
import { rng } from './random';

type R = ReturnType<typeof rng>;

/** A value of one of the types stored as sent. */
function plainValue(r: R, depth: number): unknown {
  switch (r.int(depth > 3 ? 13 : 15)) {
    case 0:
      return r.next() * 1e6 - 5e5;
    case 1:
      return r.pick(['', 'a', '杭州市', 'émile', '😀 x', 'x'.repeat(200)]);
    case 2:
      return new ObjectId();
    case 3:
      return r.bool();
    case 4:
      return new Date(Date.UTC(2000 + r.int(30), r.int(12), 1 + r.int(28)));
    case 5:
      return null;
    case 6:
      return r.int(1e6) - 5e5;
    case 7:
      return Long.fromNumber(r.int(1e9) * 1e6);
    case 8:
      return new Timestamp({ t: r.int(1e6), i: r.int(10) });
    case 9:
      return Decimal128.fromString(`${r.int(1000)}.${r.int(100)}`);
    case 10:
      return new Binary(Buffer.from([r.int(256), r.int(256)]), r.pick([0, 4, 5, 0x80]));
    case 11:
      return r.bool() ? new MinKey() : new MaxKey();
    case 12:
      return new Double(r.int(100));
    case 13:
      return Array.from({ length: r.int(4) }, () => plainValue(r, depth + 1));
    default:
      return plainDoc(r, depth + 1);
  }
}

function plainDoc(r: R, depth = 0): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const n = r.int(6);
  for (let i = 0; i < n; i++) doc[r.pick(['a', 'b', 'name', '名称', 'x.y', '$k', `f${i}`])] = plainValue(r, depth);
  return doc;
}

describe('isPlainBson', () => {
  it('accepts well-formed documents of the common types, nested', () => {
    const r = rng(1);
    for (let i = 0; i < 3000; i++) {
      const bytes = BSON.serialize({ _id: new ObjectId(), ...plainDoc(r) });
      expect(isPlainBson(bytes, 0)).toBe(true);
    }
  });

  it('leaves the unusual types, invalid UTF-8 and deep nesting to the general way', () => {
    const unusual = [
      { r: new BSONRegExp('^a', 'i') },
      { r: /^a/ },
      { c: new Code('function () {}') },
      { c: new Code('x', { a: 1 }) },
      { s: new BSONSymbol('s') },
      { b: new Binary(Buffer.from('ab'), 2) },
      { deep: { in: [1, { r: /x/ }] } },
    ];
    for (const d of unusual) expect(isPlainBson(BSON.serialize(d), 0)).toBe(false);
    // undefined (0x06, deprecated: the serializer writes null instead), made by hand
    expect(isPlainBson(Buffer.from([8, 0, 0, 0, 0x06, 0x75, 0, 0]), 0)).toBe(false);
    expect(isPlainBson(Buffer.from([8, 0, 0, 0, 0x0a, 0x75, 0, 0]), 0)).toBe(true);

    // a string's bytes made invalid UTF-8 (0xff never occurs in UTF-8)
    const s = Buffer.from(BSON.serialize({ s: 'abcd' }));
    s[s.indexOf('abcd')] = 0xff;
    expect(isPlainBson(s, 0)).toBe(false);

    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 120; i++) deep = { d: deep };
    expect(isPlainBson(BSON.serialize(deep), 0)).toBe(false);
    let ok: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 90; i++) ok = { d: ok };
    expect(isPlainBson(BSON.serialize(ok), 0)).toBe(true);
  });

  it('refuses truncated documents and lengths that pass the end it is given', () => {
    const bytes = Buffer.from(BSON.serialize({ _id: 1, name: '杭州', n: [1, 2, 3] }));
    for (let cut = 0; cut < bytes.length; cut++) expect(isPlainBson(bytes, 0, cut)).toBe(false);
    expect(isPlainBson(bytes, 0, bytes.length)).toBe(true);
    const boolByte = Buffer.from(BSON.serialize({ b: true }));
    boolByte[boolByte.length - 2] = 2;
    expect(isPlainBson(boolByte, 0)).toBe(false);
  });

  it('never accepts bytes the deserializer refuses (random corruptions of valid documents)', () => {
    const r = rng(7);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(BSON.serialize({ _id: i, ...plainDoc(r) }));
      const edits = 1 + r.int(3);
      for (let e = 0; e < edits; e++) {
        const at = r.int(bytes.length);
        bytes[at] = r.pick([0, 1, 2, 3, 4, 5, 0x7f, 0x80, 0xff, r.int(256), bytes[at] + 1, bytes[at] - 1]) & 0xff;
      }
      if (!isPlainBson(bytes, 0)) continue;
      accepted++;
      // (a smaller length makes a shorter document: the wire takes that many bytes)
      expect(() => BSON.deserialize(bytes.subarray(0, bytes.readInt32LE(0)), DESER)).not.toThrow();
    }
    // the corruptions that keep a document readable (a changed value, a changed name) are accepted
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('bulk inserts stored as sent', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup('plainbson');
  });
  afterAll(async () => {
    await env.close();
  });

  it('reads back every document of an insertMany exactly, with _id first', async () => {
    const r = rng(3);
    const docs = Array.from({ length: 500 }, (_, i) => ({ _id: new ObjectId(), i, ...plainDoc(r) }));
    // documents without an _id (the driver adds it last) and with _id not first go the general way
    docs.push({ i: 500, a: 'no id' } as never, { a: 'id later', _id: new ObjectId(), i: 501 } as never);
    const coll = env.conn.db!.collection('sent');
    await coll.insertMany(docs);
    const back = await coll.find({}, { sort: { i: 1 } }).toArray();
    expect(back).toHaveLength(docs.length);
    for (const d of back) expect(Object.keys(d)[0]).toBe('_id');
    for (let i = 0; i < 500; i++) expect(BSON.serialize(back[i])).toEqual(BSON.serialize(BSON.deserialize(BSON.serialize(docs[i]), DESER)));
  });

  it('keeps unique indexes and duplicate _ids as before: write errors per document, the rest inserted', async () => {
    const coll = env.conn.db!.collection('uniq');
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertOne({ _id: 'a' as never, code: 1 });
    const err = await coll
      .insertMany(
        [
          { _id: 'b', code: 2 },
          { _id: 'a', code: 3 },
          { _id: 'c', code: 1 },
          { _id: 'd', code: 4 },
        ] as never[],
        { ordered: false },
      )
      .catch((e) => e);
    expect(err.writeErrors.map((w: { index: number; code: number }) => [w.index, w.code])).toEqual([
      [1, 11000],
      [2, 11000],
    ]);
    expect(err.writeErrors[1].errmsg).toContain('index: code_1 dup key: { code: 1 }');
    expect((await coll.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual(['a', 'b', 'd']);
    // the index serves the stored documents
    expect(await coll.find({ code: 4 }).hint({ code: 1 }).toArray()).toEqual([{ _id: 'd', code: 4 }]);
  });

  it('inside a transaction, documents go into the transaction (nothing stored on abort)', async () => {
    const coll = env.conn.db!.collection('txn');
    await coll.insertOne({ _id: 0 as never });
    const session = env.conn.getClient().startSession();
    try {
      session.startTransaction();
      await coll.insertMany([{ _id: 1 }, { _id: 2 }] as never[], { session });
      expect(await coll.countDocuments({}, { session })).toBe(3);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments({})).toBe(1);
  });

  itEmbedded('journals the bytes: a restart reads the documents back', async () => {
    const { mkdtempSync, rmSync } = await import('fs');
    const { tmpdir } = await import('os');
    const { join } = await import('path');
    const { startEmbeddedMongo } = await import('../src');
    const dir = mkdtempSync(join(tmpdir(), 'plain-bson-'));
    try {
      const r = rng(5);
      const docs = Array.from({ length: 300 }, (_, i) => ({ _id: i, ...plainDoc(r) }));
      let m = await startEmbeddedMongo({ dbPath: dir });
      let client = await MongoClient.connect(m.uri);
      await client.db('j').collection<{ _id: number }>('c').insertMany(docs);
      await client.close();
      await m.stop();
      m = await startEmbeddedMongo({ dbPath: dir });
      client = await MongoClient.connect(m.uri);
      try {
        const back = await client
          .db('j')
          .collection('c')
          .find({}, { sort: { _id: 1 } })
          .toArray();
        expect(back.map((d) => BSON.serialize(d))).toEqual(docs.map((d) => BSON.serialize(BSON.deserialize(BSON.serialize(d), DESER))));
      } finally {
        await client.close();
        await m.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
