// The one mutation pipeline: role → input → transaction → own records → write → counters →
// audit, all or nothing; the change feed is bumped by its plugin once a mutation wrote something.
import { createHash } from 'node:crypto';
import { type ClientSession, type Connection, type Model } from 'mongoose';
import type { z } from 'zod';
import { requireRole } from './auth';
import { badInput, conflict, isDuplicateKey, notFound } from './errors';
import { recordAudit, type AuditEntryDoc, type AuditInput } from './audit';
import type { Role, Viewer } from './viewer';
import { pathIds, unionWriteScopes, type WriteScope } from './change-scope';

/** What a mutation needs from its request context. */
export interface MutationContext {
  viewer: Viewer;
  requestId: string;
  /**
   * The request's `Idempotency-Key` and a fingerprint of its body (set by createSubgraph for a
   * mutation that carries the header): a retried request is answered from the first one.
   */
  idempotency?: IdempotencyKey;
}

/** A client's idempotency key and the fingerprint (SHA-256) of the request it came with. */
export interface IdempotencyKey {
  key: string;
  fingerprint: string;
}

/** The header a client (and the gateway, forwarding it) sends with a write it may retry. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The collection, in each service's database, of key -> first answer. */
export const IDEMPOTENCY_COLLECTION = 'idempotencykeys';

/** How long a key is remembered (a TTL index on `at`): a retry comes within seconds or minutes. */
export const IDEMPOTENCY_TTL_S = 24 * 3600;

interface IdempotencyDoc {
  _id: string;
  fingerprint: string;
  action: string;
  /** The first answer; missing while an operation of several transactions (onceWithKey) runs. */
  answer?: { value: unknown };
  /** onceWithKey: while it runs, until when its process holds the key (renewed; a crashed one's lapses). */
  runningUntil?: Date;
  at: Date;
}

/** The collection and its TTL index, made once per connection outside any transaction. */
const prepared = new WeakMap<Connection, Promise<void>>();
function prepareKeys(connection: Connection): Promise<void> {
  let done = prepared.get(connection);
  if (!done) {
    done = (async () => {
      const db = connection.db;
      if (!db) throw new Error('not connected');
      // Created before any transaction: a collection first created inside one makes it retry.
      if (!(await db.listCollections({ name: IDEMPOTENCY_COLLECTION }).toArray()).length)
        await db.createCollection(IDEMPOTENCY_COLLECTION).catch((err: { codeName?: string }) => {
          if (err.codeName !== 'NamespaceExists') throw err;
        });
      await db.collection(IDEMPOTENCY_COLLECTION).createIndex({ at: 1 }, { expireAfterSeconds: IDEMPOTENCY_TTL_S });
    })();
    done.catch(() => prepared.delete(connection));
    prepared.set(connection, done);
  }
  return done;
}

/** How many keyed mutations a request has run so far: the n-th of a retried request is the n-th again. */
const keyedCalls = new WeakMap<object, number>();

/** The stored key (`_id` in IDEMPOTENCY_COLLECTION) of a user's key for the n-th keyed mutation of a request. */
export function storedKeyId(userId: string | null, key: string, n: number): string {
  return createHash('sha256')
    .update(JSON.stringify([userId, key, n]))
    .digest('base64url');
}

/** The stored key of the request's next keyed mutation. */
function nextKeyId(ctx: MutationContext, idem: IdempotencyKey): string {
  const n = keyedCalls.get(ctx) ?? 0;
  keyedCalls.set(ctx, n + 1);
  return storedKeyId(ctx.viewer.userId, idem.key, n);
}

/** A stored key's first answer; null while the request that took it still runs. BAD_USER_INPUT when another request took it. */
function storedAnswer(first: IdempotencyDoc, idem: IdempotencyKey): { value: unknown } | null {
  if (first.fingerprint !== idem.fingerprint)
    throw badInput('Idempotency-Key', 'was already used for a different request; send a new key with a new request');
  return first.answer ?? null;
}
const stillRunning = () =>
  conflict('the request first sent with this Idempotency-Key is still running; send it again with the same key later', 'Idempotency-Key');

/** How long a running onceWithKey holds its key before a retry may take it over (renewed every quarter while it runs). */
export const KEY_LEASE_MS = 120_000;

/**
 * Runs `run` once per Idempotency-Key, for an operation that commits in several transactions of
 * its own (a register import, batch by batch), which the pipeline's one-transaction keys cannot
 * cover. The key is taken before it starts and holds the answer once it ends: a retry meanwhile
 * is refused (CONFLICT naming Idempotency-Key), a retry after is answered the first answer, and a
 * failed run gives the key back (its retry runs again; what it committed stays, e.g. rows then
 * reported as already registered). A process that dies mid-run holds the key until KEY_LEASE_MS
 * lapses, then a retry takes it over. Without a key, `run` just runs.
 */
