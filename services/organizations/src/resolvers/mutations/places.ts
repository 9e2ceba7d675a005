// A branch's contact details and location, and groups of branches with dated memberships (issue 24).
import { Roles } from '@rcsc/access';
import { badInput, conflict, contactOf, isDuplicateKey, parseWith } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import { pathOfOrg, type BranchGroupDoc, type OrganizationDoc } from '../../models';
import { checkGroupDefiner, checkJoin, checkLeave, createBranchGroupInput, objectIdSchema, setContactInput } from '../../rules';
import { branchOf, pipeline, rule } from './pipeline';
import { importBranchContacts } from '../../contacts-io';

const groupOf = async (change: Parameters<typeof branchOf>[0], ctx: Parameters<typeof branchOf>[1], id: string) => {
  parseWith(objectIdSchema, id, 'groupId');
  const group = (await ctx.models.BranchGroup.findById(id).session(change.session).lean()) as BranchGroupDoc | null;
  if (!group) throw badInput('groupId', 'no branch group has this id');
  return group;
};

/** A branch's contact and location as audit entries show them, before and after. */
export const shownContact = (o: Pick<OrganizationDoc, 'contact' | 'location'>) => ({
  contact: o.contact ?? null,
  location: o.location ?? null,
});

/**
 * Writes a branch's new contact and/or location (`$set`, already validated with setContactInput),
 * audited with both before and after: setOrganizationContact and importBranchContacts.
 */
export function writeContact(
  change: Parameters<typeof branchOf>[0],
  ctx: Parameters<typeof branchOf>[1],
  before: OrganizationDoc,
  $set: { contact?: OrganizationDoc['contact']; location?: OrganizationDoc['location'] },
): Promise<OrganizationDoc> {
  if (!Object.keys($set).length) return Promise.resolve(before);
  const shown = shownContact;
  return change.update(
    ctx.models.Organization,
    'Organization',
    before,
    { $set },
    {
      auditAs: { before: shown(before), after: shown({ ...before, ...$set } as OrganizationDoc) },
    },
  );
}

export const placeMutations: MutationResolvers = {
  importBranchContacts: (_, { input }, ctx) => importBranchContacts(ctx, input),

  setOrganizationContact: (_, args, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'setOrganizationContact',
        does: 'set branches’ contact details',
        roles: Roles.WRITERS,
        input: setContactInput,
        value: { contact: args.contact, location: args.location },
        prefix: '',
      },
      async (change, data) => {
        const before = await branchOf(change, ctx, args.id, 'id');
        const $set: Parameters<typeof writeContact>[3] = {};
        // Left out: unchanged; null: removed.
        if (args.contact !== undefined) $set.contact = data.contact ? contactOf(data.contact) : null;
        if (args.location !== undefined) $set.location = data.location ?? null;
        return writeContact(change, ctx, before, $set);
      },
    ),

  createBranchGroup: (_, { input }, ctx) =>
    pipeline
      .mutate(
        ctx,
        { ...rule('createBranchGroup', 'define branch groups'), input: createBranchGroupInput, value: input },
        async (change, data) => {
          const branch = await branchOf(change, ctx, data.organizationId, 'input.organizationId');
          checkGroupDefiner(branch.level);
          return change.create<BranchGroupDoc>(ctx.models.BranchGroup, 'BranchGroup', {
            name: data.name,
            groupSet: data.groupSet,
            organizationId: branch._id,
            orgPath: pathOfOrg(branch),
          });
        },
      )
      .catch((err: unknown) => {
        if (isDuplicateKey(err)) throw conflict(`a group of this name already exists in the set at this branch`, 'input.name');
        throw err;
      }),

  joinBranchGroup: (_, { organizationId, groupId, since }, ctx) =>
    pipeline.mutate(ctx, rule('joinBranchGroup', 'put branches in groups'), async (change) => {
      const branch = await branchOf(change, ctx, organizationId, 'organizationId');
      const group = await groupOf(change, ctx, groupId);
      const memberships = branch.groups ?? [];
      const others = (await ctx.models.BranchGroup.find({ _id: { $in: memberships.map((m) => m.groupId) } }, { groupSet: 1 })
        .session(change.session)
        .lean()) as BranchGroupDoc[];
      const sets = new Map(others.map((g) => [String(g._id), g.groupSet]));
      checkJoin(branch, group, memberships, (id) => sets.get(String(id)), since);
      const groups = [...memberships, { groupId: group._id, since, until: null }].sort((a, b) => a.since.getTime() - b.since.getTime());
      return change.update(
        ctx.models.Organization,
        'Organization',
        branch,
        { $set: { groups } },
        {
          auditAs: { before: { groups: memberships }, after: { groups, joined: group.name } },
        },
      );
    }),

  leaveBranchGroup: (_, { organizationId, groupId, on }, ctx) =>
    pipeline.mutate(ctx, rule('leaveBranchGroup', 'take branches out of groups'), async (change) => {
      const branch = await branchOf(change, ctx, organizationId, 'organizationId');
      const group = await groupOf(change, ctx, groupId);
      const memberships = branch.groups ?? [];
      const at = checkLeave(memberships, group._id, on);
      const groups = memberships.map((m, i) => (i === at ? { ...m, until: on } : m));
      return change.update(
        ctx.models.Organization,
        'Organization',
        branch,
        { $set: { groups } },
        {
          auditAs: { before: { groups: memberships }, after: { groups, left: group.name } },
        },
      );
    }),
};
