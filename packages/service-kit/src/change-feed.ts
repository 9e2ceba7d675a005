import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { Connection } from 'mongoose';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Logger } from './logger';
import { sendJson, type Route } from './http';
import type { Authenticator } from './auth';
import { formatWriteScope, parseWriteScope, unionWriteScopes, type WriteScope } from './change-scope';

/**
 * The data version of a service's database (docs/adr/0006): one document `{ _id: 'data', v,
 * since }` in the collection `changes`, bumped with a plain atomic `$inc` after every mutation
 * and by every CLI writer (seed, import). `since` is random, set when the document is created,
 * so a dropped and re-created document never repeats an earlier version.
 */
export const CHANGES_COLLECTION = 'changes';
const VERSION_ID = 'data';

interface VersionDoc {
  v?: number;
  since?: string;
  /** What the last RECENT_SCOPES bumps wrote (formatWriteScope), the last one last. */
  recent?: string[];
  /** organizations only: the tree version, the number of its last reorganization (ADR 0008). */
  tree?: number;
}

/** Where the version lives: the service's own database, or a fake in unit tests. */
export interface VersionStore {
  read(): Promise<VersionDoc | null>;
  /** Atomically adds one, recording what the write changed; creates the document if needed; returns it after the change. */
  bump(scope?: string): Promise<VersionDoc>;
  /** The version document with only the last `n` entries of `recent` (what a poll needs when the version moved). */
  readRecent?(n: number): Promise<VersionDoc | null>;
}

/** How many bumps' scopes the version document remembers: a feed that falls further behind announces '*'. */
export const RECENT_SCOPES = 128;

/** How many of the last scopes a bump answers with: a feed further behind than this announces '*'. */
const BUMP_SCOPES = 16;

/** What every bump adds: one to the version, and what it wrote to the end of `recent`. */
const bumpUpdate = (scope: string) => ({ $inc: { v: 1 }, $push: { recent: { $each: [scope], $slice: -RECENT_SCOPES } } });

/** Anything that can give the native database: a mongoose Connection or a driver Db. */
type DbLike = Connection | { collection(name: string): unknown };

interface RawCollection {
  findOne(filter: object, opts?: object): Promise<unknown>;
  findOneAndUpdate(filter: object, update: object, opts: object): Promise<unknown>;
}

function rawCollection(db: DbLike): RawCollection {
  const native = 'getClient' in db ? db.db : db;
  if (!native) throw new Error('change feed: the connection is not open');
  return native.collection(CHANGES_COLLECTION) as unknown as RawCollection;
}

function newSince(): string {
  return randomBytes(6).toString('hex');
}

export function mongoVersionStore(db: DbLike): VersionStore {
  return {
    // A poll reads the version without the scopes; readRecent only the ones it has not seen.
    read: async () => (await rawCollection(db).findOne({ _id: VERSION_ID }, { projection: { recent: 0 } })) as VersionDoc | null,
    readRecent: async (n) =>
      (await rawCollection(db).findOne({ _id: VERSION_ID }, { projection: { recent: { $slice: -Math.max(1, n) } } })) as VersionDoc | null,
    // Every mutation bumps: answer only the last scopes (what the feed's `changed` line needs when
    // it was a few versions behind), not all RECENT_SCOPES (~13 kB sent and decoded per write).
    bump: async (scope = '*') => {
      const doc = (await rawCollection(db).findOneAndUpdate(
        { _id: VERSION_ID },
        { ...bumpUpdate(scope), $setOnInsert: { since: newSince() } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: false, projection: { recent: { $slice: -BUMP_SCOPES } } },
      )) as VersionDoc | { value: VersionDoc } | null;
      // Older drivers wrap the document in { value }.
      const value = doc && 'value' in doc && typeof doc.value === 'object' ? doc.value : (doc as VersionDoc | null);
      return value ?? { v: 0 };
    },
  };
}

/**
 * Marks a service's data as changed: what every writer outside a GraphQL mutation (seed,
 * imports, restores) calls when it is done, so gateways drop their cached answers. It also
 * draws a new `since`: after a restore brought an old version document back, the next version
 * must not repeat one a gateway has already seen for other data.
 */
