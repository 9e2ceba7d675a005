import type { ClientSession } from 'mongoose';
import { Types } from 'mongoose';
import { badInput, conflict, isDuplicateKey, notFound, parseInput, type FieldProblem } from '@rcsc/service-kit';
import { pathOf } from '@rcsc/directory';
import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { EnrollmentDoc, InstructorDoc, SessionDoc, SyllabusModuleDoc, TrainingClassDoc } from '../models';
import {
  addSessionInput,
  checkAssignments,
  checkCapacity,
  checkSessionInClass,
  checkStatusChange,
  conflicts,
  createInstructorInput,
  createTrainingClassInput,
  enrollInput,
  instructorStatusSchema,
  MAX_SESSION_MS,
  publishSyllabusModuleInput,
  rateInstructorInput,
  recordAttendanceInput,
  sessionHours,
  updateInstructorInput,
  type Assignment,
} from '../rules';
import { toObjectId } from './filters';

const oid = (id: string) => new Types.ObjectId(id);
const uniqueIds = (ids: Types.ObjectId[]) => [...new Map(ids.map((i) => [String(i), i])).values()];

type SessionData = { moduleCode: string; startsAt: Date; endsAt: Date; instructorIds: string[] };

/** Module codes of the syllabus (any version) among `codes`; unknown ones are BAD_USER_INPUT naming their fields. */
async function checkModulesExist(ctx: Context, codes: { code: string; field: string }[], session?: ClientSession): Promise<void> {
  if (!codes.length) return;
  const known = new Set(
    (await ctx.models.SyllabusModule.distinct('code', { code: { $in: [...new Set(codes.map((c) => c.code))] } }).session(
      session ?? null,
    )) as string[],
  );
  const unknown = codes.filter((c) => !known.has(c.code));
  if (unknown.length) throw badInput(unknown.map((c) => ({ field: c.field, message: `no syllabus module has code ${c.code}` })));
}

/** The instructors named in sessions, by id; an unknown one is NOT_FOUND. */
async function loadInstructors(ctx: Context, ids: string[], session: ClientSession): Promise<Map<string, InstructorDoc>> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  const rows = (await ctx.models.Instructor.find({ _id: { $in: unique.map(oid) } })
    .session(session)
    .lean()) as InstructorDoc[];
  const map = new Map(rows.map((r) => [String(r._id), r]));
  const missing = unique.find((id) => !map.has(id));
  if (missing) throw notFound('Instructor', missing);
  return map;
}

/**
 * Checks the five assignment rules for new or changed sessions against every booked session of the
 * instructors involved (one indexed query), then bumps those instructors' scheduleRevision in the
 * same transaction, so that a concurrent assignment of the same instructor write-conflicts and retries.
 */
async function assign(ctx: Context, sessions: { data: SessionData; field: string; id?: string }[], session: ClientSession): Promise<void> {
  const ids = sessions.flatMap((s) => s.data.instructorIds);
  if (!ids.length) return;
  const instructors = await loadInstructors(ctx, ids, session);
  const earliest = Math.min(...sessions.map((s) => s.data.startsAt.getTime()));
  const latest = Math.max(...sessions.map((s) => s.data.endsAt.getTime()));
  const booked = (await ctx.models.Session.find({
    instructorIds: { $in: [...instructors.values()].map((i) => i._id) },
    startsAt: { $gt: new Date(earliest - MAX_SESSION_MS), $lt: new Date(latest) },
    cancelledOn: null,
  })
    .session(session)
    .lean()) as SessionDoc[];
  const assignments: Assignment[] = sessions.flatMap((s) =>
    s.data.instructorIds.map((id, j) => ({
      field: `${s.field}.instructorIds.${j}`,
      instructorId: id.toLowerCase(),
      instructor: instructors.get(id.toLowerCase())!,
      session: { ...s.data, id: s.id },
    })),
  );
  checkAssignments(
    assignments,
    booked.map((b) => ({ id: String(b._id), startsAt: b.startsAt, endsAt: b.endsAt, instructorIds: b.instructorIds.map(String) })),
  );
  await ctx.models.Instructor.updateMany(
    { _id: { $in: [...instructors.values()].map((i) => i._id) } },
    { $inc: { scheduleRevision: 1 } },
    { session },
  );
}

