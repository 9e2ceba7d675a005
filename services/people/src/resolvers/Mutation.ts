import { memberState, moveCounters, serviceRecordState, teamState, volunteerState } from '../counters';
import type { ClientSession, Model } from 'mongoose';
import type { z } from 'zod';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { badInput, conflict, isDuplicateKey, notFound, parseInput, requireRole } from '@rcsc/service-kit';
import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { DuesPaymentDoc, MemberDoc, MemberStarDoc, ServiceRecordDoc, ServiceTeamDoc, StarRatingDoc, VolunteerDoc } from '../models';
import { importMembers } from '../importer';
import { newMemberDoc, newVolunteerDoc } from '../people';
import {
  applyDuesPayment,
  awardMemberStarInput,
  checkApprover,
  createServiceTeamInput,
  decisionDate,
  duesDue,
  endOfYear,
  memberIdentityProblem,
  memberStatusOn,
  nationalRegistrationInput,
  reasonSchema,
  recordDuesPaymentInput,
  recordServiceHoursInput,
  registerMemberInput,
  registerVolunteerInput,
  requestStarRatingInput,
  requiredApprover,
  today,
  toCents,
  withdrawInput,
  type PathBranch,
} from '../rules';
import { REVEALERS, requireActsFor, requireOver, requireWriter, type BranchOwned } from './access';
import { auditedPerson, transaction } from './audit';
import { toObjectId } from './filters';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Top-level arguments validated like an input object, each field named by its argument. */
function parseArgs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw badInput(r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'input', message: i.message })));
}

/**
 * A branch from the directory for a record to belong to: it must exist (else BAD_USER_INPUT
 * naming the field), lie in the viewer's subtree (else FORBIDDEN) and not be dissolved.
 */
async function activeBranch(ctx: Context, id: string, field: string): Promise<BranchInfo> {
  const branch = await ctx.directory.require(id, field);
  requireOver(ctx.viewer, pathOf(branch), `The branch ${branch.name}`);
  if (branch.dissolvedOn) throw badInput(field, 'the branch is dissolved');
  return branch;
}

/** The branches of a stored path (national HQ first) as the approval rule needs them. */
async function pathBranches(ctx: Context, orgPath: unknown[]): Promise<PathBranch[]> {
  const out: PathBranch[] = [];
  for (const id of orgPath) {
    const b = await ctx.directory.get(String(id));
    if (b) out.push({ id: b.id, name: b.name, level: b.level });
  }
  return out;
}

/**
 * A record to change or reveal, read in the change's session: NOT_FOUND when unknown, FORBIDDEN
 * when it lies outside the viewer's subtree (records are named by id, never by their content).
 */
async function findOwn<T extends BranchOwned>(
  ctx: Context,
  model: Model<T>,
  what: string,
  id: string,
  field: string,
  session: ClientSession,
): Promise<T> {
  const row = (await model.findById(toObjectId(id, field)).session(session).lean()) as T | null;
  if (!row) throw notFound(what, id);
  requireOver(ctx.viewer, row.orgPath, `${what} ${id}`);
  return row;
}

/** Team membership is within one line of the tree: the team's branch is on the volunteer's path or below it. */
function teamFitsVolunteer(team: ServiceTeamDoc, volunteerPath: unknown[], volunteerBranch: unknown): boolean {
  return (
    volunteerPath.some((p) => String(p) === String(team.organizationId)) || team.orgPath.some((p) => String(p) === String(volunteerBranch))
  );
}

async function hoursUpTo(ctx: Context, volunteerId: unknown, date: Date, session: ClientSession): Promise<number> {
  const rows = await ctx.models.ServiceRecord.aggregate<{ hours: number }>([
    { $match: { volunteerId, date: { $lte: date } } },
    { $group: { _id: null, hours: { $sum: '$hours' } } },
  ]).session(session);
  return rows[0]?.hours ?? 0;
}

/** Updates one record in the session and returns it as stored after the change (null: the condition failed). */
async function update<T>(model: Model<T>, filter: Record<string, unknown>, change: Record<string, unknown>, session: ClientSession) {
  return (await model.findOneAndUpdate(filter, change, { returnDocument: 'after', session }).lean()) as T | null;
}

