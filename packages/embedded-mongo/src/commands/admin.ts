// Handshake, diagnostics, namespaces, sessions and transaction commands.
import * as os from 'os';
import { Long, ObjectId, Timestamp, UUID } from 'bson';
import { Query } from 'mingo';
import { Codes, MAX_DOCUMENT_BYTES, MongoError, toMongoError } from '../errors';
import { ID_INDEX } from '../query';
import { Doc, isPlainObject } from '../values';
import { collName, Ctx, Handler, notInTxn, ServerInfo } from './context';

export const MAX_WIRE_VERSION = 21; // MongoDB 7.0
const VERSION = '7.0.0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

/** Present as the primary of a single-node replica set: drivers then allow transactions. */
export function helloReply(ctx: Ctx, legacy: boolean): Doc {
  const s = ctx.server;
  const now = new Date();
  const ts = new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 });
  const reply: Doc = {
    topologyVersion: { processId: s.processId, counter: Long.fromNumber(0) },
    hosts: [s.host],
    setName: s.setName,
    setVersion: 1,
    electionId: ELECTION_ID,
    primary: s.host,
    me: s.host,
    secondary: false,
    maxBsonObjectSize: MAX_DOCUMENT_BYTES,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    lastWrite: {
      opTime: { ts, t: Long.fromNumber(1) },
      lastWriteDate: now,
      majorityOpTime: { ts, t: Long.fromNumber(1) },
      majorityWriteDate: now,
    },
    ok: 1,
  };
  if (legacy) reply.ismaster = true;
  else reply.isWritablePrimary = true;
  if (ctx.cmd.helloOk === true) reply.helloOk = true;
  const mechs = s.users?.mechanismsFor(ctx.cmd.saslSupportedMechs);
  if (mechs) reply.saslSupportedMechs = mechs;
  return reply;
}

const hello: Handler = (ctx) => helloReply(ctx, false);
const isMaster: Handler = (ctx) => helloReply(ctx, true);

const buildInfo: Handler = () => ({
  version: VERSION,
  gitVersion: 'embedded-mongo',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_DOCUMENT_BYTES,
  storageEngines: ['embedded'],
  modules: [],
  javascriptEngine: 'none',
  openssl: { running: 'disabled' },
  ok: 1,
});

const PARAMS: Doc = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: ['SCRAM-SHA-256'],
  maxTransactionLockRequestTimeoutMillis: 5,
};

const getParameter: Handler = (ctx) => {
  const out: Doc = {};
  const all = ctx.cmd.getParameter === '*' || (isPlainObject(ctx.cmd.getParameter) && ctx.cmd.getParameter.allParameters);
  const params: Doc = {
    ...PARAMS,
    ttlMonitorSleepSecs: ctx.server.ttl.sleepSecs,
    transactionLifetimeLimitSeconds: ctx.server.transactionLifetimeLimitSeconds,
  };
  for (const [k, v] of Object.entries(params)) if (all || k in ctx.cmd) out[k] = v;
  if (!all && Object.keys(out).length === 0) throw new MongoError(Codes.InvalidOptions, 'no option found to get');
  return { ...out, ok: 1 };
};

/** The parameters setParameter can change (others are refused, never ignored): a positive integer each. */
const SETTABLE: Record<string, { get: (s: ServerInfo) => number; set: (s: ServerInfo, v: number) => void }> = {
  ttlMonitorSleepSecs: {
    get: (s) => s.ttl.sleepSecs,
    set: (s, v) => {
      s.ttl.sleepSecs = v;
      s.ttl.reschedule();
    },
  },
  transactionLifetimeLimitSeconds: {
    get: (s) => s.transactionLifetimeLimitSeconds,
    set: (s, v) => {
      s.transactionLifetimeLimitSeconds = v;
    },
  },
};

