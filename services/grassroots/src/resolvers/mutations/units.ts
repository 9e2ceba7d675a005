import { Types } from 'mongoose';
import { badInput, conflict, notFound, type Change } from '@rcsc/service-kit';
import type { PersonalDataVault } from '@rcsc/personal-data';
import type { Context } from '../../context';
import type { MutationResolvers } from '../../generated/graphql';
import type { GrassrootsUnitDoc, LeaderDoc, MedicalInstitutionDoc } from '../../models';
import type { UnitPeriodDoc } from '../../models';
import {
  addAssessment,
  assessmentInput,
  assessmentOf,
  checkBranchDate,
  checkDissolve,
  checkEstablishedOn,
  checkTypeExtras,
  checkUnitInstitution,
  contactOf,
  correctAssessment,
  correctAssessmentInput,
  dissolveUnitInput,
  equipmentFromCounts,
  equipmentSetTo,
  fiveHasPeriods,
  latestAssessment,
  registerUnitInput,
  today,
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
 * Moves an institution's active unit from `link.from` to `link.to` (only if it still is `from`;
 * no link: only the dates change) and dates it in its unit periods, audited as those fields; the
 * institution as it was, or null when its link had changed meanwhile.
 */
async function relink(
  change: Change<Context>,
  institutionId: Types.ObjectId,
  link: { from: Types.ObjectId | null; to: Types.ObjectId | null } | null,
  periods: (list: UnitPeriodDoc[]) => UnitPeriodDoc[],
) {
  const { MedicalInstitution } = change.ctx.models;
  const filter = link ? { _id: institutionId, grassrootsUnitId: link.from } : { _id: institutionId };
  const before = (await MedicalInstitution.findOne(filter).session(change.session).lean()) as MedicalInstitutionDoc | null;
  if (!before) return null;
  const unitPeriods = periods(before.unitPeriods ?? []);
  const grassrootsUnitId = link ? link.to : before.grassrootsUnitId;
  const written = await MedicalInstitution.updateOne(filter, { $set: { grassrootsUnitId, unitPeriods } }, { session: change.session });
  if (!written.matchedCount) return null;
  const after = { ...before, grassrootsUnitId, unitPeriods };
  await change.changed('MedicalInstitution', before, after, {
    before: { grassrootsUnitId: before.grassrootsUnitId, unitPeriods: before.unitPeriods ?? [] },
    after: { grassrootsUnitId, unitPeriods },
  });
  return before;
}

/** The unit's period in its institution's list, changed by `f`. */
const periodOf = (unitId: Types.ObjectId, f: (p: UnitPeriodDoc) => UnitPeriodDoc) => (list: UnitPeriodDoc[]) =>
  list.map((p) => (String(p.unitId) === String(unitId) ? f(p) : p));

/** Saves a new assessment history with the periods and meetsFiveHas derived from it, audited as those fields. */
function saveAssessments(
  change: Change<Context>,
  before: GrassrootsUnitDoc,
  assessments: GrassrootsUnitDoc['assessments'],
  reason?: string,
) {
  const meetsFiveHas = latestAssessment(assessments)?.meetsAll ?? false;
  const fiveHas = fiveHasPeriods(assessments);
  return saveVersioned(
    change,
    change.ctx.models.GrassrootsUnit,
    UNIT,
    before,
    { assessments, meetsFiveHas, fiveHas },
    {
      before: { meetsFiveHas: before.meetsFiveHas, assessments: before.assessments },
      after: { meetsFiveHas, assessments, ...(reason ? { reason } : {}) },
    },
  );
}

/**
 * The equipment when the establishment date is corrected: records dated the old establishment
 * (given at registration) move with it; any other record must stay on or after the new date.
 */
function equipmentOnNewEstablishment(unit: GrassrootsUnitDoc, establishedOn: Date) {
  if (!unit.equipment) return unit.equipment;
  const old = unit.establishedOn.getTime();
  const moved = unit.equipment.map((e) => (e.installedOn.getTime() === old ? { ...e, installedOn: establishedOn } : e));
  if (moved.some((e) => e.installedOn < establishedOn || (e.removedOn && e.removedOn <= establishedOn)))
    throw badInput('input.establishedOn', 'must not be after equipment recorded later than the establishment was installed');
  return moved;
}

export const unitMutations: Pick<
  MutationResolvers,
  'registerGrassrootsUnit' | 'updateGrassrootsUnit' | 'assessGrassrootsUnit' | 'correctGrassrootsAssessment' | 'dissolveGrassrootsUnit'
