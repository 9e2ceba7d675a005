import { badInput, parseDate } from '@rcsc/service-kit';
import type { DataQualityResolvers } from '../generated/graphql';
import { readableReport, tableFindings } from '../data-quality';
import { checkQualityRange } from '../rules';

/** A key date as the gateway sends it in a representation (YYYY-MM-DD), or already a Date. */
function keyDate(value: unknown, field: string): Date {
  const d = value instanceof Date ? value : typeof value === 'string' ? parseDate(value) : null;
  if (!d) throw badInput(field, 'must be a date YYYY-MM-DD');
  return d;
}

export const DataQuality: DataQualityResolvers = {
  // An entity reference checks again what the entry point checked: the reader role, the branch in
  // the viewer's subtree (FORBIDDEN otherwise) and the range.
  async __resolveReference(ref, ctx) {
    const from = keyDate(ref.from, 'from');
    const to = keyDate(ref.to, 'to');
    checkQualityRange(from, to);
    return readableReport(ctx, { organizationId: String(ref.organizationId), from, to });
  },
  tableFindings: (r, _, ctx) => tableFindings(ctx, r),
};
