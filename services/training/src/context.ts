import { Access } from '@rcsc/access';
import type { Directory } from '@rcsc/directory';
import type { PersonalDataVault } from '@rcsc/personal-data';
import type { BaseRequestContext } from '@rcsc/service-kit';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** The branch tree, read from the organizations subgraph (never from its database). */
  directory: Directory;
  /** Protects instructors' contact details. */
  vault: PersonalDataVault;
  /** What the viewer may read and change (ADR 0004): every check of this service goes through it. */
  access: Access;
}

export function createContext(models: Models, directory: Directory, vault: PersonalDataVault) {
  return (base: BaseRequestContext): Context => {
    const access = new Access(base.viewer, directory);
    return { ...base, models, directory, vault, access, loaders: createLoaders(models, access) };
  };
}
