import { badInput, conflict, type Change } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import { GOVERNANCE_FIELDS, type GovernanceField, type GovernancePeriod, type OrganizationDoc } from '../../models';
import type { Context } from '../../context';
import {
  beginPeriod,
  checkWithinLife,
  correctGovernanceInput,
  endGovernanceInput,
  endPeriod,
  leadershipInput,
  nextLeadership,
  recordGovernanceInput,
  today,
} from '../../rules';
import { branchOf, pipeline, rule } from './pipeline';

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

export const governanceMutations: MutationResolvers = {
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
};
