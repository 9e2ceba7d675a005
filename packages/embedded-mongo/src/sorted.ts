// A sorted set of byte strings (JS strings whose chars are all < 256, as keys.ts produces),
// kept as a list of chunks of at most MAX entries. A chunk packs its entries into one Buffer
// (bytes back to back) with an Int32Array of their start offsets: no heap object per entry, so
// tens of millions of index entries cost their bytes plus 4, and the garbage collector sees a
// few objects per chunk. Lookups are a binary search over the chunks' first entries, then over
// the chunk with native byte comparisons; insert and delete move bytes within one chunk;
// iteration in either direction walks the chunks; counting a range adds up chunk lengths.
// Positions are numbers `chunk * STRIDE + index`, valid until the next mutation.
const MAX = 512;
export const STRIDE = 1024; // > MAX, so positions compare as (chunk, index)

class Chunk {
  buf: Buffer;
  used = 0;
  offs: Int32Array;
  n = 0;
  constructor(bytes: number, entries: number, image?: { bytes: Buffer; offsets: Int32Array }) {
    this.buf = image ? image.bytes : Buffer.allocUnsafeSlow(Math.max(64, bytes));
    this.offs = image ? image.offsets : new Int32Array(Math.max(8, entries));
    if (image) {
      this.used = image.bytes.length;
      this.n = image.offsets.length;
    }
  }
  end(i: number): number {
    return i + 1 < this.n ? this.offs[i + 1] : this.used;
  }
  str(i: number): string {
    return this.buf.toString('latin1', this.offs[i], this.end(i));
  }
  /** first index whose entry is >= key */
  search(key: Buffer): number {
    let lo = 0,
      hi = this.n;
    const b = this.buf;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (b.compare(key, 0, key.length, this.offs[m], this.end(m)) < 0) lo = m + 1;
      else hi = m;
    }
    return lo;
  }
  equalAt(i: number, key: Buffer): boolean {
    return i < this.n && this.buf.compare(key, 0, key.length, this.offs[i], this.end(i)) === 0;
  }
  insertAt(i: number, key: Buffer): void {
    const len = key.length;
    if (this.used + len > this.buf.length) {
      const nb = Buffer.allocUnsafeSlow(Math.ceil((this.used + len) * 1.25));
      this.buf.copy(nb, 0, 0, this.used);
      this.buf = nb;
    }
    if (this.n === this.offs.length) {
      const no = new Int32Array(Math.ceil(this.n * 1.25) + 8);
      no.set(this.offs);
      this.offs = no;
    }
    const at = i < this.n ? this.offs[i] : this.used;
    this.buf.copy(this.buf, at + len, at, this.used);
    key.copy(this.buf, at);
    this.offs.copyWithin(i + 1, i, this.n);
    this.offs[i] = at;
    for (let j = i + 1; j <= this.n; j++) this.offs[j] += len;
    this.n++;
    this.used += len;
  }
  removeAt(i: number): void {
    const at = this.offs[i];
    const len = this.end(i) - at;
    this.buf.copy(this.buf, at, at + len, this.used);
    this.offs.copyWithin(i, i + 1, this.n);
    this.n--;
    for (let j = i; j < this.n; j++) this.offs[j] -= len;
    this.used -= len;
  }
  /** Move entries [from, n) into a new chunk. */
  splitOff(from: number): Chunk {
    const start = this.offs[from];
    const bytes = this.used - start;
    const c = new Chunk(Math.ceil(bytes * 1.25), Math.ceil((this.n - from) * 1.25));
    this.buf.copy(c.buf, 0, start, this.used);
    for (let j = from; j < this.n; j++) c.offs[j - from] = this.offs[j] - start;
    c.n = this.n - from;
    c.used = bytes;
    this.n = from;
    this.used = start;
    // the kept half gets a right-sized buffer too (else every split leaves half a buffer empty)
    const nb = Buffer.allocUnsafeSlow(Math.ceil(start * 1.25));
    this.buf.copy(nb, 0, 0, start);
    this.buf = nb;
    this.offs = this.offs.slice(0, Math.ceil(from * 1.25));
    return c;
  }
}

/** A sorted set as it is held: each chunk's entry bytes and their start offsets. */
export type TreeImage = Array<{ bytes: Buffer; offsets: Int32Array }>;

export class SortedStrings {
  private chunks: Chunk[] = [];
  /** first entry of each chunk, for the chunk-level search */
  private firsts: string[] = [];
  size = 0;

