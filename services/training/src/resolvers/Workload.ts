import type { InstructorWorkloadResolvers } from '../generated/graphql';

export const InstructorWorkload: InstructorWorkloadResolvers = {
  async instructor(w, _, { loaders }) {
    const instructor = await loaders.instructorById.load(w.instructorId);
    if (!instructor) throw new Error(`session refers to missing instructor ${w.instructorId}`);
    return instructor;
  },
};
