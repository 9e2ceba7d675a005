// Authorization in one place (ADR 0004): which roles may do what, the viewer's subtree, the
// condition that keeps a list inside it, single records and branches, personal data and reveals.
// Every subgraph builds one Access per request (ctx.access); no resolver decides these itself.
import { Types } from 'mongoose';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { badInput, forbidden, requireAuthenticated, requireRole, type Role, type Viewer } from '@rcsc/service-kit';

/** Anything stored under a branch: its path, national HQ first, the branch itself last. */
export interface BranchOwned {
  orgPath: readonly unknown[];
}

/** Where an Access looks branches up: the directory client, or organizations' own tree. */
export interface BranchLookup {
  get(id: string): Promise<BranchInfo | null>;
}

/**
 * The role table (ADR 0004). SERVICE (subgraph-to-subgraph calls, the tests) passes every role
 * check and sees every subtree; people never hold it.
 */
export const Roles = {
  /** Registers: members, dues, volunteers, teams, hours, units, homes, institutions. */
  WRITERS: ['ADMIN', 'STAFF', 'SERVICE'],
  /** The branch tree, governance, terms and leadership; audit logs. */
  ADMINS: ['ADMIN', 'SERVICE'],
  /** The instructor pool and classes. */
  TRAINING_MANAGERS: ['TRAINING_MANAGER', 'ADMIN', 'SERVICE'],
  /** Enrolling cadres of one's own subtree. */
  ENROLLERS: ['TRAINING_MANAGER', 'ADMIN', 'STAFF', 'SERVICE'],
  /** Tables, submissions, targets, the work plan. */
  REPORT_READERS: ['ADMIN', 'STAFF', 'REPORTER', 'VIEWER', 'SERVICE'],
  /** Personal data in clear, one record at a time and audited: people only, never a service. */
  REVEALERS: ['ADMIN', 'STAFF'],
} as const satisfies Record<string, readonly Role[]>;

/** A condition no record matches: the list of a viewer who may see none of it. */
export const NOTHING: Readonly<Record<string, unknown>> = Object.freeze({ _id: null });

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * What one viewer may do, for one request. Records are judged by their stored path; branches by
 * the tree (`lookup`). Subtrees nest or are disjoint, which is what makes one orgPath equality
 * enough for every list.
 */
export class Access {
  constructor(
    readonly viewer: Viewer,
    private readonly lookup: BranchLookup,
  ) {}

  get isService(): boolean {
    return this.viewer.roles.includes('SERVICE');
  }

  /** The viewer's branch id (lower case), or null for a viewer without a valid one. */
  get branchId(): string | null {
    const id = this.viewer.organizationId;
    return id && OBJECT_ID.test(id) ? id.toLowerCase() : null;
  }

  /** FORBIDDEN unless the viewer holds one of `roles` (UNAUTHENTICATED when anonymous). */
  requireRole(roles: readonly Role[], action: string): void {
    requireRole(this.viewer, [...roles], action);
  }

  /** Whether a record on `orgPath` lies in the viewer's subtree. */
  covers(orgPath: readonly unknown[]): boolean {
    if (this.isService) return true;
    const mine = this.branchId;
    return !!mine && orgPath.some((id) => String(id).toLowerCase() === mine);
  }

  /** FORBIDDEN unless a record on `orgPath` lies in the viewer's subtree. */
  requireOver(orgPath: readonly unknown[], what: string): void {
    requireAuthenticated(this.viewer);
    if (!this.covers(orgPath)) throw forbidden(`${what} is outside your branch's subtree`);
  }

  /**
   * A record as a single-record query, an entity reference or a nested link gives it: null stays
   * null (unknown id), one outside the viewer's subtree is FORBIDDEN (on that field only).
   */
  visible<T extends BranchOwned>(doc: T | null | undefined, what: string): T | null {
    if (!doc) return null;
    this.requireOver(doc.orgPath, what);
    return doc;
  }

  /** The records of a list-valued nested field the viewer may see (the others are left out). */
  onlyVisible<T extends BranchOwned>(docs: readonly T[]): T[] {
    return docs.filter((d) => this.covers(d.orgPath));
  }

