import { subgraphCodegen } from '../../packages/service-kit/codegen-config';

// Typed resolvers: GraphQL types map to the stored documents they resolve from.
export default subgraphCodegen({
  Organization: '@rcsc/directory#OrganizationRef',
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
  DataQuality: '../data-quality#DataQualityRef',
  DataQualityFinding: '@rcsc/service-kit#Finding',
});
