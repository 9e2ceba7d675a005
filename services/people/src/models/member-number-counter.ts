import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The last member number (会员证号) sequence issued by a branch for a joining year: one document
 * per branch and year (`_id` "<branchId>:<year>"), moved by $inc inside the registering
 * transaction, so two registrations never take the same number and an aborted one takes none.
 */
const memberNumberCounterSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false },
);

export interface MemberNumberCounterDoc {
  _id: string;
  seq: number;
}

export function memberNumberCounterModel(connection: Connection): Model<MemberNumberCounterDoc> {
  return (
    (connection.models.MemberNumberCounter as Model<MemberNumberCounterDoc>) ??
    connection.model<MemberNumberCounterDoc>('MemberNumberCounter', memberNumberCounterSchema, 'memberNumberCounters')
  );
}