async function findClass(ctx: Context, id: string, field: string, session?: ClientSession): Promise<TrainingClassDoc> {
  const cls = (await ctx.models.TrainingClass.findById(toObjectId(id, field))
    .session(session ?? null)
    .lean()) as TrainingClassDoc | null;
  if (!cls) throw notFound('TrainingClass', id);
  return cls;
}

async function findInstructor(ctx: Context, id: string, field: string, session?: ClientSession): Promise<InstructorDoc> {
  const found = (await ctx.models.Instructor.findById(toObjectId(id, field))
    .session(session ?? null)
    .lean()) as InstructorDoc | null;
  if (!found) throw notFound('Instructor', id);
  return found;
}

async function findEnrollment(ctx: Context, id: string, field: string, session?: ClientSession): Promise<EnrollmentDoc> {
  const found = (await ctx.models.Enrollment.findById(toObjectId(id, field))
    .session(session ?? null)
    .lean()) as EnrollmentDoc | null;
  if (!found) throw notFound('Enrollment', id);
  return found;
}

function checkNotCancelled(cls: TrainingClassDoc, field: string): void {
  if (cls.cancelledOn) throw conflicts([{ field, message: `${cls.title} was cancelled` }]);
}

/** Contact details as stored: protected, never in clear. */
function protectContact(ctx: Context, phone: string | null | undefined, email: string | null | undefined) {
  return {
    phone: phone ? ctx.vault.protect(phone, 'phone') : null,
    email: email ? ctx.vault.protect(email, 'email') : null,
  };
}

/** The same phone number twice in one branch's pool is a duplicate person. */
async function checkNoDuplicatePhone(
  ctx: Context,
  phone: string | null | undefined,
  organizationId: Types.ObjectId,
  except?: Types.ObjectId,
) {
  if (!phone) return;
  const filter: Record<string, unknown> = { 'contact.phone.hash': ctx.vault.hash(phone), organizationId };
  if (except) filter._id = { $ne: except };
  if (await ctx.models.Instructor.exists(filter))
    throw conflict('an instructor with this phone number is already in this pool', 'input.phone');
}

