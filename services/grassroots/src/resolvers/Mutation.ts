import { GraphQLError } from 'graphql';
import { Types, type ClientSession, type HydratedDocument } from 'mongoose';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { badInput, conflict, ErrorCode, notFound, parseInput } from '@rcsc/service-kit';
import { moveCounters, unitState } from '../counters';
import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { AssessmentDoc, BoaiHomeDoc, GrassrootsUnitDoc, LeaderDoc, MedicalInstitutionDoc, TownshipRef } from '../models';
import { findTownship, townshipInBranch, townshipRef } from '../places';
import {
  addAssessment,
  assessmentInput,
  checkClose,
  checkDesignation,
  checkDissolve,
  checkEstablishedOn,
  checkHomeUpdate,
  checkTypeExtras,
  closeHomeInput,
  designationDate,
  dissolveUnitInput,
  latestAssessment,
  meetsAll,
  openHomeInput,
  registerInstitutionInput,
  registerUnitInput,
  updateHomeInput,
  updateInstitutionInput,
  updateUnitInput,
} from '../rules';
import { requireOver, requireWriter } from './access';
import { toObjectId } from './filters';

const oid = (id: string) => new Types.ObjectId(id);

/**
 * The branch a record is written under, from the directory (never the organizations database).
 * A malformed id is BAD_USER_INPUT; an unknown branch is NOT_FOUND naming the field (issue 4); a
 * branch outside the viewer's subtree is FORBIDDEN; a dissolved one takes no new records.
 */
async function requireBranch(ctx: Context, id: string, field: string): Promise<BranchInfo> {
  toObjectId(id, field);
  const branch = await ctx.directory.get(id);
  if (!branch) {
    throw new GraphQLError(`Organization ${id} not found`, {
      extensions: { code: ErrorCode.NOT_FOUND, fields: [{ field, message: 'no branch has this id' }] },
    });
  }
  requireOver(ctx.viewer, pathOf(branch), `The branch ${branch.name}`);
  if (branch.dissolvedOn) throw badInput(field, 'the branch is dissolved');
  return branch;
}

/** A township code as stored, checked against the division data and the branch's division. */
function township(code: string | null | undefined, branch: BranchInfo | null, field: string): TownshipRef | null | undefined {
  if (code === undefined) return undefined;
  if (code === null) return null;
  const t = findTownship(code);
  if (!t) throw badInput(field, 'no township or street has this code');
  if (branch && !townshipInBranch(t, branch)) throw badInput(field, `lies outside the division of ${branch.name}`);
  return townshipRef(t);
}

function leader(ctx: Context, input: { name: string; phone?: string | null } | null | undefined): LeaderDoc | null | undefined {
  if (input === undefined) return undefined;
  if (input === null) return null;
  return { name: input.name, phone: input.phone ? ctx.vault.protect(input.phone, 'phone') : null };
}

/**
 * A unit as the audit log keeps it: the leader's phone only in its masked form, never its cipher
 * or its keyed hash (admins read the log through the graph).
 */
function auditedUnit(unit: GrassrootsUnitDoc) {
  return { ...unit, leader: unit.leader ? { name: unit.leader.name, phone: unit.leader.phone?.masked ?? null } : null };
}

/**
 * Runs a change in one transaction: the records, their links and their audit entries are
 * written together, or none of them (a refusal anywhere rolls everything back).
 */
function transaction<T>(ctx: Context, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  return ctx.models.GrassrootsUnit.db.transaction(fn);
}

/** Saves a document read earlier; a concurrent change (optimistic concurrency) is a CONFLICT. */
async function save<T>(doc: HydratedDocument<T>, session: ClientSession): Promise<T> {
  try {
    await doc.save({ session });
  } catch (err) {
    if ((err as Error).name === 'VersionError') throw conflict('the record was changed by someone else meanwhile; read it again and retry');
    throw err;
  }
  return doc.toObject() as T;
}

/** The unit to change: NOT_FOUND when unknown, FORBIDDEN outside the viewer's subtree. */
async function findUnit(ctx: Context, id: string, session: ClientSession) {
  const doc = await ctx.models.GrassrootsUnit.findById(toObjectId(id, 'id')).session(session);
  if (!doc) throw notFound('GrassrootsUnit', id);
  requireOver(ctx.viewer, doc.orgPath, `Grassroots unit ${id}`);
  return doc;
}

async function findHome(ctx: Context, id: string, session: ClientSession) {
  const doc = await ctx.models.BoaiHome.findById(toObjectId(id, 'id')).session(session);
  if (!doc) throw notFound('BoaiHome', id);
  requireOver(ctx.viewer, doc.orgPath, `Boai home ${id}`);
  return doc;
}

