import type { NoticeResolvers, ReadReceiptResolvers } from '../generated/graphql';
import { periodView } from '../reports';
import { periodFromKey } from '../rules';

export const Notice: NoticeResolvers = {
  id: (n) => String(n._id),
  sender: (n) => ({ id: String(n.senderId) }),
  recipients: (n) => n.recipientIds.map((id) => ({ id: String(id) })),
  period: (n, _, ctx) => (n.periodKey ? periodView(ctx, periodFromKey(n.periodKey)) : null),
};

export const ReadReceipt: ReadReceiptResolvers = {
  organization: (r) => ({ id: String(r.organizationId) }),
};
