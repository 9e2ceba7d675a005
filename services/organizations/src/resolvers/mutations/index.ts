import type { MutationResolvers } from '../../generated/graphql';
import { branchMutations } from './branches';
import { governanceMutations } from './governance';
import { reorganizationMutations } from './reorganize';
import { termMutations } from './terms';
import { placeMutations } from './places';

export const Mutation: MutationResolvers = {
  ...branchMutations,
  ...reorganizationMutations,
  ...governanceMutations,
  ...termMutations,
  ...placeMutations,
};
