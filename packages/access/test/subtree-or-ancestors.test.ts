import { Types } from 'mongoose';
import type { BranchInfo } from '@rcsc/directory';
import type { Role, Viewer } from '@rcsc/service-kit';
import { Access, NOTHING } from '../src';

// national → province → prefecture → county, and a sibling prefecture with its county.
const id = (n: number) => n.toString(16).padStart(24, '0');
const [hq, zj, hz, xh, jh, yw] = [1, 2, 3, 4, 5, 6].map(id);
const branch = (b: string, ancestorIds: string[]): BranchInfo =>
  ({
    id: b,
    name: b,
    level: 'COUNTY',
    kind: 'REGIONAL',
    divisionCode: null,
    divisionType: null,
    parentId: ancestorIds[ancestorIds.length - 1] ?? null,
    ancestorIds,
  }) as BranchInfo;
const tree = new Map(
  [branch(hq, []), branch(zj, [hq]), branch(hz, [hq, zj]), branch(xh, [hq, zj, hz]), branch(jh, [hq, zj]), branch(yw, [hq, zj, jh])].map(
    (b) => [b.id, b],
  ),
);
const lookup = { get: async (b: string) => tree.get(b) ?? null };
const access = (roles: Role[], organizationId: string | null) =>
  new Access({ userId: 'u', organizationId, roles, token: null } satisfies Viewer, lookup);
const oid = (b: string) => new Types.ObjectId(b);

describe('subtreeOrAncestorsUnder: one condition for a list of a branch’s pools or classes', () => {
  it('is the branch itself inside the viewer’s subtree', async () => {
    expect(await access(['VIEWER'], zj).subtreeOrAncestorsUnder(hz)).toEqual({ orgPath: oid(hz) });
    expect(await access(['VIEWER'], zj).subtreeOrAncestorsUnder(hz, true)).toEqual({ organizationId: oid(hz) });
    expect(await access(['SERVICE'], null).subtreeOrAncestorsUnder(yw)).toEqual({ orgPath: oid(yw) });
  });

  it('is the viewer’s subtree or the ancestors from the branch down, above the viewer', async () => {
    expect(await access(['VIEWER'], xh).subtreeOrAncestorsUnder(zj)).toEqual({
      $or: [{ orgPath: oid(xh) }, { organizationId: { $in: [oid(zj), oid(hz)] } }],
    });
    // Held by an ancestor itself: readable.
    expect(await access(['VIEWER'], xh).subtreeOrAncestorsUnder(hq, true)).toEqual({ organizationId: oid(hq) });
  });

  it('is NOTHING for another subtree or a viewer without a branch', async () => {
    expect(await access(['VIEWER'], xh).subtreeOrAncestorsUnder(jh)).toBe(NOTHING);
    expect(await access(['VIEWER'], xh).subtreeOrAncestorsUnder(yw, true)).toBe(NOTHING);
    expect(await access(['ADMIN'], null).subtreeOrAncestorsUnder(hq)).toBe(NOTHING);
  });
});
