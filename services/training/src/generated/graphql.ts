import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrganizationRef, SyllabusModuleDoc, InstructorDoc, TrainingClassDoc, SessionDoc, SessionRatingDoc, EnrollmentDoc, WorkloadRow, InstructorPage, TrainingClassPage, EnrollmentPage, AuditPage, RevealedContact } from '../models';
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

/** Adds a session to an existing class. */
export type AddSessionInput = {
  /** The class to add the session to. */
  classId: Scalars['ID']['input'];
  /** The session: module, times and instructors. */
  session: SessionInput;
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

/** A new instructor in a branch's pool. */
export type CreateInstructorInput = {
  /** Staff, expert or scholar. */
  category: InstructorCategory;
  /** E-mail address; stored protected, shown masked. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** When the instructor joined the pool. */
  joinedOn: Scalars['Date']['input'];
  /** Full name (姓名). */
  name: Scalars['String']['input'];
  /** The branch whose pool holds the instructor (national, provincial or prefecture). */
  organizationId: Scalars['ID']['input'];
  /** Mobile (11 digits) or landline; stored protected, shown masked. */
  phone?: InputMaybe<Scalars['String']['input']>;
  /** Qualifications, each for one of the topics. */
  qualifications?: InputMaybe<Array<QualificationInput>>;
  /** Syllabus module codes the instructor may teach. */
  topics: Array<Scalars['String']['input']>;
};

/** A new training class with its sessions. */
export type CreateTrainingClassInput = {
  /** Level of the cadres the class is for, if restricted. */
  audienceLevel?: InputMaybe<OrganizationLevel>;
  /** Seats, 1 to 1000. */
  capacity: Scalars['Int']['input'];
  /** Kind of class. */
  category: TrainingCategory;
  /** Last day (inclusive); at most 90 days after the first. */
  endsOn: Scalars['Date']['input'];
  /** The host branch. */
  organizationId: Scalars['ID']['input'];
  /** Where it is held. */
  place: Scalars['String']['input'];
  /** Sessions, each within the class days (in Beijing time). */
  sessions?: Array<SessionInput>;
  /** First day (inclusive). */
  startsOn: Scalars['Date']['input'];
  /** Title, e.g. 浙江省红十字会2021年新任职领导干部培训班. */
  title: Scalars['String']['input'];
};

/** A cadre enrolling in a class. */
export type EnrollInput = {
  /** The class. */
  classId: Scalars['ID']['input'];
  /** The enrolment date. */
  enrolledOn: Scalars['Date']['input'];
  /** The trainee's name. */
  name: Scalars['String']['input'];
  /** The trainee's branch. */
  organizationId: Scalars['ID']['input'];
  /** The trainee's position (职务). */
  position: Scalars['String']['input'];
};

/** A cadre enrolled in a class (学员). */
export type Enrollment = {
  __typename?: 'Enrollment';
  /** Attended hours as a share of the class's hours, 0 to 1. */
  attendanceRate: Scalars['Float']['output'];
  /** Hours attended (出勤学时). */
  attendedHours: Scalars['Float']['output'];
  /** Completed the class (结业). */
  completed: Scalars['Boolean']['output'];
  /** When the class was completed (its last day); null if not completed. */
  completedOn?: Maybe<Scalars['Date']['output']>;
  /** When the cadre enrolled (报名). */
  enrolledOn: Scalars['Date']['output'];
  /** Stable identifier. */
  id: Scalars['ID']['output'];
  /** The trainee's name (public in class lists, so not masked). */
  name: Scalars['String']['output'];
  /** The trainee's branch. */
  organization: Organization;
  /** The trainee's position (职务), e.g. 副会长. */
  position: Scalars['String']['output'];
  /** The class enrolled in. */
  trainingClass: TrainingClass;
  /** When the trainee withdrew (退学), if ever; withdrawn enrolments free their seat. */
  withdrawnOn?: Maybe<Scalars['Date']['output']>;
};

/** A page of enrolments. */
export type EnrollmentConnection = {
  __typename?: 'EnrollmentConnection';
  /** The enrolments of this page. */
  nodes: Array<Enrollment>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many enrolments match in all (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/**
 * An instructor of the pool (师资库成员), held by one branch; the pool's tier follows that branch's
 * level (national, provincial, prefecture).
 */
export type Instructor = {
  __typename?: 'Instructor';
  /** Staff (full- or part-time), expert or scholar. */
  category: InstructorCategory;
  /** Contact details, masked (protected personal data). */
  contact: InstructorContact;
  /** Stable identifier; other subgraphs may reference instructors by it. */
  id: Scalars['ID']['output'];
  /** When the instructor joined the pool (入库日期). */
  joinedOn: Scalars['Date']['output'];
  /** Full name (姓名). */
  name: Scalars['String']['output'];
  /** The branch whose pool holds the instructor. */
  organization: Organization;
  /** Qualifications (师资资格), one per topic, each with its validity. */
  qualifications: Array<Qualification>;
  /** Average of the ratings (评分, 1-5) given by the classes the instructor taught; null if never rated. */
  rating?: Maybe<Scalars['Float']['output']>;
  /** How many rated sessions the average is over. */
  ratingCount: Scalars['Int']['output'];
  /**
   * Sessions the instructor teaches or taught in a period, in time order (at most 100), of classes
   * the viewer may read (hosted in the viewer's subtree or by one of its ancestors).
   */
  sessions: Array<TrainingSession>;
  /** Whether the instructor may be assigned. */
  status: InstructorStatus;
  /** Since when the current status holds. */
  statusSince: Scalars['Date']['output'];
  /** The pool's tier (师资库层级): the level of the holding branch. */
  tier: OrganizationLevel;
  /** Syllabus module codes the instructor may teach (授课专题). */
  topics: Array<Scalars['String']['output']>;
  /** Sessions and hours taught in a period (授课工作量), dates inclusive. */
  workload: Workload;
};


/**
 * An instructor of the pool (师资库成员), held by one branch; the pool's tier follows that branch's
 * level (national, provincial, prefecture).
 */
export type InstructorSessionsArgs = {
  from: Scalars['Date']['input'];
  to: Scalars['Date']['input'];
};


/**
 * An instructor of the pool (师资库成员), held by one branch; the pool's tier follows that branch's
 * level (national, provincial, prefecture).
 */
export type InstructorWorkloadArgs = {
  from: Scalars['Date']['input'];
  to: Scalars['Date']['input'];
};

/** Where an instructor comes from (专兼职干部与专家学者). */
export type InstructorCategory =
  /** 专家: an external expert (practitioner, e.g. a physician or lawyer). */
  | 'EXPERT'
  /** 专职干部: full-time staff of a Red Cross branch. */
  | 'FULL_TIME_STAFF'
  /** 兼职干部: part-time staff of a Red Cross branch. */
  | 'PART_TIME_STAFF'
  /** 学者: an external scholar (university, research institute, 红十字国际学院). */
  | 'SCHOLAR';

/** A page of instructors. */
export type InstructorConnection = {
  __typename?: 'InstructorConnection';
  /** The instructors of this page. */
  nodes: Array<Instructor>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many instructors match in all (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/**
 * An instructor's contact details, masked (138****5678, w***@example.org); both null for REPORTER and
 * VIEWER, who see no personal data.
 */
export type InstructorContact = {
  __typename?: 'InstructorContact';
  /** E-mail address, masked (w***@example.org). */
  email?: Maybe<Scalars['String']['output']>;
  /** Phone number, masked (138****5678). */
  phone?: Maybe<Scalars['String']['output']>;
};

/** Filters for instructors; all given conditions must hold. */
export type InstructorFilter = {
  /** With both availableFrom and availableTo: no session overlapping that period (inclusive dates). */
  availableFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Last day of the availability period (inclusive); give with availableFrom. */
  availableTo?: InputMaybe<Scalars['Date']['input']>;
  /** Of this category. */
  category?: InputMaybe<InstructorCategory>;
  /** Holds at least one qualification expiring before this date. */
  qualificationExpiresBefore?: InputMaybe<Scalars['Date']['input']>;
  /** Name contains this text. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Statuses to include (default: ACTIVE only). */
  statuses?: InputMaybe<Array<InstructorStatus>>;
  /** Held by a pool of this tier. */
  tier?: InputMaybe<OrganizationLevel>;
  /** Teaches this syllabus module code. */
  topic?: InputMaybe<Scalars['String']['input']>;
  /** Held by this branch or any branch below it. */
  within?: InputMaybe<Scalars['ID']['input']>;
};

/** Whether an instructor may be assigned to sessions. */
export type InstructorStatus =
  /** 在库: may be assigned. */
  | 'ACTIVE'
  /** 退出: left the pool; kept for history. */
  | 'RETIRED'
  /** 暂停: may not be assigned until reinstated. */
  | 'SUSPENDED';

/** An instructor's workload in a period, for rankings. */
export type InstructorWorkload = {
  __typename?: 'InstructorWorkload';
  /** Distinct classes taught in. */
  classes: Scalars['Int']['output'];
  /** Hours taught in the period. */
  hours: Scalars['Float']['output'];
  /** The instructor. */
  instructor: Instructor;
  /** Sessions taught in the period. */
  sessions: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Adds a session to a class, under the same rules. */
  addSession: TrainingSession;
  /** Assigns one more instructor to a session, under the same rules. */
  assignInstructor: TrainingSession;
  /** Cancels a class (kept for history; frees its instructors' time). */
  cancelTrainingClass: TrainingClass;
  /** Adds an instructor to a branch's pool. */
  createInstructor: Instructor;
  /**
   * Creates a class with its sessions. Every instructor must be ACTIVE, teach the session's module
   * (topic and qualification valid on the session's day) and have no overlapping session.
   */
  createTrainingClass: TrainingClass;
  /** Enrols a cadre; a full class is a CONFLICT. */
  enroll: Enrollment;
  /** Publishes a new version of a syllabus module; the previous version is superseded from effectiveFrom. */
  publishSyllabusModule: SyllabusModule;
  /** Records the class's rating of an instructor for a session. */
  rateInstructor: TrainingSession;
  /** Records attendance and completion of an enrolment. */
  recordAttendance: Enrollment;
  /**
   * Reveals an instructor's phone and e-mail in clear, to TRAINING_MANAGERs and ADMINs of a subtree
   * containing the instructor's pool branch; audited as REVEAL:contact (who and when, never the values).
   */
  revealInstructorContact: RevealedInstructorContact;
  /** Sets an instructor's status from a date (suspend, reinstate, retire). */
  setInstructorStatus: Instructor;
  /** Changes an instructor's name, category, topics, qualifications or contact details. */
  updateInstructor: Instructor;
  /** Withdraws an enrolment (kept for history; frees the seat). */
  withdrawEnrollment: Enrollment;
};


export type MutationAddSessionArgs = {
  input: AddSessionInput;
};


export type MutationAssignInstructorArgs = {
  instructorId: Scalars['ID']['input'];
  sessionId: Scalars['ID']['input'];
};


export type MutationCancelTrainingClassArgs = {
  id: Scalars['ID']['input'];
  on: Scalars['Date']['input'];
};


export type MutationCreateInstructorArgs = {
  input: CreateInstructorInput;
};


export type MutationCreateTrainingClassArgs = {
  input: CreateTrainingClassInput;
};


export type MutationEnrollArgs = {
  input: EnrollInput;
};


export type MutationPublishSyllabusModuleArgs = {
  input: PublishSyllabusModuleInput;
};


export type MutationRateInstructorArgs = {
  input: RateInstructorInput;
};


export type MutationRecordAttendanceArgs = {
  input: RecordAttendanceInput;
};


export type MutationRevealInstructorContactArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetInstructorStatusArgs = {
  id: Scalars['ID']['input'];
  since: Scalars['Date']['input'];
  status: InstructorStatus;
};


export type MutationUpdateInstructorArgs = {
  id: Scalars['ID']['input'];
  input: UpdateInstructorInput;
};


export type MutationWithdrawEnrollmentArgs = {
  id: Scalars['ID']['input'];
  on: Scalars['Date']['input'];
};

/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it knows
 * about a branch: its instructor pool (师资库), the training classes it hosted (培训班) and the totals
 * of cadres trained in its subtree.
 */
export type Organization = {
  __typename?: 'Organization';
  /**
   * Training classes this branch hosted (举办的培训班), optionally in one year (by start date), in
   * start-date order; empty unless the branch lies in the viewer's subtree or is one of its ancestors.
   */
  hostedClasses?: Maybe<TrainingClassConnection>;
  /** Stable identifier of the branch (owned by the organizations subgraph). */
  id: Scalars['ID']['output'];
  /**
   * The branch's instructor pool (师资库): instructors held by this branch, or, with
   * includeSubtree, by any branch of its subtree; filtered and paginated in name order. Only pools of
   * the viewer's subtree and of its ancestors are listed (empty otherwise).
   */
  instructorPool?: Maybe<InstructorConnection>;
  /**
   * Cadres trained (培训干部) from this branch's whole subtree in a year, itself included; null (with
   * a FORBIDDEN error) unless the branch lies in the viewer's subtree.
   */
  trainedCadres?: Maybe<TrainedCadres>;
  /**
   * Changes this subgraph recorded (instructors, classes, sessions, enrolments, syllabus) and reveals
   * of instructors' contact details, for branches in this branch's subtree, newest first. ADMINs of a
   * subtree containing the branch only; null (with a FORBIDDEN error) for anyone else.
   */
  trainingAudit?: Maybe<AuditConnection>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it knows
 * about a branch: its instructor pool (师资库), the training classes it hosted (培训班) and the totals
 * of cadres trained in its subtree.
 */
export type OrganizationHostedClassesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  year?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it knows
 * about a branch: its instructor pool (师资库), the training classes it hosted (培训班) and the totals
 * of cadres trained in its subtree.
 */
export type OrganizationInstructorPoolArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<InstructorFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeSubtree?: InputMaybe<Scalars['Boolean']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it knows
 * about a branch: its instructor pool (师资库), the training classes it hosted (培训班) and the totals
 * of cadres trained in its subtree.
 */
export type OrganizationTrainedCadresArgs = {
  year: Scalars['Int']['input'];
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds what it knows
 * about a branch: its instructor pool (师资库), the training classes it hosted (培训班) and the totals
 * of cadres trained in its subtree.
 */
export type OrganizationTrainingAuditArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Level of a branch in the tree (and so the tier of an instructor pool). */
export type OrganizationLevel =
  /** 县级 */
  | 'COUNTY'
  /** 总会 */
  | 'NATIONAL'
  /** 地市级 */
  | 'PREFECTURE'
  /** 省级 */
  | 'PROVINCIAL';

/** Cursor pagination: pass endCursor as `after` for the next page. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` to get the next page; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether another page follows. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A new version of a syllabus module (a new code starts at version 1). */
export type PublishSyllabusModuleInput = {
  /** Levels of the cadres the module is meant for. */
  audienceLevels: Array<OrganizationLevel>;
  /** Module code, e.g. IHL-01 (two to six capitals, a dash, two digits). */
  code: Scalars['String']['input'];
  /** The date the version takes effect; after the previous version's. */
  effectiveFrom: Scalars['Date']['input'];
  /** Planned class hours. */
  hours: Scalars['Float']['input'];
  /** Learning objectives, one to twenty. */
  objectives: Array<Scalars['String']['input']>;
  /** Module title. */
  title: Scalars['String']['input'];
};

/** A qualification to teach one syllabus module (师资资格证书). */
export type Qualification = {
  __typename?: 'Qualification';
  /** Last day the qualification is valid (inclusive). */
  expiresOn: Scalars['Date']['output'];
  /** First day the qualification is valid. */
  issuedOn: Scalars['Date']['output'];
  /** The syllabus module code it covers. */
  moduleCode: Scalars['String']['output'];
  /** Certificate title, e.g. 探索人道法师资证书. */
  title: Scalars['String']['output'];
};

/** A qualification to teach one syllabus module. */
export type QualificationInput = {
  /** Last day it is valid (inclusive). */
  expiresOn: Scalars['Date']['input'];
  /** First day it is valid. */
  issuedOn: Scalars['Date']['input'];
  /** The module code it covers (one of the topics). */
  moduleCode: Scalars['String']['input'];
  /** Certificate title. */
  title: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * One instructor; null if unknown, FORBIDDEN unless the instructor's pool branch lies in the
   * viewer's subtree or is one of its ancestors (a county reads the national and provincial pools).
   */
  instructor?: Maybe<Instructor>;
  /**
   * Instructors ranked by hours taught in a period (dates inclusive), busiest first, counting
   * sessions of classes hosted in `within`'s subtree (default: the viewer's subtree; FORBIDDEN if
   * `within` lies outside it); at most 100. Instructors the viewer may not read are left out.
   */
  instructorWorkloads: Array<InstructorWorkload>;
  /**
   * Instructors, filtered (default: ACTIVE only), in name order; at most 100 per page. Only pools of
   * the viewer's subtree and of its ancestors are listed.
   */
  instructors: InstructorConnection;
  /** The syllabus in force on a date (default: today). */
  syllabus: Syllabus;
  /** Every version of one module, oldest first. */
  syllabusModuleVersions: Array<SyllabusModule>;
  /** Cadres trained from a branch's subtree in a year (as Organization.trainedCadres); FORBIDDEN outside the viewer's subtree. */
  trainedCadres?: Maybe<TrainedCadres>;
  /**
   * One training class; null if unknown, FORBIDDEN unless hosted in the viewer's subtree or by one of
   * its ancestors (whose classes train cadres from everywhere below them).
   */
  trainingClass?: Maybe<TrainingClass>;
  /**
   * Training classes, filtered, in start-date order; at most 100 per page. Only classes hosted in the
   * viewer's subtree or by one of its ancestors are listed.
   */
  trainingClasses: TrainingClassConnection;
};


export type QueryInstructorArgs = {
  id: Scalars['ID']['input'];
};


export type QueryInstructorWorkloadsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  from: Scalars['Date']['input'];
  to: Scalars['Date']['input'];
  within?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryInstructorsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<InstructorFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySyllabusArgs = {
  asOf?: InputMaybe<Scalars['Date']['input']>;
};


export type QuerySyllabusModuleVersionsArgs = {
  code: Scalars['String']['input'];
};


export type QueryTrainedCadresArgs = {
  organizationId: Scalars['ID']['input'];
  year: Scalars['Int']['input'];
};


export type QueryTrainingClassArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTrainingClassesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TrainingClassFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** The class's rating of one instructor for one session. */
export type RateInstructorInput = {
  /** The instructor rated; must teach the session. */
  instructorId: Scalars['ID']['input'];
  /** How many trainees answered. */
  responses: Scalars['Int']['input'];
  /** Average score, 1 to 5. */
  score: Scalars['Float']['input'];
  /** The session rated. */
  sessionId: Scalars['ID']['input'];
};

/** Attendance and completion of one enrolment. */
export type RecordAttendanceInput = {
  /** Hours attended, at most the class's hours. */
  attendedHours: Scalars['Float']['input'];
  /** Whether the trainee completed the class (结业). */
  completed: Scalars['Boolean']['input'];
  /** The enrolment. */
  enrollmentId: Scalars['ID']['input'];
};

/** An instructor's contact details in clear, as revealed (and audited) by revealInstructorContact. */
export type RevealedInstructorContact = {
  __typename?: 'RevealedInstructorContact';
  /** E-mail address in clear; null if none is recorded. */
  email?: Maybe<Scalars['String']['output']>;
  /** The instructor whose details these are. */
  instructor: Instructor;
  /** Phone number in clear; null if none is recorded. */
  phone?: Maybe<Scalars['String']['output']>;
};

/** A session of a class: one module, its times and its instructors. */
export type SessionInput = {
  /** End; at most 12 hours after the start. */
  endsAt: Scalars['DateTime']['input'];
  /** Instructors teaching it (at most 5), each under the assignment rules. */
  instructorIds?: Array<Scalars['ID']['input']>;
  /** The syllabus module taught. */
  moduleCode: Scalars['String']['input'];
  /** Start; its day in Beijing must be one of the class days. */
  startsAt: Scalars['DateTime']['input'];
};

/** The class's rating of one instructor for one session. */
export type SessionRating = {
  __typename?: 'SessionRating';
  /** The instructor rated. */
  instructor: Instructor;
  /** How many trainees answered. */
  responses: Scalars['Int']['output'];
  /** Average score, 1 to 5. */
  score: Scalars['Float']['output'];
};

/** The syllabus (培训大纲) as in force on a date: the version of each module effective then. */
export type Syllabus = {
  __typename?: 'Syllabus';
  /** The date the syllabus is read at. */
  asOf: Scalars['Date']['output'];
  /** The module versions in force on that date, in code order. */
  modules: Array<SyllabusModule>;
  /** Sum of the modules' planned hours. */
  totalHours: Scalars['Float']['output'];
};

/**
 * One module of the national cadre-training syllabus (干部培训大纲), in one version. A module keeps
 * its code across versions; a new version supersedes the previous one from its effective date.
 */
export type SyllabusModule = {
  __typename?: 'SyllabusModule';
  /** Levels of the cadres the module is meant for (培训对象层级). */
  audienceLevels: Array<OrganizationLevel>;
  /** Stable code of the module across versions, e.g. IHL-01; instructors' topics are these codes. */
  code: Scalars['String']['output'];
  /** The date this version takes effect. */
  effectiveFrom: Scalars['Date']['output'];
  /** Planned class hours (学时). */
  hours: Scalars['Float']['output'];
  /** Identifier of this version. */
  id: Scalars['ID']['output'];
  /** Learning objectives (培训目标). */
  objectives: Array<Scalars['String']['output']>;
  /** The date the next version took effect; null while current. */
  supersededOn?: Maybe<Scalars['Date']['output']>;
  /** Module title, e.g. 国际人道法. */
  title: Scalars['String']['output'];
  /** Version number (第N版), from 1. */
  version: Scalars['Int']['output'];
};

/** Completions in one category. */
export type TrainedByCategory = {
  __typename?: 'TrainedByCategory';
  /** Kind of class. */
  category: TrainingCategory;
  /** Enrolments completed in the year in classes of this kind. */
  completed: Scalars['Int']['output'];
};

/**
 * Cadres trained from a branch's whole subtree (the branch included) in a year, counted by the
 * trainee's branch, in person-times (人次): a cadre who completed two classes counts twice.
 */
export type TrainedCadres = {
  __typename?: 'TrainedCadres';
  /** Completions by class category. */
  byCategory: Array<TrainedByCategory>;
  /** Classes hosted in the subtree that started in the year. */
  classesHosted: Scalars['Int']['output'];
  /** Enrolments completed (结业) in the year. */
  completed: Scalars['Int']['output'];
  /** Enrolments (not withdrawn) in classes starting in the year. */
  enrolled: Scalars['Int']['output'];
  /** The branch whose subtree is counted. */
  organizationId: Scalars['ID']['output'];
  /** The calendar year counted. */
  year: Scalars['Int']['output'];
};

/** Kind of training class (培训班类别), after the work plan's task 20. */
export type TrainingCategory =
  /** 应急救护与救灾业务培训 */
  | 'EMERGENCY_RESPONSE'
  /** 筹资财务工作培训 */
  | 'FUNDRAISING_FINANCE'
  /** 探索人道法师资培训 */
  | 'IHL_INSTRUCTORS'
  /** 新任职领导干部培训 */
  | 'NEW_LEADERS'
  /** 组织建设与基层工作培训 */
  | 'ORGANIZATION_BUILDING'
  /** 党史学习教育培训 */
  | 'PARTY_HISTORY'
  /** 监事会工作培训 */
  | 'SUPERVISORY_BOARD'
  /** 志愿服务工作培训 */
  | 'VOLUNTEER_SERVICE';

/** A training class (培训班) hosted by a branch. */
export type TrainingClass = {
  __typename?: 'TrainingClass';
  /** Level of the cadres the class is for, if restricted. */
  audienceLevel?: Maybe<OrganizationLevel>;
  /** When the class was cancelled, if it was (kept for history). */
  cancelledOn?: Maybe<Scalars['Date']['output']>;
  /** Seats (名额). */
  capacity: Scalars['Int']['output'];
  /** Kind of class. */
  category: TrainingCategory;
  /** Enrolments that completed the class (结业). */
  completedCount: Scalars['Int']['output'];
  /** Last day (inclusive). */
  endsOn: Scalars['Date']['output'];
  /** Current enrolments (not withdrawn). */
  enrollmentCount: Scalars['Int']['output'];
  /**
   * Enrolments, in enrolment order: all of them for viewers whose subtree contains the host branch,
   * else only the trainees of the viewer's own subtree.
   */
  enrollments: EnrollmentConnection;
  /** The branch that hosts (主办) the class. */
  host: Organization;
  /** Stable identifier; other subgraphs may reference classes by it. */
  id: Scalars['ID']['output'];
  /** Every instructor teaching in at least one session (those the viewer may read). */
  instructors: Array<Instructor>;
  /** Syllabus modules covered, in the version in force on the first day. */
  modules: Array<SyllabusModule>;
  /** Where it is held (培训地点). */
  place: Scalars['String']['output'];
  /** Sessions (课次), in time order. */
  sessions: Array<TrainingSession>;
  /** First day (inclusive). */
  startsOn: Scalars['Date']['output'];
  /** The class's state today. */
  status: TrainingClassStatus;
  /** Title, e.g. 中国红十字会总会2021年监事会工作培训班. */
  title: Scalars['String']['output'];
  /** Sum of the sessions' hours (学时). */
  totalHours: Scalars['Float']['output'];
};


/** A training class (培训班) hosted by a branch. */
export type TrainingClassEnrollmentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeWithdrawn?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A page of training classes. */
export type TrainingClassConnection = {
  __typename?: 'TrainingClassConnection';
  /** The classes of this page. */
  nodes: Array<TrainingClass>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** How many classes match in all (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/** Filters for training classes; all given conditions must hold. */
export type TrainingClassFilter = {
  /** Of this kind. */
  category?: InputMaybe<TrainingCategory>;
  /** Hosted by exactly this branch. */
  hostId?: InputMaybe<Scalars['ID']['input']>;
  /** Include cancelled classes (default false). */
  includeCancelled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Taught (in part) by this instructor. */
  instructorId?: InputMaybe<Scalars['ID']['input']>;
  /** Covering this module code. */
  moduleCode?: InputMaybe<Scalars['String']['input']>;
  /** Starting on or after this date. */
  startsFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Starting on or before this date. */
  startsTo?: InputMaybe<Scalars['Date']['input']>;
  /** Hosted by this branch or any branch below it. */
  within?: InputMaybe<Scalars['ID']['input']>;
  /** Starting in this year. */
  year?: InputMaybe<Scalars['Int']['input']>;
};

/** Where a class stands on a date (derived from its dates). */
export type TrainingClassStatus =
  /** Cancelled (已取消). */
  | 'CANCELLED'
  /** Past its last day (已结束). */
  | 'FINISHED'
  /** Between its first and last day (进行中). */
  | 'IN_PROGRESS'
  /** Not started yet (筹备中). */
  | 'PLANNED';

/** A session (课次) of a class: one module taught by one or more instructors. */
export type TrainingSession = {
  __typename?: 'TrainingSession';
  /** End. */
  endsAt: Scalars['DateTime']['output'];
  /** Class hours (学时). */
  hours: Scalars['Float']['output'];
  /** Stable identifier. */
  id: Scalars['ID']['output'];
  /** Instructors teaching the session (those the viewer may read). */
  instructors: Array<Instructor>;
  /** The syllabus module code taught. */
  moduleCode: Scalars['String']['output'];
  /** Ratings the class gave (评分), of the instructors the viewer may read. */
  ratings: Array<SessionRating>;
  /** Start. */
  startsAt: Scalars['DateTime']['output'];
  /** The class the session belongs to. */
  trainingClass: TrainingClass;
};

/** Changes to an instructor; lists given replace the stored ones. */
export type UpdateInstructorInput = {
  /** New category. */
  category?: InputMaybe<InstructorCategory>;
  /** New e-mail address (null removes it). */
  email?: InputMaybe<Scalars['String']['input']>;
  /** New full name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New phone number (null removes it). */
  phone?: InputMaybe<Scalars['String']['input']>;
  /** New qualifications, each for one of the topics. */
  qualifications?: InputMaybe<Array<QualificationInput>>;
  /** New topics; without qualifications, those of removed topics are dropped. */
  topics?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Teaching done by an instructor in a period. */
export type Workload = {
  __typename?: 'Workload';
  /** Distinct classes taught in. */
  classes: Scalars['Int']['output'];
  /** First day of the period. */
  from: Scalars['Date']['output'];
  /** Hours taught (授课学时). */
  hours: Scalars['Float']['output'];
  /** Sessions taught (授课场次). */
  sessions: Scalars['Int']['output'];
  /** Last day of the period. */
  to: Scalars['Date']['output'];
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
  Instructor: Instructor;
  Organization: Organization;
  TrainingClass: TrainingClass;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Instructor:
    ( { __typename: 'Instructor' }
    & GraphQLRecursivePick<FederationTypes['Instructor'], {"id":true}> );
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  TrainingClass:
    ( { __typename: 'TrainingClass' }
    & GraphQLRecursivePick<FederationTypes['TrainingClass'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AddSessionInput: AddSessionInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuditConnection: ResolverTypeWrapper<AuditPage>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AuditEntry: ResolverTypeWrapper<AuditEntryDoc>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CreateInstructorInput: CreateInstructorInput;
  CreateTrainingClassInput: CreateTrainingClassInput;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  EnrollInput: EnrollInput;
  Enrollment: ResolverTypeWrapper<EnrollmentDoc>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  EnrollmentConnection: ResolverTypeWrapper<EnrollmentPage>;
  Instructor: ResolverTypeWrapper<InstructorDoc>;
  InstructorCategory: InstructorCategory;
  InstructorConnection: ResolverTypeWrapper<InstructorPage>;
  InstructorContact: ResolverTypeWrapper<InstructorContact>;
  InstructorFilter: InstructorFilter;
  InstructorStatus: InstructorStatus;
  InstructorWorkload: ResolverTypeWrapper<WorkloadRow>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  OrganizationLevel: OrganizationLevel;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PublishSyllabusModuleInput: PublishSyllabusModuleInput;
  Qualification: ResolverTypeWrapper<Qualification>;
  QualificationInput: QualificationInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RateInstructorInput: RateInstructorInput;
  RecordAttendanceInput: RecordAttendanceInput;
  RevealedInstructorContact: ResolverTypeWrapper<RevealedContact>;
  SessionInput: SessionInput;
  SessionRating: ResolverTypeWrapper<SessionRatingDoc>;
  Syllabus: ResolverTypeWrapper<Omit<Syllabus, 'modules'> & { modules: Array<ResolversTypes['SyllabusModule']> }>;
  SyllabusModule: ResolverTypeWrapper<SyllabusModuleDoc>;
  TrainedByCategory: ResolverTypeWrapper<TrainedByCategory>;
  TrainedCadres: ResolverTypeWrapper<TrainedCadres>;
  TrainingCategory: TrainingCategory;
  TrainingClass: ResolverTypeWrapper<TrainingClassDoc>;
  TrainingClassConnection: ResolverTypeWrapper<TrainingClassPage>;
  TrainingClassFilter: TrainingClassFilter;
  TrainingClassStatus: TrainingClassStatus;
  TrainingSession: ResolverTypeWrapper<SessionDoc>;
  UpdateInstructorInput: UpdateInstructorInput;
  Workload: ResolverTypeWrapper<Workload>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AddSessionInput: AddSessionInput;
  ID: Scalars['ID']['output'];
  AuditConnection: AuditPage;
  Int: Scalars['Int']['output'];
  AuditEntry: AuditEntryDoc;
  String: Scalars['String']['output'];
  CreateInstructorInput: CreateInstructorInput;
  CreateTrainingClassInput: CreateTrainingClassInput;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  EnrollInput: EnrollInput;
  Enrollment: EnrollmentDoc;
  Float: Scalars['Float']['output'];
  Boolean: Scalars['Boolean']['output'];
  EnrollmentConnection: EnrollmentPage;
  Instructor: InstructorDoc;
  InstructorConnection: InstructorPage;
  InstructorContact: InstructorContact;
  InstructorFilter: InstructorFilter;
  InstructorWorkload: WorkloadRow;
  Mutation: Record<PropertyKey, never>;
  Organization: OrganizationRef;
  PageInfo: PageInfo;
  PublishSyllabusModuleInput: PublishSyllabusModuleInput;
  Qualification: Qualification;
  QualificationInput: QualificationInput;
  Query: Record<PropertyKey, never>;
  RateInstructorInput: RateInstructorInput;
  RecordAttendanceInput: RecordAttendanceInput;
  RevealedInstructorContact: RevealedContact;
  SessionInput: SessionInput;
  SessionRating: SessionRatingDoc;
  Syllabus: Omit<Syllabus, 'modules'> & { modules: Array<ResolversParentTypes['SyllabusModule']> };
  SyllabusModule: SyllabusModuleDoc;
  TrainedByCategory: TrainedByCategory;
  TrainedCadres: TrainedCadres;
  TrainingClass: TrainingClassDoc;
  TrainingClassConnection: TrainingClassPage;
  TrainingClassFilter: TrainingClassFilter;
  TrainingSession: SessionDoc;
  UpdateInstructorInput: UpdateInstructorInput;
  Workload: Workload;
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

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EnrollmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Enrollment'] = ResolversParentTypes['Enrollment']> = {
  attendanceRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  attendedHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  completed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  completedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  enrolledOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trainingClass?: Resolver<ResolversTypes['TrainingClass'], ParentType, ContextType>;
  withdrawnOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
};

export type EnrollmentConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['EnrollmentConnection'] = ResolversParentTypes['EnrollmentConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Enrollment']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type InstructorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Instructor'] = ResolversParentTypes['Instructor'], FederationReferenceType extends FederationReferenceTypes['Instructor'] = FederationReferenceTypes['Instructor']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Instructor']> | FederationReferenceType, FederationReferenceType, ContextType>;
  category?: Resolver<ResolversTypes['InstructorCategory'], ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['InstructorContact'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  joinedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  qualifications?: Resolver<Array<ResolversTypes['Qualification']>, ParentType, ContextType>;
  rating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ratingCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sessions?: Resolver<Array<ResolversTypes['TrainingSession']>, ParentType, ContextType, RequireFields<InstructorSessionsArgs, 'from' | 'to'>>;
  status?: Resolver<ResolversTypes['InstructorStatus'], ParentType, ContextType>;
  statusSince?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['OrganizationLevel'], ParentType, ContextType>;
  topics?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  workload?: Resolver<ResolversTypes['Workload'], ParentType, ContextType, RequireFields<InstructorWorkloadArgs, 'from' | 'to'>>;
};

export type InstructorConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InstructorConnection'] = ResolversParentTypes['InstructorConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Instructor']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type InstructorContactResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InstructorContact'] = ResolversParentTypes['InstructorContact']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type InstructorWorkloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InstructorWorkload'] = ResolversParentTypes['InstructorWorkload']> = {
  classes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  hours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  instructor?: Resolver<ResolversTypes['Instructor'], ParentType, ContextType>;
  sessions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addSession?: Resolver<ResolversTypes['TrainingSession'], ParentType, ContextType, RequireFields<MutationAddSessionArgs, 'input'>>;
  assignInstructor?: Resolver<ResolversTypes['TrainingSession'], ParentType, ContextType, RequireFields<MutationAssignInstructorArgs, 'instructorId' | 'sessionId'>>;
  cancelTrainingClass?: Resolver<ResolversTypes['TrainingClass'], ParentType, ContextType, RequireFields<MutationCancelTrainingClassArgs, 'id' | 'on'>>;
  createInstructor?: Resolver<ResolversTypes['Instructor'], ParentType, ContextType, RequireFields<MutationCreateInstructorArgs, 'input'>>;
  createTrainingClass?: Resolver<ResolversTypes['TrainingClass'], ParentType, ContextType, RequireFields<MutationCreateTrainingClassArgs, 'input'>>;
  enroll?: Resolver<ResolversTypes['Enrollment'], ParentType, ContextType, RequireFields<MutationEnrollArgs, 'input'>>;
  publishSyllabusModule?: Resolver<ResolversTypes['SyllabusModule'], ParentType, ContextType, RequireFields<MutationPublishSyllabusModuleArgs, 'input'>>;
  rateInstructor?: Resolver<ResolversTypes['TrainingSession'], ParentType, ContextType, RequireFields<MutationRateInstructorArgs, 'input'>>;
  recordAttendance?: Resolver<ResolversTypes['Enrollment'], ParentType, ContextType, RequireFields<MutationRecordAttendanceArgs, 'input'>>;
  revealInstructorContact?: Resolver<ResolversTypes['RevealedInstructorContact'], ParentType, ContextType, RequireFields<MutationRevealInstructorContactArgs, 'id'>>;
  setInstructorStatus?: Resolver<ResolversTypes['Instructor'], ParentType, ContextType, RequireFields<MutationSetInstructorStatusArgs, 'id' | 'since' | 'status'>>;
  updateInstructor?: Resolver<ResolversTypes['Instructor'], ParentType, ContextType, RequireFields<MutationUpdateInstructorArgs, 'id' | 'input'>>;
  withdrawEnrollment?: Resolver<ResolversTypes['Enrollment'], ParentType, ContextType, RequireFields<MutationWithdrawEnrollmentArgs, 'id' | 'on'>>;
};

export type OrganizationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  hostedClasses?: Resolver<Maybe<ResolversTypes['TrainingClassConnection']>, ParentType, ContextType, Partial<OrganizationHostedClassesArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  instructorPool?: Resolver<Maybe<ResolversTypes['InstructorConnection']>, ParentType, ContextType, RequireFields<OrganizationInstructorPoolArgs, 'includeSubtree'>>;
  trainedCadres?: Resolver<Maybe<ResolversTypes['TrainedCadres']>, ParentType, ContextType, RequireFields<OrganizationTrainedCadresArgs, 'year'>>;
  trainingAudit?: Resolver<Maybe<ResolversTypes['AuditConnection']>, ParentType, ContextType, Partial<OrganizationTrainingAuditArgs>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QualificationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Qualification'] = ResolversParentTypes['Qualification']> = {
  expiresOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  issuedOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  moduleCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  instructor?: Resolver<Maybe<ResolversTypes['Instructor']>, ParentType, ContextType, RequireFields<QueryInstructorArgs, 'id'>>;
  instructorWorkloads?: Resolver<Array<ResolversTypes['InstructorWorkload']>, ParentType, ContextType, RequireFields<QueryInstructorWorkloadsArgs, 'from' | 'to'>>;
  instructors?: Resolver<ResolversTypes['InstructorConnection'], ParentType, ContextType, Partial<QueryInstructorsArgs>>;
  syllabus?: Resolver<ResolversTypes['Syllabus'], ParentType, ContextType, Partial<QuerySyllabusArgs>>;
  syllabusModuleVersions?: Resolver<Array<ResolversTypes['SyllabusModule']>, ParentType, ContextType, RequireFields<QuerySyllabusModuleVersionsArgs, 'code'>>;
  trainedCadres?: Resolver<Maybe<ResolversTypes['TrainedCadres']>, ParentType, ContextType, RequireFields<QueryTrainedCadresArgs, 'organizationId' | 'year'>>;
  trainingClass?: Resolver<Maybe<ResolversTypes['TrainingClass']>, ParentType, ContextType, RequireFields<QueryTrainingClassArgs, 'id'>>;
  trainingClasses?: Resolver<ResolversTypes['TrainingClassConnection'], ParentType, ContextType, Partial<QueryTrainingClassesArgs>>;
};

export type RevealedInstructorContactResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RevealedInstructorContact'] = ResolversParentTypes['RevealedInstructorContact']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  instructor?: Resolver<ResolversTypes['Instructor'], ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SessionRatingResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SessionRating'] = ResolversParentTypes['SessionRating']> = {
  instructor?: Resolver<ResolversTypes['Instructor'], ParentType, ContextType>;
  responses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type SyllabusResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Syllabus'] = ResolversParentTypes['Syllabus']> = {
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  modules?: Resolver<Array<ResolversTypes['SyllabusModule']>, ParentType, ContextType>;
  totalHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type SyllabusModuleResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SyllabusModule'] = ResolversParentTypes['SyllabusModule']> = {
  audienceLevels?: Resolver<Array<ResolversTypes['OrganizationLevel']>, ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  effectiveFrom?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  hours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  objectives?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  supersededOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrainedByCategoryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrainedByCategory'] = ResolversParentTypes['TrainedByCategory']> = {
  category?: Resolver<ResolversTypes['TrainingCategory'], ParentType, ContextType>;
  completed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrainedCadresResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrainedCadres'] = ResolversParentTypes['TrainedCadres']> = {
  byCategory?: Resolver<Array<ResolversTypes['TrainedByCategory']>, ParentType, ContextType>;
  classesHosted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  completed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  enrolled?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrainingClassResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrainingClass'] = ResolversParentTypes['TrainingClass'], FederationReferenceType extends FederationReferenceTypes['TrainingClass'] = FederationReferenceTypes['TrainingClass']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TrainingClass']> | FederationReferenceType, FederationReferenceType, ContextType>;
  audienceLevel?: Resolver<Maybe<ResolversTypes['OrganizationLevel']>, ParentType, ContextType>;
  cancelledOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  category?: Resolver<ResolversTypes['TrainingCategory'], ParentType, ContextType>;
  completedCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  endsOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  enrollmentCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  enrollments?: Resolver<ResolversTypes['EnrollmentConnection'], ParentType, ContextType, RequireFields<TrainingClassEnrollmentsArgs, 'includeWithdrawn'>>;
  host?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  instructors?: Resolver<Array<ResolversTypes['Instructor']>, ParentType, ContextType>;
  modules?: Resolver<Array<ResolversTypes['SyllabusModule']>, ParentType, ContextType>;
  place?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sessions?: Resolver<Array<ResolversTypes['TrainingSession']>, ParentType, ContextType>;
  startsOn?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TrainingClassStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  totalHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type TrainingClassConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrainingClassConnection'] = ResolversParentTypes['TrainingClassConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['TrainingClass']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrainingSessionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrainingSession'] = ResolversParentTypes['TrainingSession']> = {
  endsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  hours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  instructors?: Resolver<Array<ResolversTypes['Instructor']>, ParentType, ContextType>;
  moduleCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ratings?: Resolver<Array<ResolversTypes['SessionRating']>, ParentType, ContextType>;
  startsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  trainingClass?: Resolver<ResolversTypes['TrainingClass'], ParentType, ContextType>;
};

export type WorkloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Workload'] = ResolversParentTypes['Workload']> = {
  classes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  hours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  sessions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  AuditConnection?: AuditConnectionResolvers<ContextType>;
  AuditEntry?: AuditEntryResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  Enrollment?: EnrollmentResolvers<ContextType>;
  EnrollmentConnection?: EnrollmentConnectionResolvers<ContextType>;
  Instructor?: InstructorResolvers<ContextType>;
  InstructorConnection?: InstructorConnectionResolvers<ContextType>;
  InstructorContact?: InstructorContactResolvers<ContextType>;
  InstructorWorkload?: InstructorWorkloadResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Qualification?: QualificationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RevealedInstructorContact?: RevealedInstructorContactResolvers<ContextType>;
  SessionRating?: SessionRatingResolvers<ContextType>;
  Syllabus?: SyllabusResolvers<ContextType>;
  SyllabusModule?: SyllabusModuleResolvers<ContextType>;
  TrainedByCategory?: TrainedByCategoryResolvers<ContextType>;
  TrainedCadres?: TrainedCadresResolvers<ContextType>;
  TrainingClass?: TrainingClassResolvers<ContextType>;
  TrainingClassConnection?: TrainingClassConnectionResolvers<ContextType>;
  TrainingSession?: TrainingSessionResolvers<ContextType>;
  Workload?: WorkloadResolvers<ContextType>;
};

