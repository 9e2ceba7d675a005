// { field: null } through an index, as mongod plans it: the index's null entries (the field null
// or missing) are scanned instead of the whole collection, and a count is answered from them when
// the field never holds an array. The grassroots lists count a subtree's units that are not
// dissolved ({ orgPath, dissolvedOn: null }), and fetched every unit of the subtree to do so.
// Every answer is compared with the same query over an unindexed copy.
import type { Collection, Document } from 'mongodb';
import { findStage, itEmbedded, setup, TestEnv, winningPlan } from './helpers';

let env: TestEnv;
let indexed: Collection<Document>;
let plain: Collection<Document>;

const ENDED = new Date('2020-01-01T00:00:00Z');

beforeAll(async () => {
  env = await setup('nullindex');
  indexed = env.conn.db!.collection('units');
  plain = env.conn.db!.collection('units_plain');
  await indexed.createIndex({ org: 1, ended: 1, type: 1 });
  await indexed.createIndex({ ended: 1 }, { sparse: true, name: 'ended_sparse' });
  const docs: Document[] = [];
  for (let i = 0; i < 300; i++) {
    const d: Document = { _id: i, org: `o${i % 3}`, type: i % 2 ? 'SCHOOL' : 'COMMUNITY' };
    if (i % 5 === 1) d.ended = null;
    if (i % 5 === 2) d.ended = ENDED;
    if (i % 5 === 3) d.ended = undefined;
    docs.push(d);
  }
  await indexed.insertMany(
    docs.map((d) => ({ ...d })),
    { ignoreUndefined: false },
  );
  await plain.insertMany(
    docs.map((d) => ({ ...d })),
    { ignoreUndefined: false },
  );
});
afterAll(async () => {
  await env.close();
});

describe('{ field: null } on an indexed field', () => {
  it.each([
    ['after an equality', { org: 'o1', ended: null }],
    ['then another equality', { org: 'o2', ended: null, type: 'SCHOOL' }],
    ['alone', { ended: null }],
    ['with $eq', { org: 'o0', ended: { $eq: null } }],
  ])('%s: the same documents and count as a collection scan', async (_, filter) => {
    const ids = async (c: Collection<Document>) => (await c.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    const expected = await ids(plain);
    expect(expected.length).toBeGreaterThan(0);
    expect(await ids(indexed)).toEqual(expected);
    expect(await indexed.countDocuments(filter)).toBe(expected.length);
  });

  it('is scanned through the index, not through a sparse one', async () => {
    const filter = { org: 'o1', ended: null };
    const e: any = await indexed.find(filter).explain('executionStats');
    expect(findStage(winningPlan(e), 'IXSCAN')?.indexName).toBe('org_1_ended_1_type_1');
    expect(e.executionStats.totalDocsExamined).toBe(await plain.countDocuments(filter));
    const alone: any = await indexed.find({ ended: null }).explain();
    expect(findStage(winningPlan(alone), 'IXSCAN')?.indexName).not.toBe('ended_sparse');
  });

  itEmbedded('is counted from the index entries, fetching no document', () => {
    const units = env.server!.engine.getCollection(env.dbName, 'units')!;
    expect(units.count({ org: 'o1', ended: null }).fromIndex).toBe(true);
    expect(units.count({ org: 'o1', ended: null, type: 'SCHOOL' }).fromIndex).toBe(true);
  });

  it('an empty array indexes like null but does not match it: such a field is counted from the documents', async () => {
    const c = env.conn.db!.collection<Document>('with_arrays');
    await c.createIndex({ org: 1, tags: 1 });
    const docs: Document[] = [
      { _id: 1, org: 'a', tags: [] },
      { _id: 2, org: 'a', tags: [null, 'x'] },
      { _id: 3, org: 'a' },
      { _id: 4, org: 'a', tags: ['y'] },
    ];
    await c.insertMany(docs);
    expect((await c.find({ org: 'a', tags: null }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([2, 3]);
    expect(await c.countDocuments({ org: 'a', tags: null })).toBe(2);
  });
});

describe('{ "a.b": null } on a dotted path', () => {
  it('answers as a collection scan: arrays along the path index no null for their elements', async () => {
    const a = env.conn.db!.collection<Document>('dotted_indexed');
    const b = env.conn.db!.collection<Document>('dotted_plain');
    await a.createIndex({ 'a.b': 1 });
    const docs: Document[] = [
      { _id: 1, a: [{ b: 1 }, { c: 2 }] },
      { _id: 2, a: { c: 1 } },
      { _id: 3, a: [{ b: 1 }] },
      { _id: 4, a: [] },
      { _id: 5, a: [1, 2] },
      { _id: 6 },
      { _id: 7, a: { b: null } },
    ];
    await a.insertMany(docs.map((d) => ({ ...d })));
    await b.insertMany(docs.map((d) => ({ ...d })));
    const filter = { 'a.b': null };
    const ids = async (c: Collection<Document>) => (await c.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids(a)).toEqual(await ids(b));
    expect(await a.countDocuments(filter)).toBe(await b.countDocuments(filter));
  });
});
