import mongoose, { Schema, Types, type Connection } from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '@rcsc/embedded-mongo';
import { z } from 'zod';
import {
  auditModel,
  formatWriteScope,
  hasWritten,
  inViewerSubtree,
  forbidden,
  mutationPipeline,
  observeDatabaseCommands,
  onceWithKey,
  storedKeyId,
  writtenScope,
  conflict,
  type MutationContext,
  type Viewer,
} from '../src';

interface Thing {
  _id: Types.ObjectId;
  orgPath: Types.ObjectId[];
  n: number;
}
interface Ctx extends MutationContext {
  connection: Connection;
  moves: { before: number | null; after: number | null }[];
}

const root = new Types.ObjectId();
const mine = new Types.ObjectId();
const other = new Types.ObjectId();
let mongo: EmbeddedMongo;
let connection: Connection;

const pipeline = mutationPipeline<Ctx>({
  service: 'test',
  connection: (ctx) => ctx.connection,
  auditModel: (ctx) => auditModel(ctx.connection),
  requireOver: (ctx, orgPath, what) => {
    if (!inViewerSubtree(ctx.viewer, orgPath)) throw forbidden(`${what} is outside your branch's subtree`);
  },
  audited: (_entity, doc) => ({ n: (doc as Thing).n }),
  // Counted from 1 January of 2020 + n; n = 0 counts nothing.
  moveCounters: async (ctx, _entity, before, after) => {
    ctx.moves.push({ before: (before as Thing | null)?.n ?? null, after: (after as Thing | null)?.n ?? null });
    const days = [before, after].map((d) => (d as Thing | null)?.n).filter((n): n is number => !!n);
    return days.length ? new Date(Date.UTC(2020 + Math.min(...days), 0, 1)) : null;
  },
});

const things = () =>
  (connection.models.Thing as mongoose.Model<Thing>) ??
  connection.model<Thing>('Thing', new Schema<Thing>({ orgPath: [Schema.Types.ObjectId], n: { type: Number, min: 0 } }));
const ctxOf = (viewer: Viewer): Ctx => ({ viewer, requestId: 'r1', connection, moves: [] });
const staff: Viewer = { userId: 'u', organizationId: String(mine), roles: ['STAFF'], token: 't' };
const rule = { action: 'setN', roles: ['STAFF'] as const, does: 'set n', input: z.object({ n: z.number().int() }) };

beforeAll(async () => {
  mongo = await startEmbeddedMongo({ port: 0 });
  connection = await mongoose.createConnection(mongo.uri, { dbName: 'pipeline' }).asPromise();
  // Created before any transaction: a collection first created inside one is retried (SnapshotUnavailable),
  // which would run this test's non-transactional counter hook twice.
  await things().init();
  await auditModel(connection).init();
});
afterAll(async () => {
  await connection.close();
  await mongo.stop();
});

