// MongoDB-shaped errors. Command handlers throw MongoError; the dispatcher turns it into
// { ok: 0, errmsg, code, codeName, ... } exactly as a real server would, so the driver and
// mongoose classify them the same way (e.g. 11000 -> duplicate key, 112 + label -> retry).

export const Codes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  ConflictingUpdateOperators: 40,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  NoSuchTransaction: 251,
  SnapshotUnavailable: 246,
  SnapshotTooOld: 239,
  UnsatisfiableWriteConcern: 100,
  UnknownReplWriteConcern: 79,
  InvalidIdField: 53,
  TransactionCommitted: 256,
  OperationNotSupportedInTransaction: 263,
  ImmutableField: 66,
  DollarPrefixedFieldName: 52,
  Location40352: 40352,
  Unauthorized: 13,
  AuthenticationFailed: 18,
  ProtocolError: 17,
  MechanismUnavailable: 334,
  NotImplemented: 238,
  DuplicateKey: 11000,
  Location16755: 16755,
} as const;

const codeNames: Record<number, string> = {};
for (const [k, v] of Object.entries(Codes)) codeNames[v] = k;

export class MongoError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra top-level fields for the reply (keyPattern, keyValue, errorLabels...). */
  readonly extra: Record<string, unknown>;
  constructor(code: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.codeName = codeNames[code] ?? 'Location' + code;
    this.extra = extra;
  }
  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
  /** The shape used inside writeErrors[] of insert/update/delete replies. */
  toWriteError(index: number): Record<string, unknown> {
    const { errorLabels: _l, ...rest } = this.extra;
    return { index, code: this.code, errmsg: this.message, ...rest };
  }
}

export const badValue = (msg: string) => new MongoError(Codes.BadValue, msg);

/** mongod's limit for a stored document (BSONObjMaxUserSize), announced as maxBsonObjectSize. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** A document to store must fit mongod's limit: refused with mongod's code and words, per write. */
export function checkDocumentSize(bytes: number, write: 'insert' | 'update'): void {
  if (bytes <= MAX_DOCUMENT_BYTES) return;
  throw write === 'insert'
    ? new MongoError(Codes.BadValue, `object to insert too large. size in bytes: ${bytes}, max size: ${MAX_DOCUMENT_BYTES}`)
    : new MongoError(17419, `Resulting document after update is larger than ${MAX_DOCUMENT_BYTES}`);
}

/** Errors thrown by mingo (unknown operators, invalid expressions) surface as BadValue. */
export function toMongoError(e: unknown): MongoError {
  if (e instanceof MongoError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new MongoError(Codes.BadValue, msg);
}

export function writeConflict(): MongoError {
  return new MongoError(
    Codes.WriteConflict,
    'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
    { errorLabels: ['TransientTransactionError'] },
  );
}
