import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrganizationDoc, TermView, OrganizationPage, TermPage, AuditPage } from '../models';
import type { AuditEntryDoc } from '@rcsc/service-kit';
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
 * during the year (its value on 31 December minus its value on 31 December of the year before).
 * This subgraph answers rows 1-7.
 */
export type AnnualIncrease = {
  __typename?: 'AnnualIncrease';
  /** 3. County branches that completed a term change (完成换届) during the year. */
  countiesCompletedTermChange: Scalars['Int']['output'];
  /** 1. Increase of county branches with a rationalized management system. */
  countiesRationalized: Scalars['Int']['output'];
  /** 5. Increase of county branches with a party group. */
  countiesWithPartyGroup: Scalars['Int']['output'];
  /** 7. Increase of county branches with a supervisory board. */
  countiesWithSupervisoryBoard: Scalars['Int']['output'];
  /** The branch whose subtree the table covers. */
  organizationId: Scalars['ID']['output'];
  /** 2. Prefecture branches that completed a term change (完成换届) during the year. */
  prefecturesCompletedTermChange: Scalars['Int']['output'];
  /** 4. Increase of prefecture branches with a party group. */
  prefecturesWithPartyGroup: Scalars['Int']['output'];
  /** 6. Increase of prefecture branches with a supervisory board. */
  prefecturesWithSupervisoryBoard: Scalars['Int']['output'];
  /** The year (increase from 31 December of the year before to 31 December of this one). */
  year: Scalars['Int']['output'];
};

/** A page of audit entries. */
export type AuditConnection = {
  __typename?: 'AuditConnection';
  /** The entries of this page, newest first. */
  nodes: Array<AuditEntry>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many entries match in all. */
  totalCount: Scalars['Int']['output'];
};

/** One audited change or reveal (审计日志): who, when, what, and the values before and after. */
export type AuditEntry = {
  __typename?: 'AuditEntry';
  /** The mutation, or REVEAL:<field> for a reveal of personal data. */
  action: Scalars['String']['output'];
  /** Who: the token's subject. */
  actorId: Scalars['String']['output'];
  /** The actor's display name, from the token. */
  actorName?: Maybe<Scalars['String']['output']>;
  /** The branch the actor acts for. */
  actorOrganizationId?: Maybe<Scalars['ID']['output']>;
  /** The actor's roles at the time. */
  actorRoles: Array<Scalars['String']['output']>;
  /** The record after the change, as JSON. */
  after?: Maybe<Scalars['String']['output']>;
  /** When it happened. */
  at: Scalars['DateTime']['output'];
  /** The record before the change, as JSON (null on creation). */
  before?: Maybe<Scalars['String']['output']>;
  /** The kind of record changed. */
  entity: Scalars['String']['output'];
  /** Id of the record changed. */
  entityId: Scalars['ID']['output'];
  /** Identifier of the entry. */
  id: Scalars['ID']['output'];
  /** The request id, shared by the gateway's and the subgraphs' logs. */
  requestId: Scalars['String']['output'];
  /** The subgraph that recorded it. */
  service: Scalars['String']['output'];
};

/** A person sitting on a board or body. */
export type BoardMember = {
  __typename?: 'BoardMember';
  /** Full name. */
  name: Scalars['String']['output'];
  /** Position on the body, e.g. 监事长, 监事, 会长, 理事. */
  position: Scalars['String']['output'];
};

/** A member of a board or body, as input. */
export type BoardMemberInput = {
  /** Full name. */
  name: Scalars['String']['input'];
  /** Position on the body, e.g. 监事长, 监事, 理事. */
  position: Scalars['String']['input'];
};

/** One branch as other subgraphs' directory clients see it (internal: not part of the public API). */
export type BranchDirectoryEntry = {
  __typename?: 'BranchDirectoryEntry';
  /** From the national headquarters down to the parent. */
  ancestorIds: Array<Scalars['ID']['output']>;
  /** When dissolved, if ever. */
  dissolvedOn?: Maybe<Scalars['Date']['output']>;
  /** GB/T 2260 code. */
  divisionCode?: Maybe<Scalars['String']['output']>;
  /** Type of division. */
  divisionType?: Maybe<DivisionType>;
  /** Branch id. */
  id: Scalars['ID']['output'];
  /** Regional or special system. */
  kind: OrganizationKind;
  /** Level in the tree. */
  level: OrganizationLevel;
  /** Full name. */
  name: Scalars['String']['output'];
  /** The parent branch. */
  parentId?: Maybe<Scalars['ID']['output']>;
};