export async function onceWithKey<R>(ctx: MutationContext, connection: Connection, action: string, run: () => Promise<R>): Promise<R> {
  const idem = ctx.idempotency;
  if (!idem) return run();
  const id = nextKeyId(ctx, idem);
  await prepareKeys(connection);
  const keys = connection.collection<IdempotencyDoc>(IDEMPOTENCY_COLLECTION);
  const lease = () => new Date(Date.now() + KEY_LEASE_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      await keys.insertOne({ _id: id, fingerprint: idem.fingerprint, action, runningUntil: lease(), at: new Date() });
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const first = await keys.findOne({ _id: id });
    if (!first) {
      if (attempt < 3) continue; // given back meanwhile: take it
      throw stillRunning();
    }
    const answer = storedAnswer(first, idem);
    if (answer) return answer.value as R;
    // The run holding it stopped renewing (its process died): take it over, once.
    const lapsed = first.runningUntil && first.runningUntil.getTime() < Date.now();
    if (lapsed && (await keys.updateOne({ _id: id, runningUntil: first.runningUntil }, { $set: { runningUntil: lease() } })).modifiedCount)
      break;
    throw stillRunning();
  }
  const renew = setInterval(() => {
    keys.updateOne({ _id: id, answer: { $exists: false } }, { $set: { runningUntil: lease() } }).catch(() => undefined);
  }, KEY_LEASE_MS / 4);
  renew.unref();
  let result: R;
  try {
    result = await run();
  } catch (err) {
    await keys.deleteOne({ _id: id }).catch(() => undefined);
    throw err;
  } finally {
    clearInterval(renew);
  }
  // Not stored (the database gone): the answer is still right; a retry runs again once the lease lapses.
  await keys
    .updateOne({ _id: id }, { $set: { answer: { value: result }, at: new Date() }, $unset: { runningUntil: '' } })
    .catch(() => undefined);
  return result;
}

/** A record as the pipeline knows it: its id (and, through config.pathOf, where it sits in the tree). */
export interface OwnedRecord {
  _id: unknown;
}

/** What one service tells the pipeline once: where to write, and what every change also does. */
export interface PipelineConfig<C extends MutationContext> {
  service: string;
  connection(ctx: C): Connection;
  auditModel(ctx: C): Model<AuditEntryDoc>;
  /** FORBIDDEN unless a record on `orgPath` lies in the viewer's subtree. */
  requireOver(ctx: C, orgPath: readonly unknown[], what: string): void;
  /** Where a record sits in the tree (national HQ first, its own branch last); default: its `orgPath`. */
  pathOf?(entity: string, doc: unknown): readonly unknown[];
  /** The form a record of `entity` takes in the audit log (e.g. personal data masked). */
  audited?(entity: string, doc: unknown): unknown;
  /**
   * Moves the maintained counters from `before` to `after` (null: created or removed), and says
   * from which day the counters changed: null when they did not, undefined when it cannot tell.
   */
  moveCounters?(ctx: C, entity: string, before: unknown, after: unknown, session: ClientSession): Promise<Date | null | undefined>;
}

/** The rule a mutation is called with. */
export interface MutationRule<S extends z.ZodType | undefined = undefined> {
  /** Its name in the audit log. */
  action: string;
  /** Who may call it at all (the subtree is checked on the records it touches). */
  roles: readonly Role[];
  /** For the FORBIDDEN message: "Only ADMIN or STAFF may <does>". */
  does: string;
  /** The input and its schema: BAD_USER_INPUT naming every offending field under `prefix`. */
  input?: S;
  value?: unknown;
  /** The path prefix of field names ('input' for an input object, '' for top-level arguments). */
  prefix?: string;
}

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** Requests whose mutations wrote something, with what they wrote (change-scope.ts). */
const wrote = new WeakMap<object, WriteScope>();
/** Records that the request wrote: the paths of the records it changed, '*' when not known. */
export function markWritten(ctx: object, scope: WriteScope = '*'): void {
  const before = wrote.get(ctx);
  wrote.set(ctx, before === undefined ? scope : unionWriteScopes([before, scope]));
}
export function hasWritten(ctx: object): boolean {
  return wrote.has(ctx);
}
/** What the request's mutations wrote ('*' when not known), null when nothing. */
export function writtenScope(ctx: object): WriteScope | null {
  return wrote.get(ctx) ?? null;
}

