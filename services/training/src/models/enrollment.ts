import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { placementHistoryField } from '@rcsc/reorganizations';
import { TRAINING_CATEGORIES, type TrainingCategory } from './training-class';

/** A cadre enrolled in a class (学员). */
const enrollmentSchema = new Schema(
  {
    classId: { type: Schema.Types.ObjectId, required: true },
    /** Copied from the class, so that totals per year and category are one indexed aggregation. */
    category: { type: String, enum: TRAINING_CATEGORIES, required: true },
    classStartsOn: { type: Date, required: true },
    name: { type: String, required: true },
    /** The trainee's branch and its path: totals roll up the trainee's subtree. */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    position: { type: String, required: true },
    enrolledOn: { type: Date, required: true },
    withdrawnOn: { type: Date, default: null },
    attendedHours: { type: Number, default: 0 },
    completed: { type: Boolean, default: false },
    completedOn: { type: Date, default: null },
  },
  { timestamps: true },
);

enrollmentSchema.index({ classId: 1, enrolledOn: 1 });
enrollmentSchema.index({ orgPath: 1, completedOn: 1 });
enrollmentSchema.index({ orgPath: 1, classStartsOn: 1 });
enrollmentSchema.index({ organizationId: 1, completedOn: 1 });

/** A stored enrolment, as read with lean(). */
export interface EnrollmentDoc {
  _id: Types.ObjectId;
  classId: Types.ObjectId;
  category: TrainingCategory;
  classStartsOn: Date;
  name: string;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  position: string;
  enrolledOn: Date;
  withdrawnOn: Date | null;
  attendedHours: number;
  completed: boolean;
  completedOn: Date | null;
}

export function enrollmentModel(connection: Connection): Model<EnrollmentDoc> {
  return (
    (connection.models.Enrollment as Model<EnrollmentDoc>) ?? connection.model<EnrollmentDoc>('Enrollment', enrollmentSchema, 'enrollments')
  );
}
