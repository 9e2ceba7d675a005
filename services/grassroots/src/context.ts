import { Access } from '@rcsc/access';
import type { Directory } from '@rcsc/directory';
import type { PersonalDataVault } from '@rcsc/personal-data';
import type { BaseRequestContext } from '@rcsc/service-kit';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** The branch tree, from the organizations subgraph (never its database). */
  directory: Directory;
  /** What this viewer may read and change (@rcsc/access): the one place for authorization. */
  access: Access;
  vault: PersonalDataVault;
}

export function createContext(models: Models, directory: Directory, vault: PersonalDataVault) {
  return (base: BaseRequestContext): Context => ({
    ...base,
    models,
    directory,
    access: new Access(base.viewer, directory),
    vault,
    loaders: createLoaders(models),
  });
}
