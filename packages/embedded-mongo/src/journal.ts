// Append-only write-ahead journal. Each record is [u32 length][u32 crc32][BSON payload].
// Appends made during one event-loop tick are written with a single write() and made durable
// with one fdatasync() before any of their commands is acknowledged (group commit). Recovery
// stops at the first record that is truncated or fails its checksum (a torn last write after
// kill -9 / power loss) and truncates the file there.
import * as buffer from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { type TransferListItem, Worker } from 'worker_threads';
import * as zlib from 'zlib';
import { BSON } from 'bson';
import type { ReaderJob } from './reader-thread';
import type { Any, Doc } from './values';

export const crc32: (b: Uint8Array) => number =
  (zlib as Any).crc32 ??
  ((b: Uint8Array) => {
    let c = ~0;
    for (let i = 0; i < b.length; i++) {
      c ^= b[i];
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  });

const DESER = { promoteLongs: true, promoteValues: true } as const;

/**
 * A snapshot is written when the journal outgrows both this and the last snapshot: each one
 * rewrites the whole data set, so tying it to the data's size keeps the bytes written by
 * snapshots within about the bytes journaled (a bulk load of N GB no longer rewrites the
 * growing data set every 256 MB, which is quadratic).
 */
export const MIN_COMPACT_BYTES = 256 * 1024 * 1024;

/** Journal and snapshots hold every record: readable by their owner only (issue 17). */
export const FILE_MODE = 0o600;
/** The data directory likewise. */
export const DIR_MODE = 0o700;

/** BSON.serialize with a buffer large enough for big batches (the default caps at 17 MB). */
export function serializeLarge(doc: Doc): Uint8Array {
  try {
    return BSON.serialize(doc);
  } catch (e) {
    if (!(e instanceof RangeError) && !/size|range|bounds/i.test(String((e as Error).message))) throw e;
    return BSON.serialize(doc, { minInternalBufferSize: BSON.calculateObjectSize(doc) + 1024 } as Any);
  }
}

export function encodeRecord(doc: Doc | Uint8Array): Buffer {
  const payload = doc instanceof Uint8Array ? doc : serializeLarge(doc);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

/** Read every intact record of a file; returns them and the byte length of the valid prefix. */
export function readRecords(file: string): { records: Doc[]; validLength: number; totalLength: number } {
  const records: Doc[] = [];
  const r = scanRecords(file, (payload) => {
    records.push(BSON.deserialize(payload, DESER));
  });
  return { records, ...r };
}

/** Start a reader thread (reader-thread.ts) on `job`; null when its compiled file is not there. */
export function startReader(job: ReaderJob, transferList?: TransferListItem[]): Worker | null {
  // dist/ holds it; the package's tests run src/ after a build, so it is looked for in dist/ from both
  const script = path.resolve(__dirname, '../dist/reader-thread.js');
  if (!fs.existsSync(script)) return null;
  const thread = new Worker(script, { workerData: job, transferList });
  thread.unref();
  return thread;
}

/** How long recovery waits for a reader thread's next 32 MB before it fails, saying so (a disk that slow needs looking at). */
const READER_STALL_MS = 60_000;

/**
 * Visit the payload of every intact record, reading the file in 64 MB chunks, or `whole` in one
 * buffer when the visitor keeps views into most of it anyway (a snapshot's slabs, an index
 * image): V8 runs a full garbage collection for about every 64 MB of buffers allocated, which
 * over a few GB read in chunks was half of a restart. `shared` reads into shared memory, for
 * views handed to another thread; `ahead` reads a whole file on a reader thread, which also
 * checks the records, while `fn` works on those already read. Stops at the first truncated or
 * checksum-failing record.
 */
export function scanRecords(
  file: string,
  fn: (payload: Buffer) => void,
  { whole = false, shared = false, ahead = false }: { whole?: boolean; shared?: boolean; ahead?: boolean } = {},
): { validLength: number; totalLength: number } {
  if (!fs.existsSync(file)) return { validLength: 0, totalLength: 0 };
  const fd = fs.openSync(file, 'r');
  try {
    const total = fs.fstatSync(fd).size;
    if (ahead && total > 0 && total <= buffer.constants.MAX_LENGTH) {
      const scanned = scanAhead(file, total, fn);
      if (scanned) return scanned;
    }
    const CHUNK = whole && total <= buffer.constants.MAX_LENGTH ? total : 64 * 1024 * 1024;
    let buf: Buffer = Buffer.alloc(0);
    let filePos = 0; // file offset of buf[0]
    let readPos = 0; // next file offset to read
    let pos = 0; // offset in buf
    const fill = (need: number): boolean => {
      // make buf[pos, pos + need) available
      if (pos + need <= buf.length) return true;
      if (readPos >= total) return false;
      const keep = buf.subarray(pos);
      const want = Math.max(need, CHUNK);
      const size = keep.length + Math.min(want, total - readPos);
      const next = shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size);
      keep.copy(next, 0);
      let off = keep.length;
      while (off < next.length) {
        const n = fs.readSync(fd, next, off, Math.min(next.length - off, 1 << 30), readPos); // one read is at most 2 GB
        if (n <= 0) break;
        off += n;
        readPos += n;
      }
      filePos += pos;
      buf = next.subarray(0, off);
      pos = 0;
      return pos + need <= buf.length;
    };
    for (;;) {
      if (!fill(8)) break;
      const len = buf.readUInt32LE(pos);
      const crc = buf.readUInt32LE(pos + 4);
      if (len < 5 || filePos + pos + 8 + len > total || !fill(8 + len)) break;
      const payload = buf.subarray(pos + 8, pos + 8 + len);
      if (crc32(payload) >>> 0 !== crc) break;
      try {
        fn(payload);
      } catch (e) {
        if (e instanceof RecordError) break;
        throw e;
      }
      pos += 8 + len;
    }
    return { validLength: filePos + pos, totalLength: total };
  } finally {
    fs.closeSync(fd);
  }
}

/** scanRecords with the file read and checked on a reader thread; null if none could start. */
function scanAhead(file: string, total: number, fn: (payload: Buffer) => void): { validLength: number; totalLength: number } | null {
  const shared = new SharedArrayBuffer(total);
  const progress = new BigInt64Array(new SharedArrayBuffer(8));
  if (!startReader({ kind: 'file', file, buf: shared, progress })) return null;
  const buf = Buffer.from(shared);
  /** Whether the record at `pos` has been read and checked (waiting for the reader as needed). */
  const checked = (pos: number): boolean => {
    for (;;) {
      const p = Atomics.load(progress, 0);
      if (p < 0n) return Number(-p - 1n) > pos; // the reader is done
      if (Number(p) > pos) return true;
      if (Atomics.wait(progress, 0, p, READER_STALL_MS) === 'timed-out')
        throw new Error(`reading ${file}: no progress from the reader thread in ${READER_STALL_MS / 1000} s`);
    }
  };
  let pos = 0;
  while (pos < total && checked(pos)) {
    const len = buf.readUInt32LE(pos);
    try {
      fn(buf.subarray(pos + 8, pos + 8 + len));
    } catch (e) {
      if (e instanceof RecordError) break;
      throw e;
    }
    pos += 8 + len;
  }
  return { validLength: pos, totalLength: total };
}

/** Thrown by a record visitor for a record that cannot be read: recovery stops there. */
export class RecordError extends Error {}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

export class Journal {
  readonly file: string;
  private fd: number;
  private buffers: Buffer[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  size: number;
  /** called after a flush when the journal exceeds `compactThreshold` bytes */
  onLarge: (() => void) | null = null;
  minCompactBytes = MIN_COMPACT_BYTES;
  compactThreshold = MIN_COMPACT_BYTES;

  /** The next snapshot waits until the journal has grown as large as this one (see MIN_COMPACT_BYTES). */
  snapshotWritten(bytes: number): void {
    this.compactThreshold = Math.max(this.minCompactBytes, bytes);
  }

  constructor(dir: string, validLength: number) {
    this.file = path.join(dir, 'journal.bson');
    this.fd = fs.openSync(this.file, fs.existsSync(this.file) ? 'r+' : 'w+', FILE_MODE);
    fs.fchmodSync(this.fd, FILE_MODE); // files of older versions were 0644
    // drop a torn tail left by a crash so new records follow the last intact one
    fs.ftruncateSync(this.fd, validLength);
    fs.fsyncSync(this.fd);
    this.size = validLength;
  }

  /** Queue a record (a document or an encoded payload); resolves once it is on disk. */
  append(record: Doc | Uint8Array): Promise<void> {
    this.buffers.push(encodeRecord(record));
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.loop && !this.scheduled) {
      this.scheduled = true;
      // wait for the rest of this tick's appends, then write them together
      setImmediate(() => {
        this.scheduled = false;
        this.startLoop();
      });
    }
    return p;
  }

  private loop: Promise<void> | null = null;

  private startLoop(): void {
    if (this.loop) return;
    const p: Promise<void> = this.flushLoop().finally(() => {
      if (this.loop === p) this.loop = null;
      // an append that raced with the end of the loop must not be stranded
      if (this.buffers.length && !this.scheduled) this.startLoop();
    });
    this.loop = p;
  }

  /** Single writer: batches whatever accumulated while the previous fsync was running. */
  private async flushLoop(): Promise<void> {
    while (this.buffers.length) {
      const data = Buffer.concat(this.buffers);
      const waiters = this.waiters;
      this.buffers = [];
      this.waiters = [];
      try {
        await writeAll(this.fd, data, this.size);
        await new Promise<void>((res, rej) => fs.fdatasync(this.fd, (e) => (e ? rej(e) : res())));
        this.size += data.length;
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e as Error);
      }
    }
    if (this.size > this.compactThreshold && this.onLarge) this.onLarge();
  }

  /** Wait until everything appended so far is durable. */
  async drain(): Promise<void> {
    while (this.buffers.length || this.loop || this.scheduled) {
      if (this.loop) await this.loop;
      else if (this.buffers.length) this.startLoop();
      else await new Promise((r) => setImmediate(r));
    }
  }

  /** Empty the journal after a snapshot made it redundant. Call only after drain(). */
  reset(): void {
    fs.ftruncateSync(this.fd, 0);
    fs.fsyncSync(this.fd);
    this.size = 0;
  }

  /**
   * Drop the first `upTo` bytes (records a new snapshot made redundant), keeping the records
   * appended since: the tail is copied to a temp file that then replaces the journal. The copy
   * runs 8 MB at a time while appends go on (a tail can be large after a long snapshot); only
   * the last few MB are copied after a drain, synchronously, before the swap.
   */
  async dropPrefix(upTo: number): Promise<void> {
    const tmp = this.file + '.tmp';
    const tfd = fs.openSync(tmp, 'w', FILE_MODE);
    const CHUNK = 8 * 1024 * 1024;
    const buf = Buffer.allocUnsafe(CHUNK);
    let copied = upTo; // journal offset copied up to
    const copy = (end: number) => {
      while (copied < end) {
        const n = fs.readSync(this.fd, buf, 0, Math.min(CHUNK, end - copied), copied);
        if (n <= 0) throw new Error('journal shorter than expected');
        fs.writeSync(tfd, buf, 0, n);
        copied += n;
      }
    };
    try {
      while (this.size - copied > CHUNK) {
        copy(copied + CHUNK);
        await new Promise((r) => setImmediate(r));
      }
      await this.drain();
      copy(this.size); // synchronous from here to the swap: no write can interleave
      fs.fsyncSync(tfd);
    } catch (e) {
      fs.closeSync(tfd);
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    fs.closeSync(tfd);
    fs.renameSync(tmp, this.file);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'r+');
    this.size = copied - upTo;
    syncDir(path.dirname(this.file));
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function syncDir(dir: string): void {
  try {
    const dfd = fs.openSync(dir, 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
  } catch {
    /* directory fsync is not supported everywhere */
  }
}

function writeAll(fd: number, data: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let off = 0;
    const step = () =>
      fs.write(fd, data, off, data.length - off, position + off, (err, n) => {
        if (err) return reject(err);
        off += n;
        if (off < data.length) step();
        else resolve();
      });
    step();
  });
}

/**
 * Write a snapshot atomically (temp file, fsync, rename, fsync the directory) from encoded
 * record payloads, yielding to the event loop every ~8 MB so the server keeps answering while
 * a multi-GB snapshot is written.
 */
export function writeSnapshot(dir: string, records: Iterable<Uint8Array | Doc>): Promise<number> {
  return writeRecordsFile(dir, 'snapshot.bson', records);
}

/** Write `records` to `dir/name` atomically (a temporary file, fsync, rename); returns the bytes written. */
export async function writeRecordsFile(dir: string, name: string, records: Iterable<Uint8Array | Doc>): Promise<number> {
  const tmp = path.join(dir, `${name}.tmp`);
  const fd = fs.openSync(tmp, 'w', FILE_MODE);
  let written = 0;
  try {
    let chunk: Buffer[] = [];
    let size = 0;
    const flush = () => {
      // header and payload buffers written as they are (no concatenation copies)
      let left = size;
      let parts = chunk;
      while (left > 0) {
        let n = fs.writevSync(fd, parts.slice(0, 1024));
        left -= n;
        while (n > 0 && parts.length) {
          if (n >= parts[0].length) {
            n -= parts[0].length;
            parts = parts.slice(1);
          } else {
            parts = [parts[0].subarray(n), ...parts.slice(1)];
            n = 0;
          }
        }
      }
      chunk = [];
      size = 0;
    };
    for (const r of records) {
      const payload = r instanceof Uint8Array ? Buffer.from(r.buffer, r.byteOffset, r.byteLength) : serializeLarge(r);
      const head = Buffer.allocUnsafe(8);
      head.writeUInt32LE(payload.length, 0);
      head.writeUInt32LE(crc32(payload) >>> 0, 4);
      chunk.push(head, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
      size += 8 + payload.length;
      written += 8 + payload.length;
      if (size > 8 * 1024 * 1024) {
        flush();
        await new Promise((res) => setImmediate(res));
      }
    }
    if (size) flush();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, name));
  syncDir(dir);
  return written;
}
