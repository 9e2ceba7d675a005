import { subgraphCodegen } from '../../packages/service-kit/codegen-config';

// Typed resolvers: GraphQL types map to the stored documents they resolve from.
export default subgraphCodegen({
  Organization: '@rcsc/directory#OrganizationRef',
  SyllabusModule: '../models#SyllabusModuleDoc',
  Instructor: '../models#InstructorDoc',
  TrainingClass: '../models#TrainingClassDoc',
  TrainingSession: '../models#SessionDoc',
  SessionRating: '../models#SessionRatingDoc',
  Enrollment: '../models#EnrollmentDoc',
  InstructorWorkload: '../models#WorkloadRow',
  InstructorConnection: '../models#InstructorPage',
  TrainingClassConnection: '../models#TrainingClassPage',
  EnrollmentConnection: '../models#EnrollmentPage',
  RevealedInstructorContact: '../models#RevealedContact',
  SessionChange: '../resolvers/mutations/sessions#SessionChangeResult',
  StaffRecord: '../models#StaffDoc',
  Certificate: '../models#CertificateDoc',
});