/** A new branch. */
export type CreateOrganizationInput = {
  /** Six-digit GB/T 2260 code; required for regional branches, unique. */
  divisionCode?: InputMaybe<Scalars['String']['input']>;
  /** The division's own name; defaults to the name. */
  divisionName?: InputMaybe<Scalars['String']['input']>;
  /** Type of division. */
  divisionType?: InputMaybe<DivisionType>;
  /** When the branch was established. */
  establishedOn?: InputMaybe<Scalars['Date']['input']>;
  /** Regional (default) or special system. */
  kind?: InputMaybe<OrganizationKind>;
  /** Level in the tree; must be below the parent. */
  level: OrganizationLevel;
  /** Full name, e.g. 杭州市西湖区红十字会 (1-100 characters). */
  name: Scalars['String']['input'];
  /** The branch above; required for every level but NATIONAL. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

/** Type of the GB/T 2260 division a branch sits on. */
export type DivisionType =
  /** 自治旗 */
  | 'AUTONOMOUS_BANNER'
  /** 自治县 */
  | 'AUTONOMOUS_COUNTY'
  /** 自治州 */
  | 'AUTONOMOUS_PREFECTURE'
  /** 自治区 */
  | 'AUTONOMOUS_REGION'
  /** 旗 */
  | 'BANNER'
  /** The whole country (the national headquarters). */
  | 'COUNTRY'
  /** 县 */
  | 'COUNTY'
  /** 县级市 (county-level city; coverage targets count these). */
  | 'COUNTY_CITY'
  /** 市辖区 */
  | 'DISTRICT'
  /** 林区 */
  | 'FORESTRY_DISTRICT'
  /** 盟 */
  | 'LEAGUE'
  /** 直辖市 */
  | 'MUNICIPALITY'
  /** Any other county-level unit (management committees, development zones, …). */
  | 'OTHER'
  /** 地区 */
  | 'PREFECTURE'
  /** 地级市 (prefecture-level city; coverage targets count these). */
  | 'PREFECTURE_CITY'
  /** 省 */
  | 'PROVINCE'
  /** 特区 */
  | 'SPECIAL_DISTRICT';

/** A body elected by a members' congress. */
export type ElectedBody = {
  __typename?: 'ElectedBody';
  /** Which body. */
  kind: ElectedBodyKind;
  /** Members elected, where recorded. */
  members: Array<BoardMember>;
  /** Number of seats. */
  size: Scalars['Int']['output'];
};

/** A body elected by a congress, as input. */
export type ElectedBodyInput = {
  /** Which body. */
  kind: ElectedBodyKind;
  /** Members elected (no more than the seats). */
  members?: InputMaybe<Array<BoardMemberInput>>;
  /** Number of seats (1-1000). */
  size: Scalars['Int']['input'];
};

/** Bodies elected by a members' congress. */
export type ElectedBodyKind =
  /** 理事会 */
  | 'COUNCIL'
  /** 执行委员会 (执委会) */
  | 'EXECUTIVE_COMMITTEE'
  /** 常务理事会 */
  | 'STANDING_COUNCIL'
  /** 监事会 (where elected by the congress) */
  | 'SUPERVISORY_BOARD';

/** Governance facts of a branch on a given date. */
export type Governance = {
  __typename?: 'Governance';
  /** The date these facts are read at. */
  asOf: Scalars['Date']['output'];
  /** The management system has been rationalized (理顺管理体制). */
  managementRationalized: Scalars['Boolean']['output'];
  /** When the management system was rationalized. */
  managementRationalizedOn?: Maybe<Scalars['Date']['output']>;
  /** A party group (党组) is established. */
  partyGroupEstablished: Scalars['Boolean']['output'];
  /** When the party group was established. */
  partyGroupEstablishedOn?: Maybe<Scalars['Date']['output']>;
  /** The supervisory board and its members, if established. */
  supervisoryBoard?: Maybe<SupervisoryBoard>;
  /** A supervisory board (监事会) is established. */
  supervisoryBoardEstablished: Scalars['Boolean']['output'];
  /** When the supervisory board was established. */
  supervisoryBoardEstablishedOn?: Maybe<Scalars['Date']['output']>;
};

/** Governance facts that can be recorded for a branch. */
export type GovernanceFact =
  /** 理顺管理体制 */
  | 'MANAGEMENT_RATIONALIZED'
  /** 党组 */
  | 'PARTY_GROUP'
  /** 监事会 */
  | 'SUPERVISORY_BOARD';

/** A position in a branch's leadership team (班子). */
export type LeadershipPosition = {
  __typename?: 'LeadershipPosition';
  /** Whether the post is full-time (专职). */
  fullTime: Scalars['Boolean']['output'];
  /** Who holds it. */
  name: Scalars['String']['output'];
  /** In office from. */
  since: Scalars['Date']['output'];
  /** The post. */
  title: LeadershipTitle;
  /** In office until (exclusive); null while in office. */
  until?: Maybe<Scalars['Date']['output']>;
};

/** A leadership position, as input. */
export type LeadershipPositionInput = {
  /** Whether the post is full-time (专职). */
  fullTime?: InputMaybe<Scalars['Boolean']['input']>;
  /** Who holds it. */
  name: Scalars['String']['input'];
  /** In office from. */
  since: Scalars['Date']['input'];
  /** The post. */
  title: LeadershipTitle;
  /** In office until (exclusive); after since. */
  until?: InputMaybe<Scalars['Date']['input']>;
};

/** Leadership titles. */
export type LeadershipTitle =
  /** 会长 */
  | 'CHAIR'
  /** 副秘书长 */
  | 'DEPUTY_SECRETARY_GENERAL'
  /** 常务副会长 */
  | 'EXECUTIVE_VICE_CHAIR'
  /** 名誉会长 */
  | 'HONORARY_CHAIR'
  /** 秘书长 */
  | 'SECRETARY_GENERAL'
  /** 副会长 */
  | 'VICE_CHAIR';

/** Changes to branches, governance, leadership and terms. All are audited. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Creates a branch under its parent. A duplicate division code is a CONFLICT. */
  createOrganization: Organization;
  /** Moves a branch (with its subtree) under another parent; the tree must stay a tree. */
  moveOrganization: Organization;
  /** Records a governance fact with its date. */
  recordGovernance: Organization;
  /** Records a completed term change (换届): the congress, the new term and the bodies it elected. */
  recordTermChange: Term;
  /** Replaces the leadership team's positions. */
  setLeadership: Organization;
  /** Updates a branch's own attributes. */
  updateOrganization: Organization;
};


