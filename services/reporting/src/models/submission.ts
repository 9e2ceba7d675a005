import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import type { FilingStatus } from '../rules';
import type { TableKind, TableValues } from '../tables';
import { actorSchema, branchFields, type ActorDoc, type BranchOwned } from './common';

const eventSchema = new Schema(
  {
    action: { type: String, enum: ['SUBMITTED', 'RETURNED', 'APPROVED', 'EXCUSED', 'UNAPPROVED'], required: true },
    at: { type: Date, required: true },
    by: { type: actorSchema, required: true },
    comment: { type: String, default: null },
  },
  { _id: false },
);

/**
 * A branch's table for a period (报送): one record per branch and period. The values are frozen
 * when the branch submits; the branch above approves (locks) or returns it. An excuse (免报) by
 * the branch above is kept on the same record with status EXCUSED. Nothing is deleted: every
 * step is in `history`.
 */
const submissionSchema = new Schema(
  {
    ...branchFields,
    /** The branch above (the reviewer); null for the national headquarters. */
    parentId: { type: Schema.Types.ObjectId, default: null },
    branchName: { type: String, required: true },
    branchSortKey: { type: String, required: true },
    table: { type: String, enum: ['SURVEY', 'ANNUAL'], required: true },
    periodKey: { type: String, required: true },
    asOf: { type: Date, default: null },
    year: { type: Number, required: true },
    status: { type: String, enum: ['SUBMITTED', 'RETURNED', 'APPROVED', 'EXCUSED'], required: true },
    /** The frozen values by field (null for an excuse). */
    values: { type: Schema.Types.Mixed, default: null },
    submittedAt: { type: Date, default: null },
    submittedBy: { type: actorSchema, default: null },
    reviewedAt: { type: Date, default: null },
    reviewedBy: { type: actorSchema, default: null },
    comment: { type: String, default: null },
    excuseReason: { type: String, default: null },
    history: { type: [eventSchema], default: [] },
    /**
     * When a table below last changed while this one awaited review: written in the same
     * transaction as that change, so an approval of this table racing it conflicts and is retried.
     */
    belowChangedAt: { type: Date, default: null },
  },
  { timestamps: true, minimize: false },
);

submissionSchema.index({ organizationId: 1, periodKey: 1 }, { unique: true });
submissionSchema.index({ orgPath: 1, periodKey: 1, branchSortKey: 1 });
submissionSchema.index({ orgPath: 1, branchSortKey: 1 });
submissionSchema.index({ parentId: 1, periodKey: 1, status: 1 });

export type StoredStatus = Exclude<FilingStatus, 'NOT_SUBMITTED'>;

/** A stored submission, as read with lean(). */
export interface SubmissionDoc extends BranchOwned {
  _id: Types.ObjectId;
  parentId: Types.ObjectId | null;
  branchName: string;
  branchSortKey: string;
  table: TableKind;
  periodKey: string;
  asOf: Date | null;
  year: number;
  status: StoredStatus;
  values: TableValues | null;
  submittedAt: Date | null;
  submittedBy: ActorDoc | null;
  reviewedAt: Date | null;
  reviewedBy: ActorDoc | null;
  comment: string | null;
  excuseReason: string | null;
  history: { action: 'SUBMITTED' | 'RETURNED' | 'APPROVED' | 'EXCUSED' | 'UNAPPROVED'; at: Date; by: ActorDoc; comment: string | null }[];
  belowChangedAt?: Date | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export function submissionModel(connection: Connection): Model<SubmissionDoc> {
  return modelOn<SubmissionDoc>(connection, 'Submission', submissionSchema, 'submissions');
}
