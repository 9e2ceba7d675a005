// Members: registration, withdrawal, dues, bulk import, Member Stars.
import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import { normalize } from '@rcsc/personal-data';
import { badInput, conflict, onceWithKey } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import { COUNTED_PAYMENT, type DuesPaymentDoc, type MemberDoc, type MemberStarDoc } from '../../models';
import { importMembers } from '../../importer';
import { requireUnit } from '../../units';
import { issueMemberNumbers, memberKey, issueReceiptNumber, newMemberDoc, personEdit, storedPath } from '../../new-records';
import { createInBranch, endOnce, insert, pipeline, unlessDuplicate } from '../../pipeline';
import {
  applyDuesPayment,
  awardMemberStarInput,
  checkDuesPayment,
  checkMemberStar,
  checkReversal,
  checkTransfer,
  checkWithdrawal,
  isoDay,
  newMemberProblem,
  updateMemberInput,
  recordDuesPaymentInput,
  registerMemberInput,
  reverseDuesInput,
  standingFromLedger,
  today,
  transferInput,
  withdrawInput,
} from '../../rules';

export const memberMutations: MutationResolvers = {
  registerMember: (_, { input }, ctx) =>
    createInBranch(
      ctx,
      { action: 'registerMember', roles: Roles.WRITERS, does: 'register members', input: registerMemberInput, value: input },
      async (change, data, branch) => {
        const problem = newMemberProblem(data, ctx.config, branch);
        if (problem) throw badInput(`input.${problem.field}`, problem.message);
        if (data.grassrootsUnitId) await requireUnit(ctx, data.grassrootsUnitId, branch, data.joinedOn, 'input.grassrootsUnitId');
        const [number] = await issueMemberNumbers(ctx.models, branch, data.joinedOn.getUTCFullYear(), 1, change.session);
        return change.create(ctx.models.Member, 'Member', { ...newMemberDoc(data, branch, ctx.vault, ctx.config), memberNumber: number });
      },
      // One current membership per person nationally: the branch is named only to a viewer over it.
      async (data) => {
        const idNumberHash = ctx.vault.hash(normalize(data.idNumber));
        const existing = (await ctx.models.Member.findOne(
          { currentKey: memberKey(idNumberHash) },
          { organizationId: 1, orgPath: 1 },
        ).lean()) as Pick<MemberDoc, '_id' | 'organizationId' | 'orgPath'> | null;
        const who = data.kind === 'GROUP' ? 'institution' : 'person';
        const where = existing && ctx.access.covers(existing.orgPath) ? await ctx.directory.get(String(existing.organizationId)) : null;
        return where
          ? conflict(
              `this ${who} is already a member of ${where.name} (member ${String(existing!._id)}): transfer them instead`,
              'input.idNumber',
            )
          : conflict(`this ${who} is already a member elsewhere`, 'input.idNumber');
      },
    ),

  // A dated move to another branch: the record (number, ledger, history) goes along; the counters
  // count the member in the old subtree before `on` and in the new one from `on` (placements, as
  // reorganizations do).
  transferMember: (_, { id, toOrganizationId, on, reason }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'transferMember',
        roles: Roles.WRITERS,
        does: 'transfer members',
        input: transferInput,
        value: { toOrganizationId, on, reason },
        prefix: '',
      },
      async (change, data) => {
        const { Member, DuesPayment } = ctx.models;
        const member = await change.own(Member, 'Member', id);
        // Over the destination too (not dissolved); a viewer over both is an ancestor of both.
        const to = await ctx.access.activeBranch(data.toOrganizationId, 'toOrganizationId');
        const latest = (await DuesPayment.findOne({ memberId: member._id, ...COUNTED_PAYMENT }, { paidOn: 1 })
          .sort({ paidOn: -1 })
          .session(change.session)
          .lean()) as Pick<DuesPaymentDoc, 'paidOn'> | null;
        checkTransfer(member, to, data.on, latest?.paidOn ?? null);
        const path = storedPath(to);
        const transfer = {
          on: data.on,
          fromOrganizationId: member.organizationId,
          toOrganizationId: new Types.ObjectId(to.id),
          reason: data.reason,
        };
        const set = {
          organizationId: transfer.toOrganizationId,
          orgPath: path,
          orgPathHistory: [...(member.orgPathHistory ?? []), { path: member.orgPath, until: data.on }],
          transfers: [...(member.transfers ?? []), transfer],
          // A grassroots unit belongs to the old branch.
          grassrootsUnitId: null,
        };
        const auditAs = {
          before: { organizationId: member.organizationId, grassrootsUnitId: member.grassrootsUnitId },
          after: { organizationId: transfer.toOrganizationId, on: data.on, reason: data.reason },
        };
        const moved = await change.update(
          Member,
          'Member',
          member,
          { $set: set },
          {
            unchanged: { organizationId: member.organizationId, withdrawnOn: null },
            meanwhile: 'the member was transferred or withdrew meanwhile',
            auditAs,
          },
        );
        // The old branch's own log shows it too (branches above both see the one entry above).
        const left = member.orgPath.filter((b) => !path.some((p) => p.equals(b)));
        if (left.length) await change.audit({ entity: 'Member', entityId: member._id, orgPath: left, ...auditAs });
        // The dues ledger follows the member (its copy of the member's path, with the old one until `on`).
        await DuesPayment.collection.updateMany(
          { memberId: member._id },
          { $set: { memberOrgPath: path }, $push: { memberOrgPathHistory: { path: member.orgPath, until: data.on } } } as never,
          { session: change.session },
        );
        return moved;
      },
    ),

  // Edits of the name and phone (audited with the phone masked); the identity number never changes.
  updateMember: (_, { id, input }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'updateMember', roles: Roles.WRITERS, does: 'edit members', input: updateMemberInput, value: input },
      async (change, data) => {
        const member = await change.own(ctx.models.Member, 'Member', id);
        if (member.withdrawnOn) throw badInput('id', `the member withdrew on ${isoDay(member.withdrawnOn)}`);
        const { set, auditAs } = personEdit(ctx.vault, member, data);
        return change.update(ctx.models.Member, 'Member', member, { $set: set }, { auditAs });
      },
    ),

  withdrawMember: (_, { id, on, reason }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'withdrawMember', roles: Roles.WRITERS, does: 'withdraw members', input: withdrawInput, value: { on, reason }, prefix: '' },
      async (change, data) => {
        const member = await change.own(ctx.models.Member, 'Member', id);
        checkWithdrawal(member, data.on);
        const set = { withdrawnOn: data.on, withdrawalReason: data.reason ?? null };
        return endOnce(change, ctx.models.Member, 'Member', member, set, 'the member withdrew meanwhile');
      },
    ),

  recordDuesPayment: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { action: 'recordDuesPayment', roles: Roles.WRITERS, does: 'record dues payments', input: recordDuesPaymentInput, value: input },
      async (change, data) => {
        const { Member, DuesPayment } = ctx.models;
        const receiver = await ctx.access.branch(data.receivedBy, 'input.receivedBy');
        if (receiver.dissolvedOn) throw badInput('input.receivedBy', 'the branch is dissolved');
        const member = await change.own(Member, 'Member', data.memberId, 'input.memberId');
        // The viewer records what their own subtree received.
        ctx.access.requireOver(storedPath(receiver), `The branch ${receiver.name}`);
        const periodTo = data.periodTo ?? data.periodFrom;
        const [overlap, latest] = await Promise.all([
          DuesPayment.findOne({
            memberId: member._id,
            periodFrom: { $lte: periodTo },
            periodTo: { $gte: data.periodFrom },
            ...COUNTED_PAYMENT,
          })
            .session(change.session)
            .lean(),
          DuesPayment.findOne({ memberId: member._id, ...COUNTED_PAYMENT })
            .sort({ paidOn: -1 })
            .session(change.session)
            .lean(),
        ]);
        const { amountCents } = checkDuesPayment(member, receiver.id, data, { overlap, latest }, ctx.config);
        const payment = await insert<DuesPaymentDoc>(change, DuesPayment, {
          memberId: member._id,
          memberOrgPath: member.orgPath,
          organizationId: new Types.ObjectId(receiver.id),
          orgPath: storedPath(receiver),
          periodFrom: data.periodFrom,
          periodTo,
          amountCents,
          paidOn: data.paidOn,
          receiptNumber: await issueReceiptNumber(ctx.models, receiver, data.paidOn.getUTCFullYear(), change.session),
        });
        // Filed under the member's path, so the member's own branch reads it too.
        await change.audit({ entity: 'DuesPayment', entityId: payment._id, orgPath: member.orgPath, before: null, after: payment });
        const standing = applyDuesPayment(member, { periodTo, paidOn: data.paidOn }, ctx.config);
        await change.update(
          Member,
          'Member',
          member,
          { $set: standing },
          {
            auditAs: { before: { paidThrough: member.paidThrough, lapsesOn: member.lapsesOn, lapses: member.lapses }, after: standing },
          },
        );
        return payment;
      },
    ),

  // A reversal (冲销) keeps the payment as history; the standing is derived again from the payments
  // that still count, and the counters follow the member's changed spans.
  reverseDuesPayment: (_, { id, reason, on }, ctx) =>
    pipeline.mutate(
      ctx,
      {
        action: 'reverseDuesPayment',
        roles: Roles.WRITERS,
        does: 'reverse dues payments',
        input: reverseDuesInput,
        value: { reason, on },
        prefix: '',
      },
      async (change, data) => {
        const { Member, DuesPayment } = ctx.models;
        // The receiving branch's staff (or above) reverse what their subtree received.
        const payment = await change.own(DuesPayment, 'DuesPayment', id);
        const date = data.on ?? today();
        checkReversal(payment, date);
        const reversed = await change.update(
          DuesPayment,
          'DuesPayment',
          payment,
          { $set: { reversedOn: date, reversalReason: data.reason } },
          { unchanged: COUNTED_PAYMENT, meanwhile: 'the payment was reversed meanwhile' },
        );
        const member = (await Member.findById(payment.memberId).session(change.session).lean()) as MemberDoc;
        const ledger = await DuesPayment.find({ memberId: member._id, ...COUNTED_PAYMENT }, { periodTo: 1, paidOn: 1 })
          .session(change.session)
          .lean();
        const standing = standingFromLedger(member.joinedOn, ledger, ctx.config);
        await change.update(
          Member,
          'Member',
          member,
          { $set: standing },
          { auditAs: { before: { paidThrough: member.paidThrough, lapsesOn: member.lapsesOn, lapses: member.lapses }, after: standing } },
        );
        return reversed;
      },
    ),

  // Batch by batch in transactions of its own: a retry with the same Idempotency-Key is answered the first report.
  importMembers: (_, { input }, ctx) => onceWithKey(ctx, ctx.models.Member.db, 'importMembers', () => importMembers(ctx, input)),

  async awardMemberStar(_, { input }, ctx) {
    const rule = { action: 'awardMemberStar', roles: Roles.WRITERS, does: 'award Member Stars', input: awardMemberStarInput, value: input };
    let year = 0;
    return unlessDuplicate(
      () =>
        pipeline.mutate(ctx, rule, async (change, data) => {
          year = data.year;
          const member = await change.own(ctx.models.Member, 'Member', data.memberId, 'input.memberId');
          const branch = await ctx.access.activeBranch(data.organizationId, 'input.organizationId');
          checkMemberStar(member, branch.id, data.year);
          const award = await insert<MemberStarDoc>(change, ctx.models.MemberStar, {
            memberId: member._id,
            year: data.year,
            organizationId: new Types.ObjectId(branch.id),
            orgPath: storedPath(branch),
            citation: data.citation ?? null,
          });
          // Filed under the member's path (the awarding branch is on it), so the member's branch reads it too.
          await change.audit({ entity: 'MemberStarAward', entityId: award._id, orgPath: member.orgPath, before: null, after: award });
          return award;
        }),
      () => conflict(`the member is already a Member Star of ${year}`, 'input.year'),
    );
  },
};
