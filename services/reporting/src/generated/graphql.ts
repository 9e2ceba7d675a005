import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrganizationRef, SubmissionDoc, SubmissionPage, PeriodView, ActorDoc, CompletenessView, CompletenessEntryView, CompletenessEntryPage, TargetDoc, TargetProgressView, WorkPlanTaskDoc, TaskProgressView, TaskTallyView, NoticeDoc, NoticePage, ReadReceiptDoc } from '../models';
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

/** Who did something, as the token named them. */
export type Actor = {
  __typename?: 'Actor';
  name?: Maybe<Scalars['String']['output']>;
  /** The branch the person acted for. */
  organization?: Maybe<Organization>;
  userId: Scalars['String']['output'];
};

/** Shares of a target for branches directly below its holder. */
export type AllocateTargetInput = {
  allocations: Array<AllocationInput>;
  targetId: Scalars['ID']['input'];
};

export type AllocationInput = {
  organizationId: Scalars['ID']['input'];
  /** 0 withdraws the share. */
  value: Scalars['Int']['input'];
};

/**
 * Annex 2 for a branch's subtree and a year (increase against the year before). The reporting
 * subgraph only declares the key; the indicators come from the subgraphs that own them.
 */
export type AnnualIncrease = {
  __typename?: 'AnnualIncrease';
  organizationId: Scalars['ID']['output'];
  year: Scalars['Int']['output'];
};

/** Which branches under a branch have submitted a table for a period (报送情况). */
export type Completeness = {
  __typename?: 'Completeness';
  counts: CompletenessCounts;
  /** Branches in division-code order, filtered by status; at most 100 per page. */
  entries: CompletenessEntryConnection;
  period: Period;
  scope: CompletenessScope;
};

/** Counts by status in a completeness view (over the whole scope, not only one page). */
export type CompletenessCounts = {
  __typename?: 'CompletenessCounts';
  approved: Scalars['Int']['output'];
  excused: Scalars['Int']['output'];
  late: Scalars['Int']['output'];
  notSubmitted: Scalars['Int']['output'];
  onTime: Scalars['Int']['output'];
  overdue: Scalars['Int']['output'];
  returned: Scalars['Int']['output'];
  submitted: Scalars['Int']['output'];
  total: Scalars['Int']['output'];
};

/** One branch in a completeness view. */
export type CompletenessEntry = {
  __typename?: 'CompletenessEntry';
  level: Scalars['String']['output'];
  /** The branch's name, from the branch directory. */
  name: Scalars['String']['output'];
  organization: Organization;
  status: FilingStatus;
  submission?: Maybe<Submission>;
  timeliness?: Maybe<Timeliness>;
};

