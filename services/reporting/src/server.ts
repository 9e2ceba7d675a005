import type { Connection } from 'mongoose';
import { createLogger, createSubgraph, readSchema, ServiceCredentials, Authenticator, type Logger } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { GatewayTableSource, type TableSource } from './table-source';

export const SERVICE_NAME = 'reporting';
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

export interface ReportingOptions {
  /** The branch tree (HttpDirectory over the organizations subgraph; StaticDirectory in tests). */
  directory: Directory;
  /** Where live table values come from; default: the gateway at GATEWAY_URL. */
  tables?: TableSource;
  log?: Logger;
  /** The clock; tests fix it. */
  now?: () => Date;
  auth?: Authenticator;
}

/** The reporting subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(connection: Connection, opts: ReportingOptions) {
  const models = createModels(connection);
  const log = opts.log ?? createLogger(SERVICE_NAME);
  const tables = opts.tables ?? new GatewayTableSource({ url: process.env.GATEWAY_URL ?? DEFAULT_GATEWAY_URL });
  const auth = opts.auth ?? Authenticator.fromEnv();
  const credentials = new ServiceCredentials(auth, SERVICE_NAME);
  const subgraph = createSubgraph({
    name: SERVICE_NAME,
    typeDefs: readSchema(__dirname),
    resolvers,
    log,
    auth,
    context: createContext({
      models,
      directory: opts.directory,
      tables,
      now: opts.now ?? (() => new Date()),
      // Requests without a caller's token (internal calls, tests) ask the gateway as the service itself.
      serviceAuthorization: () => credentials.authorization(),
    }),
  });
  return Object.assign(subgraph, { models });
}

export { seed } from './seed';
export { createModels } from './models';
export { GatewayTableSource, type TableSource } from './table-source';
export { SURVEY_ROWS, ANNUAL_ROWS, SURVEY_FIELDS, ANNUAL_FIELDS, type TableValues } from './tables';
export { followed } from './followed';
