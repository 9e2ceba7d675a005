import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildBranchTree } from '@rcsc/dataset';
import { HttpDirectory, StaticDirectory, ancestorsOn, divisionTypeOn, movedSince, pathOf, subtreeOn, type BranchInfo } from '../src';

const tree = buildBranchTree();
const zj = tree.find((b) => b.divisionCode === '330000')!;

describe('StaticDirectory', () => {
  const dir = StaticDirectory.fromTree(tree);
  it('gives a branch, its path and its subtree', async () => {
    const xihu = (await dir.get(tree.find((b) => b.divisionCode === '330106')!.id))!;
    expect(pathOf(xihu)).toHaveLength(4);
    const sub = await dir.subtree(zj.id);
    expect(sub[0].id).toBe(zj.id);
    expect(sub.filter((b) => b.level === 'PREFECTURE')).toHaveLength(11);
    expect(sub.every((b) => b.id === zj.id || b.ancestorIds.includes(zj.id))).toBe(true);
  });
  it('names the field when a branch does not exist', async () => {
    await expect(dir.require('f'.repeat(24), 'input.organizationId')).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.organizationId', message: 'no branch has this id' }] },
    });
    await expect(dir.require('nope', 'x')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('HttpDirectory', () => {
  let calls = 0;
  let branches = tree.slice(0, 40).map((b) => ({ ...b, dissolvedOn: null }));
  const server = http.createServer((req, res) => {
    calls++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { branchDirectory: branches } }));
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('caches the tree, and refreshes once on a miss for a branch created since', async () => {
    const dir = new HttpDirectory(url, { minRefreshMs: 0 });
    expect((await dir.get(branches[0].id))?.name).toBe(branches[0].name);
    await dir.get(branches[1].id);
    expect(calls).toBe(1);
    const later = tree[100];
    branches = [...branches, { ...later, dissolvedOn: null }];
    expect((await dir.get(later.id))?.id).toBe(later.id);
    expect(calls).toBe(2);
    expect(await dir.get('0'.repeat(24))).toBeNull();
  });
});

describe('divisionTypeOn', () => {
  it('answers the type a branch had on a date: the earlier one until the day it changed, the current one from it', () => {
    const fuyang = { divisionType: 'DISTRICT' as const, typeHistory: [{ divisionType: 'COUNTY_CITY' as const, until: '2014-12-13' }] };
    expect(divisionTypeOn(fuyang, new Date('2014-12-12T00:00:00Z'))).toBe('COUNTY_CITY');
    expect(divisionTypeOn(fuyang, new Date('2014-12-13T00:00:00Z'))).toBe('DISTRICT');
    expect(divisionTypeOn({ divisionType: 'COUNTY', typeHistory: null }, new Date('2000-01-01T00:00:00Z'))).toBe('COUNTY');
  });
});

describe('the tree of a date', () => {
  const b = (id: string, ancestorIds: string[], pathHistory: BranchInfo['pathHistory'] = null): BranchInfo => ({
    id,
    name: id,
    level: 'COUNTY',
    kind: 'REGIONAL',
    divisionCode: null,
    divisionType: null,
    parentId: ancestorIds.at(-1) ?? null,
    ancestorIds,
    pathHistory,
  });
  // c hangs under p2 now, under p1 until 2021-06-01.
  const all = [b('n', []), b('p1', ['n']), b('p2', ['n']), b('c', ['n', 'p2'], [{ ancestorIds: ['n', 'p1'], until: '2021-06-01' }])];
  const day = (s: string) => new Date(`${s}T00:00:00Z`);
  it('answers the ancestors and subtrees a branch had on a date', () => {
    expect(ancestorsOn(all[3], day('2021-05-31'))).toEqual(['n', 'p1']);
    expect(ancestorsOn(all[3], day('2021-06-01'))).toEqual(['n', 'p2']);
    expect(subtreeOn(all, 'p1', day('2021-05-31')).map((x) => x.id)).toEqual(['p1', 'c']);
    expect(subtreeOn(all, 'p1', day('2021-06-01')).map((x) => x.id)).toEqual(['p1']);
    expect(subtreeOn(all, 'p2', day('2021-06-01')).map((x) => x.id)).toEqual(['p2', 'c']);
    expect([movedSince(all, day('2021-05-31')), movedSince(all, day('2021-06-01'))]).toEqual([true, false]);
  });
});