async function findInstitution(ctx: Context, id: string, session: ClientSession) {
  const doc = await ctx.models.MedicalInstitution.findById(toObjectId(id, 'id')).session(session);
  if (!doc) throw notFound('MedicalInstitution', id);
  requireOver(ctx.viewer, doc.orgPath, `Medical institution ${id}`);
  return doc;
}

const NO_EQUIPMENT = { schoolClinic: false, firstAidKiosks: 0, firstAidKits: 0, aeds: 0 };

export const Mutation: MutationResolvers = {
  async registerGrassrootsUnit(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'register grassroots units');
    const data = parseInput(registerUnitInput, input);
    const { GrassrootsUnit, MedicalInstitution } = ctx.models;
    const branch = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    const doc = {
      organizationId: oid(branch.id),
      orgPath: pathOf(branch).map(oid),
      name: data.name,
      type: data.type,
      township: township(data.townshipCode, branch, 'input.townshipCode') ?? null,
      community: data.community ?? null,
      establishedOn: data.establishedOn,
      leader: leader(ctx, data.leader) ?? null,
      school: data.type === 'SCHOOL' ? { ...NO_EQUIPMENT, ...data.school } : null,
      medicalInstitutionId: data.medicalInstitutionId ? oid(data.medicalInstitutionId) : null,
    };
    // The unit, its institution's link and their audit entries are written together, or none.
    return transaction(ctx, async (session) => {
      let inst: MedicalInstitutionDoc | null = null;
      if (data.medicalInstitutionId) {
        inst = (await MedicalInstitution.findById(doc.medicalInstitutionId).session(session).lean()) as MedicalInstitutionDoc | null;
        if (!inst) throw notFound('MedicalInstitution', data.medicalInstitutionId);
        // In the branch's area, hence in the viewer's subtree too.
        if (!inst.orgPath.some((p) => String(p) === branch.id)) {
          throw badInput('input.medicalInstitutionId', `the institution is not in the area of ${branch.name}`);
        }
      }
      const [created] = await GrassrootsUnit.create([doc], { session });
      const unit = created.toObject() as GrassrootsUnitDoc;
      await moveCounters(ctx.models, null, unitState(unit), session);
      await ctx.audit(
        {
          action: 'registerGrassrootsUnit',
          entity: 'GrassrootsUnit',
          entityId: unit._id,
          orgPath: unit.orgPath,
          after: auditedUnit(unit),
        },
        session,
      );
      if (inst) {
        const linked = await MedicalInstitution.updateOne(
          { _id: inst._id, grassrootsUnitId: null },
          { $set: { grassrootsUnitId: unit._id } },
          { session },
        );
        if (linked.modifiedCount !== 1) {
          throw conflict('the institution already has an active grassroots unit', 'input.medicalInstitutionId');
        }
        await ctx.audit(
          {
            action: 'registerGrassrootsUnit',
            entity: 'MedicalInstitution',
            entityId: inst._id,
            orgPath: inst.orgPath,
            before: { grassrootsUnitId: null },
            after: { grassrootsUnitId: unit._id },
          },
          session,
        );
      }
      return unit;
    });
  },

  async updateGrassrootsUnit(_, { id, input }, ctx) {
    requireWriter(ctx.viewer, 'update grassroots units');
    const data = parseInput(updateUnitInput, input);
    return transaction(ctx, async (session) => {
      const doc = await findUnit(ctx, id, session);
      const before = doc.toObject() as GrassrootsUnitDoc;
      checkTypeExtras(doc.type, { school: data.school });
      if (data.establishedOn) checkEstablishedOn(before, data.establishedOn);
      const branch = data.townshipCode ? await ctx.directory.get(String(doc.organizationId)) : null;
      const change: Partial<GrassrootsUnitDoc> = {};
      if (data.name !== undefined) change.name = data.name;
      if (data.community !== undefined) change.community = data.community;
      if (data.establishedOn !== undefined) change.establishedOn = data.establishedOn;
      if (data.school !== undefined) change.school = { ...NO_EQUIPMENT, ...data.school };
      const t = township(data.townshipCode, branch, 'input.townshipCode');
      if (t !== undefined) change.township = t;
      const l = leader(ctx, data.leader);
      if (l !== undefined) change.leader = l;
      doc.set(change);
      const after = await save<GrassrootsUnitDoc>(doc, session);
      await moveCounters(ctx.models, unitState(before), unitState(after), session);
      await ctx.audit(
        {
          action: 'updateGrassrootsUnit',
          entity: 'GrassrootsUnit',
          entityId: after._id,
          orgPath: after.orgPath,
          before: auditedUnit(before),
          after: auditedUnit(after),
        },
        session,
      );
      return after;
    });
  },

  async assessGrassrootsUnit(_, { id, input }, ctx) {
    requireWriter(ctx.viewer, 'assess grassroots units');
    const data = parseInput(assessmentInput, input);
    const item = (i: { met: boolean; evidence?: string | null }) => ({ met: i.met, evidence: i.evidence ?? null });
    const assessment: AssessmentDoc = {
      assessedOn: data.assessedOn,
      leader: item(data.leader),
      team: item(data.team),
      rules: item(data.rules),
      platform: item(data.platform),
      activities: item(data.activities),
      meetsAll: meetsAll(data),
      assessedBy: data.assessedBy ?? null,
    };
    return transaction(ctx, async (session) => {
      const doc = await findUnit(ctx, id, session);
      const before = doc.toObject() as GrassrootsUnitDoc;
      const assessments = addAssessment(before, assessment);
      doc.set({ assessments, meetsFiveHas: latestAssessment(assessments)!.meetsAll });
      const after = await save<GrassrootsUnitDoc>(doc, session);
      await ctx.audit(
        {
          action: 'assessGrassrootsUnit',
          entity: 'GrassrootsUnit',
          entityId: after._id,
          orgPath: after.orgPath,
          before: { meetsFiveHas: before.meetsFiveHas, assessments: before.assessments },
          after: { meetsFiveHas: after.meetsFiveHas, assessments: after.assessments },
        },
        session,
      );
      return after;
    });
  },

  async dissolveGrassrootsUnit(_, { id, input }, ctx) {
    requireWriter(ctx.viewer, 'dissolve grassroots units');
    const data = parseInput(dissolveUnitInput, input);
    const { GrassrootsUnit, MedicalInstitution } = ctx.models;
    const unitId = toObjectId(id, 'id');
    // The unit, its institution's link and their audit entries change together, or none.
    return transaction(ctx, async (session) => {
      const unit = (await GrassrootsUnit.findById(unitId).session(session).lean()) as GrassrootsUnitDoc | null;
      if (!unit) throw notFound('GrassrootsUnit', id);
      requireOver(ctx.viewer, unit.orgPath, `Grassroots unit ${id}`);
      checkDissolve(unit, data.dissolvedOn);
      const updated = (await GrassrootsUnit.findOneAndUpdate(
        { _id: unitId, dissolvedOn: null },
        { $set: { dissolvedOn: data.dissolvedOn, dissolvedReason: data.reason ?? null }, $inc: { __v: 1 } },
        { returnDocument: 'after', session },
      ).lean()) as GrassrootsUnitDoc | null;
      if (!updated) throw conflict('the unit was dissolved meanwhile', 'id');
      await moveCounters(ctx.models, unitState(unit), unitState(updated), session);
      await ctx.audit(
        {
          action: 'dissolveGrassrootsUnit',
          entity: 'GrassrootsUnit',
          entityId: unit._id,
          orgPath: unit.orgPath,
          before: auditedUnit(unit),
          after: auditedUnit(updated),
        },
        session,
      );
      if (unit.medicalInstitutionId) {
        const inst = (await MedicalInstitution.findOneAndUpdate(
          { _id: unit.medicalInstitutionId, grassrootsUnitId: unit._id },
          { $set: { grassrootsUnitId: null } },
          { session },
        ).lean()) as MedicalInstitutionDoc | null;
        if (inst) {
          await ctx.audit(
            {
              action: 'dissolveGrassrootsUnit',
              entity: 'MedicalInstitution',
              entityId: inst._id,
              orgPath: inst.orgPath,
              before: { grassrootsUnitId: unit._id },
              after: { grassrootsUnitId: null },
            },
            session,
          );
        }
      }
      return updated;
    });
  },

  async registerMedicalInstitution(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'register medical institutions');
    const data = parseInput(registerInstitutionInput, input);
    const branch = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    const doc = {
      organizationId: oid(branch.id),
      orgPath: pathOf(branch).map(oid),
      name: data.name,
      redCrossNamed: data.redCrossNamed,
      township: township(data.townshipCode, branch, 'input.townshipCode') ?? null,
      grassrootsUnitId: null,
    };
    return transaction(ctx, async (session) => {
      const [created] = await ctx.models.MedicalInstitution.create([doc], { session });
      const after = created.toObject() as MedicalInstitutionDoc;
      await ctx.audit(
        { action: 'registerMedicalInstitution', entity: 'MedicalInstitution', entityId: after._id, orgPath: after.orgPath, after },
        session,
      );
      return after;
    });
  },

  async updateMedicalInstitution(_, { id, input }, ctx) {
    requireWriter(ctx.viewer, 'update medical institutions');
    const data = parseInput(updateInstitutionInput, input);
    return transaction(ctx, async (session) => {
      const doc = await findInstitution(ctx, id, session);
      const before = doc.toObject() as MedicalInstitutionDoc;
      const branch = data.townshipCode ? await ctx.directory.get(String(doc.organizationId)) : null;
      const change: Partial<MedicalInstitutionDoc> = {};
      if (data.name !== undefined) change.name = data.name;
      if (data.redCrossNamed !== undefined) change.redCrossNamed = data.redCrossNamed;
      const t = township(data.townshipCode, branch, 'input.townshipCode');
      if (t !== undefined) change.township = t;
      doc.set(change);
      const after = await save<MedicalInstitutionDoc>(doc, session);
      await ctx.audit(
        { action: 'updateMedicalInstitution', entity: 'MedicalInstitution', entityId: after._id, orgPath: after.orgPath, before, after },
        session,
      );
      return after;
    });
  },

  async openBoaiHome(_, { input }, ctx) {
    requireWriter(ctx.viewer, 'open Boai homes');
    const data = parseInput(openHomeInput, input);
    const branch = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    const doc = {
      organizationId: oid(branch.id),
      orgPath: pathOf(branch).map(oid),
      name: data.name,
      setting: data.setting,
      township: township(data.townshipCode, branch, 'input.townshipCode') ?? null,
      community: data.community,
      embeddedIn: data.embeddedIn,
      services: data.services,
      openedOn: data.openedOn,
    };
    return transaction(ctx, async (session) => {
      const [created] = await ctx.models.BoaiHome.create([doc], { session });
      const after = created.toObject() as BoaiHomeDoc;
      await ctx.audit({ action: 'openBoaiHome', entity: 'BoaiHome', entityId: after._id, orgPath: after.orgPath, after }, session);
      return after;
    });
  },

  async updateBoaiHome(_, { id, input }, ctx) {
    requireWriter(ctx.viewer, 'update Boai homes');
    const data = parseInput(updateHomeInput, input);
    return transaction(ctx, async (session) => {
      const doc = await findHome(ctx, id, session);
      const before = doc.toObject() as BoaiHomeDoc;
      checkHomeUpdate(before, data);
      const branch = data.townshipCode ? await ctx.directory.get(String(doc.organizationId)) : null;
      const { townshipCode: _code, ...rest } = data;
      const t = township(data.townshipCode, branch, 'input.townshipCode');
      doc.set({ ...rest, ...(t !== undefined ? { township: t } : {}) });
      const after = await save<BoaiHomeDoc>(doc, session);
      await ctx.audit(
        { action: 'updateBoaiHome', entity: 'BoaiHome', entityId: after._id, orgPath: after.orgPath, before, after },
        session,
      );
      return after;
    });
  },

  async designateDemonstrationSite(_, { id, designatedOn }, ctx) {
    requireWriter(ctx.viewer, 'designate demonstration sites');
    const on = parseInput(designationDate, designatedOn, 'designatedOn');
    return transaction(ctx, async (session) => {
      const doc = await findHome(ctx, id, session);
      const before = doc.toObject() as BoaiHomeDoc;
      checkDesignation(before, on);
      doc.set({ demonstrationDesignatedOn: on });
      const after = await save<BoaiHomeDoc>(doc, session);
      await ctx.audit(
        { action: 'designateDemonstrationSite', entity: 'BoaiHome', entityId: after._id, orgPath: after.orgPath, before, after },
        session,
      );
      return after;
    });
  },

  async closeBoaiHome(_, { id, input }, ctx) {
    requireWriter(ctx.viewer, 'close Boai homes');
    const data = parseInput(closeHomeInput, input);
    return transaction(ctx, async (session) => {
      const doc = await findHome(ctx, id, session);
      const before = doc.toObject() as BoaiHomeDoc;
      checkClose(before, data.closedOn);
      doc.set({ closedOn: data.closedOn, closedReason: data.reason ?? null });
      const after = await save<BoaiHomeDoc>(doc, session);
      await ctx.audit({ action: 'closeBoaiHome', entity: 'BoaiHome', entityId: after._id, orgPath: after.orgPath, before, after }, session);
      return after;
    });
  },
};
