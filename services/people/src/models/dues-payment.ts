import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { placementHistoryField, type StoredPlacement } from '@rcsc/reorganizations';

/** One line of the dues ledger (会费收缴): the years it covers, the amount, who received it. */
const duesPaymentSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    /** The member's branch path, so ledgers can be listed per subtree. */
    memberOrgPath: { type: [Schema.Types.ObjectId], required: true },
    memberOrgPathHistory: placementHistoryField,
    /** The receiving branch and its path. */
    organizationId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** Where the record was before reorganizations moved its branch (ADR 0008). */
    orgPathHistory: placementHistoryField,
    periodFrom: { type: Number, required: true },
    periodTo: { type: Number, required: true },
    /** In fen (分), exact. */
    amountCents: { type: Number, required: true },
    paidOn: { type: Date, required: true },
  },
  { timestamps: true },
);

duesPaymentSchema.index({ memberId: 1, periodFrom: 1 });
// No subtree index yet: no query lists the ledger by branch (add { orgPath: 1, paidOn: 1 } with one).

export interface DuesPaymentDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  memberOrgPath: Types.ObjectId[];
  organizationId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  orgPathHistory?: StoredPlacement[];
  periodFrom: number;
  periodTo: number;
  amountCents: number;
  paidOn: Date;
}

export function duesPaymentModel(connection: Connection): Model<DuesPaymentDoc> {
  return (
    (connection.models.DuesPayment as Model<DuesPaymentDoc>) ??
    connection.model<DuesPaymentDoc>('DuesPayment', duesPaymentSchema, 'duesPayments')
  );
}
