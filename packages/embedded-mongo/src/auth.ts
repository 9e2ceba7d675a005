// SCRAM-SHA-256 authentication (RFC 5802 / 7677), the mechanism MongoDB's drivers choose by
// default: when users are configured, every connection must authenticate (saslStart /
// saslContinue, as mongod) before running anything but the handshake. Only the derived keys are
// kept (StoredKey, ServerKey), never the password. SASLprep is approximated by NFKC
// normalisation (identical for ASCII passwords).
import * as crypto from 'crypto';
import { Binary } from 'bson';
import { Codes, MongoError } from './errors';
import type { Any, Doc } from './values';

export interface UserSpec {
  user: string;
  password: string;
  /** authentication database (default admin) */
  db?: string;
}

interface Credential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Per-connection state: who is authenticated, and a conversation in progress. */
export interface ConnAuth {
  user: string | null;
  conversation: { user: string; db: string; clientFirstBare: string; serverFirst: string; nonce: string } | null;
}

const ITERATIONS = 15000; // mongod's scramSHA256IterationCount default

const hmac = (key: Buffer, s: string | Buffer) => crypto.createHmac('sha256', key).update(s).digest();
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest();

export class Users {
  private creds = new Map<string, Credential>();

  constructor(users: UserSpec[]) {
    for (const u of users) {
      if (!u.user || typeof u.password !== 'string' || u.password.length === 0)
        throw new Error('each user needs a user name and a password');
      const salt = crypto.randomBytes(28);
      const salted = crypto.pbkdf2Sync(u.password.normalize('NFKC'), salt, ITERATIONS, 32, 'sha256');
      this.creds.set(`${u.db ?? 'admin'}.${u.user}`, {
        salt,
        iterations: ITERATIONS,
        storedKey: sha256(hmac(salted, 'Client Key')),
        serverKey: hmac(salted, 'Server Key'),
      });
    }
  }

  get size(): number {
    return this.creds.size;
  }

  /** hello's saslSupportedMechs for "db.user" (what the driver asks to pick a mechanism). */
  mechanismsFor(dbUser: unknown): string[] | undefined {
    return typeof dbUser === 'string' && this.creds.has(dbUser) ? ['SCRAM-SHA-256'] : undefined;
  }

  saslStart(state: ConnAuth, db: string, cmd: Doc): Doc {
    if (cmd.mechanism !== 'SCRAM-SHA-256')
      throw new MongoError(
        Codes.MechanismUnavailable,
        `Received authentication for mechanism ${String(cmd.mechanism)} which is not enabled`,
      );
    const msg = payloadText(cmd.payload);
    // client-first: gs2 header "n,," then "n=<user>,r=<nonce>"
    const m = /^n,(?:a=[^,]*)?,(n=([^,]*),r=([^,]+).*)$/.exec(msg);
    if (!m) throw authFailed();
    const user = m[2].replace(/=2C/g, ',').replace(/=3D/g, '=');
    const cred = this.creds.get(`${db}.${user}`);
    const nonce = m[3] + crypto.randomBytes(24).toString('base64');
    // unknown users get a conversation too (with a random salt) so that names cannot be probed
    const salt = cred ? cred.salt : crypto.randomBytes(28);
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${cred ? cred.iterations : ITERATIONS}`;
    state.conversation = { user, db, clientFirstBare: m[1], serverFirst, nonce };
    return { conversationId: 1, done: false, payload: new Binary(Buffer.from(serverFirst)), ok: 1 };
  }

  saslContinue(state: ConnAuth, cmd: Doc): Doc {
    const conv = state.conversation;
    state.conversation = null;
    if (!conv) throw new MongoError(Codes.ProtocolError, 'No SASL session state found');
    const msg = payloadText(cmd.payload);
    const m = /^(c=[^,]*,r=([^,]*)(?:,[^p][^,]*)*),p=([^,]+)$/.exec(msg);
    const cred = this.creds.get(`${conv.db}.${conv.user}`);
    if (!m || m[2] !== conv.nonce || !cred) throw authFailed();
    const authMessage = `${conv.clientFirstBare},${conv.serverFirst},${m[1]}`;
    const proof = Buffer.from(m[3], 'base64');
    const signature = hmac(cred.storedKey, authMessage);
    if (proof.length !== signature.length) throw authFailed();
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ signature[i];
    if (!crypto.timingSafeEqual(sha256(clientKey), cred.storedKey)) throw authFailed();
    state.user = `${conv.db}.${conv.user}`;
    const v = hmac(cred.serverKey, authMessage).toString('base64');
    return { conversationId: 1, done: true, payload: new Binary(Buffer.from(`v=${v}`)), ok: 1 };
  }
}

function payloadText(p: Any): string {
  if (p instanceof Binary) return Buffer.from(p.buffer.subarray(0, p.position)).toString('utf8');
  if (typeof p === 'string') return p;
  if (p instanceof Uint8Array) return Buffer.from(p).toString('utf8');
  throw new MongoError(Codes.BadValue, 'SASL payload must be binary');
}

const authFailed = () => new MongoError(Codes.AuthenticationFailed, 'Authentication failed.');

/** Commands an unauthenticated connection may run (the handshake and authentication itself). */
export const NO_AUTH_NEEDED = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'saslStart',
  'saslContinue',
  'ping',
  'buildInfo',
  'buildinfo',
  'logout',
  'endSessions',
]);
