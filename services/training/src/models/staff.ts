import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import type { ProtectedValue } from '@rcsc/personal-data';
import { placementHistoryField } from '@rcsc/reorganizations';

const protectedSchema = new Schema({ hash: String, cipher: String, masked: String }, { _id: false });

/**
 * A branch staff record (工作人员登记), a trainee who is not (or not yet) a member in the people
 * subgraph: name, branch, and the identity number protected (keyed hash to find the same person,
 * AES-GCM cipher, mask). Two people may share a name; one identity number is one person.
 */
const staffSchema = new Schema(
  {
    name: { type: String, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    position: { type: String, default: null },
    identity: { type: protectedSchema, required: true },
  },
  { timestamps: true },
);

staffSchema.index({ orgPath: 1, name: 1 });
// One record per person, whatever the concurrency.
staffSchema.index({ 'identity.hash': 1 }, { unique: true });

/** A stored staff record, as read with lean(). */
export interface StaffDoc {
  _id: Types.ObjectId;
  name: string;
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  position: string | null;
  identity: ProtectedValue;
}

export function staffModel(connection: Connection): Model<StaffDoc> {
  return modelOn<StaffDoc>(connection, 'StaffRecord', staffSchema, 'staff');
}
