import { isObjectId, pageSize } from '@rcsc/service-kit';
import type {
  EnrollmentResolvers,
  CertificateResolvers,
  SessionChangeResolvers,
  StaffRecordResolvers,
  SessionRatingResolvers,
  SyllabusModuleResolvers,
  TrainingClassResolvers,
  TrainingSessionResolvers,
} from '../generated/graphql';
import type { Context } from '../context';
import type { CertificateDoc, EnrollmentDoc, InstructorDoc, StaffDoc, SyllabusModuleDoc, TrainingClassDoc } from '../models';
import { attendanceRate, isCompleted, today, versionInForce } from '../rules';
import { certificatePdf } from '../certificate-pdf';
import { criteriaOf } from './mutations/completion';
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
  waitingCount: (c) => c.waitingCount ?? 0,
  completionCriteria: (c) => criteriaOf(c),
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
  attendedSessions: (e) => e.attendedSessions ?? 0,
  certificate: async (e, _, { models }) => (await models.Certificate.findOne({ enrollmentId: e._id }).lean()) as CertificateDoc | null,
  member: (e) => (e.memberId ? { id: e.memberId } : null),
  // Staff records are personal data of the trainee's branch: shown where the enrolment is.
  staff: async (e, _, { models }) => (e.staffId ? ((await models.Staff.findById(e.staffId).lean()) as StaffDoc | null) : null),
  assessmentPassed: (e) => e.assessmentPassed ?? null,
  // Evaluated: the criteria were met (completedOn set, the class's last day) and that day has passed.
  completed: (e) => isCompleted(e.completedOn),
  completedOn: (e) => (isCompleted(e.completedOn) ? e.completedOn : null),
  waiting: (e) => !!e.waiting,
  promotedOn: (e) => e.promotedOn ?? null,
  // The sessions come from the class's batched list (one query per page of classes).
  async attendance(e, _, { loaders }) {
    const sessions = await loaders.sessionsOfClass.load(String(e.classId));
    const statusOf = new Map((e.attendance ?? []).map((a) => [String(a.sessionId), a.status]));
    return sessions.filter((s) => statusOf.has(String(s._id))).map((session) => ({ session, status: statusOf.get(String(session._id))! }));
  },
  // Places are counted among those still waiting, in waitSeq order (one indexed count).
  waitingPosition: async (e, _, { models }) =>
    e.waiting && !e.withdrawnOn
      ? 1 + (await models.Enrollment.countDocuments({ classId: e.classId, waiting: true, withdrawnOn: null, waitSeq: { $lt: e.waitSeq } }))
      : null,
};

export const SyllabusModule: SyllabusModuleResolvers = {
  id: (m) => String(m._id),
};

export const SessionChange: SessionChangeResolvers = {
  affectedInstructors: (c, _, ctx) => onlyReadable(ctx, c.affectedInstructors),
};

export const StaffRecord: StaffRecordResolvers = {
  id: (r) => String(r._id),
  organization: (r) => ({ id: String(r.organizationId) }),
  identityNumber: (r, _, { access }) => (access.seesPersonalData ? (r.identity?.masked ?? null) : null),
};

export const Certificate: CertificateResolvers = {
  trainingClass: (c, _, ctx) => classOf(ctx, c.classId),
  organization: (c) => ({ id: String(c.organizationId) }),
  valid: (c) => !c.revokedOn,
  async pdfBase64(c, _, ctx) {
    const [cls, enrollment] = await Promise.all([
      requireClass((id) => ctx.loaders.classById.load(id), c.classId),
      ctx.models.Enrollment.findById(c.enrollmentId).lean() as Promise<EnrollmentDoc | null>,
    ]);
    const host = await ctx.directory.get(String(cls.organizationId));
    const bytes = await certificatePdf({
      number: c.number,
      name: c.name,
      classTitle: cls.title,
      hostName: host?.name ?? '',
      completedOn: c.completedOn,
      issuedOn: c.issuedOn,
      attendedHours: enrollment?.attendedHours ?? 0,
    });
    return Buffer.from(bytes).toString('base64');
  },
};
