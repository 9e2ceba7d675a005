import type { MutationResolvers } from '../../generated/graphql';
import { memberMutations } from './members';
import { revealMutations } from './reveal';
import { starRatingMutations } from './star-ratings';
import { teamMutations } from './teams';
import { volunteerMutations } from './volunteers';

/** Every mutation: short orchestration of the one pipeline (src/pipeline.ts) and the rules (src/rules.ts). */
export const Mutation: MutationResolvers = {
  ...memberMutations,
  ...volunteerMutations,
  ...teamMutations,
  ...starRatingMutations,
  ...revealMutations,
};
