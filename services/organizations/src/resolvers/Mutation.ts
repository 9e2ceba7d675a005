import { Roles } from '@rcsc/access';
import { badInput, conflict, isDuplicateKey, mutationPipeline, type Change } from '@rcsc/service-kit';
import type { MutationResolvers } from '../generated/graphql';
import { moveCounters, organizationState, termState } from '../counters';
import {
  pathOfOrg,
  sortKeyOf,
  GOVERNANCE_FIELDS,
  type GovernanceField,
  type GovernancePeriod,
  type Level,
  type OrganizationDoc,
  type TermDoc,
} from '../models';
import type { Context } from '../context';
import {
  addYears,
  beginPeriod,
  checkBodies,
  checkDissolution,
  checkDivision,
  checkMovable,
  checkMoveDate,
  checkUpdate,
  checkWithinLife,
  correctGovernanceInput,
  endGovernanceInput,
  endPeriod,
  nextLeadership,
  today,
  checkDissolvable,
  checkNewBranch,
  checkNextCongress,
  checkNotOwnDescendant,
  checkParentLevel,
  checkUniqueNational,
  createOrganizationInput,
  leadershipInput,
  recordGovernanceInput,
  recordTermChangeInput,
  rebasedPaths,
  updateOrganizationInput,
} from '../rules';

/**
 * Every change to the tree: ADMINs of a subtree holding the branch; counters move with each
 * branch's and term's state, audit entries are filed under the branch's path.
 */
const pipeline = mutationPipeline<Context>({
  service: 'organizations',
  connection: (ctx) => ctx.models.Organization.db,
  auditModel: (ctx) => ctx.models.Audit,
  requireOver: (ctx, orgPath, what) => ctx.access.requireOver(orgPath, what),
  pathOf: (entity, doc) =>
    entity === 'Term' ? [...(doc as TermDoc).ancestorIds, (doc as TermDoc).organizationId] : pathOfOrg(doc as OrganizationDoc),
  moveCounters: (ctx, entity, before, after, session) => {
    const state = entity === 'Term' ? (d: unknown) => termState(d as TermDoc) : (d: unknown) => organizationState(d as OrganizationDoc);
    return moveCounters(ctx.models, [{ before: before ? state(before) : null, after: after ? state(after) : null }], session);
  },
});

/** Turns a duplicate division code into a CONFLICT naming the field. */
function duplicateCode(err: unknown, field: string): never {
  if (isDuplicateKey(err))
    throw conflict(
      `divisionCode ${String((err as { keyValue?: Record<string, unknown> }).keyValue?.divisionCode)} is already used by another branch`,
      field,
    );
  throw err;
}

/** The branch a governance change is about, read in the change's session (NOT_FOUND / FORBIDDEN). */
const branchOf = (change: Change<Context>, ctx: Context, id: string) =>
  change.own<OrganizationDoc>(ctx.models.Organization, 'Organization', id, 'input.organizationId');

/** A governance fact's latest period (and, when given, its history) stored; audited as before/after of the period. */
const setFact = (
  change: Change<Context>,
  ctx: Context,
  before: OrganizationDoc,
  field: GovernanceField,
  current: GovernancePeriod,
  history?: GovernancePeriod[],
  audited: unknown = current,
) =>
  change.update(
    ctx.models.Organization,
    'Organization',
    before,
    { $set: { [`governance.${field}`]: current, ...(history ? { [`governanceHistory.${field}`]: history } : {}) } },
    { auditAs: { before: before.governance?.[field] ?? null, after: audited } },
  );

const rule = (action: string, does: string) => ({ action, does, roles: Roles.ADMINS });

