import { badInput } from '@rcsc/service-kit';
import type { Branch, DivisionType } from '@rcsc/dataset';

/**
 * A branch as other subgraphs need it: the dataset's branch (where it sits in the tree and what
 * division it is; not the division's own name) and what happened to it over time.
 */
export interface BranchInfo extends Omit<Branch, 'divisionName'> {
  dissolvedOn?: string | null;
  /** When the branch was established (YYYY-MM-DD), where the directory's source gives it. */
  establishedOn?: string | null;
  /** Earlier division types, oldest first, each until (exclusive, YYYY-MM-DD) the day it changed. */
  typeHistory?: { divisionType: DivisionType | null; until: string }[] | null;
  /** Earlier places in the tree, oldest first: the ancestors (HQ first) until (exclusive, YYYY-MM-DD) a reorganization moved it. */
  pathHistory?: { ancestorIds: string[]; until: string }[] | null;
}

/** An Organization as subgraphs other than organizations resolve it: only its key (organizations owns the rest). */
export interface OrganizationRef {
  id: string;
}

/** The division type a branch had on `date` (撤县设市: a county counts as a county-level city from the day). */
export function divisionTypeOn(branch: Pick<BranchInfo, 'divisionType' | 'typeHistory'>, date: Date): DivisionType | null {
  const day = date.toISOString().slice(0, 10);
  return branch.typeHistory?.find((t) => day < t.until)?.divisionType ?? branch.divisionType;
}

/** The ancestors (HQ first) a branch had on `date`: a branch moved after it answers its earlier place. */
export function ancestorsOn(branch: Pick<BranchInfo, 'ancestorIds' | 'pathHistory'>, date: Date): string[] {
  const day = date.toISOString().slice(0, 10);
  return branch.pathHistory?.find((p) => day < p.until)?.ancestorIds ?? branch.ancestorIds;
}

/** Whether any branch of `branches` hung elsewhere on `date` than it hangs now. */
export function movedSince(branches: Pick<BranchInfo, 'pathHistory'>[], date: Date): boolean {
  const day = date.toISOString().slice(0, 10);
  return branches.some((b) => b.pathHistory?.some((p) => day < p.until));
}

/**
 * The branches of `rootId`'s subtree (itself included) as the tree stood on `date`, from every
 * branch of the directory: a branch moved out after the date is still in, one moved in is not.
 */
export function subtreeOn(all: BranchInfo[], rootId: string, date: Date): BranchInfo[] {
  return all.filter((b) => b.id === rootId || ancestorsOn(b, date).includes(rootId));
}

/**
 * The branch tree, read from the organizations subgraph (never from its database). Records of
 * other services store a branch's id and its ancestor path, taken from here when written, so
 * "everything under X" is one indexed match on their own collections.
 */
export interface Directory {
  get(id: string): Promise<BranchInfo | null>;
  /** The branch, or BAD_USER_INPUT naming `field` when no branch has this id. */
  require(id: string, field: string): Promise<BranchInfo>;
  /** The branch and every branch below it. */
  subtree(id: string): Promise<BranchInfo[]>;
  /** Every branch. */
  all(): Promise<BranchInfo[]>;
}

/** The ancestor path a record under `branch` stores: the branch's ancestors plus the branch. */
export function pathOf(branch: BranchInfo): string[] {
  return [...branch.ancestorIds, branch.id];
}

class Snapshot {
  readonly byId = new Map<string, BranchInfo>();
  readonly children = new Map<string, BranchInfo[]>();
  constructor(readonly branches: BranchInfo[]) {
    for (const b of branches) {
      this.byId.set(b.id, b);
      if (b.parentId) {
        const list = this.children.get(b.parentId);
        if (list) list.push(b);
        else this.children.set(b.parentId, [b]);
      }
    }
  }
  subtree(id: string): BranchInfo[] {
    const root = this.byId.get(id);
    if (!root) return [];
    const out: BranchInfo[] = [];
    const stack = [root];
    while (stack.length) {
      const b = stack.pop()!;
      out.push(b);
      const kids = this.children.get(b.id);
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
    return out;
  }
}

abstract class SnapshotDirectory implements Directory {
  protected abstract snapshot(fresh?: boolean): Promise<Snapshot>;

  async get(id: string): Promise<BranchInfo | null> {
    const hit = (await this.snapshot()).byId.get(id);
    // A branch created since the last refresh: look once more in a fresh snapshot.
    return hit ?? (await this.snapshot(true)).byId.get(id) ?? null;
  }
  async require(id: string, field: string): Promise<BranchInfo> {
    if (!/^[0-9a-f]{24}$/i.test(id)) throw badInput(field, 'must be an id returned by this graph');
    const branch = await this.get(id);
    if (!branch) throw badInput(field, 'no branch has this id');
    return branch;
  }
  async subtree(id: string): Promise<BranchInfo[]> {
    return (await this.snapshot()).subtree(id);
  }
  async all(): Promise<BranchInfo[]> {
    return (await this.snapshot()).branches;
  }
}

const QUERY = `{ branchDirectory { id name level kind divisionCode divisionType parentId ancestorIds establishedOn dissolvedOn typeHistory { divisionType until } pathHistory { ancestorIds until } } }`;

/**
 * Reads the whole tree from the organizations subgraph (about 3,400 small entries) and keeps it
 * for `ttlMs`; after that the next call refreshes it in the background while the old copy
 * answers. A miss forces a refresh at most once per `minRefreshMs`.
 */
export class HttpDirectory extends SnapshotDirectory {
  private current: { snapshot: Snapshot; at: number } | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(
    /** The organizations subgraph's URL (a function when it is known only once it listens, as in tests). */
    private readonly url: string | (() => string),
    private readonly opts: { ttlMs?: number; minRefreshMs?: number; headers?: () => Promise<Record<string, string>> } = {},
  ) {
    super();
  }

  private load(): Promise<Snapshot> {
    this.loading ??= (async () => {
      try {
        const url = typeof this.url === 'function' ? this.url() : this.url;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await this.opts.headers?.()) },
          body: JSON.stringify({ query: QUERY }),
        });
        const body = (await res.json()) as { data?: { branchDirectory: BranchInfo[] }; errors?: { message: string }[] };
        if (!body.data) throw new Error(`branch directory unavailable from ${url}: ${JSON.stringify(body.errors ?? res.status)}`);
        const snapshot = new Snapshot(body.data.branchDirectory);
        this.current = { snapshot, at: Date.now() };
        return snapshot;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Reads the tree again now (after a reorganization was applied): the next answers come from it. */
  async refresh(): Promise<void> {
    // A read already on its way may have left before the change: read once more after it.
    if (this.loading) await this.loading.catch(() => undefined);
    await this.load();
  }

  protected async snapshot(fresh = false): Promise<Snapshot> {
    const age = this.current ? Date.now() - this.current.at : Infinity;
    if (!this.current) return this.load();
    if (fresh && age >= (this.opts.minRefreshMs ?? 1_000)) return this.load();
    if (age > (this.opts.ttlMs ?? 60_000)) void this.load().catch(() => undefined);
    return this.current.snapshot;
  }
}

/** A fixed tree, e.g. the national dataset's, for tests and the dataset generator. */
export class StaticDirectory extends SnapshotDirectory {
  private readonly snap: Snapshot;
  constructor(branches: BranchInfo[]) {
    super();
    this.snap = new Snapshot(branches);
  }
  static fromTree(tree: Branch[]): StaticDirectory {
    return new StaticDirectory(tree.map((b) => ({ ...b, dissolvedOn: null })));
  }
  protected async snapshot(): Promise<Snapshot> {
    return this.snap;
  }
}
