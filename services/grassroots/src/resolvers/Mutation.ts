import { GraphQLError } from 'graphql';
import { Types, type HydratedDocument } from 'mongoose';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { badInput, conflict, ErrorCode, notFound, parseInput } from '@rcsc/service-kit';
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
import { toObjectId } from './filters';

const oid = (id: string) => new Types.ObjectId(id);

/**
 * The branch a record is written under, from the directory (never the organizations database).
 * A malformed id is BAD_USER_INPUT; an unknown branch is NOT_FOUND naming the field (issue 4); a
 * dissolved one takes no new records.
 */
async function requireBranch(ctx: Context, id: string, field: string): Promise<BranchInfo> {
  toObjectId(id, field);
  const branch = await ctx.directory.get(id);
  if (!branch) {
    throw new GraphQLError(`Organization ${id} not found`, {
      extensions: { code: ErrorCode.NOT_FOUND, fields: [{ field, message: 'no branch has this id' }] },
    });
  }
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

/** Saves a document read earlier; a concurrent change (optimistic concurrency) is a CONFLICT. */
async function save<T>(doc: HydratedDocument<T>): Promise<T> {
  try {
    await doc.save();
  } catch (err) {
    if ((err as Error).name === 'VersionError') throw conflict('the record was changed by someone else meanwhile; read it again and retry');
    throw err;
  }
  return doc.toObject() as T;
}

async function findUnit(ctx: Context, id: string) {
  const doc = await ctx.models.GrassrootsUnit.findById(toObjectId(id, 'id'));
  if (!doc) throw notFound('GrassrootsUnit', id);
  return doc;
}

async function findHome(ctx: Context, id: string) {
  const doc = await ctx.models.BoaiHome.findById(toObjectId(id, 'id'));
  if (!doc) throw notFound('BoaiHome', id);
  return doc;
}

const NO_EQUIPMENT = { schoolClinic: false, firstAidKiosks: 0, firstAidKits: 0, aeds: 0 };

export const Mutation: MutationResolvers = {
  async registerGrassrootsUnit(_, { input }, ctx) {
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
    if (!data.medicalInstitutionId) return (await GrassrootsUnit.create(doc)).toObject() as GrassrootsUnitDoc;
    // The unit and its institution's link are written together, or neither.
    return GrassrootsUnit.db.transaction(async (session) => {
      const inst = (await MedicalInstitution.findById(doc.medicalInstitutionId).session(session).lean()) as MedicalInstitutionDoc | null;
      if (!inst) throw notFound('MedicalInstitution', data.medicalInstitutionId!);
      if (!inst.orgPath.some((p) => String(p) === branch.id)) {
        throw badInput('input.medicalInstitutionId', `the institution is not in the area of ${branch.name}`);
      }
      const [unit] = await GrassrootsUnit.create([doc], { session });
      const linked = await MedicalInstitution.updateOne(
        { _id: inst._id, grassrootsUnitId: null },
        { $set: { grassrootsUnitId: unit._id } },
        { session },
      );
      if (linked.modifiedCount !== 1) throw conflict('the institution already has an active grassroots unit', 'input.medicalInstitutionId');
      return unit.toObject() as GrassrootsUnitDoc;
    });
  },

  async updateGrassrootsUnit(_, { id, input }, ctx) {
    const data = parseInput(updateUnitInput, input);
    const doc = await findUnit(ctx, id);
    checkTypeExtras(doc.type, { school: data.school });
    if (data.establishedOn) checkEstablishedOn(doc, data.establishedOn);
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
    return save<GrassrootsUnitDoc>(doc);
  },

  async assessGrassrootsUnit(_, { id, input }, ctx) {
    const data = parseInput(assessmentInput, input);
    const doc = await findUnit(ctx, id);
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
    const assessments = addAssessment(doc.toObject() as GrassrootsUnitDoc, assessment);
    doc.set({ assessments, meetsFiveHas: latestAssessment(assessments)!.meetsAll });
    return save<GrassrootsUnitDoc>(doc);
  },

  async dissolveGrassrootsUnit(_, { id, input }, ctx) {
    const data = parseInput(dissolveUnitInput, input);
    const { GrassrootsUnit, MedicalInstitution } = ctx.models;
    const unitId = toObjectId(id, 'id');
    // The unit and its institution's link change together, or neither.
    return GrassrootsUnit.db.transaction(async (session) => {
      const unit = (await GrassrootsUnit.findById(unitId).session(session).lean()) as GrassrootsUnitDoc | null;
      if (!unit) throw notFound('GrassrootsUnit', id);
      checkDissolve(unit, data.dissolvedOn);
      const updated = (await GrassrootsUnit.findOneAndUpdate(
        { _id: unitId, dissolvedOn: null },
        { $set: { dissolvedOn: data.dissolvedOn, dissolvedReason: data.reason ?? null }, $inc: { __v: 1 } },
        { returnDocument: 'after', session },
      ).lean()) as GrassrootsUnitDoc | null;
      if (!updated) throw conflict('the unit was dissolved meanwhile', 'id');
      if (unit.medicalInstitutionId) {
        await MedicalInstitution.updateOne(
          { _id: unit.medicalInstitutionId, grassrootsUnitId: unit._id },
          { $set: { grassrootsUnitId: null } },
          { session },
        );
      }
      return updated;
    });
  },

  async registerMedicalInstitution(_, { input }, ctx) {
    const data = parseInput(registerInstitutionInput, input);
    const branch = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    const created = await ctx.models.MedicalInstitution.create({
      organizationId: oid(branch.id),
      orgPath: pathOf(branch).map(oid),
      name: data.name,
      redCrossNamed: data.redCrossNamed,
      township: township(data.townshipCode, branch, 'input.townshipCode') ?? null,
      grassrootsUnitId: null,
    });
    return created.toObject() as MedicalInstitutionDoc;
  },

  async updateMedicalInstitution(_, { id, input }, ctx) {
    const data = parseInput(updateInstitutionInput, input);
    const doc = await ctx.models.MedicalInstitution.findById(toObjectId(id, 'id'));
    if (!doc) throw notFound('MedicalInstitution', id);
    const branch = data.townshipCode ? await ctx.directory.get(String(doc.organizationId)) : null;
    const change: Partial<MedicalInstitutionDoc> = {};
    if (data.name !== undefined) change.name = data.name;
    if (data.redCrossNamed !== undefined) change.redCrossNamed = data.redCrossNamed;
    const t = township(data.townshipCode, branch, 'input.townshipCode');
    if (t !== undefined) change.township = t;
    doc.set(change);
    await doc.save();
    return doc.toObject() as MedicalInstitutionDoc;
  },

  async openBoaiHome(_, { input }, ctx) {
    const data = parseInput(openHomeInput, input);
    const branch = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    const created = await ctx.models.BoaiHome.create({
      organizationId: oid(branch.id),
      orgPath: pathOf(branch).map(oid),
      name: data.name,
      setting: data.setting,
      township: township(data.townshipCode, branch, 'input.townshipCode') ?? null,
      community: data.community,
      embeddedIn: data.embeddedIn,
      services: data.services,
      openedOn: data.openedOn,
    });
    return created.toObject() as BoaiHomeDoc;
  },

  async updateBoaiHome(_, { id, input }, ctx) {
    const data = parseInput(updateHomeInput, input);
    const doc = await findHome(ctx, id);
    checkHomeUpdate(doc, data);
    const branch = data.townshipCode ? await ctx.directory.get(String(doc.organizationId)) : null;
    const { townshipCode: _code, ...rest } = data;
    const t = township(data.townshipCode, branch, 'input.townshipCode');
    doc.set({ ...rest, ...(t !== undefined ? { township: t } : {}) });
    return save<BoaiHomeDoc>(doc);
  },

  async designateDemonstrationSite(_, { id, designatedOn }, ctx) {
    const on = parseInput(designationDate, designatedOn, 'designatedOn');
    const doc = await findHome(ctx, id);
    checkDesignation(doc, on);
    doc.set({ demonstrationDesignatedOn: on });
    return save<BoaiHomeDoc>(doc);
  },

  async closeBoaiHome(_, { id, input }, ctx) {
    const data = parseInput(closeHomeInput, input);
    const doc = await findHome(ctx, id);
    checkClose(doc, data.closedOn);
    doc.set({ closedOn: data.closedOn, closedReason: data.reason ?? null });
    return save<BoaiHomeDoc>(doc);
  },
};
