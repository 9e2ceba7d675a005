import { isObjectId, pageSize } from '@rcsc/service-kit';
import type {
  EnrollmentResolvers,
  SessionRatingResolvers,
  SyllabusModuleResolvers,
  TrainingClassResolvers,
  TrainingSessionResolvers,
} from '../generated/graphql';
import type { Context } from '../context';
import type { InstructorDoc, SyllabusModuleDoc, TrainingClassDoc } from '../models';
import { attendanceRate, today, versionInForce } from '../rules';
import { onlyReadable, readable } from './readable';

const present = <T>(rows: (T | null | Error)[]): T[] => rows.filter((r): r is T => !!r && !(r instanceof Error));

async function requireClass(load: (id: string) => Promise<TrainingClassDoc | null>, id: unknown): Promise<TrainingClassDoc> {
  const cls = await load(String(id));
  if (!cls) throw new Error(`record refers to missing training class ${String(id)}`);
  return cls;
}

/** The class a session or enrolment belongs to: FORBIDDEN if the viewer may not read it. */
async function classOf(ctx: Context, id: unknown): Promise<TrainingClassDoc> {
  return (await readable(ctx, await requireClass((c) => ctx.loaders.classById.load(c), id), `Training class ${String(id)}`))!;
}

/** Instructors by id, leaving out those the viewer may not read (pools of other subtrees). */
async function readableInstructors(ctx: Context, ids: unknown[]): Promise<InstructorDoc[]> {
  return onlyReadable(ctx, present<InstructorDoc>(await ctx.loaders.instructorById.loadMany(ids.map(String))));
}

export const TrainingClass: TrainingClassResolvers = {
  // Outside what the viewer may read: FORBIDDEN for that representation (null when unknown).
  __resolveReference: async (ref, ctx) =>
    isObjectId(ref.id) ? readable(ctx, await ctx.loaders.classById.load(ref.id.toLowerCase()), `Training class ${ref.id}`) : null,
  id: (c) => String(c._id),
  host: (c) => ({ id: String(c.organizationId) }),
  status(c) {
    const now = today();
    if (c.cancelledOn) return 'CANCELLED';
    if (now < c.startsOn) return 'PLANNED';
    return now > c.endsOn ? 'FINISHED' : 'IN_PROGRESS';
  },
  async modules(c, _, { loaders }) {
    const versions = present(await loaders.moduleVersions.loadMany(c.moduleCodes));
    return versions.map((v) => versionInForce(v, c.startsOn)).filter((m): m is SyllabusModuleDoc => !!m);
  },
  sessions: (c, _, { loaders }) => loaders.sessionsOfClass.load(String(c._id)),
  instructors: (c, _, ctx) => readableInstructors(ctx, c.instructorIds),
  completedCount: (c, _, { loaders }) => loaders.completedCountOf.load(String(c._id)),
  // Every enrolment for viewers whose subtree contains the host; a class hosted above the viewer
  // (readable, e.g. the national HQ's) shows only the viewer's own cadres. Batched over a list of
  // classes: one aggregation per distinct set of arguments, not one per class.
  enrollments: (c, { includeWithdrawn, first, after }, { loaders, access }) =>
    loaders.enrollmentPage(
      String(c._id),
      { includeWithdrawn: !!includeWithdrawn, ownOnly: !access.covers(c.orgPath) },
      pageSize(first),
      after,
    ),
};

export const TrainingSession: TrainingSessionResolvers = {
  id: (s) => String(s._id),
  trainingClass: (s, _, ctx) => classOf(ctx, s.classId),
  instructors: (s, _, ctx) => readableInstructors(ctx, s.instructorIds),
  async ratings(s, _, ctx) {
    const shown = new Set(
      (
        await readableInstructors(
          ctx,
          s.ratings.map((r) => r.instructorId),
        )
      ).map((i) => String(i._id)),
    );
    return s.ratings.filter((r) => shown.has(String(r.instructorId)));
  },
};

export const SessionRating: SessionRatingResolvers = {
  async instructor(r, _, { loaders }) {
    const instructor = await loaders.instructorById.load(String(r.instructorId));
    if (!instructor) throw new Error(`rating refers to missing instructor ${String(r.instructorId)}`);
    return instructor;
  },
};

export const Enrollment: EnrollmentResolvers = {
  id: (e) => String(e._id),
  trainingClass: (e, _, ctx) => classOf(ctx, e.classId),
  organization: (e) => ({ id: String(e.organizationId) }),
  attendanceRate: async (e, _, { loaders }) =>
    attendanceRate(e.attendedHours, (await requireClass((id) => loaders.classById.load(id), e.classId)).totalHours),
};

export const SyllabusModule: SyllabusModuleResolvers = {
  id: (m) => String(m._id),
};
