import { rollUpPlugin } from '@rcsc/counters';
import { counters } from './counters';
import type { Connection } from 'mongoose';
import { createLogger, createSubgraph, readSchema, type Authenticator, type Logger } from '@rcsc/service-kit';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';

export const SERVICE_NAME = 'organizations';

/** The organizations subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(connection: Connection, log: Logger = createLogger(SERVICE_NAME), auth?: Authenticator) {
  const models = createModels(connection);
  return Object.assign(
    createSubgraph({
      name: SERVICE_NAME,
      typeDefs: readSchema(__dirname),
      resolvers,
      log,
      auth,
      context: createContext(models),
      // Pending counter deltas are added to the ancestors' totals while the server runs (ADR 0005).
      plugins: [rollUpPlugin(counters(models), log)],
      // POST /imports/branch-contacts: the file the gateway streams here (service-kit imports.ts).
      imports: {
        'branch-contacts': {
          field: 'importBranchContacts',
          document:
            'mutation Import($input: BranchContactsImportInput!) { importBranchContacts(input: $input) { updated unchanged errors { line field message } } }',
        },
      },
    }),
    { models },
  );
}

export { seed } from './seed';
export { createModels } from './models';
