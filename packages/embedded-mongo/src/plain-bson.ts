// Whether a client's document can be stored as the bytes it sent. A bulk insert's documents are
// otherwise deserialized into objects and serialized again (at national scale that was 38% of
// the server's time during a load). Only well-formed documents of the common types qualify;
// anything else (an unusual type, invalid UTF-8, deep nesting, a malformed length) answers
// false and goes the general way, which deserializes it and refuses what is invalid exactly as
// before. So a `true` here must guarantee that BSON.deserialize would read the document.
import { isUtf8 } from 'node:buffer';

/** Deeper documents go the general way (mongod's own limit for stored documents is 100 levels). */
const MAX_DEPTH = 100;

/** Whether a complete, well-formed BSON document of common types starts at `start` and ends by `limit`. */
export function isPlainBson(buf: Uint8Array, start: number, limit: number = buf.length): boolean {
  if (start + 5 > limit) return false;
  const len = readInt32(buf, start);
  return len >= 5 && start + len <= limit && plainDocument(buf, start, start + len, 0);
}

function readInt32(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/** A UTF-8 byte run: ASCII is checked in the loop, anything else by Node's validator. */
function utf8(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] >= 0x80) return isUtf8(b.subarray(from, to));
  return true;
}

/** The document spanning [start, end): elements, then the terminating zero exactly at end - 1. */
function plainDocument(b: Uint8Array, start: number, end: number, depth: number): boolean {
  if (depth > MAX_DEPTH || b[end - 1] !== 0) return false;
  let p = start + 4;
  const last = end - 1;
  while (p < last) {
    const type = b[p++];
    const nameStart = p;
    while (p < last && b[p] !== 0) p++;
    if (p >= last || !utf8(b, nameStart, p)) return false;
    p++; // the name's terminator
    const next = valueEnd(b, type, p, last, depth);
    if (next < 0) return false;
    p = next;
  }
  return p === last;
}

/** Where the value of `type` at `p` ends (it must end by `limit`), or -1 if it is not plain. */
function valueEnd(b: Uint8Array, type: number, p: number, limit: number, depth: number): number {
  let end: number;
  switch (type) {
    case 0x01: // double
    case 0x09: // date
    case 0x11: // timestamp
    case 0x12: // int64
      end = p + 8;
      break;
    case 0x13: // decimal128
      end = p + 16;
      break;
    case 0x07: // ObjectId
      end = p + 12;
      break;
    case 0x10: // int32
      end = p + 4;
      break;
    case 0x08: // boolean: only 0 or 1 (the deserializer refuses other bytes)
      if (p >= limit || b[p] > 1) return -1;
      return p + 1;
    case 0x0a: // null
    case 0x7f: // maxKey
    case 0xff: // minKey
      return p;
    case 0x02: {
      // string: int32 length (with its terminator), UTF-8, then a zero
      if (p + 4 > limit) return -1;
      const n = readInt32(b, p);
      end = p + 4 + n;
      if (n < 1 || end > limit || b[end - 1] !== 0 || !utf8(b, p + 4, end - 1)) return -1;
      return end;
    }
    case 0x03: // document
    case 0x04: {
      // array (its keys are not checked: the deserializer numbers elements itself)
      if (p + 4 > limit) return -1;
      const n = readInt32(b, p);
      end = p + n;
      if (n < 5 || end > limit || !plainDocument(b, p, end, depth + 1)) return -1;
      return end;
    }
    case 0x05: {
      // binary: int32 length, subtype, bytes; subtype 2 (old binary) has a length inside and goes the general way
      if (p + 5 > limit) return -1;
      const n = readInt32(b, p);
      end = p + 5 + n;
      if (n < 0 || b[p + 4] === 2 || end > limit) return -1;
      return end;
    }
    default:
      // undefined, regex, DBPointer, code, symbol, code with scope, unknown types
      return -1;
  }
  return end <= limit ? end : -1;
}