export const Mutation: MutationResolvers = {
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
            divisionName: data.divisionName ?? data.name,
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
          if (data.dissolvedOn) {
            checkDissolution(before, data.dissolvedOn);
            checkDissolvable(await Organization.exists({ parentId: before._id, dissolvedOn: null }).session(change.session));
            // The term in force ends with the branch: it is no longer due for a change afterwards.
            const term = (await ctx.models.Term.findOne({ organizationId: before._id, endedOn: null })
              .session(change.session)
              .lean()) as TermDoc | null;
            if (term) await change.update(ctx.models.Term, 'Term', term, { $set: { endedOn: data.dissolvedOn } });
          }
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

  moveOrganization: (_, { id, parentId, on }, ctx) =>
    pipeline.mutate(ctx, rule('moveOrganization', 'move branches'), async (change) => {
      const { Organization, Term } = ctx.models;
      const node = await change.own<OrganizationDoc>(Organization, 'Organization', id);
      const parent = await change.ref<OrganizationDoc>(Organization, 'Organization', parentId, 'parentId');
      const date = on ?? today();
      checkMovable(node, parent);
      checkNotOwnDescendant(id, parent);
      checkParentLevel(node.level as Level, parent, 'parentId');
      const subtree = (await Organization.find(
        { ancestorIds: node._id },
        {
          name: 1,
          ancestorIds: 1,
          parentId: 1,
          pathHistory: 1,
          establishedOn: 1,
          level: 1,
          dissolvedOn: 1,
          governance: 1,
          governanceHistory: 1,
        },
      )
        .session(change.session)
        .lean()) as OrganizationDoc[];
      checkWithinLife(date, node, 'on');
      checkMoveDate([node, ...subtree], date);
      // From `date` on, the node and its whole subtree (and their terms) hang under the new parent;
      // their earlier place is kept in their path history, so every date before still reads the old tree.
      const newPath = rebasedPaths(node, parent, subtree);
      const terms = (await Term.find({ organizationId: { $in: [...newPath.values()].map((m) => m.id) } })
        .session(change.session)
        .lean()) as TermDoc[];
      const movedBranch = (o: OrganizationDoc): OrganizationDoc => ({
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
      const branches = [node, ...subtree].map((o) => ({ before: o, after: movedBranch(o) }));
      const movedTerms = terms.map((t) => ({ before: t, after: movedTerm(t) }));
      // The counters of every moved branch and term count under the new path from `date` on.
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
      // The outbox entry other subgraphs follow; its number is the tree version after this change.
      const last = (await ctx.models.Reorganization.findOne({}, { _id: 1 }).sort({ _id: -1 }).session(change.session).lean()) as {
        _id: number;
      } | null;
      await ctx.models.Reorganization.create(
        [
          {
            _id: (last?._id ?? 0) + 1,
            kind: 'MOVE',
            branchId: node._id,
            on: date,
            fromPath: pathOfOrg(node),
            toPath: pathOfOrg(after),
            at: new Date(),
          },
        ],
        { session: change.session },
      );
      const summary = (o: OrganizationDoc) => ({ parentId: o.parentId, ancestorIds: o.ancestorIds, on: date, subtreeSize: subtree.length });
      await change.audit({
        entity: 'Organization',
        entityId: node._id,
        orgPath: pathOfOrg(after),
        before: summary(node),
        after: summary(after),
      });
      return after;
    }),

  recordGovernance: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { ...rule(`recordGovernance:${input.fact}`, 'record governance facts'), input: recordGovernanceInput, value: input },
      async (change, data) => {
        const field = GOVERNANCE_FIELDS[data.fact];
        const before = await branchOf(change, ctx, data.organizationId);
        checkWithinLife(data.since, before, 'input.since');
        if (data.until) checkWithinLife(data.until, before, 'input.until');
        const next: GovernancePeriod = { since: data.since, until: data.until ?? null };
        if (data.fact === 'SUPERVISORY_BOARD') next.members = data.members ?? [];
        const periods = beginPeriod(before.governance?.[field], before.governanceHistory?.[field], next);
        return setFact(change, ctx, before, field, periods.current, periods.history);
      },
    ),

  endGovernance: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { ...rule(`endGovernance:${input.fact}`, 'record governance facts'), input: endGovernanceInput, value: input },
      async (change, data) => {
        const field = GOVERNANCE_FIELDS[data.fact];
        const before = await branchOf(change, ctx, data.organizationId);
        checkWithinLife(data.on, before, 'input.on');
        const ended = endPeriod(before.governance?.[field], data.on);
        return setFact(change, ctx, before, field, ended);
      },
    ),

  correctGovernance: (_, { input }, ctx) =>
    pipeline.mutate(
      ctx,
      { ...rule(`correctGovernance:${input.fact}`, 'correct governance facts'), input: correctGovernanceInput, value: input },
      async (change, data) => {
        const field = GOVERNANCE_FIELDS[data.fact];
        const before = await branchOf(change, ctx, data.organizationId);
        const current = before.governance?.[field];
        if (!current) throw conflict('no period of this fact is recorded: record it with recordGovernance', 'input.fact');
        checkWithinLife(data.since, before, 'input.since');
        if (data.until) checkWithinLife(data.until, before, 'input.until');
        const previous = before.governanceHistory?.[field]?.at(-1);
        if (previous?.until && data.since < previous.until)
          throw badInput('input.since', `must not be before the previous period ended (${previous.until.toISOString().slice(0, 10)})`);
        const corrected: GovernancePeriod = { since: data.since, until: data.until ?? null };
        if (data.fact === 'SUPERVISORY_BOARD') corrected.members = data.members ?? current.members ?? [];
        return setFact(change, ctx, before, field, corrected, undefined, { ...corrected, reason: data.reason });
      },
    ),

  setLeadership: (_, { organizationId, positions, on }, ctx) =>
    pipeline.mutate(
      ctx,
      { ...rule('setLeadership', 'set the leadership team'), input: leadershipInput, value: positions, prefix: 'positions' },
      async (change, data) => {
        const { Organization } = ctx.models;
        const before = await change.own<OrganizationDoc>(Organization, 'Organization', organizationId, 'organizationId');
        // By default the team stands from the day its newest post began (today for an empty team).
        const day = on ?? (data.length ? new Date(Math.max(...data.map((p) => p.since.getTime()))) : today());
        checkWithinLife(day, before, 'on');
        data.forEach((p, i) => checkWithinLife(p.since, before, `positions.${i}.since`));
        const leadership = nextLeadership(
          before.leadership,
          data.map((p) => ({ ...p, until: p.until ?? null })),
          day,
        );
        return change.update(
          Organization,
          'Organization',
          before,
          { $set: { leadership } },
          {
            auditAs: { before: before.leadership, after: leadership },
          },
        );
      },
    ),

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
