import type { MutationResolvers } from '../../generated/graphql';
import type { BoaiHomeDoc, PeriodDoc } from '../../models';
import {
  checkBranchDate,
  checkClose,
  checkDesignation,
  checkHomeUpdate,
  checkRevocation,
  closeHomeInput,
  contactOf,
  correctDesignation,
  correctDesignationInput,
  designationDate,
  endDesignationsOnClose,
  openHomeInput,
  revokeDesignationInput,
  townshipAt,
  updateHomeInput,
} from '../../rules';
import { given, newRecordPlace, pipeline, saveVersioned, writes } from './pipeline';

const HOME = 'BoaiHome';

/** The designation fields a list of periods implies: the start of the designation in force (null: none), kept for compatibility. */
const designations = (periods: PeriodDoc[]) => {
  const last = periods.at(-1);
  return { demonstrationPeriods: periods, demonstrationDesignatedOn: last && !last.until ? last.since : null };
};

export const homeMutations: Pick<
  MutationResolvers,
  | 'openBoaiHome'
  | 'updateBoaiHome'
  | 'designateDemonstrationSite'
  | 'revokeDemonstrationSite'
  | 'correctDemonstrationSite'
  | 'closeBoaiHome'
> = {
  openBoaiHome: (_, { input }, ctx) =>
    pipeline.mutate(ctx, writes('openBoaiHome', 'open Boai homes', openHomeInput, input), async (change, data) => {
      const { branch, place } = await newRecordPlace(ctx, data);
      checkBranchDate(branch, data.openedOn, 'input.openedOn');
      return change.create<BoaiHomeDoc>(ctx.models.BoaiHome, HOME, {
        ...place,
        name: data.name,
        setting: data.setting,
        community: data.community,
        embeddedIn: data.embeddedIn,
        services: data.services,
        openedOn: data.openedOn,
        demonstrationPeriods: [],
        contact: contactOf(data.contact) ?? null,
        location: data.location ?? null,
      });
    }),

  updateBoaiHome: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('updateBoaiHome', 'update Boai homes', updateHomeInput, input), async (change, data) => {
      const before = await change.own(ctx.models.BoaiHome, HOME, id);
      checkHomeUpdate(before, data);
      const { townshipCode, contact, ...rest } = data;
      const branch = townshipCode || data.openedOn ? await ctx.directory.get(String(before.organizationId)) : null;
      if (data.openedOn && branch) checkBranchDate(branch, data.openedOn, 'input.openedOn');
      return saveVersioned(
        change,
        ctx.models.BoaiHome,
        HOME,
        before,
        given({ ...rest, contact: contactOf(contact), township: townshipAt(townshipCode, branch) }),
      );
    }),

  designateDemonstrationSite: (_, { id, designatedOn }, ctx) =>
    pipeline.mutate(
      ctx,
      writes('designateDemonstrationSite', 'designate demonstration sites', designationDate, designatedOn, 'designatedOn'),
      async (change, on) => {
        const before = await change.own(ctx.models.BoaiHome, HOME, id);
        return saveVersioned(change, ctx.models.BoaiHome, HOME, before, designations(checkDesignation(before, on)));
      },
    ),

  revokeDemonstrationSite: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      writes('revokeDemonstrationSite', 'revoke demonstration sites', revokeDesignationInput, input),
      async (change, data) => {
        const before = await change.own(ctx.models.BoaiHome, HOME, id);
        return saveVersioned(
          change,
          ctx.models.BoaiHome,
          HOME,
          before,
          designations(checkRevocation(before, data.revokedOn, data.reason ?? null)),
        );
      },
    ),

  // The past corrected on purpose: the reason is kept on the period and in the audit entry.
  correctDemonstrationSite: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      writes('correctDemonstrationSite', 'correct demonstration sites', correctDesignationInput, input),
      async (change, data) => {
        const before = await change.own(ctx.models.BoaiHome, HOME, id);
        const periods = correctDesignation(before, { since: data.since, until: data.until ?? null }, data.reason);
        return saveVersioned(change, ctx.models.BoaiHome, HOME, before, designations(periods));
      },
    ),

  closeBoaiHome: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('closeBoaiHome', 'close Boai homes', closeHomeInput, input), async (change, data) => {
      const before = await change.own(ctx.models.BoaiHome, HOME, id);
      checkClose(before, data.closedOn);
      return saveVersioned(change, ctx.models.BoaiHome, HOME, before, {
        closedOn: data.closedOn,
        closedReason: data.reason ?? null,
        ...designations(endDesignationsOnClose(before, data.closedOn)),
      });
    }),
};