/** Changes to branches, governance, leadership and terms. All are audited. */
export type MutationCreateOrganizationArgs = {
  input: CreateOrganizationInput;
};


/** Changes to branches, governance, leadership and terms. All are audited. */
export type MutationMoveOrganizationArgs = {
  id: Scalars['ID']['input'];
  parentId: Scalars['ID']['input'];
};


/** Changes to branches, governance, leadership and terms. All are audited. */
export type MutationRecordGovernanceArgs = {
  input: RecordGovernanceInput;
};


/** Changes to branches, governance, leadership and terms. All are audited. */
export type MutationRecordTermChangeArgs = {
  input: RecordTermChangeInput;
};


/** Changes to branches, governance, leadership and terms. All are audited. */
export type MutationSetLeadershipArgs = {
  organizationId: Scalars['ID']['input'];
  positions: Array<LeadershipPositionInput>;
};


/** Changes to branches, governance, leadership and terms. All are audited. */
export type MutationUpdateOrganizationArgs = {
  id: Scalars['ID']['input'];
  input: UpdateOrganizationInput;
};

/**
 * A Red Cross branch (红十字会): the national headquarters (总会), a provincial, prefecture or county
 * branch sitting on a GB/T 2260 administrative division, or a branch of a special system
 * (新疆生产建设兵团, 铁路系统) of provincial rank outside the administrative map.
 */
