import { buildBranchTree, countyType, divisionOf, prefectureType, stableId, Random } from '../src';

describe('the national branch tree', () => {
  const tree = buildBranchTree();
  const byId = new Map(tree.map((b) => [b.id, b]));
  const count = (pred: (b: (typeof tree)[number]) => boolean) => tree.filter(pred).length;

  it('has the HQ, 31 provinces, 2 special systems, and every real prefecture and county', () => {
    expect(count((b) => b.level === 'NATIONAL')).toBe(1);
    expect(count((b) => b.level === 'PROVINCIAL' && b.kind === 'REGIONAL')).toBe(31);
    expect(count((b) => b.kind === 'SPECIAL_SYSTEM')).toBe(2);
    expect(count((b) => b.level === 'PREFECTURE')).toBe(342 - 9); // 9 placeholder groupings
    expect(count((b) => b.level === 'COUNTY')).toBe(2978 - 4); // 东莞, 中山, 儋州, 嘉峪关 repeat as areas
    expect(count((b) => b.divisionType === 'PREFECTURE_CITY')).toBe(293);
    expect(count((b) => b.divisionType === 'COUNTY_CITY')).toBe(401 - 4);
    // No made-up county-level city 嘉峪关市嘉峪关市: 甘肃 has five county-level cities.
    expect(tree.find((b) => b.divisionCode === '620201')).toBeUndefined();
    const gansu = tree.find((b) => b.divisionCode === '620000')!;
    expect(count((b) => b.divisionType === 'COUNTY_CITY' && b.ancestorIds.includes(gansu.id))).toBe(5);
  });

  it('lists parents before children, with consistent ancestor paths', () => {
    const seen = new Set<string>();
    for (const b of tree) {
      if (b.parentId) {
        expect(seen.has(b.parentId)).toBe(true);
        const parent = byId.get(b.parentId)!;
        expect(b.ancestorIds).toEqual([...parent.ancestorIds, parent.id]);
      }
      seen.add(b.id);
    }
  });

  it('hangs municipal districts and province-administered counties under the province', () => {
    const dongcheng = tree.find((b) => b.divisionCode === '110101')!;
    expect(byId.get(dongcheng.parentId!)!.divisionCode).toBe('110000');
    const xiantao = tree.find((b) => b.divisionCode === '429004')!; // 仙桃市, 湖北省直辖
    expect(byId.get(xiantao.parentId!)!.level).toBe('PROVINCIAL');
    const xihu = tree.find((b) => b.divisionCode === '330106')!;
    expect(byId.get(xihu.parentId!)!.divisionCode).toBe('330100');
    expect(xihu.name).toBe('杭州市西湖区红十字会');
  });

  it('has unique ids and division codes', () => {
    expect(new Set(tree.map((b) => b.id)).size).toBe(tree.length);
    const codes = tree.map((b) => b.divisionCode).filter(Boolean);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('classifies division types from their names', () => {
    expect(prefectureType('延边朝鲜族自治州')).toBe('AUTONOMOUS_PREFECTURE');
    expect(prefectureType('阿里地区')).toBe('PREFECTURE');
    expect(prefectureType('锡林郭勒盟')).toBe('LEAGUE');
    expect(countyType('鄂伦春自治旗')).toBe('AUTONOMOUS_BANNER');
    expect(countyType('神农架林区')).toBe('FORESTRY_DISTRICT');
    expect(countyType('义乌市')).toBe('COUNTY_CITY');
    // Ordinary districts whose names end in 林区 are districts; only 神农架林区 is a forestry district.
    for (const [name, code] of [
      ['万柏林区', '140109'],
      ['碑林区', '610103'],
      ['金林区', '230751'],
      ['北林区', '231202'],
      ['新林区', '232763'],
    ])
      expect(countyType(name, code)).toBe('DISTRICT');
    expect(count((b) => b.divisionType === 'FORESTRY_DISTRICT')).toBe(1);
    // Development zones and other functional areas (statistical codes xxxx7x) are OTHER, not districts.
    expect(countyType('石家庄高新技术产业开发区', '130171')).toBe('OTHER');
    expect(count((b) => b.level === 'COUNTY' && b.divisionCode![4] === '7' && b.divisionType !== 'OTHER')).toBe(0);
  });
});

describe('determinism', () => {
  it('gives the same ids and random streams for the same keys', () => {
    expect(stableId('org', '330000')).toBe(stableId('org', '330000'));
    expect(stableId('org', '330000')).toMatch(/^[0-9a-f]{24}$/);
    const a = new Random(1, 'x');
    const b = new Random(1, 'x');
    const c = new Random(2, 'x');
    const seqA = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(seqA);
    expect(c.next()).not.toBe(seqA[0]);
  });
});

describe('divisionOf', () => {
  it('gives a division of the GB/T 2260 data with its level, type and the code it hangs under', () => {
    expect(divisionOf('330106')).toEqual({ code: '330106', name: '西湖区', level: 'COUNTY', type: 'DISTRICT', parentCode: '330100' });
    expect(divisionOf('330000')).toMatchObject({ level: 'PROVINCIAL', parentCode: '100000' });
    expect(divisionOf('110101')).toMatchObject({ level: 'COUNTY', parentCode: '110000' }); // a municipality's district
    expect(divisionOf('119910')).toBeNull();
    expect(divisionOf('620201')).toBeNull();
  });
});
