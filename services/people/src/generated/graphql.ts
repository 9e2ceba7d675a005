import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrganizationRef, MemberDoc, DuesPaymentDoc, VolunteerDoc, ServiceTeamDoc, ServiceRecordDoc, StarRatingDoc, MemberStarDoc, CountyTeamCountRow, MemberPage, VolunteerPage, ServiceTeamPage, ServiceRecordPage, StarRatingPage, MemberStarPage, CountyTeamCountPage } from '../models';
import type { Context } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, YYYY-MM-DD (UTC). */
  Date: { input: Date; output: Date; }
  /** An instant, ISO 8601 with a time zone. */
  DateTime: { input: Date; output: Date; }
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * Annex 2 (附件2 组织体系建设年工作成效统计表) for a branch's whole subtree: each indicator's increase
 * during the year. This subgraph answers rows 9-14.
 */
export type AnnualIncrease = {
  __typename?: 'AnnualIncrease';
  /** 10. Increase of active adult members. */
  adultMembers: Scalars['Int']['output'];
  /** 9. Increase of active group members (31 Dec of the year minus 31 Dec of the year before). */
  groupMembers: Scalars['Int']['output'];
  organizationId: Scalars['ID']['output'];
  /** 12. Increase of registered volunteers. */
  registeredVolunteers: Scalars['Int']['output'];
  /** 14. Volunteer service hours recorded during the year, rounded. */
  serviceHours: Scalars['Int']['output'];
  /** 13. Increase of volunteer service organizations. */
  serviceOrganizations: Scalars['Int']['output'];
  year: Scalars['Int']['output'];
  /** 11. Increase of active youth members. */
  youthMembers: Scalars['Int']['output'];
};

export type AwardMemberStarInput = {
  citation?: InputMaybe<Scalars['String']['input']>;
  memberId: Scalars['ID']['input'];
  /** The awarding branch: the member's branch or one above it. */
  organizationId: Scalars['ID']['input'];
  year: Scalars['Int']['input'];
};

/** A county branch and the number of service teams it manages (target: at least MIN_TEAMS_PER_COUNTY). */
export type CountyTeamCount = {
  __typename?: 'CountyTeamCount';
  /** The branch's name, for lists that do not fetch the branch. */
  name: Scalars['String']['output'];
  organization: Organization;
  teamCount: Scalars['Int']['output'];
};

export type CountyTeamCountConnection = {
  __typename?: 'CountyTeamCountConnection';
  nodes: Array<CountyTeamCount>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type CreateServiceTeamInput = {
  foundedOn: Scalars['Date']['input'];
  name: Scalars['String']['input'];
  organizationId: Scalars['ID']['input'];
  specialty: ServiceTeamSpecialty;
};

/** One payment of dues (会费) into the ledger. */
export type DuesPayment = {
  __typename?: 'DuesPayment';
  /** Amount in yuan (元). */
  amount: Scalars['Float']['output'];
  id: Scalars['ID']['output'];
  member: Member;
  paidOn: Scalars['Date']['output'];
  /** First year the payment covers. */
  periodFrom: Scalars['Int']['output'];
  /** Last year the payment covers. */
  periodTo: Scalars['Int']['output'];
  /** The branch that received the payment. */
  receivedBy: Organization;
};

export type Gender =
  | 'FEMALE'
  | 'MALE';

export type ImportFormat =
  /** Text, UTF-8, comma-separated, first line the header. */
  | 'CSV'
  /** An Excel .xlsx workbook, base64-encoded; the first sheet, first row the header. */
  | 'XLSX';

/**
 * A file of members to register in one branch. Columns (English or Chinese header): kind (类别:
 * ADULT/YOUTH/GROUP or 成人/青少年/团体), name (姓名/名称), idNumber (身份证号/证件号码), phone
 * (手机/电话), joinedOn (入会日期, YYYY-MM-DD), contactPerson (联系人, groups).
 */
export type ImportMembersInput = {
  /** The file: text for CSV, base64 for XLSX. */
  content: Scalars['String']['input'];
  format: ImportFormat;
  organizationId: Scalars['ID']['input'];
};

/** What an import did: good rows are saved, bad rows reported, already registered people skipped. */
export type ImportResult = {
  __typename?: 'ImportResult';
  /** Rows whose person was already registered in the branch (nobody is registered twice). */
  alreadyRegistered: Scalars['Int']['output'];
  /** Members registered now. */
  created: Scalars['Int']['output'];
  errors: Array<ImportRowError>;
  /** Rows rejected. */
  failed: Scalars['Int']['output'];
  /** Data rows read. */
  rows: Scalars['Int']['output'];
};

/** One rejected row of an import. */
export type ImportRowError = {
  __typename?: 'ImportRowError';
  /** The column at fault, e.g. idNumber. */
  field: Scalars['String']['output'];
  /** Line (CSV) or row (XLSX) number in the file, the header being 1. */
  line: Scalars['Int']['output'];
  message: Scalars['String']['output'];
};

/**
 * A member (会员) of the Red Cross: a person (adult or youth member) or an institution (group
 * member), registered by a branch (会籍登记). Identity numbers and phones are stored protected and
 * returned only masked.
 */
export type Member = {
  __typename?: 'Member';
  /** Persons only; read from the identity number. */
  birthDate?: Maybe<Scalars['Date']['output']>;
  /** Group members: the contact person (联系人). */
  contactPerson?: Maybe<Scalars['String']['output']>;
  /** The dues ledger (会费收缴), oldest period first. */
  duesPayments: Array<DuesPayment>;
  /** Persons only; read from the identity number. */
  gender?: Maybe<Gender>;
  /** The grassroots unit (基层组织, grassroots subgraph) the member belongs to, if any. */
  grassrootsUnitId?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  /**
   * The identity document number, masked (e.g. 3301**********1234): the resident identity number
   * for persons, the unified social credit code (统一社会信用代码) for institutions.
   */
  idNumberMasked: Scalars['String']['output'];
  /** Date of joining (入会日期). */
  joinedOn: Scalars['Date']['output'];
  kind: MemberKind;
  /** The day the member lapses unless more dues are paid (past: lapsed). */
  lapsesOn: Scalars['Date']['output'];
  /** Member Star awards (会员之星) the member received. */
  memberStars: Array<MemberStarAward>;
  /** The person's name, or the institution's name for a group member. */
  name: Scalars['String']['output'];
  /** The branch that registered the member. */
  organization: Organization;
  /** The last year the member's dues cover; null if never paid. */
  paidThrough?: Maybe<Scalars['Int']['output']>;
  /** The phone number, masked (e.g. 138****5678). */
  phoneMasked?: Maybe<Scalars['String']['output']>;
  /** Standing on a date (default today): ACTIVE, LAPSED or WITHDRAWN. */
  status: MemberStatus;
  /** Date of leaving (退会), if the member left. */
  withdrawnOn?: Maybe<Scalars['Date']['output']>;
};


/**
 * A member (会员) of the Red Cross: a person (adult or youth member) or an institution (group
 * member), registered by a branch (会籍登记). Identity numbers and phones are stored protected and
 * returned only masked.
 */
export type MemberStatusArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};