export type Organization = {
  __typename?: 'Organization';
  /** Branches above, from the national headquarters down to the parent. */
  ancestors: Array<Organization>;
  /** Branches directly below, in division-code order. */
  children: Array<Organization>;
  /** The term (届) in force on a date (default: today); null if no members' congress is recorded. */
  currentTerm?: Maybe<Term>;
  /** Every branch below this one (the whole subtree, not including itself), filtered and paginated. */
  descendants: OrganizationConnection;
  /** The date the branch was dissolved (撤销), if ever; dissolved branches stay for history. */
  dissolvedOn?: Maybe<Scalars['Date']['output']>;
  /** GB/T 2260 six-digit administrative division code (行政区划代码); null for special systems. */
  divisionCode?: Maybe<Scalars['String']['output']>;
  /** The division's own name, e.g. 西湖区. */
  divisionName: Scalars['String']['output'];
  /** Kind of division (地级市, 县级市, 市辖区, 县, 旗, 自治州, …); null for special systems. */
  divisionType?: Maybe<DivisionType>;
  /** The date the branch was established, where known. */
  establishedOn?: Maybe<Scalars['Date']['output']>;
  /** Governance facts (理顺管理体制, 党组, 监事会) in force on a date (default: today); null (with a FORBIDDEN error) outside the viewer's subtree. */
  governance?: Maybe<Governance>;
  /** Stable identifier; other subgraphs reference branches by it. */
  id: Scalars['ID']['output'];
  /** Regional branch, or a branch of a special system (行业/系统红十字会). */
  kind: OrganizationKind;
  /** The leadership team (班子) in office on a date (default: today). */
  leadership?: Maybe<Array<LeadershipPosition>>;
  /** Level in the tree (总会/省级/地市级/县级). */
  level: OrganizationLevel;
  /** Full name, e.g. 浙江省红十字会. */
  name: Scalars['String']['output'];
  /**
   * Changes this subgraph recorded (branches, governance, leadership, terms) for branches in this
   * branch's subtree, newest first. ADMINs of a subtree containing the branch only.
   */
  organizationsAudit?: Maybe<AuditConnection>;
  /** The branch directly above; null for the national headquarters. */
  parent?: Maybe<Organization>;
  /** Every recorded term, newest first. */
  terms?: Maybe<Array<Term>>;
};


/**
 * A Red Cross branch (红十字会): the national headquarters (总会), a provincial, prefecture or county
 * branch sitting on a GB/T 2260 administrative division, or a branch of a special system
 * (新疆生产建设兵团, 铁路系统) of provincial rank outside the administrative map.
 */
export type OrganizationCurrentTermArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};


/**
 * A Red Cross branch (红十字会): the national headquarters (总会), a provincial, prefecture or county
 * branch sitting on a GB/T 2260 administrative division, or a branch of a special system
 * (新疆生产建设兵团, 铁路系统) of provincial rank outside the administrative map.
 */
export type OrganizationDescendantsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrganizationFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会): the national headquarters (总会), a provincial, prefecture or county
 * branch sitting on a GB/T 2260 administrative division, or a branch of a special system
 * (新疆生产建设兵团, 铁路系统) of provincial rank outside the administrative map.
 */
export type OrganizationGovernanceArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};


/**
 * A Red Cross branch (红十字会): the national headquarters (总会), a provincial, prefecture or county
 * branch sitting on a GB/T 2260 administrative division, or a branch of a special system
 * (新疆生产建设兵团, 铁路系统) of provincial rank outside the administrative map.
 */
export type OrganizationLeadershipArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};


/**
 * A Red Cross branch (红十字会): the national headquarters (总会), a provincial, prefecture or county
 * branch sitting on a GB/T 2260 administrative division, or a branch of a special system
 * (新疆生产建设兵团, 铁路系统) of provincial rank outside the administrative map.
 */
export type OrganizationOrganizationsAuditArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of branches. */
export type OrganizationConnection = {
  __typename?: 'OrganizationConnection';
  /** The branches of this page. */
  nodes: Array<Organization>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many branches match in all (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/** Filters for lists of branches; all given conditions must hold. */
export type OrganizationFilter = {
  /** Only this division type. */
  divisionType?: InputMaybe<DivisionType>;
  /** Only these division types (e.g. PREFECTURE_CITY and COUNTY_CITY for coverage). */
  divisionTypes?: InputMaybe<Array<DivisionType>>;
  /** Include dissolved branches (default false). */
  includeDissolved?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only regional or only special-system branches. */
  kind?: InputMaybe<OrganizationKind>;
  /** Only this level. */
  level?: InputMaybe<OrganizationLevel>;
  /** Only these levels. */
  levels?: InputMaybe<Array<OrganizationLevel>>;
  /** Management system rationalized today (true) or not (false). */
  managementRationalized?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only direct children of this branch. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
  /** Party group established today (true) or not (false). */
  partyGroupEstablished?: InputMaybe<Scalars['Boolean']['input']>;
  /** Name contains this text. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Supervisory board established today (true) or not (false). */
  supervisoryBoardEstablished?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only branches in the subtree of this branch (not including it). */
  within?: InputMaybe<Scalars['ID']['input']>;
};

/** Whether a branch sits on the administrative map or belongs to a special system. */
export type OrganizationKind =
  /** A branch of an administrative division. */
  | 'REGIONAL'
  /** A special-system branch (新疆生产建设兵团红十字会, 铁路系统红十字会). */
  | 'SPECIAL_SYSTEM';

/** Level of a branch in the tree. */
export type OrganizationLevel =
  /** 县级: districts, counties, county-level cities, banners. */
  | 'COUNTY'
  /** 中国红十字会总会, the national headquarters. */
  | 'NATIONAL'
  /** 地市级: prefecture-level cities, prefectures, autonomous prefectures, leagues. */
  | 'PREFECTURE'
  /** 省级: provinces, autonomous regions, municipalities, and special systems of provincial rank. */
  | 'PROVINCIAL';

/** Cursor pagination: pass endCursor as `after` for the next page. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` to get the next page; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether another page follows. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** Queries of the organizations subgraph. */
export type Query = {
  __typename?: 'Query';
  /**
   * The whole branch tree in one answer, for the directory clients of other subgraphs (internal,
   * hidden from the public API: about 3,400 small entries).
   */
  branchDirectory: Array<BranchDirectoryEntry>;
  /** One branch, by id or by division code (exactly one of the two). */
  organization?: Maybe<Organization>;
  /** Branches, filtered, in division-code order; at most 100 per page. */
  organizations: OrganizationConnection;
  /** Term changes completed (已换届) in a year: congresses that opened a second or later term. */
  termChangesCompleted: TermConnection;
  /**
   * Branches due for a term change (应换届) in a year: the term in force on 1 January was due by
   * 31 December of that year. Branches with no recorded congress are not counted.
   */
  termChangesDue: TermConnection;
};


/** Queries of the organizations subgraph. */
export type QueryOrganizationArgs = {
  divisionCode?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};


/** Queries of the organizations subgraph. */
export type QueryOrganizationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrganizationFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Queries of the organizations subgraph. */
export type QueryTermChangesCompletedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  level?: InputMaybe<OrganizationLevel>;
  within?: InputMaybe<Scalars['ID']['input']>;
  year: Scalars['Int']['input'];
};


/** Queries of the organizations subgraph. */
export type QueryTermChangesDueArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  level?: InputMaybe<OrganizationLevel>;
  within?: InputMaybe<Scalars['ID']['input']>;
  year: Scalars['Int']['input'];
};

/** Records that a governance fact began on a date (and, optionally, ended). */
export type RecordGovernanceInput = {
  /** Which fact. */
  fact: GovernanceFact;
  /** Supervisory board members (only with SUPERVISORY_BOARD). */
  members?: InputMaybe<Array<BoardMemberInput>>;
  /** The branch. */
  organizationId: Scalars['ID']['input'];
  /** The date it began. */
  since: Scalars['Date']['input'];
  /** The date it ended, if it has (after since). */
  until?: InputMaybe<Scalars['Date']['input']>;
};

/** A members' congress that opened a new term. */
export type RecordTermChangeInput = {
  /** The bodies the congress elected. */
  bodies?: InputMaybe<Array<ElectedBodyInput>>;
  /** Date of the members' congress; after the previous one. */
  congressDate: Scalars['Date']['input'];
  /** Term length in years (1-10, normally 5). */
  lengthYears?: InputMaybe<Scalars['Int']['input']>;
  /** The branch. */
  organizationId: Scalars['ID']['input'];
};

/** A branch's supervisory board (监事会). */
export type SupervisoryBoard = {
  __typename?: 'SupervisoryBoard';
  /** When the board was established. */
  establishedOn: Scalars['Date']['output'];
  /** Its members. */
  members: Array<BoardMember>;
};

/**
 * Annex 1 (附件1 组织体系建设工作情况调查表) for a branch's whole subtree on a date. Several subgraphs
 * fill it in together; this one answers the governance indicators 1-7.
 */
