import { StaticDirectory, type BranchInfo } from '@rcsc/directory';
import type { Viewer } from '@rcsc/service-kit';
import { Access } from '../src';

// a > b > c > d, and a > e: subtrees nest or are disjoint.
const id = (c: string) => c.repeat(24);
const branch = (b: string, parent: string | null, ancestors: string[]): BranchInfo => ({
  id: id(b),
  name: b,
  level: 'COUNTY',
  kind: 'REGIONAL',
  divisionCode: null,
  divisionType: null,
  parentId: parent && id(parent),
  ancestorIds: ancestors.map(id),
});
const tree = [
  branch('a', null, []),
  branch('b', 'a', ['a']),
  branch('c', 'b', ['a', 'b']),
  branch('d', 'c', ['a', 'b', 'c']),
  branch('e', 'a', ['a']),
];
const viewer: Viewer = { userId: 'u', name: 'U', organizationId: null, roles: ['SERVICE'], token: null };
const access = new Access(viewer, new StaticDirectory(tree));

describe('Access.deeperOf', () => {
  it('gives the deeper of two nested branches, in either order, and null for disjoint or unknown ones', async () => {
    expect(await access.deeperOf(id('b'), id('d'))).toBe(id('d'));
    expect(await access.deeperOf(id('d'), id('b'))).toBe(id('d'));
    expect(await access.deeperOf(id('a'), id('c'))).toBe(id('c'));
    expect(await access.deeperOf(id('c'), id('c').toUpperCase())).toBe(id('c'));
    expect(await access.deeperOf(id('d'), id('e'))).toBeNull();
    expect(await access.deeperOf(id('b'), id('f'))).toBeNull();
  });
});
