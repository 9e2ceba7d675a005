// Volunteers: registration, national registration, leaving, team membership, service hours.
import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { badInput, conflict, forbidden, notFound, onceWithKey } from '@rcsc/service-kit';
import type { Context } from '../../context';
import type { MutationResolvers } from '../../generated/graphql';
import { STANDING_HOURS, type Models, type ServiceRecordDoc, type ServiceTeamDoc, type VolunteerDoc } from '../../models';
import { importVolunteers } from '../../importer';
import { newVolunteerDoc, personEdit } from '../../new-records';
import { toObjectId } from '../filters';
import { createInBranch, endOnce, pipeline, unlessDuplicate, type PeopleChange } from '../../pipeline';
import { requireUnit } from '../../units';
import {
  checkBranchDate,
  checkNationalRegistration,
  checkNewVolunteer,
  checkServiceDecision,
  checkServiceHours,
  checkServiceSeries,
  checkServiceVoid,
  checkTeamLeave,
  checkTeamJoin,
  checkVolunteerEnd,
  checkVolunteerStays,
  endDateInput,
  nationalRegistrationInput,
  recordServiceHoursInput,
  registerVolunteerInput,
  serviceDecisionInput,
  serviceVoidInput,
  today,
  updateVolunteerInput,
  volunteerTeamProblems,
} from '../../rules';

