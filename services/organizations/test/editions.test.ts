import type { DivisionInfo } from '@rcsc/dataset';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { Types } from 'mongoose';
import { planEditionChange, stem, type BranchDivision } from '../src/editions';
import { apply, plan, type GraphClient } from '../src/divisions-cli';
import { createServer } from '../src/server';

const division = (
  code: string,
  name: string,
  level: DivisionInfo['level'],
  type: DivisionInfo['type'],
  parentCode: string,
): DivisionInfo => ({
  code,
  name,
  level,
  type,
  parentCode,
});
const branch = (
  id: string,
  code: string,
  divisionName: string,
  level: BranchDivision['level'],
  parentCode: string | null,
  divisionType: BranchDivision['divisionType'] = 'DISTRICT',
): BranchDivision => ({
  id,
  name: `杭州市${divisionName}红十字会`,
  level,
  divisionCode: code,
  divisionName,
  divisionType,
  parentCode,
});

describe('planning a GB/T 2260 edition change', () => {
  const edition = new Map(
    [
      division('330000', '浙江省', 'PROVINCIAL', 'PROVINCE', '100000'),
      division('330100', '杭州市', 'PREFECTURE', 'PREFECTURE_CITY', '330000'),
      division('330102', '上城区', 'COUNTY', 'DISTRICT', '330100'),
      division('330112', '临安区', 'COUNTY', 'DISTRICT', '330100'),
      division('330113', '临平区', 'COUNTY', 'DISTRICT', '330100'),
      division('330114', '钱塘区', 'COUNTY', 'DISTRICT', '330100'),
    ].map((d) => [d.code, d]),
  );
  const tree = [
    branch('p', '330000', '浙江省', 'PROVINCIAL', '100000', 'PROVINCE'),
    branch('c', '330100', '杭州市', 'PREFECTURE', '330000', 'PREFECTURE_CITY'),
    branch('a', '330102', '上城县', 'COUNTY', '330100', 'COUNTY'),
    branch('b', '330185', '临安市', 'COUNTY', '330100', 'COUNTY_CITY'),
    branch('d', '330103', '下城区', 'COUNTY', '330100'),
  ];

  it('finds renames, re-codes by stem, retired codes to decide and new divisions without branches', () => {
    expect(stem('临安市')).toBe('临安');
    expect(stem('鄂温克族自治旗')).toBe('鄂温克族');
    expect(planEditionChange(tree, edition)).toEqual([
      {
        kind: 'RENAME',
        branchId: 'a',
        code: '330102',
        name: '杭州市上城区红十字会',
        divisionName: '上城区',
        divisionType: 'DISTRICT',
        was: '杭州市上城县红十字会',
      },
      {
        kind: 'RECODE',
        branchId: 'b',
        from: '330185',
        to: '330112',
        name: '杭州市临安区红十字会',
        divisionName: '临安区',
        was: '杭州市临安市红十字会',
      },
      { kind: 'DECIDE', branchId: 'd', code: '330103', reason: expect.stringContaining('no successor') },
      { kind: 'DECIDE', branchId: null, code: '330113', reason: expect.stringContaining('new division') },
      { kind: 'DECIDE', branchId: null, code: '330114', reason: expect.stringContaining('new division') },
    ]);
  });

  it('moves a branch whose division now lies under another parent, and plans nothing for branches already on the edition', () => {
    const moved = new Map(edition).set('330102', division('330102', '上城区', 'COUNTY', 'DISTRICT', '330200'));
    const withNingbo = [...tree, branch('n', '330200', '宁波市', 'PREFECTURE', '330000', 'PREFECTURE_CITY')];
    moved.set('330200', division('330200', '宁波市', 'PREFECTURE', 'PREFECTURE_CITY', '330000'));
    expect(planEditionChange(withNingbo, moved).filter((s) => s.kind === 'MOVE')).toEqual([
      { kind: 'MOVE', branchId: 'a', code: '330102', toParentCode: '330200', was: '杭州市上城县红十字会' },
    ]);
    const onEdition = [tree[0], tree[1], branch('a', '330102', '上城区', 'COUNTY', '330100')];
    expect(planEditionChange(onEdition, edition).filter((s) => s.kind !== 'DECIDE')).toEqual([]);
  });
});