export type CompletenessEntryConnection = {
  __typename?: 'CompletenessEntryConnection';
  nodes: Array<CompletenessEntry>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** Which branches a completeness view lists. */
export type CompletenessScope =
  /** The branches directly below. */
  | 'CHILDREN'
  /** Every branch below, at any depth. */
  | 'SUBTREE';

/** The branch above excuses a branch from submitting for a period (免报). */
export type ExcuseBranchInput = {
  organizationId: Scalars['ID']['input'];
  period: PeriodInput;
  reason: Scalars['String']['input'];
};

/** A file, returned inline: decode base64 and save it under filename. */
export type ExportFile = {
  __typename?: 'ExportFile';
  base64: Scalars['String']['output'];
  byteLength: Scalars['Int']['output'];
  contentType: Scalars['String']['output'];
  filename: Scalars['String']['output'];
};

export type ExportFormat =
  /** Comma-separated, UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese). */
  | 'CSV'
  /** Excel workbook (.xlsx). */
  | 'XLSX';

export type ExportSource =
  /** The values the graph answers now. */
  | 'LIVE'
  /** The frozen values of the branch's submission for the period. */
  | 'SUBMITTED';

/** Where a branch's table stands for a period. */
export type FilingStatus =
  /** 已审核: approved by the branch above; the values are locked. */
  | 'APPROVED'
  /** 已免报: excused by the branch above, with a reason. */
  | 'EXCUSED'
  /** 未报送: nothing submitted (or only an excuse withdrawn by a submission). */
  | 'NOT_SUBMITTED'
  /** 已退回: returned by the branch above with a comment; to be corrected and submitted again. */
  | 'RETURNED'
  /** 已报送: submitted, waiting for the branch above. */
  | 'SUBMITTED';

/** A row whose frozen (submitted) value differs from the live value now. */
export type IndicatorDifference = {
  __typename?: 'IndicatorDifference';
  field: Scalars['String']['output'];
  frozen?: Maybe<Scalars['Int']['output']>;
  label: Scalars['String']['output'];
  live?: Maybe<Scalars['Int']['output']>;
  number: Scalars['Int']['output'];
};

/** One row of a table: its number (序号), label (工作事项), unit and value. */
export type IndicatorValue = {
  __typename?: 'IndicatorValue';
  /** The field name in Survey / AnnualIncrease, e.g. countiesRationalized. */
  field: Scalars['String']['output'];
  /** 工作事项, as in the annex. */
  label: Scalars['String']['output'];
  /** 序号 (1-14). */
  number: Scalars['Int']['output'];
  /** 个, 人 or 小时. */
  unit: Scalars['String']['output'];
  /** Null when the graph did not answer this indicator when the values were read. */
  value?: Maybe<Scalars['Int']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Allocates shares of a target to branches directly below its holder (ADMIN of the holder). The
   * allocations may not add up to more than the target, nor a share drop below what its holder
   * has already allocated further down.
   */
  allocateTarget: Target;
  /** Approves a SUBMITTED submission (ADMIN of the branch above); its values are locked. */
  approveSubmission: Submission;
  /** Excuses a branch that has not submitted from a period, with a reason (ADMIN of the branch above). */
  excuseBranch: Submission;
  /** Records that a recipient branch read a notice (any role of that branch). */
  markNoticeRead: Notice;
  /** Sends a reminder letter to every direct child lagging on a period; null if none lags. */
  remindLagging?: Maybe<Notice>;
  /** Returns a SUBMITTED submission with a comment (ADMIN of the branch above). */
  returnSubmission: Submission;
  /** Sends a bulletin or reminder letter to branches below the sender (ADMIN of the sender). */
  sendNotice: Notice;
  /** Sets the due date of a period (ADMIN of the national headquarters). */
  setDueDate: Period;
  /** Records a branch's status on a task (ADMIN or STAFF of the branch itself). */
  setTaskStatus: TaskProgress;
  /**
   * Submits a branch's table for a period (ADMIN or REPORTER of the branch itself): the live
   * values are frozen with who and when. Only once every branch directly below is APPROVED or
   * EXCUSED (CONFLICT otherwise); an APPROVED submission is locked (CONFLICT). The national
   * headquarters' submission has no branch above and is final at once (APPROVED).
   */
  submitReport: Submission;
};


export type MutationAllocateTargetArgs = {
  input: AllocateTargetInput;
};


export type MutationApproveSubmissionArgs = {
  comment?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationExcuseBranchArgs = {
  input: ExcuseBranchInput;
};


export type MutationMarkNoticeReadArgs = {
  id: Scalars['ID']['input'];
  organizationId: Scalars['ID']['input'];
};


export type MutationRemindLaggingArgs = {
  input: RemindLaggingInput;
};


export type MutationReturnSubmissionArgs = {
  comment: Scalars['String']['input'];
  id: Scalars['ID']['input'];
};


export type MutationSendNoticeArgs = {
  input: SendNoticeInput;
};


export type MutationSetDueDateArgs = {
  input: SetDueDateInput;
};


export type MutationSetTaskStatusArgs = {
  input: SetTaskStatusInput;
};


export type MutationSubmitReportArgs = {
  input: SubmitReportInput;
};

/** A bulletin or reminder letter sent by a branch to branches below it. */
export type Notice = {
  __typename?: 'Notice';
  body: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  kind: NoticeKind;
  /** The reporting period the notice is about (e.g. a reminder to submit). */
  period?: Maybe<Period>;
  /** One receipt per recipient branch that has read it. */
  readReceipts: Array<ReadReceipt>;
  recipients: Array<Organization>;
  sender: Organization;
  sentAt: Scalars['DateTime']['output'];
  sentBy: Actor;
  /** Work plan task numbers the notice is about. */
  taskNumbers: Array<Scalars['Int']['output']>;
  title: Scalars['String']['output'];
};

export type NoticeConnection = {
  __typename?: 'NoticeConnection';
  nodes: Array<Notice>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type NoticeDirection =
  | 'RECEIVED'
  | 'SENT';

export type NoticeKind =
  /** 工作通报: praises good work. */
  | 'BULLETIN'
  /** 提示函: reminds branches that lag. */
  | 'REMINDER';

/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type Organization = {
  __typename?: 'Organization';
  /**
   * Annex 2 (附件2 组织体系建设年工作成效统计表) for this branch's whole subtree: each indicator's
   * increase during the year. Same visibility as survey.
   */
  annualIncrease: AnnualIncrease;
  /**
   * Who under this branch has submitted a table for a period (children, or the whole subtree),
   * with status and timeliness against the period's due date.
   */
  completeness: Completeness;
  /**
   * A table of this branch for a period as a file laid out like the seed's annex (序号, 工作事项,
   * 个(人、小时)), with Chinese headers: live values, or the frozen values of its submission.
   */
  exportTable: ExportFile;
  id: Scalars['ID']['output'];
  /** Notices (工作通报, 提示函) this branch received or sent, newest first. */
  notices: NoticeConnection;
  /** This branch's own submission (报送) of a table for a period, if it has one. */
  submission?: Maybe<Submission>;
  /** Submissions of this branch and every branch below it, in division-code order. */
  submissions: SubmissionConnection;
  /**
   * Annex 1 (附件1 组织体系建设工作情况调查表) for this branch's whole subtree on a date. The
   * indicators are filled in by the subgraphs that own them; visible to ADMIN, STAFF, REPORTER,
   * VIEWER inside their own subtree.
   */
  survey: Survey;
  /** Progress against every target measure for a year: actual increase (annex 2, live) / target. */
  targetProgress: Array<TargetProgress>;
  /** Targets (工作目标) this branch holds for a year: the national ones, or those allocated to it. */
  targets: Array<Target>;
  /** This branch's status on each task of the work plan (工作方案) of a year. */
  workPlan: Array<TaskProgress>;
  /** For each task of the work plan, how many branches directly below this one have not started, are working on it, are done. */
  workPlanOverview: Array<TaskTally>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationAnnualIncreaseArgs = {
  year: Scalars['Int']['input'];
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationCompletenessArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  period: PeriodInput;
  scope?: InputMaybe<CompletenessScope>;
  status?: InputMaybe<Array<FilingStatus>>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationExportTableArgs = {
  format: ExportFormat;
  period: PeriodInput;
  source?: InputMaybe<ExportSource>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationNoticesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  direction?: InputMaybe<NoticeDirection>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<NoticeKind>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationSubmissionArgs = {
  period: PeriodInput;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationSubmissionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SubmissionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationSurveyArgs = {
  asOf: Scalars['Date']['input'];
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationTargetProgressArgs = {
  year: Scalars['Int']['input'];
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationTargetsArgs = {
  year: Scalars['Int']['input'];
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationWorkPlanArgs = {
  year?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A Red Cross branch (红十字会), owned by the organizations subgraph. This subgraph adds the entry
 * points of the two report tables and everything about reporting them up the tree: submissions
 * (报送), targets (工作目标), the work plan (工作方案) and notices (工作通报, 提示函).
 */
export type OrganizationWorkPlanOverviewArgs = {
  year?: InputMaybe<Scalars['Int']['input']>;
};

/** Cursor pagination: pass endCursor as `after` for the next page. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** A reporting period as stored and shown. */
export type Period = {
  __typename?: 'Period';
  /** The survey date (SURVEY); null for ANNUAL. */
  asOf?: Maybe<Scalars['Date']['output']>;
  /** When submissions for this period are due (默认当年12月31日, configurable per period). */
  dueDate: Scalars['Date']['output'];
  /** The period as one string, e.g. SURVEY:2021-06-30 or ANNUAL:2021. */
  key: Scalars['String']['output'];
  table: ReportTable;
  /** The year of the period (for SURVEY, the year of asOf). */
  year: Scalars['Int']['output'];
};

/** A reporting period: SURVEY with asOf, or ANNUAL with year. */
export type PeriodInput = {
  /** The survey date (SURVEY only). */
  asOf?: InputMaybe<Scalars['Date']['input']>;
  table: ReportTable;
  /** The year (ANNUAL only). */
  year?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** Progress against the national targets of a year (the national headquarters' targets). */
  nationalProgress: Array<TargetProgress>;
  /** A notice by id (sent from or to a branch within the viewer's subtree). */
  notice?: Maybe<Notice>;
  /** The reporting period of a table, with its due date. */
  reportingPeriod: Period;
  /** A submission by id (within the viewer's subtree). */
  submission?: Maybe<Submission>;
  /** The tasks of the work plan of a year (the seed's 20 tasks for 2021). */
  workPlan: Array<WorkPlanTask>;
};


export type QueryNationalProgressArgs = {
  year: Scalars['Int']['input'];
};


export type QueryNoticeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReportingPeriodArgs = {
  period: PeriodInput;
};


export type QuerySubmissionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWorkPlanArgs = {
  year?: InputMaybe<Scalars['Int']['input']>;
};

/** A read receipt: a recipient branch opened the notice. */
export type ReadReceipt = {
  __typename?: 'ReadReceipt';
  organization: Organization;
  readAt: Scalars['DateTime']['output'];
  readBy: Actor;
};

/** A reminder letter (提示函) to every direct child that has not submitted (or was returned) for a period. */
export type RemindLaggingInput = {
  body?: InputMaybe<Scalars['String']['input']>;
  period: PeriodInput;
  senderId: Scalars['ID']['input'];
  title?: InputMaybe<Scalars['String']['input']>;
};

/** The two tables of the seed's annexes. */
export type ReportTable =
  /** 附件2 组织体系建设年工作成效统计表: increases during a year (year). */
  | 'ANNUAL'
  /** 附件1 组织体系建设工作情况调查表: values on a date (asOf). */
  | 'SURVEY';

export type SendNoticeInput = {
  body: Scalars['String']['input'];
  kind: NoticeKind;
  period?: InputMaybe<PeriodInput>;
  /** Branches below the sender (1 to 1000). */
  recipientIds: Array<Scalars['ID']['input']>;
  /** The sending branch: the viewer's own branch. */
  senderId: Scalars['ID']['input'];
  taskNumbers?: InputMaybe<Array<Scalars['Int']['input']>>;
  title: Scalars['String']['input'];
};

export type SetDueDateInput = {
  dueDate: Scalars['Date']['input'];
  period: PeriodInput;
};

export type SetTaskStatusInput = {
  /** Defaults to today when the task is done. */
  completedOn?: InputMaybe<Scalars['Date']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  organizationId: Scalars['ID']['input'];
  /** Defaults to today when work starts. */
  startedOn?: InputMaybe<Scalars['Date']['input']>;
  state: TaskState;
  /** The task's number in the work plan (1-20). */
  taskNumber: Scalars['Int']['input'];
  year?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * A branch's table for a period, submitted to the branch above (报送上级): the values are frozen
 * with who submitted and when; the branch above approves or returns it; approved data is locked.
 * An excuse (免报) recorded by the branch above is kept here too, with status EXCUSED.
 */
export type Submission = {
  __typename?: 'Submission';
  /** The comment of the last approval or return. */
  comment?: Maybe<Scalars['String']['output']>;
  /** The reason of an excuse. */
  excuseReason?: Maybe<Scalars['String']['output']>;
  /** Every submission, return, approval and excuse, oldest first. */
  history: Array<SubmissionEvent>;
  id: Scalars['ID']['output'];
  organization: Organization;
  /** The submission of the branch above for the same period, if any. */
  parentSubmission?: Maybe<Submission>;
  period: Period;
  reviewedAt?: Maybe<Scalars['DateTime']['output']>;
  reviewedBy?: Maybe<Actor>;
  /** The branch above, which reviews this submission; null for the national headquarters. */
  reviewer?: Maybe<Organization>;
  /** Whether any frozen value now differs from its live value. */
  stale: Scalars['Boolean']['output'];
  /** Rows whose frozen values now differ from the live values (empty when current). */
  staleIndicators: Array<IndicatorDifference>;
  status: FilingStatus;
  submittedAt?: Maybe<Scalars['DateTime']['output']>;
  submittedBy?: Maybe<Actor>;
  timeliness?: Maybe<Timeliness>;
  /** The frozen values (empty for an excuse). */
  values: Array<IndicatorValue>;
};

export type SubmissionAction =
  | 'APPROVED'
  | 'EXCUSED'
  | 'RETURNED'
  | 'SUBMITTED';

export type SubmissionConnection = {
  __typename?: 'SubmissionConnection';
  nodes: Array<Submission>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** One step in a submission's life. */
export type SubmissionEvent = {
  __typename?: 'SubmissionEvent';
  action: SubmissionAction;
  at: Scalars['DateTime']['output'];
  by: Actor;
  comment?: Maybe<Scalars['String']['output']>;
};

/** Filters for lists of submissions; all given conditions must hold. */
export type SubmissionFilter = {
  /** Only this period (table, asOf or year). */
  period?: InputMaybe<PeriodInput>;
  status?: InputMaybe<Array<FilingStatus>>;
  table?: InputMaybe<ReportTable>;
};

/** A branch submits its table for a period to the branch above. */
export type SubmitReportInput = {
  organizationId: Scalars['ID']['input'];
  period: PeriodInput;
};

/**
 * Annex 1 for a branch's subtree on a date. The reporting subgraph only declares the key: the 14
 * indicators are contributed by organizations (rows 1-7), grassroots (row 8) and people (rows 9-14).
 */
export type Survey = {
  __typename?: 'Survey';
  asOf: Scalars['Date']['output'];
  organizationId: Scalars['ID']['output'];
};

/**
 * A target (工作目标) for a year held by a branch: the national targets of the seed, or a share
 * allocated down the tree by the branch above.
 */
export type Target = {
  __typename?: 'Target';
  /** The sum of the allocations. */
  allocated: Scalars['Int']['output'];
  /** The target this one was allocated from; null for the national targets. */
  allocatedFrom?: Maybe<Target>;
  /** Shares allocated to the branches directly below. */
  allocations: Array<Target>;
  /** What the seed says, e.g. 全年新增红十字会基层组织 1 万个. */
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  measure: TargetMeasure;
  organization: Organization;
  /** value minus allocated: the share the branch keeps for its own records. Never negative. */
  unallocated: Scalars['Int']['output'];
  updatedAt: Scalars['DateTime']['output'];
  updatedBy?: Maybe<Actor>;
  value: Scalars['Int']['output'];
  year: Scalars['Int']['output'];
};

/** What a target counts. */
export type TargetMeasure =
  /** 全年新增城乡社区博爱家园 (not in the annex tables). */
  | 'BOAI_HOMES'
  /** 全年新增理顺管理体制的县级红十字会 (annex 2 row 1). */
  | 'COUNTIES_RATIONALIZED'
  /** 城市社区博爱家园示范点 (not in the annex tables). */
  | 'DEMONSTRATION_BOAI_HOMES'
  /** 全年新增红十字会基层组织 (annex 2 row 8). */
  | 'GRASSROOTS_UNITS'
  /** 全年新增红十字会员: adult plus youth members (annex 2 rows 10 and 11). */
  | 'MEMBERS'
  /** 推选“会员之星” (not in the annex tables). */
  | 'MEMBER_STARS'
  /** 全年新增红十字注册志愿者 (annex 2 row 12). */
  | 'REGISTERED_VOLUNTEERS';

/** Progress on one measure for a branch and a year. */
export type TargetProgress = {
  __typename?: 'TargetProgress';
  /** The actual increase during the year over the branch's subtree (live); null if not measured by the annex tables or not answered. */
  actual?: Maybe<Scalars['Int']['output']>;
  description: Scalars['String']['output'];
  /** The annex 2 rows this measure adds up (empty: not measured by the annex tables). */
  fields: Array<Scalars['String']['output']>;
  measure: TargetMeasure;
  /** actual / target value; null without both. */
  ratio?: Maybe<Scalars['Float']['output']>;
  /** The branch's target for the measure; null if it holds none. */
  target?: Maybe<Target>;
};

/** A branch's status on one task of the work plan. */
export type TaskProgress = {
  __typename?: 'TaskProgress';
  completedOn?: Maybe<Scalars['Date']['output']>;
  note?: Maybe<Scalars['String']['output']>;
  organization: Organization;
  startedOn?: Maybe<Scalars['Date']['output']>;
  state: TaskState;
  task: WorkPlanTask;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  updatedBy?: Maybe<Actor>;
};

/** Where a branch stands on a task. */
export type TaskState =
  | 'DONE'
  | 'IN_PROGRESS'
  | 'NOT_STARTED';

/** How many of a branch's direct children stand where on a task. */
export type TaskTally = {
  __typename?: 'TaskTally';
  done: Scalars['Int']['output'];
  inProgress: Scalars['Int']['output'];
  notStarted: Scalars['Int']['output'];
  task: WorkPlanTask;
};

/** Whether a table came in by the period's due date. */
export type Timeliness =
  /** Submitted after the due date. */
  | 'LATE'
  /** Submitted on or before the due date. */
  | 'ON_TIME'
  /** Not submitted, and the due date has passed. */
  | 'OVERDUE'
  /** Not submitted, and the due date has not passed. */
  | 'PENDING';

/** A task of the work plan (工作方案 二、重点任务和推进措施), as the seed numbers it. */
export type WorkPlanTask = {
  __typename?: 'WorkPlanTask';
  /** First and last month (5 and 7 for 5月—7月; equal for a single month). */
  fromMonth: Scalars['Int']['output'];
  /** The section heading, e.g. 推进地方红十字会规范化建设. */
  heading: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The months as the seed writes them, e.g. 5月—7月. */
  months: Scalars['String']['output'];
  /** 1 to 20. */
  number: Scalars['Int']['output'];
  /** 责任单位, as the seed lists them. */
  responsibleUnits: Array<Scalars['String']['output']>;
  /** Section number (一 to 四 as 1 to 4). */
  section: Scalars['Int']['output'];
  /** The task's text as in the seed. */
  text: Scalars['String']['output'];
  toMonth: Scalars['Int']['output'];
  year: Scalars['Int']['output'];
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
  Actor: ResolverTypeWrapper<ActorDoc>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AllocateTargetInput: AllocateTargetInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AllocationInput: AllocationInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AnnualIncrease: ResolverTypeWrapper<AnnualIncrease>;
  Completeness: ResolverTypeWrapper<CompletenessView>;
  CompletenessCounts: ResolverTypeWrapper<CompletenessCounts>;
  CompletenessEntry: ResolverTypeWrapper<CompletenessEntryView>;
  CompletenessEntryConnection: ResolverTypeWrapper<CompletenessEntryPage>;
  CompletenessScope: CompletenessScope;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ExcuseBranchInput: ExcuseBranchInput;
  ExportFile: ResolverTypeWrapper<ExportFile>;
  ExportFormat: ExportFormat;
  ExportSource: ExportSource;
  FilingStatus: FilingStatus;
  IndicatorDifference: ResolverTypeWrapper<IndicatorDifference>;
  IndicatorValue: ResolverTypeWrapper<IndicatorValue>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Notice: ResolverTypeWrapper<NoticeDoc>;
  NoticeConnection: ResolverTypeWrapper<NoticePage>;
  NoticeDirection: NoticeDirection;
  NoticeKind: NoticeKind;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Period: ResolverTypeWrapper<PeriodView>;
  PeriodInput: PeriodInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReadReceipt: ResolverTypeWrapper<ReadReceiptDoc>;
  RemindLaggingInput: RemindLaggingInput;
  ReportTable: ReportTable;
  SendNoticeInput: SendNoticeInput;
  SetDueDateInput: SetDueDateInput;
  SetTaskStatusInput: SetTaskStatusInput;
  Submission: ResolverTypeWrapper<SubmissionDoc>;
  SubmissionAction: SubmissionAction;
  SubmissionConnection: ResolverTypeWrapper<SubmissionPage>;
  SubmissionEvent: ResolverTypeWrapper<Omit<SubmissionEvent, 'by'> & { by: ResolversTypes['Actor'] }>;
  SubmissionFilter: SubmissionFilter;
  SubmitReportInput: SubmitReportInput;
  Survey: ResolverTypeWrapper<Survey>;
  Target: ResolverTypeWrapper<TargetDoc>;
  TargetMeasure: TargetMeasure;
  TargetProgress: ResolverTypeWrapper<TargetProgressView>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  TaskProgress: ResolverTypeWrapper<TaskProgressView>;
  TaskState: TaskState;
  TaskTally: ResolverTypeWrapper<TaskTallyView>;
  Timeliness: Timeliness;
  WorkPlanTask: ResolverTypeWrapper<WorkPlanTaskDoc>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Actor: ActorDoc;
  String: Scalars['String']['output'];
  AllocateTargetInput: AllocateTargetInput;
  ID: Scalars['ID']['output'];
  AllocationInput: AllocationInput;
  Int: Scalars['Int']['output'];
  AnnualIncrease: AnnualIncrease | FederationReferenceTypes['AnnualIncrease'];
  Completeness: CompletenessView;
  CompletenessCounts: CompletenessCounts;
  CompletenessEntry: CompletenessEntryView;
  CompletenessEntryConnection: CompletenessEntryPage;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  ExcuseBranchInput: ExcuseBranchInput;
  ExportFile: ExportFile;
  IndicatorDifference: IndicatorDifference;
  IndicatorValue: IndicatorValue;
  Mutation: Record<PropertyKey, never>;
  Notice: NoticeDoc;
  NoticeConnection: NoticePage;
  Organization: OrganizationRef;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Period: PeriodView;
  PeriodInput: PeriodInput;
  Query: Record<PropertyKey, never>;
  ReadReceipt: ReadReceiptDoc;
  RemindLaggingInput: RemindLaggingInput;
  SendNoticeInput: SendNoticeInput;
  SetDueDateInput: SetDueDateInput;
  SetTaskStatusInput: SetTaskStatusInput;
  Submission: SubmissionDoc;
  SubmissionConnection: SubmissionPage;
  SubmissionEvent: Omit<SubmissionEvent, 'by'> & { by: ResolversParentTypes['Actor'] };
  SubmissionFilter: SubmissionFilter;
  SubmitReportInput: SubmitReportInput;
  Survey: Survey | FederationReferenceTypes['Survey'];
  Target: TargetDoc;
  TargetProgress: TargetProgressView;
  Float: Scalars['Float']['output'];
  TaskProgress: TaskProgressView;
  TaskTally: TaskTallyView;
  WorkPlanTask: WorkPlanTaskDoc;
};

export type ActorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Actor'] = ResolversParentTypes['Actor']> = {
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organization?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type AnnualIncreaseResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AnnualIncrease'] = ResolversParentTypes['AnnualIncrease'], FederationReferenceType extends FederationReferenceTypes['AnnualIncrease'] = FederationReferenceTypes['AnnualIncrease']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AnnualIncrease']> | FederationReferenceType, FederationReferenceType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CompletenessResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Completeness'] = ResolversParentTypes['Completeness']> = {
  counts?: Resolver<ResolversTypes['CompletenessCounts'], ParentType, ContextType>;
  entries?: Resolver<ResolversTypes['CompletenessEntryConnection'], ParentType, ContextType>;
  period?: Resolver<ResolversTypes['Period'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['CompletenessScope'], ParentType, ContextType>;
};

export type CompletenessCountsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CompletenessCounts'] = ResolversParentTypes['CompletenessCounts']> = {
  approved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  excused?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  late?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  notSubmitted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  onTime?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  overdue?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  returned?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  submitted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CompletenessEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CompletenessEntry'] = ResolversParentTypes['CompletenessEntry']> = {
  level?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['FilingStatus'], ParentType, ContextType>;
  submission?: Resolver<Maybe<ResolversTypes['Submission']>, ParentType, ContextType>;
  timeliness?: Resolver<Maybe<ResolversTypes['Timeliness']>, ParentType, ContextType>;
};

export type CompletenessEntryConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CompletenessEntryConnection'] = ResolversParentTypes['CompletenessEntryConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['CompletenessEntry']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ExportFileResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExportFile'] = ResolversParentTypes['ExportFile']> = {
  base64?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  byteLength?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  contentType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  filename?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type IndicatorDifferenceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['IndicatorDifference'] = ResolversParentTypes['IndicatorDifference']> = {
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  frozen?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  live?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type IndicatorValueResolvers<ContextType = Context, ParentType extends ResolversParentTypes['IndicatorValue'] = ResolversParentTypes['IndicatorValue']> = {
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unit?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  allocateTarget?: Resolver<ResolversTypes['Target'], ParentType, ContextType, RequireFields<MutationAllocateTargetArgs, 'input'>>;
  approveSubmission?: Resolver<ResolversTypes['Submission'], ParentType, ContextType, RequireFields<MutationApproveSubmissionArgs, 'id'>>;
  excuseBranch?: Resolver<ResolversTypes['Submission'], ParentType, ContextType, RequireFields<MutationExcuseBranchArgs, 'input'>>;
  markNoticeRead?: Resolver<ResolversTypes['Notice'], ParentType, ContextType, RequireFields<MutationMarkNoticeReadArgs, 'id' | 'organizationId'>>;
  remindLagging?: Resolver<Maybe<ResolversTypes['Notice']>, ParentType, ContextType, RequireFields<MutationRemindLaggingArgs, 'input'>>;
  returnSubmission?: Resolver<ResolversTypes['Submission'], ParentType, ContextType, RequireFields<MutationReturnSubmissionArgs, 'comment' | 'id'>>;
  sendNotice?: Resolver<ResolversTypes['Notice'], ParentType, ContextType, RequireFields<MutationSendNoticeArgs, 'input'>>;
  setDueDate?: Resolver<ResolversTypes['Period'], ParentType, ContextType, RequireFields<MutationSetDueDateArgs, 'input'>>;
  setTaskStatus?: Resolver<ResolversTypes['TaskProgress'], ParentType, ContextType, RequireFields<MutationSetTaskStatusArgs, 'input'>>;
  submitReport?: Resolver<ResolversTypes['Submission'], ParentType, ContextType, RequireFields<MutationSubmitReportArgs, 'input'>>;
};

export type NoticeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Notice'] = ResolversParentTypes['Notice']> = {
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['NoticeKind'], ParentType, ContextType>;
  period?: Resolver<Maybe<ResolversTypes['Period']>, ParentType, ContextType>;
  readReceipts?: Resolver<Array<ResolversTypes['ReadReceipt']>, ParentType, ContextType>;
  recipients?: Resolver<Array<ResolversTypes['Organization']>, ParentType, ContextType>;
  sender?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  sentAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sentBy?: Resolver<ResolversTypes['Actor'], ParentType, ContextType>;
  taskNumbers?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type NoticeConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['NoticeConnection'] = ResolversParentTypes['NoticeConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Notice']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type OrganizationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  annualIncrease?: Resolver<ResolversTypes['AnnualIncrease'], ParentType, ContextType, RequireFields<OrganizationAnnualIncreaseArgs, 'year'>>;
  completeness?: Resolver<ResolversTypes['Completeness'], ParentType, ContextType, RequireFields<OrganizationCompletenessArgs, 'period' | 'scope'>>;
  exportTable?: Resolver<ResolversTypes['ExportFile'], ParentType, ContextType, RequireFields<OrganizationExportTableArgs, 'format' | 'period' | 'source'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  notices?: Resolver<ResolversTypes['NoticeConnection'], ParentType, ContextType, RequireFields<OrganizationNoticesArgs, 'direction'>>;
  submission?: Resolver<Maybe<ResolversTypes['Submission']>, ParentType, ContextType, RequireFields<OrganizationSubmissionArgs, 'period'>>;
  submissions?: Resolver<ResolversTypes['SubmissionConnection'], ParentType, ContextType, Partial<OrganizationSubmissionsArgs>>;
  survey?: Resolver<ResolversTypes['Survey'], ParentType, ContextType, RequireFields<OrganizationSurveyArgs, 'asOf'>>;
  targetProgress?: Resolver<Array<ResolversTypes['TargetProgress']>, ParentType, ContextType, RequireFields<OrganizationTargetProgressArgs, 'year'>>;
  targets?: Resolver<Array<ResolversTypes['Target']>, ParentType, ContextType, RequireFields<OrganizationTargetsArgs, 'year'>>;
  workPlan?: Resolver<Array<ResolversTypes['TaskProgress']>, ParentType, ContextType, RequireFields<OrganizationWorkPlanArgs, 'year'>>;
  workPlanOverview?: Resolver<Array<ResolversTypes['TaskTally']>, ParentType, ContextType, RequireFields<OrganizationWorkPlanOverviewArgs, 'year'>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PeriodResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Period'] = ResolversParentTypes['Period']> = {
  asOf?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  dueDate?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  table?: Resolver<ResolversTypes['ReportTable'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  nationalProgress?: Resolver<Array<ResolversTypes['TargetProgress']>, ParentType, ContextType, RequireFields<QueryNationalProgressArgs, 'year'>>;
  notice?: Resolver<Maybe<ResolversTypes['Notice']>, ParentType, ContextType, RequireFields<QueryNoticeArgs, 'id'>>;
  reportingPeriod?: Resolver<ResolversTypes['Period'], ParentType, ContextType, RequireFields<QueryReportingPeriodArgs, 'period'>>;
  submission?: Resolver<Maybe<ResolversTypes['Submission']>, ParentType, ContextType, RequireFields<QuerySubmissionArgs, 'id'>>;
  workPlan?: Resolver<Array<ResolversTypes['WorkPlanTask']>, ParentType, ContextType, RequireFields<QueryWorkPlanArgs, 'year'>>;
};

export type ReadReceiptResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReadReceipt'] = ResolversParentTypes['ReadReceipt']> = {
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  readAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  readBy?: Resolver<ResolversTypes['Actor'], ParentType, ContextType>;
};

export type SubmissionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Submission'] = ResolversParentTypes['Submission']> = {
  comment?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  excuseReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  history?: Resolver<Array<ResolversTypes['SubmissionEvent']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  parentSubmission?: Resolver<Maybe<ResolversTypes['Submission']>, ParentType, ContextType>;
  period?: Resolver<ResolversTypes['Period'], ParentType, ContextType>;
  reviewedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  reviewedBy?: Resolver<Maybe<ResolversTypes['Actor']>, ParentType, ContextType>;
  reviewer?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType>;
  stale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  staleIndicators?: Resolver<Array<ResolversTypes['IndicatorDifference']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['FilingStatus'], ParentType, ContextType>;
  submittedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  submittedBy?: Resolver<Maybe<ResolversTypes['Actor']>, ParentType, ContextType>;
  timeliness?: Resolver<Maybe<ResolversTypes['Timeliness']>, ParentType, ContextType>;
  values?: Resolver<Array<ResolversTypes['IndicatorValue']>, ParentType, ContextType>;
};

export type SubmissionConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SubmissionConnection'] = ResolversParentTypes['SubmissionConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Submission']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SubmissionEventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SubmissionEvent'] = ResolversParentTypes['SubmissionEvent']> = {
  action?: Resolver<ResolversTypes['SubmissionAction'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  by?: Resolver<ResolversTypes['Actor'], ParentType, ContextType>;
  comment?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SurveyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Survey'] = ResolversParentTypes['Survey'], FederationReferenceType extends FederationReferenceTypes['Survey'] = FederationReferenceTypes['Survey']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Survey']> | FederationReferenceType, FederationReferenceType, ContextType>;
  asOf?: Resolver<ResolversTypes['Date'], ParentType, ContextType>;
  organizationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type TargetResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Target'] = ResolversParentTypes['Target']> = {
  allocated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  allocatedFrom?: Resolver<Maybe<ResolversTypes['Target']>, ParentType, ContextType>;
  allocations?: Resolver<Array<ResolversTypes['Target']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  measure?: Resolver<ResolversTypes['TargetMeasure'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  unallocated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedBy?: Resolver<Maybe<ResolversTypes['Actor']>, ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TargetProgressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TargetProgress'] = ResolversParentTypes['TargetProgress']> = {
  actual?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  measure?: Resolver<ResolversTypes['TargetMeasure'], ParentType, ContextType>;
  ratio?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['Target']>, ParentType, ContextType>;
};

export type TaskProgressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TaskProgress'] = ResolversParentTypes['TaskProgress']> = {
  completedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  startedOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['TaskState'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['WorkPlanTask'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  updatedBy?: Resolver<Maybe<ResolversTypes['Actor']>, ParentType, ContextType>;
};

export type TaskTallyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TaskTally'] = ResolversParentTypes['TaskTally']> = {
  done?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inProgress?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  notStarted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['WorkPlanTask'], ParentType, ContextType>;
};

export type WorkPlanTaskResolvers<ContextType = Context, ParentType extends ResolversParentTypes['WorkPlanTask'] = ResolversParentTypes['WorkPlanTask']> = {
  fromMonth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  heading?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  months?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  responsibleUnits?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  section?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  toMonth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  year?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  Actor?: ActorResolvers<ContextType>;
  AnnualIncrease?: AnnualIncreaseResolvers<ContextType>;
  Completeness?: CompletenessResolvers<ContextType>;
  CompletenessCounts?: CompletenessCountsResolvers<ContextType>;
  CompletenessEntry?: CompletenessEntryResolvers<ContextType>;
  CompletenessEntryConnection?: CompletenessEntryConnectionResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  ExportFile?: ExportFileResolvers<ContextType>;
  IndicatorDifference?: IndicatorDifferenceResolvers<ContextType>;
  IndicatorValue?: IndicatorValueResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Notice?: NoticeResolvers<ContextType>;
  NoticeConnection?: NoticeConnectionResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Period?: PeriodResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReadReceipt?: ReadReceiptResolvers<ContextType>;
  Submission?: SubmissionResolvers<ContextType>;
  SubmissionConnection?: SubmissionConnectionResolvers<ContextType>;
  SubmissionEvent?: SubmissionEventResolvers<ContextType>;
  Survey?: SurveyResolvers<ContextType>;
  Target?: TargetResolvers<ContextType>;
  TargetProgress?: TargetProgressResolvers<ContextType>;
  TaskProgress?: TaskProgressResolvers<ContextType>;
  TaskTally?: TaskTallyResolvers<ContextType>;
  WorkPlanTask?: WorkPlanTaskResolvers<ContextType>;
};

