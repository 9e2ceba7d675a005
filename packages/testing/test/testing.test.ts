import { ApolloServer } from '@apollo/server';
import { Schema } from 'mongoose';
import { startTestDatabase, startTestService, type AnySubgraph } from '../src';

describe('test databases', () => {
  it('are fresh, separate, and count the commands they are sent', async () => {
    const a = await startTestDatabase('t');
    const b = await startTestDatabase('t');
    try {
      expect(a.connection.name).not.toBe(b.connection.name);
      const A = a.connection.model('X', new Schema({ n: Number }));
      await A.init();
      await A.create({ n: 1 });
      a.commands.reset();
      await A.find().lean();
      await A.countDocuments();
      expect(a.commands.names()).toEqual(['find', 'aggregate']);
      expect(await b.connection.model('X', new Schema({ n: Number })).countDocuments()).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('test services', () => {
  it('stop closes the database even when the subgraph never started (a failed beforeAll)', async () => {
    const service = await startTestService(
      'never-started',
      () => ({ apollo: new ApolloServer({ typeDefs: 'type Query { a: Int }' }) }) as AnySubgraph,
    );
    await expect(service.stop()).resolves.toBeUndefined();
    expect(service.db.connection.readyState).toBe(0); // disconnected
  });
});