> = {
  // The unit, its institution's link and their audit entries are written together, or none.
  registerGrassrootsUnit: (_, { input }, ctx) =>
    pipeline.mutate(ctx, writes('registerGrassrootsUnit', 'register grassroots units', registerUnitInput, input), async (change, data) => {
      const { branch, place } = await newRecordPlace(ctx, data);
      checkBranchDate(branch, data.establishedOn, 'input.establishedOn');
      const doc = {
        ...place,
        name: data.name,
        type: data.type,
        community: data.community ?? null,
        establishedOn: data.establishedOn,
        leader: leaderOf(ctx.vault, data.leader) ?? null,
        fiveHas: [],
        // Equipment given at registration is dated the unit's establishment.
        equipment: data.type === 'SCHOOL' ? equipmentFromCounts(data.school, data.establishedOn) : undefined,
        contact: contactOf(data.contact) ?? null,
        location: data.location ?? null,
        medicalInstitutionId: data.medicalInstitutionId ? new Types.ObjectId(data.medicalInstitutionId) : null,
      };
      if (doc.medicalInstitutionId) {
        const inst = await ctx.models.MedicalInstitution.findById(doc.medicalInstitutionId).session(change.session).lean();
        if (!inst) throw notFound('MedicalInstitution', String(doc.medicalInstitutionId));
        checkUnitInstitution(inst, branch);
      }
      const unit = await change.create<GrassrootsUnitDoc>(ctx.models.GrassrootsUnit, UNIT, doc);
      const since = { unitId: unit._id, since: data.establishedOn, until: null };
      if (
        doc.medicalInstitutionId &&
        !(await relink(change, doc.medicalInstitutionId, { from: null, to: unit._id }, (list) => [...list, since]))
      ) {
        throw conflict('the institution already has an active grassroots unit', 'input.medicalInstitutionId');
      }
      return unit;
    }),

  updateGrassrootsUnit: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('updateGrassrootsUnit', 'update grassroots units', updateUnitInput, input), async (change, data) => {
      const before = await change.own(ctx.models.GrassrootsUnit, UNIT, id);
      checkTypeExtras(before.type, { school: data.school });
      const branch = data.townshipCode || data.establishedOn ? await ctx.directory.get(String(before.organizationId)) : null;
      let equipment = before.equipment;
      if (data.establishedOn) {
        checkEstablishedOn(before, data.establishedOn);
        if (branch) checkBranchDate(branch, data.establishedOn, 'input.establishedOn');
        equipment = equipmentOnNewEstablishment(before, data.establishedOn);
      }
      // Counts given without dates change what is in place from today on; the past stays.
      if (data.school !== undefined) equipment = equipmentSetTo({ ...before, equipment }, { ...NO_EQUIPMENT, ...data.school }, today());
      const set = given({
        name: data.name,
        community: data.community,
        establishedOn: data.establishedOn,
        equipment: equipment === before.equipment ? undefined : equipment,
        township: townshipAt(data.townshipCode, branch),
        leader: leaderOf(ctx.vault, data.leader),
        contact: contactOf(data.contact),
        location: data.location,
      });
      const after = await saveVersioned(change, ctx.models.GrassrootsUnit, UNIT, before, set);
      if (data.establishedOn && before.medicalInstitutionId) {
        const since = data.establishedOn;
        await relink(
          change,
          before.medicalInstitutionId,
          null,
          periodOf(before._id, (p) => ({ ...p, since })),
        );
      }
      return after;
    }),

  // Only the assessments change: the audit entry shows them and the derived meetsFiveHas.
  assessGrassrootsUnit: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('assessGrassrootsUnit', 'assess grassroots units', assessmentInput, input), async (change, data) => {
      const before = await change.own(ctx.models.GrassrootsUnit, UNIT, id);
      return saveAssessments(change, before, addAssessment(before, assessmentOf(data)));
    }),

  // The past corrected on purpose: the reason is kept on the assessment and in the audit entry.
  correctGrassrootsAssessment: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      writes('correctGrassrootsAssessment', 'correct assessments of grassroots units', correctAssessmentInput, input),
      async (change, { reason, ...data }) => {
        const before = await change.own(ctx.models.GrassrootsUnit, UNIT, id);
        return saveAssessments(change, before, correctAssessment(before, assessmentOf(data), reason), reason);
      },
    ),

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
      if (unit.medicalInstitutionId)
        await relink(
          change,
          unit.medicalInstitutionId,
          { from: unit._id, to: null },
          periodOf(unit._id, (p) => ({ ...p, until: data.dissolvedOn })),
        );
      return dissolved;
    }),
};
