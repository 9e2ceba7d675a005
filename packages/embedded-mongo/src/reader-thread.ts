// A thread that reads a recovery file while the main thread works on another (journal.ts
// readAhead, index-image.ts readImageAside). Reading a few GB is mostly the first touch of the
// memory it fills, which a second core does as well as the first. Whatever happens, it ends by
// signalling, so the waiting thread never waits in vain.
import * as fs from 'fs';
import { type MessagePort, workerData } from 'worker_threads';
import { crc32 } from './journal';

export type ReaderJob =
  /** read `file` into `buf` (shared), publishing in `progress[0]` the end of the records checked so far, as -(end + 1) once done */
  | { kind: 'file'; file: string; buf: SharedArrayBuffer; progress: BigInt64Array }
  /** read the index image in `dir` and post it on `port`, then set `done[0]` */
  | { kind: 'image'; dir: string; done: Int32Array; port: MessagePort };

/** Bytes read between two reports of progress. */
const STEP = 32 * 1024 * 1024;

function readFile({ file, buf, progress }: Extract<ReaderJob, { kind: 'file' }>): void {
  const bytes = Buffer.from(buf);
  const total = bytes.length;
  let verified = 0;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      let read = 0;
      reading: while (read < total) {
        const n = fs.readSync(fd, bytes, read, Math.min(STEP, total - read), read);
        if (n <= 0) break;
        read += n;
        // the records now whole: [u32 length][u32 crc32][payload], as scanRecords checks them
        while (verified + 8 <= read) {
          const len = bytes.readUInt32LE(verified);
          const end = verified + 8 + len;
          if (len < 5 || end > total) break reading;
          if (end > read) break;
          if (crc32(bytes.subarray(verified + 8, end)) >>> 0 !== bytes.readUInt32LE(verified + 4)) break reading;
          verified = end;
        }
        Atomics.store(progress, 0, BigInt(verified));
        Atomics.notify(progress, 0);
      }
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    Atomics.store(progress, 0, BigInt(-(verified + 1)));
    Atomics.notify(progress, 0);
  }
}

async function readImage({ dir, done, port }: Extract<ReaderJob, { kind: 'image' }>): Promise<void> {
  try {
    const { scanImage } = await import('./index-image');
    port.postMessage({ read: scanImage(dir, true) });
  } catch (e) {
    port.postMessage({ error: String((e as Error).stack ?? e) });
  } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  }
}

const job = workerData as ReaderJob;
if (job?.kind === 'file') readFile(job);
else if (job?.kind === 'image') void readImage(job);