/** Validates `value` with `schema`; every offending field named as a path under `prefix`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badInput(
    result.error.issues.map((issue) => ({
      field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'input',
      message: issue.message,
    })),
  );
}

/** One transaction of a mutation: reads and writes in its session, each change audited and counted. */
export class Change<C extends MutationContext> {
  /** The paths of the records this change wrote or audited; null once one had no path. */
  private paths: string[][] | null = [];
  /** The first day whose counters it changed ('YYYY-MM-DD'; null: none so far); undefined once one could not tell. */
  private datedFrom: string | null | undefined = null;

  constructor(
    readonly ctx: C,
    readonly session: ClientSession,
    private readonly config: PipelineConfig<C>,
    private readonly action: string,
  ) {}

  /**
   * A record the mutation changes, read in its session: BAD_USER_INPUT for a malformed id,
   * NOT_FOUND when unknown, FORBIDDEN outside the viewer's subtree.
   */
  async own<T extends OwnedRecord>(model: Model<T>, entity: string, id: string, field = 'id'): Promise<T> {
    if (!/^[0-9a-f]{24}$/i.test(id)) throw badInput(field, 'must be an id returned by this graph');
    const row = (await model.findById(id).session(this.session).lean()) as T | null;
    if (!row) throw notFound(entity, id);
    this.config.requireOver(this.ctx, this.pathOf(entity, row), `${entity} ${id}`);
    return row;
  }

  /**
   * A record the change refers to (not the one it changes), read in its session: BAD_USER_INPUT
   * naming `field` when malformed or unknown, FORBIDDEN outside the viewer's subtree.
   */
  async ref<T extends OwnedRecord>(model: Model<T>, entity: string, id: string, field: string): Promise<T> {
    if (!/^[0-9a-f]{24}$/i.test(id)) throw badInput(field, 'must be an id returned by this graph');
    const row = (await model.findById(id).session(this.session).lean()) as T | null;
    if (!row) throw badInput(field, `no ${entity.toLowerCase()} has this id`);
    this.config.requireOver(this.ctx, this.pathOf(entity, row), `${entity} ${id}`);
    return row;
  }

  /** The path a record of `entity` is filed under (its audit entries too). */
  pathOf(entity: string, doc: unknown): readonly unknown[] {
    return this.config.pathOf ? this.config.pathOf(entity, doc) : (doc as { orgPath: readonly unknown[] }).orgPath;
  }

  /** Inserts a record, then audits and counts it. */
  async create<T extends OwnedRecord>(model: Model<T>, entity: string, doc: Partial<T>): Promise<T> {
    // The driver's plain-object model type is enough here: the schema casts and validates.
    const insert = model.create.bind(model) as unknown as (docs: unknown[], opts: object) => Promise<{ toObject(): unknown }[]>;
    const [created] = await insert([doc], { session: this.session });
    const after = created.toObject() as T;
    await this.changed(entity, null, after);
    return after;
  }

  /**
   * Updates `before` (matched by its id and `unchanged`, e.g. still PENDING), then audits and
   * counts the change. CONFLICT with `meanwhile` when another request changed it first.
   */
  async update<T extends OwnedRecord>(
    model: Model<T>,
    entity: string,
    before: T,
    change: Record<string, unknown>,
    opts: { unchanged?: Record<string, unknown>; meanwhile?: string; auditAs?: { before: unknown; after: unknown } } = {},
  ): Promise<T> {
    const after = (await model
      .findOneAndUpdate({ _id: before._id, ...opts.unchanged }, change, {
        returnDocument: 'after',
        session: this.session,
        runValidators: true,
      })
      .lean()) as T | null;
    if (!after) throw conflict(opts.meanwhile ?? `the ${entity} was changed meanwhile; try again`);
    await this.changed(entity, before, after, opts.auditAs);
    return after;
  }

  /**
   * A change already written (by a bulk write, say): counters follow it and it is audited. The
   * audit entry shows `auditAs` when given (e.g. only the fields that changed).
   */
  async changed(entity: string, before: OwnedRecord | null, after: OwnedRecord | null, auditAs?: { before: unknown; after: unknown }) {
    const record = (after ?? before)!;
    // A record that moved (a transfer) changed the answers about both places.
    for (const doc of [before, after]) if (doc) this.addPath(this.pathOf(entity, doc));
    this.countedFrom(await this.config.moveCounters?.(this.ctx, entity, before, after, this.session));
    const shown = (doc: unknown) => (doc == null ? null : this.config.audited ? this.config.audited(entity, doc) : doc);
    await this.audit({
      entity,
      entityId: record._id,
      orgPath: this.pathOf(entity, record),
      before: auditAs ? auditAs.before : shown(before),
      after: auditAs ? auditAs.after : shown(after),
    });
  }

