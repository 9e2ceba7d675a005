// Explicit reveals of identity numbers and phones, each audited.
import type { Model } from 'mongoose';
import { Roles } from '@rcsc/access';
import type { MutationResolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import type { MemberDoc, VolunteerDoc } from '../../models';
import { pipeline } from '../../pipeline';

/**
 * ADMIN or STAFF of a subtree containing the record, never a service. The reveal is audited in
 * the same transaction as it is read (action REVEAL:idNumber, naming the fields shown, never
 * their values); a refused or failed reveal shows nothing and leaves no entry.
 */
function reveal<T extends MemberDoc | VolunteerDoc>(ctx: Context, model: Model<T>, entity: 'Member' | 'Volunteer', id: string) {
  const does = `reveal identity numbers and phones of ${entity === 'Member' ? 'members' : 'volunteers'}`;
  return pipeline.mutate(ctx, { action: 'REVEAL:idNumber', roles: Roles.REVEALERS, does }, async (change) => {
    const row = await change.own(model, entity, id);
    const idNumber = ctx.vault.reveal({ cipher: row.idNumberCipher });
    const phone = row.phoneCipher ? ctx.vault.reveal({ cipher: row.phoneCipher }) : null;
    const revealed = phone ? ['idNumber', 'phone'] : ['idNumber'];
    await change.audit({
      entity,
      entityId: row._id,
      orgPath: row.orgPath,
      before: null,
      after: { revealed, idNumberMasked: row.idNumberMasked, phoneMasked: row.phoneMasked },
    });
    return { id: String(row._id), name: row.name, idNumber, phone };
  });
}

export const revealMutations: MutationResolvers = {
  revealMemberIdentity: (_, { id }, ctx) => reveal(ctx, ctx.models.Member, 'Member', id),
  revealVolunteerIdentity: (_, { id }, ctx) => reveal(ctx, ctx.models.Volunteer, 'Volunteer', id),
};
