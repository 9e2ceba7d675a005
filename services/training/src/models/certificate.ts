import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { placementHistoryField } from '@rcsc/reorganizations';

/**
 * A numbered completion certificate (结业证书), one per completed enrolment. Its number is
 * RC-<year of completion>-<host division code, or 000000>-<sequence per host and year, 6 digits>;
 * the sequence comes from `certificatecounters` in the issuing transaction.
 */
const certificateSchema = new Schema(
  {
    number: { type: String, required: true },
    enrollmentId: { type: Schema.Types.ObjectId, required: true },
    classId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    /** The trainee's branch and path (the certificate is filed with the enrolment). */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    orgPathHistory: placementHistoryField,
    completedOn: { type: Date, required: true },
    issuedOn: { type: Date, required: true },
    /** Set when the completion no longer holds (criteria changed, a session added): kept, dated. */
    revokedOn: { type: Date, default: null },
  },
  { timestamps: true },
);

certificateSchema.index({ number: 1 }, { unique: true });
certificateSchema.index({ enrollmentId: 1 }, { unique: true });
certificateSchema.index({ classId: 1 });

/** The last sequence number given out per host branch and year. */
const counterSchema = new Schema({ _id: { type: String, required: true }, last: { type: Number, default: 0 } });

export interface CertificateDoc {
  _id: Types.ObjectId;
  number: string;
  enrollmentId: Types.ObjectId;
  classId: Types.ObjectId;
  name: string;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  completedOn: Date;
  issuedOn: Date;
  revokedOn: Date | null;
}

export function certificateModel(connection: Connection): Model<CertificateDoc> {
  return modelOn<CertificateDoc>(connection, 'Certificate', certificateSchema, 'certificates');
}

export function certificateCounterModel(connection: Connection): Model<{ _id: string; last: number }> {
  return modelOn<{ _id: string; last: number }>(connection, 'CertificateCounter', counterSchema, 'certificatecounters');
}