export async function bumpDataVersion(db: DbLike): Promise<string> {
  const doc = (await rawCollection(db).findOneAndUpdate(
    { _id: VERSION_ID },
    { ...bumpUpdate('*'), $set: { since: newSince() } },
    { upsert: true, returnDocument: 'after', includeResultMetadata: false },
  )) as VersionDoc | null;
  return versionString(doc);
}

/**
 * Records, inside the reorganization's own transaction, the tree version it made (organizations'
 * feed announces it, so every gateway asks for it, not only the one that carried the change).
 * `$max`: a retried or late write never takes the version back.
 */
export async function recordTreeVersion(db: DbLike, version: number, session?: unknown): Promise<void> {
  await rawCollection(db).findOneAndUpdate(
    { _id: VERSION_ID },
    { $max: { tree: version }, $setOnInsert: { since: newSince() } },
    { upsert: true, session, includeResultMetadata: false },
  );
}

/**
 * What the bumps after version `from` up to `doc.v` wrote, from the document's `recent` (its last
 * entry is `doc.v`'s): '*' when one of them is no longer there (or was never recorded).
 */
function scopeBetween(doc: VersionDoc, from: number): string {
  const v = doc.v ?? 0;
  const recent = doc.recent ?? [];
  const scopes: WriteScope[] = [];
  for (let ver = from + 1; ver <= v; ver++) {
    const i = recent.length - 1 - (v - ver);
    if (i < 0) return '*';
    scopes.push(parseWriteScope(recent[i]));
  }
  return formatWriteScope(unionWriteScopes(scopes));
}

/** The Server-Sent Event that announces a tree version (the data version's events are unnamed). */
export const TREE_EVENT = 'tree';
const treeEvent = (tree: number) => `event: ${TREE_EVENT}\ndata: ${tree}\n\n`;

function versionString(doc: VersionDoc | null): string {
  return doc ? `${doc.since ?? '-'}:${doc.v ?? 0}` : 'none';
}

/** Errors raised before anything is written: the authorization suites prove a refusal changes nothing. */
const REFUSALS = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

interface ResultLike {
  data?: Record<string, unknown> | null;
  errors?: readonly { extensions?: { code?: unknown } | Record<string, unknown> }[];
}

/**
 * Whether a mutation's answer shows it changed no data: it has errors, all of them refusals
 * (FORBIDDEN, UNAUTHENTICATED), and no root field has a value. Refused mutations write nothing,
 * not even an audit entry, so they need not move a data version (issue 17: a VIEWER's refused
 * mutation emptied every cache). Any other failure may come after a write: it counts as a change.
 */
export function changedNothing(result: ResultLike): boolean {
  if (!result.errors?.length) return false;
  if (!result.errors.every((e) => REFUSALS.has(String(e.extensions?.code)))) return false;
  return Object.values(result.data ?? {}).every((v) => v === null || v === undefined);
}

/** `mutation { __typename }`: runs no mutation at all. */
function asksOnlyTypename(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
}

/** What a mutation's answer carries, as `extensions.changed`: the version its bump made and what it wrote. */
export interface BumpResult {
  version: string;
  scope: string;
}
export const CHANGED_EXTENSION = 'changed';

/**
 * A plugin that calls `then` before the response of every mutation operation that ran and may
 * have changed data: not one refused before execution (limits, validation), nor one refused as a
 * whole (changedNothing). What a subgraph's feed and the gateway's write epochs both follow.
 */
export function afterChangingMutations<C extends BaseContext>(
  then: (request: GraphQLRequestContextWillSendResponse<C>) => Promise<void>,
): ApolloServerPlugin<C> {
  return {
    requestDidStart: async () => {
      let executed = false;
      return {
        executionDidStart: async () => {
          executed = true;
        },
        willSendResponse: async (request) => {
          if (request.operation?.operation !== 'mutation' || !executed) return;
          if (request.response.body.kind === 'single' && changedNothing(request.response.body.singleResult)) return;
          await then(request);
        },
      };
    },
  };
}

