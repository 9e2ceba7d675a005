import { groupBy } from '@rcsc/service-kit';
import { valuesLoader } from '@rcsc/counters';
import { COUNTER_KEYS, counters } from './counters';
import DataLoader from 'dataloader';
import { Types } from 'mongoose';
import { placementOn, type BranchGroupDoc, type Models, type OrganizationDoc, type TermDoc } from './models';

const oid = (id: string) => new Types.ObjectId(id);

/** One set per request: every by-key fetch goes through these, so lists make a constant number of commands. */
export function createLoaders(models: Models) {
  const { Organization, Term } = models;
  const organizationById = new DataLoader<string, OrganizationDoc | null>(async (ids) => {
    const rows = (await Organization.find({ _id: { $in: ids.map(oid) } }).lean()) as OrganizationDoc[];
    const byId = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const childrenOf = new DataLoader<string, OrganizationDoc[]>(async (ids) => {
    const rows = (await Organization.find({ parentId: { $in: ids.map(oid) }, dissolvedOn: null })
      .sort({ sortKey: 1 })
      .lean()) as OrganizationDoc[];
    const byParent = groupBy(rows, (r) => String(r.parentId));
    for (const r of rows) organizationById.prime(String(r._id), r);
    return ids.map((id) => byParent.get(id) ?? []);
  });

  /**
   * Children on a date: branches that hung under the parent then (now, or in their path history),
   * established by then and not dissolved by then. One query per distinct date.
   */
  const childrenOn = new DataLoader<{ parentId: string; asOf: Date }, OrganizationDoc[], string>(
    async (keys) => {
      const byDate = groupBy([...keys], (k) => k.asOf.toISOString());
      const found = new Map<string, OrganizationDoc[]>();
      await Promise.all(
        [...byDate.values()].map(async (dayKeys) => {
          const asOf = dayKeys[0].asOf;
          const parents = dayKeys.map((k) => oid(k.parentId));
          const rows = (await Organization.find({ $or: [{ parentId: { $in: parents } }, { 'pathHistory.parentId': { $in: parents } }] })
            .sort({ sortKey: 1 })
            .lean()) as OrganizationDoc[];
          for (const r of rows) {
            if ((r.establishedOn && r.establishedOn > asOf) || (r.dissolvedOn && r.dissolvedOn <= asOf)) continue;
            const parent = placementOn(r, asOf).parentId;
            if (!parent) continue;
            const key = `${String(parent)}|${asOf.toISOString()}`;
            found.set(key, [...(found.get(key) ?? []), r]);
          }
        }),
      );
      return keys.map((k) => found.get(`${k.parentId}|${k.asOf.toISOString()}`) ?? []);
    },
    { cacheKeyFn: (k) => `${k.parentId}|${k.asOf.toISOString()}` },
  );

  const termsOf = new DataLoader<string, TermDoc[]>(async (ids) => {
    const rows = (await Term.find({ organizationId: { $in: ids.map(oid) } })
      .sort({ organizationId: 1, congressDate: -1 })
      .lean()) as TermDoc[];
    const byOrg = groupBy(rows, (r) => String(r.organizationId));
    return ids.map((id) => byOrg.get(id) ?? []);
  });

  /** The term in force on a date, keyed "orgId|YYYY-MM-DD"; one query per distinct date. */
  const termInForce = new DataLoader<string, TermDoc | null>(async (keys) => {
    const byDate = groupBy([...keys], (k) => k.split('|')[1]);
    const found = new Map<string, TermDoc>();
    await Promise.all(
      [...byDate].map(async ([day, dayKeys]) => {
        const asOf = new Date(`${day}T00:00:00Z`);
        const rows = (await Term.find({
          organizationId: { $in: dayKeys.map((k) => oid(k.split('|')[0])) },
          congressDate: { $lte: asOf },
          $or: [{ endedOn: null }, { endedOn: { $gt: asOf } }],
        }).lean()) as TermDoc[];
        for (const r of rows) found.set(`${String(r.organizationId)}|${day}`, r);
      }),
    );
    return keys.map((k) => found.get(k) ?? null);
  });

  /** Subtree counters on a date (annex rows 1-7). */
  const counts = valuesLoader(counters(models), COUNTER_KEYS);

  const { BranchGroup } = models;
  const branchGroupById = new DataLoader<string, BranchGroupDoc | null>(async (ids) => {
    const rows = (await BranchGroup.find({ _id: { $in: ids.map(oid) } }).lean()) as BranchGroupDoc[];
    const byId = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  /**
   * The groups usable at a branch (defined at a branch of its path), by set and name; keyed by the
   * path and an optional set. One query for every key of a request.
   */
  const branchGroupsAt = new DataLoader<{ path: string[]; groupSet: string | null }, BranchGroupDoc[], string>(
    async (keys) => {
      const definers = [...new Set(keys.flatMap((k) => k.path))];
      const rows = (await BranchGroup.find({ organizationId: { $in: definers.map(oid) } })
        .sort({ groupSet: 1, name: 1 })
        .lean()) as BranchGroupDoc[];
      for (const r of rows) branchGroupById.prime(String(r._id), r);
      return keys.map((k) =>
        rows.filter((r) => k.path.includes(String(r.organizationId)) && (k.groupSet == null || r.groupSet === k.groupSet)),
      );
    },
    { cacheKeyFn: (k) => `${k.path.join(',')}|${k.groupSet ?? ''}` },
  );

  return { organizationById, childrenOf, childrenOn, termsOf, termInForce, counts, branchGroupById, branchGroupsAt };
}
export type Loaders = ReturnType<typeof createLoaders>;