export const Mutation: MutationResolvers = {
  async publishSyllabusModule(_, { input }, ctx) {
    const data = parseInput(publishSyllabusModuleInput, input);
    const { SyllabusModule } = ctx.models;
    try {
      return await SyllabusModule.db.transaction(async (session) => {
        const previous = (await SyllabusModule.findOne({ code: data.code })
          .sort({ version: -1 })
          .session(session)
          .lean()) as SyllabusModuleDoc | null;
        if (previous && data.effectiveFrom <= previous.effectiveFrom) {
          throw badInput('input.effectiveFrom', `must be after version ${previous.version}'s effective date`);
        }
        if (previous) await SyllabusModule.updateOne({ _id: previous._id }, { $set: { supersededOn: data.effectiveFrom } }, { session });
        const [created] = await SyllabusModule.create([{ ...data, version: (previous?.version ?? 0) + 1, supersededOn: null }], {
          session,
        });
        return created.toObject() as SyllabusModuleDoc;
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`another version of ${data.code} was published at the same time; try again`, 'input.code');
      throw err;
    }
  },

  async createInstructor(_, { input }, ctx) {
    const data = parseInput(createInstructorInput, input);
    const branch = await ctx.directory.require(data.organizationId, 'input.organizationId');
    await checkModulesExist(
      ctx,
      data.topics.map((code, i) => ({ code, field: `input.topics.${i}` })),
    );
    const organizationId = oid(branch.id);
    await checkNoDuplicatePhone(ctx, data.phone, organizationId);
    const created = await ctx.models.Instructor.create({
      name: data.name,
      category: data.category,
      organizationId,
      orgPath: pathOf(branch).map(oid),
      tier: branch.level,
      topics: data.topics,
      qualifications: data.qualifications,
      contact: protectContact(ctx, data.phone, data.email),
      status: 'ACTIVE',
      statusSince: data.joinedOn,
      statusHistory: [{ status: 'ACTIVE', since: data.joinedOn }],
      joinedOn: data.joinedOn,
    });
    return created.toObject() as InstructorDoc;
  },

  async updateInstructor(_, { id, input }, ctx) {
    const data = parseInput(updateInstructorInput, input);
    const current = await findInstructor(ctx, id, 'id');
    if (data.topics)
      await checkModulesExist(
        ctx,
        data.topics.map((code, i) => ({ code, field: `input.topics.${i}` })),
      );
    const topics = data.topics ?? current.topics;
    // Given topics without qualifications keep the qualifications of the topics that remain.
    const qualifications = data.qualifications ?? current.qualifications.filter((q) => topics.includes(q.moduleCode));
    const orphan: FieldProblem[] = (data.qualifications ?? [])
      .map((q, i) => ({ q, i }))
      .filter(({ q }) => !topics.includes(q.moduleCode))
      .map(({ i }) => ({ field: `input.qualifications.${i}.moduleCode`, message: 'must be one of the topics' }));
    if (orphan.length) throw badInput(orphan);
    const set: Record<string, unknown> = { topics, qualifications };
    if (data.name) set.name = data.name;
    if (data.category) set.category = data.category;
    if (data.phone !== undefined) {
      await checkNoDuplicatePhone(ctx, data.phone, current.organizationId, current._id);
      set['contact.phone'] = protectContact(ctx, data.phone, null).phone;
    }
    if (data.email !== undefined) set['contact.email'] = protectContact(ctx, null, data.email).email;
    return (await ctx.models.Instructor.findByIdAndUpdate(
      current._id,
      { $set: set },
      { returnDocument: 'after', runValidators: true },
    ).lean()) as InstructorDoc;
  },

  async setInstructorStatus(_, { id, status, since }, ctx) {
    const next = parseInput(instructorStatusSchema, status, 'status');
    const current = await findInstructor(ctx, id, 'id');
    checkStatusChange(current, next, since);
    const updated = (await ctx.models.Instructor.findOneAndUpdate(
      // Guarded by the status read, so that two concurrent changes cannot both apply.
      { _id: current._id, status: current.status, statusSince: current.statusSince },
      { $set: { status: next, statusSince: since }, $push: { statusHistory: { status: next, since } } },
      { returnDocument: 'after' },
    ).lean()) as InstructorDoc | null;
    if (!updated) throw conflict('the instructor changed meanwhile; read it again', 'id');
    return updated;
  },

  async createTrainingClass(_, { input }, ctx) {
    const data = parseInput(createTrainingClassInput, input);
    const host = await ctx.directory.require(data.organizationId, 'input.organizationId');
    data.sessions.forEach((s, i) => checkSessionInClass(s, data, `input.sessions.${i}.startsAt`));
    await checkModulesExist(
      ctx,
      data.sessions.map((s, i) => ({ code: s.moduleCode, field: `input.sessions.${i}.moduleCode` })),
    );
    const { TrainingClass, Session } = ctx.models;
    return TrainingClass.db.transaction(async (session) => {
      await assign(
        ctx,
        data.sessions.map((s, i) => ({ data: s, field: `input.sessions.${i}` })),
        session,
      );
      const orgPath = pathOf(host).map(oid);
      const [cls] = await TrainingClass.create(
        [
          {
            title: data.title,
            category: data.category,
            organizationId: oid(host.id),
            orgPath,
            startsOn: data.startsOn,
            endsOn: data.endsOn,
            place: data.place,
            capacity: data.capacity,
            audienceLevel: data.audienceLevel ?? null,
            moduleCodes: [...new Set(data.sessions.map((s) => s.moduleCode))],
            instructorIds: uniqueIds(data.sessions.flatMap((s) => s.instructorIds.map(oid))),
            totalHours: data.sessions.reduce((sum, s) => sum + sessionHours(s.startsAt, s.endsAt), 0),
            enrollmentCount: 0,
          },
        ],
        { session },
      );
      if (data.sessions.length) {
        await Session.insertMany(
          data.sessions.map((s) => ({
            classId: cls._id,
            orgPath,
            moduleCode: s.moduleCode,
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            hours: sessionHours(s.startsAt, s.endsAt),
            instructorIds: s.instructorIds.map(oid),
          })),
          { session },
        );
      }
      return cls.toObject() as TrainingClassDoc;
    });
  },

  async addSession(_, { input }, ctx) {
    const data = parseInput(addSessionInput, input);
    const { TrainingClass, Session } = ctx.models;
    await checkModulesExist(ctx, [{ code: data.session.moduleCode, field: 'input.session.moduleCode' }]);
    return TrainingClass.db.transaction(async (session) => {
      const cls = await findClass(ctx, data.classId, 'input.classId', session);
      checkNotCancelled(cls, 'input.classId');
      checkSessionInClass(data.session, cls, 'input.session.startsAt');
      await assign(ctx, [{ data: data.session, field: 'input.session' }], session);
      const hours = sessionHours(data.session.startsAt, data.session.endsAt);
      const instructorIds = data.session.instructorIds.map(oid);
      const [created] = await Session.create(
        [
          {
            classId: cls._id,
            orgPath: cls.orgPath,
            moduleCode: data.session.moduleCode,
            startsAt: data.session.startsAt,
            endsAt: data.session.endsAt,
            hours,
            instructorIds,
          },
        ],
        { session },
      );
      await TrainingClass.updateOne(
        { _id: cls._id },
        { $addToSet: { moduleCodes: data.session.moduleCode, instructorIds: { $each: instructorIds } }, $inc: { totalHours: hours } },
        { session },
      );
      return created.toObject() as SessionDoc;
    });
  },

  async assignInstructor(_, { sessionId, instructorId }, ctx) {
    const { TrainingClass, Session } = ctx.models;
    const sid = toObjectId(sessionId, 'sessionId');
    const iid = toObjectId(instructorId, 'instructorId');
    return Session.db.transaction(async (session) => {
      const target = (await Session.findById(sid).session(session).lean()) as SessionDoc | null;
      if (!target) throw notFound('TrainingSession', sessionId);
      if (target.cancelledOn) throw conflicts([{ field: 'sessionId', message: 'the session was cancelled with its class' }]);
      if (target.instructorIds.some((i) => i.equals(iid)))
        throw conflicts([{ field: 'instructorId', message: 'already teaches this session' }]);
      const data = { moduleCode: target.moduleCode, startsAt: target.startsAt, endsAt: target.endsAt, instructorIds: [String(iid)] };
      try {
        await assign(ctx, [{ data, field: 'assign', id: String(target._id) }], session);
      } catch (err) {
        // Name the argument, not the internal path.
        const fields = (err as { extensions?: { fields?: FieldProblem[] } }).extensions?.fields;
        if (fields?.[0]?.field === 'assign.instructorIds.0') throw conflicts([{ field: 'instructorId', message: fields[0].message }]);
        throw err;
      }
      await Session.updateOne({ _id: sid }, { $addToSet: { instructorIds: iid } }, { session });
      await TrainingClass.updateOne({ _id: target.classId }, { $addToSet: { instructorIds: iid } }, { session });
      return (await Session.findById(sid).session(session).lean()) as SessionDoc;
    });
  },

  async cancelTrainingClass(_, { id, on }, ctx) {
    const { TrainingClass, Session } = ctx.models;
    return TrainingClass.db.transaction(async (session) => {
      const cls = await findClass(ctx, id, 'id', session);
      checkNotCancelled(cls, 'id');
      await TrainingClass.updateOne({ _id: cls._id }, { $set: { cancelledOn: on } }, { session });
      await Session.updateMany({ classId: cls._id }, { $set: { cancelledOn: on } }, { session });
      return { ...cls, cancelledOn: on };
    });
  },

  async enroll(_, { input }, ctx) {
    const data = parseInput(enrollInput, input);
    const branch = await ctx.directory.require(data.organizationId, 'input.organizationId');
    const { TrainingClass, Enrollment } = ctx.models;
    return TrainingClass.db.transaction(async (session) => {
      const cls = await findClass(ctx, data.classId, 'input.classId', session);
      checkNotCancelled(cls, 'input.classId');
      checkCapacity(cls, 'input.classId');
      const organizationId = oid(branch.id);
      if (await Enrollment.exists({ classId: cls._id, organizationId, name: data.name, withdrawnOn: null }).session(session)) {
        throw conflicts([{ field: 'input.name', message: `${data.name} of this branch is already enrolled` }]);
      }
      // The class document is written in the same transaction: concurrent enrolments conflict and retry.
      const seat = await TrainingClass.updateOne(
        { _id: cls._id, enrollmentCount: cls.enrollmentCount },
        { $inc: { enrollmentCount: 1 } },
        { session },
      );
      if (seat.matchedCount !== 1) throw conflicts([{ field: 'input.classId', message: 'the class changed meanwhile; try again' }]);
      const [created] = await Enrollment.create(
        [
          {
            classId: cls._id,
            category: cls.category,
            classStartsOn: cls.startsOn,
            name: data.name,
            organizationId,
            orgPath: pathOf(branch).map(oid),
            position: data.position,
            enrolledOn: data.enrolledOn,
          },
        ],
        { session },
      );
      return created.toObject() as EnrollmentDoc;
    });
  },

  async withdrawEnrollment(_, { id, on }, ctx) {
    const { TrainingClass, Enrollment } = ctx.models;
    return Enrollment.db.transaction(async (session) => {
      const e = await findEnrollment(ctx, id, 'id', session);
      if (e.withdrawnOn) throw conflicts([{ field: 'id', message: 'already withdrawn' }]);
      if (e.completed) throw conflicts([{ field: 'id', message: 'has completed the class' }]);
      if (on < e.enrolledOn) throw badInput('on', 'must not be before the enrolment date');
      await Enrollment.updateOne({ _id: e._id }, { $set: { withdrawnOn: on } }, { session });
      await TrainingClass.updateOne({ _id: e.classId }, { $inc: { enrollmentCount: -1 } }, { session });
      return { ...e, withdrawnOn: on };
    });
  },

  async recordAttendance(_, { input }, ctx) {
    const data = parseInput(recordAttendanceInput, input);
    const e = await findEnrollment(ctx, data.enrollmentId, 'input.enrollmentId');
    if (e.withdrawnOn) throw conflicts([{ field: 'input.enrollmentId', message: 'the enrolment was withdrawn' }]);
    const cls = await findClass(ctx, String(e.classId), 'input.enrollmentId');
    if (data.attendedHours > cls.totalHours) throw badInput('input.attendedHours', `must not exceed the class's ${cls.totalHours} hours`);
    // Completion is dated on the class's last day, so that totals per year follow the class.
    const set = { attendedHours: data.attendedHours, completed: data.completed, completedOn: data.completed ? cls.endsOn : null };
    return (await ctx.models.Enrollment.findByIdAndUpdate(e._id, { $set: set }, { returnDocument: 'after' }).lean()) as EnrollmentDoc;
  },

  async rateInstructor(_, { input }, ctx) {
    const data = parseInput(rateInstructorInput, input);
    const { Session } = ctx.models;
    const sid = oid(data.sessionId);
    const iid = oid(data.instructorId);
    const target = (await Session.findById(sid).lean()) as SessionDoc | null;
    if (!target) throw notFound('TrainingSession', data.sessionId);
    if (!target.instructorIds.some((i) => i.equals(iid))) {
      throw conflicts([{ field: 'input.instructorId', message: 'does not teach this session' }]);
    }
    const rating = { instructorId: iid, score: data.score, responses: data.responses };
    const ratings = [...target.ratings.filter((r) => !r.instructorId.equals(iid)), rating];
    return (await Session.findByIdAndUpdate(sid, { $set: { ratings } }, { returnDocument: 'after' }).lean()) as SessionDoc;
  },
};
