import { AuditEntryResolvers, scalarResolvers } from '@rcsc/service-kit';
import { Instructor } from './Instructor';
import { Mutation } from './mutations';
import { Organization } from './Organization';
import { Query } from './Query';
import { RevealedInstructorContact } from './Revealed';
import {
  Certificate,
  Enrollment,
  SessionChange,
  StaffRecord,
  SessionRating,
  SyllabusModule,
  TrainingClass,
  TrainingSession,
} from './TrainingClass';
import { InstructorWorkload } from './Workload';

export const resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Organization,
  Instructor,
  TrainingClass,
  TrainingSession,
  SessionRating,
  SessionChange,
  StaffRecord,
  Certificate,
  Enrollment,
  SyllabusModule,
  InstructorWorkload,
  RevealedInstructorContact,
  AuditEntry: AuditEntryResolvers,
};
