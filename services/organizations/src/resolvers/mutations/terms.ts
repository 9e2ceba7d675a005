import type { MutationResolvers } from '../../generated/graphql';
import type { OrganizationDoc, TermDoc } from '../../models';
import { addYears, checkBodies, checkNextCongress, checkWithinLife, recordTermChangeInput } from '../../rules';
import { pipeline, rule } from './pipeline';

export const termMutations: MutationResolvers = {
  recordTermChange: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { ...rule('recordTermChange', 'record term changes'), input: recordTermChangeInput, value: input },
      async (change, data) => {
        const { Organization, Term } = ctx.models;
        const org = await change.own<OrganizationDoc>(Organization, 'Organization', data.organizationId, 'input.organizationId');
        const previous = (await Term.findOne({ organizationId: org._id })
          .sort({ number: -1 })
          .session(change.session)
          .lean()) as TermDoc | null;
        checkWithinLife(data.congressDate, org, 'input.congressDate');
        checkBodies(data.bodies);
        checkNextCongress(previous, data.congressDate);
        if (previous) {
          await change.update(
            Term,
            'Term',
            previous,
            { $set: { endedOn: data.congressDate } },
            {
              auditAs: { before: { endedOn: null }, after: { endedOn: data.congressDate } },
            },
          );
        }
        return change.create<TermDoc>(Term, 'Term', {
          organizationId: org._id,
          ancestorIds: org.ancestorIds,
          level: org.level,
          number: (previous?.number ?? 0) + 1,
          congressDate: data.congressDate,
          lengthYears: data.lengthYears,
          dueDate: addYears(data.congressDate, data.lengthYears),
          bodies: data.bodies,
        });
      },
    ),
};
