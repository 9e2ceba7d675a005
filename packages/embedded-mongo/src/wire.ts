// MongoDB wire protocol framing: OP_MSG (kind 0 body + kind 1 document sequences) and the
// legacy OP_QUERY that drivers use for the very first handshake, plus the matching replies.
// Anything we cannot parse throws ProtocolError; the server then drops that one connection.
import { BSON } from 'bson';
import { isPlainBson } from './plain-bson';
import type { Doc } from './values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const MAX_MESSAGE_SIZE = 48_000_000;

export const FLAG_CHECKSUM = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;
export const FLAG_EXHAUST_ALLOWED = 1 << 16;

export class ProtocolError extends Error {}

export interface Request {
  requestID: number;
  opCode: number;
  flags: number;
  /**
   * command document with document sequences merged in (documents/updates/deletes arrays); an
   * insert's `documents` sequence keeps each plain document as its bytes (a Buffer view, see
   * plain-bson.ts), the rest deserialized
   */
  command: Doc;
  /** database the command targets ($db for OP_MSG, the collection prefix for OP_QUERY) */
  db: string;
}

// Documents are deserialized once into plain JS objects; small int64 become numbers (what the
// driver does too), so values compare naturally in mingo and our indexes.
const DESER_OPTS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

export function deserialize(buf: Uint8Array, start: number, end: number): Doc {
  if (end - start < 5) throw new ProtocolError('truncated BSON');
  const len = buf[start] | (buf[start + 1] << 8) | (buf[start + 2] << 16) | (buf[start + 3] << 24);
  if (len < 5 || start + len > end) throw new ProtocolError('bad BSON length');
  try {
    return BSON.deserialize(buf.subarray(start, start + len), DESER_OPTS);
  } catch (e) {
    throw new ProtocolError('invalid BSON: ' + (e as Error).message);
  }
}

function readCString(buf: Buffer, pos: number, end: number): [string, number] {
  const z = buf.indexOf(0, pos);
  if (z < 0 || z >= end) throw new ProtocolError('unterminated cstring');
  return [buf.toString('utf8', pos, z), z + 1];
}

/** Parse one complete message (buf holds exactly messageLength bytes). */
export function parseMessage(buf: Buffer): Request {
  const requestID = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  const end = buf.length;
  if (opCode === OP_MSG) {
    const flags = buf.readUInt32LE(16);
    // unknown required flag bits (0-15) must make the message invalid
    if (flags & 0xfffc) throw new ProtocolError('unsupported OP_MSG flags');
    const bodyEnd = flags & FLAG_CHECKSUM ? end - 4 : end;
    let pos = 20;
    let body: Doc | null = null;
    const seqs: Array<[string, Array<Doc | Buffer>]> = [];
    while (pos < bodyEnd) {
      const kind = buf[pos++];
      if (kind === 0) {
        if (body) throw new ProtocolError('two kind 0 sections');
        const len = buf.readInt32LE(pos);
        body = deserialize(buf, pos, bodyEnd);
        pos += len;
      } else if (kind === 1) {
        if (pos + 4 > bodyEnd) throw new ProtocolError('truncated section');
        const size = buf.readInt32LE(pos);
        const secEnd = pos + size;
        if (size < 5 || secEnd > bodyEnd) throw new ProtocolError('bad section size');
        const [ident, p0] = readCString(buf, pos + 4, secEnd);
        let p = p0;
        const keepBytes = ident === 'documents';
        const docs: Array<Doc | Buffer> = [];
        while (p < secEnd) {
          const len = buf.readInt32LE(p);
          docs.push(keepBytes && isPlainBson(buf, p, secEnd) ? buf.subarray(p, p + len) : deserialize(buf, p, secEnd));
          p += len;
        }
        seqs.push([ident, docs]);
        pos = secEnd;
      } else throw new ProtocolError('unknown section kind ' + kind);
    }
    if (!body) throw new ProtocolError('OP_MSG without body');
    const insert = Object.keys(body)[0] === 'insert';
    for (const [ident, docs] of seqs) body[ident] = insert ? docs : docs.map((d) => (Buffer.isBuffer(d) ? deserialize(d, 0, d.length) : d));
    const db = typeof body.$db === 'string' ? body.$db : 'admin';
    return { requestID, opCode, flags, command: body, db };
  }
  if (opCode === OP_QUERY) {
    const flags = buf.readInt32LE(16);
    const [fullName, p] = readCString(buf, 20, end);
    const pos = p + 8; // numberToSkip, numberToReturn
    let query = deserialize(buf, pos, end);
    // legacy wrapped form { $query: {...}, $readPreference: ... }
    if (query.$query && typeof query.$query === 'object') query = query.$query;
    const db = fullName.split('.')[0] || 'admin';
    return { requestID, opCode, flags, command: query, db };
  }
  throw new ProtocolError('unsupported opCode ' + opCode);
}

let nextRequestId = 1;

export function encodeOpMsg(responseTo: number, doc: Doc, flags = 0): { buf: Buffer; requestID: number } {
  const body = BSON.serialize(doc);
  const buf = Buffer.allocUnsafe(21 + body.length);
  const requestID = nextRequestId++ & 0x7fffffff;
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(requestID, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(OP_MSG, 12);
  buf.writeUInt32LE(flags, 16);
  buf[20] = 0;
  buf.set(body, 21);
  return { buf, requestID };
}

export function encodeOpReply(responseTo: number, doc: Doc): Buffer {
  const body = BSON.serialize(doc);
  const buf = Buffer.allocUnsafe(36 + body.length);
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(OP_REPLY, 12);
  buf.writeInt32LE(0, 16); // responseFlags
  buf.writeBigInt64LE(0n, 20); // cursorID
  buf.writeInt32LE(0, 28); // startingFrom
  buf.writeInt32LE(1, 32); // numberReturned
  buf.set(body, 36);
  return buf;
}
