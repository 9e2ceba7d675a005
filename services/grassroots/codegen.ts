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
          GrassrootsUnit: '../models#GrassrootsUnitDoc',
          UnitLeader: '../models#LeaderDoc',
          FiveHasAssessment: '../models#AssessmentDoc',
          SchoolEquipmentRecord: '../models#EquipmentDoc',
          MapFeatureCollection: '../models#MapPage',
          GrassrootsGroup: '../models#GroupDoc',
          GroupMembership: '../models#MembershipDoc',
          GroupCount: '../models#GroupCountRow',
          MedicalInstitution: '../models#MedicalInstitutionDoc',
          BoaiHome: '../models#BoaiHomeDoc',
          GrassrootsUnitConnection: '../models#GrassrootsUnitPage',
          BoaiHomeConnection: '../models#BoaiHomePage',
          MedicalInstitutionConnection: '../models#MedicalInstitutionPage',
          AuditEntry: '@rcsc/service-kit#AuditEntryDoc',
          AuditConnection: '../models#AuditPage',
        },
      },
    },
  },
};
export default config;
