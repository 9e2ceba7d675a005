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
          GrassrootsUnit: '../models#GrassrootsUnitRef',
          DataQuality: '../models#DataQualityRef',
          DataQualityFinding: '../data-quality#Finding',
          Member: '../models#MemberDoc',
          DuesPayment: '../models#DuesPaymentDoc',
          Volunteer: '../models#VolunteerDoc',
          ServiceTeam: '../models#ServiceTeamDoc',
          ServiceRecord: '../models#ServiceRecordDoc',
          StarRating: '../models#StarRatingDoc',
          MemberStarAward: '../models#MemberStarDoc',
          CountyTeamCount: '../models#CountyTeamCountRow',
          MemberConnection: '../models#MemberPage',
          VolunteerConnection: '../models#VolunteerPage',
          ServiceTeamConnection: '../models#ServiceTeamPage',
          ServiceRecordConnection: '../models#ServiceRecordPage',
          StarRatingConnection: '../models#StarRatingPage',
          MemberStarAwardConnection: '../models#MemberStarPage',
          CountyTeamCountConnection: '../models#CountyTeamCountPage',
          RevealedIdentity: '../models#RevealedIdentityRow',
          AuditEntry: '@rcsc/service-kit#AuditEntryDoc',
          AuditConnection: '../models#AuditPage',
        },
      },
    },
  },
};
export default config;
