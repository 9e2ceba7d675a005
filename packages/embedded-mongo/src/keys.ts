// Order-preserving index keys: byte strings (every char < 256; strings are encoded as their UTF-8
// bytes, which is MongoDB's own binary string order) so that sorted.ts can pack them into
// buffers; always flat (built with join, not +). Every BSON value is encoded as a string whose plain JS string
// order (UTF-16 code units) is MongoDB's BSON order: a type tag (the BSON type-order rank), then
// a fixed-width big-endian body (numbers and dates as sortable doubles, ObjectIds as their 12
// bytes, booleans) or an escaped, terminated body (strings). Encoded values are prefix-free, so
// a compound key is the concatenation of its fields' encodings, a key with its document's id
// appended sorts by key then id, and "all entries whose first k fields equal X" is a prefix range.
// Equal values (1, 1.0, Long(1)) encode equally. Nearly all keys are one-byte strings (chars
// < 256): an ObjectId costs 13 chars. Sub-documents, nested arrays, binaries and regexes get a
// canonical (equality-only) encoding: an index that ever holds one in a field does not serve
// sorts on that field (see Index.unorderedFields).
import { Any, keyString, toNumber, typeRank } from './values';

export const TAG_MIN = 1;
export const TAG_NULL = 2;
export const TAG_NUMBER = 3;
export const TAG_STRING = 4;
export const TAG_OBJECT = 5;
export const TAG_ARRAY = 6;
export const TAG_BINARY = 7;
export const TAG_OID = 8;
export const TAG_BOOL = 9;
export const TAG_DATE = 10;
export const TAG_TIMESTAMP = 11;
export const TAG_REGEX = 12;
export const TAG_MAX = 13;

const f64 = new Float64Array(1);
const b8 = new Uint8Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** 8 chars whose order is the numeric order of doubles (NaN lowest, -0 == 0). */
export function sortableDouble(n: number): string {
  if (n !== n) return '\0\0\0\0\0\0\0\0';
  f64[0] = n === 0 ? 0 : n;
  const L = LITTLE;
  let c0 = b8[L ? 7 : 0],
    c1 = b8[L ? 6 : 1],
    c2 = b8[L ? 5 : 2],
    c3 = b8[L ? 4 : 3],
    c4 = b8[L ? 3 : 4],
    c5 = b8[L ? 2 : 5],
    c6 = b8[L ? 1 : 6],
    c7 = b8[L ? 0 : 7];
  if (c0 & 0x80) {
    c0 ^= 0xff;
    c1 ^= 0xff;
    c2 ^= 0xff;
    c3 ^= 0xff;
    c4 ^= 0xff;
    c5 ^= 0xff;
    c6 ^= 0xff;
    c7 ^= 0xff;
  } else c0 |= 0x80;
  return String.fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7);
}

/** A string's UTF-8 bytes as a latin1 string (index keys hold bytes: MongoDB's binary string order), \0 escaped. */
export function stringBody(s: string): string {
  // eslint-disable-next-line no-control-regex
  const b = /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
  return b.indexOf('\0') < 0 ? b : b.replace(/\0/g, '\0\x01');
}

/** The encoded key of an ObjectId: its tag and its 12 bytes, one flat 13-char string. */
export function oidKey(v: Any): string {
  if (typeof v.i0 === 'number') {
    const { i0, i1, i2, i3 } = v;
    return String.fromCharCode(
      TAG_OID,
      (i0 >> 16) & 255,
      (i0 >> 8) & 255,
      i0 & 255,
      (i1 >> 16) & 255,
      (i1 >> 8) & 255,
      i1 & 255,
      (i2 >> 16) & 255,
      (i2 >> 8) & 255,
      i2 & 255,
      (i3 >> 16) & 255,
      (i3 >> 8) & 255,
      i3 & 255,
    );
  }
  const hex: string = v.toHexString();
  const codes = [TAG_OID];
  for (let i = 0; i < 24; i += 2) codes.push(parseInt(hex.slice(i, i + 2), 16));
  return String.fromCharCode(...codes);
}

/** The key of a document id (the docs map key): its order-preserving encoding, flat. */
export function idKey(v: Any): string {
  return encodeKey(v);
}

/** True for values whose encoding is canonical but not ordered. */
export function isUnorderedRank(rank: number): boolean {
  return rank === TAG_OBJECT || rank === TAG_ARRAY || rank === TAG_BINARY || rank === TAG_REGEX;
}

/** Order-preserving encoding of one value (missing/undefined encode like null). */
export function encodeKey(v: Any): string {
  switch (typeof v) {
    case 'string':
      return ['\x04', stringBody(v), '\0\0'].join('');
    case 'number':
      return '\x03' + sortableDouble(v);
    case 'boolean':
      return v ? '\x09\x01' : '\x09\x00';
    case 'undefined':
      return '\x02';
  }
  if (v === null) return '\x02';
  if (v._bsontype === 'ObjectId') return oidKey(v);
  if (v instanceof Date) return '\x0a' + sortableDouble(v.getTime());
  const rank = typeRank(v);
  switch (rank) {
    case TAG_MIN:
      return '\x01';
    case TAG_MAX:
      return '\x0d';
    case TAG_NUMBER:
      return '\x03' + sortableDouble(toNumber(v));
    case TAG_STRING:
      return ['\x04', stringBody(String(v.valueOf?.() ?? v)), '\0\0'].join('');
    case TAG_TIMESTAMP: {
      const hi = v.high >>> 0;
      const lo = v.low >>> 0;
      return String.fromCharCode(
        TAG_TIMESTAMP,
        hi >>> 24,
        (hi >>> 16) & 255,
        (hi >>> 8) & 255,
        hi & 255,
        lo >>> 24,
        (lo >>> 16) & 255,
        (lo >>> 8) & 255,
        lo & 255,
      );
    }
    default:
      return [String.fromCharCode(rank), stringBody(keyString(v)), '\0\0'].join('');
  }
}

/** Position just after the encoded value starting at `pos`. */
export function skipKey(s: string, pos: number): number {
  const tag = s.charCodeAt(pos);
  switch (tag) {
    case TAG_MIN:
    case TAG_NULL:
    case TAG_MAX:
      return pos + 1;
    case TAG_NUMBER:
    case TAG_DATE:
    case TAG_TIMESTAMP:
      return pos + 9;
    case TAG_OID:
      return pos + 13;
    case TAG_BOOL:
      return pos + 2;
  }
  let p = pos + 1;
  for (;;) {
    const z = s.indexOf('\0', p);
    if (z < 0) return s.length;
    if (s.charCodeAt(z + 1) === 0) return z + 2;
    p = z + 2;
  }
}

/**
 * The smallest byte string greater than every string that starts with `prefix`: trailing 0xFF
 * chars dropped and the last other char incremented (so it stays a byte string); null when
 * there is none (all 0xFF): the range then runs to the end.
 */
export function prefixEnd(prefix: string): string | null {
  let i = prefix.length - 1;
  while (i >= 0 && prefix.charCodeAt(i) === 0xff) i--;
  if (i < 0) return null;
  return prefix.slice(0, i) + String.fromCharCode(prefix.charCodeAt(i) + 1);
}

/** Start of a type class in key space (for ranges bounded on one side only). */
export function classStart(rank: number): string {
  // numbers: from -Infinity, so NaN (encoded lowest) is not in a one-sided range, as in MongoDB
  return rank === TAG_NUMBER ? '\x03' + sortableDouble(-Infinity) : String.fromCharCode(rank);
}

export function classEnd(rank: number): string {
  return String.fromCharCode(rank + 1);
}
