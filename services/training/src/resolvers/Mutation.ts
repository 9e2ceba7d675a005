import type { ClientSession } from 'mongoose';
import { Types } from 'mongoose';
import {
  badInput,
  conflict,
  forbidden,
  inViewerSubtree,
  isDuplicateKey,
  notFound,
  parseInput,
  requireRole,
  type FieldProblem,
} from '@rcsc/service-kit';
import { pathOf, type BranchInfo } from '@rcsc/directory';
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
import { ENROLLERS, isReadable, MANAGERS, requireOver } from './access';
import { toObjectId } from './filters';

const oid = (id: string) => new Types.ObjectId(id);
const uniqueIds = (ids: Types.ObjectId[]) => [...new Map(ids.map((i) => [String(i), i])).values()];

type SessionData = { moduleCode: string; startsAt: Date; endsAt: Date; instructorIds: string[] };

/**
 * Runs a change in one transaction: the records, the values kept with them and their audit
 * entries are written together, or none of them (a refusal anywhere rolls everything back).
 */
function transaction<T>(ctx: Context, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  return ctx.models.Instructor.db.transaction(fn);
}

/**
 * An instructor as the audit log keeps it: contact details only in their masked form, never the
 * cipher or the keyed hash (admins read the log through the graph).
 */
function auditedInstructor(i: InstructorDoc) {
  return { ...i, contact: { phone: i.contact?.phone?.masked ?? null, email: i.contact?.email?.masked ?? null } };
}

/**
 * A branch a new record is written under (an instructor's pool, a class's host, a trainee's
 * branch), from the directory: BAD_USER_INPUT naming the field when unknown, FORBIDDEN outside
 * the viewer's subtree.
 */
async function requireBranch(ctx: Context, id: string, field: string): Promise<BranchInfo> {
  const branch = await ctx.directory.require(id, field);
  requireOver(ctx.viewer, pathOf(branch), `The branch ${branch.name}`);
  return branch;
}

/** The national HQ's path (the syllabus is national: its audit entries belong to the HQ's log). */
async function nationalPath(ctx: Context): Promise<string[]> {
  const hq = (await ctx.directory.all()).find((b) => !b.parentId);
  return hq ? pathOf(hq) : [];
}

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
 * Only instructors the viewer may read (pools of its subtree and of its ancestors) may be booked.
 */
