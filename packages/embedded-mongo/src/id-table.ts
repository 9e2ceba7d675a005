// A DocStore's map from _id to the stored version of its document, in typed arrays instead of a
// `Map` of id strings. At national scale one collection holds millions of documents: the Map
// held a 13-character string and an entry for each (hundreds of MB that every full garbage
// collection marks), and building it was a quarter of a restart. Here an entry is three int32s
// (its ref, its hash, a slot of the open-addressing table), and an id is compared against the
// stored bytes it came from, so recovery adopts a snapshot's documents without making a string.
//
// Entries keep the order they were first inserted in (a document keeps its place when updated,
// as MongoDB's record ids do), which is the collection's natural order.
import { idKeyOfRaw } from './store';

const EMPTY = 0;
const DELETED = -1;

export class IdTable {
  /** Per sequence number (natural order), the document's ref, or -1 once deleted. */
  private refs = new Int32Array(256);
  /** Per sequence number, the hash of the id (rehashing reads no document). */
  private hashes = new Int32Array(256);
  /** Sequence numbers handed out (live and deleted). */
  private end = 0;
  private live = 0;
  /** Open addressing with linear probing: EMPTY, DELETED, or sequence number + 1. */
  private slots = new Int32Array(512);
  /** Slots not EMPTY (live entries and tombstones). */
  private occupied = 0;

  /** `bytesOf(ref)` reads a stored document: ids are compared against their stored bytes. */
  constructor(private readonly bytesOf: (ref: number) => Buffer) {}

  get size(): number {
    return this.live;
  }

  get(id: string): number | undefined {
    const seq = this.seqOf(id, hashKey(id));
    return seq < 0 ? undefined : this.refs[seq];
  }

  has(id: string): boolean {
    return this.seqOf(id, hashKey(id)) >= 0;
  }

  /** Point `id` at `ref` (its bytes already stored there); returns the ref it replaced. */
  set(id: string, ref: number): number | undefined {
    const h = hashKey(id);
    const seq = this.seqOf(id, h);
    if (seq >= 0) return this.replace(seq, ref);
    this.insert(h, ref);
    return undefined;
  }

  /** `set` for the document stored at `ref`, by its own bytes (no id string is made). */
  setStored(ref: number): number | undefined {
    const doc = this.bytesOf(ref);
    const h = hashRaw(doc);
    const seq = this.seqOfRaw(doc, h);
    if (seq >= 0) return this.replace(seq, ref);
    this.insert(h, ref);
    return undefined;
  }

