import { AuditEntryResolvers, scalarResolvers } from '@rcsc/service-kit';
import { Mutation } from './mutations';
import { BranchGroup, BranchGroupCount, BranchGroupMembership, Organization, ReorganizationRecord } from './Organization';
import { Query } from './Query';
import { Term } from './Term';
import { AnnualIncrease, Survey } from './Reports';

export const resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Organization,
  ReorganizationRecord,
  BranchGroup,
  BranchGroupMembership,
  BranchGroupCount,
  Term,
  Survey,
  AnnualIncrease,
  AuditEntry: AuditEntryResolvers,
};