async function decideRating(
  ctx: Context,
  id: string,
  deciderId: string,
  deciderField: 'approvedBy' | 'rejectedBy',
  on: Date | null | undefined,
  status: 'APPROVED' | 'REJECTED',
  reason: string | null,
) {
  requireWriter(ctx.viewer, 'decide star ratings');
  const { StarRating, Volunteer } = ctx.models;
  const date = parseArgs(decisionDate, on) ?? today();
  return transaction(ctx, async (session) => {
    const rating = await findOwn<StarRatingDoc>(ctx, StarRating, 'StarRating', id, 'id', session);
    const decider = await ctx.directory.require(deciderId, deciderField);
    checkApprover(await pathBranches(ctx, rating.orgPath), rating.stars, { id: decider.id, name: decider.name, level: decider.level });
    // The approving branch decides through its own staff: approvedBy is the viewer's own branch.
    requireActsFor(ctx.viewer, decider, deciderField);
    if (rating.status !== 'PENDING') {
      throw conflict(`the rating was already ${rating.status.toLowerCase()} on ${rating.decidedOn ? day(rating.decidedOn) : '?'}`);
    }
    if (date < rating.requestedOn) throw badInput('on', `must not be before the request (${day(rating.requestedOn)})`);
    const updated = await update<StarRatingDoc>(
      StarRating,
      { _id: rating._id, status: 'PENDING' },
      { $set: { status, decidedBy: toObjectId(decider.id, deciderField), decidedOn: date, reason } },
      session,
    );
    if (!updated) throw conflict('the rating was decided meanwhile');
    const action = status === 'APPROVED' ? 'approveStarRating' : 'rejectStarRating';
    await ctx.audit(
      { action, entity: 'StarRating', entityId: rating._id, orgPath: rating.orgPath, before: rating, after: updated },
      session,
    );
    if (status === 'APPROVED') {
      const v = (await Volunteer.findById(rating.volunteerId, { stars: 1, orgPath: 1 }).session(session).lean()) as VolunteerDoc | null;
      if (v && v.stars < rating.stars) {
        await Volunteer.updateOne({ _id: v._id }, { $set: { stars: rating.stars } }, { session });
        await ctx.audit(
          { action, entity: 'Volunteer', entityId: v._id, orgPath: v.orgPath, before: { stars: v.stars }, after: { stars: rating.stars } },
          session,
        );
      }
    }
    return updated;
  });
}

/**
 * An explicit reveal of an identity number and phone (issue 8): ADMIN or STAFF of a subtree
 * containing the record, never a service. The reveal is audited in the same transaction as it
 * is read (action REVEAL:idNumber, naming the fields shown, never their values); a refused or
 * failed reveal shows nothing and leaves no entry.
 */
async function reveal(ctx: Context, model: Model<MemberDoc> | Model<VolunteerDoc>, entity: 'Member' | 'Volunteer', id: string) {
  requireRole(ctx.viewer, REVEALERS, `reveal identity numbers and phones of ${entity === 'Member' ? 'members' : 'volunteers'}`);
  return transaction(ctx, async (session) => {
    const row = (await (model as Model<MemberDoc>).findById(toObjectId(id, 'id')).session(session).lean()) as
      | MemberDoc
      | VolunteerDoc
      | null;
    if (!row) throw notFound(entity, id);
    requireOver(ctx.viewer, row.orgPath, `${entity} ${id}`);
    const idNumber = ctx.vault.reveal({ cipher: row.idNumberCipher });
    const phone = row.phoneCipher ? ctx.vault.reveal({ cipher: row.phoneCipher }) : null;
    await ctx.audit(
      {
        action: 'REVEAL:idNumber',
        entity,
        entityId: row._id,
        orgPath: row.orgPath,
        before: null,
        after: {
          revealed: phone ? ['idNumber', 'phone'] : ['idNumber'],
          idNumberMasked: row.idNumberMasked,
          phoneMasked: row.phoneMasked,
        },
      },
      session,
    );
    return { id: String(row._id), name: row.name, idNumber, phone };
  });
}