  /** A branch by id: BAD_USER_INPUT naming `field` when the id is malformed or unknown. */
  async branch(id: string, field: string): Promise<BranchInfo> {
    if (!OBJECT_ID.test(id)) throw badInput(field, 'must be an id returned by this graph');
    const branch = await this.lookup.get(id.toLowerCase());
    if (!branch) throw badInput(field, 'no branch has this id');
    return branch;
  }

  /** A branch whose subtree the viewer may read (aggregates, lists): FORBIDDEN outside it. */
  async visibleBranch(id: string, field: string, what: string): Promise<BranchInfo> {
    const branch = await this.branch(id, field);
    this.requireOver(pathOf(branch), `${what} of ${branch.name}`);
    return branch;
  }

  /** A branch a new record may belong to: in the viewer's subtree and not dissolved. */
  async activeBranch(id: string, field: string): Promise<BranchInfo> {
    const branch = await this.branch(id, field);
    this.requireOver(pathOf(branch), `The branch ${branch.name}`);
    if (branch.dissolvedOn) throw badInput(field, `the branch was dissolved on ${branch.dissolvedOn}`);
    return branch;
  }

  /**
   * The condition that keeps a list inside the viewer's subtree, with no branch asked: none for a
   * SERVICE, NOTHING for a viewer without a branch, else `{ orgPath: <viewer's branch> }`.
   */
  subtree(): Record<string, unknown> {
    requireAuthenticated(this.viewer);
    if (this.isService) return {};
    const mine = this.branchId;
    return mine ? { orgPath: new Types.ObjectId(mine) } : NOTHING;
  }

  /**
   * The branch whose subtree a list of `rootId`'s records shows the viewer: "under rootId and
   * under the viewer's branch" is "under the deeper of the two" (null: nothing to show).
   * `directOnly`: records held by rootId itself, which the viewer sees only inside its subtree.
   */
  async listRoot(rootId: string, directOnly = false): Promise<string | null> {
    requireAuthenticated(this.viewer);
    const root = rootId.toLowerCase();
    const mine = this.branchId;
    if (this.isService || mine === root) return root;
    if (!mine) return null;
    const branch = await this.lookup.get(root);
    if (branch && pathOf(branch).includes(mine)) return root;
    if (directOnly) return null;
    const own = await this.lookup.get(mine);
    return own && own.ancestorIds.includes(root) ? mine : null;
  }

  /**
   * The one index-served condition for a list of `rootId`'s records: `{ orgPath: <deeper> }`
   * (or `{ organizationId: rootId }` for directOnly), NOTHING when the viewer sees none.
   */
  async listCondition(rootId: string, directOnly = false): Promise<Record<string, unknown>> {
    const root = await this.listRoot(rootId, directOnly);
    if (!root) return NOTHING;
    return directOnly ? { organizationId: new Types.ObjectId(root) } : { orgPath: new Types.ObjectId(root) };
  }

  /**
   * Two branches a list is asked under (an Organization's list filtered `within` another branch):
   * "under both" is "under the deeper one" when one holds the other, else nothing (null).
   */
  async deeperOf(aId: string, bId: string): Promise<string | null> {
    const [a, b] = [aId.toLowerCase(), bId.toLowerCase()];
    if (a === b) return a;
    const [branchA, branchB] = await Promise.all([this.lookup.get(a), this.lookup.get(b)]);
    if (branchB && pathOf(branchB).includes(a)) return b;
    if (branchA && pathOf(branchA).includes(b)) return a;
    return null;
  }

  /**
   * Records held in the viewer's subtree or by a branch above it (instructor pools and classes:
   * a county picks instructors from the national and provincial pools, but never changes them).
   */
  async subtreeOrAncestorsCondition(): Promise<Record<string, unknown>> {
    const own = this.subtree();
    if (this.isService || own === NOTHING) return own;
    const ancestors = await this.ancestorIds();
    if (!ancestors.length) return own;
    return { $or: [own, { organizationId: { $in: ancestors.map((a) => new Types.ObjectId(a)) } }] };
  }

