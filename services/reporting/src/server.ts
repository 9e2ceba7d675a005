import type { Connection } from 'mongoose';
import { serviceSubgraph, ServiceCredentials, type ServiceOptions } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { GatewayTableSource, type TableSource } from './table-source';

export const SERVICE_NAME = 'reporting';
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';
const SERVICE = { name: SERVICE_NAME, dirname: __dirname, createModels, resolvers };

export interface ReportingOptions extends ServiceOptions {
  /** The branch tree (HttpDirectory over the organizations subgraph; StaticDirectory in tests). */
  directory: Directory;
  /** Where live table values come from; default: the gateway at GATEWAY_URL. */
  tables?: TableSource;
  /** The clock; tests fix it. */
  now?: () => Date;
}

/** The reporting subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(
  connection: Connection,
  {
    directory,
    tables = new GatewayTableSource({ url: process.env.GATEWAY_URL ?? DEFAULT_GATEWAY_URL }),
    now = () => new Date(),
    ...options
  }: ReportingOptions,
) {
  return serviceSubgraph(connection, SERVICE, options, (models, { auth }) => {
    const credentials = new ServiceCredentials(auth, SERVICE_NAME);
    return {
      context: createContext({
        models,
        directory,
        tables,
        now,
        // Requests without a caller's token (internal calls, tests) ask the gateway as the service itself.
        serviceAuthorization: () => credentials.authorization(),
      }),
    };
  });
}

export { seed } from './seed';
export { createModels } from './models';
export { GatewayTableSource, type TableSource } from './table-source';
export { SURVEY_ROWS, ANNUAL_ROWS, SURVEY_FIELDS, ANNUAL_FIELDS, type TableValues } from './tables';
export { followed } from './followed';
