import { pathOf } from '@rcsc/directory';
import type { NoticeResolvers, ReadReceiptResolvers } from '../generated/graphql';
import { periodView } from '../reports';
import { periodFromKey } from '../rules';

export const Notice: NoticeResolvers = {
  id: (n) => String(n._id),
  sender: (n) => ({ id: String(n.senderId) }),
  recipients: (n) => n.recipientIds.map((id) => ({ id: String(id) })),
  period: (n, _, ctx) => (n.periodKey ? periodView(ctx, periodFromKey(n.periodKey)) : null),
  // The sender's subtree sees every receipt; a recipient sees only those of branches in its own subtree.
  async readReceipts(n, _, { directory, access }) {
    if (access.covers(n.senderPath)) return n.readReceipts;
    const visible = await Promise.all(
      n.readReceipts.map(async (r) => {
        const b = await directory.get(String(r.organizationId));
        return !!b && access.covers(pathOf(b));
      }),
    );
    return n.readReceipts.filter((_, i) => visible[i]);
  },
};

export const ReadReceipt: ReadReceiptResolvers = {
  organization: (r) => ({ id: String(r.organizationId) }),
};