  /**
   * subtreeOrAncestorsCondition for a list of `rootId`'s records, as one condition (never ANDed
   * with a second orgPath condition): `{ orgPath: rootId }` when rootId is in the viewer's
   * subtree; the viewer's subtree or the ancestors from rootId down when rootId is above it;
   * else NOTHING. `directOnly`: records held by rootId itself.
   */
  async subtreeOrAncestorsUnder(rootId: string, directOnly = false): Promise<Record<string, unknown>> {
    const root = rootId.toLowerCase();
    const deeper = await this.listRoot(root, directOnly);
    const id = (b: string) => new Types.ObjectId(b);
    if (deeper === root) return directOnly ? { organizationId: id(root) } : { orgPath: id(root) };
    const ancestors = await this.ancestorIds();
    const from = ancestors.indexOf(root);
    if (from < 0 || !this.branchId) return NOTHING;
    if (directOnly) return { organizationId: id(root) };
    return { $or: [{ orgPath: id(this.branchId) }, { organizationId: { $in: ancestors.slice(from).map(id) } }] };
  }

  /** Whether a record on `orgPath` is in the viewer's subtree or held by a branch above it. */
  async coversOrAbove(orgPath: readonly unknown[]): Promise<boolean> {
    if (this.covers(orgPath)) return true;
    const holder = orgPath.length ? String(orgPath[orgPath.length - 1]).toLowerCase() : null;
    return !!holder && (await this.ancestorIds()).includes(holder);
  }

  private ancestors: Promise<string[]> | null = null;
  private ancestorIds(): Promise<string[]> {
    const mine = this.branchId;
    if (!mine) return Promise.resolve([]);
    this.ancestors ??= this.lookup.get(mine).then((b) => b?.ancestorIds ?? []);
    return this.ancestors;
  }

  /**
   * Personal data (identity numbers, phones, birth dates, e-mails) is only ever shown masked, and
   * only to the roles that work with people (ADMIN, STAFF, TRAINING_MANAGER) and to services;
   * REPORTER and VIEWER see none of it.
   */
  get seesPersonalData(): boolean {
    return this.isService || this.viewer.roles.some((r) => r === 'ADMIN' || r === 'STAFF' || r === 'TRAINING_MANAGER');
  }

  /** FORBIDDEN unless the viewer may reveal personal data in clear (the record's subtree is checked too). */
  requireRevealer(what: string): void {
    this.requireRole(Roles.REVEALERS, `reveal ${what}`);
  }

  /**
   * FORBIDDEN unless the viewer acts for `branch` itself (a SERVICE may name any branch); `verb`
   * names what is done in the message ("only staff of X may <verb> as <field> <id>").
   */
  requireActsFor(branch: BranchInfo, field: string, verb = 'act'): void {
    requireAuthenticated(this.viewer);
    if (this.isService) return;
    if (this.branchId !== branch.id.toLowerCase()) {
      throw forbidden(
        `You act for branch ${this.viewer.organizationId ?? '(none)'}: only staff of ${branch.name} may ${verb} as ${field} ${branch.id}`,
      );
    }
  }

  /** FORBIDDEN unless the viewer holds one of `roles` in `branch` itself (SERVICE passes). */
  requireOwnBranch(branch: BranchInfo, roles: readonly Role[], action: string): void {
    this.requireRole([...roles, 'SERVICE'], action);
    if (this.isService) return;
    if (this.branchId !== branch.id.toLowerCase()) throw forbidden(`Only ${roles.join(' or ')} of ${branch.name} itself may ${action}`);
  }

  /** FORBIDDEN unless the viewer is ADMIN of the branch directly above `branch` (SERVICE passes). */
  async requireParentAdmin(branch: BranchInfo, action: string): Promise<void> {
    this.requireRole(Roles.ADMINS, action);
    if (this.isService) return;
    if (!branch.parentId || this.branchId !== branch.parentId.toLowerCase()) {
      const parent = branch.parentId ? await this.lookup.get(branch.parentId) : null;
      throw forbidden(`Only ADMIN of the branch above ${branch.name}${parent ? ` (${parent.name})` : ''} may ${action}`);
    }
  }
}
