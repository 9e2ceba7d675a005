// Documents of one collection stored as BSON bytes, packed into 4 MB slabs, and decoded on
// access. A deserialized document costs 3-5x its BSON size in V8 (an ObjectId object per id, a
// ~100-byte JSDate per date, array and object headers); the bytes cost their size. The id table
// (id-table.ts) holds id key -> slab reference (a small integer: slab * 2^19 + offset / 8).
// Updates append a new version; a slab whose dead bytes exceed half its size is compacted (live documents moved
// to the current slab) unless a snapshot is reading the slabs (pinned). Journal and snapshot
// records are assembled from the stored bytes, so writing them never re-serializes documents.
import { BSON, ObjectId } from 'bson';
import { IdTable } from './id-table';
import { idKey } from './keys';
import type { Any, Doc } from './values';

const SLAB = 4 * 1024 * 1024;
const UNIT_BITS = 3; // offsets in 8-byte units
const OFFSET_UNITS = SLAB >>> UNIT_BITS; // 2^19
const BIG = SLAB / 4; // larger documents get a slab of their own
export const DESER = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

/** Recently decoded documents kept per store (hot documents are not decoded again and again). */
const CACHE = 8192;

export class DocStore {
  private map = new IdTable((ref) => this.view(ref));
  /**
   * Decoded documents, least recently used first. They are shared between readers, as stored
   * objects always were: callers never modify a document they read (updates build a new one).
   */
  private cache = new Map<string, Doc>();
  private slabs: Array<Buffer | null> = [];
  private used: number[] = [];
  private dead: number[] = [];
  private free: number[] = [];
  private cur = -1;
  /** > 0 while a snapshot reads the slabs: no compaction, no reuse */
  private pins = 0;
  private pendingCompaction = new Set<number>();

