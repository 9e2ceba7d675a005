// A sorted set of strings kept as a list of sorted chunks (at most MAX strings each): insert and
// delete are a binary search plus a splice within one chunk, iteration in either direction is
// a walk over the chunks, and counting a range adds up chunk lengths. Memory is one pointer per
// string plus the strings themselves. Appends in increasing order (ObjectIds, dates, counters)
// go straight to the last chunk. Positions are numbers `chunk * STRIDE + index`, valid until
// the next mutation.
const MAX = 512;
export const STRIDE = 1024; // > MAX, so positions compare as (chunk, index)

export class SortedStrings {
  private chunks: string[][] = [];
  size = 0;

  /** index of the chunk that would hold `x`: the last chunk whose first element is <= x (0 if none) */
  private chunkFor(x: string): number {
    const ch = this.chunks;
    let lo = 0,
      hi = ch.length - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >>> 1;
      if (ch[m][0] <= x) lo = m;
      else hi = m - 1;
    }
    return lo;
  }

  private static search(c: string[], x: string): number {
    let lo = 0,
      hi = c.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (c[m] < x) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  insert(x: string): boolean {
    const ch = this.chunks;
    if (ch.length === 0) {
      ch.push([x]);
      this.size = 1;
      return true;
    }
    const last = ch[ch.length - 1];
    if (last[last.length - 1] < x) {
      // fast append
      if (last.length < MAX) last.push(x);
      else ch.push([x]);
      this.size++;
      return true;
    }
    const ci = this.chunkFor(x);
    const c = ch[ci];
    const i = SortedStrings.search(c, x);
    if (i < c.length && c[i] === x) return false;
    // shift by hand: splice allocates a result array on every call
    let j = c.length;
    c.push(x);
    while (j > i) {
      c[j] = c[j - 1];
      j--;
    }
    c[i] = x;
    this.size++;
    if (c.length > MAX) ch.splice(ci + 1, 0, c.splice(c.length >>> 1));
    return true;
  }

  delete(x: string): boolean {
    const ch = this.chunks;
    if (ch.length === 0) return false;
    const ci = this.chunkFor(x);
    const c = ch[ci];
    const i = SortedStrings.search(c, x);
    if (i >= c.length || c[i] !== x) return false;
    for (let j = i + 1; j < c.length; j++) c[j - 1] = c[j];
    c.pop();
    this.size--;
    if (c.length === 0) ch.splice(ci, 1);
    else if (c.length < MAX / 8 && ci + 1 < ch.length && ch[ci + 1].length + c.length <= MAX) {
      // merge small neighbours so deletions do not leave thousands of tiny chunks
      const next = ch[ci + 1];
      for (const s of next) c.push(s);
      ch.splice(ci + 1, 1);
    }
    return true;
  }

  has(x: string): boolean {
    const ch = this.chunks;
    if (ch.length === 0) return false;
    const c = ch[this.chunkFor(x)];
    const i = SortedStrings.search(c, x);
    return i < c.length && c[i] === x;
  }

  /** Position of the first string >= x. */
  lowerBound(x: string): number {
    const ch = this.chunks;
    if (ch.length === 0) return 0;
    const ci = this.chunkFor(x);
    const i = SortedStrings.search(ch[ci], x);
    return i < ch[ci].length ? ci * STRIDE + i : (ci + 1) * STRIDE;
  }

  get end(): number {
    return this.chunks.length * STRIDE;
  }

  /** Number of strings in [from, to). */
  count(from: number, to: number): number {
    if (to <= from) return 0;
    const ca = Math.floor(from / STRIDE),
      ia = from % STRIDE;
    const cb = Math.floor(to / STRIDE),
      ib = to % STRIDE;
    if (ca === cb) return ib - ia;
    let n = this.chunks[ca].length - ia;
    for (let c = ca + 1; c < cb; c++) n += this.chunks[c].length;
    return n + ib;
  }

  /**
   * Visit the strings of [from, to) in order (dir 1) or in reverse (dir -1); `fn` returning
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
        const end = c === cb ? ib : chunk.length;
        for (let i = c === ca ? ia : 0; i < end; i++) if (fn(chunk[i]) === false) return;
      }
    } else {
      for (let c = Math.min(cb, ch.length - 1); c >= ca; c--) {
        const chunk = ch[c];
        const start = c === ca ? ia : 0;
        for (let i = (c === cb ? ib : chunk.length) - 1; i >= start; i--) if (fn(chunk[i]) === false) return;
      }
    }
  }

  /** Replace the contents with already sorted, distinct strings (bulk build). */
  load(sorted: string[]): void {
    this.chunks = [];
    const half = MAX >>> 1;
    for (let i = 0; i < sorted.length; i += half) this.chunks.push(sorted.slice(i, i + half));
    this.size = sorted.length;
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }
}
