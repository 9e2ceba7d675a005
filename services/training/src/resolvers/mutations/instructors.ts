import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { createInstructorInput, instructorStatusSchema, updateInstructorInput } from '../../inputs';
import { checkDates, checkPoolTier, checkStatusChange, checkUniquePhone, nextQualifications } from '../../rules';
import { checkModulesExist, ownBranch, pipeline, type TrainingChange } from './pipeline';

/** Contact details as stored: protected, never in clear. */
function protect(ctx: Context, value: string | null | undefined, kind: 'phone' | 'email') {
  return value ? ctx.vault.protect(value, kind) : null;
}

/** Another instructor of the pool with this phone (none when no phone is given). */
async function samePhone(
  change: TrainingChange,
  phone: string | null | undefined,
  organizationId: Types.ObjectId,
  except?: Types.ObjectId,
) {
  if (!phone) return null;
  const filter: Record<string, unknown> = { 'contact.phone.hash': change.ctx.vault.hash(phone), organizationId };
  if (except) filter._id = { $ne: except };
  return change.ctx.models.Instructor.exists(filter).session(change.session);
}

const topicFields = (topics: string[]) => topics.map((code, i) => ({ code, field: `input.topics.${i}` }));

/** The instructor pool: instructors, their topics, qualifications and statuses, and contact reveals. */
export const instructorMutations: Pick<
  MutationResolvers,
  'createInstructor' | 'updateInstructor' | 'setInstructorStatus' | 'revealInstructorContact'
> = {
  createInstructor: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'createInstructor',
        roles: Roles.TRAINING_MANAGERS,
        does: 'add instructors to a pool',
        input: createInstructorInput,
        value: input,
      },
      async (change, data) => {
        const branch = await ownBranch(ctx, data.organizationId, 'input.organizationId');
        checkPoolTier(branch.level);
        checkDates([{ field: 'input.joinedOn', date: data.joinedOn, branch }]);
        await checkModulesExist(ctx, topicFields(data.topics), change.session);
        const organizationId = new Types.ObjectId(branch.id);
        checkUniquePhone(await samePhone(change, data.phone, organizationId));
        return change.create(ctx.models.Instructor, 'Instructor', {
          name: data.name,
          category: data.category,
          organizationId,
          orgPath: pathOf(branch).map((id) => new Types.ObjectId(id)),
          tier: branch.level,
          topics: data.topics,
          qualifications: data.qualifications,
          contact: { phone: protect(ctx, data.phone, 'phone'), email: protect(ctx, data.email, 'email') },
          status: 'ACTIVE',
          statusSince: data.joinedOn,
          statusHistory: [{ status: 'ACTIVE', since: data.joinedOn }],
          joinedOn: data.joinedOn,
        });
      },
    ),

  updateInstructor: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'updateInstructor',
        roles: Roles.TRAINING_MANAGERS,
        does: 'change instructors',
        input: updateInstructorInput,
        value: input,
      },
      async (change, data) => {
        const current = await change.own(ctx.models.Instructor, 'Instructor', id);
        if (data.topics) await checkModulesExist(ctx, topicFields(data.topics), change.session);
        const set: Record<string, unknown> = { ...nextQualifications(current, data) };
        if (data.name) set.name = data.name;
        if (data.category) set.category = data.category;
        if (data.phone !== undefined) {
          checkUniquePhone(await samePhone(change, data.phone, current.organizationId, current._id));
          set['contact.phone'] = protect(ctx, data.phone, 'phone');
        }
        if (data.email !== undefined) set['contact.email'] = protect(ctx, data.email, 'email');
        return change.update(ctx.models.Instructor, 'Instructor', current, { $set: set });
      },
    ),

  setInstructorStatus: (_, { id, status, since }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'setInstructorStatus',
        roles: Roles.TRAINING_MANAGERS,
        does: "change instructors' status",
        input: instructorStatusSchema,
        value: status,
        prefix: 'status',
      },
      async (change, next) => {
        const current = await change.own(ctx.models.Instructor, 'Instructor', id);
        checkDates([{ field: 'since', date: since, branch: await ctx.directory.get(String(current.organizationId)) }]);
        checkStatusChange(current, next, since);
        return change.update(
          ctx.models.Instructor,
          'Instructor',
          current,
          { $set: { status: next, statusSince: since }, $push: { statusHistory: { status: next, since } } },
          {
            // Guarded by the status read, so that two concurrent changes cannot both apply.
            unchanged: { status: current.status, statusSince: current.statusSince },
            meanwhile: 'the instructor changed meanwhile; read it again',
            auditAs: { before: { status: current.status, statusSince: current.statusSince }, after: { status: next, statusSince: since } },
          },
        );
      },
    ),

  // Clear contact details, for the managers of the instructor's pool only; the reveal is audited
  // (who, when, which fields) in the same transaction as it is read, and the values never are.
  revealInstructorContact: (_, { id }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'REVEAL:contact', roles: Roles.TRAINING_MANAGERS, does: "reveal instructors' contact details" },
      async (change) => {
        const instructor = await change.own(ctx.models.Instructor, 'Instructor', id);
        const phone = instructor.contact?.phone ? ctx.vault.reveal(instructor.contact.phone) : null;
        const email = instructor.contact?.email ? ctx.vault.reveal(instructor.contact.email) : null;
        const revealed = [...(phone ? ['phone'] : []), ...(email ? ['email'] : [])];
        await change.audit({ entity: 'Instructor', entityId: instructor._id, orgPath: instructor.orgPath, after: { revealed } });
        return { instructor, phone, email };
      },
    ),
};
