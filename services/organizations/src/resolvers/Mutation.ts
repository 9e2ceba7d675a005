import { moveCounters, organizationState, termState } from '../counters';
import type { ClientSession } from 'mongoose';
import { badInput, conflict, isDuplicateKey, notFound, parseInput, requireInSubtree, requireRole } from '@rcsc/service-kit';
import type { MutationResolvers } from '../generated/graphql';
import { pathOfOrg, sortKeyOf, type Level, type OrganizationDoc, type TermDoc } from '../models';
import type { Context } from '../context';
import {
  addYears,
  checkNotOwnDescendant,
  checkParentLevel,
  createOrganizationInput,
  leadershipInput,
  recordGovernanceInput,
  recordTermChangeInput,
  updateOrganizationInput,
} from '../rules';
import { toObjectId } from './filters';

const GOVERNANCE_PATH = {
  MANAGEMENT_RATIONALIZED: 'governance.managementRationalized',
  PARTY_GROUP: 'governance.partyGroup',
  SUPERVISORY_BOARD: 'governance.supervisoryBoard',
} as const;

async function findOrganization(ctx: Context, id: string, field: string, session?: ClientSession): Promise<OrganizationDoc> {
  const org = (await ctx.models.Organization.findById(toObjectId(id, field))
    .session(session ?? null)
    .lean()) as OrganizationDoc | null;
  if (!org) throw notFound('Organization', id);
  return org;
}

/** Changes to a branch are for the ADMINs of a subtree that contains it. */
function requireAdminOver(ctx: Context, org: OrganizationDoc, action: string): void {
  requireRole(ctx.viewer, ['ADMIN', 'SERVICE'], action);
  requireInSubtree(ctx.viewer, pathOfOrg(org), org.name);
}

/** Turns a duplicate division code into a CONFLICT naming the field. */
function duplicateCode(err: unknown, field: string): never {
  if (isDuplicateKey(err))
    throw conflict(
      `divisionCode ${String((err as { keyValue?: Record<string, unknown> }).keyValue?.divisionCode)} is already used by another branch`,
      field,
    );
  throw err;
}

