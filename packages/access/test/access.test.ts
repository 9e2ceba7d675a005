import { Types } from 'mongoose';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory, pathOf } from '@rcsc/directory';
import type { Role, Viewer } from '@rcsc/service-kit';
import { Access, NOTHING, Roles } from '../src';

const tree = buildBranchTree();
const directory = StaticDirectory.fromTree(tree);
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!;
const national = tree.find((b) => b.level === 'NATIONAL')!;
const zhejiang = byCode('330000');
const hangzhou = byCode('330100');
const xihu = byCode('330106');
const jiangsu = byCode('320000');

const viewer = (organizationId: string | null, ...roles: Role[]): Viewer => ({ userId: 'u', organizationId, roles, token: 't' });
const access = (v: Viewer) => new Access(v, directory);

describe('Access', () => {
  it('covers records whose path holds the viewer branch, and nothing for a viewer without one', () => {
    const a = access(viewer(hangzhou.id, 'STAFF'));
    expect(a.covers(pathOf({ ...xihu, dissolvedOn: null }))).toBe(true);
    expect(a.covers([national.id, zhejiang.id])).toBe(false);
    expect(a.covers([national.id, jiangsu.id])).toBe(false);
    expect(access(viewer(null, 'STAFF')).covers([national.id])).toBe(false);
    expect(access(viewer(null, 'SERVICE')).covers([jiangsu.id])).toBe(true);
  });

  it('refuses records outside the subtree as FORBIDDEN and keeps unknown ones null', () => {
    const a = access(viewer(hangzhou.id, 'VIEWER'));
    expect(() => a.requireOver([national.id, jiangsu.id], 'Member 1')).toThrow(/outside your branch's subtree/);
    expect(a.visible(null, 'Member 1')).toBeNull();
    const inside = { orgPath: [national.id, zhejiang.id, hangzhou.id] };
    expect(a.visible(inside, 'Member 1')).toBe(inside);
    expect(a.onlyVisible([inside, { orgPath: [national.id, jiangsu.id] }])).toEqual([inside]);
  });

  it('requires a role, naming the action', () => {
    expect(() => access(viewer(hangzhou.id, 'VIEWER')).requireRole(Roles.WRITERS, 'register members')).toThrow(
      /Only ADMIN or STAFF or SERVICE may register members/,
    );
    expect(() => access({ userId: null, organizationId: null, roles: [], token: null }).requireRole(Roles.WRITERS, 'x')).toThrow(
      /Authentication required/,
    );
  });

  it('lists the deeper of the asked branch and the viewer branch with one orgPath condition', async () => {
    const county = access(viewer(xihu.id, 'STAFF'));
    expect(await county.listCondition(zhejiang.id)).toEqual({ orgPath: new Types.ObjectId(xihu.id) });
    expect(await county.listCondition(jiangsu.id)).toBe(NOTHING);
    // Records held directly by a branch above the viewer are outside its subtree.
    expect(await county.listCondition(zhejiang.id, true)).toBe(NOTHING);
    const province = access(viewer(zhejiang.id, 'STAFF'));
    expect(await province.listCondition(xihu.id)).toEqual({ orgPath: new Types.ObjectId(xihu.id) });
    expect(await province.listCondition(xihu.id, true)).toEqual({ organizationId: new Types.ObjectId(xihu.id) });
    expect(await access(viewer(null, 'SERVICE')).listCondition(jiangsu.id)).toEqual({ orgPath: new Types.ObjectId(jiangsu.id) });
    expect(access(viewer(null, 'STAFF')).subtree()).toBe(NOTHING);
    expect(access(viewer(null, 'SERVICE')).subtree()).toEqual({});
  });

  it('names the field of an unknown or malformed branch and refuses a branch outside the subtree', async () => {
    const a = access(viewer(hangzhou.id, 'ADMIN'));
    await expect(a.branch('nope', 'input.organizationId')).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.organizationId' }] },
    });
    await expect(a.branch('f'.repeat(24), 'input.organizationId')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(a.visibleBranch(jiangsu.id, 'id', 'The survey')).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(a.activeBranch(xihu.id, 'input.organizationId')).resolves.toMatchObject({ id: xihu.id });
  });

  it('reads pools held above the viewer but never changes them', async () => {
    const a = access(viewer(xihu.id, 'TRAINING_MANAGER'));
    expect(await a.coversOrAbove([national.id, zhejiang.id])).toBe(true);
    expect(await a.coversOrAbove([national.id, jiangsu.id])).toBe(false);
    expect(a.covers([national.id, zhejiang.id])).toBe(false);
    const condition = await a.subtreeOrAncestorsCondition();
    expect(condition).toEqual({
      $or: [
        { orgPath: new Types.ObjectId(xihu.id) },
        { organizationId: { $in: [national.id, zhejiang.id, hangzhou.id].map((i) => new Types.ObjectId(i)) } },
      ],
    });
  });

  it('shows personal data only to the roles that work with people, and reveals only to people', () => {
    expect(access(viewer(hangzhou.id, 'REPORTER')).seesPersonalData).toBe(false);
    expect(access(viewer(hangzhou.id, 'VIEWER')).seesPersonalData).toBe(false);
    expect(access(viewer(hangzhou.id, 'TRAINING_MANAGER')).seesPersonalData).toBe(true);
    expect(() => access(viewer(null, 'SERVICE')).requireRevealer('identity numbers')).toThrow(/FORBIDDEN|Only ADMIN or STAFF/);
  });

  it('acts for a branch only as its own staff, and for the branch above only as its ADMIN', async () => {
    const info = (await directory.get(xihu.id))!;
    expect(() => access(viewer(zhejiang.id, 'STAFF')).requireActsFor(info, 'approvedBy')).toThrow(/only staff of/);
    expect(() => access(viewer(xihu.id, 'STAFF')).requireActsFor(info, 'approvedBy')).not.toThrow();
    await expect(access(viewer(zhejiang.id, 'ADMIN')).requireParentAdmin(info, 'approve')).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(access(viewer(hangzhou.id, 'ADMIN')).requireParentAdmin(info, 'approve')).resolves.toBeUndefined();
  });
});
