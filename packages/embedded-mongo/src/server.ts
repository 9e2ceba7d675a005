// TCP server: frames messages per connection, processes them strictly in order, and writes
// the replies. A malformed message (bad length, bad BSON, unknown opcode) closes only that
// connection. Awaitable hello (topologyVersion + maxAwaitTimeMS, exhaustAllowed) is answered
// the way mongod does: every maxAwaitTimeMS with moreToCome set, so the driver's streaming
// monitor neither times out nor spins.
import * as net from 'net';
import { ObjectId } from 'bson';
import type { ConnAuth, Users } from './auth';
import { dispatch } from './commands';
import { helloReply } from './commands/admin';
import type { Ctx, ServerInfo } from './commands/context';
import { Cursors } from './cursors';
import { Engine } from './storage';
import { Sessions } from './transactions';
import { Doc, isPlainObject } from './values';
import {
  encodeOpMsg,
  encodeOpReply,
  FLAG_EXHAUST_ALLOWED,
  FLAG_MORE_TO_COME,
  MAX_MESSAGE_SIZE,
  OP_QUERY,
  parseMessage,
  ProtocolError,
  Request,
} from './wire';

interface Conn {
  id: number;
  socket: net.Socket;
  chunks: Buffer[];
  buffered: number;
  queue: Promise<void>;
  timer: NodeJS.Timeout | null;
  closed: boolean;
  auth: ConnAuth;
}

export class EmbeddedServer {
  readonly engine: Engine;
  readonly cursors = new Cursors();
  readonly sessions: Sessions;
  readonly info: ServerInfo;
  private server: net.Server | null = null;
  private conns = new Set<Conn>();
  private nextConnId = 1;

  private ttlTimer: NodeJS.Timeout | null = null;
  private txnReaper: NodeJS.Timeout | null = null;
  private readonly bindHost: string;

