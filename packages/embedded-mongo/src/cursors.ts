// Server-side cursors: the full result is materialized at the first batch (documents are
// immutable copy-on-write objects, so holding references is a consistent snapshot) and handed
// out in batches by getMore. Batches are capped by count and by ~16 MB of BSON. Idle cursors
// are reaped lazily (no timers, so nothing keeps the process alive).
import { BSON, Long } from 'bson';
import { Codes, MongoError } from './errors';
import type { Any, Doc } from './values';

const MAX_BATCH_BYTES = 15 * 1024 * 1024;
const IDLE_MS = 10 * 60 * 1000;

/** Turns a cursor item into the document to send (undefined: skip it, e.g. deleted since). */
export type Resolve = (item: unknown) => Doc | undefined;

interface ServerCursor {
  ns: string;
  docs: unknown[];
  pos: number;
  lastUse: number;
  resolve?: Resolve;
}

export class Cursors {
  private map = new Map<number, ServerCursor>();
  private nextId = 1;

  /** Build a cursor reply; registers a server cursor only when documents remain. */
  open(ns: string, docs: unknown[], batchSize: number | undefined, singleBatch = false, resolve?: Resolve): Doc {
    this.reap();
    const first = takeBatch(docs, 0, batchSize ?? 101, resolve);
    let id = 0;
    if (!singleBatch && first.end < docs.length) {
      id = this.nextId++;
      this.map.set(id, { ns, docs, pos: first.end, lastUse: Date.now(), resolve });
    }
    return { cursor: { firstBatch: first.batch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, collection: string, db: string, batchSize: number | undefined): Doc {
    const c = this.map.get(id);
    if (!c) throw new MongoError(Codes.CursorNotFound, `cursor id ${id} not found`);
    if (c.ns !== `${db}.${collection}` && !c.ns.startsWith(`${db}.$cmd`))
      throw new MongoError(
        Codes.Unauthorized,
        `Requested getMore on namespace '${db}.${collection}', but cursor belongs to a different namespace ${c.ns}`,
      );
    const b = takeBatch(c.docs, c.pos, batchSize && batchSize > 0 ? batchSize : Infinity, c.resolve);
    c.pos = b.end;
    c.lastUse = Date.now();
    let outId = id;
    if (c.pos >= c.docs.length) {
      this.map.delete(id);
      outId = 0;
    }
    return { cursor: { nextBatch: b.batch, id: Long.fromNumber(outId), ns: c.ns }, ok: 1 };
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.map.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  get size(): number {
    return this.map.size;
  }

  private reap(): void {
    const now = Date.now();
    for (const [id, c] of this.map) if (now - c.lastUse > IDLE_MS) this.map.delete(id);
  }
}

function takeBatch(items: unknown[], from: number, count: number, resolve?: Resolve): { batch: Doc[]; end: number } {
  const batch: Doc[] = [];
  // stop before the reply would exceed the 16 MB BSON limit
  let bytes = 0;
  let i = from;
  for (; i < items.length && batch.length < count; i++) {
    const d = resolve ? resolve(items[i]) : (items[i] as Doc);
    if (d === undefined) continue;
    if (batch.length > 0) {
      bytes += BSON.calculateObjectSize(d) + 16;
      if (bytes > MAX_BATCH_BYTES) break;
    } else bytes = BSON.calculateObjectSize(d) + 16;
    batch.push(d);
  }
  return { batch, end: i };
}

export function toCursorId(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && (v as Any)._bsontype === 'Long') return (v as Long).toNumber();
  if (typeof v === 'bigint') return Number(v);
  throw new MongoError(Codes.TypeMismatch, "Field 'getMore' must be of type long");
}
