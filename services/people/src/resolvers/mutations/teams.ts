// Service teams: founding and dissolving.
import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { conflict } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import { storedPath } from '../../new-records';
import { createInBranch, endOnce, pipeline } from '../../pipeline';
import { checkBranchDate, checkTeamDissolution, createServiceTeamInput, endDateInput } from '../../rules';

export const teamMutations: MutationResolvers = {
  createServiceTeam: (_, { input }, ctx) =>
    createInBranch(
      ctx,
      { action: 'createServiceTeam', roles: Roles.WRITERS, does: 'create service teams', input: createServiceTeamInput, value: input },
      (change, data, branch) => {
        checkBranchDate(branch, data.foundedOn, 'input.foundedOn');
        return change.create(ctx.models.ServiceTeam, 'ServiceTeam', {
          name: data.name,
          specialty: data.specialty,
          organizationId: new Types.ObjectId(branch.id),
          orgPath: storedPath(branch),
          orgLevel: branch.level,
          foundedOn: data.foundedOn,
        });
      },
      (data, branch) => conflict(`${branch.name} already has a service team named ${data.name}`, 'input.name'),
    ),

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
        return endOnce(change, ctx.models.ServiceTeam, 'ServiceTeam', team, { dissolvedOn: data.on }, 'the team was dissolved meanwhile');
      },
    ),
};
