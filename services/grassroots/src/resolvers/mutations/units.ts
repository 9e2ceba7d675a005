import { Types } from 'mongoose';
import { conflict, notFound, type Change } from '@rcsc/service-kit';
import type { PersonalDataVault } from '@rcsc/personal-data';
import type { Context } from '../../context';
import type { MutationResolvers } from '../../generated/graphql';
import type { GrassrootsUnitDoc, LeaderDoc, MedicalInstitutionDoc } from '../../models';
import {
  addAssessment,
  assessmentInput,
  assessmentOf,
  checkDissolve,
  checkEstablishedOn,
  checkTypeExtras,
  checkUnitInstitution,
  dissolveUnitInput,
  latestAssessment,
  registerUnitInput,
  townshipAt,
  updateUnitInput,
} from '../../rules';
import { given, newRecordPlace, pipeline, saveVersioned, writes } from './pipeline';

const NO_EQUIPMENT = { schoolClinic: false, firstAidKiosks: 0, firstAidKits: 0, aeds: 0 };
const UNIT = 'GrassrootsUnit';

/** A leader as stored: the phone protected by the vault (undefined: not changed; null: none). */
function leaderOf(
  vault: PersonalDataVault,
  input: { name: string; phone?: string | null } | null | undefined,
): LeaderDoc | null | undefined {
  if (input == null) return input;
  return { name: input.name, phone: input.phone ? vault.protect(input.phone, 'phone') : null };
}

/**
 * Moves an institution's active unit from `from` to `to` (only if it still is `from`), audited
 * as that one field; the institution as it was, or null when its link had changed.
 */
async function relink(change: Change<Context>, institutionId: Types.ObjectId, from: Types.ObjectId | null, to: Types.ObjectId | null) {
  const before = (await change.ctx.models.MedicalInstitution.findOneAndUpdate(
    { _id: institutionId, grassrootsUnitId: from },
    { $set: { grassrootsUnitId: to } },
    { returnDocument: 'before', session: change.session },
  ).lean()) as MedicalInstitutionDoc | null;
  if (before) {
    const after = { ...before, grassrootsUnitId: to };
    await change.changed('MedicalInstitution', before, after, { before: { grassrootsUnitId: from }, after: { grassrootsUnitId: to } });
  }
  return before;
}

export const unitMutations: Pick<
  MutationResolvers,
  'registerGrassrootsUnit' | 'updateGrassrootsUnit' | 'assessGrassrootsUnit' | 'dissolveGrassrootsUnit'
> = {
  // The unit, its institution's link and their audit entries are written together, or none.
  registerGrassrootsUnit: (_, { input }, ctx) =>
    pipeline.mutate(ctx, writes('registerGrassrootsUnit', 'register grassroots units', registerUnitInput, input), async (change, data) => {
      const { branch, place } = await newRecordPlace(ctx, data);
      const doc = {
        ...place,
        name: data.name,
        type: data.type,
        community: data.community ?? null,
        establishedOn: data.establishedOn,
        leader: leaderOf(ctx.vault, data.leader) ?? null,
        school: data.type === 'SCHOOL' ? { ...NO_EQUIPMENT, ...data.school } : null,
        medicalInstitutionId: data.medicalInstitutionId ? new Types.ObjectId(data.medicalInstitutionId) : null,
      };
      if (doc.medicalInstitutionId) {
        const inst = await ctx.models.MedicalInstitution.findById(doc.medicalInstitutionId).session(change.session).lean();
        if (!inst) throw notFound('MedicalInstitution', String(doc.medicalInstitutionId));
        checkUnitInstitution(inst, branch);
      }
      const unit = await change.create<GrassrootsUnitDoc>(ctx.models.GrassrootsUnit, UNIT, doc);
      if (doc.medicalInstitutionId && !(await relink(change, doc.medicalInstitutionId, null, unit._id))) {
        throw conflict('the institution already has an active grassroots unit', 'input.medicalInstitutionId');
      }
      return unit;
    }),

  updateGrassrootsUnit: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('updateGrassrootsUnit', 'update grassroots units', updateUnitInput, input), async (change, data) => {
      const before = await change.own(ctx.models.GrassrootsUnit, UNIT, id);
      checkTypeExtras(before.type, { school: data.school });
      if (data.establishedOn) checkEstablishedOn(before, data.establishedOn);
      const branch = data.townshipCode ? await ctx.directory.get(String(before.organizationId)) : null;
      const set = given({
        name: data.name,
        community: data.community,
        establishedOn: data.establishedOn,
        school: data.school === undefined ? undefined : { ...NO_EQUIPMENT, ...data.school },
        township: townshipAt(data.townshipCode, branch),
        leader: leaderOf(ctx.vault, data.leader),
      });
      return saveVersioned(change, ctx.models.GrassrootsUnit, UNIT, before, set);
    }),

  // Only the assessments change: the audit entry shows them and the derived meetsFiveHas.
  assessGrassrootsUnit: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('assessGrassrootsUnit', 'assess grassroots units', assessmentInput, input), async (change, data) => {
      const before = await change.own(ctx.models.GrassrootsUnit, UNIT, id);
      const assessments = addAssessment(before, assessmentOf(data));
      const meetsFiveHas = latestAssessment(assessments)!.meetsAll;
      return saveVersioned(
        change,
        ctx.models.GrassrootsUnit,
        UNIT,
        before,
        { assessments, meetsFiveHas },
        {
          before: { meetsFiveHas: before.meetsFiveHas, assessments: before.assessments },
          after: { meetsFiveHas, assessments },
        },
      );
    }),

  // The unit and its institution's link (cleared) change together, or neither.
  dissolveGrassrootsUnit: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('dissolveGrassrootsUnit', 'dissolve grassroots units', dissolveUnitInput, input), async (change, data) => {
      const unit = await change.own(ctx.models.GrassrootsUnit, UNIT, id);
      checkDissolve(unit, data.dissolvedOn);
      const dissolved = await change.update(
        ctx.models.GrassrootsUnit,
        UNIT,
        unit,
        { $set: { dissolvedOn: data.dissolvedOn, dissolvedReason: data.reason ?? null }, $inc: { __v: 1 } },
        { unchanged: { dissolvedOn: null }, meanwhile: 'the unit was dissolved meanwhile' },
      );
      if (unit.medicalInstitutionId) await relink(change, unit.medicalInstitutionId, unit._id, null);
      return dissolved;
    }),
};
