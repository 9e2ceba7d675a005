import type { RevealedInstructorContactResolvers } from '../generated/graphql';

/** A reveal's answer: the instructor (already checked by the mutation) and the clear values. */
export const RevealedInstructorContact: RevealedInstructorContactResolvers = {
  instructor: (r) => r.instructor,
};