/** setParameter: one of SETTABLE. */
const setParameter: Handler = (ctx) => {
  if (ctx.db !== 'admin') throw new MongoError(Codes.Unauthorized, 'setParameter may only be run against the admin database.');
  const names = Object.keys(ctx.cmd).filter((k) => k !== 'setParameter' && !GENERIC_FIELDS.has(k));
  if (names.length === 0) throw new MongoError(Codes.BadValue, 'no option found to set, use help:true to see options ');
  const out: Doc = {};
  for (const k of names) {
    const param = Object.hasOwn(SETTABLE, k) ? SETTABLE[k] : undefined;
    if (!param) throw new MongoError(Codes.NotImplemented, `setParameter ${k} is not supported by embedded-mongo`);
    const v = Number(ctx.cmd[k]);
    if (!Number.isInteger(v) || v < 1) throw new MongoError(Codes.BadValue, `${k} must be a positive integer`);
    out.was = param.get(ctx.server);
    param.set(ctx.server, v);
  }
  return { ...out, ok: 1 };
};

/** Fields the driver adds to any command. */
export const GENERIC_FIELDS = new Set([
  'lsid',
  '$db',
  'writeConcern',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'comment',
  'readConcern',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

const getCmdLineOpts: Handler = (ctx) => ({
  argv: ['embedded-mongo', '--port', String(ctx.server.port), ...(ctx.server.dbPath ? ['--dbpath', ctx.server.dbPath] : [])],
  parsed: {
    net: { port: ctx.server.port, bindIp: '127.0.0.1' },
    storage: ctx.server.dbPath ? { dbPath: ctx.server.dbPath } : {},
    replication: { replSet: ctx.server.setName },
  },
  ok: 1,
});

const hostInfo: Handler = () => ({
  system: {
    currentTime: new Date(),
    hostname: os.hostname(),
    cpuAddrSize: 64,
    memSizeMB: Math.round(os.totalmem() / 1048576),
    numCores: os.cpus().length,
    cpuArch: os.arch(),
    numaEnabled: false,
  },
  os: { type: os.type(), name: os.type(), version: os.release() },
  extra: {},
  ok: 1,
});

const serverStatus: Handler = (ctx) => {
  const mem = process.memoryUsage();
  const s = ctx.server;
  return {
    host: os.hostname(),
    version: VERSION,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor((Date.now() - s.startedAt) / 1000),
    uptimeMillis: Long.fromNumber(Date.now() - s.startedAt),
    localTime: new Date(),
    connections: {
      current: s.connections.current,
      available: 1000,
      totalCreated: s.connections.totalCreated,
      active: s.connections.current,
    },
    opcounters: { ...s.opcounters },
    mem: { bits: 64, resident: Math.round(mem.rss / 1048576), virtual: Math.round(mem.rss / 1048576), supported: true },
    repl: { setName: s.setName, isWritablePrimary: true, secondary: false, hosts: [s.host], primary: s.host, me: s.host },
    storageEngine: {
      name: 'embedded',
      supportsCommittedReads: true,
      persistent: !!s.dbPath,
      // how this start read its data directory: how long, and whether the indexes came from a clean stop's image
      ...(ctx.engine.recovery
        ? {
            recovery: {
              millis: Long.fromNumber(ctx.engine.recovery.millis),
              indexes: ctx.engine.recovery.indexes,
              journalBytes: Long.fromNumber(ctx.engine.recovery.journalBytes),
            },
          }
        : {}),
    },
    metrics: {
      cursor: { open: { total: ctx.cursors.size } },
      commands: Object.fromEntries(
        [...s.commands].map(([name, c]) => [name, { failed: Long.fromNumber(c.failed), total: Long.fromNumber(c.total) }]),
      ),
      // Transactions aborted by a write conflict (mongod: metrics.operation.writeConflicts).
      operation: { writeConflicts: Long.fromNumber(ctx.engine.writeConflicts) },
      ttl: { deletedDocuments: Long.fromNumber(s.ttl.deletedDocuments), passes: Long.fromNumber(s.ttl.passes) },
    },
    logicalSessionRecordCache: { activeSessionsCount: ctx.sessions.size },
    ok: 1,
  };
};

const ok: Handler = () => ({ ok: 1 });

const listDatabases: Handler = (ctx) => {
  let dbs = [...ctx.engine.dbs.entries()].map(([name, colls]) => {
    let objects = 0;
    for (const c of colls.values()) objects += c.docs.size;
    return { name, sizeOnDisk: objects * 512, empty: objects === 0 };
  });
  if (isPlainObject(ctx.cmd.filter) && Object.keys(ctx.cmd.filter).length) {
    const q = safeQuery(ctx.cmd.filter);
    dbs = dbs.filter((d) => q.test(d));
  }
  if (ctx.cmd.nameOnly) return { databases: dbs.map((d) => ({ name: d.name })), ok: 1 };
  return { databases: dbs, totalSize: dbs.reduce((a, d) => a + d.sizeOnDisk, 0), totalSizeMb: 0, ok: 1 };
};

function safeQuery(filter: Doc): Query {
  try {
    return new Query(filter, {});
  } catch (e) {
    throw toMongoError(e);
  }
}

const listCollections: Handler = (ctx) => {
  notInTxn(ctx, 'listCollections');
  const colls = ctx.engine.dbs.get(ctx.db);
  let infos: Doc[] = colls
    ? [...colls.values()].map((c) => ({
        name: c.name,
        type: 'collection',
        options: { ...c.options },
        info: { readOnly: false },
        idIndex: { ...ID_INDEX },
      }))
    : [];
  if (isPlainObject(ctx.cmd.filter) && Object.keys(ctx.cmd.filter).length) {
    const q = safeQuery(ctx.cmd.filter);
    infos = infos.filter((i) => q.test(i));
  }
  if (ctx.cmd.nameOnly) infos = infos.map((i) => ({ name: i.name, type: i.type }));
  return ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, infos, ctx.cmd.cursor?.batchSize);
};

const create: Handler = (ctx) => {
  const name = collName(ctx, 'create');
  const {
    create: _c,
    lsid: _l,
    $db: _d,
    writeConcern: _w,
    txnNumber: _t,
    autocommit: _a,
    startTransaction: _s,
    $clusterTime: _ct,
    $readPreference: _rp,
    comment: _cm,
    ...options
  } = ctx.cmd;
  if (options.viewOn !== undefined) throw new MongoError(Codes.NotImplemented, 'views are not supported by embedded-mongo');
  if (options.capped) throw new MongoError(Codes.NotImplemented, 'capped collections are not supported by embedded-mongo');
  if (options.timeseries) throw new MongoError(Codes.NotImplemented, 'time-series collections are not supported by embedded-mongo');
  if (options.validator) throw new MongoError(Codes.NotImplemented, 'collection validators are not supported by embedded-mongo');
  if (options.collation && options.collation.locale !== 'simple')
    throw new MongoError(
      Codes.NotImplemented,
      'a default collation for a collection is not supported by embedded-mongo (give it per query)',
    );
  if (options.clusteredIndex) throw new MongoError(Codes.NotImplemented, 'clustered collections are not supported by embedded-mongo');
  ctx.engine.createCollectionFor(ctx.txn, ctx.db, name, options);
  return { ok: 1 };
};

const drop: Handler = (ctx) => {
  notInTxn(ctx, 'drop');
  const name = collName(ctx, 'drop');
  const c = ctx.engine.getCollection(ctx.db, name);
  const nIndexesWas = c ? c.indexes.length + 1 : 0;
  ctx.engine.dropCollection(ctx.db, name);
  return c ? { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 } : { ok: 1 };
};

const dropDatabase: Handler = (ctx) => {
  notInTxn(ctx, 'dropDatabase');
  ctx.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const renameCollection: Handler = (ctx) => {
  const from = String(ctx.cmd.renameCollection);
  const to = String(ctx.cmd.to);
  const [fdb, ...fr] = from.split('.');
  const [tdb, ...tr] = to.split('.');
  const c = ctx.engine.getCollection(fdb, fr.join('.'));
  if (!c) throw new MongoError(Codes.NamespaceNotFound, 'source namespace does not exist');
  ctx.engine.renameCollection(c, tdb, tr.join('.'), ctx.cmd.dropTarget === true);
  return { ok: 1 };
};

const dbStats: Handler = (ctx) => {
  const colls = ctx.engine.dbs.get(ctx.db);
  let objects = 0;
  let indexes = 0;
  for (const c of colls?.values() ?? []) {
    objects += c.docs.size;
    indexes += c.indexes.length + 1;
  }
  return {
    db: ctx.db,
    collections: colls?.size ?? 0,
    views: 0,
    objects,
    avgObjSize: 0,
    dataSize: objects * 512,
    storageSize: objects * 512,
    indexes,
    indexSize: 0,
    scaleFactor: 1,
    ok: 1,
  };
};

const endSessions: Handler = (ctx) => {
  const ids = Array.isArray(ctx.cmd.endSessions) ? ctx.cmd.endSessions : [];
  for (const lsid of ids) ctx.sessions.end(lsid);
  return { ok: 1 };
};

const killAllSessions: Handler = (ctx) => {
  ctx.sessions.endAll();
  return { ok: 1 };
};

const killSessions: Handler = (ctx) => {
  for (const lsid of Array.isArray(ctx.cmd.killSessions) ? ctx.cmd.killSessions : []) ctx.sessions.end(lsid);
  return { ok: 1 };
};

const startSession: Handler = () => ({ id: { id: new UUID() }, timeoutMinutes: 30, ok: 1 });

const commitTransaction: Handler = (ctx) => {
  if (!ctx.txn)
    throw new MongoError(Codes.NoSuchTransaction, 'Given transaction number does not match any in-progress transactions.', {
      errorLabels: ['TransientTransactionError'],
    });
  ctx.engine.commitTxn(ctx.txn);
  return { ok: 1 };
};

const abortTransaction: Handler = (ctx) => {
  if (!ctx.txn)
    throw new MongoError(Codes.NoSuchTransaction, 'Given transaction number does not match any in-progress transactions.', {
      errorLabels: ['TransientTransactionError'],
    });
  ctx.engine.abortTxn(ctx.txn);
  return { ok: 1 };
};

const whatsmyuri: Handler = (ctx) => ({ you: ctx.remote, ok: 1 });
const getLog: Handler = () => ({ totalLinesWritten: 0, log: [], ok: 1 });

const noUsers = () =>
  new MongoError(
    Codes.AuthenticationFailed,
    'Authentication failed: embedded-mongo was started without users (connect without credentials)',
  );

const saslStart: Handler = (ctx) => {
  if (!ctx.server.users) throw noUsers();
  return ctx.server.users.saslStart(ctx.auth, ctx.db, ctx.cmd);
};

const saslContinue: Handler = (ctx) => {
  if (!ctx.server.users) throw noUsers();
  return ctx.server.users.saslContinue(ctx.auth, ctx.cmd);
};

const authenticate: Handler = () => {
  throw new MongoError(Codes.MechanismUnavailable, 'Only SCRAM-SHA-256 (saslStart) is supported by embedded-mongo');
};

const logout: Handler = (ctx) => {
  ctx.auth.user = null;
  return { ok: 1 };
};

const connectionStatus: Handler = (ctx) => {
  const [db, ...u] = (ctx.auth.user ?? '').split('.');
  const users = ctx.auth.user ? [{ user: u.join('.'), db }] : [];
  return { authInfo: { authenticatedUsers: users, authenticatedUserRoles: users.length ? [{ role: 'root', db: 'admin' }] : [] }, ok: 1 };
};

export const adminCommands: Record<string, Handler> = {
  hello,
  isMaster,
  ismaster: isMaster,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  setParameter,
  getCmdLineOpts,
  hostInfo,
  serverStatus,
  listDatabases,
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  dbStats,
  endSessions,
  killAllSessions,
  killSessions,
  refreshSessions: ok,
  startSession,
  commitTransaction,
  abortTransaction,
  connectionStatus,
  whatsmyuri,
  getLog,
  saslStart,
  saslContinue,
  authenticate,
  logout,
};
