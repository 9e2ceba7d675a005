import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed resolvers from the schema: GraphQL types map to the stored documents they resolve from.
const config: CodegenConfig = {
  // The service's schema plus the shared types readSchema() appends.
  schema: ['src/schema.graphql', '../../packages/service-kit/src/shared.graphql'],
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context#Context',
        scalars: { Date: 'Date', DateTime: 'Date' },
        mappers: {
          Organization: '../models#OrganizationRef',
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
          AuditEntry: '@rcsc/service-kit#AuditEntryDoc',
          AuditConnection: '../models#AuditPage',
          RevealedInstructorContact: '../models#RevealedContact',
          SessionChange: '../resolvers/mutations/sessions#SessionChangeResult',
          StaffRecord: '../models#StaffDoc',
          Certificate: '../models#CertificateDoc',
        },
      },
    },
  },
};
export default config;
