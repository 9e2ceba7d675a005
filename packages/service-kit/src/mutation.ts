// The one mutation pipeline: role → input → transaction → own records → write → counters →
// audit, all or nothing; the change feed is bumped by its plugin once a mutation wrote something.
import { type ClientSession, type Connection, type Model } from 'mongoose';
import type { z } from 'zod';
import { requireRole } from './auth';
import { badInput, conflict, notFound } from './errors';
import { recordAudit, type AuditEntryDoc, type AuditInput } from './audit';
import type { Role, Viewer } from './viewer';

/** What a mutation needs from its request context. */
export interface MutationContext {
  viewer: Viewer;
  requestId: string;
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
  /** Moves the maintained counters from `before` to `after` (null: created or removed). */
  moveCounters?(ctx: C, entity: string, before: unknown, after: unknown, session: ClientSession): Promise<void>;
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

/** Requests whose mutations wrote something: only they move the change feed. */
const wrote = new WeakSet<object>();
export function markWritten(ctx: object): void {
  wrote.add(ctx);
}
export function hasWritten(ctx: object): boolean {
  return wrote.has(ctx);
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
    await this.config.moveCounters?.(this.ctx, entity, before, after, this.session);
    const shown = (doc: unknown) => (doc == null ? null : this.config.audited ? this.config.audited(entity, doc) : doc);
    await this.audit({
      entity,
      entityId: record._id,
      orgPath: this.pathOf(entity, record),
      before: auditAs ? auditAs.before : shown(before),
      after: auditAs ? auditAs.after : shown(after),
    });
  }

  /** An audit entry of this mutation (or under another action name, e.g. REVEAL:idNumber). */
  async audit(entry: Omit<AuditInput, 'action'> & { action?: string }): Promise<void> {
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
      const result = await config.connection(ctx).transaction((session) => write(new Change(ctx, session, config, rule.action), input));
      markWritten(ctx);
      return result;
    },
  };
}

export type MutationPipeline<C extends MutationContext> = ReturnType<typeof mutationPipeline<C>>;
