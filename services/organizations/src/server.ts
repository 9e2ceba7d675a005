import { rollUpPlugin } from '@rcsc/counters';
import { counters } from './counters';
import type { Connection } from 'mongoose';
import { serviceSubgraph, type Authenticator, type Logger } from '@rcsc/service-kit';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';

export const SERVICE_NAME = 'organizations';
const SERVICE = { name: SERVICE_NAME, dirname: __dirname, createModels, resolvers };

/** The organizations subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(connection: Connection, log?: Logger, auth?: Authenticator) {
  return serviceSubgraph(connection, SERVICE, { log, auth }, (models, shared) => ({
    context: createContext(models),
    // Pending counter deltas are added to the ancestors' totals while the server runs (ADR 0005).
    plugins: [rollUpPlugin(counters(models), shared.log)],
    // POST /imports/branch-contacts: the file the gateway streams here (service-kit imports.ts).
    imports: {
      'branch-contacts': {
        field: 'importBranchContacts',
        document:
          'mutation Import($input: BranchContactsImportInput!) { importBranchContacts(input: $input) { updated unchanged errors { line field message } } }',
      },
    },
  }));
}

export { seed } from './seed';
export { createModels } from './models';
