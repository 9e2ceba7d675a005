import { badInput, toObjectId } from '@rcsc/service-kit';
import type { OrganizationFilter } from '../generated/graphql';
import { holdsFilter, today } from '../rules';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The MongoDB filter for an OrganizationFilter; conditions combine with AND. */
export function organizationFilter(filter: OrganizationFilter | null | undefined, field = 'filter'): Record<string, unknown> {
  const f = filter ?? {};
  const and: Record<string, unknown>[] = [];
  if (!f.includeDissolved) and.push({ dissolvedOn: null });
  if (f.level) and.push({ level: f.level });
  if (f.levels) and.push({ level: { $in: f.levels } });
  if (f.kind) and.push({ kind: f.kind });
  if (f.divisionType) and.push({ divisionType: f.divisionType });
  if (f.divisionTypes) and.push({ divisionType: { $in: f.divisionTypes } });
  if (f.within) and.push({ ancestorIds: toObjectId(f.within, `${field}.within`) });
  if (f.parentId) and.push({ parentId: toObjectId(f.parentId, `${field}.parentId`) });
  if (f.search != null) {
    const search = f.search.trim();
    if (!search || search.length > 50) throw badInput(`${field}.search`, 'must be 1 to 50 characters');
    and.push({ name: { $regex: escapeRegex(search) } });
  }
  const now = today();
  if (f.group) {
    const on = f.groupAsOf ?? now;
    and.push({
      groups: {
        $elemMatch: { groupId: toObjectId(f.group, `${field}.group`), since: { $lte: on }, $or: [{ until: null }, { until: { $gt: on } }] },
      },
    });
  }
  if (f.managementRationalized != null) and.push(holdsFilter('governance.managementRationalized', now, f.managementRationalized));
  if (f.partyGroupEstablished != null) and.push(holdsFilter('governance.partyGroup', now, f.partyGroupEstablished));
  if (f.supervisoryBoardEstablished != null) and.push(holdsFilter('governance.supervisoryBoard', now, f.supervisoryBoardEstablished));
  return and.length === 1 ? and[0] : { $and: and };
}

export { checkBaseYear, checkYear, isObjectId, isYearPair, toObjectId } from '@rcsc/service-kit';