/** Bumps `bump()` after every mutation that may have changed data (afterChangingMutations), before its response is sent. */
export function bumpAfterMutations<C extends BaseContext>(
  bump: (ctx: C) => Promise<BumpResult | null | void> | BumpResult | null | void,
): ApolloServerPlugin<C> {
  return afterChangingMutations<C>(async ({ operation, response, contextValue }) => {
    if (asksOnlyTypename(operation!)) return;
    const done = await bump(contextValue);
    // The gateway learns at once what the mutation wrote: its cache drops only the answers that read it.
    if (done && response.body.kind === 'single')
      response.body.singleResult.extensions = { ...response.body.singleResult.extensions, [CHANGED_EXTENSION]: done };
  });
}

export interface ChangeFeedOptions {
  store: VersionStore;
  log: Logger;
  /**
   * How often the version document is read, to learn of other replicas' and CLI writers' bumps
   * (100 ms: at 200, a loaded host's travel took such a write past ADR 0006's 300 ms bound).
   */
  pollMs?: number;
  /** A comment line on every open stream this often, so a stalled peer is noticed. */
  heartbeatMs?: number;
  /** Open streams at most (CHANGE_FEED_MAX_STREAMS, default 32); past it, 429 with Retry-After. */
  maxStreams?: number;
}

/** CHANGE_FEED_MAX_STREAMS: a positive whole number, default 32. */
export function maxStreamsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.CHANGE_FEED_MAX_STREAMS ?? 32);
  if (!Number.isInteger(n) || n < 1) throw new Error('CHANGE_FEED_MAX_STREAMS must be a positive whole number');
  return n;
}

/**
 * A service's change feed: an Apollo Server plugin that bumps the version after every mutation
 * (outside the mutation's transaction, before its response leaves) and `GET /changes`, a
 * Server-Sent Events stream of the version: the current one on connect, then every change; and,
 * where the document has one (organizations), the tree version as `event: tree` events.
 */
export class ChangeFeed {
  private version: VersionDoc | null | undefined = undefined;
  /** The highest tree version the document has shown (0: none, or not organizations). */
  private tree = 0;
  private readonly streams = new Set<ServerResponse>();
  private poller: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Set while a bump failed: the feed refuses subscribers until a bump succeeds. */
  private unsure = false;
  /** Counts local bumps, so a read that raced with one is not applied over it. */
  private generation = 0;
  private polling = false;
  /** A tick came while a read was on its way. */
  private pollAgain = false;
  readonly pollMs: number;

  constructor(private readonly opts: ChangeFeedOptions) {
    this.pollMs = opts.pollMs ?? 100;
  }

  /** Reads the version and starts polling it. */
  async start(): Promise<void> {
    this.stop();
    this.stopped = false;
    // Until the first read succeeds the feed answers 503 (subscribers treat it as down).
    await this.poll();
    this.poller = setInterval(() => void this.poll(), this.pollMs);
    this.poller.unref();
    this.heartbeat = setInterval(() => {
      for (const res of this.streams) res.write(': ping\n\n');
    }, this.opts.heartbeatMs ?? 5_000);
    this.heartbeat.unref();
  }

  /** The current version ('none' before the first write), or null before start(). */
  current(): string | null {
    return this.version === undefined ? null : versionString(this.version);
  }

  /** Ends every stream and stops polling (the server's drain is not held up by open streams). */
  stop(): void {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.endStreams();
  }

