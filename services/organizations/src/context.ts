import { Access, type BranchLookup } from '@rcsc/access';
import type { BranchInfo } from '@rcsc/directory';
import type { BaseRequestContext } from '@rcsc/service-kit';
import { createLoaders, type Loaders } from './loaders';
import type { Models, OrganizationDoc } from './models';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** Who may do what where (ADR 0004), judged on this service's own tree. */
  access: Access;
}

/** A branch as every subgraph's directory gives it. */
export function branchInfo(o: OrganizationDoc): BranchInfo {
  return {
    id: String(o._id),
    name: o.name,
    level: o.level,
    kind: o.kind,
    divisionCode: o.divisionCode ?? null,
    divisionType: o.divisionType,
    parentId: o.parentId ? String(o.parentId) : null,
    ancestorIds: o.ancestorIds.map(String),
    establishedOn: o.establishedOn ? o.establishedOn.toISOString().slice(0, 10) : null,
    dissolvedOn: o.dissolvedOn ? o.dissolvedOn.toISOString().slice(0, 10) : null,
    typeHistory: o.identityHistory?.length
      ? o.identityHistory.map((i) => ({ divisionType: i.divisionType, until: i.until.toISOString().slice(0, 10) }))
      : null,
    pathHistory: o.pathHistory?.length
      ? o.pathHistory.map((p) => ({ ancestorIds: p.ancestorIds.map(String), until: p.until.toISOString().slice(0, 10) }))
      : null,
  };
}

export function createContext(models: Models) {
  return (base: BaseRequestContext): Context => {
    const loaders = createLoaders(models);
    const lookup: BranchLookup = {
      get: async (id) => {
        const o = await loaders.organizationById.load(id);
        return o ? branchInfo(o) : null;
      },
    };
    return { ...base, models, loaders, access: new Access(base.viewer, lookup) };
  };
}