  get size(): number {
    return this.map.size;
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  /** The ids in natural order (each made from the stored bytes). */
  *keys(): IterableIterator<string> {
    for (const ref of this.map.inOrder()) yield idKeyOfRaw(this.view(ref));
  }

  /** The stored bytes of a document (a view into a slab: copy it to keep it past a write). */
  raw(id: string): Buffer | undefined {
    const ref = this.map.get(id);
    return ref === undefined ? undefined : this.view(ref);
  }

  get(id: string): Doc | undefined {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const ref = this.map.get(id);
    if (ref === undefined) return undefined;
    return this.remember(id, BSON.deserialize(this.view(ref), DESER) as Doc);
  }

  /** The whole document for `raw` (the bytes stored under `id`), from the cache when it is there. */
  decode(id: string, raw: Buffer): Doc {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    return this.remember(id, BSON.deserialize(raw, DESER) as Doc);
  }

  private remember(id: string, d: Doc): Doc {
    this.cache.set(id, d);
    if (this.cache.size > CACHE) this.cache.delete(this.cache.keys().next().value!);
    return d;
  }

  private view(ref: number): Buffer {
    const slab = this.slabs[Math.floor(ref / OFFSET_UNITS)]!;
    const off = ref % OFFSET_UNITS << UNIT_BITS;
    return slab.subarray(off, off + slab.readInt32LE(off));
  }

  /** Store `bytes` (a serialized document whose _id has the key `id`), replacing any previous version. */
  set(id: string, bytes: Uint8Array): void {
    this.cache.delete(id);
    const old = this.map.set(id, this.write(bytes));
    if (old !== undefined) this.release(old);
  }

  delete(id: string): boolean {
    this.cache.delete(id);
    const old = this.map.delete(id);
    if (old === undefined) return false;
    this.release(old);
    return true;
  }

  clear(): void {
    this.map.clear();
    this.cache.clear();
    this.slabs = [];
    this.used = [];
    this.dead = [];
    this.free = [];
    this.cur = -1;
  }

  *entries(): IterableIterator<[string, Doc]> {
    for (const ref of this.map.inOrder()) {
      const raw = this.view(ref);
      yield [idKeyOfRaw(raw), BSON.deserialize(raw, DESER) as Doc];
    }
  }

  *values(): IterableIterator<Doc> {
    for (const ref of this.map.inOrder()) yield BSON.deserialize(this.view(ref), DESER) as Doc;
  }

  [Symbol.iterator](): IterableIterator<[string, Doc]> {
    return this.entries();
  }

  /** Visit every stored document's id and bytes (a view); `fn` returning false stops. */
  forEachRaw(fn: (id: string, raw: Buffer) => boolean | void): void {
    this.map.forEach((ref) => {
      const raw = this.view(ref);
      return fn(idKeyOfRaw(raw), raw);
    });
  }

  /** [id, partial document with only the top-level `fields`] for every document (index builds). */
  *projected(fields: Set<string>): IterableIterator<[string, Doc]> {
    for (const ref of this.map.inOrder()) {
      const raw = this.view(ref);
      yield [idKeyOfRaw(raw), decodeFields(raw, fields)];
    }
  }

  /**
   * A consistent capture of the documents for a snapshot: ids and slab references now, bytes
   * read later. The slabs stay pinned (never compacted or reused) until `release` is called.
   */
  capture(): { refs: Int32Array; raw: (i: number) => Buffer; release: () => void } {
    const refs = this.map.snapshot();
    this.pins++;
    let released = false;
    return {
      refs,
      raw: (k) => this.view(refs[k]),
      release: () => {
        if (released) return;
        released = true;
        this.pins--;
        if (this.pins === 0) for (const s of [...this.pendingCompaction]) this.maybeCompact(s);
      },
    };
  }

  /**
   * Take `slab` (documents at 8-byte-aligned offsets, as `packSlabs` lays them out) as one of
   * the store's slabs, without copying it: recovery reads a snapshot's slab records in place.
   */
  adoptSlab(slab: Buffer): void {
    const s = this.slabs.length;
    this.slabs[s] = slab;
    this.used[s] = slab.length;
    this.dead[s] = 0;
    for (let off = 0; off < slab.length; off += (slab.readInt32LE(off) + 7) & ~7) {
      const old = this.map.setStoredAt(slab, off, s * OFFSET_UNITS + (off >>> UNIT_BITS));
      if (old !== undefined) this.release(old);
    }
  }

  /** Make room for `count` documents (recovery knows how many a snapshot holds). */
  reserve(count: number): void {
    this.map.reserve(count);
  }

  /** Bytes held in slabs (live and dead), for serverStatus-like figures. */
  get slabBytes(): number {
    return this.slabs.reduce((n, s) => n + (s ? s.length : 0), 0);
  }

  private newSlab(size: number): number {
    const s = this.free.length && this.pins === 0 ? this.free.pop()! : this.slabs.length;
    this.slabs[s] = Buffer.allocUnsafeSlow(size);
    this.used[s] = 0;
    this.dead[s] = 0;
    return s;
  }

  private write(bytes: Uint8Array): number {
    const len = bytes.length;
    const aligned = (len + 7) & ~7;
    let s: number;
    if (len > BIG) s = this.newSlab(aligned);
    else {
      if (this.cur < 0 || this.used[this.cur] + aligned > SLAB) this.cur = this.newSlab(SLAB);
      s = this.cur;
    }
    const off = this.used[s];
    this.slabs[s]!.set(bytes, off);
    this.used[s] = off + aligned;
    return s * OFFSET_UNITS + (off >>> UNIT_BITS);
  }

  private release(ref: number): void {
    const s = Math.floor(ref / OFFSET_UNITS);
    const off = ref % OFFSET_UNITS << UNIT_BITS;
    this.dead[s] += (this.slabs[s]!.readInt32LE(off) + 7) & ~7;
    this.maybeCompact(s);
  }

  private maybeCompact(s: number): void {
    const slab = this.slabs[s];
    if (!slab || s === this.cur || this.dead[s] * 2 < this.used[s]) return;
    if (this.pins > 0) {
      this.pendingCompaction.add(s);
      return;
    }
    this.pendingCompaction.delete(s);
    // move the live documents out, then drop the slab
    if (this.dead[s] < this.used[s])
      forEachInSlab(slab, this.used[s], (off, doc) => {
        if (this.map.refOfRaw(doc) === s * OFFSET_UNITS + (off >>> UNIT_BITS)) this.map.setStored(this.write(doc));
      });
    this.slabs[s] = null;
    this.used[s] = 0;
    this.dead[s] = 0;
    this.free.push(s);
  }
}

/** Every document version in `slab` up to `end` (8-byte aligned, back to back): its offset and bytes. */
function forEachInSlab(slab: Buffer, end: number, fn: (off: number, doc: Buffer) => void): void {
  for (let off = 0; off < end; ) {
    const len = slab.readInt32LE(off);
    const doc = slab.subarray(off, off + len);
    fn(off, doc);
    off += (len + 7) & ~7;
  }
}

/**
 * Documents packed as slabs for a snapshot: each buffer holds documents at 8-byte-aligned
 * offsets within a slab's size (a larger document alone), so recovery can adopt it as it is.
 */
export function* packSlabs(count: number, raw: (i: number) => Uint8Array): Generator<Buffer> {
  let slab = Buffer.allocUnsafe(SLAB);
  let used = 0;
  for (let i = 0; i < count; i++) {
    const doc = raw(i);
    const aligned = (doc.length + 7) & ~7;
    if (used > 0 && used + aligned > SLAB) {
      yield slab.subarray(0, used);
      slab = Buffer.allocUnsafe(SLAB);
      used = 0;
    }
    if (aligned > SLAB) {
      yield Buffer.concat([doc, Buffer.alloc(aligned - doc.length)]);
      continue;
    }
    slab.set(doc, used);
    slab.fill(0, used + doc.length, used + aligned);
    used += aligned;
  }
  if (used > 0) yield slab.subarray(0, used);
}

// ---------- reading raw BSON without deserializing whole documents ----------

/** Position just after the value of type `t` starting at `p`. */
function skipValue(b: Buffer, t: number, p: number): number {
  switch (t) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      return p + 8;
    case 0x02:
    case 0x0d:
    case 0x0e:
      return p + 4 + b.readInt32LE(p);
    case 0x03:
    case 0x04:
    case 0x0f:
      return p + b.readInt32LE(p);
    case 0x05:
      return p + 5 + b.readInt32LE(p);
    case 0x06:
    case 0x0a:
    case 0xff:
    case 0x7f:
      return p;
    case 0x07:
      return p + 12;
    case 0x08:
      return p + 1;
    case 0x0b: {
      const z = b.indexOf(0, p);
      return b.indexOf(0, z + 1) + 1;
    }
    case 0x0c:
      return p + 4 + b.readInt32LE(p) + 12;
    case 0x10:
      return p + 4;
    case 0x13:
      return p + 16;
  }
  throw new Error('unknown BSON type ' + t);
}

