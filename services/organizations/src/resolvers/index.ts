import { AuditEntryResolvers, scalarResolvers } from '@rcsc/service-kit';
import { Mutation } from './mutations';
import { Organization } from './Organization';
import { Query } from './Query';
import { Term } from './Term';
import { AnnualIncrease, Survey } from './Reports';

export const resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Organization,
  Term,
  Survey,
  AnnualIncrease,
  AuditEntry: AuditEntryResolvers,
};
