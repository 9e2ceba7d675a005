// Dated counters: the annex tables ask "how many members did this branch's subtree have on
// 2021-06-30?" for any branch and any date. Scanning a million records per question is too
// slow, so each fact a record contributes is kept as dated deltas (+1 the day a member joins,
// -1 the day they withdraw), added to every branch on the record's path. A subtree's value on a
// date is then the sum of its own deltas up to that date: one indexed read of a few year
// documents, whatever the subtree's size.
//
// A write's transaction leaves its deltas in a pending entry (an insert: it never conflicts); the
// roll-up adds pending entries to the branches' documents and deletes them, in one transaction.
// So no document is written by every transaction (the nation's would be: on a replica set every
// write in the country would conflict on it), and a read is still exact: documents plus pending
// entries, in one snapshot.
import DataLoader from 'dataloader';
import { Schema, Types, type ClientSession, type Connection, type Model } from 'mongoose';

/** Loose enough for any service's model: only find/sort/limit/lean are used. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;

/** One dated delta a record contributes to a counter: `delta` from `on` (a UTC day) onwards. */
export interface Contribution {
  key: string;
  on: Date;
  delta: number;
}

/**
 * One branch's deltas in one calendar year: `total[key]` is the year's sum, `days[key][d]` the
 * sum on day-of-year d (1-366), as field `d<d>`. Years before a date count by their totals, its own year by days.
 */
export interface CounterDoc {
  _id: string;
  root: Types.ObjectId;
  year: number;
  total: Record<string, number>;
  days: Record<string, Record<string, number>>;
}

