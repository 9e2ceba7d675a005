import type { Connection } from 'mongoose';
import { createLogger, createSubgraph, readSchema, type Authenticator, type Logger } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';

export const SERVICE_NAME = 'training';

export interface ServerOptions {
  /** The branch tree (HttpDirectory over the organizations subgraph; StaticDirectory in tests). */
  directory: Directory;
  log?: Logger;
  /** Protects instructors' contact details; default from PERSONAL_DATA_KEY. */
  vault?: PersonalDataVault;
  /** Verifies bearer tokens; default Authenticator.fromEnv() (AUTH_JWT_SECRET or AUTH_JWKS_URL). */
  auth?: Authenticator;
}

/** The training subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(
  connection: Connection,
  { directory, log = createLogger(SERVICE_NAME), vault = PersonalDataVault.fromEnv(), auth }: ServerOptions,
) {
  const models = createModels(connection);
  return Object.assign(
    createSubgraph({
      name: SERVICE_NAME,
      typeDefs: readSchema(__dirname),
      resolvers,
      auth,
      log,
      context: createContext(models, directory, vault),
    }),
    { models },
  );
}

export { seed } from './seed';
export { followed } from './followed';
export { createModels } from './models';
