// What every grassroots mutation does, said once: the role and input checks, one transaction,
// the records read in it judged by ctx.access, the row-8 counters moved and every change audited.
import { GraphQLError } from 'graphql';
import { Types, type Model } from 'mongoose';
import type { z } from 'zod';
import { Roles } from '@rcsc/access';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { ErrorCode, mutationPipeline, type Change, type MutationRule, type OwnedRecord } from '@rcsc/service-kit';
import { homeState, moveCounters, unitState } from '../../counters';
import type { Context } from '../../context';
import type { GrassrootsUnitDoc } from '../../models';
import { townshipAt } from '../../rules';

/**
 * A unit as the audit log keeps it: the leader's phone only in its masked form, never its cipher
 * or its keyed hash (admins read the log through the graph).
 */
function auditedUnit(unit: GrassrootsUnitDoc) {
  return { ...unit, leader: unit.leader ? { name: unit.leader.name, phone: unit.leader.phone?.masked ?? null } : null };
}

export const pipeline = mutationPipeline<Context>({
  service: 'grassroots',
  connection: (ctx) => ctx.models.GrassrootsUnit.db,
  auditModel: (ctx) => ctx.models.Audit,
  requireOver: (ctx, orgPath, what) => ctx.access.requireOver(orgPath, what),
  audited: (entity, doc) => (entity === 'GrassrootsUnit' ? auditedUnit(doc as GrassrootsUnitDoc) : doc),
  // Units are counted (annex row 8, equipment, groups), homes by their groups; institutions move no counter.
  async moveCounters(ctx, entity, before, after, session) {
    const of = entity === 'GrassrootsUnit' ? unitState : entity === 'BoaiHome' ? homeState : null;
    if (!of) return null;
    const state = (r: unknown) => (r ? of(r as never) : null);
    return moveCounters(ctx.models, state(before), state(after), session);
  },
});

/**
 * The rule of a change to the registers: units, institutions and homes are changed by ADMIN and
 * STAFF (the subtree is checked on the records), with `value` parsed by `schema` under `prefix`.
 */
export function writes<S extends z.ZodType>(action: string, does: string, schema: S, value: unknown, prefix = 'input'): MutationRule<S> {
  return { action, roles: Roles.WRITERS, does, input: schema, value, prefix };
}

/**
 * The branch a new record is written under, from the directory (never the organizations
 * database): an unknown branch is NOT_FOUND naming the field; one outside the viewer's
 * subtree is FORBIDDEN; a dissolved one takes no new records (BAD_USER_INPUT).
 */
async function newRecordBranch(ctx: Context, id: string, field: string): Promise<BranchInfo> {
  if (!(await ctx.directory.get(id.toLowerCase()))) {
    throw new GraphQLError(`Organization ${id} not found`, {
      extensions: { code: ErrorCode.NOT_FOUND, fields: [{ field, message: 'no branch has this id' }] },
    });
  }
  return ctx.access.activeBranch(id, field);
}

/**
 * Where a new record sits: its branch (see newRecordBranch), the branch's path as the record
 * stores it, national HQ first, and its township (in the branch's division).
 */
export async function newRecordPlace(ctx: Context, input: { organizationId: string; townshipCode?: string | null }) {
  const branch = await newRecordBranch(ctx, input.organizationId, 'input.organizationId');
  const place = {
    organizationId: new Types.ObjectId(branch.id),
    orgPath: pathOf(branch).map((id) => new Types.ObjectId(id)),
    township: townshipAt(input.townshipCode, branch) ?? null,
  };
  return { branch, place };
}

/** Only the fields a change sets (an absent input field leaves the stored one alone). */
export const given = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

/**
 * Saves `set` on a record read in this change. Units and homes are versioned: someone else's
 * save since the read (the version moved) is a CONFLICT, not a lost update.
 */
export function saveVersioned<T extends OwnedRecord>(
  change: Change<Context>,
  model: Model<T>,
  entity: string,
  before: T,
  set: Record<string, unknown>,
  auditAs?: { before: unknown; after: unknown },
): Promise<T> {
  const version = (before as { __v?: number }).__v ?? null;
  return change.update(
    model,
    entity,
    before,
    { $set: set, $inc: { __v: 1 } },
    {
      unchanged: { __v: version },
      meanwhile: 'the record was changed by someone else meanwhile; read it again and retry',
      auditAs,
    },
  );
}