  constructor(engine: Engine, opts: { dbPath?: string; ttlMonitorSleepSecs?: number; users?: Users | null; host?: string } = {}) {
    const { dbPath, ttlMonitorSleepSecs = 60 } = opts;
    this.engine = engine;
    this.sessions = new Sessions(engine);
    this.bindHost = opts.host ?? '127.0.0.1';
    this.info = {
      users: opts.users ?? null,
      ttl: { sleepSecs: ttlMonitorSleepSecs, passes: 0, deletedDocuments: 0, reschedule: () => this.scheduleTtl() },
      transactionLifetimeLimitSeconds: 60,
      host: '127.0.0.1:0',
      port: 0,
      setName: 'rs0',
      processId: new ObjectId(),
      startedAt: Date.now(),
      dbPath,
      connections: { current: 0, totalCreated: 0 },
      opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
      commands: new Map(),
    };
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer((s) => this.onConnection(s));
      srv.once('error', reject);
      srv.listen(port, this.bindHost, () => {
        srv.off('error', reject);
        const p = (srv.address() as net.AddressInfo).port;
        this.info.port = p;
        this.info.host = `${this.bindHost.includes(':') ? `[${this.bindHost}]` : this.bindHost}:${p}`;
        this.server = srv;
        this.scheduleTtl();
        // As mongod's periodic job does: transactions older than the limit are aborted (checked every second).
        this.txnReaper = setInterval(
          () => this.engine.abortExpiredTxns(Date.now(), this.info.transactionLifetimeLimitSeconds * 1000),
          1000,
        );
        this.txnReaper.unref();
        resolve(p);
      });
    });
  }

  /** The TTL monitor runs every ttlMonitorSleepSecs, between commands (never inside one). */
  private scheduleTtl(): void {
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    this.ttlTimer = null;
    if (!this.server) return;
    this.ttlTimer = setInterval(() => void this.ttlPass(), Math.max(1, this.info.ttl.sleepSecs) * 1000);
    this.ttlTimer.unref();
  }

  private async ttlPass(): Promise<void> {
    const n = this.engine.expireTtl(Date.now());
    this.info.ttl.passes++;
    this.info.ttl.deletedDocuments += n;
    await this.engine.flushOps()?.catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    if (this.txnReaper) clearInterval(this.txnReaper);
    this.ttlTimer = this.txnReaper = null;
    const srv = this.server;
    this.server = null;
    const closed = srv ? new Promise<void>((r) => srv.close(() => r())) : Promise.resolve();
    for (const c of this.conns) this.closeConn(c);
    // let in-flight commands finish (their journal writes included) before closing storage
    await Promise.all([...this.conns].map((c) => c.queue.catch(() => undefined)));
    await closed;
    this.sessions.endAll();
    await this.engine.close();
  }

  private onConnection(socket: net.Socket): void {
    if (!this.server) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const conn: Conn = {
      id: this.nextConnId++,
      socket,
      chunks: [],
      buffered: 0,
      queue: Promise.resolve(),
      timer: null,
      closed: false,
      auth: { user: null, conversation: null },
    };
    this.conns.add(conn);
    this.info.connections.current++;
    this.info.connections.totalCreated++;
    socket.on('data', (d) => this.onData(conn, d));
    socket.on('error', () => this.closeConn(conn));
    socket.on('close', () => {
      this.closeConn(conn);
      this.conns.delete(conn);
    });
  }

  private closeConn(conn: Conn): void {
    if (conn.timer) clearTimeout(conn.timer);
    conn.timer = null;
    if (!conn.closed) {
      conn.closed = true;
      this.info.connections.current--;
    }
    conn.socket.destroy();
  }

  private onData(conn: Conn, data: Buffer): void {
    if (conn.closed) return;
    conn.chunks.push(data);
    conn.buffered += data.length;
    while (conn.buffered >= 4) {
      let buf = conn.chunks.length === 1 ? conn.chunks[0] : Buffer.concat(conn.chunks);
      conn.chunks = [buf];
      const len = buf.readInt32LE(0);
      if (len < 16 || len > MAX_MESSAGE_SIZE) return this.closeConn(conn);
      if (buf.length < len) return;
      const msg = buf.subarray(0, len);
      buf = buf.subarray(len);
      conn.chunks = buf.length ? [buf] : [];
      conn.buffered = buf.length;
      let req: Request;
      try {
        req = parseMessage(msg);
      } catch (e) {
        if (e instanceof ProtocolError || e instanceof RangeError) return this.closeConn(conn);
        return this.closeConn(conn);
      }
      conn.queue = conn.queue.then(() => this.handle(conn, req)).catch(() => this.closeConn(conn));
    }
  }

  private ctxFor(conn: Conn, req: Request): Omit<Ctx, 'txn'> {
    return {
      engine: this.engine,
      cursors: this.cursors,
      sessions: this.sessions,
      server: this.info,
      db: req.db,
      cmd: req.command,
      connectionId: conn.id,
      auth: conn.auth,
      remote: `${conn.socket.remoteAddress}:${conn.socket.remotePort}`,
    };
  }

  private async handle(conn: Conn, req: Request): Promise<void> {
    if (conn.closed) return;
    const cmd = req.command;
    const name = Object.keys(cmd)[0];
    const isHello = name === 'hello' || name === 'isMaster' || name === 'ismaster';
    if (req.opCode === OP_QUERY) {
      const reply = isHello
        ? helloReply({ ...this.ctxFor(conn, req), txn: null }, name !== 'hello')
        : await dispatch(this.ctxFor(conn, req));
      this.info.opcounters.command += isHello ? 1 : 0;
      conn.socket.write(encodeOpReply(req.requestID, reply));
      return;
    }
    if (isHello && isPlainObject(cmd.topologyVersion) && cmd.maxAwaitTimeMS !== undefined) {
      this.awaitableHello(conn, req);
      return;
    }
    const reply = await dispatch(this.ctxFor(conn, req));
    if (conn.closed || req.flags & FLAG_MORE_TO_COME) return; // w:0 — client wants no reply
    let out: Buffer;
    try {
      out = encodeOpMsg(req.requestID, reply).buf;
    } catch (e) {
      // e.g. a reply over the BSON size limit: answer with an error instead of dropping the connection
      out = encodeOpMsg(req.requestID, {
        ok: 0,
        errmsg: `cannot encode reply: ${(e as Error).message}`,
        code: 10334,
        codeName: 'BSONObjectTooLarge',
      }).buf;
    }
    conn.socket.write(out);
  }

  /**
   * Our topology never changes, so an awaitable hello is answered after maxAwaitTimeMS. With
   * exhaustAllowed the reply carries moreToCome and we keep streaming one per period.
   */
  private awaitableHello(conn: Conn, req: Request): void {
    const cmd = req.command;
    const wait = Math.max(0, Math.min(Number(cmd.maxAwaitTimeMS) || 0, 60_000));
    const exhaust = (req.flags & FLAG_EXHAUST_ALLOWED) !== 0;
    const sameProcess = cmd.topologyVersion.processId?.toHexString?.() === this.info.processId.toHexString();
    let responseTo = req.requestID;
    const send = () => {
      conn.timer = null;
      if (conn.closed) return;
      this.info.opcounters.command++;
      const reply: Doc = helloReply({ ...this.ctxFor(conn, req), txn: null }, cmd.hello === undefined);
      const { buf, requestID } = encodeOpMsg(responseTo, reply, exhaust ? FLAG_MORE_TO_COME : 0);
      conn.socket.write(buf);
      responseTo = requestID;
      if (exhaust) conn.timer = setTimeout(send, wait);
    };
    conn.timer = setTimeout(send, sameProcess ? wait : 0);
  }
}
