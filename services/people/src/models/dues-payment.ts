import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
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
    /** The receipt number (收据号), issued when recorded; null for payments recorded before receipts were numbered. */
    receiptNumber: { type: String, default: null },
    /** A reversal (冲销): the payment stays in the ledger as history but no longer counts. */
    reversedOn: { type: Date, default: null },
    reversalReason: { type: String, default: null },
  },
  { timestamps: true },
);

duesPaymentSchema.index({ memberId: 1, periodFrom: 1 });
duesPaymentSchema.index({ receiptNumber: 1 }, { unique: true, partialFilterExpression: { receiptNumber: { $type: 'string' } } });
/** Totals per receiving subtree and year (Organization.duesTotals). */
duesPaymentSchema.index({ orgPath: 1, paidOn: 1 });

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
  receiptNumber?: string | null;
  reversedOn?: Date | null;
  reversalReason?: string | null;
}

/** The payments that count (not reversed); a payment stored before reversals existed has no field and counts. */
export const COUNTED_PAYMENT = { reversedOn: null } as const;

export function duesPaymentModel(connection: Connection): Model<DuesPaymentDoc> {
  return modelOn<DuesPaymentDoc>(connection, 'DuesPayment', duesPaymentSchema, 'duesPayments');
}
