// Reorganizations of the dated tree: move, merge, rename, dissolve (their reversal: reverse.ts).
// Each writes, in its transaction, an outbox entry (the tree version) that every other subgraph
// follows exactly once (ADR 0008).
import { recordTreeVersion, type Change } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import { moveCounters, organizationState, termState } from '../../counters';
import { divisionOf } from '@rcsc/dataset';
import { identityOn, pathOfOrg, sortKeyOf, type Identity, type Level, type OrganizationDoc, type TermDoc } from '../../models';
import type { ReorganizationKind } from '../../models/reorganization';
import type { Context } from '../../context';
import {
  checkDissolution,
  checkDivision,
  checkIdentityDate,
  checkDissolvable,
  checkMergeTarget,
  checkMovable,
  checkMoveDate,
  checkNotOwnDescendant,
  checkParentLevel,
  checkWithinLife,
  rebasedPaths,
  renameOrganizationInput,
  today,
} from '../../rules';
import { branchOf, duplicateCode, pipeline, rule } from './pipeline';
/** Appends one entry to the outbox other subgraphs follow; its number is the tree version after it. */
export async function publish(
  change: Change<Context>,
  ctx: Context,
  kind: ReorganizationKind,
  before: OrganizationDoc,
  after: OrganizationDoc,
  on: Date,
  reversal?: { reverses: number; reason: string },
): Promise<number> {
  const { Reorganization } = ctx.models;
  const last = (await Reorganization.findOne({}, { _id: 1 }).sort({ _id: -1 }).session(change.session).lean()) as { _id: number } | null;
  const version = (last?._id ?? 0) + 1;
  await Reorganization.create(
    [{ _id: version, kind, branchId: before._id, on, fromPath: pathOfOrg(before), toPath: pathOfOrg(after), at: new Date(), ...reversal }],
    { session: change.session },
  );
  if (reversal) await Reorganization.updateOne({ _id: reversal.reverses }, { $set: { reversedBy: version } }, { session: change.session });
  // Answered in a header, and announced on the change feed to every other gateway: a gateway
  // makes every subgraph reach it before its next request.
  await recordTreeVersion(Reorganization.db, version, change.session);
  ctx.treeVersion = version;
  return version;
}

export const SUBTREE_FIELDS = {
  name: 1,
  ancestorIds: 1,
  parentId: 1,
  pathHistory: 1,
  establishedOn: 1,
  level: 1,
  dissolvedOn: 1,
  governance: 1,
  governanceHistory: 1,
};

/**
 * Hangs `node` and its whole subtree (and their terms) under `parent` from `date`: their earlier
 * place stays in their path history, so every date before still reads the old tree; the counters
 * of every moved branch and term count under the new path from `date` on. Returns the moved node.
 */
export async function moveBranch(
  change: Change<Context>,
  ctx: Context,
  node: OrganizationDoc,
  parent: OrganizationDoc,
  date: Date,
  kind: ReorganizationKind = 'MOVE',
): Promise<OrganizationDoc> {
  const { Organization, Term } = ctx.models;
  const subtree = (await Organization.find({ ancestorIds: node._id }, SUBTREE_FIELDS).session(change.session).lean()) as OrganizationDoc[];
  checkWithinLife(date, node, 'on');
  checkMoveDate([node, ...subtree], date);
  const newPath = rebasedPaths(node, parent, subtree);
  const terms = (await Term.find({ organizationId: { $in: [...newPath.values()].map((m) => m.id) } })
    .session(change.session)
    .lean()) as TermDoc[];
  const moved = (o: OrganizationDoc): OrganizationDoc => ({
    ...o,
    ancestorIds: newPath.get(String(o._id))!.ancestorIds,
    parentId: o._id.equals(node._id) ? parent._id : o.parentId,
    pathHistory: [...(o.pathHistory ?? []), { parentId: o.parentId, ancestorIds: o.ancestorIds, until: date }],
  });
  const movedTerm = (t: TermDoc): TermDoc => ({
    ...t,
    ancestorIds: newPath.get(String(t.organizationId))!.ancestorIds,
    pathHistory: [...(t.pathHistory ?? []), { ancestorIds: t.ancestorIds, until: date }],
  });
  const branches = [node, ...subtree].map((o) => ({ before: o, after: moved(o) }));
  const movedTerms = terms.map((t) => ({ before: t, after: movedTerm(t) }));
  await moveCounters(
    ctx.models,
    [
      ...branches.map((b) => ({ before: organizationState(b.before), after: organizationState(b.after) })),
      ...movedTerms.map((t) => ({ before: termState(t.before), after: termState(t.after) })),
    ],
    change.session,
  );
  await Organization.bulkWrite(
    branches.map(({ after: o }) => ({
      updateOne: {
        filter: { _id: o._id },
        update: { $set: { ancestorIds: o.ancestorIds, parentId: o.parentId, pathHistory: o.pathHistory } },
      },
    })),
    { session: change.session },
  );
  if (movedTerms.length)
    await Term.bulkWrite(
      movedTerms.map(({ after: t }) => ({
        updateOne: { filter: { _id: t._id }, update: { $set: { ancestorIds: t.ancestorIds, pathHistory: t.pathHistory } } },
      })),
      { session: change.session },
    );
  const after = branches[0].after;
  await publish(change, ctx, kind, node, after, date);
  const summary = (o: OrganizationDoc) => ({ parentId: o.parentId, ancestorIds: o.ancestorIds, on: date, subtreeSize: subtree.length });
  await change.audit({
    entity: 'Organization',
    entityId: node._id,
    orgPath: pathOfOrg(after),
    before: summary(node),
    after: summary(after),
  });
  return after;
}

