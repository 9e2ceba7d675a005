import { pathOf, type BranchInfo, type Directory } from '@rcsc/directory';
import { badInput } from '@rcsc/service-kit';
import { unitReferenceProblem } from './rules';

// Grassroots units (基层组织) are owned by the grassroots subgraph: people checks a reference to
// one against that subgraph's records (never its database), as a SERVICE.

/** What people needs of a grassroots unit to accept a reference to it. */
export interface UnitInfo {
  id: string;
  /** The branch the unit belongs to. */
  organizationId: string;
  establishedOn: Date;
  dissolvedOn: Date | null;
}

/** Grassroots units by id; null for an id no unit has. */
export interface UnitLookup {
  units(ids: readonly string[]): Promise<(UnitInfo | null)[]>;
}

/** Units from a fixed list (tests, tools). */
export class StaticUnitLookup implements UnitLookup {
  private readonly byId: Map<string, UnitInfo>;
  constructor(units: readonly UnitInfo[]) {
    this.byId = new Map(units.map((u) => [u.id.toLowerCase(), u]));
  }
  async units(ids: readonly string[]): Promise<(UnitInfo | null)[]> {
    return ids.map((id) => this.byId.get(id.toLowerCase()) ?? null);
  }
}

/** Without a configured lookup a reference cannot be checked, so it is not accepted. */
export const NO_UNIT_LOOKUP: UnitLookup = {
  units: () => Promise.reject(new Error('no grassroots unit lookup is configured (GRASSROOTS_URL)')),
};

const QUERY = `query PeopleUnitLookup($r: [_Any!]!) {
  _entities(representations: $r) { ... on GrassrootsUnit { id organization { id } establishedOn dissolvedOn } }
}`;

interface EntityRow {
  id: string;
  organization: { id: string };
  establishedOn: string;
  dissolvedOn: string | null;
}

/**
 * Asks the grassroots subgraph for the units (`_entities` on GrassrootsUnit, one call for every
 * id), with the headers `headers` gives (a SERVICE token).
 */
export class HttpUnitLookup implements UnitLookup {
  constructor(
    private readonly url: string | (() => string),
    private readonly headers: () => Promise<Record<string, string>> = async () => ({}),
    private readonly timeoutMs = 10_000,
  ) {}

  async units(ids: readonly string[]): Promise<(UnitInfo | null)[]> {
    if (!ids.length) return [];
    const url = typeof this.url === 'function' ? this.url() : this.url;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await this.headers()) },
      body: JSON.stringify({ query: QUERY, variables: { r: ids.map((id) => ({ __typename: 'GrassrootsUnit', id })) } }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as { data?: { _entities: (EntityRow | null)[] }; errors?: { message: string }[] };
    if (!body.data?._entities || body.errors?.length) {
      throw new Error(`grassroots units unavailable from ${url}: ${JSON.stringify(body.errors ?? res.status)}`);
    }
    return body.data._entities.map((u) =>
      u
        ? {
            id: u.id,
            organizationId: u.organization.id,
            establishedOn: new Date(`${u.establishedOn}T00:00:00Z`),
            dissolvedOn: u.dissolvedOn ? new Date(`${u.dissolvedOn}T00:00:00Z`) : null,
          }
        : null,
    );
  }
}

/**
 * BAD_USER_INPUT naming `field` unless a record of `branch` dated `on` may refer to the unit
 * `unitId`: it exists in the grassroots subgraph, lies in the branch's subtree, stands that day.
 */
export async function requireUnit(
  ctx: { units: UnitLookup; directory: Directory },
  unitId: string,
  branch: BranchInfo,
  on: Date,
  field: string,
): Promise<void> {
  const [unit] = await ctx.units.units([unitId]);
  const unitBranch = unit ? await ctx.directory.get(unit.organizationId.toLowerCase()) : null;
  const problem = unitReferenceProblem(unit, unitBranch ? pathOf(unitBranch) : null, branch, on);
  if (problem) throw badInput(field, problem);
}
