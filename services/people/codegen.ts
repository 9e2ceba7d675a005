import { subgraphCodegen } from '../../packages/service-kit/codegen-config';

// Typed resolvers: GraphQL types map to the stored documents they resolve from.
export default subgraphCodegen({
  Organization: '@rcsc/directory#OrganizationRef',
  GrassrootsUnit: '../models#GrassrootsUnitRef',
  DataQuality: '../models#DataQualityRef',
  DataQualityFinding: '@rcsc/service-kit#Finding',
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
});
