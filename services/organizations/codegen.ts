import { subgraphCodegen } from '../../packages/service-kit/codegen-config';

// Typed resolvers: GraphQL types map to the stored documents they resolve from.
export default subgraphCodegen({
  Organization: '../models#OrganizationDoc',
  Term: '../models#TermView',
  OrganizationConnection: '../models#OrganizationPage',
  TermConnection: '../models#TermPage',
  ReorganizationRecord: '../models#ReorganizationDoc',
  BranchGroup: '../models#BranchGroupDoc',
  BranchGroupMembership: '../models#GroupMembership',
  BranchGroupCount: '../models#BranchGroupCountView',
});