  /**
   * Notes a record written without the pipeline's create/update (a helper's insert): its path,
   * '*' without one; what it did to dated counters is not known.
   */
  wrote(path: readonly unknown[] | null | undefined): void {
    this.addPath(path);
    this.countedFrom(undefined);
  }

  private addPath(path: readonly unknown[] | null | undefined): void {
    const ids = pathIds(path);
    if (!ids) this.paths = null;
    else this.paths?.push(ids);
  }

  /** Notes the first day a counter move changed (moveCounters' answer). */
  private countedFrom(day: Date | null | undefined): void {
    if (day === null || this.datedFrom === undefined) return;
    if (day === undefined || Number.isNaN(day.getTime())) {
      this.datedFrom = undefined;
      return;
    }
    const text = day.toISOString().slice(0, 10);
    if (this.datedFrom === null || text < this.datedFrom) this.datedFrom = text;
  }

  /** What this change wrote: the records' paths and the first day of its counters, or '*' when a path is not known (or none was audited). */
  scope(): WriteScope {
    return this.paths?.length ? this.paths.map((ids) => ({ ids, datedFrom: this.datedFrom })) : '*';
  }

  /** An audit entry of this mutation (or under another action name, e.g. REVEAL:idNumber). */
  async audit(entry: Omit<AuditInput, 'action'> & { action?: string }): Promise<void> {
    // An audit entry is no counted record: it moves no dated counter.
    this.addPath(entry.orgPath as readonly unknown[] | undefined);
    await recordAudit(
      this.config.auditModel(this.ctx),
      { viewer: this.ctx.viewer, requestId: this.ctx.requestId, service: this.config.service },
      { ...entry, action: entry.action ?? this.action },
      this.session,
    );
  }
}

/**
 * The pipeline of one service. `mutate(ctx, rule, write)`: the role is checked, the input parsed,
 * then `write` runs in one transaction (retried by the driver on a transient conflict, so rules
 * are checked again on fresh records); the request is marked as having written once it commits.
 */
export function mutationPipeline<C extends MutationContext>(config: PipelineConfig<C>) {
  return {
    async mutate<R, S extends z.ZodType | undefined = undefined>(
      ctx: C,
      rule: MutationRule<S>,
      write: (change: Change<C>, input: Parsed<S>) => Promise<R>,
    ): Promise<R> {
      requireRole(ctx.viewer, [...rule.roles], rule.does);
      const input = (rule.input ? parseWith(rule.input, rule.value, rule.prefix ?? 'input') : undefined) as Parsed<S>;
      const connection = config.connection(ctx);
      const idem = ctx.idempotency;
      if (!idem) {
        let change!: Change<C>;
        const result = await connection.transaction((session) => write((change = new Change(ctx, session, config, rule.action)), input));
        markWritten(ctx, change.scope());
        return result;
      }
      // Keyed: the key and the first answer are stored in the write's own transaction (the _id
      // is unique), so a retry of the same request returns that answer and writes nothing. The
      // key is not looked up first (a round trip on every write for the rare retry): a retry
      // fails inside its transaction, on the key's insert or earlier (say, the member it would
      // register is one now), which rolls it back, and is then answered from the stored key.
      const id = nextKeyId(ctx, idem);
      await prepareKeys(connection);
      const keys = connection.collection<IdempotencyDoc>(IDEMPOTENCY_COLLECTION);
      let change!: Change<C>;
      try {
        const result = await connection.transaction(async (session) => {
          const result = await write((change = new Change(ctx, session, config, rule.action)), input);
          await keys.insertOne(
            { _id: id, fingerprint: idem.fingerprint, action: rule.action, answer: { value: result }, at: new Date() },
            { session },
          );
          return result;
        });
        markWritten(ctx, change.scope());
        return result;
      } catch (err) {
        // Committed by this request before (a retry, or two copies at once): its first answer.
        // If the key cannot be read either, the write's own error says more.
        const first = await keys.findOne({ _id: id }).catch(() => null);
        if (!first) throw err;
        const answer = storedAnswer(first, idem);
        if (!answer) throw stillRunning();
        return answer.value as R;
      }
    },
  };
}

export type MutationPipeline<C extends MutationContext> = ReturnType<typeof mutationPipeline<C>>;
