// The indexes as they stood at a clean stop, so that a restart adopts them instead of building
// them again. Building is most of a large recovery: every index's entries are made as strings
// and sorted (tens of millions at national scale, and the garbage collector's work with them).
// The image holds each sorted set's chunks byte for byte as they are in memory (see sorted.ts),
// so loading it makes no string and sorts nothing.
//
// An image is only valid for the snapshot it was written after (the snapshot's token): a
// journal written since (a later stop keeps a small one, a crash leaves one) is replayed onto the
// adopted indexes op by op; after a snapshot written since, recovery builds the indexes. It is
// written by a clean stop only (a running server's indexes change under it) and deleted when a
// new snapshot is written.
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, receiveMessageOnPort } from 'worker_threads';
import { BSON } from 'bson';
import type { Collection } from './collection';
import type { TreeImage } from './sorted';
import { scanRecords, startReader } from './journal';

export const IMAGE_FILE = 'indexes.bson';

/** Chunks per record: records stay a few MB. */
const PART_BYTES = 4 * 1024 * 1024;

/** One sorted set of a collection: '' is the _id order, else an index by name. */
export interface TreeEntry {
  chunks: TreeImage;
  /** the id order: some id is of an unordered type; an index: [multikey fields, unordered fields] */
  flags: { unordered?: boolean; multikey?: boolean[]; unorderedFields?: boolean[] };
}

export type CollectionImage = Map<string, TreeEntry>;

/** The image's record payloads: the token first, then each collection's sorted sets in parts. */
export function* imageRecords(token: string, collections: Iterable<Collection>): Generator<Uint8Array> {
  yield BSON.serialize({ token });
  for (const c of collections) {
    const trees: Array<[string, TreeEntry]> = [
      ['', { chunks: c.idTree.image(), flags: { unordered: c.idUnordered } }],
      ...c.indexes.map((ix): [string, TreeEntry] => [
        ix.spec.name,
        { chunks: ix.tree.image(), flags: { multikey: ix.multikeyFields, unorderedFields: ix.unorderedFields } },
      ]),
    ];
    for (const [name, { chunks, flags }] of trees) {
      const parts: TreeImage[] = [[]];
      let size = 0;
      for (const chunk of chunks) {
        const bytes = chunk.bytes.length + chunk.offsets.byteLength;
        if (size > 0 && size + bytes > PART_BYTES) {
          parts.push([]);
          size = 0;
        }
        parts[parts.length - 1].push(chunk);
        size += bytes;
      }
      for (let k = 0; k < parts.length; k++) {
        const part = parts[k];
        // per chunk: [bytes, entries]; offsets in the machine's byte order (the image is read where it was written)
        const lengths = new Int32Array(part.length * 2);
        part.forEach((ch, i) => {
          lengths[2 * i] = ch.bytes.length;
          lengths[2 * i + 1] = ch.offsets.length;
        });
        yield BSON.serialize({
          ns: c.ns,
          name,
          part: k,
          parts: parts.length,
          flags,
          lengths: asBuffer(lengths),
          bytes: Buffer.concat(part.map((ch) => ch.bytes)),
          offsets: Buffer.concat(part.map((ch) => asBuffer(ch.offsets))),
        });
      }
    }
  }
}

const asBuffer = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** An image as read: the snapshot token it was written for, and per collection its complete sorted sets. */
export interface ImageRead {
  token: string | undefined;
  collections: Map<string, CollectionImage>;
}

/**
 * The image in `dir` if it was written after the snapshot with `token`: per collection, its
 * sorted sets (only the complete ones). Null when there is none or it is for another snapshot.
 */
export function readImage(dir: string, token: string | undefined): Map<string, CollectionImage> | null {
  if (!token) return null;
  const read = scanImage(dir);
  return read.token === token ? read.collections : null;
}

/** How long recovery waits for the thread reading the image before it reads the image itself. */
const ASIDE_WAIT_MS = 5 * 60_000;

/**
 * Start reading the image in `dir` on another thread while this one recovers the snapshot:
 * reading it (mostly the first touch of its memory) and checking it were a third of a restart.
 * `take` blocks until it is read (recovery is synchronous) and returns what `readImage` would.
 */
export function readImageAside(dir: string): { take: (token: string | undefined) => Map<string, CollectionImage> | null } {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const thread = fs.existsSync(path.join(dir, IMAGE_FILE)) ? startReader({ kind: 'image', dir, done, port: port2 }, [port2]) : null;
  if (!thread) {
    port1.close();
    return { take: (token) => readImage(dir, token) };
  }
  return {
    take(token) {
      const finished = Atomics.wait(done, 0, 0, ASIDE_WAIT_MS) !== 'timed-out';
      const read = finished ? (receiveMessageOnPort(port1)?.message?.read as ImageRead | undefined) : undefined;
      port1.close();
      void thread.terminate();
      // a failure there is read again here, where it is thrown to the caller
      if (!read) return readImage(dir, token);
      if (!token || read.token !== token) return null;
      // views of the shared memory arrive as plain Uint8Arrays
      for (const coll of read.collections.values())
        for (const tree of coll.values())
          for (const chunk of tree.chunks) chunk.bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
      return read.collections;
    },
  };
}

/** Read the image in `dir`, in `shared` memory when it is read for another thread. */
export function scanImage(dir: string, shared = false): ImageRead {
  let token: string | undefined;
  let first = true;
  const out = new Map<string, CollectionImage>();
  const partsSeen = new Map<string, number>();
  scanRecords(
    path.join(dir, IMAGE_FILE),
    (payload) => {
      const rec = BSON.deserialize(payload, { promoteBuffers: true });
      if (first) {
        first = false;
        token = rec.token;
        return;
      }
      let coll = out.get(rec.ns);
      if (!coll) out.set(rec.ns, (coll = new Map()));
      let tree = coll.get(rec.name);
      if (!tree) coll.set(rec.name, (tree = { chunks: [], flags: rec.flags }));
      const key = `${rec.ns}\0${rec.name}`;
      if ((partsSeen.get(key) ?? 0) !== rec.part) return; // parts come in order; a gap leaves it incomplete
      partsSeen.set(key, rec.part + 1);
      const lengths = int32s(rec.lengths, false);
      const offsets = int32s(rec.offsets, shared);
      let b = 0;
      let o = 0;
      for (let i = 0; i < lengths.length; i += 2) {
        tree.chunks.push({ bytes: rec.bytes.subarray(b, b + lengths[i]), offsets: offsets.subarray(o, o + lengths[i + 1]) });
        b += lengths[i];
        o += lengths[i + 1];
      }
      if (rec.part + 1 === rec.parts) partsSeen.set(key, -1); // complete
    },
    { whole: true, shared },
  );
  for (const [ns, coll] of out) for (const name of [...coll.keys()]) if (partsSeen.get(`${ns}\0${name}`) !== -1) coll.delete(name);
  return { token, collections: out };
}

/** The int32s in `buf` (copied: a view into the file's bytes need not be aligned). */
function int32s(buf: Buffer, shared: boolean): Int32Array {
  const out = new Int32Array(shared ? new SharedArrayBuffer(buf.length) : new ArrayBuffer(buf.length));
  new Uint8Array(out.buffer).set(buf);
  return out;
}
