import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';

/**
 * The last sequence number issued under a key: member numbers (会员证号) per branch and joining
 * year ("member:<branchId>:<year>"), dues receipt numbers per receiving branch and year
 * ("receipt:<branchId>:<year>"). Moved by $inc inside the issuing transaction, so two
 * registrations never take the same number and an aborted one takes none.
 */
const numberCounterSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false },
);

export interface NumberCounterDoc {
  _id: string;
  seq: number;
}

export function numberCounterModel(connection: Connection): Model<NumberCounterDoc> {
  return modelOn<NumberCounterDoc>(connection, 'NumberCounter', numberCounterSchema, 'numberCounters');
}
