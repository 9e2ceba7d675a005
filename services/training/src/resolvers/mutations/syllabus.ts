import { Roles } from '@rcsc/access';
import { pathOf } from '@rcsc/directory';
import { conflict, forbidden, isDuplicateKey } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import type { SyllabusModuleDoc } from '../../models';
import { publishSyllabusModuleInput } from '../../inputs';
import { checkNewVersion } from '../../rules';
import { pipeline } from './pipeline';

export const syllabusMutations: Pick<MutationResolvers, 'publishSyllabusModule'> = {
  // The syllabus is national: published by TRAINING_MANAGERs and ADMINs of the national HQ, and
  // audited in the HQ's log.
  async publishSyllabusModule(_, { input }, ctx) {
    const rule = {
      action: 'publishSyllabusModule',
      roles: Roles.TRAINING_MANAGERS,
      does: 'publish syllabus modules',
      input: publishSyllabusModuleInput,
      value: input,
    };
    try {
      return await pipeline.mutate(ctx, rule, async (change, data) => {
        const hq = (await ctx.directory.all()).find((b) => !b.parentId);
        if (!hq) throw forbidden('Only the national headquarters may publish syllabus modules');
        ctx.access.requireOwnBranch(hq, ['TRAINING_MANAGER', 'ADMIN'], 'publish syllabus modules');
        const { SyllabusModule } = ctx.models;
        const previous = (await SyllabusModule.findOne({ code: data.code })
          .sort({ version: -1 })
          .session(change.session)
          .lean()) as SyllabusModuleDoc | null;
        checkNewVersion(previous, data.effectiveFrom);
        const orgPath = pathOf(hq);
        if (previous) {
          const superseded = { ...previous, supersededOn: data.effectiveFrom };
          await SyllabusModule.updateOne(
            { _id: previous._id },
            { $set: { supersededOn: data.effectiveFrom } },
            { session: change.session },
          );
          await change.audit({ entity: 'SyllabusModule', entityId: previous._id, orgPath, before: previous, after: superseded });
        }
        const version = { ...data, version: (previous?.version ?? 0) + 1, supersededOn: null };
        const [created] = await SyllabusModule.create([version], { session: change.session });
        const after = created.toObject() as SyllabusModuleDoc;
        await change.audit({ entity: 'SyllabusModule', entityId: after._id, orgPath, after });
        return after;
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`another version of ${input.code} was published at the same time; try again`, 'input.code');
      throw err;
    }
  },
};
