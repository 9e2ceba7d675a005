import type { Connection } from 'mongoose';
import { serviceSubgraph, type ServiceOptions } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';

export const SERVICE_NAME = 'training';
const SERVICE = { name: SERVICE_NAME, dirname: __dirname, createModels, resolvers };

export interface ServerOptions extends ServiceOptions {
  /** The branch tree (HttpDirectory over the organizations subgraph; StaticDirectory in tests). */
  directory: Directory;
  /** Protects instructors' contact details; default from PERSONAL_DATA_KEY. */
  vault?: PersonalDataVault;
}

/** The training subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(connection: Connection, { directory, vault = PersonalDataVault.fromEnv(), ...options }: ServerOptions) {
  return serviceSubgraph(connection, SERVICE, options, (models) => ({ context: createContext(models, directory, vault) }));
}

export { seed } from './seed';
export { followed } from './followed';
export { createModels } from './models';
