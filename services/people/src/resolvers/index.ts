import { AuditEntryResolvers, scalarResolvers } from '@rcsc/service-kit';
import type { CountyTeamCountResolvers } from '../generated/graphql';
import { DuesPayment, Member, MemberStarAward } from './Member';
import { Mutation } from './mutations';
import { Organization } from './Organization';
import { Query } from './Query';
import { AnnualIncrease, DataQuality, Survey } from './Reports';
import { GrassrootsUnit } from './GrassrootsUnit';
import { ServiceRecord, ServiceTeam, StarRating, Volunteer } from './Volunteer';

const CountyTeamCount: CountyTeamCountResolvers = {
  organization: (c) => ({ id: c.organizationId }),
};

export const resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Organization,
  Member,
  DuesPayment,
  MemberStarAward,
  Volunteer,
  ServiceTeam,
  ServiceRecord,
  StarRating,
  CountyTeamCount,
  Survey,
  AnnualIncrease,
  DataQuality,
  GrassrootsUnit,
  AuditEntry: AuditEntryResolvers,
};