export type MemberConnection = {
  __typename?: 'MemberConnection';
  nodes: Array<Member>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** Filters for members; all given conditions must hold. */
export type MemberFilter = {
  /** Only members registered by the branch itself, not by branches below it. */
  directOnly?: InputMaybe<Scalars['Boolean']['input']>;
  grassrootsUnitId?: InputMaybe<Scalars['ID']['input']>;
  joinedFrom?: InputMaybe<Scalars['Date']['input']>;
  joinedTo?: InputMaybe<Scalars['Date']['input']>;
  kind?: InputMaybe<MemberKind>;
  /** Standing today. */
  status?: InputMaybe<MemberStatus>;
};

/** Kind of member (会员类别). */
export type MemberKind =
  /** 成人会员: a person aged at least ADULT_MIN_AGE (default 18) when joining. */
  | 'ADULT'
  /** 团体会员: an institution (school, hospital, enterprise, public institution, ...). */
  | 'GROUP'
  /** 青少年会员: a person younger than YOUTH_MAX_AGE (default 25) when joining, usually a student. */
  | 'YOUTH';

/** A Member Star award (会员之星). */
export type MemberStarAward = {
  __typename?: 'MemberStarAward';
  citation?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  member: Member;
  /** The awarding branch. */
  organization: Organization;
  year: Scalars['Int']['output'];
};

export type MemberStarAwardConnection = {
  __typename?: 'MemberStarAwardConnection';
  nodes: Array<MemberStarAward>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** A member's standing on a date, derived from the dues ledger. */
export type MemberStatus =
  /** Registered, dues not in arrears beyond the lapse period. */
  | 'ACTIVE'
  /** Dues unpaid for LAPSE_AFTER_YEARS (default 2) whole years: not counted until dues are paid. */
  | 'LAPSED'
  /** Left the society (退会); kept for history. */
  | 'WITHDRAWN';

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Approves a pending star rating. `approvedBy` is the approving branch (until authentication
   * provides it): any branch other than the one the rules name is FORBIDDEN.
   */
  approveStarRating: StarRating;
  /** Awards a Member Star (会员之星) for a year. */
  awardMemberStar: MemberStarAward;
  /** Creates a service team under a branch. */
  createServiceTeam: ServiceTeam;
  /** Records that a service team was dissolved on a date. */
  dissolveServiceTeam: ServiceTeam;
  /** Records that a volunteer left on a date. */
  endVolunteer: Volunteer;
  /** Registers members in bulk from a CSV or Excel file: good rows saved, bad rows reported. */
  importMembers: ImportResult;
  /** Puts a volunteer in a team. */
  joinServiceTeam: Volunteer;
  /** Takes a volunteer out of a team. */
  leaveServiceTeam: Volunteer;
  /** Records a dues payment in the ledger; the member's standing follows. */
  recordDuesPayment: DuesPayment;
  /** Records the volunteer's registration in the national volunteer information system. */
  recordNationalRegistration: Volunteer;
  /** Records service hours. */
  recordServiceHours: ServiceRecord;
  /** Registers a member (会籍登记). The same person twice in one branch is a CONFLICT. */
  registerMember: Member;
  /** Registers a volunteer. The same person twice in one branch is a CONFLICT. */
  registerVolunteer: Volunteer;
  /** Rejects a pending star rating, with the reason; the same branch rule as approval. */
  rejectStarRating: StarRating;
  /** Requests a star rating; the volunteer's hours must reach the threshold of the stars asked. */
  requestStarRating: StarRating;
  /** Records that a member left (退会) on a date. */
  withdrawMember: Member;
};


export type MutationApproveStarRatingArgs = {
  approvedBy: Scalars['ID']['input'];
  id: Scalars['ID']['input'];
  on?: InputMaybe<Scalars['Date']['input']>;
};


export type MutationAwardMemberStarArgs = {
  input: AwardMemberStarInput;
};


export type MutationCreateServiceTeamArgs = {
  input: CreateServiceTeamInput;
};


export type MutationDissolveServiceTeamArgs = {
  id: Scalars['ID']['input'];
  on: Scalars['Date']['input'];
};


export type MutationEndVolunteerArgs = {
  id: Scalars['ID']['input'];
  on: Scalars['Date']['input'];
};


export type MutationImportMembersArgs = {
  input: ImportMembersInput;
};


export type MutationJoinServiceTeamArgs = {
  teamId: Scalars['ID']['input'];
  volunteerId: Scalars['ID']['input'];
};


export type MutationLeaveServiceTeamArgs = {
  teamId: Scalars['ID']['input'];
  volunteerId: Scalars['ID']['input'];
};


export type MutationRecordDuesPaymentArgs = {
  input: RecordDuesPaymentInput;
};


export type MutationRecordNationalRegistrationArgs = {
  nationalSystemId?: InputMaybe<Scalars['String']['input']>;
  registeredOn: Scalars['Date']['input'];
  volunteerId: Scalars['ID']['input'];
};


export type MutationRecordServiceHoursArgs = {
  input: RecordServiceHoursInput;
};


export type MutationRegisterMemberArgs = {
  input: RegisterMemberInput;
};


export type MutationRegisterVolunteerArgs = {
  input: RegisterVolunteerInput;
};


export type MutationRejectStarRatingArgs = {
  id: Scalars['ID']['input'];
  on?: InputMaybe<Scalars['Date']['input']>;
  reason: Scalars['String']['input'];
  rejectedBy: Scalars['ID']['input'];
};


export type MutationRequestStarRatingArgs = {
  input: RequestStarRatingInput;
};


export type MutationWithdrawMemberArgs = {
  id: Scalars['ID']['input'];
  on: Scalars['Date']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};

/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type Organization = {
  __typename?: 'Organization';
  id: Scalars['ID']['output'];
  /** Member Star awards (会员之星) given in the subtree, optionally in one year. */
  memberStars: MemberStarAwardConnection;
  /** Members (会员) registered in this branch's subtree, filtered and paginated. */
  members: MemberConnection;
  /** The people rows of annex 1 (附件1, rows 9-14) for the subtree on a date (default today). */
  peopleSurvey: PeopleSurvey;
  /**
   * Volunteer service hours (志愿服务时长) served by the subtree's volunteers from `from` to `to`
   * (both inclusive; open ends when omitted).
   */
  serviceHours: Scalars['Float']['output'];
  /** Volunteer service teams (志愿服务组织) managed in this branch's subtree, filtered and paginated. */
  serviceTeams: ServiceTeamConnection;
  /** Star ratings this branch must decide (as the approving branch), by status (default PENDING). */
  starRatingsToDecide: StarRatingConnection;
  /** Volunteers (志愿者) registered in this branch's subtree, filtered and paginated. */
  volunteers: VolunteerConnection;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type OrganizationMemberStarsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  year?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type OrganizationMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MemberFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type OrganizationPeopleSurveyArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type OrganizationServiceHoursArgs = {
  from?: InputMaybe<Scalars['Date']['input']>;
  to?: InputMaybe<Scalars['Date']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type OrganizationServiceTeamsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ServiceTeamFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type OrganizationStarRatingsToDecideArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<StarRatingStatus>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the people
 * it registers: members (会员), volunteers (志愿者) and volunteer service teams (志愿服务组织), each
 * over the branch's whole subtree (the branch itself included).
 */
export type OrganizationVolunteersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<VolunteerFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Cursor pagination: pass endCursor as `after` for the next page. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** The people rows of annex 1 for a subtree on a date (the same numbers as Survey rows 9-14). */
export type PeopleSurvey = {
  __typename?: 'PeopleSurvey';
  adultMembers: Scalars['Int']['output'];
  asOf: Scalars['Date']['output'];
  groupMembers: Scalars['Int']['output'];
  registeredVolunteers: Scalars['Int']['output'];
  serviceHours: Scalars['Int']['output'];
  serviceOrganizations: Scalars['Int']['output'];
  youthMembers: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * County branches in `within`'s subtree (the whole country by default) managing fewer than
   * MIN_TEAMS_PER_COUNTY (default 3) service teams on a date (default today), fewest first.
   */
  countiesWithFewTeams: CountyTeamCountConnection;
  member?: Maybe<Member>;
  serviceTeam?: Maybe<ServiceTeam>;
  starRating?: Maybe<StarRating>;
  volunteer?: Maybe<Volunteer>;
};


export type QueryCountiesWithFewTeamsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  asOf?: InputMaybe<Scalars['Date']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  within?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryMemberArgs = {
  id: Scalars['ID']['input'];
};


export type QueryServiceTeamArgs = {
  id: Scalars['ID']['input'];
};


export type QueryStarRatingArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVolunteerArgs = {
  id: Scalars['ID']['input'];
};

/** A payment of dues for whole years. */
export type RecordDuesPaymentInput = {
  /** In yuan; default the configured rate for the member's kind times the years. Never less than that. */
  amount?: InputMaybe<Scalars['Float']['input']>;
  memberId: Scalars['ID']['input'];
  paidOn: Scalars['Date']['input'];
  periodFrom: Scalars['Int']['input'];
  /** Default: periodFrom (one year). */
  periodTo?: InputMaybe<Scalars['Int']['input']>;
  /** The receiving branch: the member's own branch or one above it. */
  receivedBy: Scalars['ID']['input'];
};

export type RecordServiceHoursInput = {
  activity: Scalars['String']['input'];
  date: Scalars['Date']['input'];
  /** Hours served that day (0 < hours <= 24). */
  hours: Scalars['Float']['input'];
  /** A team the volunteer belongs to, if the service was done with one. */
  teamId?: InputMaybe<Scalars['ID']['input']>;
  volunteerId: Scalars['ID']['input'];
};

/** A new member. Persons give a resident identity number; institutions their unified social credit code. */
export type RegisterMemberInput = {
  /** GROUP only. */
  contactPerson?: InputMaybe<Scalars['String']['input']>;
  grassrootsUnitId?: InputMaybe<Scalars['ID']['input']>;
  /** Resident identity number (persons) or unified social credit code (GROUP). */
  idNumber: Scalars['String']['input'];
  joinedOn: Scalars['Date']['input'];
  kind: MemberKind;
  name: Scalars['String']['input'];
  organizationId: Scalars['ID']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type RegisterVolunteerInput = {
  idNumber: Scalars['String']['input'];
  name: Scalars['String']['input'];
  nationalSystemId?: InputMaybe<Scalars['String']['input']>;
  /** Set when the volunteer is already registered in the national volunteer information system. */
  nationalSystemRegisteredOn?: InputMaybe<Scalars['Date']['input']>;
  organizationId: Scalars['ID']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
  registeredOn: Scalars['Date']['input'];
  skills?: InputMaybe<Array<Scalars['String']['input']>>;
  teamIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type RequestStarRatingInput = {
  /** Default today. */
  requestedOn?: InputMaybe<Scalars['Date']['input']>;
  stars: Scalars['Int']['input'];
  volunteerId: Scalars['ID']['input'];
};

/** One activity of volunteer service on one day (志愿服务记录). */
export type ServiceRecord = {
  __typename?: 'ServiceRecord';
  activity: Scalars['String']['output'];
  date: Scalars['Date']['output'];
  hours: Scalars['Float']['output'];
  id: Scalars['ID']['output'];
  /** The volunteer's branch (the record counts in its subtree). */
  organization: Organization;
  /** The team the service was done with, if any. */
  team?: Maybe<ServiceTeam>;
  volunteer: Volunteer;
};

export type ServiceRecordConnection = {
  __typename?: 'ServiceRecordConnection';
  nodes: Array<ServiceRecord>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** A volunteer service organization or team (志愿服务组织/志愿服务队) managed by a branch. */
export type ServiceTeam = {
  __typename?: 'ServiceTeam';
  /** When the team was dissolved, if it was. */
  dissolvedOn?: Maybe<Scalars['Date']['output']>;
  foundedOn: Scalars['Date']['output'];
  id: Scalars['ID']['output'];
  /** How many volunteers belong to the team. */
  memberCount: Scalars['Int']['output'];
  /** The team's volunteers. */
  members: VolunteerConnection;
  name: Scalars['String']['output'];
  /** The managing branch. */
  organization: Organization;
  /** Service hours recorded for the team from `from` to `to` (inclusive). */
  serviceHours: Scalars['Float']['output'];
  specialty: ServiceTeamSpecialty;
};


/** A volunteer service organization or team (志愿服务组织/志愿服务队) managed by a branch. */
export type ServiceTeamMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A volunteer service organization or team (志愿服务组织/志愿服务队) managed by a branch. */
export type ServiceTeamServiceHoursArgs = {
  from?: InputMaybe<Scalars['Date']['input']>;
  to?: InputMaybe<Scalars['Date']['input']>;
};

export type ServiceTeamConnection = {
  __typename?: 'ServiceTeamConnection';
  nodes: Array<ServiceTeam>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** Filters for service teams; all given conditions must hold. */
export type ServiceTeamFilter = {
  /** Only teams managed by the branch itself. */
  directOnly?: InputMaybe<Scalars['Boolean']['input']>;
  /** Include dissolved teams (default false). */
  includeDissolved?: InputMaybe<Scalars['Boolean']['input']>;
  specialty?: InputMaybe<ServiceTeamSpecialty>;
};

/** Specialty of a volunteer service team (志愿服务组织的专业方向). */
export type ServiceTeamSpecialty =
  /** 无偿献血 */
  | 'BLOOD_DONATION'
  /** 社区服务 */
  | 'COMMUNITY_SERVICE'
  /** 养老护理 */
  | 'ELDERLY_CARE'
  /** 应急救援 */
  | 'EMERGENCY_RESCUE'
  /** 应急救护 (first aid) */
  | 'FIRST_AID'
  /** 人道救助 */
  | 'HUMANITARIAN_RELIEF'
  /** 遗体和人体器官捐献宣传 */
  | 'ORGAN_DONATION'
  /** 其他 */
  | 'OTHER'
  /** 造血干细胞捐献宣传 */
  | 'STEM_CELL_DONATION';

/**
 * A volunteer star rating (星级评定), 1 to 5 stars for service hours: 1-3 stars are approved by the
 * county branch, 4 by the prefecture branch and 5 by the provincial branch over the volunteer's
 * branch (seed task 17). Where the volunteer's branch chain lacks that level, the nearest branch
 * above it approves (see the README).
 */
export type StarRating = {
  __typename?: 'StarRating';
  /** The branch that must decide the rating. */
  approver: Organization;
  /** The branch that decided it (approved or rejected). */
  decidedBy?: Maybe<Organization>;
  decidedOn?: Maybe<Scalars['Date']['output']>;
  /** The volunteer's total service hours when the rating was requested. */
  hoursAtRequest: Scalars['Float']['output'];
  id: Scalars['ID']['output'];
  /** Why a rating was rejected. */
  reason?: Maybe<Scalars['String']['output']>;
  requestedOn: Scalars['Date']['output'];
  stars: Scalars['Int']['output'];
  status: StarRatingStatus;
  volunteer: Volunteer;
};

export type StarRatingConnection = {
  __typename?: 'StarRatingConnection';
  nodes: Array<StarRating>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type StarRatingStatus =
  | 'APPROVED'
  | 'PENDING'
  | 'REJECTED';

/**
 * Annex 1 (附件1 组织体系建设工作情况调查表) for a branch's whole subtree on a date. This subgraph
 * answers the people indicators 9-14.
 */
export type Survey = {
  __typename?: 'Survey';
  /** 10. Adult members (成人会员) active on asOf. */
  adultMembers: Scalars['Int']['output'];
  asOf: Scalars['Date']['output'];
  /** 9. Group members (团体会员) active on asOf. */
  groupMembers: Scalars['Int']['output'];
  organizationId: Scalars['ID']['output'];
  /** 12. Registered volunteers (注册志愿者): registered in the national volunteer information system and not left. */
  registeredVolunteers: Scalars['Int']['output'];
  /** 14. Total volunteer service hours (志愿服务总时长) recorded up to and including asOf, rounded. */
  serviceHours: Scalars['Int']['output'];
  /** 13. Volunteer service organizations (志愿服务组织) existing on asOf. */
  serviceOrganizations: Scalars['Int']['output'];
  /** 11. Youth members (青少年会员) active on asOf. */
  youthMembers: Scalars['Int']['output'];
};

/**
 * A Red Cross volunteer (红十字志愿者) registered by a branch. Counted as a registered volunteer
 * (注册志愿者, annex 1 row 12) while registered in the national volunteer information system
 * (全国志愿服务信息系统) and not left.
 */
export type Volunteer = {
  __typename?: 'Volunteer';
  birthDate?: Maybe<Scalars['Date']['output']>;
  /** When the volunteer left (注销), if ever. */
  endedOn?: Maybe<Scalars['Date']['output']>;
  gender?: Maybe<Gender>;
  id: Scalars['ID']['output'];
  /** The resident identity number, masked. */
  idNumberMasked: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** The volunteer's code in the national volunteer information system. */
  nationalSystemId?: Maybe<Scalars['String']['output']>;
  /** When the volunteer was registered in the national volunteer information system. */
  nationalSystemRegisteredOn?: Maybe<Scalars['Date']['output']>;
  /** The branch that registered the volunteer. */
  organization: Organization;
  /** The phone number, masked. */
  phoneMasked?: Maybe<Scalars['String']['output']>;
  /** Whether the volunteer is registered in the national volunteer information system (today). */
  registeredInNationalSystem: Scalars['Boolean']['output'];
  /** Date of registration with the Red Cross branch. */
  registeredOn: Scalars['Date']['output'];
  /** Service hours from `from` to `to` (inclusive; open ends when omitted). */
  serviceHours: Scalars['Float']['output'];
  /** Service records, oldest first. */
  serviceRecords: ServiceRecordConnection;
  /** Skills, e.g. 急救, 心理支持, 驾驶. */
  skills: Array<Scalars['String']['output']>;
  /** Every star rating requested for the volunteer, oldest first (the history is kept). */
  starRatings: Array<StarRating>;
  /** The highest approved star rating (星级), 0 when none. */
  stars: Scalars['Int']['output'];
  /** Service teams the volunteer belongs to. */
  teams: Array<ServiceTeam>;
};


/**
 * A Red Cross volunteer (红十字志愿者) registered by a branch. Counted as a registered volunteer
 * (注册志愿者, annex 1 row 12) while registered in the national volunteer information system
 * (全国志愿服务信息系统) and not left.
 */
export type VolunteerServiceHoursArgs = {
  from?: InputMaybe<Scalars['Date']['input']>;
  to?: InputMaybe<Scalars['Date']['input']>;
};


/**
 * A Red Cross volunteer (红十字志愿者) registered by a branch. Counted as a registered volunteer
 * (注册志愿者, annex 1 row 12) while registered in the national volunteer information system
 * (全国志愿服务信息系统) and not left.
 */
export type VolunteerServiceRecordsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type VolunteerConnection = {
  __typename?: 'VolunteerConnection';
  nodes: Array<Volunteer>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** Filters for volunteers; all given conditions must hold. */
export type VolunteerFilter = {
  /** Only volunteers registered by the branch itself. */
  directOnly?: InputMaybe<Scalars['Boolean']['input']>;
  /** Include volunteers who have left (default false). */
  includeEnded?: InputMaybe<Scalars['Boolean']['input']>;
  /** At least this many stars. */
  minStars?: InputMaybe<Scalars['Int']['input']>;
  /** Registered in the national volunteer information system (true) or not (false), today. */
  registeredInNationalSystem?: InputMaybe<Scalars['Boolean']['input']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  AnnualIncrease: AnnualIncrease;
  Member: Member;
  Organization: Organization;
  ServiceTeam: ServiceTeam;
  Survey: Survey;
  Volunteer: Volunteer;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  AnnualIncrease:
    ( { __typename: 'AnnualIncrease' }
    & GraphQLRecursivePick<FederationTypes['AnnualIncrease'], {"organizationId":true,"year":true}> );
  Member:
    ( { __typename: 'Member' }
    & GraphQLRecursivePick<FederationTypes['Member'], {"id":true}> );
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  ServiceTeam:
    ( { __typename: 'ServiceTeam' }
    & GraphQLRecursivePick<FederationTypes['ServiceTeam'], {"id":true}> );
  Survey:
    ( { __typename: 'Survey' }
    & GraphQLRecursivePick<FederationTypes['Survey'], {"organizationId":true,"asOf":true}> );
  Volunteer:
    ( { __typename: 'Volunteer' }
    & GraphQLRecursivePick<FederationTypes['Volunteer'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AnnualIncrease: ResolverTypeWrapper<AnnualIncrease>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AwardMemberStarInput: AwardMemberStarInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CountyTeamCount: ResolverTypeWrapper<CountyTeamCountRow>;
  CountyTeamCountConnection: ResolverTypeWrapper<CountyTeamCountPage>;
  CreateServiceTeamInput: CreateServiceTeamInput;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DuesPayment: ResolverTypeWrapper<DuesPaymentDoc>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Gender: Gender;
  ImportFormat: ImportFormat;
  ImportMembersInput: ImportMembersInput;
  ImportResult: ResolverTypeWrapper<ImportResult>;
  ImportRowError: ResolverTypeWrapper<ImportRowError>;
  Member: ResolverTypeWrapper<MemberDoc>;
  MemberConnection: ResolverTypeWrapper<MemberPage>;
  MemberFilter: MemberFilter;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  MemberKind: MemberKind;
  MemberStarAward: ResolverTypeWrapper<MemberStarDoc>;
  MemberStarAwardConnection: ResolverTypeWrapper<MemberStarPage>;
  MemberStatus: MemberStatus;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PeopleSurvey: ResolverTypeWrapper<PeopleSurvey>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordDuesPaymentInput: RecordDuesPaymentInput;
  RecordServiceHoursInput: RecordServiceHoursInput;
  RegisterMemberInput: RegisterMemberInput;
  RegisterVolunteerInput: RegisterVolunteerInput;
  RequestStarRatingInput: RequestStarRatingInput;
  ServiceRecord: ResolverTypeWrapper<ServiceRecordDoc>;
  ServiceRecordConnection: ResolverTypeWrapper<ServiceRecordPage>;
  ServiceTeam: ResolverTypeWrapper<ServiceTeamDoc>;
  ServiceTeamConnection: ResolverTypeWrapper<ServiceTeamPage>;
  ServiceTeamFilter: ServiceTeamFilter;
  ServiceTeamSpecialty: ServiceTeamSpecialty;
  StarRating: ResolverTypeWrapper<StarRatingDoc>;
  StarRatingConnection: ResolverTypeWrapper<StarRatingPage>;
  StarRatingStatus: StarRatingStatus;
  Survey: ResolverTypeWrapper<Survey>;
  Volunteer: ResolverTypeWrapper<VolunteerDoc>;
  VolunteerConnection: ResolverTypeWrapper<VolunteerPage>;
  VolunteerFilter: VolunteerFilter;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AnnualIncrease: AnnualIncrease | FederationReferenceTypes['AnnualIncrease'];
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  AwardMemberStarInput: AwardMemberStarInput;
  String: Scalars['String']['output'];
  CountyTeamCount: CountyTeamCountRow;
  CountyTeamCountConnection: CountyTeamCountPage;
  CreateServiceTeamInput: CreateServiceTeamInput;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  DuesPayment: DuesPaymentDoc;
  Float: Scalars['Float']['output'];
  ImportMembersInput: ImportMembersInput;
  ImportResult: ImportResult;
  ImportRowError: ImportRowError;
  Member: MemberDoc;
  MemberConnection: MemberPage;
  MemberFilter: MemberFilter;
  Boolean: Scalars['Boolean']['output'];
  MemberStarAward: MemberStarDoc;
  MemberStarAwardConnection: MemberStarPage;
  Mutation: Record<PropertyKey, never>;
  Organization: OrganizationRef;
  PageInfo: PageInfo;
  PeopleSurvey: PeopleSurvey;
  Query: Record<PropertyKey, never>;
  RecordDuesPaymentInput: RecordDuesPaymentInput;
  RecordServiceHoursInput: RecordServiceHoursInput;
  RegisterMemberInput: RegisterMemberInput;
  RegisterVolunteerInput: RegisterVolunteerInput;
  RequestStarRatingInput: RequestStarRatingInput;
  ServiceRecord: ServiceRecordDoc;
  ServiceRecordConnection: ServiceRecordPage;
  ServiceTeam: ServiceTeamDoc;
  ServiceTeamConnection: ServiceTeamPage;
  ServiceTeamFilter: ServiceTeamFilter;
  StarRating: StarRatingDoc;
  StarRatingConnection: StarRatingPage;
  Survey: Survey | FederationReferenceTypes['Survey'];
  Volunteer: VolunteerDoc;
  VolunteerConnection: VolunteerPage;
  VolunteerFilter: VolunteerFilter;
};

export type AnnualIncreaseResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AnnualIncrease'] = ResolversParentTypes['AnnualIncrease'], FederationReferenceType extends FederationReferenceTypes['AnnualIncrease'] = FederationReferenceTypes['AnnualIncrease']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AnnualIncrease']> | FederationReferenceType, FederationReferenceType, ContextType>;
  adultMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  groupMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  registeredVolunteers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  serviceHours?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  serviceOrganizations?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  youthMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CountyTeamCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CountyTeamCount'] = ResolversParentTypes['CountyTeamCount']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  teamCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CountyTeamCountConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CountyTeamCountConnection'] = ResolversParentTypes['CountyTeamCountConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['CountyTeamCount']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DuesPaymentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DuesPayment'] = ResolversParentTypes['DuesPayment']> = {
  amount?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  paidOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  periodFrom?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  periodTo?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  receivedBy?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
};

export type ImportResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ImportResult'] = ResolversParentTypes['ImportResult']> = {
  alreadyRegistered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  created?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errors?: Resolver<Array<ResolversTypes['ImportRowError']>, ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rows?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ImportRowErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ImportRowError'] = ResolversParentTypes['ImportRowError']> = {
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  line?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MemberResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Member'] = ResolversParentTypes['Member'], FederationReferenceType extends FederationReferenceTypes['Member'] = FederationReferenceTypes['Member']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Member']> | FederationReferenceType, FederationReferenceType, ContextType>;
  birthDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  contactPerson?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  duesPayments?: Resolver<Array<ResolversTypes['DuesPayment']>, ParentType, ContextType>;
  gender?: Resolver<Maybe<ResolversTypes['Gender']>, ParentType, ContextType>;
  grassrootsUnitId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idNumberMasked?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  joinedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['MemberKind'], ParentType, ContextType>;
  lapsesOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  memberStars?: Resolver<Array<ResolversTypes['MemberStarAward']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  paidThrough?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  phoneMasked?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['MemberStatus'], ParentType, ContextType, Partial<MemberStatusArgs>>;
  withdrawnOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
};

export type MemberConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MemberConnection'] = ResolversParentTypes['MemberConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Member']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MemberStarAwardResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MemberStarAward'] = ResolversParentTypes['MemberStarAward']> = {
  citation?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MemberStarAwardConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MemberStarAwardConnection'] = ResolversParentTypes['MemberStarAwardConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['MemberStarAward']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  approveStarRating?: Resolver<ResolversTypes['StarRating'], ParentType, ContextType, RequireFields<MutationApproveStarRatingArgs, 'approvedBy' | 'id'>>;
  awardMemberStar?: Resolver<ResolversTypes['MemberStarAward'], ParentType, ContextType, RequireFields<MutationAwardMemberStarArgs, 'input'>>;
  createServiceTeam?: Resolver<ResolversTypes['ServiceTeam'], ParentType, ContextType, RequireFields<MutationCreateServiceTeamArgs, 'input'>>;
  dissolveServiceTeam?: Resolver<ResolversTypes['ServiceTeam'], ParentType, ContextType, RequireFields<MutationDissolveServiceTeamArgs, 'id' | 'on'>>;
  endVolunteer?: Resolver<ResolversTypes['Volunteer'], ParentType, ContextType, RequireFields<MutationEndVolunteerArgs, 'id' | 'on'>>;
  importMembers?: Resolver<ResolversTypes['ImportResult'], ParentType, ContextType, RequireFields<MutationImportMembersArgs, 'input'>>;
  joinServiceTeam?: Resolver<ResolversTypes['Volunteer'], ParentType, ContextType, RequireFields<MutationJoinServiceTeamArgs, 'teamId' | 'volunteerId'>>;
  leaveServiceTeam?: Resolver<ResolversTypes['Volunteer'], ParentType, ContextType, RequireFields<MutationLeaveServiceTeamArgs, 'teamId' | 'volunteerId'>>;
  recordDuesPayment?: Resolver<ResolversTypes['DuesPayment'], ParentType, ContextType, RequireFields<MutationRecordDuesPaymentArgs, 'input'>>;
  recordNationalRegistration?: Resolver<ResolversTypes['Volunteer'], ParentType, ContextType, RequireFields<MutationRecordNationalRegistrationArgs, 'registeredOn' | 'volunteerId'>>;
  recordServiceHours?: Resolver<ResolversTypes['ServiceRecord'], ParentType, ContextType, RequireFields<MutationRecordServiceHoursArgs, 'input'>>;
  registerMember?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationRegisterMemberArgs, 'input'>>;
  registerVolunteer?: Resolver<ResolversTypes['Volunteer'], ParentType, ContextType, RequireFields<MutationRegisterVolunteerArgs, 'input'>>;
  rejectStarRating?: Resolver<ResolversTypes['StarRating'], ParentType, ContextType, RequireFields<MutationRejectStarRatingArgs, 'id' | 'reason' | 'rejectedBy'>>;
  requestStarRating?: Resolver<ResolversTypes['StarRating'], ParentType, ContextType, RequireFields<MutationRequestStarRatingArgs, 'input'>>;
  withdrawMember?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationWithdrawMemberArgs, 'id' | 'on'>>;
};

export type OrganizationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberStars?: Resolver<ResolversTypes['MemberStarAwardConnection'], ParentType, ContextType, Partial<OrganizationMemberStarsArgs>>;
  members?: Resolver<ResolversTypes['MemberConnection'], ParentType, ContextType, Partial<OrganizationMembersArgs>>;
  peopleSurvey?: Resolver<ResolversTypes['PeopleSurvey'], ParentType, ContextType, Partial<OrganizationPeopleSurveyArgs>>;
  serviceHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType, Partial<OrganizationServiceHoursArgs>>;
  serviceTeams?: Resolver<ResolversTypes['ServiceTeamConnection'], ParentType, ContextType, Partial<OrganizationServiceTeamsArgs>>;
  starRatingsToDecide?: Resolver<ResolversTypes['StarRatingConnection'], ParentType, ContextType, Partial<OrganizationStarRatingsToDecideArgs>>;
  volunteers?: Resolver<ResolversTypes['VolunteerConnection'], ParentType, ContextType, Partial<OrganizationVolunteersArgs>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PeopleSurveyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PeopleSurvey'] = ResolversParentTypes['PeopleSurvey']> = {
  adultMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  groupMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  registeredVolunteers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  serviceHours?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  serviceOrganizations?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  youthMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  countiesWithFewTeams?: Resolver<ResolversTypes['CountyTeamCountConnection'], ParentType, ContextType, Partial<QueryCountiesWithFewTeamsArgs>>;
  member?: Resolver<Maybe<ResolversTypes['Member']>, ParentType, ContextType, RequireFields<QueryMemberArgs, 'id'>>;
  serviceTeam?: Resolver<Maybe<ResolversTypes['ServiceTeam']>, ParentType, ContextType, RequireFields<QueryServiceTeamArgs, 'id'>>;
  starRating?: Resolver<Maybe<ResolversTypes['StarRating']>, ParentType, ContextType, RequireFields<QueryStarRatingArgs, 'id'>>;
  volunteer?: Resolver<Maybe<ResolversTypes['Volunteer']>, ParentType, ContextType, RequireFields<QueryVolunteerArgs, 'id'>>;
};

export type ServiceRecordResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ServiceRecord'] = ResolversParentTypes['ServiceRecord']> = {
  activity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  hours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  team?: Resolver<Maybe<ResolversTypes['ServiceTeam']>, ParentType, ContextType>;
  volunteer?: Resolver<ResolversTypes['Volunteer'], ParentType, ContextType>;
};

export type ServiceRecordConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ServiceRecordConnection'] = ResolversParentTypes['ServiceRecordConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['ServiceRecord']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ServiceTeamResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ServiceTeam'] = ResolversParentTypes['ServiceTeam'], FederationReferenceType extends FederationReferenceTypes['ServiceTeam'] = FederationReferenceTypes['ServiceTeam']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ServiceTeam']> | FederationReferenceType, FederationReferenceType, ContextType>;
  dissolvedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  foundedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  members?: Resolver<ResolversTypes['VolunteerConnection'], ParentType, ContextType, Partial<ServiceTeamMembersArgs>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  serviceHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType, Partial<ServiceTeamServiceHoursArgs>>;
  specialty?: Resolver<ResolversTypes['ServiceTeamSpecialty'], ParentType, ContextType>;
};

export type ServiceTeamConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ServiceTeamConnection'] = ResolversParentTypes['ServiceTeamConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['ServiceTeam']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type StarRatingResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StarRating'] = ResolversParentTypes['StarRating']> = {
  approver?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  decidedBy?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType>;
  decidedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  hoursAtRequest?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requestedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  stars?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['StarRatingStatus'], ParentType, ContextType>;
  volunteer?: Resolver<ResolversTypes['Volunteer'], ParentType, ContextType>;
};

export type StarRatingConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StarRatingConnection'] = ResolversParentTypes['StarRatingConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['StarRating']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SurveyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Survey'] = ResolversParentTypes['Survey'], FederationReferenceType extends FederationReferenceTypes['Survey'] = FederationReferenceTypes['Survey']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Survey']> | FederationReferenceType, FederationReferenceType, ContextType>;
  adultMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  groupMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  registeredVolunteers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  serviceHours?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  serviceOrganizations?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  youthMembers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type VolunteerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Volunteer'] = ResolversParentTypes['Volunteer'], FederationReferenceType extends FederationReferenceTypes['Volunteer'] = FederationReferenceTypes['Volunteer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Volunteer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  birthDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  endedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  gender?: Resolver<Maybe<ResolversTypes['Gender']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idNumberMasked?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nationalSystemId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nationalSystemRegisteredOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  phoneMasked?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  registeredInNationalSystem?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  registeredOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  serviceHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType, Partial<VolunteerServiceHoursArgs>>;
  serviceRecords?: Resolver<ResolversTypes['ServiceRecordConnection'], ParentType, ContextType, Partial<VolunteerServiceRecordsArgs>>;
  skills?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  starRatings?: Resolver<Array<ResolversTypes['StarRating']>, ParentType, ContextType>;
  stars?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  teams?: Resolver<Array<ResolversTypes['ServiceTeam']>, ParentType, ContextType>;
};