/**
 * The checks and consequences of dissolving `branch` on `on` (the caller stores `dissolvedOn`):
 * once, within its life, with no active branch under it; its term in force ends with it; the other
 * subgraphs learn of it at once (an outbox entry: their directories stop accepting new records in it).
 */
export async function dissolveBranch(change: Change<Context>, ctx: Context, branch: OrganizationDoc, on: Date, field: string) {
  checkDissolution(branch, on, undefined, field);
  checkDissolvable(await ctx.models.Organization.exists({ parentId: branch._id, dissolvedOn: null }).session(change.session), field);
  const term = (await ctx.models.Term.findOne({ organizationId: branch._id, endedOn: null })
    .session(change.session)
    .lean()) as TermDoc | null;
  if (term) await change.update(ctx.models.Term, 'Term', term, { $set: { endedOn: on } });
  await publish(change, ctx, 'DISSOLVE', branch, branch, on);
}

export const reorganizationMutations: MutationResolvers = {
  moveOrganization: (_, { id, parentId, on }, ctx) =>
    pipeline.mutate(ctx, rule('moveOrganization', 'move branches'), async (change) => {
      const node = await branchOf(change, ctx, id, 'id');
      const parent = await change.ref<OrganizationDoc>(ctx.models.Organization, 'Organization', parentId, 'parentId');
      checkMovable(node, parent);
      checkNotOwnDescendant(id, parent);
      checkParentLevel(node.level as Level, parent, 'parentId');
      return moveBranch(change, ctx, node, parent, on ?? today());
    }),

  renameOrganization: (_, { id, input, on }, ctx) =>
    pipeline
      .mutate(
        ctx,
        { ...rule('renameOrganization', 'rename branches'), input: renameOrganizationInput, value: input },
        async (change, data) => {
          const { Organization } = ctx.models;
          const before = await branchOf(change, ctx, id, 'id');
          const date = on ?? today();
          checkWithinLife(date, before, 'on');
          checkIdentityDate(before, date);
          const parent = before.parentId
            ? ((await Organization.findById(before.parentId).session(change.session).lean()) as OrganizationDoc)
            : null;
          const divisionCode = data.divisionCode ?? before.divisionCode ?? null;
          // A new code takes the edition's type and name unless given; a new type alone is checked against the code.
          const divisionType = checkDivision(
            { ...before, divisionCode, divisionType: data.divisionType ?? (data.divisionCode ? null : before.divisionType) },
            parent,
          );
          const divisionName =
            data.divisionName ?? (data.divisionCode ? (divisionOf(data.divisionCode)?.name ?? before.divisionName) : before.divisionName);
          const next = { name: data.name ?? before.name, divisionCode, divisionName, divisionType };
          const earlier: Identity = { ...identityOn(before, date), until: date };
          const after = await change.update(Organization, 'Organization', before, {
            $set: { ...next, sortKey: sortKeyOf({ ...before, ...next }), identityHistory: [...(before.identityHistory ?? []), earlier] },
          });
          await publish(change, ctx, 'RENAME', before, before, date);
          return after;
        },
      )
      .catch((err: unknown) => duplicateCode(err, 'input.divisionCode')),

  mergeOrganization: (_, { id, intoId, on }, ctx) =>
    pipeline.mutate(ctx, rule('mergeOrganization', 'merge branches'), async (change) => {
      const { Organization } = ctx.models;
      const merged = await branchOf(change, ctx, id, 'id');
      const into = await branchOf(change, ctx, intoId, 'intoId');
      const date = on ?? today();
      checkMergeTarget(merged, into);
      checkWithinLife(date, into, 'on');
      // Its branches now hang under the branch it merges into …
      const children = (await Organization.find({ parentId: merged._id, dissolvedOn: null })
        .session(change.session)
        .lean()) as OrganizationDoc[];
      for (const child of children) {
        checkParentLevel(child.level as Level, into, 'intoId');
        await moveBranch(change, ctx, child, into, date);
      }
      // … and so does the merged branch itself, closed that day: its records keep it as their
      // branch (their history) and count under `into` from the date on; A's staff act on them.
      const moved = await moveBranch(change, ctx, { ...merged, pathHistory: merged.pathHistory }, into, date, 'MERGE');
      await dissolveBranch(change, ctx, moved, date, 'on');
      return change.update(Organization, 'Organization', moved, { $set: { dissolvedOn: date, mergedIntoId: into._id } });
    }),
};
