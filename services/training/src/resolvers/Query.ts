import { Types } from 'mongoose';
import { allOf, badInput, checkYear, pageSize, paginate, toObjectId } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import type { CertificateDoc, InstructorDoc, SyllabusModuleDoc, TrainingClassDoc, WorkloadRow } from '../models';
import { beijingRange, CERTIFICATE_NUMBER, today } from '../rules';
import { readable } from './readable';
import { checkModuleCode, checkPeriod, classFilter, instructorFilter } from './filters';

// The syllabus is national and read by every authenticated viewer. Instructors and classes are
// read in the viewer's subtree and at its ancestors (lists filtered, single records FORBIDDEN
// outside that, unknown ids null); aggregates only inside the viewer's subtree.
export const Query: QueryResolvers = {
  async syllabus(_, { asOf }, { models }) {
    const date = asOf ?? today();
    const modules = (await models.SyllabusModule.find({
      effectiveFrom: { $lte: date },
      $or: [{ supersededOn: null }, { supersededOn: { $gt: date } }],
    })
      .sort({ code: 1 })
      .lean()) as SyllabusModuleDoc[];
    return { asOf: date, modules, totalHours: modules.reduce((s, m) => s + m.hours, 0) };
  },

  syllabusModuleVersions: (_, { code }, { loaders }) => loaders.moduleVersions.load(checkModuleCode(code, 'code')),

  instructor: async (_, { id }, ctx) =>
    readable(ctx, await ctx.loaders.instructorById.load(String(toObjectId(id, 'id'))), `Instructor ${id}`),

  instructors: async (_, { filter, first, after }, ctx) =>
    paginate<InstructorDoc>(ctx.models.Instructor, await instructorFilter(ctx, filter), { first, after }, 'name'),

  trainingClass: async (_, { id }, ctx) =>
    readable(ctx, await ctx.loaders.classById.load(String(toObjectId(id, 'id'))), `Training class ${id}`),

  trainingClasses: async (_, { filter, first, after }, ctx) =>
    paginate<TrainingClassDoc>(ctx.models.TrainingClass, await classFilter(ctx, filter), { first, after }, 'startsOn'),

  async instructorWorkloads(_, { from, to, within, first }, ctx) {
    checkPeriod(from, to);
    const limit = pageSize(first);
    const { models, access } = ctx;
    const { start, end } = beijingRange(from, to);
    // An aggregate over a subtree: only inside the viewer's own.
    const subtree = within
      ? { orgPath: new Types.ObjectId((await access.visibleBranch(within, 'within', 'The workloads')).id) }
      : access.subtree();
    const stages: Record<string, unknown>[] = [
      { $match: allOf([subtree, { startsAt: { $gte: start, $lt: end }, cancelledOn: null }]) },
      { $unwind: '$instructorIds' },
    ];
    if (!access.isService) {
      // Instructors of pools the viewer may not read (another province's, booked from above) are left out.
      const ids = (await models.Instructor.distinct('_id', await access.subtreeOrAncestorsCondition())) as Types.ObjectId[];
      stages.push({ $match: { instructorIds: { $in: ids } } });
    }
    const rows = await models.Session.aggregate<{ _id: Types.ObjectId; sessions: number; hours: number; classes: unknown[] }>([
      ...stages,
      { $group: { _id: '$instructorIds', sessions: { $sum: 1 }, hours: { $sum: '$hours' }, classes: { $addToSet: '$classId' } } },
      { $sort: { hours: -1, _id: 1 } },
      { $limit: limit },
    ] as never[]);
    return rows.map((r): WorkloadRow => ({ instructorId: String(r._id), sessions: r.sessions, hours: r.hours, classes: r.classes.length }));
  },

  // Verification by number: any authenticated viewer (the number is what the holder shows).
  async certificate(_, { number }, { models }) {
    const n = number.trim().toUpperCase();
    if (!CERTIFICATE_NUMBER.test(n)) throw badInput('number', 'must be a certificate number such as RC-2021-330000-000042');
    return (await models.Certificate.findOne({ number: n }).lean()) as CertificateDoc | null;
  },

  async trainedCadres(_, { organizationId, year }, ctx) {
    const branch = await ctx.access.visibleBranch(organizationId, 'organizationId', 'The trained cadres');
    const totals = await ctx.loaders.cadresOf.load({ organizationId: branch.id.toLowerCase(), year: checkYear(year) });
    return { organizationId, year, ...totals };
  },
};
