// Every subgraph stores, on each record, the path of its branch (national HQ first, the branch
// last), so "everything under X" is one indexed match. When the tree is reorganized, organizations
// writes the change to its outbox; each subgraph follows that outbox here, in order and exactly
// once: the stored paths are rewritten, the old path is kept as the record's placement until the
// effective date, and the maintained counters move from that date on (ADR 0008).
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { applyChanges, type Counters, type Placement, type RecordState } from '@rcsc/counters';

/** One reorganization as organizations publishes it. */
export interface ReorganizationEvent {
  seq: number;
  /**
   * MOVE, MERGE (the branch closed under another), DISSOLVE or RENAME (paths unchanged), or
   * REVERSAL: an earlier entry undone as if never made (its paths back, `on` the day it held from).
   */
  kind: 'MOVE' | 'MERGE' | 'DISSOLVE' | 'RENAME' | 'REVERSAL';
  branchId: string;
  /** YYYY-MM-DD or a Date: the day from which it holds. */
  on: string | Date;
  fromPath: string[];
  toPath: string[];
}

/** Where the events come from: the organizations subgraph (HTTP), or a list in tests. */
export interface ReorganizationSource {
  after(seq: number): Promise<ReorganizationEvent[]>;
}

/** A stored placement on a record: its path until (exclusive) a date. */
export interface StoredPlacement {
  path: Types.ObjectId[];
  until: Date;
}

/** The schema of a record's earlier placements (`orgPathHistory`), oldest first; absent until a move. */
export const placementHistoryField = {
  type: [new Schema({ path: { type: [Schema.Types.ObjectId], required: true }, until: { type: Date, required: true } }, { _id: false })],
  default: undefined,
};

/** What every record that belongs to a branch stores (taken from the directory when written). */
export const branchFields = {
  organizationId: { type: Schema.Types.ObjectId, required: true },
  /** The branch's ancestors plus the branch: "everything under X" is `{ orgPath: X }`, one indexed match. */
  orgPath: { type: [Schema.Types.ObjectId], required: true },
  /** Where the record was before reorganizations moved its branch (ADR 0008). */
  orgPathHistory: placementHistoryField,
};

/** A stored record of a branch (the fields `branchFields` defines). */
export interface BranchOwned {
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
}

/** A record's earlier placements, as the counters take them. */
export function placementsOf(doc: { orgPathHistory?: StoredPlacement[] | null }): Placement[] {
  return (doc.orgPathHistory ?? []).map((p) => ({ path: p.path, until: p.until }));
}

/** One collection a subgraph keeps under branches. */
export interface FollowedCollection {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>;
  /** The field holding the path (default orgPath); its earlier placements go to `<field>History`. */
  pathField?: string;
  /** A copy of the branch's parent on the record (records of the moved branch itself get the new one). */
  parentField?: string;
  /** The record's counter state (with its placements), when it is counted. */
  state?: (doc: never) => RecordState | null;
  /**
   * The records are found through their owners' ids (`field` on the record holds the owner's
   * `_id`) rather than by their own copy of the path: for a copy no index serves (a dues
   * payment's memberOrgPath: 4 M payments scanned in the follower's transaction at national scale).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  through?: { owner: Model<any>; field: string };
}

const MARKER_ID = 'reorganizations';

interface MarkerDoc {
  _id: string;
  applied: number;
}

/** GraphQL source: organizations' `reorganizations(after:)`, called with a SERVICE token. */
export class HttpReorganizationSource implements ReorganizationSource {
  constructor(
    private readonly url: string | (() => string),
    private readonly headers: () => Promise<Record<string, string>>,
  ) {}

  /** Every event after `seq`, read in pages of 100 (the subgraphs' page-size limit). */
  async after(seq: number): Promise<ReorganizationEvent[]> {
    const url = typeof this.url === 'function' ? this.url() : this.url;
    const events: ReorganizationEvent[] = [];
    for (;;) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await this.headers()) },
        body: JSON.stringify({
          query: 'query($after: Int!) { reorganizations(after: $after, first: 100) { seq kind branchId on fromPath toPath } }',
          variables: { after: events.at(-1)?.seq ?? seq },
        }),
      });
      const body = (await res.json()) as { data?: { reorganizations: ReorganizationEvent[] }; errors?: unknown };
      if (!body.data) throw new Error(`reorganizations unavailable from ${url}: ${JSON.stringify(body.errors ?? res.status)}`);
      events.push(...body.data.reorganizations);
      if (body.data.reorganizations.length < 100) return events;
    }
  }
}

const toDate = (on: string | Date) => (on instanceof Date ? on : new Date(`${on}T00:00:00Z`));
const oid = (id: unknown) => new Types.ObjectId(String(id));

/**
 * Applies one event to one collection, in the caller's session: every record whose path holds the
 * moved branch gets the new path (the moved branch's new ancestors, then the rest of its path),
 * and its old path as a placement until the effective day. Records already on the new path
 * (written after the move with a fresh tree) are left alone. Every kind is a path change (a merge
 * hangs the closed branch under the one it merged into; a dissolution changes no path but, once
 * applied, refreshes the directory so the closed branch takes no new records).
 */
