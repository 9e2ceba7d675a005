import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrganizationRef, GrassrootsUnitDoc, LeaderDoc, AssessmentDoc, MedicalInstitutionDoc, BoaiHomeDoc, GrassrootsUnitPage, BoaiHomePage, MedicalInstitutionPage, AuditPage } from '../models';
import type { AuditEntryDoc } from '@rcsc/service-kit';
import type { Context } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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
 * during the year. This subgraph answers row 8.
 */
export type AnnualIncrease = {
  __typename?: 'AnnualIncrease';
  /** 8. Increase of grassroots units (红十字会基层组织增加数): the count on 31 December minus the count a year before. */
  grassrootsUnits: Scalars['Int']['output'];
  /** The branch whose subtree the table covers. */
  organizationId: Scalars['ID']['output'];
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

/**
 * A Boai home (博爱家园): a community service centre of the Red Cross in an urban or rural
 * community. It covers the cities above it from the day it opens until the day it closes.
 */
export type BoaiHome = {
  __typename?: 'BoaiHome';
  /** The date it closed, if ever; closed homes stay for history. */
  closedOn?: Maybe<Scalars['Date']['output']>;
  /** Why it closed, where recorded. */
  closedReason?: Maybe<Scalars['String']['output']>;
  /** The community or village it serves. */
  community: Scalars['String']['output'];
  /** Designated a demonstration site (示范点). */
  demonstration: Scalars['Boolean']['output'];
  /** When it was designated a demonstration site; null if it is not one. */
  demonstrationDesignatedOn?: Maybe<Scalars['Date']['output']>;
  /** The facility it is embedded in, or standalone. */
  embeddedIn: BoaiHomeEmbedding;
  /** Stable identifier. */
  id: Scalars['ID']['output'];
  /** Full name, e.g. 北山街道宝石社区博爱家园. */
  name: Scalars['String']['output'];
  /** Open on a date (default: today). */
  open: Scalars['Boolean']['output'];
  /** The date it opened; it covers its cities from this day. */
  openedOn: Scalars['Date']['output'];
  /** The branch it belongs to. */
  organization: Organization;
  /** Services it offers. */
  services: Array<BoaiHomeService>;
  /** Urban or rural community. */
  setting: BoaiHomeSetting;
  /** The township or street it sits in, where known. */
  township?: Maybe<Township>;
};


/**
 * A Boai home (博爱家园): a community service centre of the Red Cross in an urban or rural
 * community. It covers the cities above it from the day it opens until the day it closes.
 */
export type BoaiHomeOpenArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};

