import type { MutationResolvers } from '../../generated/graphql';
import type { MedicalInstitutionDoc } from '../../models';
import { registerInstitutionInput, townshipAt, updateInstitutionInput } from '../../rules';
import { given, newRecordPlace, pipeline, writes } from './pipeline';

const INSTITUTION = 'MedicalInstitution';

export const institutionMutations: Pick<MutationResolvers, 'registerMedicalInstitution' | 'updateMedicalInstitution'> = {
  registerMedicalInstitution: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      writes('registerMedicalInstitution', 'register medical institutions', registerInstitutionInput, input),
      async (change, data) => {
        const { place } = await newRecordPlace(ctx, data);
        return change.create<MedicalInstitutionDoc>(ctx.models.MedicalInstitution, INSTITUTION, {
          ...place,
          name: data.name,
          redCrossNamed: data.redCrossNamed,
          grassrootsUnitId: null,
        });
      },
    ),

  // Institutions are not versioned: the last update wins (the unit link is guarded where it is set).
  updateMedicalInstitution: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      writes('updateMedicalInstitution', 'update medical institutions', updateInstitutionInput, input),
      async (change, data) => {
        const before = await change.own(ctx.models.MedicalInstitution, INSTITUTION, id);
        const branch = data.townshipCode ? await ctx.directory.get(String(before.organizationId)) : null;
        const set = given({ name: data.name, redCrossNamed: data.redCrossNamed, township: townshipAt(data.townshipCode, branch) });
        return change.update(ctx.models.MedicalInstitution, INSTITUTION, before, { $set: set });
      },
    ),
};
