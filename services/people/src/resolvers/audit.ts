import type { ClientSession } from 'mongoose';
import type { Context } from '../context';
import type { MemberDoc, VolunteerDoc } from '../models';

/**
 * Runs a change in one transaction: the records and their audit entries are written together,
 * or none of them (a refusal anywhere rolls everything back). The driver retries the whole
 * function on a transient write conflict, so rules are checked again on fresh records.
 */
export function transaction<T>(ctx: Context, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  return ctx.models.Member.db.transaction(fn);
}

/**
 * A member or volunteer as the audit log keeps it: identity number and phone only in their
 * masked form, never the cipher or the keyed hash (admins read the log through the graph).
 */
export function auditedPerson<T extends MemberDoc | VolunteerDoc>(doc: T) {
  const { idNumberHash: _hash, idNumberCipher: _cipher, phoneCipher: _phone, ...rest } = doc;
  return rest;
}
