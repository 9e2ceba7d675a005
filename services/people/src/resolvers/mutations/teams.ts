// Service teams: founding and dissolving.
import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { conflict } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import { storedPath } from '../../new-records';
import { pipeline, unlessDuplicate } from '../../pipeline';
import { checkTeamDissolution, createServiceTeamInput, endDateInput } from '../../rules';

export const teamMutations: MutationResolvers = {
  async createServiceTeam(_, { input }, ctx) {
    const rule = {
      action: 'createServiceTeam',
      roles: Roles.WRITERS,
      does: 'create service teams',
      input: createServiceTeamInput,
      value: input,
    };
    let named = '';
    return unlessDuplicate(
      () =>
        pipeline.mutate(ctx, rule, async (change, data) => {
          const branch = await ctx.access.activeBranch(data.organizationId, 'input.organizationId');
          named = `${branch.name} already has a service team named ${data.name}`;
          return change.create(ctx.models.ServiceTeam, 'ServiceTeam', {
            name: data.name,
            specialty: data.specialty,
            organizationId: new Types.ObjectId(branch.id),
            orgPath: storedPath(branch),
            orgLevel: branch.level,
            foundedOn: data.foundedOn,
          });
        }),
      () => conflict(named, 'input.name'),
    );
  },

  dissolveServiceTeam: (_, { id, on }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'dissolveServiceTeam',
        roles: Roles.WRITERS,
        does: 'dissolve service teams',
        input: endDateInput,
        value: { on },
        prefix: '',
      },
      async (change, data) => {
        const team = await change.own(ctx.models.ServiceTeam, 'ServiceTeam', id);
        checkTeamDissolution(team, data.on);
        return change.update(
          ctx.models.ServiceTeam,
          'ServiceTeam',
          team,
          { $set: { dissolvedOn: data.on } },
          { unchanged: { dissolvedOn: null }, meanwhile: 'the team was dissolved meanwhile' },
        );
      },
    ),
};
