// Credentials (embedded only: they are the embedded server's own configuration). With users,
// the driver authenticates from the URI with SCRAM-SHA-256, as against a mongod with --auth;
// wrong or missing credentials are refused; a non-loopback bind without users does not start.
import mongoose from 'mongoose';

const { MongoClient } = mongoose.mongo;
import { startEmbeddedMongo } from '../src';
import { itEmbedded } from './helpers';

describe('authentication', () => {
  itEmbedded('SCRAM-SHA-256 from the URI; unauthenticated commands get 13; wrong passwords 18', async () => {
    const m = await startEmbeddedMongo({ users: [{ user: 'dev', password: 'p@ss:wörd' }] });
    try {
      expect(m.uri).toMatch(/^mongodb:\/\/dev:p%40ss%3Aw%C3%B6rd@127\.0\.0\.1:\d+\/\?directConnection=true&authSource=admin$/);
      const ok = new MongoClient(m.uri);
      await ok.connect();
      await ok.db('app').collection('x').insertOne({ a: 1 });
      expect(await ok.db('app').collection('x').countDocuments()).toBe(1);
      const status = await ok.db('admin').command({ connectionStatus: 1 });
      expect(status.authInfo.authenticatedUsers).toEqual([{ user: 'dev', db: 'admin' }]);
      await ok.close();

      const bare = m.uri.replace(/\/\/[^@]*@/, '//').replace('&authSource=admin', '');
      const anon = new MongoClient(bare);
      await anon.connect(); // the handshake needs no credentials
      await expect(anon.db('app').collection('x').findOne({})).rejects.toMatchObject({ code: 13 });
      await expect(anon.db('app').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
      await anon.close();

      for (const uri of [m.uri.replace('p%40ss', 'wrong'), m.uri.replace('dev:', 'nobody:')]) {
        const bad = new MongoClient(uri, { serverSelectionTimeoutMS: 2000 });
        await expect(bad.connect()).rejects.toMatchObject({ code: 18 });
        await bad.close();
      }
      const sha1 = new MongoClient(m.uri + '&authMechanism=SCRAM-SHA-1', { serverSelectionTimeoutMS: 2000 });
      await expect(sha1.connect()).rejects.toThrow();
      await sha1.close();
    } finally {
      await m.stop();
    }
  });

  itEmbedded('a non-loopback bind without users is refused; with users it starts', async () => {
    await expect(startEmbeddedMongo({ bind: '0.0.0.0' })).rejects.toThrow(/without users/);
    const m = await startEmbeddedMongo({ bind: '0.0.0.0', users: [{ user: 'u', password: 'p' }] });
    try {
      const c = new MongoClient(m.uri);
      await c.connect();
      await expect(c.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
      await c.close();
    } finally {
      await m.stop();
    }
  });
});
