import type { BaseRequestContext } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import type { PersonalDataVault } from '@rcsc/personal-data';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** The branch tree, read from the organizations subgraph (never from its database). */
  directory: Directory;
  /** Protects instructors' contact details. */
  vault: PersonalDataVault;
}

export function createContext(models: Models, directory: Directory, vault: PersonalDataVault) {
  return (base: BaseRequestContext): Context => ({ ...base, models, directory, vault, loaders: createLoaders(models) });
}
