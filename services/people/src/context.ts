import { Access } from '@rcsc/access';
import type { BaseRequestContext } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import type { PersonalDataVault } from '@rcsc/personal-data';
import type { PeopleConfig } from './config';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';
import type { UnitLookup } from './units';

/** What every request shares: the models, the branch directory, the personal-data vault, the rules' configuration. */
export interface Services {
  models: Models;
  directory: Directory;
  vault: PersonalDataVault;
  config: PeopleConfig;
  /** Grassroots units, from the grassroots subgraph (references are checked against its records). */
  units: UnitLookup;
}

export interface Context extends BaseRequestContext, Services {
  loaders: Loaders;
  /** What this viewer may read and change (the one authorization module). */
  access: Access;
}

export function createContext(services: Services) {
  return (base: BaseRequestContext): Context => ({
    ...base,
    ...services,
    loaders: createLoaders(services.models),
    access: new Access(base.viewer, services.directory),
  });
}
