import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOn } from '@rcsc/service-kit';
import { actorSchema, type ActorDoc } from './common';

/**
 * A bulletin (工作通报) or reminder letter (提示函) a branch sends to branches below it, with a
 * read receipt per recipient branch (the first read).
 */
const noticeSchema = new Schema(
  {
    kind: { type: String, enum: ['BULLETIN', 'REMINDER'], required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    senderId: { type: Schema.Types.ObjectId, required: true },
    senderPath: { type: [Schema.Types.ObjectId], required: true },
    sentAt: { type: Date, required: true },
    /** Minus sentAt in ms: ascending order on it is newest first (keyset pages sort ascending). */
    newestFirst: { type: Number, required: true },
    sentBy: { type: actorSchema, required: true },
    recipientIds: { type: [Schema.Types.ObjectId], required: true },
    taskNumbers: { type: [Number], default: [] },
    periodKey: { type: String, default: null },
    readReceipts: {
      type: [new Schema({ organizationId: Schema.Types.ObjectId, readAt: Date, readBy: actorSchema }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true },
);

noticeSchema.index({ recipientIds: 1, newestFirst: 1 });
noticeSchema.index({ senderId: 1, newestFirst: 1 });

export interface NoticeDoc {
  _id: Types.ObjectId;
  kind: 'BULLETIN' | 'REMINDER';
  title: string;
  body: string;
  senderId: Types.ObjectId;
  senderPath: Types.ObjectId[];
  sentAt: Date;
  newestFirst: number;
  sentBy: ActorDoc;
  recipientIds: Types.ObjectId[];
  taskNumbers: number[];
  periodKey: string | null;
  readReceipts: { organizationId: Types.ObjectId; readAt: Date; readBy: ActorDoc }[];
}

export function noticeModel(connection: Connection): Model<NoticeDoc> {
  return modelOn<NoticeDoc>(connection, 'Notice', noticeSchema, 'notices');
}
