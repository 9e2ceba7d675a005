import type {
  ActorResolvers,
  CompletenessEntryResolvers,
  CompletenessResolvers,
  PeriodResolvers,
  SubmissionResolvers,
} from '../generated/graphql';
import type { Context } from '../context';
import type { SubmissionDoc } from '../models';
import { liveValues, periodView } from '../reports';
import { periodFromKey, timeliness } from '../rules';
import { differences, valuesOf } from '../tables';

/** Rows whose frozen value differs from the live value now (none for an excuse). */
async function staleRows(s: SubmissionDoc, ctx: Context) {
  if (s.status === 'EXCUSED' || !s.values) return [];
  const live = await liveValues(ctx, String(s.organizationId), periodFromKey(s.periodKey));
  return differences(s.table, s.values, live);
}

export const Submission: SubmissionResolvers = {
  id: (s) => String(s._id),
  organization: (s) => ({ id: String(s.organizationId) }),
  reviewer: (s) => (s.parentId ? { id: String(s.parentId) } : null),
  period: (s, _, ctx) => periodView(ctx, periodFromKey(s.periodKey)),
  values: (s) => (s.status === 'EXCUSED' || !s.values ? [] : valuesOf(s.table, s.values)),
  async timeliness(s, _, ctx) {
    const p = await periodView(ctx, periodFromKey(s.periodKey));
    return timeliness(s.status, s.submittedAt, p.dueDate, ctx.now());
  },
  history: (s) => s.history,
  staleIndicators: (s, _, ctx) => staleRows(s, ctx),
  stale: async (s, _, ctx) => (await staleRows(s, ctx)).length > 0,
  // The branch above may lie outside the viewer's subtree (a county's own submission): FORBIDDEN on
  // the field then, whether or not it has a submission (checked on the path, before reading).
  async parentSubmission(s, _, { loaders, access }) {
    if (!s.parentId) return null;
    access.requireOver(s.orgPath.slice(0, -1), 'The submission of the branch above');
    const parent = await loaders.submissionOf.load([String(s.parentId), s.periodKey]);
    return access.visible(parent, `The submission of ${parent?.branchName}`);
  },
};

export const Actor: ActorResolvers = {
  organization: (a) => (a.organizationId ? { id: String(a.organizationId) } : null),
};

export const Period: PeriodResolvers = {
  asOf: (p) => p.asOf,
};

export const Completeness: CompletenessResolvers = {
  entries: (c) => c.entries(),
};

export const CompletenessEntry: CompletenessEntryResolvers = {
  organization: (e) => ({ id: e.branch.id }),
  name: (e) => e.branch.name,
  level: (e) => e.branch.level,
};
