import type { BaseRequestContext } from '@rcsc/service-kit';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
}

export function createContext(models: Models) {
  return (base: BaseRequestContext): Context => ({ ...base, models, loaders: createLoaders(models) });
}