export const Mutation: MutationResolvers = {
  async registerMember(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'register members');
    const data = parseInput(registerMemberInput, input);
    const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
    const problem = memberIdentityProblem(data.kind, data.idNumber, data.joinedOn, ctx.config);
    if (problem) throw badInput(`input.${problem.field}`, problem.message);
    if (data.contactPerson && data.kind !== 'GROUP') throw badInput('input.contactPerson', 'goes only with a GROUP member');
    const doc = newMemberDoc(data, branch, ctx.vault, ctx.config);
    try {
      return await transaction(ctx, async (session) => {
        const [created] = await ctx.models.Member.create([doc], { session });
        const after = created.toObject() as MemberDoc;
        await moveCounters(ctx.models, null, memberState(after), session);
        await ctx.audit(
          { action: 'registerMember', entity: 'Member', entityId: after._id, orgPath: after.orgPath, after: auditedPerson(after) },
          session,
        );
        return after;
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await ctx.models.Member.findOne(
        { organizationId: doc.organizationId, idNumberHash: doc.idNumberHash },
        { _id: 1 },
      ).lean();
      throw conflict(
        `this ${data.kind === 'GROUP' ? 'institution' : 'person'} is already registered in ${branch.name} (member ${String(existing?._id)})`,
        'input.idNumber',
      );
    }
  },

  async withdrawMember(_, { id, on, reason }, ctx) {
    requireWriter(ctx.viewer, 'withdraw members');
    const data = parseArgs(withdrawInput, { on, reason });
    return transaction(ctx, async (session) => {
      const member = await findOwn<MemberDoc>(ctx, ctx.models.Member, 'Member', id, 'id', session);
      if (member.withdrawnOn) throw conflict(`the member already withdrew on ${day(member.withdrawnOn)}`);
      if (data.on < member.joinedOn) throw badInput('on', `must not be before joining (${day(member.joinedOn)})`);
      const after = await update<MemberDoc>(
        ctx.models.Member,
        { _id: member._id, withdrawnOn: null },
        { $set: { withdrawnOn: data.on, withdrawalReason: data.reason ?? null } },
        session,
      );
      if (!after) throw conflict('the member withdrew meanwhile');
      await moveCounters(ctx.models, memberState(member), memberState(after), session);
      await ctx.audit(
        {
          action: 'withdrawMember',
          entity: 'Member',
          entityId: member._id,
          orgPath: member.orgPath,
          before: auditedPerson(member),
          after: auditedPerson(after),
        },
        session,
      );
      return after;
    });
  },

  async recordDuesPayment(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'record dues payments');
    const data = parseInput(recordDuesPaymentInput, input);
    const { Member, DuesPayment } = ctx.models;
    const receiver = await ctx.directory.require(data.receivedBy, 'input.receivedBy');
    if (receiver.dissolvedOn) throw badInput('input.receivedBy', 'the branch is dissolved');
    return transaction(ctx, async (session) => {
      const member = await findOwn<MemberDoc>(ctx, Member, 'Member', data.memberId, 'input.memberId', session);
      // The viewer records what their own subtree received.
      requireOver(ctx.viewer, pathOf(receiver), `The branch ${receiver.name}`);
      if (!member.orgPath.some((p) => String(p) === receiver.id)) {
        throw badInput('input.receivedBy', "must be the member's branch or a branch above it");
      }
      if (data.paidOn < member.joinedOn) throw badInput('input.paidOn', `must not be before joining (${day(member.joinedOn)})`);
      if (member.withdrawnOn && data.paidOn >= member.withdrawnOn)
        throw badInput('input.paidOn', `the member withdrew on ${day(member.withdrawnOn)}`);
      const joinYear = member.joinedOn.getUTCFullYear();
      if (data.periodFrom < joinYear) throw badInput('input.periodFrom', `must not be before the year of joining (${joinYear})`);
      const periodTo = data.periodTo ?? data.periodFrom;
      const years = periodTo - data.periodFrom + 1;
      const due = duesDue(member.kind, years, ctx.config);
      const amountCents = data.amount != null ? toCents(data.amount) : due;
      if (amountCents < due) {
        throw badInput('input.amount', `dues for ${years} year(s) of a ${member.kind} member are ${(due / 100).toFixed(2)} yuan`);
      }
      const overlap = await DuesPayment.findOne({
        memberId: member._id,
        periodFrom: { $lte: periodTo },
        periodTo: { $gte: data.periodFrom },
      })
        .session(session)
        .lean();
      if (overlap)
        throw conflict(
          `dues for ${overlap.periodFrom}-${overlap.periodTo} are already paid (payment ${String(overlap._id)})`,
          'input.periodFrom',
        );
      const latest = await DuesPayment.findOne({ memberId: member._id }).sort({ paidOn: -1 }).session(session).lean();
      if (latest && data.paidOn < latest.paidOn) {
        throw badInput(
          'input.paidOn',
          `must not be before the latest recorded payment (${day(latest.paidOn)}): the ledger is kept in date order`,
        );
      }
      const standing = applyDuesPayment(member, { periodTo, paidOn: data.paidOn }, ctx.config);
      const [created] = await DuesPayment.create(
        [
          {
            memberId: member._id,
            memberOrgPath: member.orgPath,
            organizationId: toObjectId(receiver.id, 'input.receivedBy'),
            orgPath: pathOf(receiver).map((x) => toObjectId(x, 'input.receivedBy')),
            periodFrom: data.periodFrom,
            periodTo,
            amountCents,
            paidOn: data.paidOn,
          },
        ],
        { session },
      );
      const payment = created.toObject() as DuesPaymentDoc;
      await Member.updateOne({ _id: member._id }, { $set: standing }, { session });
      await moveCounters(ctx.models, memberState(member), memberState({ ...member, ...standing }), session);
      // Filed under the member's path, so the member's own branch reads it too.
      await ctx.audit(
        { action: 'recordDuesPayment', entity: 'DuesPayment', entityId: payment._id, orgPath: member.orgPath, after: payment },
        session,
      );
      await ctx.audit(
        {
          action: 'recordDuesPayment',
          entity: 'Member',
          entityId: member._id,
          orgPath: member.orgPath,
          before: { paidThrough: member.paidThrough, lapsesOn: member.lapsesOn, lapses: member.lapses },
          after: standing,
        },
        session,
      );
      return payment;
    });
  },

  importMembers: (_, { input }, ctx) => importMembers(ctx, input),

  async registerVolunteer(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'register volunteers');
    const data = parseInput(registerVolunteerInput, input);
    const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
    const doc = newVolunteerDoc(data, branch, ctx.vault);
    if (doc.birthDate && doc.birthDate > data.registeredOn)
      throw badInput('input.idNumber', 'the holder was not born on the registration date');
    try {
      return await transaction(ctx, async (session) => {
        if (doc.teamIds.length) {
          const teams = (await ctx.models.ServiceTeam.find({ _id: { $in: doc.teamIds } })
            .session(session)
            .lean()) as ServiceTeamDoc[];
          const byId = new Map(teams.map((t) => [String(t._id), t]));
          // Teams the viewer may not see are refused as such, before anything is said about them.
          for (const t of teams) requireOver(ctx.viewer, t.orgPath, `Service team ${String(t._id)}`);
          const problems = doc.teamIds.flatMap((t, i) => {
            const team = byId.get(String(t));
            const field = `input.teamIds.${i}`;
            if (!team) return [{ field, message: 'no service team has this id' }];
            if (team.dissolvedOn) return [{ field, message: `the team was dissolved on ${day(team.dissolvedOn)}` }];
            if (!teamFitsVolunteer(team, doc.orgPath, doc.organizationId))
              return [{ field, message: "the team is not managed on the volunteer's line of branches" }];
            return [];
          });
          if (problems.length) throw badInput(problems);
        }
        const [created] = await ctx.models.Volunteer.create([doc], { session });
        const after = created.toObject() as VolunteerDoc;
        await moveCounters(ctx.models, null, volunteerState(after), session);
        await ctx.audit(
          { action: 'registerVolunteer', entity: 'Volunteer', entityId: after._id, orgPath: after.orgPath, after: auditedPerson(after) },
          session,
        );
        return after;
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`this person is already registered as a volunteer in ${branch.name}`, 'input.idNumber');
      throw err;
    }
  },

  async recordNationalRegistration(_, { volunteerId, registeredOn, nationalSystemId }, ctx) {
    requireWriter(ctx.viewer, 'record national registrations');
    const data = parseArgs(nationalRegistrationInput, { registeredOn, nationalSystemId });
    return transaction(ctx, async (session) => {
      const v = await findOwn<VolunteerDoc>(ctx, ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId', session);
      if (v.endedOn) throw badInput('volunteerId', `the volunteer left on ${day(v.endedOn)}`);
      const after = (await update<VolunteerDoc>(
        ctx.models.Volunteer,
        { _id: v._id },
        { $set: { nationalRegisteredOn: data.registeredOn, nationalSystemId: data.nationalSystemId ?? v.nationalSystemId } },
        session,
      ))!;
      await moveCounters(ctx.models, volunteerState(v), volunteerState(after), session);
      await ctx.audit(
        {
          action: 'recordNationalRegistration',
          entity: 'Volunteer',
          entityId: v._id,
          orgPath: v.orgPath,
          before: { nationalRegisteredOn: v.nationalRegisteredOn, nationalSystemId: v.nationalSystemId },
          after: { nationalRegisteredOn: after.nationalRegisteredOn, nationalSystemId: after.nationalSystemId },
        },
        session,
      );
      return after;
    });
  },

  async endVolunteer(_, { id, on }, ctx) {
    requireWriter(ctx.viewer, 'end volunteers');
    const data = parseArgs(withdrawInput.pick({ on: true }), { on });
    return transaction(ctx, async (session) => {
      const v = await findOwn<VolunteerDoc>(ctx, ctx.models.Volunteer, 'Volunteer', id, 'id', session);
      if (v.endedOn) throw conflict(`the volunteer already left on ${day(v.endedOn)}`);
      if (data.on < v.registeredOn) throw badInput('on', `must not be before registration (${day(v.registeredOn)})`);
      const after = await update<VolunteerDoc>(
        ctx.models.Volunteer,
        { _id: v._id, endedOn: null },
        { $set: { endedOn: data.on } },
        session,
      );
      if (!after) throw conflict('the volunteer left meanwhile');
      await moveCounters(ctx.models, volunteerState(v), volunteerState(after), session);
      await ctx.audit(
        {
          action: 'endVolunteer',
          entity: 'Volunteer',
          entityId: v._id,
          orgPath: v.orgPath,
          before: { endedOn: null },
          after: { endedOn: data.on },
        },
        session,
      );
      return after;
    });
  },

  async createServiceTeam(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'create service teams');
    const data = parseInput(createServiceTeamInput, input);
    const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
    try {
      return await transaction(ctx, async (session) => {
        const [created] = await ctx.models.ServiceTeam.create(
          [
            {
              name: data.name,
              specialty: data.specialty,
              organizationId: toObjectId(branch.id, 'input.organizationId'),
              orgPath: pathOf(branch).map((x) => toObjectId(x, 'input.organizationId')),
              orgLevel: branch.level,
              foundedOn: data.foundedOn,
            },
          ],
          { session },
        );
        const team = created.toObject() as ServiceTeamDoc;
        await moveCounters(ctx.models, null, teamState(team), session);
        await ctx.audit(
          { action: 'createServiceTeam', entity: 'ServiceTeam', entityId: team._id, orgPath: team.orgPath, after: team },
          session,
        );
        return team;
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`${branch.name} already has a service team named ${data.name}`, 'input.name');
      throw err;
    }
  },

  async dissolveServiceTeam(_, { id, on }, ctx) {
    requireWriter(ctx.viewer, 'dissolve service teams');
    const data = parseArgs(withdrawInput.pick({ on: true }), { on });
    return transaction(ctx, async (session) => {
      const team = await findOwn<ServiceTeamDoc>(ctx, ctx.models.ServiceTeam, 'ServiceTeam', id, 'id', session);
      if (team.dissolvedOn) throw conflict(`the team was already dissolved on ${day(team.dissolvedOn)}`);
      if (data.on < team.foundedOn) throw badInput('on', `must not be before the team was founded (${day(team.foundedOn)})`);
      const after = await update<ServiceTeamDoc>(
        ctx.models.ServiceTeam,
        { _id: team._id, dissolvedOn: null },
        { $set: { dissolvedOn: data.on } },
        session,
      );
      if (!after) throw conflict('the team was dissolved meanwhile');
      await moveCounters(ctx.models, teamState(team), teamState(after), session);
      await ctx.audit(
        { action: 'dissolveServiceTeam', entity: 'ServiceTeam', entityId: team._id, orgPath: team.orgPath, before: team, after },
        session,
      );
      return after;
    });
  },

  async joinServiceTeam(_, { volunteerId, teamId }, ctx) {
    requireWriter(ctx.viewer, 'put volunteers in teams');
    return transaction(ctx, async (session) => {
      const v = await findOwn<VolunteerDoc>(ctx, ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId', session);
      // The team changes too (its members): it must be in the viewer's subtree as well.
      const team = await findOwn<ServiceTeamDoc>(ctx, ctx.models.ServiceTeam, 'ServiceTeam', teamId, 'teamId', session);
      if (v.endedOn) throw badInput('volunteerId', `the volunteer left on ${day(v.endedOn)}`);
      if (team.dissolvedOn) throw badInput('teamId', `the team was dissolved on ${day(team.dissolvedOn)}`);
      if (!teamFitsVolunteer(team, v.orgPath, v.organizationId))
        throw badInput('teamId', "the team is not managed on the volunteer's line of branches");
      const after = (await update<VolunteerDoc>(ctx.models.Volunteer, { _id: v._id }, { $addToSet: { teamIds: team._id } }, session))!;
      await ctx.audit(
        {
          action: 'joinServiceTeam',
          entity: 'Volunteer',
          entityId: v._id,
          orgPath: v.orgPath,
          before: { teamIds: v.teamIds },
          after: { teamIds: after.teamIds },
        },
        session,
      );
      return after;
    });
  },

  async leaveServiceTeam(_, { volunteerId, teamId }, ctx) {
    requireWriter(ctx.viewer, 'take volunteers out of teams');
    const team = toObjectId(teamId, 'teamId');
    return transaction(ctx, async (session) => {
      // Only the volunteer's record changes: the volunteer's branch staff may take them out of any team.
      const v = await findOwn<VolunteerDoc>(ctx, ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId', session);
      if (!v.teamIds.some((t) => t.equals(team))) throw badInput('teamId', 'the volunteer is not in this team');
      const after = (await update<VolunteerDoc>(ctx.models.Volunteer, { _id: v._id }, { $pull: { teamIds: team } }, session))!;
      await ctx.audit(
        {
          action: 'leaveServiceTeam',
          entity: 'Volunteer',
          entityId: v._id,
          orgPath: v.orgPath,
          before: { teamIds: v.teamIds },
          after: { teamIds: after.teamIds },
        },
        session,
      );
      return after;
    });
  },

  async recordServiceHours(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'record service hours');
    const data = parseInput(recordServiceHoursInput, input);
    const { ServiceRecord, ServiceTeam, Volunteer } = ctx.models;
    return transaction(ctx, async (session) => {
      const v = await findOwn<VolunteerDoc>(ctx, Volunteer, 'Volunteer', data.volunteerId, 'input.volunteerId', session);
      if (data.date < v.registeredOn) throw badInput('input.date', `must not be before the volunteer registered (${day(v.registeredOn)})`);
      if (v.endedOn && data.date >= v.endedOn) throw badInput('input.date', `the volunteer left on ${day(v.endedOn)}`);
      if (data.teamId) {
        // A team the volunteer belongs to is only referenced (the record is the volunteer's).
        const team = (await ServiceTeam.findById(toObjectId(data.teamId, 'input.teamId')).session(session).lean()) as ServiceTeamDoc | null;
        if (!team) throw notFound('ServiceTeam', data.teamId);
        if (!v.teamIds.some((t) => t.equals(team._id))) throw badInput('input.teamId', 'the volunteer is not in this team');
        if (data.date < team.foundedOn || (team.dissolvedOn && data.date >= team.dissolvedOn)) {
          throw badInput('input.teamId', 'the team did not exist on that date');
        }
      }
      const sameDay = await ServiceRecord.aggregate<{ hours: number }>([
        { $match: { volunteerId: v._id, date: data.date } },
        { $group: { _id: null, hours: { $sum: '$hours' } } },
      ]).session(session);
      const already = sameDay[0]?.hours ?? 0;
      if (already + data.hours > 24) throw badInput('input.hours', `${already} hours are already recorded for that day: at most 24 a day`);
      const [created] = await ServiceRecord.create(
        [
          {
            volunteerId: v._id,
            teamId: data.teamId ? toObjectId(data.teamId, 'input.teamId') : null,
            organizationId: v.organizationId,
            orgPath: v.orgPath,
            activity: data.activity,
            date: data.date,
            hours: data.hours,
          },
        ],
        { session },
      );
      const record = created.toObject() as ServiceRecordDoc;
      await moveCounters(ctx.models, null, serviceRecordState(record), session);
      await ctx.audit(
        { action: 'recordServiceHours', entity: 'ServiceRecord', entityId: record._id, orgPath: record.orgPath, after: record },
        session,
      );
      return record;
    });
  },

  async requestStarRating(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'request star ratings');
    const data = parseInput(requestStarRatingInput, input);
    const { StarRating, Volunteer } = ctx.models;
    const requestedOn = data.requestedOn ?? today();
    return transaction(ctx, async (session) => {
      const v = await findOwn<VolunteerDoc>(ctx, Volunteer, 'Volunteer', data.volunteerId, 'input.volunteerId', session);
      if (v.endedOn) throw badInput('input.volunteerId', `the volunteer left on ${day(v.endedOn)}`);
      if (data.stars <= v.stars) throw badInput('input.stars', `the volunteer already has ${v.stars} star(s)`);
      const pending = await StarRating.findOne({ volunteerId: v._id, status: 'PENDING' }).session(session).lean();
      if (pending)
        throw conflict(`a ${pending.stars}-star rating requested on ${day(pending.requestedOn)} is still pending (${String(pending._id)})`);
      const hours = await hoursUpTo(ctx, v._id, requestedOn, session);
      const needed = ctx.config.starHours[data.stars - 1];
      if (hours < needed) {
        throw badInput('input.stars', `a ${data.stars}-star rating needs ${needed} service hours; the volunteer has ${hours}`);
      }
      const approver = requiredApprover(await pathBranches(ctx, v.orgPath), data.stars);
      const [created] = await StarRating.create(
        [
          {
            volunteerId: v._id,
            orgPath: v.orgPath,
            stars: data.stars,
            status: 'PENDING',
            requestedOn,
            hoursAtRequest: hours,
            approverId: toObjectId(approver.id, 'approver'),
          },
        ],
        { session },
      );
      const rating = created.toObject() as StarRatingDoc;
      await ctx.audit(
        { action: 'requestStarRating', entity: 'StarRating', entityId: rating._id, orgPath: rating.orgPath, after: rating },
        session,
      );
      return rating;
    });
  },

  approveStarRating: (_, { id, approvedBy, on }, ctx) => decideRating(ctx, id, approvedBy, 'approvedBy', on, 'APPROVED', null),

  rejectStarRating: (_, { id, rejectedBy, reason, on }, ctx) =>
    decideRating(ctx, id, rejectedBy, 'rejectedBy', on, 'REJECTED', parseArgs(reasonSchema, reason)),

  async awardMemberStar(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'award Member Stars');
    const data = parseInput(awardMemberStarInput, input);
    if (data.year > today().getUTCFullYear()) throw badInput('input.year', 'must not be in the future');
    try {
      return await transaction(ctx, async (session) => {
        const member = await findOwn<MemberDoc>(ctx, ctx.models.Member, 'Member', data.memberId, 'input.memberId', session);
        const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
        if (!member.orgPath.some((p) => String(p) === branch.id)) {
          throw badInput('input.organizationId', "the member is not registered in this branch's subtree");
        }
        const readAt = data.year === today().getUTCFullYear() ? today() : endOfYear(data.year);
        if (memberStatusOn(member, readAt) !== 'ACTIVE') throw badInput('input.memberId', `the member was not active in ${data.year}`);
        const [created] = await ctx.models.MemberStar.create(
          [
            {
              memberId: member._id,
              year: data.year,
              organizationId: toObjectId(branch.id, 'input.organizationId'),
              orgPath: pathOf(branch).map((x) => toObjectId(x, 'input.organizationId')),
              citation: data.citation ?? null,
            },
          ],
          { session },
        );
        const award = created.toObject() as MemberStarDoc;
        // Filed under the member's path (the awarding branch is on it), so the member's branch reads it too.
        await ctx.audit(
          { action: 'awardMemberStar', entity: 'MemberStarAward', entityId: award._id, orgPath: member.orgPath, after: award },
          session,
        );
        return award;
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`the member is already a Member Star of ${data.year}`, 'input.year');
      throw err;
    }
  },

  revealMemberIdentity: (_, { id }, ctx) => reveal(ctx, ctx.models.Member, 'Member', id),

  revealVolunteerIdentity: (_, { id }, ctx) => reveal(ctx, ctx.models.Volunteer, 'Volunteer', id),
};