describe('mutationPipeline', () => {
  it('writes the record, its counters and its audit entry together, and marks the request written', async () => {
    const Thing = things();
    const ctx = ctxOf(staff);
    const created = await pipeline.mutate(ctx, { ...rule, value: { n: 1 } }, (change, input) =>
      change.create<Thing>(Thing, 'Thing', { orgPath: [root, mine], n: input.n }),
    );
    const updated = await pipeline.mutate(ctx, { ...rule, value: { n: 2 } }, async (change, input) => {
      const before = await change.own<Thing>(Thing, 'Thing', String(created._id));
      return change.update(Thing, 'Thing', before, { $set: { n: input.n } });
    });
    expect(updated.n).toBe(2);
    expect(ctx.moves).toEqual([
      { before: null, after: 1 },
      { before: 1, after: 2 },
    ]);
    const audit = await auditModel(connection)
      .find({ entityId: String(created._id) })
      .sort({ at: 1 })
      .lean();
    expect(audit.map((e) => [e.action, e.before, e.after])).toEqual([
      ['setN', null, { n: 1 }],
      ['setN', { n: 1 }, { n: 2 }],
    ]);
    expect(audit[0].orgPath.map(String)).toEqual([String(root), String(mine)]);
    expect(hasWritten(ctx)).toBe(true);
    // What it wrote, for the gateway's cache: the path, and the first day its counters moved.
    expect(formatWriteScope(writtenScope(ctx)!)).toBe(`${root}.${mine}@2021-01-01`);
  });

  it('says a change moved no counters, or that it cannot tell when a helper wrote a record itself', async () => {
    const Thing = things();
    const uncounted = ctxOf(staff);
    await pipeline.mutate(uncounted, { ...rule, value: { n: 0 } }, (change, input) =>
      change.create<Thing>(Thing, 'Thing', { orgPath: [root, mine], n: input.n }),
    );
    expect(formatWriteScope(writtenScope(uncounted)!)).toBe(`${root}.${mine}@-`);
    const helper = ctxOf(staff);
    await pipeline.mutate(helper, { ...rule, value: { n: 7 } }, async (change, input) => {
      const [doc] = await Thing.create([{ orgPath: [root, mine], n: input.n }], { session: change.session });
      change.wrote(doc.orgPath);
      return change.create<Thing>(Thing, 'Thing', { orgPath: [root, mine], n: input.n });
    });
    expect(formatWriteScope(writtenScope(helper)!)).toBe(`${root}.${mine}`);
  });

  it('refuses a wrong role, bad input, a foreign or unknown record, and writes nothing then', async () => {
    const Thing = things();
    const foreign = await Thing.create({ orgPath: [root, other], n: 5 });
    const before = await auditModel(connection).countDocuments();
    const set = (viewer: Viewer, value: unknown, id: string) => {
      const ctx = ctxOf(viewer);
      return pipeline
        .mutate(ctx, { ...rule, value }, async (change, input) =>
          change.update(Thing, 'Thing', await change.own<Thing>(Thing, 'Thing', id), { $set: { n: input.n } }),
        )
        .finally(() => expect(hasWritten(ctx)).toBe(false));
    };
    await expect(set({ ...staff, roles: ['VIEWER'] }, { n: 1 }, String(foreign._id))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(set(staff, { n: 'x' }, String(foreign._id))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.n' }] },
    });
    await expect(set(staff, { n: 1 }, String(foreign._id))).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(set(staff, { n: 1 }, String(new Types.ObjectId()))).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(set(staff, { n: 1 }, 'nope')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'id' }] } });
    expect((await Thing.findById(foreign._id).lean())!.n).toBe(5);
    expect(await auditModel(connection).countDocuments()).toBe(before);
  });

  it('rolls the record back when a later step of the same change fails', async () => {
    const Thing = things();
    const ctx = ctxOf(staff);
    await expect(
      pipeline.mutate(ctx, { ...rule, value: { n: 3 } }, async (change, input) => {
        await change.create<Thing>(Thing, 'Thing', { orgPath: [root, mine], n: input.n });
        await change.create<Thing>(Thing, 'Thing', { orgPath: [root, mine], n: -1 }); // fails the schema's min
      }),
    ).rejects.toThrow();
    expect(await Thing.countDocuments({ n: 3 })).toBe(0);
  });
});