const NEED_FULL = Symbol('full');

/** Decode one value of a common type; NEED_FULL for the rare ones (the caller deserializes all). */
function decodeValue(b: Buffer, t: number, p: number): Any {
  switch (t) {
    case 0x01:
      return b.readDoubleLE(p);
    case 0x02:
      return b.toString('utf8', p + 4, p + 3 + b.readInt32LE(p));
    case 0x03:
      return BSON.deserialize(b.subarray(p, p + b.readInt32LE(p)), DESER);
    case 0x04:
      return scalarArray(b, p) ?? Object.values(BSON.deserialize(b.subarray(p, p + b.readInt32LE(p)), DESER));
    case 0x07:
      return new (ObjectId as Any)(b, p);
    case 0x08:
      return b[p] === 1;
    case 0x09:
      return new Date(b.readUInt32LE(p) + b.readInt32LE(p + 4) * 4294967296);
    case 0x0a:
      return null;
    case 0x10:
      return b.readInt32LE(p);
  }
  return NEED_FULL;
}

/**
 * An array whose elements are all of the scalar types decodeValue reads (e.g. a branch path of
 * ObjectIds, read by every index on it), decoded in place; null if any element is of another type.
 */
function scalarArray(b: Buffer, p: number): Any[] | null {
  const out: Any[] = [];
  const end = p + b.readInt32LE(p) - 1;
  let q = p + 4;
  while (q < end) {
    const t = b[q];
    if (t === 0x03 || t === 0x04) return null;
    const v = b.indexOf(0, q + 1) + 1;
    const val = decodeValue(b, t, v);
    if (val === NEED_FULL) return null;
    out.push(val);
    q = skipValue(b, t, v);
  }
  return out;
}

/** Field names as UTF-8 bytes, cached per Set (names are compared in place, never decoded). */
const nameBytes = new WeakMap<Set<string>, Array<[string, Buffer]>>();

function namesOf(fields: Set<string>): Array<[string, Buffer]> {
  let n = nameBytes.get(fields);
  if (!n) nameBytes.set(fields, (n = [...fields].map((f) => [f, Buffer.from(f, 'utf8')])));
  return n;
}

function nameAt(b: Buffer, start: number, end: number, names: Array<[string, Buffer]>): string | null {
  const len = end - start;
  for (const [name, nb] of names) {
    if (nb.length !== len) continue;
    let i = 0;
    while (i < len && b[start + i] === nb[i]) i++;
    if (i === len) return name;
  }
  return null;
}

/** The top-level `fields` of a raw document (others omitted), decoding only those values. */
export function decodeFields(b: Buffer, fields: Set<string>): Doc {
  const out: Doc = {};
  const names = namesOf(fields);
  let p = 4;
  const end = b.length - 1;
  let found = 0;
  while (p < end && found < names.length) {
    const t = b[p];
    const z = b.indexOf(0, p + 1);
    const v = z + 1;
    const name = nameAt(b, p + 1, z, names);
    if (name !== null) {
      const val = decodeValue(b, t, v);
      if (val === NEED_FULL) {
        const full = BSON.deserialize(b, DESER) as Doc;
        for (const f of fields) if (f in full) out[f] = full[f];
        return out;
      }
      out[name] = val;
      found++;
    }
    p = skipValue(b, t, v);
  }
  return out;
}

