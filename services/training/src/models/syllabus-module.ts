import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';

export const LEVELS = ['NATIONAL', 'PROVINCIAL', 'PREFECTURE', 'COUNTY'] as const;
export type Level = (typeof LEVELS)[number];

/** One version of a syllabus module; a module keeps its code across versions. */
const syllabusModuleSchema = new Schema(
  {
    code: { type: String, required: true },
    version: { type: Number, required: true },
    title: { type: String, required: true },
    objectives: { type: [String], default: [] },
    hours: { type: Number, required: true },
    audienceLevels: { type: [String], enum: LEVELS, default: [] },
    effectiveFrom: { type: Date, required: true },
    /** The next version's effectiveFrom; null while this version is current. */
    supersededOn: { type: Date, default: null },
  },
  { timestamps: true },
);

syllabusModuleSchema.index({ code: 1, version: 1 }, { unique: true });
syllabusModuleSchema.index({ effectiveFrom: 1 });

/** A stored module version, as read with lean(). */
export interface SyllabusModuleDoc {
  _id: Types.ObjectId;
  code: string;
  version: number;
  title: string;
  objectives: string[];
  hours: number;
  audienceLevels: Level[];
  effectiveFrom: Date;
  supersededOn: Date | null;
}

export function syllabusModuleModel(connection: Connection): Model<SyllabusModuleDoc> {
  return modelOn<SyllabusModuleDoc>(connection, 'SyllabusModule', syllabusModuleSchema, 'syllabusmodules');
}