export type Survey = {
  __typename?: 'Survey';
  /** The date the values are read at. */
  asOf: Scalars['Date']['output'];
  /** 3. County branches due for a term change (应换届) in the year of asOf. */
  countiesDueForTermChange: Scalars['Int']['output'];
  /** 1. County branches whose management system is rationalized (理顺管理体制的县级红十字会). */
  countiesRationalized: Scalars['Int']['output'];
  /** 5. County branches with a party group (党组). */
  countiesWithPartyGroup: Scalars['Int']['output'];
  /** 7. County branches with a supervisory board (监事会). */
  countiesWithSupervisoryBoard: Scalars['Int']['output'];
  /** The branch whose subtree the table covers. */
  organizationId: Scalars['ID']['output'];
  /** 2. Prefecture branches due for a term change (应换届) in the year of asOf. */
  prefecturesDueForTermChange: Scalars['Int']['output'];
  /** 4. Prefecture branches with a party group (党组). */
  prefecturesWithPartyGroup: Scalars['Int']['output'];
  /** 6. Prefecture branches with a supervisory board (监事会). */
  prefecturesWithSupervisoryBoard: Scalars['Int']['output'];
};

/**
 * A term (届) of a branch: opened by a members' congress (会员代表大会) that elects the council
 * (理事会), standing council (常务理事会) and executive committee (执委会); normally five years.
 */
export type Term = {
  __typename?: 'Term';
  /** The bodies the congress elected. */
  bodies: Array<ElectedBody>;
  /** Date of the members' congress that opened the term. */
  congressDate: Scalars['Date']['output'];
  /** When the next term change is due (congress date plus the term length). */
  dueDate: Scalars['Date']['output'];
  /** When the term ended, i.e. the next congress's date; null while in force. */
  endedOn?: Maybe<Scalars['Date']['output']>;
  /** Identifier of the term. */
  id: Scalars['ID']['output'];
  /** Planned length in years. */
  lengthYears: Scalars['Int']['output'];
  /** Ordinal number of the term (第N届). */
  number: Scalars['Int']['output'];
  /** The branch. */
  organization: Organization;
  /** In force past its due date with no new congress (on the date it was read at). */
  overdue: Scalars['Boolean']['output'];
};

/** A page of terms. */
export type TermConnection = {
  __typename?: 'TermConnection';
  /** The terms of this page. */
  nodes: Array<Term>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many terms match in all. */
  totalCount: Scalars['Int']['output'];
};

