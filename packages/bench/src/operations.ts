// The benchmark's operations (issue 9): what front ends and reporting tools ask most, each with
// variables drawn at random (from a fixed seed, so two runs send the same sequence).
import { buildBranchTree, type Level } from '@rcsc/dataset';

export interface Operation {
  name: string;
  /** What the operation stands for, for the report. */
  about: string;
  query: string;
  variables(rng: () => number): Record<string, unknown>;
}

/** mulberry32: a small seeded generator, enough to vary variables reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const LEVELS: Level[] = ['NATIONAL', 'PROVINCIAL', 'PREFECTURE', 'COUNTY'];

export function buildOperations(): Operation[] {
  const tree = buildBranchTree();
  const all = tree.map((b) => b.id);
  const byLevel = new Map<Level, string[]>(LEVELS.map((l) => [l, tree.filter((b) => b.level === l).map((b) => b.id)]));
  /** A branch of a level drawn first (so the national and provincial tables are asked as often as county ones). */
  const anyLevel = (rng: () => number) => pick(rng, byLevel.get(pick(rng, LEVELS)) ?? all);
  /** Provinces and prefectures: list pages over a subtree with something in it. */
  const upper = [...(byLevel.get('PROVINCIAL') ?? []), ...(byLevel.get('PREFECTURE') ?? [])];

  return [
    {
      name: 'profile',
      about: 'branch profile page of a random branch (organizations only)',
      query: `query BranchProfile($id: ID!) {
  organization(id: $id) {
    id name level divisionCode divisionType
    parent { id name level }
    children { id name level divisionType }
    governance { managementRationalized partyGroupEstablished supervisoryBoardEstablished }
    currentTerm { number congressDate dueDate overdue }
  }
}`,
      variables: (rng) => ({ id: pick(rng, all) }),
    },
    {
      name: 'units',
      about: 'grassroots units of a province or prefecture, 20 a page, with their branch and its parent',
      query: `query Units($within: ID!, $type: GrassrootsUnitType) {
  grassrootsUnits(filter: { within: $within, type: $type }, first: 20) {
    totalCount
    nodes { id name type meetsFiveHas organization { id name level parent { id name } } }
  }
}`,
      variables: (rng) => ({
        within: pick(rng, upper),
        type: rng() < 0.5 ? null : pick(rng, ['COMMUNITY', 'SCHOOL', 'TOWNSHIP', 'STREET']),
      }),
    },
    {
      name: 'members',
      about: "members of a random branch's subtree, 20 a page, with their branch",
      query: `query Members($id: ID!, $kind: MemberKind) {
  organization(id: $id) {
    name
    members(filter: { kind: $kind }, first: 20) {
      totalCount
      nodes { id name kind joinedOn status organization { id name level } }
    }
  }
}`,
      variables: (rng) => ({ id: anyLevel(rng), kind: rng() < 0.5 ? null : pick(rng, ['ADULT', 'YOUTH', 'GROUP']) }),
    },
    {
      name: 'instructors',
      about: 'instructor search by name (a surname), 20 a page, with their pool branch',
      query: `query Instructors($search: String, $category: InstructorCategory) {
  instructors(filter: { search: $search, category: $category }, first: 20) {
    totalCount
    nodes { id name category topics organization { id name level } }
  }
}`,
      variables: (rng) => ({
        search: pick(rng, SURNAMES),
        category: rng() < 0.5 ? null : pick(rng, ['FULL_TIME_STAFF', 'PART_TIME_STAFF', 'EXPERT']),
      }),
    },
    {
      name: 'annex1',
      about: 'annex 1, survey(asOf), for a random branch of a random level (4 subgraphs)',
      query: `query Survey($id: ID!, $asOf: Date!) {
  organization(id: $id) {
    name
    survey(asOf: $asOf) {
      countiesRationalized prefecturesDueForTermChange countiesDueForTermChange
      prefecturesWithPartyGroup countiesWithPartyGroup prefecturesWithSupervisoryBoard countiesWithSupervisoryBoard
      grassrootsUnits groupMembers adultMembers youthMembers registeredVolunteers serviceOrganizations serviceHours
    }
  }
}`,
      variables: (rng) => ({ id: anyLevel(rng), asOf: pick(rng, ['2020-12-31', '2021-06-30', '2021-12-31']) }),
    },
    {
      name: 'annex2',
      about: 'annex 2, annualIncrease(year), for a random branch of a random level (4 subgraphs)',
      query: `query AnnualIncrease($id: ID!, $year: Int!) {
  organization(id: $id) {
    name
    annualIncrease(year: $year) {
      countiesRationalized prefecturesCompletedTermChange countiesCompletedTermChange
      prefecturesWithPartyGroup countiesWithPartyGroup prefecturesWithSupervisoryBoard countiesWithSupervisoryBoard
      grassrootsUnits groupMembers adultMembers youthMembers registeredVolunteers serviceOrganizations serviceHours
    }
  }
}`,
      variables: (rng) => ({ id: anyLevel(rng), year: pick(rng, [2020, 2021]) }),
    },
  ];
}

/** The request body of one operation with fresh variables. */
export function requestBody(op: Operation, rng: () => number): string {
  return JSON.stringify({ query: op.query, variables: op.variables(rng) });
}