  /**
   * Adds one to the version, recording what the write changed (formatWriteScope), and tells every
   * subscriber; answers the new version. A failure ends the streams until a bump succeeds.
   */
  async bump(scope = '*'): Promise<string | null> {
    try {
      const doc = await this.opts.store.bump(scope);
      this.generation++;
      this.unsure = false;
      this.apply(doc, this.generation);
      return versionString(doc);
    } catch (err) {
      // The write happened but the version did not move: no subscriber may go on trusting it.
      this.opts.log.error({ err }, 'change feed: could not bump the data version; feed closed until it can');
      this.unsure = true;
      this.endStreams();
      return null;
    }
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    // A tick while a slow read is on its way reads again as soon as it ends: skipping the tick
    // would leave a bump unseen for two intervals (ADR 0006's bound is one, plus travel).
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      if (this.unsure) {
        await this.bump();
        return;
      }
      const generation = this.generation;
      let doc = await this.opts.store.read();
      const old = this.version;
      // It moved: read what the bumps since the last version seen wrote (for the `changed` line).
      if (doc && old && doc.since === old.since && (doc.v ?? 0) > (old.v ?? 0) && this.opts.store.readRecent)
        doc = (await this.opts.store.readRecent((doc.v ?? 0) - (old.v ?? 0))) ?? doc;
      this.apply(doc, generation);
    } catch (err) {
      this.opts.log.warn({ err }, 'change feed: could not read the data version');
    } finally {
      this.polling = false;
      if (this.pollAgain) {
        this.pollAgain = false;
        void this.poll();
      }
    }
  }

  /** Takes a version read when the local generation was `generation`; never goes back. */
  private apply(doc: VersionDoc | null, generation: number): void {
    if (generation !== this.generation) return; // a local bump landed meanwhile: this read may predate it
    const old = this.version;
    // The tree version only ever goes up, whatever the data version does (a restore draws a new `since`).
    const treeMoved = (doc?.tree ?? 0) > this.tree;
    if (treeMoved) this.tree = doc!.tree!;
    let dataMoved = true;
    if (old !== undefined && old !== null && doc && doc.since === old.since && (doc.v ?? 0) <= (old.v ?? 0)) dataMoved = false;
    if (old !== undefined && versionString(old) === versionString(doc)) dataMoved = false;
    if (dataMoved) this.version = doc;
    const changed = dataMoved && old && doc && old.since === doc.since ? `changed: ${old.v ?? 0} ${scopeBetween(doc, old.v ?? 0)}\n` : '';
    const lines = `${dataMoved ? `data: ${versionString(doc)}\n${changed}\n` : ''}${treeMoved ? treeEvent(this.tree) : ''}`;
    if (lines) for (const res of this.streams) res.write(lines);
  }

  private endStreams(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  /** How many streams are open. */
  streamCount(): number {
    return this.streams.size;
  }

  /**
   * `GET /changes`: the version as Server-Sent Events, for a SERVICE token only (the gateways'
   * own, issue 17: anonymous callers could hold any number of streams open), and at most
   * `maxStreams` at once. Without `auth` (unit tests of the feed alone) anyone may subscribe.
   */
  route(auth?: Authenticator): Route {
    return async (req: IncomingMessage, res: ServerResponse) => {
      if ((req.url ?? '').split('?')[0] !== '/changes') return false;
      if (req.method !== 'GET') {
        res.writeHead(405, { allow: 'GET' }).end();
        return true;
      }
      if (auth) {
        let roles: readonly string[] = [];
        try {
          const { viewer } = await auth.authenticate(req.headers);
          if (!viewer.userId) {
            sendJson(res, 401, { errors: [{ message: 'The change feed needs a service token', extensions: { code: 'UNAUTHENTICATED' } }] });
            return true;
          }
          roles = viewer.roles;
        } catch (err) {
          sendJson(res, 401, { errors: [{ message: (err as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] });
          return true;
        }
        if (!roles.includes('SERVICE')) {
          sendJson(res, 403, { errors: [{ message: 'Only services may follow the change feed', extensions: { code: 'FORBIDDEN' } }] });
          return true;
        }
      }
      if (this.streams.size >= (this.opts.maxStreams ?? 32)) {
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '5' }).end('too many change-feed streams\n');
        return true;
      }
      const current = this.current();
      if (this.stopped || this.unsure || current === null) {
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('change feed not available\n');
        return true;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(`data: ${current}\n\n${this.tree > 0 ? treeEvent(this.tree) : ''}`);
      this.streams.add(res);
      const forget = () => this.streams.delete(res);
      res.once('close', forget);
      req.once('close', forget);
      return true;
    };
  }

  /** Bumps after every mutation operation that may have changed data, before its response is sent. */
  plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return bumpAfterMutations(async () => {
      const version = await this.bump();
      return version ? { version, scope: '*' } : null;
    });
  }
}
