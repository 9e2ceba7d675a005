import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import type { MutationResolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import { addUnavailabilityInput, createInstructorInput, instructorStatusSchema, updateInstructorInput } from '../../inputs';
import { badInput, conflict } from '@rcsc/service-kit';
import type { SessionDoc } from '../../models';
import {
  beijingRange,
  checkDates,
  checkPeriodFree,
  checkPoolTier,
  checkStatusChange,
  checkUnavailablePeriod,
  checkUniquePhone,
  MAX_SESSION_MS,
  nextQualifications,
} from '../../rules';
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
  'createInstructor' | 'updateInstructor' | 'setInstructorStatus' | 'revealInstructorContact' | 'addUnavailability' | 'removeUnavailability'
> = {
  // The pool's managers declare a period the instructor cannot teach; it must not cover a session
  // already booked. scheduleRevision moves, so a concurrent booking of the instructor write-conflicts
  // and, retried, sees the period.
  addUnavailability: (_, { instructorId, input }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'addUnavailability',
        roles: Roles.TRAINING_MANAGERS,
        does: 'declare instructors unavailable',
        input: addUnavailabilityInput,
        value: input,
      },
      async (change, data) => {
        const current = await change.own(ctx.models.Instructor, 'Instructor', instructorId, 'instructorId');
        checkUnavailablePeriod(data.from, data.to);
        const { start, end } = beijingRange(data.from, data.to);
        const booked = (await ctx.models.Session.find({
          instructorIds: current._id,
          startsAt: { $gt: new Date(start.getTime() - MAX_SESSION_MS), $lt: end },
          endsAt: { $gt: start },
          cancelledOn: null,
        })
          .session(change.session)
          .lean()) as SessionDoc[];
        checkPeriodFree(current.name, booked);
        const period = { _id: new Types.ObjectId(), from: data.from, to: data.to, reason: data.reason ?? null, removedOn: null };
        return change.update(
          ctx.models.Instructor,
          'Instructor',
          current,
          { $push: { unavailable: period }, $inc: { scheduleRevision: 1 } },
          { auditAs: { before: null, after: { unavailable: period } } },
        );
      },
    ),

  // Removal is dated and keeps the period for history; the instructor can be booked in it again.
  removeUnavailability: (_, { instructorId, periodId, on }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'removeUnavailability', roles: Roles.TRAINING_MANAGERS, does: 'declare instructors unavailable' },
      async (change) => {
        const current = await change.own(ctx.models.Instructor, 'Instructor', instructorId, 'instructorId');
        const period = (current.unavailable ?? []).find((p) => String(p._id) === periodId.toLowerCase());
        if (!period) throw badInput('periodId', 'no unavailable period of this instructor has this id');
        if (period.removedOn) throw conflict('the period was already removed', 'periodId');
        checkDates([{ field: 'on', date: on }]);
        return change.update(
          ctx.models.Instructor,
          'Instructor',
          current,
          {
            $set: { unavailable: (current.unavailable ?? []).map((p) => (p === period ? { ...p, removedOn: on } : p)) },
            $inc: { scheduleRevision: 1 },
          },
          { auditAs: { before: { unavailable: period }, after: { unavailable: { ...period, removedOn: on } } } },
        );
      },
    ),

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
