import { Types } from 'mongoose';
import { badInput, pageSize, paginate } from '@rcsc/service-kit';
import type { QueryResolvers } from '../generated/graphql';
import type { InstructorDoc, SyllabusModuleDoc, TrainingClassDoc, WorkloadRow } from '../models';
import { beijingRange, today } from '../rules';
import { checkModuleCode, checkPeriod, checkYear, classFilter, instructorFilter, isObjectId, toObjectId } from './filters';

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

  instructor: (_, { id }, { loaders }) => loaders.instructorById.load(String(toObjectId(id, 'id'))),

  instructors: async (_, { filter, first, after }, { models }) =>
    paginate<InstructorDoc>(models.Instructor, await instructorFilter(models, filter), { first, after }, 'name'),

  trainingClass: (_, { id }, { loaders }) => loaders.classById.load(String(toObjectId(id, 'id'))),

  trainingClasses: (_, { filter, first, after }, { models }) =>
    paginate<TrainingClassDoc>(models.TrainingClass, classFilter(filter), { first, after }, 'startsOn'),

  async instructorWorkloads(_, { from, to, within, first }, { models }) {
    checkPeriod(from, to);
    const limit = pageSize(first);
    const { start, end } = beijingRange(from, to);
    const match: Record<string, unknown> = { startsAt: { $gte: start, $lt: end }, cancelledOn: null };
    if (within) match.orgPath = toObjectId(within, 'within');
    const rows = await models.Session.aggregate<{ _id: Types.ObjectId; sessions: number; hours: number; classes: unknown[] }>([
      { $match: match },
      { $unwind: '$instructorIds' },
      { $group: { _id: '$instructorIds', sessions: { $sum: 1 }, hours: { $sum: '$hours' }, classes: { $addToSet: '$classId' } } },
      { $sort: { hours: -1, _id: 1 } },
      { $limit: limit },
    ]);
    return rows.map((r): WorkloadRow => ({ instructorId: String(r._id), sessions: r.sessions, hours: r.hours, classes: r.classes.length }));
  },

  async trainedCadres(_, { organizationId, year }, { loaders, directory }) {
    if (!isObjectId(organizationId)) throw badInput('organizationId', 'must be an id returned by this graph');
    await directory.require(organizationId, 'organizationId');
    const totals = await loaders.cadresOf.load(`${organizationId.toLowerCase()}|${checkYear(year)}`);
    return { organizationId, year, ...totals };
  },
};
