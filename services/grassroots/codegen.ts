import { subgraphCodegen } from '../../packages/service-kit/codegen-config';

// Typed resolvers: GraphQL types map to the stored documents they resolve from.
export default subgraphCodegen({
  Organization: '@rcsc/directory#OrganizationRef',
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
});