async function applyToCollection(
  c: FollowedCollection,
  event: ReorganizationEvent,
  counters: Counters | undefined,
  session: import('mongoose').ClientSession,
): Promise<number> {
  const field = c.pathField ?? 'orgPath';
  const historyField = `${field}History`;
  const branch = oid(event.branchId);
  const toAncestors = event.toPath.slice(0, -1).map(oid);
  const on = toDate(event.on);
  // The owners' paths hold the moved branch whether or not they were rewritten yet in this transaction.
  const filter = c.through
    ? { [c.through.field]: { $in: await c.through.owner.find({ orgPath: branch }, { _id: 1 }).session(session).distinct('_id') } }
    : { [field]: branch };
  const docs = ((await c.model.find(filter).session(session).lean()) as Record<string, unknown>[]).filter((doc) =>
    ((doc[field] as Types.ObjectId[] | undefined) ?? []).some((p) => oid(p).equals(branch)),
  );
  const writes: object[] = [];
  const moves: { before: RecordState | null; after: RecordState | null }[] = [];
  for (const doc of docs) {
    const path = (doc[field] as Types.ObjectId[]).map(oid);
    const at = path.findIndex((p) => p.equals(branch));
    const next = [...toAncestors, ...path.slice(at)];
    if (next.length === path.length && next.every((p, i) => p.equals(path[i]))) continue;
    const earlier = (doc[historyField] as StoredPlacement[] | undefined) ?? [];
    // A reversal takes back the placement its move added (the record then reads as never moved);
    // a record filed under the new place after the move had none: it only returns.
    const last = earlier[earlier.length - 1];
    const reversed =
      event.kind === 'REVERSAL' &&
      last &&
      new Date(last.until).getTime() === on.getTime() &&
      last.path.length === next.length &&
      last.path.every((p, i) => oid(p).equals(next[i]));
    const history = event.kind === 'REVERSAL' ? (reversed ? earlier.slice(0, -1) : earlier) : [...earlier, { path, until: on }];
    const parent =
      c.parentField && branch.equals(oid(doc.organizationId)) ? { [c.parentField]: toAncestors[toAncestors.length - 1] ?? null } : {};
    writes.push({ updateOne: { filter: { _id: doc._id }, update: { $set: { [field]: next, [historyField]: history, ...parent } } } });
    if (c.state && counters) {
      const state = c.state as (d: unknown) => RecordState | null;
      moves.push({ before: state(doc), after: state({ ...doc, [field]: next, [historyField]: history }) });
    }
  }
  if (writes.length) await c.model.collection.bulkWrite(writes as never[], { session, ordered: false });
  if (moves.length && counters) await applyChanges(counters, moves, session);
  return writes.length;
}

/**
 * Follows the reorganizations of the tree in one subgraph's database. `catchUp()` applies every
 * event after the last one applied, each in its own transaction together with the marker, so an
 * event is applied exactly once even if the process dies midway or several replicas race (the
 * marker's update is conditional on the previous number). Concurrent calls share one run.
 */
export class ReorganizationFollower {
  private running: Promise<number> | null = null;

  constructor(
    private readonly opts: {
      connection: Connection;
      source: ReorganizationSource;
      collections: FollowedCollection[];
      counters?: Counters;
      /** Called after events were applied (e.g. the directory refreshes its tree); awaited before catchUp resolves. */
      onApplied?: (seq: number) => unknown;
    },
  ) {}

  private get markers() {
    return this.opts.connection.collection<MarkerDoc>('reorganizations_applied');
  }

  /** The number of the last event applied here (0: none). */
  async applied(): Promise<number> {
    return (await this.markers.findOne({ _id: MARKER_ID }))?.applied ?? 0;
  }

  private reached = 0;

  /** The tree version this process last saw applied (0 before its first catch-up). */
  get version(): number {
    return this.reached;
  }

  /** Resolves once this database has applied `version` (at once when it already has). */
  async reach(version: number): Promise<void> {
    if (version > this.reached) await this.catchUp();
  }

  /** Applies every pending event; resolves to the tree version this database is now at. */
  catchUp(): Promise<number> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<number> {
    await this.markers.updateOne({ _id: MARKER_ID }, { $setOnInsert: { applied: 0 } }, { upsert: true });
    let applied = await this.applied();
    for (const event of await this.opts.source.after(applied)) {
      if (event.seq !== applied + 1) throw new Error(`reorganization ${applied + 1} is missing (got ${event.seq})`);
      await this.opts.connection.transaction(async (session) => {
        const marker = await this.markers.findOneAndUpdate(
          { _id: MARKER_ID, applied: applied },
          { $set: { applied: event.seq } },
          { session, returnDocument: 'after' },
        );
        // Another replica applied it first: nothing to do.
        if (!marker) return;
        for (const c of this.opts.collections) await applyToCollection(c, event, this.opts.counters, session);
      });
      applied = await this.applied();
      await this.opts.onApplied?.(applied);
    }
    this.reached = Math.max(this.reached, applied);
    return applied;
  }
}