describe('applying the shipped edition through the graph', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const graph: GraphClient = async (query, variables) => {
    const r = await execute(svc.subgraph, query, variables);
    if (r.errors) throw new Error(r.errors.map((e) => `${String(e.extensions?.code)}: ${e.message}`).join('\n'));
    return r.data as Record<string, any>;
  };
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    svc = await startTestService('organizations', createServer);
    const create = async (input: Record<string, unknown>) =>
      (await graph('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input })).createOrganization
        .id as string;
    ids.hq = await create({ name: '中国红十字会总会', level: 'NATIONAL', divisionCode: '100000' });
    ids.zj = await create({
      name: '浙江省红十字会',
      level: 'PROVINCIAL',
      divisionCode: '330000',
      parentId: ids.hq,
      establishedOn: '2000-01-01',
    });
    ids.hz = await create({
      name: '杭州市红十字会',
      level: 'PREFECTURE',
      divisionCode: '330100',
      parentId: ids.zj,
      establishedOn: '2000-01-01',
    });
    ids.xh = await create({
      name: '杭州市西湖区红十字会',
      level: 'COUNTY',
      divisionCode: '330106',
      parentId: ids.hz,
      establishedOn: '2000-01-01',
    });
    // Branches stored under an older edition: 临安市 (330185, now 临安区 330112) and 下城区 (330103, retired in 2021).
    const { Organization } = svc.subgraph.models;
    const old = (code: string, name: string, divisionName: string, divisionType: string) => ({
      _id: new Types.ObjectId(),
      name,
      level: 'COUNTY',
      kind: 'REGIONAL',
      divisionCode: code,
      divisionName,
      divisionType,
      establishedOn: new Date('2000-01-01'),
      parentId: new Types.ObjectId(ids.hz),
      ancestorIds: [new Types.ObjectId(ids.hq), new Types.ObjectId(ids.zj), new Types.ObjectId(ids.hz)],
      sortKey: code,
    });
    const linan = old('330185', '杭州市临安市红十字会', '临安市', 'COUNTY_CITY');
    const xiacheng = old('330103', '杭州市下城区红十字会', '下城区', 'DISTRICT');
    await Organization.collection.insertMany([linan, xiacheng] as never[]);
    ids.linan = String(linan._id);
    ids.xiacheng = String(xiacheng._id);
  });
  afterAll(() => svc?.stop());

  it('refuses to apply anything while a retired code has no decision, then applies the plan as dated, audited changes', async () => {
    const steps = await plan(graph);
    const forBranches = steps.filter((s) => s.kind !== 'DECIDE' || s.branchId);
    expect(forBranches).toHaveLength(2);
    expect(forBranches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'RECODE', branchId: ids.linan, from: '330185', to: '330112' }),
        expect.objectContaining({ kind: 'DECIDE', branchId: ids.xiacheng, code: '330103' }),
      ]),
    );
    // The new divisions of 杭州 without a branch are listed for a person, never created.
    expect(steps.filter((s) => s.kind === 'DECIDE' && !s.branchId).length).toBeGreaterThan(5);
    await expect(apply(graph, '2026-01-01')).rejects.toThrow(/decisions needed[\s\S]*330103/);
    expect((await graph(`query($id: ID!) { organization(id: $id) { divisionCode } }`, { id: ids.linan })).organization.divisionCode).toBe(
      '330185',
    );

    const applied = await apply(graph, '2026-01-01', { '330103': { mergeInto: '330106' } });
    expect(applied.map((s) => s.kind).sort()).toEqual(['DECIDE', 'RECODE']);
    const linan = (
      await graph(
        `query($id: ID!) { organization(id: $id) { name divisionCode divisionType then: identity(asOf: "2025-12-31") { divisionCode } } }`,
        { id: ids.linan },
      )
    ).organization;
    expect(linan).toEqual({
      name: '杭州市临安区红十字会',
      divisionCode: '330112',
      divisionType: 'DISTRICT',
      then: { divisionCode: '330185' },
    });
    const xiacheng = (
      await graph(`query($id: ID!) { organization(id: $id) { dissolvedOn mergedInto { divisionCode } } }`, { id: ids.xiacheng })
    ).organization;
    expect(xiacheng).toEqual({ dissolvedOn: '2026-01-01', mergedInto: { divisionCode: '330106' } });
    // Applied once: planning again finds nothing left but the new divisions to decide on.
    expect((await plan(graph)).filter((s) => s.kind !== 'DECIDE' || s.branchId)).toEqual([]);
  });
});
