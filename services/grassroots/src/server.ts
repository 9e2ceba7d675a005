import { rollUpPlugin } from '@rcsc/counters';
import { counters } from './counters';
import type { Connection } from 'mongoose';
import type { Directory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { serviceSubgraph, type ServiceOptions } from '@rcsc/service-kit';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';

export const SERVICE_NAME = 'grassroots';
const SERVICE = { name: SERVICE_NAME, dirname: __dirname, createModels, resolvers };

const importDocument = (field: string) =>
  `mutation Import($input: GrassrootsImportInput!) { ${field}(input: $input) { created existing errors { line field message } } }`;

export interface ServerOptions extends ServiceOptions {
  /** The branch tree (HttpDirectory over the organizations subgraph; StaticDirectory in tests). */
  directory: Directory;
  /** Protects personal data (leaders' phone numbers); default from PERSONAL_DATA_KEY. */
  vault?: PersonalDataVault;
}

/**
 * The annex tables' row this subgraph fills in: the branch's unit counters on the table's day
 * (loaders.countUnits reads nothing else, and every unit write moves them through the pipeline's
 * moveCounters), so an answer about an earlier day outlives a write dated later.
 */
const SUBTREE_DATED = ['Survey', 'AnnualIncrease'].flatMap((t) =>
  ['organizationId', 'asOf', 'year', 'baseYear', 'grassrootsUnits'].map((f) => `${t}.${f}`),
);

/**
 * Fields whose values, below an Organization, come only from records filed in that branch's
 * subtree (units and homes under the branch, narrowed by the viewer's), each written under its
 * own path (the pipeline audits every record it changes with its path): the gateway keeps answers
 * made of them while writes elsewhere happen (change-scope.ts). Left out on purpose: groups (a
 * group is defined by a branch above), townships, medical institutions, school equipment totals,
 * audit entries and federated lookups.
 */
const SUBTREE_CLOSED = [
  ...SUBTREE_DATED,
  ...['id', 'grassrootsUnits', 'boaiHomes'].map((f) => `Organization.${f}`),
  ...['GrassrootsUnitConnection', 'BoaiHomeConnection'].flatMap((t) => ['totalCount', 'pageInfo', 'nodes'].map((f) => `${t}.${f}`)),
  'PageInfo.hasNextPage',
  'PageInfo.endCursor',
  ...[
    'id',
    'name',
    'type',
    'organization',
    'community',
    'establishedOn',
    'dissolvedOn',
    'dissolvedReason',
    'active',
    'meetsFiveHas',
    'contact',
    'location',
  ].map((f) => `GrassrootsUnit.${f}`),
  ...['id', 'name', 'setting', 'organization', 'community', 'openedOn', 'closedOn', 'closedReason', 'open', 'contact', 'location'].map(
    (f) => `BoaiHome.${f}`,
  ),
  'ContactDetails.address',
  'ContactDetails.phone',
  'ContactDetails.email',
  'GeoPoint.longitude',
  'GeoPoint.latitude',
];

/** The grassroots subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(connection: Connection, { directory, vault = PersonalDataVault.fromEnv(), ...options }: ServerOptions) {
  return serviceSubgraph(connection, SERVICE, options, (models, { log }) => ({
    context: createContext(models, directory, vault),
    // Pending counter deltas are added to the ancestors' totals while the server runs (ADR 0005).
    plugins: [rollUpPlugin(counters(models), log)],
    subtreeClosed: SUBTREE_CLOSED,
    subtreeDated: SUBTREE_DATED,
    // POST /imports/grassroots-units and /imports/boai-homes: the files the gateway streams here (service-kit imports.ts).
    imports: {
      'grassroots-units': { field: 'importGrassrootsUnits', document: importDocument('importGrassrootsUnits') },
      'boai-homes': { field: 'importBoaiHomes', document: importDocument('importBoaiHomes') },
    },
  }));
}

export { seed } from './seed';
export { followed } from './counters';
export { createModels } from './models';
