import type { ClientSession, Model } from 'mongoose';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { badInput, type Change, mutationPipeline, notFound, toObjectId } from '@rcsc/service-kit';
import type { Context } from '../../context';
import type { InstructorDoc, StaffDoc } from '../../models';

/**
 * An instructor as the audit log keeps it: contact details only in their masked form, never the
 * cipher or the keyed hash (admins read the log through the graph).
 */
function auditedInstructor(i: InstructorDoc) {
  return { ...i, contact: { phone: i.contact?.phone?.masked ?? null, email: i.contact?.email?.masked ?? null } };
}

/**
 * Every mutation of this service: role, input, then one transaction holding the records, the
 * values kept with them and their audit entries (training keeps no counters).
 */
export const pipeline = mutationPipeline<Context>({
  service: 'training',
  connection: (ctx) => ctx.models.Instructor.db,
  auditModel: (ctx) => ctx.models.Audit,
  requireOver: (ctx, orgPath, what) => ctx.access.requireOver(orgPath, what),
  audited: (entity, doc) =>
    entity === 'Instructor'
      ? auditedInstructor(doc as InstructorDoc)
      : entity === 'StaffRecord'
        ? { ...(doc as StaffDoc), identity: (doc as StaffDoc).identity?.masked ?? null }
        : doc,
});

export type TrainingChange = Change<Context>;

/**
 * A record the mutation reads in its transaction without changing it where it stands (a class
 * enrolled into, an enrolment's class): BAD_USER_INPUT for a malformed id, NOT_FOUND when unknown.
 * Who may use it is the mutation's rule.
 */
export async function record<T>(change: TrainingChange, model: Model<T>, entity: string, id: string, field: string): Promise<T> {
  const found = (await model.findById(toObjectId(id, field)).session(change.session).lean()) as T | null;
  if (!found) throw notFound(entity, id);
  return found;
}

/**
 * A branch a new record is written under (an instructor's pool, a class's host, a trainee's
 * branch): BAD_USER_INPUT naming the field when unknown, FORBIDDEN outside the viewer's subtree.
 */
export async function ownBranch(ctx: Context, id: string, field: string): Promise<BranchInfo> {
  const branch = await ctx.access.branch(id, field);
  ctx.access.requireOver(pathOf(branch), `The branch ${branch.name}`);
  return branch;
}

/** Module codes of the syllabus (any version) among `codes`; unknown ones are BAD_USER_INPUT naming their fields. */
export async function checkModulesExist(ctx: Context, codes: { code: string; field: string }[], session: ClientSession): Promise<void> {
  if (!codes.length) return;
  const asked = [...new Set(codes.map((c) => c.code))];
  const known = new Set((await ctx.models.SyllabusModule.distinct('code', { code: { $in: asked } }).session(session)) as string[]);
  const unknown = codes.filter((c) => !known.has(c.code));
  if (unknown.length) throw badInput(unknown.map((c) => ({ field: c.field, message: `no syllabus module has code ${c.code}` })));
}
