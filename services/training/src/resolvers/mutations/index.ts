import type { MutationResolvers } from '../../generated/graphql';
import { certificateMutations } from './certificates';
import { classMutations } from './classes';
import { enrollmentMutations } from './enrollments';
import { instructorMutations } from './instructors';
import { sessionMutations } from './sessions';
import { syllabusMutations } from './syllabus';

/** Every mutation: short orchestration over the service's one pipeline (./pipeline) and the rules (../../rules). */
export const Mutation: MutationResolvers = {
  ...syllabusMutations,
  ...instructorMutations,
  ...classMutations,
  ...sessionMutations,
  ...enrollmentMutations,
  ...certificateMutations,
};
