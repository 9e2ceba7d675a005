import type { MutationResolvers } from '../../generated/graphql';
import { noticeMutations } from './notices';
import { periodMutations } from './periods';
import { submissionMutations } from './submissions';
import { targetMutations } from './targets';
import { workPlanMutations } from './work-plan';

/** Every mutation, by domain; each goes through the one pipeline (src/pipeline.ts). */
export const Mutation: MutationResolvers = {
  ...submissionMutations,
  ...periodMutations,
  ...targetMutations,
  ...workPlanMutations,
  ...noticeMutations,
};