export const Mutation: MutationResolvers = {
  async createOrganization(_, { input }, ctx) {
    const data = parseInput(createOrganizationInput, input);
    const { Organization } = ctx.models;
    let parent: OrganizationDoc | null = null;
    if (data.parentId) {
      parent = (await Organization.findById(data.parentId).lean()) as OrganizationDoc | null;
      if (!parent) throw badInput('input.parentId', 'no branch has this id');
      if (parent.dissolvedOn) throw badInput('input.parentId', 'the parent branch is dissolved');
    }
    checkParentLevel(data.level, parent);
    if (parent) requireAdminOver(ctx, parent, 'create branches');
    else requireRole(ctx.viewer, ['SERVICE'], 'create the national headquarters');
    if (data.level === 'NATIONAL' && (await Organization.exists({ level: 'NATIONAL' }))) {
      throw conflict('there is already a national headquarters', 'input.level');
    }
    if (data.kind === 'REGIONAL' && !data.divisionCode) throw badInput('input.divisionCode', 'is required for a regional branch');
    const { divisionCode, ...rest } = data;
    try {
      return await Organization.db.transaction(async (session) => {
        const [created] = await Organization.create(
          [
            {
              ...rest,
              ...(divisionCode ? { divisionCode } : {}),
              divisionName: data.divisionName ?? data.name,
              parentId: parent?._id ?? null,
              ancestorIds: parent ? [...parent.ancestorIds, parent._id] : [],
              sortKey: sortKeyOf(data),
            },
          ],
          { session },
        );
        const after = created.toObject() as OrganizationDoc;
        await moveCounters(ctx.models, [{ before: null, after: organizationState(after) }], session);
        await ctx.audit(
          { action: 'createOrganization', entity: 'Organization', entityId: after._id, orgPath: pathOfOrg(after), after },
          session,
        );
        return after;
      });
    } catch (err) {
      duplicateCode(err, 'input.divisionCode');
    }
  },

  async updateOrganization(_, { id, input }, ctx) {
    const data = parseInput(updateOrganizationInput, input);
    const { Organization } = ctx.models;
    try {
      return await Organization.db.transaction(async (session) => {
        const doc = await Organization.findById(toObjectId(id, 'id')).session(session);
        if (!doc) throw notFound('Organization', id);
        const before = doc.toObject() as OrganizationDoc;
        requireAdminOver(ctx, before, 'update branches');
        if (data.dissolvedOn && (await Organization.exists({ parentId: doc._id, dissolvedOn: null }).session(session))) {
          throw badInput('input.dissolvedOn', 'a branch with active branches under it cannot be dissolved');
        }
        // A removed division code is unset, not null, so the sparse unique index skips it.
        doc.set({ ...data, divisionCode: data.divisionCode ?? (data.divisionCode === null ? undefined : doc.divisionCode) });
        doc.sortKey = sortKeyOf(doc);
        await doc.save({ session });
        const after = doc.toObject() as OrganizationDoc;
        await moveCounters(ctx.models, [{ before: organizationState(before), after: organizationState(after) }], session);
        await ctx.audit(
          { action: 'updateOrganization', entity: 'Organization', entityId: after._id, orgPath: pathOfOrg(after), before, after },
          session,
        );
        return after;
      });
    } catch (err) {
      duplicateCode(err, 'input.divisionCode');
    }
  },

  async moveOrganization(_, { id, parentId }, ctx) {
    const { Organization, Term } = ctx.models;
    return Organization.db.transaction(async (session) => {
      const node = await findOrganization(ctx, id, 'id', session);
      const parent = (await Organization.findById(toObjectId(parentId, 'parentId')).session(session).lean()) as OrganizationDoc | null;
      if (!parent) throw badInput('parentId', 'no branch has this id');
      requireAdminOver(ctx, node, 'move branches');
      requireAdminOver(ctx, parent, 'move branches');
      checkNotOwnDescendant(id, parent);
      checkParentLevel(node.level as Level, parent, 'parentId');
      // Rewrite the ancestor path of the node and of its whole subtree (and their terms).
      const prefix = [...parent.ancestorIds, parent._id];
      const depth = node.ancestorIds.length;
      const subtree = (await Organization.find({ ancestorIds: node._id }, { ancestorIds: 1, level: 1, dissolvedOn: 1, governance: 1 })
        .session(session)
        .lean()) as OrganizationDoc[];
      const moves = [
        { _id: node._id, ancestorIds: prefix },
        ...subtree.map((d) => ({ _id: d._id, ancestorIds: [...prefix, ...d.ancestorIds.slice(depth)] })),
      ];
      // The counters of every moved branch and term leave the old path for the new one.
      const movedIds = moves.map((m) => m._id);
      const terms = (await Term.find({ organizationId: { $in: movedIds } }).session(session).lean()) as TermDoc[];
      const newPath = new Map(moves.map((m) => [String(m._id), m.ancestorIds]));
      await moveCounters(
        ctx.models,
        [
          ...[node, ...subtree].map((o) => ({
            before: organizationState(o),
            after: organizationState({ ...o, ancestorIds: newPath.get(String(o._id))! }),
          })),
          ...terms.map((t) => ({ before: termState(t), after: termState({ ...t, ancestorIds: newPath.get(String(t.organizationId))! }) })),
        ],
        session,
      );
      await Organization.bulkWrite(
        moves.map((m) => ({
          updateOne: {
            filter: { _id: m._id },
            update: { $set: { ancestorIds: m.ancestorIds, ...(m._id === node._id ? { parentId: parent._id } : {}) } },
          },
        })),
        { session },
      );
      await Term.bulkWrite(
        moves.map((m) => ({ updateMany: { filter: { organizationId: m._id }, update: { $set: { ancestorIds: m.ancestorIds } } } })),
        { session },
      );
      const after = (await Organization.findById(node._id).session(session).lean()) as OrganizationDoc;
      const summary = (o: OrganizationDoc) => ({ parentId: o.parentId, ancestorIds: o.ancestorIds, subtreeSize: subtree.length });
      await ctx.audit(
        {
          action: 'moveOrganization',
          entity: 'Organization',
          entityId: node._id,
          orgPath: pathOfOrg(after),
          before: summary(node),
          after: summary(after),
        },
        session,
      );
      return after;
    });
  },

  async recordGovernance(_, { input }, ctx) {
    const data = parseInput(recordGovernanceInput, input);
    const path = GOVERNANCE_PATH[data.fact as keyof typeof GOVERNANCE_PATH];
    const field = path.split('.')[1] as keyof OrganizationDoc['governance'];
    const fact: Record<string, unknown> = { since: data.since, until: data.until ?? null };
    if (data.fact === 'SUPERVISORY_BOARD') fact.members = data.members ?? [];
    return ctx.models.Organization.db.transaction(async (session) => {
      const before = await findOrganization(ctx, data.organizationId, 'input.organizationId', session);
      requireAdminOver(ctx, before, 'record governance facts');
      const after = (await ctx.models.Organization.findByIdAndUpdate(
        before._id,
        { $set: { [path]: fact } },
        { returnDocument: 'after', session },
      ).lean()) as OrganizationDoc;
      await moveCounters(ctx.models, [{ before: organizationState(before), after: organizationState(after) }], session);
      await ctx.audit(
        {
          action: `recordGovernance:${data.fact}`,
          entity: 'Organization',
          entityId: before._id,
          orgPath: pathOfOrg(before),
          before: before.governance[field] ?? null,
          after: after.governance[field],
        },
        session,
      );
      return after;
    });
  },

  async setLeadership(_, { organizationId, positions }, ctx) {
    const data = parseInput(leadershipInput, positions, 'positions');
    return ctx.models.Organization.db.transaction(async (session) => {
      const before = await findOrganization(ctx, organizationId, 'organizationId', session);
      requireAdminOver(ctx, before, 'set the leadership team');
      const after = (await ctx.models.Organization.findByIdAndUpdate(
        before._id,
        { $set: { leadership: data } },
        { returnDocument: 'after', session },
      ).lean()) as OrganizationDoc;
      await ctx.audit(
        {
          action: 'setLeadership',
          entity: 'Organization',
          entityId: before._id,
          orgPath: pathOfOrg(before),
          before: before.leadership,
          after: after.leadership,
        },
        session,
      );
      return after;
    });
  },

  async recordTermChange(_, { input }, ctx) {
    const data = parseInput(recordTermChangeInput, input);
    const { Term } = ctx.models;
    return Term.db.transaction(async (session) => {
      const org = await findOrganization(ctx, data.organizationId, 'input.organizationId', session);
      requireAdminOver(ctx, org, 'record term changes');
      const previous = (await Term.findOne({ organizationId: org._id }).sort({ number: -1 }).session(session).lean()) as TermDoc | null;
      if (previous && data.congressDate <= previous.congressDate) {
        throw badInput('input.congressDate', `must be after the previous congress (${previous.congressDate.toISOString().slice(0, 10)})`);
      }
      if (previous) await Term.updateOne({ _id: previous._id }, { $set: { endedOn: data.congressDate } }, { session });
      const [created] = await Term.create(
        [
          {
            organizationId: org._id,
            ancestorIds: org.ancestorIds,
            level: org.level,
            number: (previous?.number ?? 0) + 1,
            congressDate: data.congressDate,
            lengthYears: data.lengthYears,
            dueDate: addYears(data.congressDate, data.lengthYears),
            bodies: data.bodies,
          },
        ],
        { session },
      );
      const term = created.toObject() as TermDoc;
      await moveCounters(
        ctx.models,
        [
          ...(previous ? [{ before: termState(previous), after: termState({ ...previous, endedOn: data.congressDate }) }] : []),
          { before: null, after: termState(term) },
        ],
        session,
      );
      await ctx.audit(
        {
          action: 'recordTermChange',
          entity: 'Term',
          entityId: term._id,
          orgPath: pathOfOrg(org),
          before: previous ? { previousTerm: previous.number, endedOn: null } : null,
          after: term,
        },
        session,
      );
      return term;
    });
  },
};