export const volunteerMutations: MutationResolvers = {
  registerVolunteer: (_, { input }, ctx) =>
    createInBranch(
      ctx,
      { action: 'registerVolunteer', roles: Roles.WRITERS, does: 'register volunteers', input: registerVolunteerInput, value: input },
      async (change, data, branch) => {
        const doc = newVolunteerDoc(data, branch, ctx.vault);
        checkNewVolunteer(doc);
        checkBranchDate(branch, doc.registeredOn, 'input.registeredOn');
        if (data.grassrootsUnitId) await requireUnit(ctx, data.grassrootsUnitId, branch, doc.registeredOn, 'input.grassrootsUnitId');
        if (doc.teamIds.length) {
          const teams = (await ctx.models.ServiceTeam.find({ _id: { $in: doc.teamIds } })
            .session(change.session)
            .lean()) as ServiceTeamDoc[];
          // Teams the viewer may not see are refused as such, before anything is said about them.
          for (const t of teams) ctx.access.requireOver(t.orgPath, `Service team ${String(t._id)}`);
          const problems = volunteerTeamProblems(doc, teams);
          if (problems.length) throw badInput(problems);
        }
        return change.create(ctx.models.Volunteer, 'Volunteer', doc);
      },
      // Two unique indexes may refuse it: the person in the branch, or the national volunteer code.
      async (data, branch) =>
        data.nationalSystemId && (await ctx.models.Volunteer.exists({ nationalSystemId: data.nationalSystemId }))
          ? nationalIdTaken('input.nationalSystemId')
          : conflict(`this person is already registered as a volunteer in ${branch.name}`, 'input.idNumber'),
    ),

  importVolunteers: (_, { input }, ctx) =>
    onceWithKey(ctx, ctx.models.Volunteer.db, 'importVolunteers', () => importVolunteers(ctx, input)),

  recordNationalRegistration: (_, { volunteerId, registeredOn, nationalSystemId }, ctx) =>
    unlessDuplicate(
      () =>
        pipeline.mutate(
          ctx,
          {
            action: 'recordNationalRegistration',
            roles: Roles.WRITERS,
            does: 'record national registrations',
            input: nationalRegistrationInput,
            value: { registeredOn, nationalSystemId },
            prefix: '',
          },
          async (change, data) => {
            const v = await change.own(ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId');
            checkVolunteerStays(v, 'volunteerId');
            checkNationalRegistration(v, data.registeredOn, 'registeredOn');
            const next = { nationalRegisteredOn: data.registeredOn, nationalSystemId: data.nationalSystemId ?? v.nationalSystemId };
            return change.update(
              ctx.models.Volunteer,
              'Volunteer',
              v,
              { $set: next },
              {
                auditAs: { before: { nationalRegisteredOn: v.nationalRegisteredOn, nationalSystemId: v.nationalSystemId }, after: next },
              },
            );
          },
        ),
      () => nationalIdTaken('nationalSystemId'),
    ),

  // Edits of the name, phone and skills (audited with the phone masked).
  updateVolunteer: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'updateVolunteer', roles: Roles.WRITERS, does: 'edit volunteers', input: updateVolunteerInput, value: input },
      async (change, data) => {
        const v = await change.own(ctx.models.Volunteer, 'Volunteer', id);
        checkVolunteerStays(v, 'id');
        const { set, auditAs } = personEdit(ctx.vault, v, data);
        return change.update(ctx.models.Volunteer, 'Volunteer', v, { $set: set }, { auditAs });
      },
    ),

  endVolunteer: (_, { id, on }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'endVolunteer', roles: Roles.WRITERS, does: 'end volunteers', input: endDateInput, value: { on }, prefix: '' },
      async (change, data) => {
        const v = await change.own(ctx.models.Volunteer, 'Volunteer', id);
        checkVolunteerEnd(v, data.on);
        const auditAs = { before: { endedOn: null }, after: { endedOn: data.on } };
        return endOnce(change, ctx.models.Volunteer, 'Volunteer', v, { endedOn: data.on }, 'the volunteer left meanwhile', auditAs);
      },
    ),

  joinServiceTeam: (_, { volunteerId, teamId }, ctx) =>
    pipeline.mutate(ctx, { action: 'joinServiceTeam', roles: Roles.WRITERS, does: 'put volunteers in teams' }, async (change) => {
      const v = await change.own(ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId');
      // The team changes too (its members): it must be in the viewer's subtree as well.
      const team = await change.own(ctx.models.ServiceTeam, 'ServiceTeam', teamId, 'teamId');
      checkTeamJoin(v, team);
      const teamIds = v.teamIds.some((t) => t.equals(team._id)) ? v.teamIds : [...v.teamIds, team._id];
      return updateTeams(change, ctx.models, v, teamIds, { $addToSet: { teamIds: team._id } });
    }),

  leaveServiceTeam: (_, { volunteerId, teamId }, ctx) =>
    pipeline.mutate(ctx, { action: 'leaveServiceTeam', roles: Roles.WRITERS, does: 'take volunteers out of teams' }, async (change) => {
      const team = toObjectId(teamId, 'teamId');
      // Only the volunteer's record changes: the volunteer's branch staff may take them out of any team.
      const v = await change.own(ctx.models.Volunteer, 'Volunteer', volunteerId, 'volunteerId');
      checkTeamLeave(v, team);
      return updateTeams(
        change,
        ctx.models,
        v,
        v.teamIds.filter((t) => !t.equals(team)),
        { $pull: { teamIds: team } },
      );
    }),

  // The organiser records (PENDING); the confirming branch decides (confirmServiceHours).
  recordServiceHours: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'recordServiceHours', roles: Roles.WRITERS, does: 'record service hours', input: recordServiceHoursInput, value: input },
      async (change, data) => {
        const { Volunteer, ServiceTeam, ServiceRecord } = ctx.models;
        const v = await change.own(Volunteer, 'Volunteer', data.volunteerId, 'input.volunteerId');
        // A team's activity is recorded by its organiser: the viewer must be over the team's branch too.
        const team = data.teamId
          ? ((await ServiceTeam.findById(data.teamId).session(change.session).lean()) as ServiceTeamDoc | null)
          : null;
        if (data.teamId && !team) throw notFound('ServiceTeam', data.teamId);
        if (team) ctx.access.requireOver(team.orgPath, `Service team ${String(team._id)}`);
        checkServiceHours(v, team, data.date, data.hours, 0);
        // One recording per volunteer at a time: touching the volunteer makes simultaneous ones
        // conflict (the driver retries the loser, which then sees the winner's hours).
        await Volunteer.collection.updateOne({ _id: v._id }, { $inc: { hoursRecorded: 1 } }, { session: change.session });
        const nearby = (await ServiceRecord.find(
          { volunteerId: v._id, date: { $gte: addDays(data.date, -6), $lte: addDays(data.date, 6) }, ...STANDING_HOURS },
          { date: 1, hours: 1 },
        )
          .session(change.session)
          .lean()) as Pick<ServiceRecordDoc, 'date' | 'hours'>[];
        checkServiceSeries(nearby, data.date, data.hours, ctx.config.serviceWeekMaxHours);
        const confirmer = team ?? v;
        return change.create<ServiceRecordDoc>(ServiceRecord, 'ServiceRecord', {
          volunteerId: v._id,
          teamId: team?._id ?? null,
          organizationId: v.organizationId,
          orgPath: v.orgPath,
          activity: data.activity,
          date: data.date,
          hours: data.hours,
          status: 'PENDING',
          confirmerId: confirmer.organizationId,
          confirmerPath: confirmer.orgPath,
          recordedBy: ctx.viewer.userId ?? null,
        });
      },
    ),

  confirmServiceHours: (_, { id, on }, ctx) => decideService(ctx, id, 'CONFIRMED', { on }),
  rejectServiceHours: (_, { id, reason, on }, ctx) => decideService(ctx, id, 'REJECTED', { reason, on }),

  // A wrong record is voided with its reason (kept as history); the counters follow.
  voidServiceHours: (_, { id, reason, on }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'voidServiceHours',
        roles: Roles.WRITERS,
        does: 'void service records',
        input: serviceVoidInput,
        value: { reason, on },
        prefix: '',
      },
      async (change, data) => {
        const record = await ownAsConfirmer(ctx, change, id);
        const date = data.on ?? today();
        checkServiceVoid(record, date);
        return change.update(
          ctx.models.ServiceRecord,
          'ServiceRecord',
          record,
          { $set: { status: 'VOIDED', decidedOn: date, decidedBy: ctx.viewer.userId ?? null, reason: data.reason } },
          { unchanged: { status: record.status ?? null }, meanwhile: 'the record was decided or voided meanwhile' },
        );
      },
    ),
};