/** Changes to a branch's own attributes (the parent changes with moveOrganization). */
export type UpdateOrganizationInput = {
  /** Dissolves the branch (撤销) on this date; it must have no active branches under it. It stays for history. */
  dissolvedOn?: InputMaybe<Scalars['Date']['input']>;
  /** New GB/T 2260 code (unique); null removes it. */
  divisionCode?: InputMaybe<Scalars['String']['input']>;
  /** New division name. */
  divisionName?: InputMaybe<Scalars['String']['input']>;
  /** New division type. */
  divisionType?: InputMaybe<DivisionType>;
  /** When the branch was established. */
  establishedOn?: InputMaybe<Scalars['Date']['input']>;
  /** New full name (1-100 characters). */
  name?: InputMaybe<Scalars['String']['input']>;
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
  Organization: Organization;
  Survey: Survey;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  AnnualIncrease:
    ( { __typename: 'AnnualIncrease' }
    & GraphQLRecursivePick<FederationTypes['AnnualIncrease'], {"organizationId":true,"year":true}> );
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  Survey:
    ( { __typename: 'Survey' }
    & GraphQLRecursivePick<FederationTypes['Survey'], {"organizationId":true,"asOf":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AnnualIncrease: ResolverTypeWrapper<AnnualIncrease>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuditConnection: ResolverTypeWrapper<AuditPage>;
  AuditEntry: ResolverTypeWrapper<AuditEntryDoc>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  BoardMember: ResolverTypeWrapper<BoardMember>;
  BoardMemberInput: BoardMemberInput;
  BranchDirectoryEntry: ResolverTypeWrapper<BranchDirectoryEntry>;
  CreateOrganizationInput: CreateOrganizationInput;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DivisionType: DivisionType;
  ElectedBody: ResolverTypeWrapper<ElectedBody>;
  ElectedBodyInput: ElectedBodyInput;
  ElectedBodyKind: ElectedBodyKind;
  Governance: ResolverTypeWrapper<Governance>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  GovernanceFact: GovernanceFact;
  LeadershipPosition: ResolverTypeWrapper<LeadershipPosition>;
  LeadershipPositionInput: LeadershipPositionInput;
  LeadershipTitle: LeadershipTitle;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Organization: ResolverTypeWrapper<OrganizationDoc>;
  OrganizationConnection: ResolverTypeWrapper<OrganizationPage>;
  OrganizationFilter: OrganizationFilter;
  OrganizationKind: OrganizationKind;
  OrganizationLevel: OrganizationLevel;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordGovernanceInput: RecordGovernanceInput;
  RecordTermChangeInput: RecordTermChangeInput;
  SupervisoryBoard: ResolverTypeWrapper<SupervisoryBoard>;
  Survey: ResolverTypeWrapper<Survey>;
  Term: ResolverTypeWrapper<TermView>;
  TermConnection: ResolverTypeWrapper<TermPage>;
  UpdateOrganizationInput: UpdateOrganizationInput;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AnnualIncrease: AnnualIncrease | FederationReferenceTypes['AnnualIncrease'];
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  AuditConnection: AuditPage;
  AuditEntry: AuditEntryDoc;
  String: Scalars['String']['output'];
  BoardMember: BoardMember;
  BoardMemberInput: BoardMemberInput;
  BranchDirectoryEntry: BranchDirectoryEntry;
  CreateOrganizationInput: CreateOrganizationInput;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  ElectedBody: ElectedBody;
  ElectedBodyInput: ElectedBodyInput;
  Governance: Governance;
  Boolean: Scalars['Boolean']['output'];
  LeadershipPosition: LeadershipPosition;
  LeadershipPositionInput: LeadershipPositionInput;
  Mutation: Record<PropertyKey, never>;
  Organization: OrganizationDoc;
  OrganizationConnection: OrganizationPage;
  OrganizationFilter: OrganizationFilter;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RecordGovernanceInput: RecordGovernanceInput;
  RecordTermChangeInput: RecordTermChangeInput;
  SupervisoryBoard: SupervisoryBoard;
  Survey: Survey | FederationReferenceTypes['Survey'];
  Term: TermView;
  TermConnection: TermPage;
  UpdateOrganizationInput: UpdateOrganizationInput;
};

export type AnnualIncreaseResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AnnualIncrease'] = ResolversParentTypes['AnnualIncrease'], FederationReferenceType extends FederationReferenceTypes['AnnualIncrease'] = FederationReferenceTypes['AnnualIncrease']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AnnualIncrease']> | FederationReferenceType, FederationReferenceType, ContextType>;
  countiesCompletedTermChange?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  countiesRationalized?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  countiesWithPartyGroup?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  countiesWithSupervisoryBoard?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prefecturesCompletedTermChange?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  prefecturesWithPartyGroup?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  prefecturesWithSupervisoryBoard?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AuditConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuditConnection'] = ResolversParentTypes['AuditConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['AuditEntry']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AuditEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuditEntry'] = ResolversParentTypes['AuditEntry']> = {
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  actorOrganizationId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  actorRoles?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  after?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  before?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  entityId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  requestId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  service?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BoardMemberResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BoardMember'] = ResolversParentTypes['BoardMember']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BranchDirectoryEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BranchDirectoryEntry'] = ResolversParentTypes['BranchDirectoryEntry']> = {
  ancestorIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  dissolvedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  divisionCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  divisionType?: Resolver<Maybe<ResolversTypes['DivisionType']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['OrganizationKind'], ParentType, ContextType>;
  level?: Resolver<ResolversTypes['OrganizationLevel'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parentId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ElectedBodyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ElectedBody'] = ResolversParentTypes['ElectedBody']> = {
  kind?: Resolver<ResolversTypes['ElectedBodyKind'], ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['BoardMember']>, ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type GovernanceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Governance'] = ResolversParentTypes['Governance']> = {
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  managementRationalized?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  managementRationalizedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  partyGroupEstablished?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  partyGroupEstablishedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  supervisoryBoard?: Resolver<Maybe<ResolversTypes['SupervisoryBoard']>, ParentType, ContextType>;
  supervisoryBoardEstablished?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  supervisoryBoardEstablishedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
};

export type LeadershipPositionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LeadershipPosition'] = ResolversParentTypes['LeadershipPosition']> = {
  fullTime?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['LeadershipTitle'], ParentType, ContextType>;
  until?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createOrganization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, RequireFields<MutationCreateOrganizationArgs, 'input'>>;
  moveOrganization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, RequireFields<MutationMoveOrganizationArgs, 'id' | 'parentId'>>;
  recordGovernance?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, RequireFields<MutationRecordGovernanceArgs, 'input'>>;
  recordTermChange?: Resolver<ResolversTypes['Term'], ParentType, ContextType, RequireFields<MutationRecordTermChangeArgs, 'input'>>;
  setLeadership?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, RequireFields<MutationSetLeadershipArgs, 'organizationId' | 'positions'>>;
  updateOrganization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, RequireFields<MutationUpdateOrganizationArgs, 'id' | 'input'>>;
};

