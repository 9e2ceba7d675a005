import type { MutationResolvers } from '../../generated/graphql';
import type { BoaiHomeDoc } from '../../models';
import {
  checkClose,
  checkDesignation,
  checkHomeUpdate,
  closeHomeInput,
  designationDate,
  openHomeInput,
  townshipAt,
  updateHomeInput,
} from '../../rules';
import { given, newRecordPlace, pipeline, saveVersioned, writes } from './pipeline';

const HOME = 'BoaiHome';

export const homeMutations: Pick<MutationResolvers, 'openBoaiHome' | 'updateBoaiHome' | 'designateDemonstrationSite' | 'closeBoaiHome'> = {
  openBoaiHome: (_, { input }, ctx) =>
    pipeline.mutate(ctx, writes('openBoaiHome', 'open Boai homes', openHomeInput, input), async (change, data) => {
      const { place } = await newRecordPlace(ctx, data);
      return change.create<BoaiHomeDoc>(ctx.models.BoaiHome, HOME, {
        ...place,
        name: data.name,
        setting: data.setting,
        community: data.community,
        embeddedIn: data.embeddedIn,
        services: data.services,
        openedOn: data.openedOn,
      });
    }),

  updateBoaiHome: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('updateBoaiHome', 'update Boai homes', updateHomeInput, input), async (change, data) => {
      const before = await change.own(ctx.models.BoaiHome, HOME, id);
      checkHomeUpdate(before, data);
      const { townshipCode, ...rest } = data;
      const branch = townshipCode ? await ctx.directory.get(String(before.organizationId)) : null;
      return saveVersioned(change, ctx.models.BoaiHome, HOME, before, given({ ...rest, township: townshipAt(townshipCode, branch) }));
    }),

  designateDemonstrationSite: (_, { id, designatedOn }, ctx) =>
    pipeline.mutate(
      ctx,
      writes('designateDemonstrationSite', 'designate demonstration sites', designationDate, designatedOn, 'designatedOn'),
      async (change, on) => {
        const before = await change.own(ctx.models.BoaiHome, HOME, id);
        checkDesignation(before, on);
        return saveVersioned(change, ctx.models.BoaiHome, HOME, before, { demonstrationDesignatedOn: on });
      },
    ),

  closeBoaiHome: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('closeBoaiHome', 'close Boai homes', closeHomeInput, input), async (change, data) => {
      const before = await change.own(ctx.models.BoaiHome, HOME, id);
      checkClose(before, data.closedOn);
      return saveVersioned(change, ctx.models.BoaiHome, HOME, before, { closedOn: data.closedOn, closedReason: data.reason ?? null });
    }),
};
