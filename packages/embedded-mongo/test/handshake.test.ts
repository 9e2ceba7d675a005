import mongoose from 'mongoose';
import { setup, TestEnv, REAL } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await setup('handshake');
});
afterAll(async () => {
  await env.close();
});

describe('handshake and admin', () => {
  it('mongoose.connect (default connection) works with the uri as is', async () => {
    const m = new mongoose.Mongoose();
    await m.connect(env.uri, { dbName: env.dbName });
    const r = await m.connection.db!.admin().ping();
    expect(r.ok).toBe(1);
    await m.disconnect();
  });

  it('answers ping, buildInfo, hello, getParameter, hostInfo, getCmdLineOpts', async () => {
    const admin = env.conn.db!.admin();
    expect((await admin.command({ ping: 1 })).ok).toBe(1);
    const bi = await admin.command({ buildInfo: 1 });
    expect(typeof bi.version).toBe('string');
    const hello = await admin.command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    const p = await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(p.featureCompatibilityVersion.version).toMatch(/^\d+\.\d+$/);
    if (!REAL) {
      expect((await admin.command({ hostInfo: 1 })).ok).toBe(1);
      expect((await admin.command({ getCmdLineOpts: 1 })).ok).toBe(1);
    }
  });

  it('unknown commands fail with CommandNotFound (59)', async () => {
    await expect(env.conn.db!.command({ noSuchCommandHere: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
  });

  it('create, listCollections (filter, nameOnly), drop, dropDatabase, listDatabases', async () => {
    const db = env.conn.db!;
    await db.createCollection('alpha');
    await db.createCollection('beta');
    await expect(db.command({ create: 'alpha' })).rejects.toMatchObject({ code: 48, codeName: 'NamespaceExists' });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(expect.arrayContaining(['alpha', 'beta']));
    const filtered = await db.listCollections({ name: 'beta' }).toArray();
    expect(filtered.map((c) => c.name)).toEqual(['beta']);
    expect(filtered[0].type).toBe('collection');
    await db.dropCollection('beta');
    expect((await db.listCollections({ name: 'beta' }).toArray()).length).toBe(0);
    await db.collection('alpha').insertOne({ a: 1 });
    const dbs = await db.admin().listDatabases();
    expect(dbs.databases.map((d: any) => d.name)).toContain(env.dbName);

    const other = env.conn.useDb(env.dbName + '_other');
    await other.db!.collection('x').insertOne({ x: 1 });
    expect(await other.db!.collection('x').countDocuments()).toBe(1);
    await other.dropDatabase();
    const after = await db.admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d: any) => d.name)).not.toContain(env.dbName + '_other');
  });

  it('invalid namespaces are rejected', async () => {
    await expect(env.conn.db!.command({ insert: 'bad$name', documents: [{ a: 1 }] })).rejects.toMatchObject({ code: 73 });
  });

  it('serverStatus reports opcounters that count commands', async () => {
    const admin = env.conn.db!.admin();
    const before = (await admin.command({ serverStatus: 1 })).opcounters;
    const c = env.conn.db!.collection('counted');
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    await c.find({}).toArray();
    await c.updateOne({ a: 1 }, { $set: { b: 1 } });
    await c.deleteOne({ a: 2 });
    const after = (await admin.command({ serverStatus: 1 })).opcounters;
    expect(Number(after.insert) - Number(before.insert)).toBeGreaterThanOrEqual(2);
    expect(Number(after.query) - Number(before.query)).toBeGreaterThanOrEqual(1);
    expect(Number(after.update) - Number(before.update)).toBeGreaterThanOrEqual(1);
    expect(Number(after.delete) - Number(before.delete)).toBeGreaterThanOrEqual(1);
    expect(Number(after.command) - Number(before.command)).toBeGreaterThanOrEqual(1);
  });

  it('serverStatus counts each command by name, and its failures, in metrics.commands as mongod does', async () => {
    const admin = env.conn.db!.admin();
    const of = async (name: string) => {
      const c = (await admin.command({ serverStatus: 1 })).metrics.commands[name];
      return { total: Number(c?.total ?? 0), failed: Number(c?.failed ?? 0) };
    };
    const [find0, insert0] = [await of('find'), await of('insert')];
    const c = env.conn.db!.collection('per_command');
    await c.insertOne({ _id: 1 } as never);
    await expect(c.insertOne({ _id: 1 } as never)).rejects.toMatchObject({ code: 11000 });
    await c.find({}).toArray();
    await c.findOne({ _id: 1 } as never);
    await expect(env.conn.db!.command({ find: 'per_command', filter: { $bad: 1 } })).rejects.toBeDefined();
    expect(await of('find')).toEqual({ total: find0.total + 3, failed: find0.failed + 1 });
    // a duplicate key is a write error in an ok reply: the command did not fail
    expect(await of('insert')).toEqual({ total: insert0.total + 2, failed: insert0.failed });
  });

  it('endSessions and killAllSessions are accepted', async () => {
    const admin = env.conn.db!.admin();
    const s = await env.conn.startSession();
    await env.conn.db!.collection('s').findOne({}, { session: s });
    await s.endSession();
    expect((await admin.command({ killAllSessions: [] })).ok).toBe(1);
  });

  it('streaming topology monitoring neither fails nor spins; transactions are allowed on the uri', async () => {
    const client = new mongoose.mongo.MongoClient(env.uri, { heartbeatFrequencyMS: 200 });
    let ok = 0;
    const failures: string[] = [];
    client.on('serverHeartbeatSucceeded', () => ok++);
    client.on('serverHeartbeatFailed', (e) => failures.push(String(e.failure)));
    await client.connect();
    const session = client.startSession();
    await session.withTransaction(async () => {
      await client.db(env.dbName).collection('hb').insertOne({ a: 1 }, { session });
    });
    await session.endSession();
    await new Promise((r) => setTimeout(r, 1000));
    await client.close();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThanOrEqual(2);
    expect(ok).toBeLessThan(20); // about one per heartbeatFrequencyMS, not a busy loop
  });

  it('several connections via createConnection share the server', async () => {
    const c2 = await mongoose.createConnection(env.uri, { dbName: env.dbName }).asPromise();
    await c2.db!.collection('shared').insertOne({ v: 42 });
    expect((await env.conn.db!.collection('shared').findOne({ v: 42 }))?.v).toBe(42);
    await c2.close();
  });
});