export type OrganizationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  ancestors?: Resolver<Array<ResolversTypes['Organization']>, ParentType, ContextType>;
  children?: Resolver<Array<ResolversTypes['Organization']>, ParentType, ContextType>;
  currentTerm?: Resolver<Maybe<ResolversTypes['Term']>, ParentType, ContextType, Partial<OrganizationCurrentTermArgs>>;
  descendants?: Resolver<ResolversTypes['OrganizationConnection'], ParentType, ContextType, Partial<OrganizationDescendantsArgs>>;
  dissolvedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  divisionCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  divisionName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  divisionType?: Resolver<Maybe<ResolversTypes['DivisionType']>, ParentType, ContextType>;
  establishedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  governance?: Resolver<Maybe<ResolversTypes['Governance']>, ParentType, ContextType, Partial<OrganizationGovernanceArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['OrganizationKind'], ParentType, ContextType>;
  leadership?: Resolver<Maybe<Array<ResolversTypes['LeadershipPosition']>>, ParentType, ContextType, Partial<OrganizationLeadershipArgs>>;
  level?: Resolver<ResolversTypes['OrganizationLevel'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organizationsAudit?: Resolver<Maybe<ResolversTypes['AuditConnection']>, ParentType, ContextType, Partial<OrganizationOrganizationsAuditArgs>>;
  parent?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType>;
  terms?: Resolver<Maybe<Array<ResolversTypes['Term']>>, ParentType, ContextType>;
};

export type OrganizationConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrganizationConnection'] = ResolversParentTypes['OrganizationConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Organization']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  branchDirectory?: Resolver<Array<ResolversTypes['BranchDirectoryEntry']>, ParentType, ContextType>;
  organization?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType, Partial<QueryOrganizationArgs>>;
  organizations?: Resolver<ResolversTypes['OrganizationConnection'], ParentType, ContextType, Partial<QueryOrganizationsArgs>>;
  termChangesCompleted?: Resolver<ResolversTypes['TermConnection'], ParentType, ContextType, RequireFields<QueryTermChangesCompletedArgs, 'year'>>;
  termChangesDue?: Resolver<ResolversTypes['TermConnection'], ParentType, ContextType, RequireFields<QueryTermChangesDueArgs, 'year'>>;
};

export type SupervisoryBoardResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SupervisoryBoard'] = ResolversParentTypes['SupervisoryBoard']> = {
  establishedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['BoardMember']>, ParentType, ContextType>;
};

export type SurveyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Survey'] = ResolversParentTypes['Survey'], FederationReferenceType extends FederationReferenceTypes['Survey'] = FederationReferenceTypes['Survey']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Survey']> | FederationReferenceType, FederationReferenceType, ContextType>;
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  countiesDueForTermChange?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  countiesRationalized?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  countiesWithPartyGroup?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  countiesWithSupervisoryBoard?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prefecturesDueForTermChange?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  prefecturesWithPartyGroup?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  prefecturesWithSupervisoryBoard?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TermResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Term'] = ResolversParentTypes['Term']> = {
  bodies?: Resolver<Array<ResolversTypes['ElectedBody']>, ParentType, ContextType>;
  congressDate?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  dueDate?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  endedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lengthYears?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  overdue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type TermConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TermConnection'] = ResolversParentTypes['TermConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Term']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  AnnualIncrease?: AnnualIncreaseResolvers<ContextType>;
  AuditConnection?: AuditConnectionResolvers<ContextType>;
  AuditEntry?: AuditEntryResolvers<ContextType>;
  BoardMember?: BoardMemberResolvers<ContextType>;
  BranchDirectoryEntry?: BranchDirectoryEntryResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  ElectedBody?: ElectedBodyResolvers<ContextType>;
  Governance?: GovernanceResolvers<ContextType>;
  LeadershipPosition?: LeadershipPositionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  OrganizationConnection?: OrganizationConnectionResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SupervisoryBoard?: SupervisoryBoardResolvers<ContextType>;
  Survey?: SurveyResolvers<ContextType>;
  Term?: TermResolvers<ContextType>;
  TermConnection?: TermConnectionResolvers<ContextType>;
};

