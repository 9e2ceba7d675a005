// One collection: documents as plain JS objects in a Map keyed by the canonical _id string
// (insertion order = natural order), plus secondary indexes. Reads can be given a
// transaction overlay (id -> new doc, or null for deleted) that is merged over the base data.
import { Codes, MongoError } from './errors';
import { duplicateKeyError, forEachId, Index, IndexSpec, indexNameFor, SEP } from './indexes';
import { compileFilter, ID_INDEX, Plan, planQuery } from './query';
import { Doc, keyString } from './values';

export type Overlay = Map<string, Doc | null>;

export class Collection {
  readonly db: string;
  name: string;
  options: Doc;
  readonly docs = new Map<string, Doc>();
  indexes: Index[] = [];
  /** last write sequence per id, tracked only while transactions are open (conflict detection) */
  readonly seqs = new Map<string, number>();

  constructor(db: string, name: string, options: Doc = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX as IndexSpec, ...this.indexes.map((i) => i.spec)];
  }

  /** Documents matching `filter` (in natural or index order) and the plan used. */
  find(filter: Doc | undefined, overlay?: Overlay): { docs: Doc[]; plan: Plan } {
    const match = compileFilter(filter);
    const plan = planQuery(filter, this.indexes);
    const out: Doc[] = [];
    const consider = (id: string) => {
      let d: Doc | null | undefined;
      if (overlay && overlay.has(id)) d = overlay.get(id);
      else d = this.docs.get(id);
      if (d && match(d)) out.push(d);
    };
    if (plan.idKeys || plan.collect) {
      const seen = new Set<string>();
      const visit = (id: string) => {
        if (seen.has(id)) return;
        seen.add(id);
        consider(id);
      };
      if (plan.idKeys) plan.idKeys.forEach(visit);
      else plan.collect!(visit);
      // documents written inside the transaction are not in the base indexes
      if (overlay) for (const [id, d] of overlay) if (d && !seen.has(id) && match(d)) out.push(d);
      return { docs: out, plan };
    }
    if (!overlay || overlay.size === 0) {
      for (const d of this.docs.values()) if (match(d)) out.push(d);
      return { docs: out, plan };
    }
    for (const [id, d] of this.docs) {
      const o = overlay.has(id) ? overlay.get(id) : d;
      if (o && match(o)) out.push(o);
    }
    for (const [id, d] of overlay) if (d && !this.docs.has(id) && match(d)) out.push(d);
    return { docs: out, plan };
  }

  /** All documents visible under the overlay (for $lookup / aggregation sources). */
  all(overlay?: Overlay): Doc[] {
    return this.find(undefined, overlay).docs;
  }

  get(id: string, overlay?: Overlay): Doc | undefined {
    if (overlay && overlay.has(id)) return overlay.get(id) ?? undefined;
    return this.docs.get(id);
  }

  /**
   * Throw E11000 if `doc` (stored under `id`) would violate a unique index. Documents that the
   * overlay replaces are judged by their overlay version.
   */
  checkUnique(doc: Doc, id: string, isInsert: boolean, overlay?: Overlay): void {
    if (isInsert) {
      const existing = this.get(id, overlay);
      if (existing) throw duplicateKeyError(this.ns, ID_PSEUDO, [doc._id]);
    }
    for (const ix of this.indexes) {
      if (!ix.unique) continue;
      for (const [, values] of ix.keysOf(doc)) {
        const ids = ix.lookupFull(values);
        let clash = false;
        if (ids)
          forEachId(ids, (other) => {
            if (other !== id && !(overlay && overlay.has(other))) clash = true;
          });
        if (!clash && overlay) {
          const k = values.map(keyString).join(SEP);
          for (const [oid, od] of overlay)
            if (od && oid !== id && ix.keysOf(od).some(([ok]) => ok === k)) {
              clash = true;
              break;
            }
        }
        if (clash) throw duplicateKeyError(this.ns, ix, values);
      }
    }
  }

  // ---- base mutations (indexes maintained; callers have already validated) ----

  putBase(id: string, doc: Doc): void {
    const old = this.docs.get(id);
    if (old) for (const ix of this.indexes) ix.remove(id, old);
    this.docs.set(id, doc);
    for (const ix of this.indexes) ix.add(id, doc);
  }

  removeBase(id: string): Doc | undefined {
    const old = this.docs.get(id);
    if (!old) return undefined;
    for (const ix of this.indexes) ix.remove(id, old);
    this.docs.delete(id);
    return old;
  }

  /** Build a new index over existing data; fails with 11000 if a unique index is violated. */
  createIndex(spec: IndexSpec, enforce = true): Index {
    const ix = new Index(spec);
    for (const [id, d] of this.docs) {
      if (enforce && ix.unique) {
        for (const [, values] of ix.keysOf(d)) {
          const ids = ix.lookupFull(values);
          if (ids !== undefined) throw duplicateKeyError(this.ns, ix, values);
        }
      }
      ix.add(id, d);
    }
    this.indexes.push(ix);
    return ix;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.spec.name === name);
    if (i < 0) throw new MongoError(Codes.IndexNotFound, `index not found with name [${name}]`);
    this.indexes.splice(i, 1);
  }

  findIndexByKey(key: Doc): Index | undefined {
    const want = JSON.stringify(key);
    return this.indexes.find((i) => JSON.stringify(i.spec.key) === want);
  }
}

/** Stand-in used to word duplicate _id errors. */
const ID_PSEUDO = new Index({ key: { _id: 1 }, name: '_id_', unique: true });

export { indexNameFor };