const counterSchema = new Schema<CounterDoc>(
  {
    _id: { type: String, required: true },
    root: { type: Schema.Types.ObjectId, required: true },
    year: { type: Number, required: true },
    total: { type: Schema.Types.Mixed, default: {} },
    days: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
counterSchema.index({ root: 1, year: 1 });

/** A transaction's deltas for the branches on its records' paths, until the roll-up adds them (see rollUp). */
export interface PendingDoc {
  _id: Types.ObjectId;
  /** The branches whose documents it holds deltas for, the records' own included (what a read of those branches looks for). */
  ancestors: Types.ObjectId[];
  docs: Omit<CounterDoc, '_id'>[];
}

const pendingSchema = new Schema<PendingDoc>(
  { ancestors: { type: [Schema.Types.ObjectId], required: true }, docs: { type: Schema.Types.Mixed, required: true } },
  { versionKey: false, minimize: false },
);
pendingSchema.index({ ancestors: 1 });

/** The built marker: counters are rebuilt from the records when it is missing (first boot, new keys). */
export interface MarkerDoc {
  _id: string;
  version: number;
  builtAt: Date;
}
const markerSchema = new Schema<MarkerDoc>({ _id: String, version: Number, builtAt: Date }, { versionKey: false });

export interface Counters {
  model: Model<CounterDoc>;
  marker: Model<MarkerDoc>;
}

/** The counters collection of one service, in its own database (with its pending entries' collection). */
export function counterModel(connection: Connection): Model<CounterDoc> {
  counterPendingModel(connection);
  return (connection.models.Counter as Model<CounterDoc>) ?? connection.model<CounterDoc>('Counter', counterSchema, 'counters');
}

/** The pending entries the roll-up has not added to the ancestors yet. */
export function counterPendingModel(connection: Connection): Model<PendingDoc> {
  return (
    (connection.models.CounterPending as Model<PendingDoc>) ??
    connection.model<PendingDoc>('CounterPending', pendingSchema, 'counters_pending')
  );
}

const pendingOf = (counters: Counters) => counterPendingModel(counters.model.db);

/** The collection holding the built marker. */
export function counterMarkerModel(connection: Connection): Model<MarkerDoc> {
  return (
    (connection.models.CounterMarker as Model<MarkerDoc>) ?? connection.model<MarkerDoc>('CounterMarker', markerSchema, 'counters_built')
  );
}

export function countersModels(connection: Connection): Counters {
  return { model: counterModel(connection), marker: counterMarkerModel(connection) };
}

/** A service's counter collections as its models hold them (`...counterCollections(connection)` in createModels). */
export function counterCollections(connection: Connection) {
  return { Counter: counterModel(connection), CounterBuilt: counterMarkerModel(connection) };
}

/** The counters of a service's models (see counterCollections). */
export const countersOf = (models: ReturnType<typeof counterCollections>): Counters => ({
  model: models.Counter,
  marker: models.CounterBuilt,
});

const DAY = 86_400_000;

/** Day of the year, 1-366, of a UTC date. */
/** The day of a `days` field name ('d123' -> 123). */
function dayNumber(field: string): number {
  let n = 0;
  for (let i = 1; i < field.length; i++) n = n * 10 + field.charCodeAt(i) - 48;
  return n;
}

export function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
}

function checkKey(key: string): void {
  if (!/^[A-Za-z][\w-]*$/.test(key)) throw new Error(`counter key ${JSON.stringify(key)} must be a plain name`);
}

/**
 * A fact that holds over [from, until) (until null: still holds) contributes +1 at `from` and -1
 * at `until`; nothing when it never held. `except` removes sub-periods (e.g. lapses), clipped.
 */
export function heldOver(
  key: string,
  from: Date | null | undefined,
  until: Date | null | undefined,
  except: { since: Date; until: Date }[] = [],
): Contribution[] {
  if (!from || (until && until <= from)) return [];
  const out: Contribution[] = [{ key, on: from, delta: 1 }];
  if (until) out.push({ key, on: until, delta: -1 });
  // Gaps clipped to the period and merged where they overlap, so no day is taken away twice.
  const clipped = except
    .map((g) => ({ start: g.since > from ? g.since : from, end: until && g.until > until ? until : g.until }))
    .filter((g) => g.end > g.start)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: { start: Date; end: Date }[] = [];
  for (const g of clipped) {
    const last = merged[merged.length - 1];
    if (last && g.start <= last.end) {
      if (g.end > last.end) last.end = g.end;
    } else merged.push({ ...g });
  }
  for (const g of merged) out.push({ key, on: g.start, delta: -1 }, { key, on: g.end, delta: 1 });
  return out;
}

type Inc = Record<string, number>;
/** One (branch, year) document's deltas as $inc paths (`total.<key>`, `days.<key>.d<day>`). */
type Sum = { root: Types.ObjectId; year: number; inc: Inc };

/** The document form of a sum: what rebuild writes and a pending entry holds. */
function asDoc(e: Sum): Omit<CounterDoc, '_id'> {
  const doc: Omit<CounterDoc, '_id'> = { root: e.root, year: e.year, total: {}, days: {} };
  for (const [p, v] of Object.entries(e.inc)) {
    if (v === 0) continue;
    const [kind, key, day] = p.split('.');
    if (kind === 'total') doc.total[key] = v;
    else (doc.days[key] ??= {})[day] = v;
  }
  return doc;
}

/** Deltas of a record with path `path`: merged per (branch, year) document as $inc paths. */
function accumulate(into: Map<string, Sum>, path: readonly unknown[], items: Contribution[], sign: 1 | -1) {
  for (const c of items) {
    checkKey(c.key);
    if (!c.delta) continue;
    const year = c.on.getUTCFullYear();
    for (const branch of path) {
      const root = branch instanceof Types.ObjectId ? branch : new Types.ObjectId(String(branch));
      const id = `${root.toHexString()}:${year}`;
      let e = into.get(id);
      if (!e) into.set(id, (e = { root, year, inc: {} }));
      const add = (p: string) => (e!.inc[p] = (e!.inc[p] ?? 0) + sign * c.delta);
      add(`total.${c.key}`);
      add(`days.${c.key}.d${dayOfYear(c.on)}`); // 'd' keeps the field a name, never an array index
    }
  }
}

/** Where a record was before a reorganization moved it: its path until (exclusive) a date. */
export interface Placement {
  path: readonly unknown[];
  until: Date;
}

export interface RecordState {
  /** The record's branch path (ancestors + its branch). */
  path: readonly unknown[];
  contributions: Contribution[];
  /** Earlier paths, oldest first, each until the next began (the last until `path` began). */
  earlier?: readonly Placement[];
}

/**
 * A record's contributions per path it held: each path gets the deltas dated while the record was
 * there, plus the record's running value carried in on the day it arrived and carried out on the
 * day it left. On any date a subtree then counts the record exactly when it held it then: the
 * old parent keeps the past, the new one has everything from the move on.
 */
export function placed(state: RecordState): { path: readonly unknown[]; contributions: Contribution[] }[] {
  if (!state.earlier?.length) return [{ path: state.path, contributions: state.contributions }];
  const periods = [
    ...state.earlier.map((p, i) => ({ path: p.path, from: i ? state.earlier![i - 1].until : null, until: p.until as Date | null })),
    { path: state.path, from: state.earlier[state.earlier.length - 1].until, until: null as Date | null },
  ];
  const runningBefore = (key: string, d: Date) =>
    state.contributions.filter((c) => c.key === key && c.on < d).reduce((sum, c) => sum + c.delta, 0);
  const keys = [...new Set(state.contributions.map((c) => c.key))];
  return periods.map(({ path, from, until }) => {
    const within = state.contributions.filter((c) => (!from || c.on >= from) && (!until || c.on < until));
    const carried = keys.flatMap((key) => [
      ...(from ? [{ key, on: from, delta: runningBefore(key, from) }] : []),
      ...(until ? [{ key, on: until, delta: -runningBefore(key, until) }] : []),
    ]);
    return { path, contributions: [...within, ...carried] };
  });
}

/**
 * Moves the counters from records' old states to their new ones (null: created / deleted), in
 * the caller's transaction: one pending entry with the deltas of every branch on the records'
 * paths, their own included (added by the roll-up); deltas that cancel out are not written. A
 * write inserts one document and updates none, so no two writes conflict, even in one county,
 * and a write never conflicts with the roll-up. Returns the first day whose counters changed
 * (null: none did), what the gateway's cache needs to keep answers about earlier days.
 */
export async function applyChanges(
  counters: Counters,
  changes: { before: RecordState | null; after: RecordState | null }[],
  session?: ClientSession | null,
): Promise<Date | null> {
  const byDoc = new Map<string, Sum>();
  for (const c of changes)
    for (const [state, sign] of [
      [c.before, -1],
      [c.after, 1],
    ] as const)
      if (state) for (const part of placed(state)) accumulate(byDoc, part.path, part.contributions, sign);
  const docs: Omit<CounterDoc, '_id'>[] = [];
  for (const e of byDoc.values()) {
    const inc = Object.fromEntries(Object.entries(e.inc).filter(([, v]) => v !== 0));
    if (Object.keys(inc).length) docs.push(asDoc({ ...e, inc }));
  }
  if (!docs.length) return null;
  const branches = [...new Map(docs.map((d) => [d.root.toHexString(), d.root])).values()];
  // The driver's insert: the entry is built complete here, a mongoose document would only copy it.
  await pendingOf(counters).collection.insertOne(
    { _id: new Types.ObjectId(), ancestors: branches, docs },
    { session: session ?? undefined },
  );
  return firstDay(docs);
}

/** The first day with a delta in any of `docs`. */
function firstDay(docs: readonly Omit<CounterDoc, '_id'>[]): Date | null {
  let first: number | null = null;
  for (const doc of docs)
    for (const days of Object.values(doc.days))
      for (const [d, v] of Object.entries(days)) {
        if (!v) continue;
        const t = Date.UTC(doc.year, 0, Number(d.slice(1)));
        if (first === null || t < first) first = t;
      }
  return first === null ? null : new Date(first);
}

/**
 * Adds up to `batch` pending entries, oldest first, to the ancestors' documents and deletes
 * them, in one transaction (idempotent: an entry is added exactly when it is deleted; two
 * replicas rolling up at once conflict and one retries). Returns how many it added.
 */
export async function rollUp(counters: Counters, batch = 200): Promise<number> {
  const pending = pendingOf(counters);
  const session = await counters.model.db.startSession();
  const id = sessionKey(session.id);
  rollUpSessions.add(id);
  try {
    if (!(await pending.exists({}).session(session))) return 0;
    return await session.withTransaction(async () => {
      const entries = await pending.find({}).sort({ _id: 1 }).limit(batch).session(session).lean<PendingDoc[]>();
      const byDoc = new Map<string, Sum>();
      for (const entry of entries)
        for (const doc of entry.docs) {
          const root = new Types.ObjectId(String(doc.root));
          const id = `${root.toHexString()}:${doc.year}`;
          let e = byDoc.get(id);
          if (!e) byDoc.set(id, (e = { root, year: doc.year, inc: {} }));
          for (const [key, v] of Object.entries(doc.total ?? {})) e.inc[`total.${key}`] = (e.inc[`total.${key}`] ?? 0) + v;
          for (const [key, days] of Object.entries(doc.days ?? {}))
            for (const [day, v] of Object.entries(days)) e.inc[`days.${key}.${day}`] = (e.inc[`days.${key}.${day}`] ?? 0) + v;
        }
      const ops = [...byDoc].map(([id, e]) => ({
        updateOne: { filter: { _id: id }, update: { $inc: e.inc, $setOnInsert: { root: e.root, year: e.year } }, upsert: true },
      }));
      // The driver's bulk write: the updates are built in the stored shape, mongoose would only cast them again.
      if (ops.length) await counters.model.collection.bulkWrite(ops as never, { session, ordered: true });
      if (entries.length) await pending.collection.deleteMany({ _id: { $in: entries.map((e) => e._id) } }, { session });
      return entries.length;
    });
  } finally {
    await session.endSession();
    rollUpSessions.delete(id);
  }
}

/** The sessions the roll-up is using: its commands are background work, not a request's. */
const rollUpSessions = new Set<string>();
const sessionKey = (lsid: { id?: { toString(encoding: 'hex'): string } } | undefined) => lsid?.id?.toString('hex') ?? '';

/** Whether a command (as command monitoring sees it) was sent by the roll-up (tests count a request's commands without it). */
export function isRollUpCommand(command: { lsid?: { id?: { toString(encoding: 'hex'): string } } }): boolean {
  return rollUpSessions.has(sessionKey(command.lsid));
}

/**
 * Rolls pending entries up every `everyMs` (default 100 ms) while started: what each service
 * process with counters runs (rollUpPlugin), so pending entries stay few and reads cheap.
 */
export class CounterRollUp {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly counters: Counters,
    private readonly opts: { everyMs?: number; log?: { warn(obj: object, msg: string): void } } = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.drain(), this.opts.everyMs ?? 100);
    this.timer.unref();
  }

  /** Rolls up until nothing is pending (one pass at a time). */
  drain(): Promise<void> {
    this.running ??= (async () => {
      try {
        while ((await rollUp(this.counters)) > 0);
      } catch (err) {
        this.opts.log?.warn({ err }, 'counters: roll-up failed (pending entries stay counted; retried)');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** An Apollo Server plugin that runs the roll-up from the server's start until its stop. */
export function rollUpPlugin(counters: Counters, log?: { warn(obj: object, msg: string): void }) {
  return {
    async serverWillStart() {
      const runner = new CounterRollUp(counters, { log });
      runner.start();
      return { serverWillStop: () => runner.stop() };
    },
  };
}

/** One record's change (see applyChanges). */
export function applyChange(counters: Counters, before: RecordState | null, after: RecordState | null, session?: ClientSession | null) {
  return applyChanges(counters, [{ before, after }], session);
}

/**
 * The values of `keys` for each branch's subtree on each date (deltas dated on or before it):
 * result.get(branchId)[i][key] for dates[i]. The branches' documents and the pending entries for
 * them, read in one snapshot (a roll-up between two reads would count an entry twice or never):
 * one aggregate command for any number of branches.
 */
export async function valuesOn(
  counters: Counters,
  branchIds: readonly string[],
  dates: readonly Date[],
  keys: readonly string[],
): Promise<Map<string, Record<string, number>[]>> {
  const out = new Map<string, Record<string, number>[]>();
  for (const id of branchIds)
    out.set(
      id,
      dates.map(() => Object.fromEntries(keys.map((k) => [k, 0]))),
    );
  if (!branchIds.length || !dates.length) return out;
  const roots = [...new Set(branchIds)].map((id) => new Types.ObjectId(id));
  const lastYear = Math.max(...dates.map((d) => d.getUTCFullYear()));
  // A date's own year counts day by day unless the date is 31 December (then its total does).
  const partial = (d: Date) => !(d.getUTCMonth() === 11 && d.getUTCDate() === 31);
  const partialYears = [...new Set(dates.filter(partial).map((d) => d.getUTCFullYear()))];
  const totalsProjection = Object.fromEntries([['root', 1], ['year', 1], ...keys.map((k) => [`total.${k}`, 1])]);
  const daysProjection = Object.fromEntries([['root', 1], ['year', 1], ...keys.map((k) => [`days.${k}`, 1])]);
  const asked = new Set(roots.map((r) => r.toHexString()));
  // One aggregate read in one snapshot, no transaction: the years' totals, the partial years'
  // days, then the pending entries. A document of the first two kinds carries only the part
  // its projection kept (total or days), so each counts once below.
  const read = [
    { $match: { root: { $in: roots }, year: { $lte: lastYear } } },
    { $project: totalsProjection },
    ...(partialYears.length
      ? [
          {
            $unionWith: {
              coll: counters.model.collection.collectionName,
              pipeline: [{ $match: { root: { $in: roots }, year: { $in: partialYears } } }, { $project: daysProjection }],
            },
          },
        ]
      : []),
    {
      $unionWith: {
        coll: pendingOf(counters).collection.collectionName,
        pipeline: [{ $match: { ancestors: { $in: roots } } }, { $project: { _id: 0, docs: 1 } }],
      },
    },
  ];
  const when = dates.map((d) => ({ year: d.getUTCFullYear(), whole: !partial(d), upTo: dayOfYear(d) }));
  const add = (doc: Omit<CounterDoc, '_id'>) => {
    const rows = out.get(String(doc.root))!;
    when.forEach(({ year, whole, upTo }, i) => {
      if (doc.year < year || (doc.year === year && whole)) for (const k of keys) rows[i][k] += doc.total?.[k] ?? 0;
      else if (doc.year === year)
        for (const k of keys) {
          const days = doc.days?.[k];
          // a year of days per key at the national root: read without an entry array or a substring each
          if (days) for (const day in days) if (dayNumber(day) <= upTo) rows[i][k] += days[day];
        }
    });
  };
  for await (const doc of counters.model.collection.aggregate(read, { readConcern: { level: 'snapshot' } })) {
    if (!Array.isArray(doc.docs)) add(doc as unknown as CounterDoc);
    else for (const d of (doc as unknown as PendingDoc).docs) if (asked.has(String(d.root))) add(d);
  }
  return out;
}

/**
 * The counters summed in memory (one entry per branch and year) from record states, then
 * written at once: a rebuild streams the registers into it; a bulk load adds the records it
 * generates as it writes them, so it need not read them all back.
 */
export class CounterTotals {
  private readonly byDoc = new Map<string, Sum>();
  records = 0;

  add(state: RecordState): void {
    for (const part of placed(state)) accumulate(this.byDoc, part.path, part.contributions, 1);
    this.records++;
  }

  /** Replaces the counters with these totals and sets the marker. */
  async write(counters: Counters, version: number): Promise<{ records: number; documents: number }> {
    const docs: CounterDoc[] = [...this.byDoc].map(([id, e]) => ({ _id: id, ...asDoc(e) }));
    // Pending entries are in the records already.
    await pendingOf(counters).deleteMany({});
    await counters.model.deleteMany({});
    for (let i = 0; i < docs.length; i += 1000)
      await counters.model.collection.insertMany(docs.slice(i, i + 1000) as never[], { ordered: false });
    await counters.marker.updateOne({ _id: 'built' }, { $set: { version, builtAt: new Date() } }, { upsert: true });
    return { records: this.records, documents: docs.length };
  }
}

/**
 * Recomputes every counter from the records (first boot, after a load that bypassed the
 * mutations, or to repair): streams `records` into CounterTotals, then replaces the collection.
 */
export async function rebuild(
  counters: Counters,
  records: AsyncIterable<RecordState>,
  version: number,
): Promise<{ records: number; documents: number }> {
  const totals = new CounterTotals();
  for await (const r of records) totals.add(r);
  return totals.write(counters, version);
}

/** Whether the marker says the counters were built with this version of the rules (the one check every service makes at boot). */
export async function countersBuilt(counters: Counters, version: number): Promise<boolean> {
  const marker = await counters.marker.findById('built').lean();
  return marker?.version === version;
}

/** Rebuilds unless the counters were built with this version of the rules. */
export async function ensureBuilt(counters: Counters, records: () => AsyncIterable<RecordState>, version: number) {
  if (await countersBuilt(counters, version)) return null;
  return rebuild(counters, records(), version);
}

/**
 * Per-request batching of valuesOn: every (branch, date) asked while a request resolves is read
 * with one valuesOn call (e.g. the annex rows of many branches in an export).
 */
export function valuesLoader(counters: Counters, keys: readonly string[]) {
  const loader = new DataLoader<string, Record<string, number>>(async (asked) => {
    const pairs = asked.map((k) => k.split('|'));
    const branches = [...new Set(pairs.map(([b]) => b))];
    const days = [...new Set(pairs.map(([, d]) => d))];
    const got = await valuesOn(
      counters,
      branches,
      days.map((d) => new Date(`${d}T00:00:00Z`)),
      keys,
    );
    return pairs.map(([b, d]) => got.get(b)![days.indexOf(d)]);
  });
  return {
    /** The subtree values of `branchId` on `date` (a UTC day). */
    on: (branchId: string, date: Date) => loader.load(`${branchId}|${date.toISOString().slice(0, 10)}`),
  };
}
export type ValuesLoader = ReturnType<typeof valuesLoader>;

/**
 * Every document of a collection, `batch` at a time in _id order (each page an indexed range):
 * a rebuild reads millions of records without one giant query that the server must answer at once.
 */
export async function* everyDocument<T>(model: AnyModel, projection: Record<string, 0 | 1>, batch = 5_000): AsyncIterable<T> {
  let after: unknown = null;
  for (;;) {
    const page = (await model
      .find(after === null ? {} : { _id: { $gt: after } }, { ...projection, _id: 1 })
      .sort({ _id: 1 })
      .limit(batch)
      .lean()) as (T & { _id: unknown })[];
    for (const doc of page) yield doc as T;
    if (page.length < batch) return;
    after = page[page.length - 1]._id;
  }
}

/**
 * The counted state of every document of a collection (what a rebuild reads), each document read
 * with only `fields`: the ones `state` looks at.
 */
export async function* everyState<T>(
  model: AnyModel,
  fields: readonly (keyof T & string)[],
  state: (doc: T) => RecordState,
): AsyncIterable<RecordState> {
  for await (const doc of everyDocument<T>(model, Object.fromEntries(fields.map((f) => [f, 1 as const])))) yield state(doc);
}

/**
 * The boot step of a service with counters (bootSubgraph's `prepare`): builds them when missing or
 * under older rules, before the service takes traffic, and logs what it built.
 */
export function buildCountersAtBoot<M>(createModels: (connection: Connection) => M, ensure: (models: M) => ReturnType<typeof ensureBuilt>) {
  return async ({ connection, log }: { connection: Connection; log: { info(obj: object, msg: string): void } }) => {
    const started = Date.now();
    const built = await ensure(createModels(connection));
    if (built) log.info({ ...built, ms: Date.now() - started }, 'annex counters built');
  };
}