async function assign(ctx: Context, sessions: { data: SessionData; field: string; id?: string }[], session: ClientSession): Promise<void> {
  const ids = sessions.flatMap((s) => s.data.instructorIds);
  if (!ids.length) return;
  const instructors = await loadInstructors(ctx, ids, session);
  const scope = await ctx.scope();
  const outside = sessions.flatMap((s) =>
    s.data.instructorIds
      .map((id, j) => ({ field: `${s.field}.instructorIds.${j}`, instructor: instructors.get(id.toLowerCase())! }))
      .filter(({ instructor }) => !isReadable(scope, instructor.orgPath)),
  );
  if (outside.length) {
    throw forbidden(
      `${outside.map((o) => `${o.field}: instructor ${String(o.instructor._id)}`).join('; ')} is held by a pool outside your branch's subtree and its ancestors`,
    );
  }
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

async function findClass(ctx: Context, id: string, field: string, session: ClientSession): Promise<TrainingClassDoc> {
  const cls = (await ctx.models.TrainingClass.findById(toObjectId(id, field)).session(session).lean()) as TrainingClassDoc | null;
  if (!cls) throw notFound('TrainingClass', id);
  return cls;
}

/** A class to change: NOT_FOUND when unknown, FORBIDDEN unless hosted in the viewer's subtree. */
async function findManagedClass(ctx: Context, id: string, field: string, session: ClientSession): Promise<TrainingClassDoc> {
  const cls = await findClass(ctx, id, field, session);
  requireOver(ctx.viewer, cls.orgPath, `Training class ${id}`);
  return cls;
}

/** An instructor to change: NOT_FOUND when unknown, FORBIDDEN unless held in the viewer's subtree. */
async function findManagedInstructor(ctx: Context, id: string, field: string, session: ClientSession): Promise<InstructorDoc> {
  const found = (await ctx.models.Instructor.findById(toObjectId(id, field)).session(session).lean()) as InstructorDoc | null;
  if (!found) throw notFound('Instructor', id);
  requireOver(ctx.viewer, found.orgPath, `Instructor ${id}`);
  return found;
}

async function findEnrollment(ctx: Context, id: string, field: string, session: ClientSession): Promise<EnrollmentDoc> {
  const found = (await ctx.models.Enrollment.findById(toObjectId(id, field)).session(session).lean()) as EnrollmentDoc | null;
  if (!found) throw notFound('Enrollment', id);
  return found;
}

/** A session to change: NOT_FOUND when unknown, FORBIDDEN unless its class is hosted in the viewer's subtree. */
async function findManagedSession(ctx: Context, id: string, field: string, session: ClientSession): Promise<SessionDoc> {
  const found = (await ctx.models.Session.findById(toObjectId(id, field)).session(session).lean()) as SessionDoc | null;
  if (!found) throw notFound('TrainingSession', id);
  requireOver(ctx.viewer, found.orgPath, `Training session ${id}`);
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
  session: ClientSession,
  except?: Types.ObjectId,
) {
  if (!phone) return;
  const filter: Record<string, unknown> = { 'contact.phone.hash': ctx.vault.hash(phone), organizationId };
  if (except) filter._id = { $ne: except };
  if (await ctx.models.Instructor.exists(filter).session(session))
    throw conflict('an instructor with this phone number is already in this pool', 'input.phone');
}

/** The enrolment-related fields of a class, as its audit entries show them. */
const seats = (c: TrainingClassDoc) => ({ enrollmentCount: c.enrollmentCount, capacity: c.capacity });

export const Mutation: MutationResolvers = {
  // The syllabus is national: published by TRAINING_MANAGERs and ADMINs of the national HQ.
  async publishSyllabusModule(_, { input }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'publish syllabus modules');
    const data = parseInput(publishSyllabusModuleInput, input);
    const hq = await nationalPath(ctx);
    if (!ctx.viewer.roles.includes('SERVICE') && (!ctx.viewer.organizationId || hq[0] !== ctx.viewer.organizationId.toLowerCase())) {
      throw forbidden('Only the national headquarters may publish syllabus modules');
    }
    const { SyllabusModule } = ctx.models;
    try {
      return await transaction(ctx, async (session) => {
        const previous = (await SyllabusModule.findOne({ code: data.code })
          .sort({ version: -1 })
          .session(session)
          .lean()) as SyllabusModuleDoc | null;
        if (previous && data.effectiveFrom <= previous.effectiveFrom) {
          throw badInput('input.effectiveFrom', `must be after version ${previous.version}'s effective date`);
        }
        if (previous) {
          await SyllabusModule.updateOne({ _id: previous._id }, { $set: { supersededOn: data.effectiveFrom } }, { session });
          await ctx.audit(
            {
              action: 'publishSyllabusModule',
              entity: 'SyllabusModule',
              entityId: previous._id,
              orgPath: hq,
              before: previous,
              after: { ...previous, supersededOn: data.effectiveFrom },
            },
            session,
          );
        }
        const [created] = await SyllabusModule.create([{ ...data, version: (previous?.version ?? 0) + 1, supersededOn: null }], {
          session,
        });
        const after = created.toObject() as SyllabusModuleDoc;
        await ctx.audit({ action: 'publishSyllabusModule', entity: 'SyllabusModule', entityId: after._id, orgPath: hq, after }, session);
        return after;
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`another version of ${data.code} was published at the same time; try again`, 'input.code');
      throw err;
    }
  },

  async createInstructor(_, { input }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'add instructors to a pool');
    const data = parseInput(createInstructorInput, input);
    const branch = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    await checkModulesExist(
      ctx,
      data.topics.map((code, i) => ({ code, field: `input.topics.${i}` })),
    );
    const organizationId = oid(branch.id);
    return transaction(ctx, async (session) => {
      await checkNoDuplicatePhone(ctx, data.phone, organizationId, session);
      const [created] = await ctx.models.Instructor.create(
        [
          {
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
          },
        ],
        { session },
      );
      const after = created.toObject() as InstructorDoc;
      await ctx.audit(
        { action: 'createInstructor', entity: 'Instructor', entityId: after._id, orgPath: after.orgPath, after: auditedInstructor(after) },
        session,
      );
      return after;
    });
  },

  async updateInstructor(_, { id, input }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'change instructors');
    const data = parseInput(updateInstructorInput, input);
    return transaction(ctx, async (session) => {
      const current = await findManagedInstructor(ctx, id, 'id', session);
      if (data.topics)
        await checkModulesExist(
          ctx,
          data.topics.map((code, i) => ({ code, field: `input.topics.${i}` })),
          session,
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
        await checkNoDuplicatePhone(ctx, data.phone, current.organizationId, session, current._id);
        set['contact.phone'] = protectContact(ctx, data.phone, null).phone;
      }
      if (data.email !== undefined) set['contact.email'] = protectContact(ctx, null, data.email).email;
      const after = (await ctx.models.Instructor.findByIdAndUpdate(
        current._id,
        { $set: set },
        { returnDocument: 'after', runValidators: true, session },
      ).lean()) as InstructorDoc;
      await ctx.audit(
        {
          action: 'updateInstructor',
          entity: 'Instructor',
          entityId: current._id,
          orgPath: current.orgPath,
          before: auditedInstructor(current),
          after: auditedInstructor(after),
        },
        session,
      );
      return after;
    });
  },

  async setInstructorStatus(_, { id, status, since }, ctx) {
    requireRole(ctx.viewer, MANAGERS, "change instructors' status");
    const next = parseInput(instructorStatusSchema, status, 'status');
    return transaction(ctx, async (session) => {
      const current = await findManagedInstructor(ctx, id, 'id', session);
      checkStatusChange(current, next, since);
      const updated = (await ctx.models.Instructor.findOneAndUpdate(
        // Guarded by the status read, so that two concurrent changes cannot both apply.
        { _id: current._id, status: current.status, statusSince: current.statusSince },
        { $set: { status: next, statusSince: since }, $push: { statusHistory: { status: next, since } } },
        { returnDocument: 'after', session },
      ).lean()) as InstructorDoc | null;
      if (!updated) throw conflict('the instructor changed meanwhile; read it again', 'id');
      await ctx.audit(
        {
          action: 'setInstructorStatus',
          entity: 'Instructor',
          entityId: current._id,
          orgPath: current.orgPath,
          before: { status: current.status, statusSince: current.statusSince },
          after: { status: updated.status, statusSince: updated.statusSince },
        },
        session,
      );
      return updated;
    });
  },

  // Clear contact details, for the managers of the instructor's pool only; the reveal is audited
  // (who, when, which fields) in the same transaction as it is read, and the values never are.
  async revealInstructorContact(_, { id }, ctx) {
    requireRole(ctx.viewer, MANAGERS, "reveal instructors' contact details");
    return transaction(ctx, async (session) => {
      const instructor = await findManagedInstructor(ctx, id, 'id', session);
      const phone = instructor.contact?.phone ? ctx.vault.reveal(instructor.contact.phone) : null;
      const email = instructor.contact?.email ? ctx.vault.reveal(instructor.contact.email) : null;
      await ctx.audit(
        {
          action: 'REVEAL:contact',
          entity: 'Instructor',
          entityId: instructor._id,
          orgPath: instructor.orgPath,
          after: { revealed: [...(phone ? ['phone'] : []), ...(email ? ['email'] : [])] },
        },
        session,
      );
      return { instructor, phone, email };
    });
  },

  async createTrainingClass(_, { input }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'create training classes');
    const data = parseInput(createTrainingClassInput, input);
    const host = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    data.sessions.forEach((s, i) => checkSessionInClass(s, data, `input.sessions.${i}.startsAt`));
    await checkModulesExist(
      ctx,
      data.sessions.map((s, i) => ({ code: s.moduleCode, field: `input.sessions.${i}.moduleCode` })),
    );
    const { TrainingClass, Session } = ctx.models;
    return transaction(ctx, async (session) => {
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
      const sessions = data.sessions.length
        ? await Session.insertMany(
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
          )
        : [];
      const after = cls.toObject() as TrainingClassDoc;
      await ctx.audit(
        {
          action: 'createTrainingClass',
          entity: 'TrainingClass',
          entityId: after._id,
          orgPath,
          after: { ...after, sessions: sessions.map((s) => s.toObject()) },
        },
        session,
      );
      return after;
    });
  },

  async addSession(_, { input }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'add sessions to training classes');
    const data = parseInput(addSessionInput, input);
    const { TrainingClass, Session } = ctx.models;
    await checkModulesExist(ctx, [{ code: data.session.moduleCode, field: 'input.session.moduleCode' }]);
    return transaction(ctx, async (session) => {
      const cls = await findManagedClass(ctx, data.classId, 'input.classId', session);
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
      const after = created.toObject() as SessionDoc;
      await ctx.audit({ action: 'addSession', entity: 'TrainingSession', entityId: after._id, orgPath: cls.orgPath, after }, session);
      return after;
    });
  },

  async assignInstructor(_, { sessionId, instructorId }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'assign instructors');
    const { TrainingClass, Session } = ctx.models;
    const sid = toObjectId(sessionId, 'sessionId');
    const iid = toObjectId(instructorId, 'instructorId');
    return transaction(ctx, async (session) => {
      const target = await findManagedSession(ctx, sessionId, 'sessionId', session);
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
        if ((err as { extensions?: { code?: string } }).extensions?.code === 'FORBIDDEN') {
          throw forbidden(`Instructor ${instructorId} is held by a pool outside your branch's subtree and its ancestors`);
        }
        throw err;
      }
      await Session.updateOne({ _id: sid }, { $addToSet: { instructorIds: iid } }, { session });
      await TrainingClass.updateOne({ _id: target.classId }, { $addToSet: { instructorIds: iid } }, { session });
      const after = (await Session.findById(sid).session(session).lean()) as SessionDoc;
      await ctx.audit(
        {
          action: 'assignInstructor',
          entity: 'TrainingSession',
          entityId: sid,
          orgPath: target.orgPath,
          before: { instructorIds: target.instructorIds },
          after: { instructorIds: after.instructorIds },
        },
        session,
      );
      return after;
    });
  },

  async cancelTrainingClass(_, { id, on }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'cancel training classes');
    const { TrainingClass, Session } = ctx.models;
    return transaction(ctx, async (session) => {
      const cls = await findManagedClass(ctx, id, 'id', session);
      checkNotCancelled(cls, 'id');
      await TrainingClass.updateOne({ _id: cls._id }, { $set: { cancelledOn: on } }, { session });
      await Session.updateMany({ classId: cls._id }, { $set: { cancelledOn: on } }, { session });
      const after = { ...cls, cancelledOn: on };
      await ctx.audit(
        { action: 'cancelTrainingClass', entity: 'TrainingClass', entityId: cls._id, orgPath: cls.orgPath, before: cls, after },
        session,
      );
      return after;
    });
  },

  // Cadres of the viewer's own subtree, into a class hosted in that subtree or by an ancestor
  // (the national HQ's classes train cadres from everywhere): STAFF, TRAINING_MANAGER, ADMIN.
  async enroll(_, { input }, ctx) {
    requireRole(ctx.viewer, ENROLLERS, 'enrol cadres');
    const data = parseInput(enrollInput, input);
    const branch = await requireBranch(ctx, data.organizationId, 'input.organizationId');
    const { TrainingClass, Enrollment } = ctx.models;
    const scope = await ctx.scope();
    return transaction(ctx, async (session) => {
      const cls = await findClass(ctx, data.classId, 'input.classId', session);
      if (!isReadable(scope, cls.orgPath)) {
        throw forbidden(`Training class ${data.classId} is outside your branch's subtree and not hosted by one of its ancestors`);
      }
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
      const after = created.toObject() as EnrollmentDoc;
      // Two records change: the enrolment (the trainee's subtree's log) and the class's seats (the host's).
      await ctx.audit({ action: 'enroll', entity: 'Enrollment', entityId: after._id, orgPath: after.orgPath, after }, session);
      await ctx.audit(
        {
          action: 'enroll',
          entity: 'TrainingClass',
          entityId: cls._id,
          orgPath: cls.orgPath,
          before: seats(cls),
          after: { ...seats(cls), enrollmentCount: cls.enrollmentCount + 1 },
        },
        session,
      );
      return after;
    });
  },

  // The host's managers, or whoever may enrol the trainee (ADMIN, STAFF, TRAINING_MANAGER of a
  // subtree containing the trainee's branch).
  async withdrawEnrollment(_, { id, on }, ctx) {
    requireRole(ctx.viewer, ENROLLERS, 'withdraw enrolments');
    const { TrainingClass, Enrollment } = ctx.models;
    return transaction(ctx, async (session) => {
      const e = await findEnrollment(ctx, id, 'id', session);
      const cls = await findClass(ctx, String(e.classId), 'id', session);
      const hostManager = ctx.viewer.roles.some((r) => MANAGERS.includes(r)) && inViewerSubtree(ctx.viewer, cls.orgPath);
      if (!hostManager) requireOver(ctx.viewer, e.orgPath, `Enrollment ${id}`);
      if (e.withdrawnOn) throw conflicts([{ field: 'id', message: 'already withdrawn' }]);
      if (e.completed) throw conflicts([{ field: 'id', message: 'has completed the class' }]);
      if (on < e.enrolledOn) throw badInput('on', 'must not be before the enrolment date');
      await Enrollment.updateOne({ _id: e._id }, { $set: { withdrawnOn: on } }, { session });
      await TrainingClass.updateOne({ _id: e.classId }, { $inc: { enrollmentCount: -1 } }, { session });
      const after = { ...e, withdrawnOn: on };
      await ctx.audit(
        { action: 'withdrawEnrollment', entity: 'Enrollment', entityId: e._id, orgPath: e.orgPath, before: e, after },
        session,
      );
      await ctx.audit(
        {
          action: 'withdrawEnrollment',
          entity: 'TrainingClass',
          entityId: cls._id,
          orgPath: cls.orgPath,
          before: seats(cls),
          after: { ...seats(cls), enrollmentCount: cls.enrollmentCount - 1 },
        },
        session,
      );
      return after;
    });
  },

  async recordAttendance(_, { input }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'record attendance');
    const data = parseInput(recordAttendanceInput, input);
    return transaction(ctx, async (session) => {
      const e = await findEnrollment(ctx, data.enrollmentId, 'input.enrollmentId', session);
      const cls = await findClass(ctx, String(e.classId), 'input.enrollmentId', session);
      requireOver(ctx.viewer, cls.orgPath, `Training class ${String(cls._id)}`);
      if (e.withdrawnOn) throw conflicts([{ field: 'input.enrollmentId', message: 'the enrolment was withdrawn' }]);
      if (data.attendedHours > cls.totalHours) throw badInput('input.attendedHours', `must not exceed the class's ${cls.totalHours} hours`);
      // Completion is dated on the class's last day, so that totals per year follow the class.
      const set = { attendedHours: data.attendedHours, completed: data.completed, completedOn: data.completed ? cls.endsOn : null };
      const after = (await ctx.models.Enrollment.findByIdAndUpdate(
        e._id,
        { $set: set },
        { returnDocument: 'after', session },
      ).lean()) as EnrollmentDoc;
      await ctx.audit(
        {
          action: 'recordAttendance',
          entity: 'Enrollment',
          entityId: e._id,
          orgPath: e.orgPath,
          before: { attendedHours: e.attendedHours, completed: e.completed, completedOn: e.completedOn },
          after: set,
        },
        session,
      );
      return after;
    });
  },

  async rateInstructor(_, { input }, ctx) {
    requireRole(ctx.viewer, MANAGERS, 'rate instructors');
    const data = parseInput(rateInstructorInput, input);
    const { Session } = ctx.models;
    const iid = oid(data.instructorId);
    return transaction(ctx, async (session) => {
      const target = await findManagedSession(ctx, data.sessionId, 'input.sessionId', session);
      if (!target.instructorIds.some((i) => i.equals(iid))) {
        throw conflicts([{ field: 'input.instructorId', message: 'does not teach this session' }]);
      }
      const rating = { instructorId: iid, score: data.score, responses: data.responses };
      const ratings = [...target.ratings.filter((r) => !r.instructorId.equals(iid)), rating];
      const after = (await Session.findByIdAndUpdate(
        target._id,
        { $set: { ratings } },
        { returnDocument: 'after', session },
      ).lean()) as SessionDoc;
      await ctx.audit(
        {
          action: 'rateInstructor',
          entity: 'TrainingSession',
          entityId: target._id,
          orgPath: target.orgPath,
          before: { ratings: target.ratings },
          after: { ratings: after.ratings },
        },
        session,
      );
      return after;
    });
  },
};
