import { Types } from 'mongoose';
import { pathOf } from '@rcsc/directory';
import { pageSize, paginate } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import type { InstructorDoc, SyllabusModuleDoc, TrainingClassDoc, WorkloadRow } from '../models';
import { beijingRange, today } from '../rules';
import { and, readable, readableCondition, requireOver, requireVisibleBranch } from './access';
import { checkModuleCode, checkPeriod, checkYear, classFilter, instructorFilter, toObjectId } from './filters';

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
    paginate<InstructorDoc>(
      ctx.models.Instructor,
      and(await instructorFilter(ctx.models, filter), readableCondition(await ctx.scope())),
      { first, after },
      'name',
    ),

  trainingClass: async (_, { id }, ctx) =>
    readable(ctx, await ctx.loaders.classById.load(String(toObjectId(id, 'id'))), `Training class ${id}`),

  trainingClasses: async (_, { filter, first, after }, ctx) =>
    paginate<TrainingClassDoc>(
      ctx.models.TrainingClass,
      and(classFilter(filter), readableCondition(await ctx.scope())),
      { first, after },
      'startsOn',
    ),

  async instructorWorkloads(_, { from, to, within, first }, ctx) {
    checkPeriod(from, to);
    const limit = pageSize(first);
    const { models, viewer } = ctx;
    const scope = await ctx.scope();
    const { start, end } = beijingRange(from, to);
    const match: Record<string, unknown> = { startsAt: { $gte: start, $lt: end }, cancelledOn: null };
    if (within) {
      const branch = await ctx.directory.require(String(toObjectId(within, 'within')), 'within');
      // An aggregate over a subtree: only inside the viewer's own.
      requireOver(viewer, pathOf(branch), `The workloads of ${branch.name}`);
      match.orgPath = new Types.ObjectId(branch.id);
    } else if (!scope.all) {
      if (!scope.branchId) return [];
      match.orgPath = new Types.ObjectId(scope.branchId);
    }
    const stages: Record<string, unknown>[] = [{ $match: match }, { $unwind: '$instructorIds' }];
    const readableInstructors = readableCondition(scope);
    if (readableInstructors) {
      // Instructors of pools the viewer may not read (another province's, booked from above) are left out.
      const ids = (await models.Instructor.distinct('_id', readableInstructors)) as Types.ObjectId[];
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

  async trainedCadres(_, { organizationId, year }, ctx) {
    const branch = await requireVisibleBranch(ctx, organizationId, 'organizationId', 'The trained cadres');
    const totals = await ctx.loaders.cadresOf.load(`${branch.id.toLowerCase()}|${checkYear(year)}`);
    return { organizationId, year, ...totals };
  },
};
