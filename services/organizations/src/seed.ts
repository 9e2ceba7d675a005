import { rebuildCounters } from './counters';
import { Types, type AnyBulkWriteOperation } from 'mongoose';
import { buildBranchTree, personName, Random, stableId, DEFAULT_SEED, type Branch, type DatasetLoadOptions } from '@rcsc/dataset';
import { addYears } from './rules';
import { sortKeyOf } from './models';
import type { Models, OrganizationDoc, TermDoc } from './models';

const oid = (hex: string) => new Types.ObjectId(hex);

interface Rates {
  /** Share holding the fact by the end of 2020, and share gaining it during 2021. */
  rationalized: [number, number];
  partyGroup: [number, number];
  supervisoryBoard: [number, number];
}

// Realistic shares per level, so that the 2021 annual increase is visible in reports.
const RATES: Record<string, Rates> = {
  NATIONAL: { rationalized: [1, 0], partyGroup: [1, 0], supervisoryBoard: [1, 0] },
  PROVINCIAL: { rationalized: [1, 0], partyGroup: [0.9, 0.1], supervisoryBoard: [0.75, 0.25] },
  PREFECTURE: { rationalized: [0.85, 0.05], partyGroup: [0.55, 0.1], supervisoryBoard: [0.35, 0.15] },
  COUNTY: { rationalized: [0.55, 0.04], partyGroup: [0.15, 0.05], supervisoryBoard: [0.1, 0.08] },
};

/** Year of the latest members' congress: about one branch in five falls due in 2021. */
const LATEST_CONGRESS_YEARS = [
  [2014, 0.05],
  [2015, 0.08],
  [2016, 0.15],
  [2017, 0.17],
  [2018, 0.17],
  [2019, 0.15],
  [2020, 0.11],
  [2021, 0.12],
] as const;

function fact(rng: Random, [before, during]: [number, number]): { since: Date; until: null } | null {
  const roll = rng.next();
  if (roll < before) return { since: rng.date('2016-01-01', '2020-12-31'), until: null };
  if (roll < before + during) return { since: rng.date('2021-01-01', '2021-11-30'), until: null };
  return null;
}

function latestCongressYear(rng: Random): number {
  let roll = rng.next();
  for (const [year, share] of LATEST_CONGRESS_YEARS) {
    if ((roll -= share) < 0) return year;
  }
  return 2021;
}

function members(rng: Random, count: number, head: string, deputy: string, rest: string) {
  return Array.from({ length: count }, (_, i) => ({
    name: personName(rng),
    position: i === 0 ? head : i === 1 ? deputy : rest,
  }));
}

export function generateOrganization(branch: Branch, seed: number): OrganizationDoc {
  const rng = new Random(seed, 'organization', branch.id);
  const rates = RATES[branch.level];
  const regional = branch.kind === 'REGIONAL';
  const board = fact(rng, rates.supervisoryBoard);
  // The leadership team took office at the latest members' congress.
  const leadersSince = generateTerms(branch, seed)[1].congressDate;
  return {
    _id: oid(branch.id),
    name: branch.name,
    level: branch.level,
    kind: branch.kind,
    ...(branch.divisionCode ? { divisionCode: branch.divisionCode } : {}),
    divisionName: branch.divisionName,
    divisionType: branch.divisionType,
    establishedOn: branch.level === 'NATIONAL' ? new Date(Date.UTC(1904, 2, 10)) : rng.date('1950-01-01', '2005-12-31'),
    dissolvedOn: null,
    parentId: branch.parentId ? oid(branch.parentId) : null,
    ancestorIds: branch.ancestorIds.map(oid),
    sortKey: sortKeyOf(branch),
    governance: {
      managementRationalized: regional ? fact(rng, rates.rationalized) : null,
      partyGroup: fact(rng, rates.partyGroup),
      supervisoryBoard: board ? { ...board, members: members(rng, rng.int(3, 7), '监事长', '副监事长', '监事') } : null,
    },
    leadership: [
      { title: 'CHAIR', name: personName(rng), fullTime: false, since: leadersSince, until: null },
      { title: 'EXECUTIVE_VICE_CHAIR', name: personName(rng), fullTime: true, since: leadersSince, until: null },
      ...Array.from({ length: rng.int(1, 3) }, () => ({
        title: 'VICE_CHAIR' as const,
        name: personName(rng),
        fullTime: rng.chance(0.3),
        since: leadersSince,
        until: null,
      })),
      { title: 'SECRETARY_GENERAL', name: personName(rng), fullTime: true, since: leadersSince, until: null },
    ],
  };
}

/**
 * Two terms per branch: the latest congress (2014–2021) and the one five years before it, so
 * that "due in 2021", "completed in 2021" and overdue terms all occur.
 */
export function generateTerms(branch: Branch, seed: number): TermDoc[] {
  const rng = new Random(seed, 'term', branch.id);
  const latestYear = latestCongressYear(rng);
  const latest = rng.date(`${latestYear}-01-01`, latestYear === 2021 ? '2021-11-30' : `${latestYear}-12-31`);
  const previous = rng.date(`${latestYear - 5}-01-01`, `${latestYear - 5}-12-31`);
  const firstNumber = rng.int(2, 9);
  const body = (size: number) => ({ kind: 'COUNCIL' as const, size, members: [] });
  const make = (n: number, congressDate: Date, endedOn: Date | null): TermDoc => {
    const executive = rng.int(5, 11);
    const council = rng.int(30, 120);
    return {
      _id: oid(stableId('term', branch.id, n)),
      organizationId: oid(branch.id),
      ancestorIds: branch.ancestorIds.map(oid),
      level: branch.level,
      number: n,
      congressDate,
      lengthYears: 5,
      dueDate: addYears(congressDate, 5),
      endedOn,
      bodies: [
        body(council),
        { kind: 'STANDING_COUNCIL', size: Math.ceil(council / 3), members: [] },
        { kind: 'EXECUTIVE_COMMITTEE', size: executive, members: members(rng, executive, '会长', '常务副会长', '执行委员') },
      ],
    };
  };
  return [make(firstNumber, previous, latest), make(firstNumber + 1, latest, null)];
}

/**
 * Loads the organizations part of the national dataset. Idempotent: records are keyed by stable
 * ids and only inserted when missing, so a second load changes nothing (and keeps edits). The
 * tree is the same at every scale: `opts.scale` is not read.
 */
export async function seed(models: Models, opts: DatasetLoadOptions = {}) {
  const seedNumber = opts.seed ?? DEFAULT_SEED;
  const tree = buildBranchTree();
  const upsert = <T extends { _id: Types.ObjectId }>(doc: T): AnyBulkWriteOperation<T> => ({
    updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc } as never, upsert: true },
  });
  const batch = 500;
  let inserted = 0;
  for (let i = 0; i < tree.length; i += batch) {
    const slice = tree.slice(i, i + batch);
    const orgs = await models.Organization.bulkWrite(
      slice.map((b) => upsert(generateOrganization(b, seedNumber))),
      { ordered: false },
    );
    await models.Term.bulkWrite(slice.flatMap((b) => generateTerms(b, seedNumber)).map(upsert), { ordered: false });
    inserted += orgs.upsertedCount;
    opts.onProgress?.(Math.min(i + batch, tree.length), tree.length);
  }
  // The branches and terms were written directly, not through the mutations: count them in.
  await rebuildCounters(models);
  return { branches: tree.length, inserted };
}