  /** `setStored` for a document at `off` in `slab` (recovery's loop: no view is made unless an id's hash is already there). */
  setStoredAt(slab: Buffer, off: number, ref: number): number | undefined {
    if (!oidFirst(slab, off)) return this.setStored(ref);
    const h = hashOidAt(slab, off);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i];
      if (v === EMPTY) break;
      if (v > 0 && this.hashes[v - 1] === h) return this.setStored(ref); // the same id, or a collision: compare the bytes
    }
    this.insert(h, ref);
    return undefined;
  }

  /** Make room for `entries` in all (a snapshot says how many documents follow). */
  reserve(entries: number): void {
    if (entries > this.refs.length) {
      this.refs = grow(this.refs, entries);
      this.hashes = grow(this.hashes, entries);
    }
    if (entries * 2 > this.slots.length) this.rehash(entries);
  }

  /** The ref currently stored for the id of `doc` (a document's bytes), if any. */
  refOfRaw(doc: Buffer): number | undefined {
    const seq = this.seqOfRaw(doc, hashRaw(doc));
    return seq < 0 ? undefined : this.refs[seq];
  }

  /** Remove `id`; returns its ref. */
  delete(id: string): number | undefined {
    const h = hashKey(id);
    const slot = this.slotOf(id, h);
    if (slot < 0) return undefined;
    const seq = this.slots[slot] - 1;
    const ref = this.refs[seq];
    this.refs[seq] = DELETED;
    this.slots[slot] = DELETED;
    this.live--;
    // natural order keeps deleted places until they are half of it
    if (this.end > 1024 && this.live * 2 < this.end) this.renumber();
    return ref;
  }

  clear(): void {
    this.refs = new Int32Array(256);
    this.hashes = new Int32Array(256);
    this.slots = new Int32Array(512);
    this.end = this.live = this.occupied = 0;
  }

  /** Every live ref in natural order; `fn` returning false stops. Do not write while visiting. */
  forEach(fn: (ref: number) => boolean | void): void {
    const refs = this.refs;
    for (let i = 0, end = this.end; i < end; i++) if (refs[i] !== DELETED && fn(refs[i]) === false) return;
  }

  /** The live refs in natural order, each read as it is reached (a document moved since yields its new ref). */
  *inOrder(): IterableIterator<number> {
    for (let i = 0; i < this.end; i++) if (this.refs[i] !== DELETED) yield this.refs[i];
  }

  /** The live refs in natural order, as they are now. */
  snapshot(): Int32Array {
    const out = new Int32Array(this.live);
    let n = 0;
    this.forEach((ref) => void (out[n++] = ref));
    return out;
  }

  private replace(seq: number, ref: number): number {
    const old = this.refs[seq];
    this.refs[seq] = ref;
    return old;
  }

  private insert(h: number, ref: number): void {
    if ((this.occupied + 1) * 4 > this.slots.length * 3) this.rehash(this.live + 1);
    if (this.end === this.refs.length) {
      this.refs = grow(this.refs, this.refs.length * 2);
      this.hashes = grow(this.hashes, this.hashes.length * 2);
    }
    const seq = this.end++;
    this.refs[seq] = ref;
    this.hashes[seq] = h;
    this.live++;
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] > 0) i = (i + 1) & mask;
    if (this.slots[i] === EMPTY) this.occupied++;
    this.slots[i] = seq + 1;
  }

  /** A table for `entries` entries at most half full, without tombstones. */
  private rehash(entries: number): void {
    let size = this.slots.length;
    while (entries * 2 > size) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let seq = 0; seq < this.end; seq++) {
      if (this.refs[seq] === DELETED) continue;
      let i = this.hashes[seq] & mask;
      while (slots[i] !== EMPTY) i = (i + 1) & mask;
      slots[i] = seq + 1;
    }
    this.slots = slots;
    this.occupied = this.live;
  }

  /** Drop the deleted places from the natural order (sequence numbers change, so the slots are rebuilt). */
  private renumber(): void {
    let n = 0;
    for (let seq = 0; seq < this.end; seq++) {
      if (this.refs[seq] === DELETED) continue;
      this.refs[n] = this.refs[seq];
      this.hashes[n++] = this.hashes[seq];
    }
    this.end = n;
    this.live = n;
    this.rehash(n);
  }

  private slotOf(id: string, h: number): number {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i];
      if (v === EMPTY) return -1;
      if (v > 0 && this.hashes[v - 1] === h && storedIdIs(this.bytesOf(this.refs[v - 1]), id)) return i;
    }
  }

  private seqOf(id: string, h: number): number {
    const slot = this.slotOf(id, h);
    return slot < 0 ? -1 : this.slots[slot] - 1;
  }

  private seqOfRaw(doc: Buffer, h: number): number {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i];
      if (v === EMPTY) return -1;
      if (v > 0 && this.hashes[v - 1] === h && sameId(this.bytesOf(this.refs[v - 1]), doc)) return v - 1;
    }
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a);
  return out;
}

// A document whose first field is an ObjectId _id: its key is char 8 and the id's 12 bytes
// (keys.ts), read here in place.
const oidFirst = (b: Buffer, at = 0): boolean =>
  b[at + 4] === 0x07 && b[at + 5] === 0x5f && b[at + 6] === 0x69 && b[at + 7] === 0x64 && b[at + 8] === 0;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the key's char codes. */
export function hashKey(id: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
  return h;
}

/** hashKey of a stored document's id key. */
export function hashRaw(doc: Buffer): number {
  return oidFirst(doc) ? hashOidAt(doc, 0) : hashKey(idKeyOfRaw(doc));
}

/** hashKey of the ObjectId key (char 8, then its 12 bytes) of the document at `at` in `b`. */
function hashOidAt(b: Buffer, at: number): number {
  let h = Math.imul(FNV_OFFSET ^ 8, FNV_PRIME);
  for (let p = at + 9; p < at + 21; p++) h = Math.imul(h ^ b[p], FNV_PRIME);
  return h;
}

function storedIdIs(doc: Buffer, id: string): boolean {
  if (!oidFirst(doc)) return idKeyOfRaw(doc) === id;
  if (id.length !== 13 || id.charCodeAt(0) !== 8) return false;
  for (let k = 1; k < 13; k++) if (id.charCodeAt(k) !== doc[8 + k]) return false;
  return true;
}

function sameId(a: Buffer, b: Buffer): boolean {
  if (oidFirst(a) && oidFirst(b)) return a.compare(b, 9, 21, 9, 21) === 0;
  return idKeyOfRaw(a) === idKeyOfRaw(b);
}
