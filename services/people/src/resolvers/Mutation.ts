import type { ClientSession } from 'mongoose';
import type { z } from 'zod';
import type { BranchInfo } from '@rcsc/directory';
import { badInput, conflict, isDuplicateKey, notFound, parseInput } from '@rcsc/service-kit';
import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { MemberDoc, ServiceTeamDoc, StarRatingDoc, VolunteerDoc } from '../models';
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
import { toObjectId } from './filters';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Top-level arguments validated like an input object, each field named by its argument. */
function parseArgs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw badInput(r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'input', message: i.message })));
}

/** A branch from the directory for a record to belong to: it must exist and not be dissolved. */
async function activeBranch(ctx: Context, id: string, field: string): Promise<BranchInfo> {
  const branch = await ctx.directory.require(id, field);
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

async function findOwn<T>(model: { findById(id: unknown): { session(s: ClientSession | null): { lean(): unknown } } }, what: string, id: string, field: string, session?: ClientSession): Promise<T> {
  const row = (await model.findById(toObjectId(id, field)).session(session ?? null).lean()) as T | null;
  if (!row) throw notFound(what, id);
  return row;
}

/** Team membership is within one line of the tree: the team's branch is on the volunteer's path or below it. */
function teamFitsVolunteer(team: ServiceTeamDoc, volunteerPath: unknown[], volunteerBranch: unknown): boolean {
  return volunteerPath.some((p) => String(p) === String(team.organizationId)) || team.orgPath.some((p) => String(p) === String(volunteerBranch));
}

async function hoursUpTo(ctx: Context, volunteerId: unknown, date: Date, session?: ClientSession): Promise<number> {
  const rows = await ctx.models.ServiceRecord.aggregate<{ hours: number }>([
    { $match: { volunteerId, date: { $lte: date } } },
    { $group: { _id: null, hours: { $sum: '$hours' } } },
  ]).session(session ?? null);
  return rows[0]?.hours ?? 0;
}

async function decideRating(ctx: Context, id: string, deciderId: string, deciderField: string, on: Date | null | undefined, status: 'APPROVED' | 'REJECTED', reason: string | null) {
  const { StarRating, Volunteer } = ctx.models;
  const date = parseArgs(decisionDate, on) ?? today();
  const rating = await findOwn<StarRatingDoc>(StarRating, 'StarRating', id, 'id');
  const decider = await ctx.directory.require(deciderId, deciderField);
  checkApprover(await pathBranches(ctx, rating.orgPath), rating.stars, { id: decider.id, name: decider.name, level: decider.level });
  if (rating.status !== 'PENDING') {
    throw conflict(`the rating was already ${rating.status.toLowerCase()} on ${rating.decidedOn ? day(rating.decidedOn) : '?'}`);
  }
  if (date < rating.requestedOn) throw badInput('on', `must not be before the request (${day(rating.requestedOn)})`);
  return StarRating.db.transaction(async (session) => {
    const updated = (await StarRating.findOneAndUpdate(
      { _id: rating._id, status: 'PENDING' },
      { $set: { status, decidedBy: toObjectId(decider.id, deciderField), decidedOn: date, reason } },
      { returnDocument: 'after', session },
    ).lean()) as StarRatingDoc | null;
    if (!updated) throw conflict('the rating was decided meanwhile');
    if (status === 'APPROVED') {
      await Volunteer.updateOne({ _id: rating.volunteerId, stars: { $lt: rating.stars } }, { $set: { stars: rating.stars } }, { session });
    }
    return updated;
  });
}

export const Mutation: MutationResolvers = {
  async registerMember(_, { input }, ctx) {
    const data = parseInput(registerMemberInput, input);
    const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
    const problem = memberIdentityProblem(data.kind, data.idNumber, data.joinedOn, ctx.config);
    if (problem) throw badInput(`input.${problem.field}`, problem.message);
    if (data.contactPerson && data.kind !== 'GROUP') throw badInput('input.contactPerson', 'goes only with a GROUP member');
    const doc = newMemberDoc(data, branch, ctx.vault, ctx.config);
    try {
      await ctx.models.Member.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await ctx.models.Member.findOne({ organizationId: doc.organizationId, idNumberHash: doc.idNumberHash }, { _id: 1 }).lean();
      throw conflict(`this ${data.kind === 'GROUP' ? 'institution' : 'person'} is already registered in ${branch.name} (member ${String(existing?._id)})`, 'input.idNumber');
    }
    return doc;
  },

  async withdrawMember(_, { id, on, reason }, ctx) {
    const data = parseArgs(withdrawInput, { on, reason });
    const member = await findOwn<MemberDoc>(ctx.models.Member, 'Member', id, 'id');
    if (member.withdrawnOn) throw conflict(`the member already withdrew on ${day(member.withdrawnOn)}`);
    if (data.on < member.joinedOn) throw badInput('on', `must not be before joining (${day(member.joinedOn)})`);
    return (await ctx.models.Member.findByIdAndUpdate(
      member._id,
      { $set: { withdrawnOn: data.on, withdrawalReason: data.reason ?? null } },
      { returnDocument: 'after' },
    ).lean()) as MemberDoc;
  },

  async recordDuesPayment(_, { input }, ctx) {
    const data = parseInput(recordDuesPaymentInput, input);
    const { Member, DuesPayment } = ctx.models;
    const receiver = await activeBranch(ctx, data.receivedBy, 'input.receivedBy');
    return Member.db.transaction(async (session) => {
      const member = await findOwn<MemberDoc>(Member, 'Member', data.memberId, 'input.memberId', session);
      if (!member.orgPath.some((p) => String(p) === receiver.id)) {
        throw badInput('input.receivedBy', "must be the member's branch or a branch above it");
      }
      if (data.paidOn < member.joinedOn) throw badInput('input.paidOn', `must not be before joining (${day(member.joinedOn)})`);
      if (member.withdrawnOn && data.paidOn >= member.withdrawnOn) throw badInput('input.paidOn', `the member withdrew on ${day(member.withdrawnOn)}`);
      const joinYear = member.joinedOn.getUTCFullYear();
      if (data.periodFrom < joinYear) throw badInput('input.periodFrom', `must not be before the year of joining (${joinYear})`);
      const periodTo = data.periodTo ?? data.periodFrom;
      const years = periodTo - data.periodFrom + 1;
      const due = duesDue(member.kind, years, ctx.config);
      const amountCents = data.amount != null ? toCents(data.amount) : due;
      if (amountCents < due) {
        throw badInput('input.amount', `dues for ${years} year(s) of a ${member.kind} member are ${(due / 100).toFixed(2)} yuan`);
      }
      const overlap = await DuesPayment.findOne({ memberId: member._id, periodFrom: { $lte: periodTo }, periodTo: { $gte: data.periodFrom } })
        .session(session)
        .lean();
      if (overlap) throw conflict(`dues for ${overlap.periodFrom}-${overlap.periodTo} are already paid (payment ${String(overlap._id)})`, 'input.periodFrom');
      const latest = await DuesPayment.findOne({ memberId: member._id }).sort({ paidOn: -1 }).session(session).lean();
      if (latest && data.paidOn < latest.paidOn) {
        throw badInput('input.paidOn', `must not be before the latest recorded payment (${day(latest.paidOn)}): the ledger is kept in date order`);
      }
      const standing = applyDuesPayment(member, { periodTo, paidOn: data.paidOn }, ctx.config);
      const [payment] = await DuesPayment.create(
        [
          {
            memberId: member._id,
            memberOrgPath: member.orgPath,
            organizationId: toObjectId(receiver.id, 'input.receivedBy'),
            orgPath: [...receiver.ancestorIds, receiver.id].map((x) => toObjectId(x, 'input.receivedBy')),
            periodFrom: data.periodFrom,
            periodTo,
            amountCents,
            paidOn: data.paidOn,
          },
        ],
        { session },
      );
      await Member.updateOne({ _id: member._id }, { $set: standing }, { session });
      return payment.toObject();
    });
  },

  importMembers: (_, { input }, ctx) => importMembers(ctx, input),

  async registerVolunteer(_, { input }, ctx) {
    const data = parseInput(registerVolunteerInput, input);
    const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
    const doc = newVolunteerDoc(data, branch, ctx.vault);
    if (doc.birthDate && doc.birthDate > data.registeredOn) throw badInput('input.idNumber', 'the holder was not born on the registration date');
    if (doc.teamIds.length) {
      const teams = (await ctx.models.ServiceTeam.find({ _id: { $in: doc.teamIds } }).lean()) as ServiceTeamDoc[];
      const byId = new Map(teams.map((t) => [String(t._id), t]));
      const problems = doc.teamIds.flatMap((t, i) => {
        const team = byId.get(String(t));
        const field = `input.teamIds.${i}`;
        if (!team) return [{ field, message: 'no service team has this id' }];
        if (team.dissolvedOn) return [{ field, message: `the team was dissolved on ${day(team.dissolvedOn)}` }];
        if (!teamFitsVolunteer(team, doc.orgPath, doc.organizationId)) return [{ field, message: "the team is not managed on the volunteer's line of branches" }];
        return [];
      });
      if (problems.length) throw badInput(problems);
    }
    try {
      await ctx.models.Volunteer.create(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`this person is already registered as a volunteer in ${branch.name}`, 'input.idNumber');
      throw err;
    }
    return doc;
  },

  async recordNationalRegistration(_, { volunteerId, registeredOn, nationalSystemId }, ctx) {
    const data = parseArgs(nationalRegistrationInput, { registeredOn, nationalSystemId });
    const v = await findOwn<VolunteerDoc>(ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId');
    if (v.endedOn) throw badInput('volunteerId', `the volunteer left on ${day(v.endedOn)}`);
    return (await ctx.models.Volunteer.findByIdAndUpdate(
      v._id,
      { $set: { nationalRegisteredOn: data.registeredOn, nationalSystemId: data.nationalSystemId ?? v.nationalSystemId } },
      { returnDocument: 'after' },
    ).lean()) as VolunteerDoc;
  },

  async endVolunteer(_, { id, on }, ctx) {
    const data = parseArgs(withdrawInput.pick({ on: true }), { on });
    const v = await findOwn<VolunteerDoc>(ctx.models.Volunteer, 'Volunteer', id, 'id');
    if (v.endedOn) throw conflict(`the volunteer already left on ${day(v.endedOn)}`);
    if (data.on < v.registeredOn) throw badInput('on', `must not be before registration (${day(v.registeredOn)})`);
    return (await ctx.models.Volunteer.findByIdAndUpdate(v._id, { $set: { endedOn: data.on } }, { returnDocument: 'after' }).lean()) as VolunteerDoc;
  },

  async createServiceTeam(_, { input }, ctx) {
    const data = parseInput(createServiceTeamInput, input);
    const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
    try {
      const team = await ctx.models.ServiceTeam.create({
        name: data.name,
        specialty: data.specialty,
        organizationId: toObjectId(branch.id, 'input.organizationId'),
        orgPath: [...branch.ancestorIds, branch.id].map((x) => toObjectId(x, 'input.organizationId')),
        orgLevel: branch.level,
        foundedOn: data.foundedOn,
      });
      return team.toObject() as ServiceTeamDoc;
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`${branch.name} already has a service team named ${data.name}`, 'input.name');
      throw err;
    }
  },

  async dissolveServiceTeam(_, { id, on }, ctx) {
    const data = parseArgs(withdrawInput.pick({ on: true }), { on });
    const team = await findOwn<ServiceTeamDoc>(ctx.models.ServiceTeam, 'ServiceTeam', id, 'id');
    if (team.dissolvedOn) throw conflict(`the team was already dissolved on ${day(team.dissolvedOn)}`);
    if (data.on < team.foundedOn) throw badInput('on', `must not be before the team was founded (${day(team.foundedOn)})`);
    return (await ctx.models.ServiceTeam.findByIdAndUpdate(team._id, { $set: { dissolvedOn: data.on } }, { returnDocument: 'after' }).lean()) as ServiceTeamDoc;
  },

  async joinServiceTeam(_, { volunteerId, teamId }, ctx) {
    const v = await findOwn<VolunteerDoc>(ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId');
    const team = await findOwn<ServiceTeamDoc>(ctx.models.ServiceTeam, 'ServiceTeam', teamId, 'teamId');
    if (v.endedOn) throw badInput('volunteerId', `the volunteer left on ${day(v.endedOn)}`);
    if (team.dissolvedOn) throw badInput('teamId', `the team was dissolved on ${day(team.dissolvedOn)}`);
    if (!teamFitsVolunteer(team, v.orgPath, v.organizationId)) throw badInput('teamId', "the team is not managed on the volunteer's line of branches");
    return (await ctx.models.Volunteer.findByIdAndUpdate(v._id, { $addToSet: { teamIds: team._id } }, { returnDocument: 'after' }).lean()) as VolunteerDoc;
  },

  async leaveServiceTeam(_, { volunteerId, teamId }, ctx) {
    const v = await findOwn<VolunteerDoc>(ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId');
    const team = toObjectId(teamId, 'teamId');
    if (!v.teamIds.some((t) => t.equals(team))) throw badInput('teamId', 'the volunteer is not in this team');
    return (await ctx.models.Volunteer.findByIdAndUpdate(v._id, { $pull: { teamIds: team } }, { returnDocument: 'after' }).lean()) as VolunteerDoc;
  },

  async recordServiceHours(_, { input }, ctx) {
    const data = parseInput(recordServiceHoursInput, input);
    const { ServiceRecord, ServiceTeam, Volunteer } = ctx.models;
    const v = await findOwn<VolunteerDoc>(Volunteer, 'Volunteer', data.volunteerId, 'input.volunteerId');
    if (data.date < v.registeredOn) throw badInput('input.date', `must not be before the volunteer registered (${day(v.registeredOn)})`);
    if (v.endedOn && data.date >= v.endedOn) throw badInput('input.date', `the volunteer left on ${day(v.endedOn)}`);
    if (data.teamId) {
      const team = await findOwn<ServiceTeamDoc>(ServiceTeam, 'ServiceTeam', data.teamId, 'input.teamId');
      if (!v.teamIds.some((t) => t.equals(team._id))) throw badInput('input.teamId', 'the volunteer is not in this team');
      if (data.date < team.foundedOn || (team.dissolvedOn && data.date >= team.dissolvedOn)) {
        throw badInput('input.teamId', 'the team did not exist on that date');
      }
    }
    const sameDay = await ServiceRecord.aggregate<{ hours: number }>([
      { $match: { volunteerId: v._id, date: data.date } },
      { $group: { _id: null, hours: { $sum: '$hours' } } },
    ]);
    const already = sameDay[0]?.hours ?? 0;
    if (already + data.hours > 24) throw badInput('input.hours', `${already} hours are already recorded for that day: at most 24 a day`);
    const record = await ServiceRecord.create({
      volunteerId: v._id,
      teamId: data.teamId ? toObjectId(data.teamId, 'input.teamId') : null,
      organizationId: v.organizationId,
      orgPath: v.orgPath,
      activity: data.activity,
      date: data.date,
      hours: data.hours,
    });
    return record.toObject();
  },

  async requestStarRating(_, { input }, ctx) {
    const data = parseInput(requestStarRatingInput, input);
    const { StarRating, Volunteer } = ctx.models;
    const requestedOn = data.requestedOn ?? today();
    return StarRating.db.transaction(async (session) => {
      const v = await findOwn<VolunteerDoc>(Volunteer, 'Volunteer', data.volunteerId, 'input.volunteerId', session);
      if (v.endedOn) throw badInput('input.volunteerId', `the volunteer left on ${day(v.endedOn)}`);
      if (data.stars <= v.stars) throw badInput('input.stars', `the volunteer already has ${v.stars} star(s)`);
      const pending = await StarRating.findOne({ volunteerId: v._id, status: 'PENDING' }).session(session).lean();
      if (pending) throw conflict(`a ${pending.stars}-star rating requested on ${day(pending.requestedOn)} is still pending (${String(pending._id)})`);
      const hours = await hoursUpTo(ctx, v._id, requestedOn, session);
      const needed = ctx.config.starHours[data.stars - 1];
      if (hours < needed) {
        throw badInput('input.stars', `a ${data.stars}-star rating needs ${needed} service hours; the volunteer has ${hours}`);
      }
      const approver = requiredApprover(await pathBranches(ctx, v.orgPath), data.stars);
      const [rating] = await StarRating.create(
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
      return rating.toObject() as StarRatingDoc;
    });
  },

  approveStarRating: (_, { id, approvedBy, on }, ctx) => decideRating(ctx, id, approvedBy, 'approvedBy', on, 'APPROVED', null),

  rejectStarRating: (_, { id, rejectedBy, reason, on }, ctx) =>
    decideRating(ctx, id, rejectedBy, 'rejectedBy', on, 'REJECTED', parseArgs(reasonSchema, reason)),

  async awardMemberStar(_, { input }, ctx) {
    const data = parseInput(awardMemberStarInput, input);
    const member = await findOwn<MemberDoc>(ctx.models.Member, 'Member', data.memberId, 'input.memberId');
    const branch = await activeBranch(ctx, data.organizationId, 'input.organizationId');
    if (!member.orgPath.some((p) => String(p) === branch.id)) {
      throw badInput('input.organizationId', "the member is not registered in this branch's subtree");
    }
    if (data.year > today().getUTCFullYear()) throw badInput('input.year', 'must not be in the future');
    const readAt = data.year === today().getUTCFullYear() ? today() : endOfYear(data.year);
    if (memberStatusOn(member, readAt) !== 'ACTIVE') throw badInput('input.memberId', `the member was not active in ${data.year}`);
    try {
      const award = await ctx.models.MemberStar.create({
        memberId: member._id,
        year: data.year,
        organizationId: toObjectId(branch.id, 'input.organizationId'),
        orgPath: [...branch.ancestorIds, branch.id].map((x) => toObjectId(x, 'input.organizationId')),
        citation: data.citation ?? null,
      });
      return award.toObject();
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`the member is already a Member Star of ${data.year}`, 'input.year');
      throw err;
    }
  },
};
