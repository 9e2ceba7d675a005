import { Schema, Types } from 'mongoose';
import { setup, TestEnv } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await setup('aggregate');
  const Author = env.conn.model('Author', new Schema({ name: String, country: String }));
  const Book = env.conn.model('Book', new Schema({ title: String, author: Types.ObjectId, year: Number, genres: [String], price: Number }));
  const [tolkien, austen, le] = await Author.insertMany([
    { name: 'Tolkien', country: 'UK' },
    { name: 'Austen', country: 'UK' },
    { name: 'Le Guin', country: 'US' },
  ]);
  await Book.insertMany([
    { title: 'Hobbit', author: tolkien._id, year: 1937, genres: ['fantasy'], price: 10 },
    { title: 'LOTR', author: tolkien._id, year: 1954, genres: ['fantasy', 'epic'], price: 30 },
    { title: 'Emma', author: austen._id, year: 1815, genres: ['romance'], price: 8 },
    { title: 'Persuasion', author: austen._id, year: 1817, genres: ['romance'], price: 9 },
    { title: 'Earthsea', author: le._id, year: 1968, genres: ['fantasy'], price: 12 },
  ]);
});
afterAll(async () => {
  await env.close();
});

describe('aggregate', () => {
  const Book = () => env.conn.model('Book');

  it('$match/$group with accumulators/$sort/$project', async () => {
    const r = await Book().aggregate([
      { $match: { year: { $gt: 1800 } } },
      {
        $group: {
          _id: '$author',
          n: { $sum: 1 },
          total: { $sum: '$price' },
          avg: { $avg: '$price' },
          min: { $min: '$year' },
          max: { $max: '$year' },
          titles: { $push: '$title' },
          first: { $first: '$title' },
        },
      },
      { $sort: { total: -1 } },
      { $project: { _id: 0, n: 1, total: 1, avg: 1, min: 1, max: 1, titles: 1 } },
    ]);
    expect(r).toEqual([
      { n: 2, total: 40, avg: 20, min: 1937, max: 1954, titles: ['Hobbit', 'LOTR'] },
      { n: 2, total: 17, avg: 8.5, min: 1815, max: 1817, titles: ['Emma', 'Persuasion'] },
      { n: 1, total: 12, avg: 12, min: 1968, max: 1968, titles: ['Earthsea'] },
    ]);
  });

  it('$lookup across collections, $unwind, $addFields/$set', async () => {
    const r = await Book().aggregate([
      { $lookup: { from: 'authors', localField: 'author', foreignField: '_id', as: 'a' } },
      { $unwind: '$a' },
      { $addFields: { authorName: '$a.name' } },
      { $set: { decade: { $subtract: ['$year', { $mod: ['$year', 10] }] } } },
      { $match: { 'a.country': 'UK' } },
      { $sort: { year: 1 } },
      { $project: { _id: 0, title: 1, authorName: 1, decade: 1 } },
    ]);
    expect(r).toEqual([
      { title: 'Emma', authorName: 'Austen', decade: 1810 },
      { title: 'Persuasion', authorName: 'Austen', decade: 1810 },
      { title: 'Hobbit', authorName: 'Tolkien', decade: 1930 },
      { title: 'LOTR', authorName: 'Tolkien', decade: 1950 },
    ]);
    // the stored documents were not modified by the pipeline
    expect(await Book().findOne({ title: 'Emma' }).lean()).not.toHaveProperty('authorName');
  });

  it('$facet, $count, $sortByCount, $skip, $limit, $unwind arrays', async () => {
    const [f] = await Book().aggregate([
      {
        $facet: {
          count: [{ $count: 'n' }],
          genres: [{ $unwind: '$genres' }, { $sortByCount: '$genres' }],
          page: [{ $sort: { year: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 0, title: 1 } }],
        },
      },
    ]);
    expect(f.count).toEqual([{ n: 5 }]);
    expect(f.genres[0]).toEqual({ _id: 'fantasy', count: 3 });
    expect(f.page).toEqual([{ title: 'Persuasion' }, { title: 'Hobbit' }]);
  });

  it('countDocuments runs as an aggregate', async () => {
    expect(await Book().countDocuments({ genres: 'fantasy' })).toBe(3);
  });

  it('aggregate cursors page with getMore', async () => {
    const c = env.conn.db!.collection('nums');
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ i })));
    const got: number[] = [];
    for await (const d of c.aggregate([{ $match: { i: { $gte: 0 } } }, { $sort: { i: -1 } }], { batchSize: 25 })) got.push(d.i);
    expect(got.length).toBe(300);
    expect(got[0]).toBe(299);
  });

  it("$unionWith appends another collection's pipeline, in order, then later stages see both", async () => {
    const r = await Book().aggregate([
      { $match: { year: { $lt: 1900 } } },
      { $project: { _id: 0, name: '$title' } },
      { $unionWith: { coll: 'authors', pipeline: [{ $match: { country: 'US' } }, { $project: { _id: 0, name: 1 } }] } },
      { $unionWith: 'authors' },
      { $group: { _id: null, names: { $push: '$name' } } },
    ]);
    expect(r[0].names).toEqual(['Emma', 'Persuasion', 'Le Guin', 'Tolkien', 'Austen', 'Le Guin']);
    // a sub-pipeline's own $unionWith, and a collection that does not exist (no documents)
    const nested = await Book().aggregate([
      { $match: { title: 'Hobbit' } },
      { $project: { _id: 0, title: 1 } },
      { $unionWith: { coll: 'nothing_here', pipeline: [{ $unionWith: { coll: 'authors', pipeline: [{ $match: { name: 'Austen' } }] } }] } },
      { $project: { title: 1, name: 1 } },
    ]);
    expect(nested).toEqual([{ title: 'Hobbit' }, { name: 'Austen', _id: expect.anything() }]);
  });

  it("$unionWith reads the transaction's own writes, and one snapshot read outside a transaction", async () => {
    const session = await env.conn.startSession();
    try {
      await session.withTransaction(async () => {
        await env.conn.db!.collection('authors').insertOne({ name: 'Calvino', country: 'IT' }, { session });
        const r = await Book()
          .aggregate([{ $match: { title: 'Emma' } }, { $unionWith: { coll: 'authors', pipeline: [{ $match: { country: 'IT' } }] } }])
          .session(session);
        expect(r.map((d) => d.title ?? d.name)).toEqual(['Emma', 'Calvino']);
      });
    } finally {
      await session.endSession();
    }
    const snap = await env.conn
      .db!.collection('books')
      .aggregate([{ $match: { title: 'LOTR' } }, { $unionWith: { coll: 'authors', pipeline: [{ $match: { country: 'IT' } }] } }], {
        readConcern: { level: 'snapshot' },
      })
      .toArray();
    expect(snap.map((d) => d.title ?? d.name)).toEqual(['LOTR', 'Calvino']);
  });

  it('$unionWith with a bad specification is refused as mongod refuses it', async () => {
    const err = (stage: unknown) =>
      Book()
        .aggregate([{ $unionWith: stage } as any])
        .then(
          () => null,
          (e) => ({ code: e.code, message: e.message }),
        );
    expect(await err(5)).toEqual({ code: 9, message: 'the $unionWith stage specification must be an object or string, but found int' });
    expect(await err({ coll: 'authors', into: 'x' })).toMatchObject({ code: 40415 });
    expect(await err({ coll: 'authors', pipeline: {} })).toMatchObject({ code: 14 });
    expect(await err({ pipeline: [{ $match: {} }] })).toMatchObject({ code: 2 });
    expect(await err({ coll: 'authors', pipeline: [{ $out: 'copy' }] })).toEqual({
      code: 31441,
      message: "$out is not allowed within a $unionWith's sub-pipeline",
    });
  });

  it('unknown stages and bad expressions are errors', async () => {
    await expect(Book().aggregate([{ $nope: {} } as any])).rejects.toBeDefined();
  });
});
