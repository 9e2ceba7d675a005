// The one mutation pipeline of people (service-kit's mutationPipeline): every change is checked
// by ctx.access, written in one transaction with its audit entry (personal data masked) and its
// move of the annex counters.
import { Types, type ClientSession, type Model } from 'mongoose';
import type { z } from 'zod';
import type { BranchInfo } from '@rcsc/directory';
import {
  auditable,
  isDuplicateKey,
  mutationPipeline,
  type AuditInput,
  type Change,
  type MutationRule,
  type OwnedRecord,
  type Viewer,
} from '@rcsc/service-kit';
import type { Context } from './context';
import { moveCounters, stateOf } from './counters';
import { COUNTED_HOURS, type MemberDoc, type VolunteerDoc } from './models';

const AUDIT_SERVICE = 'people';

/**
 * A member or volunteer as the audit log keeps it: identity number and phone only in their
 * masked form, never the cipher or the keyed hash (admins read the log through the graph).
 */
export function auditedPerson<T extends MemberDoc | VolunteerDoc>(doc: T) {
  const { idNumberHash: _hash, idNumberCipher: _cipher, phoneCipher: _phone, phoneHash: _phoneHash, currentKey: _key, ...rest } = doc;
  return rest;
}

export const pipeline = mutationPipeline<Context>({
  service: AUDIT_SERVICE,
  connection: (ctx) => ctx.models.Member.db,
  auditModel: (ctx) => ctx.models.Audit,
  requireOver: (ctx, orgPath, what) => ctx.access.requireOver(orgPath, what),
  audited: (entity, doc) => (entity === 'Member' || entity === 'Volunteer' ? auditedPerson(doc as MemberDoc) : doc),
  moveCounters: async (ctx, entity, before, after, session) => {
    const [from, to] = [stateOf(entity, before), stateOf(entity, after)];
    // Records without counters move none (the dated annex fields read nothing else: subtreeDated).
    return from || to ? moveCounters(ctx.models, from, to, session) : null;
  },
});

export type PeopleChange = Change<Context>;

/** Inserts a record in the change's session (audited by the caller, e.g. under another path). */
export async function insert<T>(
  change: PeopleChange,
  model: { create(docs: unknown[], opts: object): Promise<{ toObject(): unknown }[]> },
  doc: object,
) {
  const [created] = await model.create([doc], { session: change.session });
  // What the gateway's cache must drop: the answers about where the record is filed.
  change.wrote((doc as { orgPath?: unknown[] }).orgPath);
  return created.toObject() as T;
}

/**
 * Entries exactly as service-kit's recordAudit writes them, for one insertMany: an import of
 * thousands of members writes one entry per member without one round trip each.
 */
export async function auditMany(ctx: Context, entries: AuditInput[], session: ClientSession): Promise<void> {
  if (!entries.length) return;
  const viewer: Viewer = ctx.viewer;
  const at = new Date();
  const actor = { userId: viewer.userId, name: viewer.name ?? null, organizationId: viewer.organizationId, roles: viewer.roles };
  const docs = entries.map((e) => ({
    at,
    service: AUDIT_SERVICE,
    requestId: ctx.requestId,
    actor,
    action: e.action,
    entity: e.entity,
    entityId: String(e.entityId),
    orgPath: e.orgPath.map((id) => new Types.ObjectId(String(id))),
    before: auditable(e.before),
    after: auditable(e.after),
  }));
  // The driver's insertMany: the entries are built complete above (mongoose's casting would
  // cost more than the insert itself for a batch of an import).
  await ctx.models.Audit.collection.insertMany(docs, { session });
}

/** The write's result, or the CONFLICT `conflictOf` names when a unique index refused it. */
export async function unlessDuplicate<T>(write: () => Promise<T>, conflictOf: () => Error | Promise<Error>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateKey(err)) throw await conflictOf();
    throw err;
  }
}

/** Confirmed hours a volunteer served on the days matching `date` (a date or a condition on it). */
export async function hoursServed(ctx: Context, volunteerId: unknown, date: unknown, session: ClientSession): Promise<number> {
  const rows = await ctx.models.ServiceRecord.aggregate<{ hours: number }>([
    { $match: { volunteerId, date, ...COUNTED_HOURS } },
    { $group: { _id: null, hours: { $sum: '$hours' } } },
  ]).session(session);
  return rows[0]?.hours ?? 0;
}

/**
 * A record created in the branch `input.organizationId` names (in the viewer's subtree, not
 * dissolved); a unique index's refusal becomes the CONFLICT `conflictOf` names.
 */
export async function createInBranch<S extends z.ZodType<{ organizationId: string }>, R>(
  ctx: Context,
  rule: MutationRule<S>,
  write: (change: PeopleChange, data: z.infer<S>, branch: BranchInfo) => Promise<R>,
  conflictOf: (data: z.infer<S>, branch: BranchInfo) => Error | Promise<Error>,
): Promise<R> {
  let seen: { data: z.infer<S>; branch: BranchInfo } | undefined;
  return unlessDuplicate(
    () =>
      pipeline.mutate(ctx, rule, async (change, input) => {
        const data = input as z.infer<S>;
        const branch = await ctx.access.activeBranch(data.organizationId, 'input.organizationId');
        seen = { data, branch };
        return write(change, data, branch);
      }),
    () => conflictOf(seen!.data, seen!.branch),
  );
}

/**
 * Ends a record's span on a day (`set`: withdrawn, left, dissolved), once: CONFLICT with
 * `meanwhile` when another request ended it first.
 */
export function endOnce<T extends OwnedRecord>(
  change: PeopleChange,
  model: Model<T>,
  entity: string,
  record: T,
  set: Record<string, unknown>,
  meanwhile: string,
  auditAs?: { before: unknown; after: unknown },
): Promise<T> {
  const field = Object.keys(set)[0];
  // A member or volunteer who ended is no longer current: the same person may register again.
  return change.update(
    model,
    entity,
    record,
    { $set: set, $unset: { currentKey: 1 } },
    { unchanged: { [field]: null }, meanwhile, auditAs },
  );
}
