import { paginate } from '@rcsc/service-kit';
import type {
  EnrollmentResolvers,
  SessionRatingResolvers,
  SyllabusModuleResolvers,
  TrainingClassResolvers,
  TrainingSessionResolvers,
} from '../generated/graphql';
import type { EnrollmentDoc, InstructorDoc, SyllabusModuleDoc, TrainingClassDoc } from '../models';
import { attendanceRate, today, versionInForce } from '../rules';
import { isObjectId } from './filters';

const present = <T>(rows: (T | null | Error)[]): T[] => rows.filter((r): r is T => !!r && !(r instanceof Error));

async function requireClass(load: (id: string) => Promise<TrainingClassDoc | null>, id: unknown): Promise<TrainingClassDoc> {
  const cls = await load(String(id));
  if (!cls) throw new Error(`record refers to missing training class ${String(id)}`);
  return cls;
}

export const TrainingClass: TrainingClassResolvers = {
  __resolveReference: (ref, { loaders }) => (isObjectId(ref.id) ? loaders.classById.load(ref.id.toLowerCase()) : null),
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
  instructors: async (c, _, { loaders }) => present<InstructorDoc>(await loaders.instructorById.loadMany(c.instructorIds.map(String))),
  completedCount: (c, _, { loaders }) => loaders.completedCountOf.load(String(c._id)),
  enrollments: (c, { includeWithdrawn, first, after }, { models }) =>
    paginate<EnrollmentDoc>(
      models.Enrollment,
      includeWithdrawn ? { classId: c._id } : { classId: c._id, withdrawnOn: null },
      { first, after },
      'enrolledOn',
    ),
};

export const TrainingSession: TrainingSessionResolvers = {
  id: (s) => String(s._id),
  trainingClass: (s, _, { loaders }) => requireClass((id) => loaders.classById.load(id), s.classId),
  instructors: async (s, _, { loaders }) => present<InstructorDoc>(await loaders.instructorById.loadMany(s.instructorIds.map(String))),
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
  trainingClass: (e, _, { loaders }) => requireClass((id) => loaders.classById.load(id), e.classId),
  organization: (e) => ({ id: String(e.organizationId) }),
  attendanceRate: async (e, _, { loaders }) =>
    attendanceRate(e.attendedHours, (await requireClass((id) => loaders.classById.load(id), e.classId)).totalHours),
};

export const SyllabusModule: SyllabusModuleResolvers = {
  id: (m) => String(m._id),
};