export type VolunteerConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['VolunteerConnection'] = ResolversParentTypes['VolunteerConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Volunteer']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  AnnualIncrease?: AnnualIncreaseResolvers<ContextType>;
  CountyTeamCount?: CountyTeamCountResolvers<ContextType>;
  CountyTeamCountConnection?: CountyTeamCountConnectionResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  DuesPayment?: DuesPaymentResolvers<ContextType>;
  ImportResult?: ImportResultResolvers<ContextType>;
  ImportRowError?: ImportRowErrorResolvers<ContextType>;
  Member?: MemberResolvers<ContextType>;
  MemberConnection?: MemberConnectionResolvers<ContextType>;
  MemberStarAward?: MemberStarAwardResolvers<ContextType>;
  MemberStarAwardConnection?: MemberStarAwardConnectionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PeopleSurvey?: PeopleSurveyResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ServiceRecord?: ServiceRecordResolvers<ContextType>;
  ServiceRecordConnection?: ServiceRecordConnectionResolvers<ContextType>;
  ServiceTeam?: ServiceTeamResolvers<ContextType>;
  ServiceTeamConnection?: ServiceTeamConnectionResolvers<ContextType>;
  StarRating?: StarRatingResolvers<ContextType>;
  StarRatingConnection?: StarRatingConnectionResolvers<ContextType>;
  Survey?: SurveyResolvers<ContextType>;
  Volunteer?: VolunteerResolvers<ContextType>;
  VolunteerConnection?: VolunteerConnectionResolvers<ContextType>;
};