describe('idempotency keys (issue 23)', () => {
  const keyed = (key: string, fingerprint: string, viewer = staff): Ctx => ({ ...ctxOf(viewer), idempotency: { key, fingerprint } });
  const create = (ctx: Ctx, n: number) =>
    pipeline.mutate(ctx, { ...rule, value: { n } }, (change, input) =>
      change.create<Thing>(things(), 'Thing', { orgPath: [root, mine], n: input.n }),
    );

  it('applies a retried request once and answers it with the first answer', async () => {
    const first = await create(keyed('k-retry', 'body-1'), 101);
    const again = keyed('k-retry', 'body-1');
    const second = await create(again, 101);
    expect(String(second._id)).toBe(String(first._id));
    expect(second.n).toBe(101);
    expect(await things().countDocuments({ n: 101 })).toBe(1);
    expect(await auditModel(connection).countDocuments({ entityId: String(first._id) })).toBe(1);
    // The replay changed nothing: the change feed is not moved for it.
    expect(hasWritten(again)).toBe(false);
  });

  it('applies two copies of one request racing each other once', async () => {
    const [a, b] = await Promise.all([create(keyed('k-race', 'body-2'), 102), create(keyed('k-race', 'body-2'), 102)]);
    expect(String(a._id)).toBe(String(b._id));
    expect(await things().countDocuments({ n: 102 })).toBe(1);
  });

  it('refuses a key reused with another request (BAD_USER_INPUT naming Idempotency-Key), writing nothing', async () => {
    await create(keyed('k-reuse', 'body-3'), 103);
    await expect(create(keyed('k-reuse', 'another body'), 104)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'Idempotency-Key' }] },
    });
    expect(await things().countDocuments({ n: 104 })).toBe(0);
  });

  it('keeps keys per user, and per mutation within one request', async () => {
    await create(keyed('k-shared', 'body-5'), 105);
    await create(keyed('k-shared', 'body-5', { ...staff, userId: 'someone else' }), 105);
    expect(await things().countDocuments({ n: 105 })).toBe(2);
    // Two mutations of one request (two root fields) are two writes; its retry replays both.
    for (let attempt = 0; attempt < 2; attempt++) {
      const ctx = keyed('k-two', 'body-6');
      await create(ctx, 106);
      await create(ctx, 107);
    }
    expect(await things().countDocuments({ n: { $in: [106, 107] } })).toBe(2);
  });

  it("answers a retry from its key when the retry's own write fails (the record it would create is there now)", async () => {
    // Refuses a second thing with the same n, as registering the same person twice is refused.
    const createOnce = (ctx: Ctx, n: number) =>
      pipeline.mutate(ctx, { ...rule, value: { n } }, async (change, input) => {
        if (await things().exists({ n: input.n }).session(change.session)) throw conflict(`a thing with n ${input.n} exists`);
        return change.create<Thing>(things(), 'Thing', { orgPath: [root, mine], n: input.n });
      });
    const first = await createOnce(keyed('k-once', 'body-9'), 109);
    const again = keyed('k-once', 'body-9');
    expect(String((await createOnce(again, 109))._id)).toBe(String(first._id));
    expect(hasWritten(again)).toBe(false);
    await expect(createOnce(keyed('k-other', 'body-10'), 109)).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(await things().countDocuments({ n: 109 })).toBe(1);
  });

  it('costs one database command more than a write without a key (the key is not looked up first)', async () => {
    const sent: string[] = [];
    let counting = false;
    observeDatabaseCommands(connection.getClient(), (command) => {
      if (counting) sent.push(command.commandName);
    });
    const commandsOf = async (write: () => Promise<unknown>) => {
      await write(); // warm: the keys' collection and index are made once per connection
      sent.length = 0;
      counting = true;
      await write();
      counting = false;
      return [...sent];
    };
    let k = 0;
    const unkeyed = await commandsOf(() => create(ctxOf(staff), 110));
    const keyedCommands = await commandsOf(() => create(keyed(`k-count-${k++}`, 'body-11'), 110));
    expect(keyedCommands.length).toBe(unkeyed.length + 1);
    expect(keyedCommands.filter((c) => c === 'find')).toEqual(unkeyed.filter((c) => c === 'find'));
  });

  it('stores no key for a write that failed, so its retry is applied', async () => {
    const failing = pipeline.mutate(keyed('k-fail', 'body-8'), { ...rule, value: { n: 108 } }, async (change, input) => {
      await change.create<Thing>(things(), 'Thing', { orgPath: [root, mine], n: input.n });
      await change.create<Thing>(things(), 'Thing', { orgPath: [root, mine], n: -1 });
    });
    await expect(failing).rejects.toThrow();
    await create(keyed('k-fail', 'body-8'), 108);
    expect(await things().countDocuments({ n: 108 })).toBe(1);
  });
});