  /** index of the chunk that would hold `x`: the last chunk whose first entry is <= x (0 if none) */
  private chunkFor(x: string): number {
    const f = this.firsts;
    let lo = 0,
      hi = f.length - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >>> 1;
      if (f[m] <= x) lo = m;
      else hi = m - 1;
    }
    return lo;
  }

  insert(x: string): boolean {
    const key = Buffer.from(x, 'latin1');
    const ch = this.chunks;
    if (ch.length === 0) {
      const c = new Chunk(key.length * 64, 64);
      c.insertAt(0, key);
      ch.push(c);
      this.firsts.push(x);
      this.size = 1;
      return true;
    }
    const ci = this.chunkFor(x);
    const c = ch[ci];
    const i = c.search(key);
    if (c.equalAt(i, key)) return false;
    c.insertAt(i, key);
    if (i === 0) this.firsts[ci] = x;
    this.size++;
    if (c.n > MAX) {
      const next = c.splitOff(c.n >>> 1);
      ch.splice(ci + 1, 0, next);
      this.firsts.splice(ci + 1, 0, next.str(0));
    }
    return true;
  }

  delete(x: string): boolean {
    const ch = this.chunks;
    if (ch.length === 0) return false;
    const key = Buffer.from(x, 'latin1');
    const ci = this.chunkFor(x);
    const c = ch[ci];
    const i = c.search(key);
    if (!c.equalAt(i, key)) return false;
    c.removeAt(i);
    this.size--;
    if (c.n === 0) {
      ch.splice(ci, 1);
      this.firsts.splice(ci, 1);
      return true;
    }
    if (i === 0) this.firsts[ci] = c.str(0);
    if (c.n < MAX / 8 && ci + 1 < ch.length && ch[ci + 1].n + c.n <= MAX) {
      // merge small neighbours so deletions do not leave thousands of tiny chunks
      const next = ch[ci + 1];
      for (let j = 0; j < next.n; j++) c.insertAt(c.n, next.buf.subarray(next.offs[j], next.end(j)));
      ch.splice(ci + 1, 1);
      this.firsts.splice(ci + 1, 1);
    }
    return true;
  }

  has(x: string): boolean {
    if (this.chunks.length === 0) return false;
    const key = Buffer.from(x, 'latin1');
    const c = this.chunks[this.chunkFor(x)];
    return c.equalAt(c.search(key), key);
  }

  /** Position of the first entry >= x. */
  lowerBound(x: string): number {
    const ch = this.chunks;
    if (ch.length === 0) return 0;
    const ci = this.chunkFor(x);
    const i = ch[ci].search(Buffer.from(x, 'latin1'));
    return i < ch[ci].n ? ci * STRIDE + i : (ci + 1) * STRIDE;
  }

  get end(): number {
    return this.chunks.length * STRIDE;
  }

  /** Number of entries in [from, to). */
  count(from: number, to: number): number {
    if (to <= from) return 0;
    const ca = Math.floor(from / STRIDE),
      ia = from % STRIDE;
    const cb = Math.floor(to / STRIDE),
      ib = to % STRIDE;
    if (ca === cb) return ib - ia;
    let n = this.chunks[ca].n - ia;
    for (let c = ca + 1; c < cb; c++) n += this.chunks[c].n;
    return n + ib;
  }

  /**
   * Visit the entries of [from, to) in order (dir 1) or in reverse (dir -1); `fn` returning
   * false stops the walk.
   */
  walk(from: number, to: number, dir: 1 | -1, fn: (s: string) => boolean | void): void {
    if (to <= from) return;
    const ch = this.chunks;
    const ca = Math.floor(from / STRIDE),
      ia = from % STRIDE;
    const cb = Math.floor(to / STRIDE),
      ib = to % STRIDE;
    if (dir === 1) {
      for (let c = ca; c <= cb && c < ch.length; c++) {
        const chunk = ch[c];
        const end = c === cb ? ib : chunk.n;
        for (let i = c === ca ? ia : 0; i < end; i++) if (fn(chunk.str(i)) === false) return;
      }
    } else {
      for (let c = Math.min(cb, ch.length - 1); c >= ca; c--) {
        const chunk = ch[c];
        const start = c === ca ? ia : 0;
        for (let i = (c === cb ? ib : chunk.n) - 1; i >= start; i--) if (fn(chunk.str(i)) === false) return;
      }
    }
  }

  /** Replace the contents with already sorted, distinct entries (bulk build). */
  load(sorted: string[]): void {
    this.chunks = [];
    this.firsts = [];
    const per = MAX >>> 1;
    for (let i = 0; i < sorted.length; i += per) {
      const part = sorted.slice(i, i + per);
      let bytes = 0;
      for (const s of part) bytes += s.length;
      const c = new Chunk(Math.ceil(bytes * 1.25), Math.ceil(part.length * 1.25));
      for (const s of part) {
        c.offs[c.n++] = c.used;
        c.used += c.buf.write(s, c.used, 'latin1');
      }
      this.chunks.push(c);
      this.firsts.push(part[0]);
    }
    this.size = sorted.length;
  }

  clear(): void {
    this.chunks = [];
    this.firsts = [];
    this.size = 0;
  }

  /** The contents as they are held: each chunk's bytes and entry offsets (views, valid until the next mutation). */
  image(): TreeImage {
    return this.chunks.map((c) => ({ bytes: c.buf.subarray(0, c.used), offsets: c.offs.subarray(0, c.n) }));
  }

  /**
   * Replace the contents with an image (as `image` gave them): no string is made and nothing is
   * sorted. The bytes are kept as given (a chunk that grows gets a buffer of its own).
   */
  loadImage(image: TreeImage): void {
    this.chunks = [];
    this.firsts = [];
    this.size = 0;
    for (const { bytes, offsets } of image) {
      if (offsets.length === 0) continue;
      const c = new Chunk(0, 0, { bytes, offsets });
      this.chunks.push(c);
      this.firsts.push(c.str(0));
      this.size += c.n;
    }
  }
}
