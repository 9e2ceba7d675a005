// The reversal of a mistaken reorganization (ADR 0008): each kind undone as if never made, its
// own outbox entry (REVERSAL) followed by every other subgraph exactly once.
import { conflict, type Change } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import { moveCounters, organizationState, termState } from '../../counters';
import { pathOfOrg, sortKeyOf, type OrganizationDoc, type TermDoc } from '../../models';
import type { ReorganizationDoc } from '../../models/reorganization';
import type { Context } from '../../context';
import { checkReason, laterDependent, reversalGroup } from '../../rules';
import { branchOf, duplicateCode, pipeline, rule } from './pipeline';
import type { Types } from 'mongoose';
import { publish, SUBTREE_FIELDS } from './reorganize';

const samePath = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => String(x) === String(b[i]));
const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Undoes a MOVE or MERGE entry: the branch and its subtree (and their terms) hang again where
 * the branch hung before, as if never moved: the placement the move added to each history is
 * removed (branches created under it since get the old place too), so the counters count them
 * under the old parent on every date.
 */
async function unmove(change: Change<Context>, ctx: Context, entry: ReorganizationDoc, node: OrganizationDoc, reason: string) {
  const { Organization, Term } = ctx.models;
  if (!samePath(pathOfOrg(node), entry.toPath))
    throw conflict(`${node.name} no longer hangs where reorganization ${entry._id} put it`, 'eventId');
  const oldAncestors = entry.fromPath.slice(0, -1) as Types.ObjectId[];
  const oldParent = oldAncestors.length
    ? ((await Organization.findById(oldAncestors[oldAncestors.length - 1])
        .session(change.session)
        .lean()) as OrganizationDoc | null)
    : null;
  if (oldAncestors.length && (!oldParent || !samePath(pathOfOrg(oldParent), oldAncestors)))
    throw conflict(`the branch ${node.name} hung under before reorganization ${entry._id} has moved since`, 'eventId');
  if (oldParent?.dissolvedOn && (!node.dissolvedOn || oldParent.dissolvedOn < node.dissolvedOn))
    throw conflict(`${oldParent.name}, where ${node.name} would return, was dissolved on ${iso(oldParent.dissolvedOn)}`, 'eventId');
  // Both places are the viewer's: the one it leaves and the one it returns to.
  ctx.access.requireOver(oldAncestors, `The branch ${String(oldAncestors.at(-1))}`);
  const subtree = (await Organization.find({ ancestorIds: node._id }, SUBTREE_FIELDS).session(change.session).lean()) as OrganizationDoc[];
  const depth = node.ancestorIds.length;
  const on = entry.on.getTime();
  const unplace = <P extends { until: Date }>(history: P[] | undefined) =>
    history?.length && history[history.length - 1].until.getTime() === on ? history.slice(0, -1) : history;
  const restored = new Map<string, Types.ObjectId[]>(
    [node, ...subtree].map((o) => [
      String(o._id),
      o._id.equals(node._id) ? oldAncestors : [...oldAncestors, ...o.ancestorIds.slice(depth)],
    ]),
  );
  const back = (o: OrganizationDoc): OrganizationDoc => ({
    ...o,
    ancestorIds: restored.get(String(o._id))!,
    parentId: o._id.equals(node._id) ? (oldAncestors.at(-1) ?? null) : o.parentId,
    pathHistory: unplace(o.pathHistory),
  });
  const terms = (await Term.find({ organizationId: { $in: [node, ...subtree].map((o) => o._id) } })
    .session(change.session)
    .lean()) as TermDoc[];
  const backTerm = (t: TermDoc): TermDoc => ({
    ...t,
    ancestorIds: restored.get(String(t.organizationId))!,
    pathHistory: unplace(t.pathHistory),
  });
  const branches = [node, ...subtree].map((o) => ({ before: o, after: back(o) }));
  const movedTerms = terms.map((t) => ({ before: t, after: backTerm(t) }));
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
        update: { $set: { ancestorIds: o.ancestorIds, parentId: o.parentId, pathHistory: o.pathHistory ?? [] } },
      },
    })),
    { session: change.session },
  );
  if (movedTerms.length)
    await Term.bulkWrite(
      movedTerms.map(({ after: t }) => ({
        updateOne: { filter: { _id: t._id }, update: { $set: { ancestorIds: t.ancestorIds, pathHistory: t.pathHistory ?? [] } } },
      })),
      { session: change.session },
    );
  const after = branches[0].after;
  const version = await publish(change, ctx, 'REVERSAL', node, after, entry.on, { reverses: entry._id, reason });
  const summary = (o: OrganizationDoc) => ({ parentId: o.parentId, ancestorIds: o.ancestorIds, on: entry.on, subtreeSize: subtree.length });
  await change.audit({
    entity: 'Organization',
    entityId: node._id,
    orgPath: pathOfOrg(after),
    before: { ...summary(node), reorganization: entry._id },
    after: { ...summary(after), reverses: entry._id, reversal: version, reason },
  });
  return after;
}

