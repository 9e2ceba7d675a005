import { StaticDirectory } from '@rcsc/directory';
import { buildBranchTree } from '@rcsc/dataset';

/** The seed's branch tree, as the organizations subgraph would answer it. */
export const tree = buildBranchTree();
export const directory = StaticDirectory.fromTree(tree);
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!.id;

/** The branches the tests act in: HQ, 浙江, 宁夏 with 石嘴山 (counties c1-c3) and 银川. */
export const ids = {
  hq: tree.find((b) => !b.parentId)!.id,
  zj: byCode('330000'),
  nx: byCode('640000'),
  szs: byCode('640200'),
  yc: byCode('640100'),
  c1: byCode('640202'),
  c2: byCode('640205'),
  c3: byCode('640221'),
  ycCounty: byCode('640104'),
};
