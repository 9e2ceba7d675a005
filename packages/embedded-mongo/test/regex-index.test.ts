// A $regex on an indexed field, as mongod serves it: an anchored prefix bounds the index scan,
// and a regex on a later field of the index is tested on the keys, so only the documents whose
// key matches are fetched. The training subgraph's instructor search (a substring of the name,
// under {status, name}) fetched every active instructor for each page and each count before.
// Every query is compared with the same query over an unindexed copy (a collection scan).
import { BSONRegExp, type Collection, type Document } from 'mongodb';
import { findStage, setup, TestEnv, winningPlan } from './helpers';

let env: TestEnv;
let indexed: Collection;
let plain: Collection;

const SURNAMES = ['王', '李', '张', '刘', '陈', 'Ab', 'ab', 'a.b', 'a*b', '(x)', '😀'];
const GIVEN = ['五', '伟', '芳', '敏', 'x', 'ab', 'a.b', '\0x', '王'];
const OTHER_NAMES: unknown[] = [42, null, undefined, 'a\0', ''];

beforeAll(async () => {
  env = await setup('regexindex');
  indexed = env.conn.db!.collection('people');
  plain = env.conn.db!.collection('people_plain');
  await indexed.createIndex({ status: 1, name: 1 });
  await indexed.createIndex({ name: 1 });
  const docs: Document[] = [];
  let n = 0;
  for (const s of SURNAMES) for (const g of GIVEN) for (const status of ['A', 'B', 'C']) docs.push({ _id: n++, status, name: `${s}${g}` });
  for (const name of OTHER_NAMES) docs.push({ _id: n++, status: 'A', ...(name === undefined ? {} : { name }) });
  await indexed.insertMany(docs);
  await plain.insertMany(docs);
});
afterAll(async () => {
  await env.close();
});

const QUERIES: Array<[string, Document]> = [
  ['a substring after an equality', { status: 'A', name: { $regex: '王' } }],
  ['an anchored prefix after an equality', { status: 'A', name: { $regex: '^王' } }],
  ['an anchored prefix alone', { name: { $regex: '^a' } }],
  ['a RegExp value', { name: /伟/ }],
  ['a BSON regular expression', { status: 'B', name: new BSONRegExp('^李', '') }],
  ['escaped punctuation', { status: 'A', name: { $regex: 'a\\.b' } }],
  ['an anchored prefix with punctuation', { name: { $regex: '^\\(x\\)' } }],
  ['a dot (not plain text)', { status: 'A', name: { $regex: 'a.b' } }],
  ['case-insensitive', { status: 'A', name: { $regex: 'ab', $options: 'i' } }],
  ['after an $in', { status: { $in: ['A', 'C'] }, name: { $regex: '五' } }],
  ['four-byte characters', { status: 'C', name: { $regex: '😀' } }],
  ['text after a NUL', { status: 'A', name: { $regex: 'x' } }],
  ['anchored, multiline', { name: { $regex: '^ab', $options: 'm' } }],
  ['with a range on the same field', { name: { $gte: 'a', $regex: 'b' } }],
];

describe('a $regex on indexed fields', () => {
  it.each(QUERIES)('%s: the same documents as a collection scan, in name order too', async (_, filter) => {
    const ids = async (c: Collection, sort: Document) => (await c.find(filter).sort(sort).toArray()).map((d) => d._id);
    const expected = await ids(plain, { _id: 1 });
    expect(expected.length).toBeGreaterThan(0);
    expect(await ids(indexed, { _id: 1 })).toEqual(expected);
    expect(await ids(indexed, { name: 1, _id: 1 })).toEqual(await ids(plain, { name: 1, _id: 1 }));
    expect(await indexed.countDocuments(filter)).toBe(expected.length);
    const page = await indexed.find(filter).sort({ name: 1, _id: 1 }).limit(3).toArray();
    expect(page.map((d) => d._id)).toEqual((await ids(plain, { name: 1, _id: 1 })).slice(0, 3));
  });

  it('arrays of names and a stored regular expression: the same documents as a collection scan', async () => {
    const docs: Document[] = [
      { _id: 1, status: 'A', name: ['王五', '李伟'] },
      { _id: 2, status: 'A', name: [] },
      { _id: 3, status: 'A', name: /^王/ },
      { _id: 4, status: 'A', name: '王芳' },
      { _id: 5, status: 'A', name: [['王']] },
      { _id: 6, status: 'A', name: { given: '王' } },
    ];
    const a = env.conn.db!.collection('names_indexed');
    const b = env.conn.db!.collection('names_plain');
    await a.createIndex({ status: 1, name: 1 });
    await a.insertMany(docs.map((d) => ({ ...d })));
    await b.insertMany(docs.map((d) => ({ ...d })));
    for (const filter of [{ status: 'A', name: { $regex: '王' } }, { status: 'A', name: { $regex: '^王' } }, { name: /伟/ }]) {
      const ids = async (c: Collection) => (await c.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect({ filter, ids: await ids(a) }).toEqual({ filter, ids: await ids(b) });
    }
  });

  it('fetches only the documents whose key matches, for a substring and for a prefix', async () => {
    for (const filter of [{ status: 'A', name: { $regex: '王' } }, { status: 'A', name: { $regex: '^王' } }, { name: { $regex: '^王' } }]) {
      const matches = await plain.countDocuments(filter);
      const e: any = await indexed.find(filter).explain('executionStats');
      expect(findStage(winningPlan(e), 'IXSCAN')).not.toBeNull();
      expect({ filter, examined: e.executionStats.totalDocsExamined }).toEqual({ filter, examined: matches });
    }
  });
});
