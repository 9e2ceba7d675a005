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
          Submission: '../models#SubmissionDoc',
          SubmissionConnection: '../models#SubmissionPage',
          Period: '../models#PeriodView',
          Actor: '../models#ActorDoc',
          Completeness: '../models#CompletenessView',
          CompletenessEntry: '../models#CompletenessEntryView',
          CompletenessEntryConnection: '../models#CompletenessEntryPage',
          Target: '../models#TargetDoc',
          TargetProgress: '../models#TargetProgressView',
          WorkPlanTask: '../models#WorkPlanTaskDoc',
          TaskProgress: '../models#TaskProgressView',
          TaskTally: '../models#TaskTallyView',
          Notice: '../models#NoticeDoc',
          NoticeConnection: '../models#NoticePage',
          ReadReceipt: '../models#ReadReceiptDoc',
          AuditEntry: '@rcsc/service-kit#AuditEntryDoc',
          AuditConnection: '../models#AuditPage',
          DataQuality: '../data-quality#DataQualityRef',
          DataQualityFinding: '../data-quality#Finding',
        },
      },
    },
  },
};
export default config;
