import { buildIndexes, connectDatabase, ensureIndexes, redact } from '../src';
import { Schema } from 'mongoose';

describe('connectDatabase', () => {
  it('starts an embedded server when no URI is given, and closes it with the connection', async () => {
    const saved = process.env.MONGODB_URI;
    delete process.env.MONGODB_URI;
    try {
      const db = await connectDatabase('dbtest');
      expect(db.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\//);
      const Thing = db.connection.model('Thing', new Schema({ code: { type: String, unique: true } }));
      await ensureIndexes(db.connection);
      await Thing.create({ code: 'a' });
      await expect(Thing.create({ code: 'a' })).rejects.toMatchObject({ code: 11000 });
      await db.close();
      await expect(connectDatabase('dbtest', { uri: db.uri.replace(/:\d+\//, ':1/'), serverSelectionTimeoutMS: 300 })).rejects.toThrow(
        /Cannot connect to the database at mongodb:\/\/127\.0\.0\.1:1/,
      );
    } finally {
      if (saved !== undefined) process.env.MONGODB_URI = saved;
    }
  });

  it('a bulk load without autoIndex writes with no secondary index, then buildIndexes builds them and refuses duplicates', async () => {
    const saved = process.env.MONGODB_URI;
    delete process.env.MONGODB_URI;
    const db = await connectDatabase('bulk', { autoIndex: false });
    try {
      const Thing = db.connection.model('Thing', new Schema({ code: { type: String, unique: true }, n: { type: Number, index: true } }));
      await Thing.init();
      expect((await Thing.collection.indexes()).map((i) => i.name)).toEqual(['_id_']);
      await Thing.collection.insertMany([
        { code: 'a', n: 1 },
        { code: 'a', n: 2 },
      ]);
      // a unique index over duplicates fails, as on MongoDB: nothing is deduplicated silently
      await expect(buildIndexes(db.connection)).rejects.toMatchObject({ code: 11000 });
      await Thing.collection.deleteOne({ n: 2 });
      db.connection.model('Other', new Schema({ k: { type: String, index: true } }));
      const progress: Array<[number, number]> = [];
      await buildIndexes(db.connection, (done, total) => progress.push([done, total]));
      // one step per index, by its collection's documents (Thing holds one, Other none: counted as one)
      expect(progress).toEqual([
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
      await Thing.collection.insertMany([{ code: 'b' }, { code: 'c' }]);
      progress.length = 0;
      await buildIndexes(db.connection, (done, total) => progress.push([done, total]));
      expect(progress).toEqual([
        [3, 7],
        [6, 7],
        [7, 7],
      ]);
      expect((await Thing.collection.indexes()).map((i) => i.name).sort()).toEqual(['_id_', 'code_1', 'n_1']);
      await expect(Thing.create({ code: 'a', n: 3 })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await db.close();
      if (saved !== undefined) process.env.MONGODB_URI = saved;
    }
  });

  it('never prints passwords', () => {
    expect(redact('mongodb://app:s3cret@db1:27017/x')).toBe('mongodb://app:***@db1:27017/x');
  });
});
