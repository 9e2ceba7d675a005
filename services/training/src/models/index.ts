import type { Connection } from 'mongoose';
import { serviceModels, type Page } from '@rcsc/service-kit';
import { enrollmentModel, type EnrollmentDoc } from './enrollment';
import { instructorModel, type InstructorDoc } from './instructor';
import { sessionModel } from './session';
import { staffModel } from './staff';
import { certificateCounterModel, certificateModel } from './certificate';
import { syllabusModuleModel } from './syllabus-module';
import { trainingClassModel, type TrainingClassDoc } from './training-class';

export * from './syllabus-module';
export * from './instructor';
export * from './training-class';
export * from './session';
export * from './enrollment';
export * from './staff';
export * from './certificate';

export function createModels(connection: Connection) {
  return serviceModels(connection, {
    SyllabusModule: syllabusModuleModel,
    Instructor: instructorModel,
    TrainingClass: trainingClassModel,
    Session: sessionModel,
    Enrollment: enrollmentModel,
    /** Branch staff records: trainees identified by a protected identity number. */
    Staff: staffModel,
    /** Numbered completion certificates, and their sequence per host branch and year. */
    Certificate: certificateModel,
    CertificateCounter: certificateCounterModel,
  });
}
export type Models = ReturnType<typeof createModels>;

export type InstructorPage = Page<InstructorDoc>;
export type TrainingClassPage = Page<TrainingClassDoc>;
export type EnrollmentPage = Page<EnrollmentDoc>;
/** A revealed contact: the instructor and the clear values (never stored, never logged). */
export interface RevealedContact {
  instructor: InstructorDoc;
  phone: string | null;
  email: string | null;
}
/** A workload row as computed by aggregation. */
export interface WorkloadRow {
  instructorId: string;
  sessions: number;
  hours: number;
  classes: number;
}