describe('onceWithKey: an operation of several transactions (a register import) run once per key', () => {
  const keyed = (key: string, fingerprint: string): Ctx => ({ ...ctxOf(staff), idempotency: { key, fingerprint } });
  /** Two transactions, as an import's batches: each inserts a thing; answers how many it inserted. */
  const importTwo = (ctx: Ctx, n: number, opts: { fail?: boolean; hold?: Promise<void> } = {}) =>
    onceWithKey(ctx, connection, 'importThings', async () => {
      for (let batch = 0; batch < 2; batch++) {
        await connection.transaction((session) => things().create([{ orgPath: [root, mine], n }], { session }));
        if (batch === 0) await opts.hold;
        if (opts.fail) throw new Error('the second batch failed');
      }
      return { created: 2, n };
    });

  it('answers a retry after it ended with the first answer, running nothing again', async () => {
    expect(await importTwo(keyed('i-done', 'file-1'), 201)).toEqual({ created: 2, n: 201 });
    expect(await importTwo(keyed('i-done', 'file-1'), 201)).toEqual({ created: 2, n: 201 });
    expect(await things().countDocuments({ n: 201 })).toBe(2);
    await expect(importTwo(keyed('i-done', 'another file'), 202)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'Idempotency-Key' }] },
    });
    expect(await things().countDocuments({ n: 202 })).toBe(0);
  });

  it('refuses a retry while the first still runs (CONFLICT naming Idempotency-Key), then answers it', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const first = importTwo(keyed('i-running', 'file-3'), 203, { hold });
    await new Promise((r) => setTimeout(r, 100));
    await expect(importTwo(keyed('i-running', 'file-3'), 203)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', fields: [{ field: 'Idempotency-Key' }] },
    });
    release();
    expect(await first).toEqual({ created: 2, n: 203 });
    expect(await importTwo(keyed('i-running', 'file-3'), 203)).toEqual({ created: 2, n: 203 });
    expect(await things().countDocuments({ n: 203 })).toBe(2);
  });

  it('gives the key back when it fails: the retry runs again (what the first committed stays)', async () => {
    await expect(importTwo(keyed('i-fail', 'file-4'), 204, { fail: true })).rejects.toThrow('the second batch failed');
    expect(await importTwo(keyed('i-fail', 'file-4'), 204)).toEqual({ created: 2, n: 204 });
    expect(await things().countDocuments({ n: 204 })).toBe(3);
  });

  it('lets a retry take the key over once the first stopped renewing it (its process died)', async () => {
    // What a process killed in the middle of a run leaves: the key taken, no answer, its lease running out.
    const keys = connection.collection<{ _id: string; fingerprint: string; action: string; runningUntil: Date; at: Date }>(
      'idempotencykeys',
    );
    const left = (key: string, runningUntil: Date) =>
      keys.insertOne({
        _id: storedKeyId(staff.userId, key, 0),
        fingerprint: 'file-5',
        action: 'importThings',
        runningUntil,
        at: new Date(),
      });
    await left('i-alive', new Date(Date.now() + 60_000));
    await expect(importTwo(keyed('i-alive', 'file-5'), 205)).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    await left('i-dead', new Date(Date.now() - 1));
    expect(await importTwo(keyed('i-dead', 'file-5'), 205)).toEqual({ created: 2, n: 205 });
    expect(await importTwo(keyed('i-dead', 'file-5'), 205)).toEqual({ created: 2, n: 205 });
    expect(await things().countDocuments({ n: 205 })).toBe(2);
  });

  it('just runs without a key', async () => {
    expect(await importTwo(ctxOf(staff), 206)).toEqual({ created: 2, n: 206 });
    expect(await importTwo(ctxOf(staff), 206)).toEqual({ created: 2, n: 206 });
    expect(await things().countDocuments({ n: 206 })).toBe(4);
  });
});
