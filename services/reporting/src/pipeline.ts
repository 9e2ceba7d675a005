import { conflict, isDuplicateKey, mutationPipeline, type Change, type OwnedRecord } from '@rcsc/service-kit';
import type { Model } from 'mongoose';
import type { Context } from './context';

/** A record for the audit log: the stored document without its `history` (the log is the history). */
function withoutHistory(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object') return doc;
  const { history: _history, ...rest } = doc as Record<string, unknown>;
  return rest;
}

/**
 * Every reporting mutation: role → input → one transaction (records read in it checked against
 * the viewer's subtree) → write → audit entry. Reporting keeps no counters.
 */
export const pipeline = mutationPipeline<Context>({
  service: 'reporting',
  connection: (ctx) => ctx.models.Audit.db,
  auditModel: (ctx) => ctx.models.Audit,
  requireOver: (ctx, orgPath, what) => ctx.access.requireOver(orgPath, what),
  audited: (_entity, doc) => withoutHistory(doc),
});

/** The one record `filter` names (one per branch and period, or branch and task), read in the mutation's session. */
export async function findOne<T>(change: Change<Context>, model: Model<T>, filter: Record<string, unknown>): Promise<T | null> {
  return (await model.findOne(filter).session(change.session).lean()) as T | null;
}

/**
 * Writes the record `filter` names (one per branch and period, say), creating it when there is
 * none (`before` null), then audits before → after. `unchanged` guards the write (e.g. not
 * APPROVED): when another request changed the record meanwhile, the guarded filter misses it, the
 * unique index refuses the insert, and the mutation is a CONFLICT with `meanwhile`.
 */
export async function upsert<T extends OwnedRecord>(
  change: Change<Context>,
  model: Model<T>,
  entity: string,
  before: T | null,
  filter: Record<string, unknown>,
  update: Record<string, unknown>,
  opts: { unchanged?: Record<string, unknown>; meanwhile?: string } = {},
): Promise<T> {
  let after: T;
  try {
    after = (await model
      .findOneAndUpdate({ ...filter, ...opts.unchanged }, update, {
        upsert: true,
        returnDocument: 'after',
        runValidators: true,
        session: change.session,
      })
      .lean()) as T;
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(opts.meanwhile ?? `the ${entity} was changed meanwhile; try again`);
    throw err;
  }
  await change.changed(entity, before, after);
  return after;
}