/** Undoes a DISSOLVE entry: the branch stands again, and the term its dissolution ended is in force again. */
async function undissolve(change: Change<Context>, ctx: Context, entry: ReorganizationDoc, node: OrganizationDoc, reason: string) {
  const { Organization, Term } = ctx.models;
  if (!node.dissolvedOn || node.dissolvedOn.getTime() !== entry.on.getTime())
    throw conflict(`${node.name} is not dissolved as reorganization ${entry._id} recorded`, 'eventId');
  const parent = node.parentId
    ? ((await Organization.findById(node.parentId).session(change.session).lean()) as OrganizationDoc | null)
    : null;
  if (parent?.dissolvedOn && !parent._id.equals(node.mergedIntoId ?? null))
    throw conflict(`its parent ${parent.name} was dissolved on ${iso(parent.dissolvedOn)}`, 'eventId');
  const term = (await Term.findOne({ organizationId: node._id, endedOn: entry.on })
    .sort({ number: -1 })
    .session(change.session)
    .lean()) as TermDoc | null;
  const successor = term && (await Term.exists({ organizationId: node._id, number: { $gt: term.number } }).session(change.session));
  if (term && !successor)
    await change.update(
      Term,
      'Term',
      term,
      { $set: { endedOn: null } },
      { auditAs: { before: { endedOn: entry.on }, after: { endedOn: null, reason } } },
    );
  const after = await change.update(
    Organization,
    'Organization',
    node,
    { $set: { dissolvedOn: null, mergedIntoId: null } },
    {
      auditAs: {
        before: { dissolvedOn: node.dissolvedOn, mergedIntoId: node.mergedIntoId ?? null, reorganization: entry._id },
        after: { dissolvedOn: null, mergedIntoId: null, reverses: entry._id, reason },
      },
    },
  );
  await publish(change, ctx, 'REVERSAL', node, after, entry.on, { reverses: entry._id, reason });
  return after;
}

/** Undoes a RENAME entry: the branch takes back the name, code and type it had before the day. */
async function unrename(change: Change<Context>, ctx: Context, entry: ReorganizationDoc, node: OrganizationDoc, reason: string) {
  const earlier = node.identityHistory?.at(-1);
  if (!earlier || earlier.until.getTime() !== entry.on.getTime())
    throw conflict(`${node.name} has no identity ending on ${iso(entry.on)} to take back`, 'eventId');
  const next = {
    name: earlier.name,
    ...(earlier.divisionCode ? { divisionCode: earlier.divisionCode } : {}),
    divisionName: earlier.divisionName,
    divisionType: earlier.divisionType,
  };
  const identity = (o: Pick<OrganizationDoc, 'name' | 'divisionCode' | 'divisionName' | 'divisionType'>) => ({
    name: o.name,
    divisionCode: o.divisionCode ?? null,
    divisionName: o.divisionName,
    divisionType: o.divisionType,
  });
  const after = await change.update(
    ctx.models.Organization,
    'Organization',
    node,
    {
      $set: {
        ...next,
        sortKey: sortKeyOf({ ...node, divisionCode: earlier.divisionCode ?? null, ...next }),
        identityHistory: node.identityHistory!.slice(0, -1),
      },
      ...(earlier.divisionCode ? {} : { $unset: { divisionCode: 1 } }),
    },
    {
      auditAs: {
        before: { ...identity(node), reorganization: entry._id },
        after: { ...identity({ ...node, divisionCode: earlier.divisionCode ?? null, ...next }), reverses: entry._id, reason },
      },
    },
  );
  await publish(change, ctx, 'REVERSAL', node, after, entry.on, { reverses: entry._id, reason });
  return after;
}

export const reversalMutations: MutationResolvers = {
  reverseReorganization: (_, { eventId, reason }, ctx) =>
    pipeline
      .mutate(ctx, rule('reverseReorganization', 'reverse reorganizations'), async (change) => {
        const why = checkReason(reason);
        const { Organization, Reorganization } = ctx.models;
        // The entry, its merge's neighbours and every later entry: small (one per reorganization).
        const entries = (await Reorganization.find({ _id: { $gte: eventId - 1000 } })
          .sort({ _id: 1 })
          .session(change.session)
          .lean()) as ReorganizationDoc[];
        const group = reversalGroup(entries, eventId);
        const dependent = laterDependent(entries, group);
        if (dependent)
          throw conflict(
            `reorganization ${dependent._id} (${dependent.kind} on ${iso(dependent.on)}) depends on it: reverse reorganization ${dependent._id} first`,
            'eventId',
          );
        let result: OrganizationDoc | null = null;
        // Newest first: a merge reopens the branch, hangs it back, then hangs its children back under it.
        for (const entry of [...group].reverse()) {
          const node = await branchOf(change, ctx, String(entry.branchId), 'eventId');
          const after =
            entry.kind === 'DISSOLVE'
              ? await undissolve(change, ctx, entry, node, why)
              : entry.kind === 'RENAME'
                ? await unrename(change, ctx, entry, node, why)
                : await unmove(change, ctx, entry, node, why);
          if (entry._id === eventId || entry.kind === 'MERGE') result = after;
        }
        return (await Organization.findById(result!._id).session(change.session).lean()) as OrganizationDoc;
      })
      .catch((err: unknown) => duplicateCode(err, 'eventId')),
};