/** Whether a raw document's first field is named `_id` (its type is the byte at 4). */
export function leadsWithId(b: Buffer): boolean {
  return b[5] === 0x5f && b[6] === 0x69 && b[7] === 0x64 && b[8] === 0;
}

/** The id key of a raw document (its _id, usually the first field, read in place). */
export function idKeyOfRaw(b: Buffer): string {
  if (b[4] === 0x07 && leadsWithId(b)) {
    // { _id: ObjectId } first: the key straight from the 12 bytes
    return String.fromCharCode(8, b[9], b[10], b[11], b[12], b[13], b[14], b[15], b[16], b[17], b[18], b[19], b[20]);
  }
  const d = decodeFields(b, ID_ONLY);
  return idKey(d._id);
}

const ID_ONLY = new Set(['_id']);

/** The bytes of the embedded document in top-level field `name` (a view), if it is one. */
export function rawField(b: Buffer, name: string): Buffer | undefined {
  let p = 4;
  const end = b.length - 1;
  while (p < end) {
    const t = b[p];
    const z = b.indexOf(0, p + 1);
    const v = z + 1;
    if ((t === 0x03 || t === 0x04) && b.toString('utf8', p + 1, z) === name) return b.subarray(v, v + b.readInt32LE(v));
    p = skipValue(b, t, v);
  }
  return undefined;
}

/** Visit the elements of the embedded array/document in field `name` of `b` as raw documents. */
export function forEachEmbedded(b: Buffer, name: string, fn: (doc: Buffer) => void): void {
  const arr = rawField(b, name);
  if (!arr) return;
  let p = 4;
  const end = arr.length - 1;
  while (p < end) {
    const t = arr[p];
    const v = arr.indexOf(0, p + 1) + 1;
    if (t === 0x03) fn(arr.subarray(v, v + arr.readInt32LE(v)));
    p = skipValue(arr, t, v);
  }
}

// ---------- building raw BSON around stored documents ----------

function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32LE(n, 0);
  return b;
}

/** The constant start of a put op for one namespace: { o: 'p', n: ns, d: up to d's bytes. */
const putHeads = new Map<string, Buffer>();

function putHead(ns: string): Buffer {
  let h = putHeads.get(ns);
  if (!h) {
    const nsb = Buffer.from(ns, 'utf8');
    h = Buffer.concat([
      Buffer.alloc(4), // the op's length, written per op
      Buffer.from([0x02, 0x6f, 0x00, 0x02, 0x00, 0x00, 0x00, 0x70, 0x00]), // o: 'p'
      Buffer.from([0x02, 0x6e, 0x00]), // n: ...
      int32(nsb.length + 1),
      nsb,
      Buffer.from([0x00, 0x03, 0x64, 0x00]), // ...\0, then d: <embedded document>
    ]);
    if (putHeads.size > 10_000) putHeads.clear();
    putHeads.set(ns, h);
  }
  return h;
}

/** Write the put op of `doc` into `out` at `at`; returns the position after it. */
function writePut(out: Buffer, at: number, head: Buffer, doc: Uint8Array): number {
  head.copy(out, at);
  out.set(doc, at + head.length);
  const len = head.length + doc.length + 1;
  out[at + len - 1] = 0;
  out.writeInt32LE(len, at);
  return at + len;
}

/** The journal op { o: 'p', n: ns, d: <doc> } around stored bytes (one allocation). */
export function putOp(ns: string, doc: Uint8Array): Buffer {
  const head = putHead(ns);
  const out = Buffer.allocUnsafe(head.length + doc.length + 1);
  writePut(out, 0, head, doc);
  return out;
}

/** A journal/snapshot record payload { ops: [op, ...] } from encoded ops (one allocation). */
export function opsRecord(ops: Uint8Array[]): Buffer {
  let arr = 5;
  for (let i = 0; i < ops.length; i++) arr += 1 + String(i).length + 1 + ops[i].length;
  const out = Buffer.allocUnsafe(4 + 1 + 4 + arr + 1);
  out.writeInt32LE(out.length, 0);
  out[4] = 0x04;
  out.write('ops\0', 5, 'latin1');
  let p = 9;
  out.writeInt32LE(arr, p);
  p += 4;
  for (let i = 0; i < ops.length; i++) {
    out[p++] = 0x03;
    p += out.write(String(i) + '\0', p, 'latin1');
    out.set(ops[i], p);
    p += ops[i].length;
  }
  out[p++] = 0; // end of the array
  out[p] = 0; // end of the record
  return out;
}
