import { divisionOf } from '@rcsc/dataset';
import type { MutationResolvers } from '../../generated/graphql';
import { sortKeyOf, type OrganizationDoc } from '../../models';
import {
  checkDivision,
  checkNewBranch,
  checkUniqueNational,
  checkUpdate,
  createOrganizationInput,
  updateOrganizationInput,
} from '../../rules';
import { dissolveBranch } from './reorganize';
import { duplicateCode, pipeline, rule } from './pipeline';

export const branchMutations: MutationResolvers = {
  createOrganization: (_, { input }, ctx) =>
    pipeline
      .mutate(
        ctx,
        { ...rule('createOrganization', 'create branches'), input: createOrganizationInput, value: input },
        async (change, data) => {
          const { Organization } = ctx.models;
          const parent = data.parentId
            ? await change.ref<OrganizationDoc>(Organization, 'Organization', data.parentId, 'input.parentId')
            : null;
          checkNewBranch(data, parent);
          const divisionType = checkDivision(data, parent);
          // Only a service creates the national headquarters (the seed); ADMINs create below their own branch.
          if (!parent) ctx.access.requireRole(['SERVICE'], 'create the national headquarters');
          checkUniqueNational(data.level, await Organization.exists({ level: 'NATIONAL' }).session(change.session));
          const { divisionCode, ...rest } = data;
          return change.create<OrganizationDoc>(Organization, 'Organization', {
            ...rest,
            ...(divisionCode ? { divisionCode } : {}),
            divisionType,
            // The edition's own name of the division (西湖区), not the branch's (杭州市西湖区红十字会).
            divisionName: data.divisionName ?? (divisionCode ? divisionOf(divisionCode)?.name : undefined) ?? data.name,
            parentId: parent?._id ?? null,
            ancestorIds: parent ? [...parent.ancestorIds, parent._id] : [],
            sortKey: sortKeyOf(data),
          });
        },
      )
      .catch((err: unknown) => duplicateCode(err, 'input.divisionCode')),

  updateOrganization: (_, { id, input }, ctx) =>
    pipeline
      .mutate(
        ctx,
        { ...rule('updateOrganization', 'update branches'), input: updateOrganizationInput, value: input },
        async (change, data) => {
          const { Organization } = ctx.models;
          const before = await change.own<OrganizationDoc>(Organization, 'Organization', id);
          checkUpdate(before, data);
          if (data.divisionCode || data.divisionType) {
            const parent = before.parentId
              ? ((await Organization.findById(before.parentId).session(change.session).lean()) as OrganizationDoc)
              : null;
            const code = data.divisionCode ?? before.divisionCode;
            data.divisionType = checkDivision({ ...before, divisionCode: code, divisionType: data.divisionType ?? null }, parent);
          }
          // Its records stay under it, counted under its parent; to hand them to another branch, merge it.
          if (data.dissolvedOn) await dissolveBranch(change, ctx, before, data.dissolvedOn, 'input.dissolvedOn');
          // A removed division code is unset, not null, so the sparse unique index skips it.
          const { divisionCode, ...given } = data;
          const rest = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
          const next = { ...before, ...rest, divisionCode: divisionCode === null ? undefined : (divisionCode ?? before.divisionCode) };
          const update = { $set: { ...rest, sortKey: sortKeyOf(next), ...(next.divisionCode ? { divisionCode: next.divisionCode } : {}) } };
          return change.update(
            Organization,
            'Organization',
            before,
            next.divisionCode ? update : { ...update, $unset: { divisionCode: 1 } },
          );
        },
      )
      .catch((err: unknown) => duplicateCode(err, 'input.divisionCode')),
};
