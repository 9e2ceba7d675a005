// Raw protocol tests (embedded only): malformed messages close just that connection, the
// legacy OP_QUERY handshake works, OP_MSG document sequences are accepted.
import * as net from 'net';
import { BSON } from 'bson';
import { itEmbedded, setup, TestEnv } from './helpers';

let env: TestEnv;
let port: number;
beforeAll(async () => {
  env = await setup('wire');
  port = Number(new URL(env.uri).port);
});
afterAll(async () => {
  await env.close();
});

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Send raw bytes; resolve with the first reply or 'closed'. */
function exchange(bytes: Buffer): Promise<Buffer | 'closed'> {
  return connect().then(
    (s) =>
      new Promise((resolve) => {
        let acc = Buffer.alloc(0);
        const timer = setTimeout(() => {
          s.destroy();
          resolve('closed');
        }, 2000);
        s.on('data', (d) => {
          acc = Buffer.concat([acc, d]);
          if (acc.length >= 4 && acc.length >= acc.readInt32LE(0)) {
            clearTimeout(timer);
            s.destroy();
            resolve(acc);
          }
        });
        s.on('close', () => {
          clearTimeout(timer);
          resolve(acc.length ? acc : 'closed');
        });
        s.on('error', () => undefined);
        s.write(bytes);
      }),
  );
}

function header(len: number, op: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(len, 0);
  h.writeInt32LE(7, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(op, 12);
  return h;
}

function opMsg(doc: object, seq?: { id: string; docs: object[] }): Buffer {
  const body = Buffer.from(BSON.serialize(doc));
  const parts: Buffer[] = [Buffer.alloc(4), Buffer.from([0]), body];
  if (seq) {
    const docs = Buffer.concat(seq.docs.map((d) => Buffer.from(BSON.serialize(d))));
    const id = Buffer.from(seq.id + '\0');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.length);
    parts.push(Buffer.from([1]), size, id, docs);
  }
  const payload = Buffer.concat(parts);
  return Buffer.concat([header(16 + payload.length, 2013), payload]);
}

function replyDoc(buf: Buffer): any {
  const op = buf.readInt32LE(12);
  return BSON.deserialize(op === 1 ? buf.subarray(36) : buf.subarray(21));
}

describe('wire protocol', () => {
  itEmbedded('answers the legacy OP_QUERY isMaster handshake with OP_REPLY', async () => {
    const q = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('admin.$cmd\0'),
      Buffer.alloc(4),
      Buffer.from([1, 0, 0, 0]),
      Buffer.from(BSON.serialize({ isMaster: 1, helloOk: true })),
    ]);
    const r = await exchange(Buffer.concat([header(16 + q.length, 2004), q]));
    expect(r).not.toBe('closed');
    const buf = r as Buffer;
    expect(buf.readInt32LE(12)).toBe(1);
    const d = replyDoc(buf);
    expect(d.ismaster).toBe(true);
    expect(d.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(d.setName).toBeDefined();
  });

  itEmbedded('accepts OP_MSG kind 1 document sequences', async () => {
    const r = await exchange(opMsg({ insert: 'seq', $db: 'wiredb' }, { id: 'documents', docs: [{ a: 1 }, { a: 2 }, { a: 3 }] }));
    expect(replyDoc(r as Buffer)).toMatchObject({ n: 3, ok: 1 });
    expect(await env.conn.useDb('wiredb').db!.collection('seq').countDocuments()).toBe(3);
  });

  itEmbedded('refuses a document over 16 MiB as mongod does (code 2, per document), in a sequence or in the body', async () => {
    const big = { _id: 'big', s: 'x'.repeat(16 * 1024 * 1024) };
    const size = BSON.calculateObjectSize(big);
    const expected = { index: 1, code: 2, errmsg: `object to insert too large. size in bytes: ${size}, max size: 16777216` };
    // a document sequence (stored as sent when it fits) and the command body (deserialized)
    const seq = await exchange(
      opMsg({ insert: 'limits', ordered: false, $db: 'wiredb' }, { id: 'documents', docs: [{ _id: 1 }, big, { _id: 2 }] }),
    );
    expect(replyDoc(seq as Buffer)).toMatchObject({ n: 2, ok: 1, writeErrors: [expected] });
    const body = await exchange(opMsg({ insert: 'limits', ordered: false, documents: [{ _id: 3 }, big, { _id: 4 }], $db: 'wiredb' }));
    expect(replyDoc(body as Buffer)).toMatchObject({ n: 2, ok: 1, writeErrors: [expected] });
    const stored = await env.conn
      .useDb('wiredb')
      .db!.collection('limits')
      .find({}, { projection: { _id: 1 } })
      .toArray();
    expect(stored.map((d) => d._id)).toEqual([1, 2, 3, 4]);
  });

  itEmbedded('malformed messages close only that connection; the server keeps serving', async () => {
    const healthy = env.conn.db!.collection('alive');
    await healthy.insertOne({ ok: true });
    // bad length (too small / too large)
    expect(await exchange(header(8, 2013))).toBe('closed');
    expect(await exchange(header(100_000_000, 2013))).toBe('closed');
    // unknown opcode
    expect(await exchange(Buffer.concat([header(20, 9999), Buffer.alloc(4)]))).toBe('closed');
    // bad BSON inside an OP_MSG
    const bad = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), Buffer.from([40, 0, 0, 0, 2, 120, 0, 255, 255, 255, 127, 0])]);
    expect(await exchange(Buffer.concat([header(16 + bad.length, 2013), bad]))).toBe('closed');
    // section size beyond the message
    const sec = Buffer.concat([Buffer.alloc(4), Buffer.from([1]), Buffer.from([255, 255, 0, 0])]);
    expect(await exchange(Buffer.concat([header(16 + sec.length, 2013), sec]))).toBe('closed');
    // a truncated message followed by a close does not hurt either
    const s = await connect();
    s.write(header(1000, 2013));
    s.destroy();
    // the pooled mongoose connection still works, and new connections too
    expect(await healthy.countDocuments()).toBe(1);
    const ok = await exchange(opMsg({ ping: 1, $db: 'admin' }));
    expect(replyDoc(ok as Buffer).ok).toBe(1);
  });

  itEmbedded('unknown commands and bad arguments get MongoDB error documents, not hangs', async () => {
    const r = replyDoc((await exchange(opMsg({ frobnicate: 1, $db: 'x' }))) as Buffer);
    expect(r).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    const r2 = replyDoc((await exchange(opMsg({ find: 'c', filter: { a: { $foo: 1 } }, $db: 'x' }))) as Buffer);
    expect(r2).toMatchObject({ ok: 0, code: 2, codeName: 'BadValue' });
    const r3 = replyDoc((await exchange(opMsg({ getMore: 123456, collection: 'c', $db: 'x' }))) as Buffer);
    expect(r3).toMatchObject({ ok: 0, code: 43 });
  });
});
