import { AuditEntryResolvers, scalarResolvers } from '@rcsc/service-kit';
import { BoaiHome } from './BoaiHome';
import { GrassrootsUnit, SchoolEquipmentRecord, UnitLeader } from './GrassrootsUnit';
import { GrassrootsGroup, GroupMember, GroupMembership } from './Groups';
import { MedicalInstitution } from './MedicalInstitution';
import { Mutation } from './mutations';
import { Organization } from './Organization';
import { Query } from './Query';
import { AnnualIncrease, Survey } from './Reports';

export const resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Organization,
  GrassrootsUnit,
  UnitLeader,
  SchoolEquipmentRecord,
  GrassrootsGroup,
  GroupMembership,
  GroupMember,
  MedicalInstitution,
  BoaiHome,
  Survey,
  AnnualIncrease,
  AuditEntry: AuditEntryResolvers,
};
