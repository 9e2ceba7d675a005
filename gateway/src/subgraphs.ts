import { join } from 'node:path';

/** Every subgraph of the supergraph: its name, its dev port and where its schema lives. */
export interface SubgraphInfo {
  name: string;
  port: number;
  /** Path of the schema file from the repository root. */
  schemaPath: string;
  /** Env var that overrides the URL the gateway calls. */
  urlEnv: string;
}

export const SUBGRAPHS: SubgraphInfo[] = [
  { name: 'organizations', port: 4001, schemaPath: 'services/organizations/src/schema.graphql', urlEnv: 'ORGANIZATIONS_URL' },
  { name: 'grassroots', port: 4002, schemaPath: 'services/grassroots/src/schema.graphql', urlEnv: 'GRASSROOTS_URL' },
  { name: 'people', port: 4003, schemaPath: 'services/people/src/schema.graphql', urlEnv: 'PEOPLE_URL' },
  { name: 'training', port: 4004, schemaPath: 'services/training/src/schema.graphql', urlEnv: 'TRAINING_URL' },
  { name: 'reporting', port: 4005, schemaPath: 'services/reporting/src/schema.graphql', urlEnv: 'REPORTING_URL' },
];

export const REPO_ROOT = join(__dirname, '..', '..');

export function defaultUrl(s: SubgraphInfo): string {
  return `http://127.0.0.1:${s.port}/graphql`;
}

/** The URL the gateway calls for a subgraph: its env override, else the dev default. */
export function subgraphUrl(s: SubgraphInfo, env: NodeJS.ProcessEnv = process.env): string {
  return env[s.urlEnv] ?? defaultUrl(s);
}
