import type { MutationResolvers } from '../../generated/graphql';
import { branchMutations } from './branches';
import { governanceMutations } from './governance';
import { reorganizationMutations } from './reorganize';
import { reversalMutations } from './reverse';
import { termMutations } from './terms';
import { placeMutations } from './places';

export const Mutation: MutationResolvers = {
  ...branchMutations,
  ...reorganizationMutations,
  ...reversalMutations,
  ...governanceMutations,
  ...termMutations,
  ...placeMutations,
};
