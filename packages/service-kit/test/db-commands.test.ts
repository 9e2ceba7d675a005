// Database commands observed around the driver's Server.command, without its command monitoring
// (which decodes every reply twice): names as the server sees them, outcomes, one client's
// commands only, and the latency histogram the services export.
import mongoose from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '@rcsc/embedded-mongo';
import { measureDatabaseCommands, metricsRegistry, observeDatabaseCommands, type DbCommand } from '../src';

let server: EmbeddedMongo;
let a: mongoose.Connection;
let b: mongoose.Connection;

beforeAll(async () => {
  server = await startEmbeddedMongo();
  a = await mongoose.createConnection(server.uri, { dbName: 'observed' }).asPromise();
  b = await mongoose.createConnection(server.uri, { dbName: 'other' }).asPromise();
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await server?.stop();
});

describe('observeDatabaseCommands', () => {
  it("sees each command of its client by the server's name, with its outcome, and none of another client's", async () => {
    const seen: Array<DbCommand & { failed?: string }> = [];
    observeDatabaseCommands(a.getClient(), (c) => {
      const entry: DbCommand & { failed?: string } = { ...c };
      seen.push(entry);
      return (failure) => {
        if (failure) entry.failed = (failure as { codeName?: string }).codeName ?? String(failure);
      };
    });
    const things = a.db!.collection('things');
    await things.insertMany([{ _id: 1 }, { _id: 3 }] as never[]);
    await things.find({}).batchSize(1).toArray();
    await b.db!.collection('elsewhere').insertOne({ x: 1 });
    const session = a.getClient().startSession();
    try {
      await session.withTransaction(async () => {
        await things.insertOne({ _id: 2 } as never, { session });
      });
    } finally {
      await session.endSession();
    }
    await expect(things.insertOne({ _id: 1 } as never)).rejects.toMatchObject({ code: 11000 });
    await expect(a.db!.command({ noSuchCommand: 1 })).rejects.toThrow();

    expect(a.getClient().options.monitorCommands).toBe(false);
    const names = seen.map((c) => c.commandName);
    expect(names).toEqual(['insert', 'find', 'getMore', 'insert', 'commitTransaction', 'insert', 'noSuchCommand']);
    expect(seen.find((c) => c.commandName === 'find')).toMatchObject({ databaseName: 'observed', collection: 'things' });
    expect(seen.find((c) => c.commandName === 'commitTransaction')).toMatchObject({ databaseName: 'admin', collection: undefined });
    // A duplicate key is an answer with write errors, as the driver's own monitoring counts it; a refused command fails.
    expect(seen.filter((c) => c.failed).map((c) => [c.commandName, c.failed])).toEqual([['noSuchCommand', 'CommandNotFound']]);
    expect(seen.some((c) => c.databaseName === 'other')).toBe(false);
  });

  it("leaves out the driver's own endSessions, sent when a client closes", async () => {
    const c = await mongoose.createConnection(server.uri, { dbName: 'closing' }).asPromise();
    const names: string[] = [];
    observeDatabaseCommands(c.getClient(), ({ commandName }) => void names.push(commandName));
    await c.db!.collection('things').insertOne({ x: 1 });
    await c.close();
    expect(names).toEqual(['insert']);
  });

  it('feeds the latency histogram by service, command and outcome', async () => {
    measureDatabaseCommands('observed-service', a.getClient());
    await a.db!.collection('things').findOne({ _id: 1 } as never);
    await expect(a.db!.command({ noSuchCommand: 1 })).rejects.toThrow();
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/rcsc_db_command_duration_seconds_count\{service="observed-service",command="find",outcome="ok"\} 1\b/);
    expect(text).toMatch(
      /rcsc_db_command_duration_seconds_count\{service="observed-service",command="noSuchCommand",outcome="error"\} 1\b/,
    );
  });
});
