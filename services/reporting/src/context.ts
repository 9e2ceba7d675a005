import type { BaseRequestContext } from '@rcsc/service-kit';
import { Access } from '@rcsc/access';
import type { Directory } from '@rcsc/directory';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';
import type { TableSource } from './table-source';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** What this viewer may read and change (the one authorization module, ADR 0004). */
  access: Access;
  /** The branch tree, read from the organizations subgraph (never its database). */
  directory: Directory;
  /** The live tables, read through the supergraph. */
  tables: TableSource;
  /** The clock (tests set it). */
  now: () => Date;
  /** The Authorization header for calls this request makes to the gateway: the caller's token, else a service token. */
  authorization: () => Promise<string>;
}

export interface ContextDeps {
  models: Models;
  directory: Directory;
  tables: TableSource;
  now: () => Date;
  serviceAuthorization: () => Promise<string>;
}

export function createContext(deps: ContextDeps) {
  return (base: BaseRequestContext): Context => {
    const authorization = () => (base.viewer.token ? Promise.resolve(`Bearer ${base.viewer.token}`) : deps.serviceAuthorization());
    return {
      ...base,
      models: deps.models,
      access: new Access(base.viewer, deps.directory),
      directory: deps.directory,
      tables: deps.tables,
      now: deps.now,
      authorization,
      loaders: createLoaders(deps.models, deps.tables, authorization),
    };
  };
}