/** A page of Boai homes. */
export type BoaiHomeConnection = {
  __typename?: 'BoaiHomeConnection';
  /** The homes on this page. */
  nodes: Array<BoaiHome>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many homes match in all (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/** Boai home coverage of the cities in a subtree on a date. */
export type BoaiHomeCoverage = {
  __typename?: 'BoaiHomeCoverage';
  /** The date coverage is read at. */
  asOf: Scalars['Date']['output'];
  /** County-level cities (县级市): the target is basic coverage (基本覆盖). */
  countyCities: CityCoverage;
  /** Prefecture-level cities (地级市): the target is full coverage (全覆盖). */
  prefectureCities: CityCoverage;
};

/** Where a Boai home is embedded (seed, task 6). */
export type BoaiHomeEmbedding =
  /** 新时代文明实践中心（站、所） */
  | 'CIVILIZATION_PRACTICE_CENTER'
  /** 社区其它公共服务设施 */
  | 'OTHER_PUBLIC_FACILITY'
  /** 党群服务中心 */
  | 'PARTY_SERVICE_CENTER'
  /** A Red Cross service site of its own (独立阵地). */
  | 'STANDALONE';

/** Filters for lists of Boai homes; all given conditions must hold. */
export type BoaiHomeFilter = {
  /** Only demonstration sites (true) or only the others (false). */
  demonstration?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only homes embedded in this kind of facility. */
  embeddedIn?: InputMaybe<BoaiHomeEmbedding>;
  /** Include closed homes (default false). */
  includeClosed?: InputMaybe<Scalars['Boolean']['input']>;
  /** Name contains this text. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Only urban or only rural homes. */
  setting?: InputMaybe<BoaiHomeSetting>;
  /** Only homes in the subtree of this branch (the branch included). */
  within?: InputMaybe<Scalars['ID']['input']>;
};

/** Services a Boai home offers. */
export type BoaiHomeService =
  /** 关爱儿童 */
  | 'CHILD_CARE'
  /** 防灾减灾 */
  | 'DISASTER_PREPAREDNESS'
  /** 无偿献血、造血干细胞、遗体和人体器官捐献宣传 */
  | 'DONATION_PROMOTION'
  /** 养老助老 */
  | 'ELDERLY_CARE'
  /** 应急救护培训 */
  | 'FIRST_AID_TRAINING'
  /** 健康促进 */
  | 'HEALTH_PROMOTION'
  /** 人道救助 */
  | 'HUMANITARIAN_RELIEF'
  /** 生计发展 */
  | 'LIVELIHOOD'
  /** 志愿服务 */
  | 'VOLUNTEER_SERVICE';

/** Urban or rural (城市社区 / 农村社区). */
export type BoaiHomeSetting =
  /** 农村社区: a rural community (village). */
  | 'RURAL'
  /** 城市社区: an urban community. */
  | 'URBAN';

/** Coverage of one kind of city. */
export type CityCoverage = {
  __typename?: 'CityCoverage';
  /** Cities with at least one open Boai home in their subtree on the date. */
  covered: Scalars['Int']['output'];
  /** Cities of this kind in the subtree (by the division type the organizations subgraph gives). */
  total: Scalars['Int']['output'];
  /** The cities not covered, in division-code order. */
  uncovered: Array<Organization>;
};

/** Closing a Boai home. */
export type CloseBoaiHomeInput = {
  /** The date: after it opened and after any designation, not in the future. */
  closedOn: Scalars['Date']['input'];
  /** Why, up to 200 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

/** Dissolving a grassroots unit (撤销). */
export type DissolveGrassrootsUnitInput = {
  /** The date: after it was established and last assessed, not in the future. */
  dissolvedOn: Scalars['Date']['input'];
  /** Why, up to 200 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

/**
 * One assessment against the five-point standard (\"五有\"): a committed leader, a stable member and
 * volunteer team, management rules, a stable service platform and Red Cross activities.
 */
export type FiveHasAssessment = {
  __typename?: 'FiveHasAssessment';
  /** 有红十字特色的活动 */
  activities: FiveHasItem;
  /** Who assessed (a person or a branch), where recorded. */
  assessedBy?: Maybe<Scalars['String']['output']>;
  /** The date of the assessment. */
  assessedOn: Scalars['Date']['output'];
  /** 有热心红十字事业的带头人 */
  leader: FiveHasItem;
  /** All five points met. */
  meetsAll: Scalars['Boolean']['output'];
  /** 有稳固的服务平台 */
  platform: FiveHasItem;
  /** 有规范的管理制度 */
  rules: FiveHasItem;
  /** 有稳定的会员和志愿者队伍 */
  team: FiveHasItem;
};

/** A five-point assessment ("五有"). */
export type FiveHasAssessmentInput = {
  /** 有红十字特色的活动 */
  activities: FiveHasItemInput;
  /** Who assessed (a person or a branch). */
  assessedBy?: InputMaybe<Scalars['String']['input']>;
  /** The date of the assessment: while the unit is active, not in the future. */
  assessedOn: Scalars['Date']['input'];
  /** 有热心红十字事业的带头人 */
  leader: FiveHasItemInput;
  /** 有稳固的服务平台 */
  platform: FiveHasItemInput;
  /** 有规范的管理制度 */
  rules: FiveHasItemInput;
  /** 有稳定的会员和志愿者队伍 */
  team: FiveHasItemInput;
};

/** One point of the five-point standard. */
export type FiveHasItem = {
  __typename?: 'FiveHasItem';
  /** Evidence notes (佐证材料). */
  evidence?: Maybe<Scalars['String']['output']>;
  /** The point is met. */
  met: Scalars['Boolean']['output'];
};

/** One point of an assessment. */
export type FiveHasItemInput = {
  /** Evidence notes (佐证材料), up to 500 characters. */
  evidence?: InputMaybe<Scalars['String']['input']>;
  /** The point is met. */
  met: Scalars['Boolean']['input'];
};

/**
 * A grassroots unit of the Red Cross (红十字会基层组织) in a township, street, community, school,
 * medical institution, enterprise or public institution. It belongs to a branch (usually a county
 * branch, sometimes a higher one) and counts in the grassroots indicator (annex 1, row 8) from the
 * day it was established until the day it was dissolved.
 */
export type GrassrootsUnit = {
  __typename?: 'GrassrootsUnit';
  /** Active (established and not dissolved) on a date (default: today). */
  active: Scalars['Boolean']['output'];
  /** Every five-point assessment, newest first. */
  assessments: Array<FiveHasAssessment>;
  /** The community or village (社区 / 村) it sits in, where known. */
  community?: Maybe<Scalars['String']['output']>;
  /** The date it was dissolved (撤销), if ever; dissolved units stay for history. */
  dissolvedOn?: Maybe<Scalars['Date']['output']>;
  /** Why it was dissolved, where recorded. */
  dissolvedReason?: Maybe<Scalars['String']['output']>;
  /** The date it was established (成立); it counts from this day. */
  establishedOn: Scalars['Date']['output'];
  /** Stable identifier. */
  id: Scalars['ID']['output'];
  /** The latest five-point assessment, if any. */
  latestAssessment?: Maybe<FiveHasAssessment>;
  /** The unit's leader (带头人), where recorded. */
  leader?: Maybe<UnitLeader>;
  /** The medical institution the unit is set up in (only for HOSPITAL units, where recorded). */
  medicalInstitution?: Maybe<MedicalInstitution>;
  /** Whether the latest five-point assessment found all five points met ("五有"); false if never assessed. */
  meetsFiveHas: Scalars['Boolean']['output'];
  /** Full name, e.g. 西湖区北山街道红十字会. */
  name: Scalars['String']['output'];
  /** The branch the unit belongs to. */
  organization: Organization;
  /** Emergency equipment and the school clinic (only for SCHOOL units). */
  school?: Maybe<SchoolEquipment>;
  /** The township or street it sits in, where known. */
  township?: Maybe<Township>;
  /** Where the unit is set up. */
  type: GrassrootsUnitType;
};


/**
 * A grassroots unit of the Red Cross (红十字会基层组织) in a township, street, community, school,
 * medical institution, enterprise or public institution. It belongs to a branch (usually a county
 * branch, sometimes a higher one) and counts in the grassroots indicator (annex 1, row 8) from the
 * day it was established until the day it was dissolved.
 */
export type GrassrootsUnitActiveArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};

/** A page of grassroots units. */
export type GrassrootsUnitConnection = {
  __typename?: 'GrassrootsUnitConnection';
  /** The units on this page. */
  nodes: Array<GrassrootsUnit>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many units match in all (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/** Filters for lists of grassroots units; all given conditions must hold. */
export type GrassrootsUnitFilter = {
  /** Include dissolved units (default false). */
  includeDissolved?: InputMaybe<Scalars['Boolean']['input']>;
  /** Latest five-point assessment met all five points (true) or not, or never assessed (false). */
  meetsFiveHas?: InputMaybe<Scalars['Boolean']['input']>;
  /** Name contains this text. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Only units in this township (nine-digit code). */
  townshipCode?: InputMaybe<Scalars['String']['input']>;
  /** Only units of this type. */
  type?: InputMaybe<GrassrootsUnitType>;
  /** Only units of one of these types. */
  types?: InputMaybe<Array<GrassrootsUnitType>>;
  /** Only units in the subtree of this branch (the branch included). */
  within?: InputMaybe<Scalars['ID']['input']>;
};

/** Where a grassroots unit is set up (seed, task 5: 乡镇、街道、社区、学校、医院、企事业单位). */
export type GrassrootsUnitType =
  /** 社区 / 村: an urban community or a village. */
  | 'COMMUNITY'
  /** 企业: an enterprise. */
  | 'ENTERPRISE'
  /** 医院 / 医疗机构: a hospital or other medical institution. */
  | 'HOSPITAL'
  /** 其他 */
  | 'OTHER'
  /** 事业单位: a public institution. */
  | 'PUBLIC_INSTITUTION'
  /** 学校: a school, college or university. */
  | 'SCHOOL'
  /** 街道: an urban street (sub-district). */
  | 'STREET'
  /** 乡镇: a township or town. */
  | 'TOWNSHIP';

/**
 * A medical institution (医疗机构) in a branch's area. Institutions named after the Red Cross
 * (冠名红十字（会）医疗机构) must each have a grassroots unit (seed, task 10).
 */
export type MedicalInstitution = {
  __typename?: 'MedicalInstitution';
  /** Its active grassroots unit, if it has one. */
  grassrootsUnit?: Maybe<GrassrootsUnit>;
  /** Stable identifier. */
  id: Scalars['ID']['output'];
  /** Full name, e.g. 杭州市西湖区人民医院. */
  name: Scalars['String']['output'];
  /** The branch whose area it is in. */
  organization: Organization;
  /** Named after the Red Cross (冠名). */
  redCrossNamed: Scalars['Boolean']['output'];
  /** The township or street it sits in, where known. */
  township?: Maybe<Township>;
};

/** A page of medical institutions. */
export type MedicalInstitutionConnection = {
  __typename?: 'MedicalInstitutionConnection';
  /** The institutions on this page. */
  nodes: Array<MedicalInstitution>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many institutions match in all (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/** Filters for lists of medical institutions; all given conditions must hold. */
export type MedicalInstitutionFilter = {
  /** With an active grassroots unit (true) or without (false). */
  hasUnit?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only Red Cross-named institutions (true) or only the others (false). */
  redCrossNamed?: InputMaybe<Scalars['Boolean']['input']>;
  /** Name contains this text. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Only institutions in the subtree of this branch (the branch included). */
  within?: InputMaybe<Scalars['ID']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Records a five-point assessment; meetsFiveHas follows the latest one (ADMIN or STAFF of the subtree; audited). */
  assessGrassrootsUnit: GrassrootsUnit;
  /** Closes a home on a date (it stays for history; ADMIN or STAFF of the subtree; audited). */
  closeBoaiHome: BoaiHome;
  /**
   * Designates an urban home a demonstration site (城市社区博爱家园示范点) on a date (ADMIN or STAFF
   * of the subtree; audited).
   */
  designateDemonstrationSite: BoaiHome;
  /**
   * Dissolves a unit on a date (it stays for history); its medical institution is left without a
   * unit (ADMIN or STAFF of the subtree; audited).
   */
  dissolveGrassrootsUnit: GrassrootsUnit;
  /** Opens a Boai home under a branch (ADMIN or STAFF of a subtree containing the branch; audited). */
  openBoaiHome: BoaiHome;
  /**
   * Registers a grassroots unit under a branch. An unknown branch is NOT_FOUND; a HOSPITAL unit
   * for an institution that already has an active unit is a CONFLICT. Like every mutation here:
   * ADMIN or STAFF of a subtree containing the branch (else FORBIDDEN), and audited.
   */
  registerGrassrootsUnit: GrassrootsUnit;
  /** Registers a medical institution in a branch's area (ADMIN or STAFF of a subtree containing the branch; audited). */
  registerMedicalInstitution: MedicalInstitution;
  /** Updates a home's own attributes (ADMIN or STAFF of a subtree containing its branch; audited). */
  updateBoaiHome: BoaiHome;
  /** Updates a unit's own attributes (ADMIN or STAFF of a subtree containing its branch; audited). */
  updateGrassrootsUnit: GrassrootsUnit;
  /** Updates a medical institution (ADMIN or STAFF of a subtree containing its branch; audited). */
  updateMedicalInstitution: MedicalInstitution;
};


export type MutationAssessGrassrootsUnitArgs = {
  id: Scalars['ID']['input'];
  input: FiveHasAssessmentInput;
};


export type MutationCloseBoaiHomeArgs = {
  id: Scalars['ID']['input'];
  input: CloseBoaiHomeInput;
};


export type MutationDesignateDemonstrationSiteArgs = {
  designatedOn: Scalars['Date']['input'];
  id: Scalars['ID']['input'];
};


export type MutationDissolveGrassrootsUnitArgs = {
  id: Scalars['ID']['input'];
  input: DissolveGrassrootsUnitInput;
};


export type MutationOpenBoaiHomeArgs = {
  input: OpenBoaiHomeInput;
};


export type MutationRegisterGrassrootsUnitArgs = {
  input: RegisterGrassrootsUnitInput;
};


export type MutationRegisterMedicalInstitutionArgs = {
  input: RegisterMedicalInstitutionInput;
};


export type MutationUpdateBoaiHomeArgs = {
  id: Scalars['ID']['input'];
  input: UpdateBoaiHomeInput;
};


export type MutationUpdateGrassrootsUnitArgs = {
  id: Scalars['ID']['input'];
  input: UpdateGrassrootsUnitInput;
};


export type MutationUpdateMedicalInstitutionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateMedicalInstitutionInput;
};

/** A new Boai home. */
export type OpenBoaiHomeInput = {
  /** The community or village it serves. */
  community: Scalars['String']['input'];
  /** The facility it is embedded in. */
  embeddedIn?: InputMaybe<BoaiHomeEmbedding>;
  /** Full name, 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** The date it opened; not in the future. */
  openedOn: Scalars['Date']['input'];
  /** The branch it belongs to. */
  organizationId: Scalars['ID']['input'];
  /** Services it offers, each at most once. */
  services?: InputMaybe<Array<BoaiHomeService>>;
  /** Urban or rural community. */
  setting: BoaiHomeSetting;
  /** Nine-digit township code in the branch's division. */
  townshipCode?: InputMaybe<Scalars['String']['input']>;
};

/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it
 * knows about the branch's whole subtree (the branch itself included): grassroots units, Boai
 * homes, their coverage of cities, and the compliance list of Red Cross-named medical institutions.
 */
export type Organization = {
  __typename?: 'Organization';
  /**
   * How many prefecture-level cities (地级市) and county-level cities (县级市) in the subtree have at
   * least one open Boai home on a date (default: today), and which do not (全覆盖 / 基本覆盖).
   * Null with a FORBIDDEN error unless the branch lies in the viewer's subtree (the rest of the
   * answer stands).
   */
  boaiHomeCoverage?: Maybe<BoaiHomeCoverage>;
  /** Boai homes (博爱家园) in the branch's whole subtree and the viewer's, in name order; open ones unless the filter says otherwise. */
  boaiHomes?: Maybe<BoaiHomeConnection>;
  /**
   * Changes this subgraph recorded (grassroots units, medical institutions, Boai homes) for records
   * in this branch's subtree, newest first. ADMINs of a subtree containing the branch only.
   */
  grassrootsAudit?: Maybe<AuditConnection>;
  /** Grassroots units (基层组织) in the branch's whole subtree and the viewer's, in name order; active ones unless the filter says otherwise. */
  grassrootsUnits?: Maybe<GrassrootsUnitConnection>;
  /** Stable identifier of the branch (owned by the organizations subgraph). */
  id: Scalars['ID']['output'];
  /** Medical institutions (医疗机构) in the branch's whole subtree and the viewer's, in name order. */
  medicalInstitutions?: Maybe<MedicalInstitutionConnection>;
  /**
   * The compliance list: Red Cross-named medical institutions (冠名红十字医疗机构) in the subtree that
   * have no active grassroots unit (every one must have one); only those in the viewer's subtree.
   */
  namedMedicalInstitutionsWithoutUnit?: Maybe<MedicalInstitutionConnection>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it
 * knows about the branch's whole subtree (the branch itself included): grassroots units, Boai
 * homes, their coverage of cities, and the compliance list of Red Cross-named medical institutions.
 */
export type OrganizationBoaiHomeCoverageArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it
 * knows about the branch's whole subtree (the branch itself included): grassroots units, Boai
 * homes, their coverage of cities, and the compliance list of Red Cross-named medical institutions.
 */
export type OrganizationBoaiHomesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BoaiHomeFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it
 * knows about the branch's whole subtree (the branch itself included): grassroots units, Boai
 * homes, their coverage of cities, and the compliance list of Red Cross-named medical institutions.
 */
export type OrganizationGrassrootsAuditArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it
 * knows about the branch's whole subtree (the branch itself included): grassroots units, Boai
 * homes, their coverage of cities, and the compliance list of Red Cross-named medical institutions.
 */
export type OrganizationGrassrootsUnitsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<GrassrootsUnitFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it
 * knows about the branch's whole subtree (the branch itself included): grassroots units, Boai
 * homes, their coverage of cities, and the compliance list of Red Cross-named medical institutions.
 */
export type OrganizationMedicalInstitutionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MedicalInstitutionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it
 * knows about the branch's whole subtree (the branch itself included): grassroots units, Boai
 * homes, their coverage of cities, and the compliance list of Red Cross-named medical institutions.
 */
export type OrganizationNamedMedicalInstitutionsWithoutUnitArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Cursor pagination: pass endCursor as `after` for the next page. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` to get the next page; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether another page follows. */
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One Boai home; null if no home has this id, FORBIDDEN outside the viewer's subtree. */
  boaiHome?: Maybe<BoaiHome>;
  /** Boai homes in the viewer's subtree, filtered, in name order; at most 100 per page. */
  boaiHomes: BoaiHomeConnection;
  /** One grassroots unit; null if no unit has this id, FORBIDDEN outside the viewer's subtree. */
  grassrootsUnit?: Maybe<GrassrootsUnit>;
  /** Grassroots units in the viewer's subtree, filtered, in name order; at most 100 per page. */
  grassrootsUnits: GrassrootsUnitConnection;
  /** One medical institution; null if none has this id, FORBIDDEN outside the viewer's subtree. */
  medicalInstitution?: Maybe<MedicalInstitution>;
  /** Medical institutions in the viewer's subtree, filtered, in name order; at most 100 per page. */
  medicalInstitutions: MedicalInstitutionConnection;
  /** The townships and streets of a county-level division (six-digit code), in code order, for registration forms. */
  townships: Array<Township>;
};


export type QueryBoaiHomeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryBoaiHomesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BoaiHomeFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryGrassrootsUnitArgs = {
  id: Scalars['ID']['input'];
};


export type QueryGrassrootsUnitsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<GrassrootsUnitFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMedicalInstitutionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMedicalInstitutionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MedicalInstitutionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTownshipsArgs = {
  divisionCode: Scalars['String']['input'];
};

/** A new grassroots unit. */
export type RegisterGrassrootsUnitInput = {
  /** The community or village it sits in. */
  community?: InputMaybe<Scalars['String']['input']>;
  /** The date it was established; not in the future. */
  establishedOn: Scalars['Date']['input'];
  /** Its leader (带头人). */
  leader?: InputMaybe<UnitLeaderInput>;
  /** Only with type HOSPITAL: the institution it is set up in (in the branch's subtree, with no active unit yet). */
  medicalInstitutionId?: InputMaybe<Scalars['ID']['input']>;
  /** Full name, 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** The branch it belongs to. */
  organizationId: Scalars['ID']['input'];
  /** Only with type SCHOOL. */
  school?: InputMaybe<SchoolEquipmentInput>;
  /** Nine-digit township code; must lie in the branch's division. */
  townshipCode?: InputMaybe<Scalars['String']['input']>;
  /** Where the unit is set up. */
  type: GrassrootsUnitType;
};

/** A medical institution in a branch's area. */
export type RegisterMedicalInstitutionInput = {
  /** Full name, 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** The branch whose area it is in. */
  organizationId: Scalars['ID']['input'];
  /** Named after the Red Cross (冠名). */
  redCrossNamed?: InputMaybe<Scalars['Boolean']['input']>;
  /** Nine-digit township code in the branch's division. */
  townshipCode?: InputMaybe<Scalars['String']['input']>;
};

/** A school's emergency equipment (seed, task 8). */
export type SchoolEquipment = {
  __typename?: 'SchoolEquipment';
  /** Automated external defibrillators (AED). */
  aeds: Scalars['Int']['output'];
  /** First-aid kiosks (红十字救护一体机). */
  firstAidKiosks: Scalars['Int']['output'];
  /** First-aid kits (急救箱). */
  firstAidKits: Scalars['Int']['output'];
  /** A school clinic (博爱校医室). */
  schoolClinic: Scalars['Boolean']['output'];
};

/** School equipment (only for SCHOOL units). */
export type SchoolEquipmentInput = {
  /** Automated external defibrillators (AED). */
  aeds?: InputMaybe<Scalars['Int']['input']>;
  /** First-aid kiosks (红十字救护一体机). */
  firstAidKiosks?: InputMaybe<Scalars['Int']['input']>;
  /** First-aid kits (急救箱). */
  firstAidKits?: InputMaybe<Scalars['Int']['input']>;
  /** A school clinic (博爱校医室). */
  schoolClinic?: InputMaybe<Scalars['Boolean']['input']>;
};

/**
 * Annex 1 (附件1 组织体系建设工作情况调查表) for a branch's whole subtree on a date. Several subgraphs
 * fill it in together; this one answers row 8.
 */
export type Survey = {
  __typename?: 'Survey';
  /** The date the values are read at. */
  asOf: Scalars['Date']['output'];
  /** 8. Grassroots units (红十字会基层组织数): established on or before asOf and not dissolved by then. */
  grassrootsUnits: Scalars['Int']['output'];
  /** The branch whose subtree the table covers. */
  organizationId: Scalars['ID']['output'];
};

/** A township or street (乡镇 / 街道) of the GB/T 2260 division data. */
export type Township = {
  __typename?: 'Township';
  /** Nine-digit township code; its first six digits are the county's division code. */
  code: Scalars['String']['output'];
  /** Name, e.g. 北山街道. */
  name: Scalars['String']['output'];
};

/** A unit's leader (带头人). Personal data: the phone number is only ever shown masked. */
export type UnitLeader = {
  __typename?: 'UnitLeader';
  /** Full name. */
  name: Scalars['String']['output'];
  /** Mobile number, masked (e.g. 138****5678); null for REPORTER and VIEWER. */
  phone?: Maybe<Scalars['String']['output']>;
};

/** A unit's leader. */
export type UnitLeaderInput = {
  /** Full name. */
  name: Scalars['String']['input'];
  /** Mainland mobile number, 11 digits. */
  phone?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a home's own attributes (designate and close with their own mutations). */
export type UpdateBoaiHomeInput = {
  /** The community or village it serves. */
  community?: InputMaybe<Scalars['String']['input']>;
  /** The facility it is embedded in. */
  embeddedIn?: InputMaybe<BoaiHomeEmbedding>;
  /** New name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Corrected opening date; before the designation and the closing. */
  openedOn?: InputMaybe<Scalars['Date']['input']>;
  /** Replaces the services it offers. */
  services?: InputMaybe<Array<BoaiHomeService>>;
  /** Urban or rural; a demonstration site stays urban. */
  setting?: InputMaybe<BoaiHomeSetting>;
  /** Nine-digit township code in the branch's division; null removes it. */
  townshipCode?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a unit's own attributes (dissolve with dissolveGrassrootsUnit). */
export type UpdateGrassrootsUnitInput = {
  /** The community or village; null removes it. */
  community?: InputMaybe<Scalars['String']['input']>;
  /** Corrected establishment date; before any assessment and the dissolution. */
  establishedOn?: InputMaybe<Scalars['Date']['input']>;
  /** The new leader; null removes the recorded one. */
  leader?: InputMaybe<UnitLeaderInput>;
  /** New name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Only for SCHOOL units; replaces the recorded equipment. */
  school?: InputMaybe<SchoolEquipmentInput>;
  /** Nine-digit township code in the branch's division; null removes it. */
  townshipCode?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to a medical institution. */
export type UpdateMedicalInstitutionInput = {
  /** New name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Named after the Red Cross (冠名). */
  redCrossNamed?: InputMaybe<Scalars['Boolean']['input']>;
  /** Nine-digit township code in the branch's division; null removes it. */
  townshipCode?: InputMaybe<Scalars['String']['input']>;
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
  BoaiHome: BoaiHome;
  GrassrootsUnit: GrassrootsUnit;
  MedicalInstitution: MedicalInstitution;
  Organization: Organization;
  Survey: Survey;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  AnnualIncrease:
    ( { __typename: 'AnnualIncrease' }
    & GraphQLRecursivePick<FederationTypes['AnnualIncrease'], {"organizationId":true,"year":true}> );
  BoaiHome:
    ( { __typename: 'BoaiHome' }
    & GraphQLRecursivePick<FederationTypes['BoaiHome'], {"id":true}> );
  GrassrootsUnit:
    ( { __typename: 'GrassrootsUnit' }
    & GraphQLRecursivePick<FederationTypes['GrassrootsUnit'], {"id":true}> );
  MedicalInstitution:
    ( { __typename: 'MedicalInstitution' }
    & GraphQLRecursivePick<FederationTypes['MedicalInstitution'], {"id":true}> );
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
  BoaiHome: ResolverTypeWrapper<BoaiHomeDoc>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  BoaiHomeConnection: ResolverTypeWrapper<BoaiHomePage>;
  BoaiHomeCoverage: ResolverTypeWrapper<Omit<BoaiHomeCoverage, 'countyCities' | 'prefectureCities'> & { countyCities: ResolversTypes['CityCoverage'], prefectureCities: ResolversTypes['CityCoverage'] }>;
  BoaiHomeEmbedding: BoaiHomeEmbedding;
  BoaiHomeFilter: BoaiHomeFilter;
  BoaiHomeService: BoaiHomeService;
  BoaiHomeSetting: BoaiHomeSetting;
  CityCoverage: ResolverTypeWrapper<Omit<CityCoverage, 'uncovered'> & { uncovered: Array<ResolversTypes['Organization']> }>;
  CloseBoaiHomeInput: CloseBoaiHomeInput;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DissolveGrassrootsUnitInput: DissolveGrassrootsUnitInput;
  FiveHasAssessment: ResolverTypeWrapper<AssessmentDoc>;
  FiveHasAssessmentInput: FiveHasAssessmentInput;
  FiveHasItem: ResolverTypeWrapper<FiveHasItem>;
  FiveHasItemInput: FiveHasItemInput;
  GrassrootsUnit: ResolverTypeWrapper<GrassrootsUnitDoc>;
  GrassrootsUnitConnection: ResolverTypeWrapper<GrassrootsUnitPage>;
  GrassrootsUnitFilter: GrassrootsUnitFilter;
  GrassrootsUnitType: GrassrootsUnitType;
  MedicalInstitution: ResolverTypeWrapper<MedicalInstitutionDoc>;
  MedicalInstitutionConnection: ResolverTypeWrapper<MedicalInstitutionPage>;
  MedicalInstitutionFilter: MedicalInstitutionFilter;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OpenBoaiHomeInput: OpenBoaiHomeInput;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RegisterGrassrootsUnitInput: RegisterGrassrootsUnitInput;
  RegisterMedicalInstitutionInput: RegisterMedicalInstitutionInput;
  SchoolEquipment: ResolverTypeWrapper<SchoolEquipment>;
  SchoolEquipmentInput: SchoolEquipmentInput;
  Survey: ResolverTypeWrapper<Survey>;
  Township: ResolverTypeWrapper<Township>;
  UnitLeader: ResolverTypeWrapper<LeaderDoc>;
  UnitLeaderInput: UnitLeaderInput;
  UpdateBoaiHomeInput: UpdateBoaiHomeInput;
  UpdateGrassrootsUnitInput: UpdateGrassrootsUnitInput;
  UpdateMedicalInstitutionInput: UpdateMedicalInstitutionInput;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AnnualIncrease: AnnualIncrease | FederationReferenceTypes['AnnualIncrease'];
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  AuditConnection: AuditPage;
  AuditEntry: AuditEntryDoc;
  String: Scalars['String']['output'];
  BoaiHome: BoaiHomeDoc;
  Boolean: Scalars['Boolean']['output'];
  BoaiHomeConnection: BoaiHomePage;
  BoaiHomeCoverage: Omit<BoaiHomeCoverage, 'countyCities' | 'prefectureCities'> & { countyCities: ResolversParentTypes['CityCoverage'], prefectureCities: ResolversParentTypes['CityCoverage'] };
  BoaiHomeFilter: BoaiHomeFilter;
  CityCoverage: Omit<CityCoverage, 'uncovered'> & { uncovered: Array<ResolversParentTypes['Organization']> };
  CloseBoaiHomeInput: CloseBoaiHomeInput;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  DissolveGrassrootsUnitInput: DissolveGrassrootsUnitInput;
  FiveHasAssessment: AssessmentDoc;
  FiveHasAssessmentInput: FiveHasAssessmentInput;
  FiveHasItem: FiveHasItem;
  FiveHasItemInput: FiveHasItemInput;
  GrassrootsUnit: GrassrootsUnitDoc;
  GrassrootsUnitConnection: GrassrootsUnitPage;
  GrassrootsUnitFilter: GrassrootsUnitFilter;
  MedicalInstitution: MedicalInstitutionDoc;
  MedicalInstitutionConnection: MedicalInstitutionPage;
  MedicalInstitutionFilter: MedicalInstitutionFilter;
  Mutation: Record<PropertyKey, never>;
  OpenBoaiHomeInput: OpenBoaiHomeInput;
  Organization: OrganizationRef;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RegisterGrassrootsUnitInput: RegisterGrassrootsUnitInput;
  RegisterMedicalInstitutionInput: RegisterMedicalInstitutionInput;
  SchoolEquipment: SchoolEquipment;
  SchoolEquipmentInput: SchoolEquipmentInput;
  Survey: Survey | FederationReferenceTypes['Survey'];
  Township: Township;
  UnitLeader: LeaderDoc;
  UnitLeaderInput: UnitLeaderInput;
  UpdateBoaiHomeInput: UpdateBoaiHomeInput;
  UpdateGrassrootsUnitInput: UpdateGrassrootsUnitInput;
  UpdateMedicalInstitutionInput: UpdateMedicalInstitutionInput;
};

export type AnnualIncreaseResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AnnualIncrease'] = ResolversParentTypes['AnnualIncrease'], FederationReferenceType extends FederationReferenceTypes['AnnualIncrease'] = FederationReferenceTypes['AnnualIncrease']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AnnualIncrease']> | FederationReferenceType, FederationReferenceType, ContextType>;
  grassrootsUnits?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
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

export type BoaiHomeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BoaiHome'] = ResolversParentTypes['BoaiHome'], FederationReferenceType extends FederationReferenceTypes['BoaiHome'] = FederationReferenceTypes['BoaiHome']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['BoaiHome']> | FederationReferenceType, FederationReferenceType, ContextType>;
  closedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  closedReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  community?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  demonstration?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  demonstrationDesignatedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  embeddedIn?: Resolver<ResolversTypes['BoaiHomeEmbedding'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  open?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, Partial<BoaiHomeOpenArgs>>;
  openedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  services?: Resolver<Array<ResolversTypes['BoaiHomeService']>, ParentType, ContextType>;
  setting?: Resolver<ResolversTypes['BoaiHomeSetting'], ParentType, ContextType>;
  township?: Resolver<Maybe<ResolversTypes['Township']>, ParentType, ContextType>;
};

export type BoaiHomeConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BoaiHomeConnection'] = ResolversParentTypes['BoaiHomeConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['BoaiHome']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BoaiHomeCoverageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BoaiHomeCoverage'] = ResolversParentTypes['BoaiHomeCoverage']> = {
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  countyCities?: Resolver<ResolversTypes['CityCoverage'], ParentType, ContextType>;
  prefectureCities?: Resolver<ResolversTypes['CityCoverage'], ParentType, ContextType>;
};

export type CityCoverageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CityCoverage'] = ResolversParentTypes['CityCoverage']> = {
  covered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  uncovered?: Resolver<Array<ResolversTypes['Organization']>, ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FiveHasAssessmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FiveHasAssessment'] = ResolversParentTypes['FiveHasAssessment']> = {
  activities?: Resolver<ResolversTypes['FiveHasItem'], ParentType, ContextType>;
  assessedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  assessedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  leader?: Resolver<ResolversTypes['FiveHasItem'], ParentType, ContextType>;
  meetsAll?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  platform?: Resolver<ResolversTypes['FiveHasItem'], ParentType, ContextType>;
  rules?: Resolver<ResolversTypes['FiveHasItem'], ParentType, ContextType>;
  team?: Resolver<ResolversTypes['FiveHasItem'], ParentType, ContextType>;
};

export type FiveHasItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['FiveHasItem'] = ResolversParentTypes['FiveHasItem']> = {
  evidence?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  met?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type GrassrootsUnitResolvers<ContextType = Context, ParentType extends ResolversParentTypes['GrassrootsUnit'] = ResolversParentTypes['GrassrootsUnit'], FederationReferenceType extends FederationReferenceTypes['GrassrootsUnit'] = FederationReferenceTypes['GrassrootsUnit']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['GrassrootsUnit']> | FederationReferenceType, FederationReferenceType, ContextType>;
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, Partial<GrassrootsUnitActiveArgs>>;
  assessments?: Resolver<Array<ResolversTypes['FiveHasAssessment']>, ParentType, ContextType>;
  community?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  dissolvedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  dissolvedReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  establishedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  latestAssessment?: Resolver<Maybe<ResolversTypes['FiveHasAssessment']>, ParentType, ContextType>;
  leader?: Resolver<Maybe<ResolversTypes['UnitLeader']>, ParentType, ContextType>;
  medicalInstitution?: Resolver<Maybe<ResolversTypes['MedicalInstitution']>, ParentType, ContextType>;
  meetsFiveHas?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  school?: Resolver<Maybe<ResolversTypes['SchoolEquipment']>, ParentType, ContextType>;
  township?: Resolver<Maybe<ResolversTypes['Township']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['GrassrootsUnitType'], ParentType, ContextType>;
};

export type GrassrootsUnitConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['GrassrootsUnitConnection'] = ResolversParentTypes['GrassrootsUnitConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['GrassrootsUnit']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MedicalInstitutionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MedicalInstitution'] = ResolversParentTypes['MedicalInstitution'], FederationReferenceType extends FederationReferenceTypes['MedicalInstitution'] = FederationReferenceTypes['MedicalInstitution']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['MedicalInstitution']> | FederationReferenceType, FederationReferenceType, ContextType>;
  grassrootsUnit?: Resolver<Maybe<ResolversTypes['GrassrootsUnit']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  redCrossNamed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  township?: Resolver<Maybe<ResolversTypes['Township']>, ParentType, ContextType>;
};

export type MedicalInstitutionConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MedicalInstitutionConnection'] = ResolversParentTypes['MedicalInstitutionConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['MedicalInstitution']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  assessGrassrootsUnit?: Resolver<ResolversTypes['GrassrootsUnit'], ParentType, ContextType, RequireFields<MutationAssessGrassrootsUnitArgs, 'id' | 'input'>>;
  closeBoaiHome?: Resolver<ResolversTypes['BoaiHome'], ParentType, ContextType, RequireFields<MutationCloseBoaiHomeArgs, 'id' | 'input'>>;
  designateDemonstrationSite?: Resolver<ResolversTypes['BoaiHome'], ParentType, ContextType, RequireFields<MutationDesignateDemonstrationSiteArgs, 'designatedOn' | 'id'>>;
  dissolveGrassrootsUnit?: Resolver<ResolversTypes['GrassrootsUnit'], ParentType, ContextType, RequireFields<MutationDissolveGrassrootsUnitArgs, 'id' | 'input'>>;
  openBoaiHome?: Resolver<ResolversTypes['BoaiHome'], ParentType, ContextType, RequireFields<MutationOpenBoaiHomeArgs, 'input'>>;
  registerGrassrootsUnit?: Resolver<ResolversTypes['GrassrootsUnit'], ParentType, ContextType, RequireFields<MutationRegisterGrassrootsUnitArgs, 'input'>>;
  registerMedicalInstitution?: Resolver<ResolversTypes['MedicalInstitution'], ParentType, ContextType, RequireFields<MutationRegisterMedicalInstitutionArgs, 'input'>>;
  updateBoaiHome?: Resolver<ResolversTypes['BoaiHome'], ParentType, ContextType, RequireFields<MutationUpdateBoaiHomeArgs, 'id' | 'input'>>;
  updateGrassrootsUnit?: Resolver<ResolversTypes['GrassrootsUnit'], ParentType, ContextType, RequireFields<MutationUpdateGrassrootsUnitArgs, 'id' | 'input'>>;
  updateMedicalInstitution?: Resolver<ResolversTypes['MedicalInstitution'], ParentType, ContextType, RequireFields<MutationUpdateMedicalInstitutionArgs, 'id' | 'input'>>;
};

export type OrganizationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  boaiHomeCoverage?: Resolver<Maybe<ResolversTypes['BoaiHomeCoverage']>, ParentType, ContextType, Partial<OrganizationBoaiHomeCoverageArgs>>;
  boaiHomes?: Resolver<Maybe<ResolversTypes['BoaiHomeConnection']>, ParentType, ContextType, Partial<OrganizationBoaiHomesArgs>>;
  grassrootsAudit?: Resolver<Maybe<ResolversTypes['AuditConnection']>, ParentType, ContextType, Partial<OrganizationGrassrootsAuditArgs>>;
  grassrootsUnits?: Resolver<Maybe<ResolversTypes['GrassrootsUnitConnection']>, ParentType, ContextType, Partial<OrganizationGrassrootsUnitsArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  medicalInstitutions?: Resolver<Maybe<ResolversTypes['MedicalInstitutionConnection']>, ParentType, ContextType, Partial<OrganizationMedicalInstitutionsArgs>>;
  namedMedicalInstitutionsWithoutUnit?: Resolver<Maybe<ResolversTypes['MedicalInstitutionConnection']>, ParentType, ContextType, Partial<OrganizationNamedMedicalInstitutionsWithoutUnitArgs>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  boaiHome?: Resolver<Maybe<ResolversTypes['BoaiHome']>, ParentType, ContextType, RequireFields<QueryBoaiHomeArgs, 'id'>>;
  boaiHomes?: Resolver<ResolversTypes['BoaiHomeConnection'], ParentType, ContextType, Partial<QueryBoaiHomesArgs>>;
  grassrootsUnit?: Resolver<Maybe<ResolversTypes['GrassrootsUnit']>, ParentType, ContextType, RequireFields<QueryGrassrootsUnitArgs, 'id'>>;
  grassrootsUnits?: Resolver<ResolversTypes['GrassrootsUnitConnection'], ParentType, ContextType, Partial<QueryGrassrootsUnitsArgs>>;
  medicalInstitution?: Resolver<Maybe<ResolversTypes['MedicalInstitution']>, ParentType, ContextType, RequireFields<QueryMedicalInstitutionArgs, 'id'>>;
  medicalInstitutions?: Resolver<ResolversTypes['MedicalInstitutionConnection'], ParentType, ContextType, Partial<QueryMedicalInstitutionsArgs>>;
  townships?: Resolver<Array<ResolversTypes['Township']>, ParentType, ContextType, RequireFields<QueryTownshipsArgs, 'divisionCode'>>;
};

export type SchoolEquipmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SchoolEquipment'] = ResolversParentTypes['SchoolEquipment']> = {
  aeds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstAidKiosks?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstAidKits?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  schoolClinic?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type SurveyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Survey'] = ResolversParentTypes['Survey'], FederationReferenceType extends FederationReferenceTypes['Survey'] = FederationReferenceTypes['Survey']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Survey']> | FederationReferenceType, FederationReferenceType, ContextType>;
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  grassrootsUnits?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type TownshipResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Township'] = ResolversParentTypes['Township']> = {
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type UnitLeaderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UnitLeader'] = ResolversParentTypes['UnitLeader']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  AnnualIncrease?: AnnualIncreaseResolvers<ContextType>;
  AuditConnection?: AuditConnectionResolvers<ContextType>;
  AuditEntry?: AuditEntryResolvers<ContextType>;
  BoaiHome?: BoaiHomeResolvers<ContextType>;
  BoaiHomeConnection?: BoaiHomeConnectionResolvers<ContextType>;
  BoaiHomeCoverage?: BoaiHomeCoverageResolvers<ContextType>;
  CityCoverage?: CityCoverageResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  FiveHasAssessment?: FiveHasAssessmentResolvers<ContextType>;
  FiveHasItem?: FiveHasItemResolvers<ContextType>;
  GrassrootsUnit?: GrassrootsUnitResolvers<ContextType>;
  GrassrootsUnitConnection?: GrassrootsUnitConnectionResolvers<ContextType>;
  MedicalInstitution?: MedicalInstitutionResolvers<ContextType>;
  MedicalInstitutionConnection?: MedicalInstitutionConnectionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SchoolEquipment?: SchoolEquipmentResolvers<ContextType>;
  Survey?: SurveyResolvers<ContextType>;
  Township?: TownshipResolvers<ContextType>;
  UnitLeader?: UnitLeaderResolvers<ContextType>;
};

