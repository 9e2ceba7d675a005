import { isObjectId } from '@rcsc/service-kit';
import type { InstructorResolvers } from '../generated/graphql';
import type { SessionDoc } from '../models';
import { readable } from './readable';
import { checkPeriod } from './filters';

export const Instructor: InstructorResolvers = {
  // Outside what the viewer may read: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, ctx) =>
    isObjectId(ref.id) ? readable(ctx, await ctx.loaders.instructorById.load(ref.id.toLowerCase()), `Instructor ${ref.id}`) : null,
  id: (i) => String(i._id),
  organization: (i) => ({ id: String(i.organizationId) }),
  // Contact details leave the service masked only (in clear only through the audited
  // revealInstructorContact), and not at all to REPORTER and VIEWER.
  contact: (i, _, { access }) =>
    access.seesPersonalData
      ? { phone: i.contact?.phone?.masked ?? null, email: i.contact?.email?.masked ?? null }
      : { phone: null, email: null },
  unavailablePeriods: (i) =>
    (i.unavailable ?? [])
      .filter((p) => !p.removedOn)
      .sort((a, b) => a.from.getTime() - b.from.getTime())
      .map((p) => ({ id: String(p._id), from: p.from, to: p.to, reason: p.reason ?? null })),
  rating: async (i, _, { loaders }) => (await loaders.ratingOf.load(String(i._id))).average,
  ratingCount: async (i, _, { loaders }) => (await loaders.ratingOf.load(String(i._id))).count,
  async workload(i, { from, to }, { loaders }) {
    checkPeriod(from, to);
    const row = await loaders.workloadOf.load({ instructorId: String(i._id), from, to });
    return { from, to, sessions: row.sessions, hours: row.hours, classes: row.classes };
  },
  sessions(i, { from, to }, { loaders }): Promise<SessionDoc[]> {
    checkPeriod(from, to);
    return loaders.sessionsOfInstructor.load({ instructorId: String(i._id), from, to });
  },
};
