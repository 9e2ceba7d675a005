// Star ratings: requests, and decisions by the approving branch.
import { Types } from 'mongoose';
import { Roles } from '@rcsc/access';
import type { MutationResolvers } from '../../generated/graphql';
import type { Context } from '../../context';
import type { StarRatingDoc, VolunteerDoc } from '../../models';
import { hoursServed, pipeline, unlessDuplicate } from '../../pipeline';
import {
  checkApprover,
  checkDecision,
  checkStarRequest,
  decisionDate,
  reasonSchema,
  requestStarRatingInput,
  requiredApprover,
  today,
  type PathBranch,
} from '../../rules';
import { conflict, parseWith } from '@rcsc/service-kit';

/** The branches of a stored path (national HQ first) as the approval rule needs them. */
async function pathBranches(ctx: Context, orgPath: readonly unknown[]): Promise<PathBranch[]> {
  const branches = await Promise.all(orgPath.map((id) => ctx.directory.get(String(id))));
  return branches.flatMap((b) => (b ? [{ id: b.id, name: b.name, level: b.level }] : []));
}

function decideRating(
  ctx: Context,
  args: { id: string; deciderId: string; on: unknown },
  deciderField: 'approvedBy' | 'rejectedBy',
  status: 'APPROVED' | 'REJECTED',
  reason: string | null,
) {
  const action = status === 'APPROVED' ? 'approveStarRating' : 'rejectStarRating';
  const rule = { action, roles: Roles.WRITERS, does: 'decide star ratings', input: decisionDate, value: args.on, prefix: 'on' };
  return pipeline.mutate(ctx, rule, async (change, on) => {
    const { StarRating, Volunteer } = ctx.models;
    const rating = await change.own(StarRating, 'StarRating', args.id);
    const decider = await ctx.access.branch(args.deciderId, deciderField);
    checkApprover(await pathBranches(ctx, rating.orgPath), rating.stars, { id: decider.id, name: decider.name, level: decider.level });
    // The approving branch decides through its own staff: approvedBy is the viewer's own branch.
    ctx.access.requireActsFor(decider, deciderField, 'decide');
    const date = on ?? today();
    checkDecision(rating, date);
    const decided = await change.update(
      StarRating,
      'StarRating',
      rating,
      { $set: { status, decidedBy: new Types.ObjectId(decider.id), decidedOn: date, reason } },
      { unchanged: { status: 'PENDING' }, meanwhile: 'the rating was decided meanwhile' },
    );
    if (status === 'APPROVED') {
      const v = (await Volunteer.findById(rating.volunteerId).session(change.session).lean()) as VolunteerDoc | null;
      if (v && v.stars < rating.stars) {
        await change.update(
          Volunteer,
          'Volunteer',
          v,
          { $set: { stars: rating.stars } },
          { auditAs: { before: { stars: v.stars }, after: { stars: rating.stars } } },
        );
      }
    }
    return decided;
  });
}

export const starRatingMutations: MutationResolvers = {
  requestStarRating: (_, { input }, ctx) =>
    unlessDuplicate(
      () =>
        pipeline.mutate(
          ctx,
          { action: 'requestStarRating', roles: Roles.WRITERS, does: 'request star ratings', input: requestStarRatingInput, value: input },
          async (change, data) => {
            const { StarRating, Volunteer } = ctx.models;
            const requestedOn = data.requestedOn ?? today();
            const v = await change.own(Volunteer, 'Volunteer', data.volunteerId, 'input.volunteerId');
            const pending = await StarRating.findOne({ volunteerId: v._id, status: 'PENDING' }).session(change.session).lean();
            const hours = await hoursServed(ctx, v._id, { $lte: requestedOn }, change.session);
            checkStarRequest(v, data.stars, pending, hours, ctx.config);
            const approver = requiredApprover(await pathBranches(ctx, v.orgPath), data.stars);
            return change.create<StarRatingDoc>(StarRating, 'StarRating', {
              volunteerId: v._id,
              orgPath: v.orgPath,
              stars: data.stars,
              status: 'PENDING',
              requestedOn,
              hoursAtRequest: hours,
              approverId: new Types.ObjectId(approver.id),
            });
          },
        ),
      // Two requests at once: the unique index (one PENDING per volunteer) refuses the second.
      () => conflict('a star rating of this volunteer is already pending', 'input.volunteerId'),
    ),

  approveStarRating: (_, { id, approvedBy, on }, ctx) =>
    decideRating(ctx, { id, deciderId: approvedBy, on }, 'approvedBy', 'APPROVED', null),

  rejectStarRating: (_, { id, rejectedBy, reason, on }, ctx) =>
    decideRating(ctx, { id, deciderId: rejectedBy, on }, 'rejectedBy', 'REJECTED', parseWith(reasonSchema, reason, 'reason')),
};