/** A national volunteer code names one person (a unique index refused a second). */
const nationalIdTaken = (field: string) => conflict('another volunteer already has this national volunteer code', field);

/** Moves a volunteer in or out of a team, audited as the team lists before and after. */
function updateTeams(change: PeopleChange, models: Models, v: VolunteerDoc, teamIds: Types.ObjectId[], update: Record<string, unknown>) {
  return change.update(models.Volunteer, 'Volunteer', v, update, { auditAs: { before: { teamIds: v.teamIds }, after: { teamIds } } });
}

/**
 * A service record as its confirming branch's staff change it: FORBIDDEN unless the viewer is over
 * the confirming branch (the team's, else the volunteer's), NOT_FOUND when unknown.
 */
async function ownAsConfirmer(ctx: Context, change: PeopleChange, id: string): Promise<ServiceRecordDoc> {
  const record = await change.own(ctx.models.ServiceRecord, 'ServiceRecord', id);
  ctx.access.requireOver(record.confirmerPath ?? record.orgPath, `The confirming branch of service record ${id}`);
  return record;
}

/** Confirms or rejects a PENDING record: the confirming branch's staff, never the recorder. */
function decideService(ctx: Context, id: string, status: 'CONFIRMED' | 'REJECTED', args: { reason?: string | null; on?: unknown }) {
  const action = status === 'CONFIRMED' ? 'confirmServiceHours' : 'rejectServiceHours';
  const input = status === 'CONFIRMED' ? serviceDecisionInput : serviceVoidInput;
  return pipeline.mutate(
    ctx,
    { action, roles: Roles.WRITERS, does: 'decide service records', input, value: args, prefix: '' },
    async (change, data) => {
      const record = await ownAsConfirmer(ctx, change, id);
      if (!ctx.access.isService && record.recordedBy && record.recordedBy === ctx.viewer.userId)
        throw forbidden('The person who recorded these hours may not decide on them: another member of staff confirms');
      const date = data.on ?? today();
      checkServiceDecision(record, date);
      return change.update(
        ctx.models.ServiceRecord,
        'ServiceRecord',
        record,
        { $set: { status, decidedOn: date, decidedBy: ctx.viewer.userId ?? null, reason: data.reason ?? null } },
        { unchanged: { status: 'PENDING' }, meanwhile: 'the record was decided meanwhile' },
      );
    },
  );
}

const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
