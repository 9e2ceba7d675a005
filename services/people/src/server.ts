import { rollUpPlugin } from '@rcsc/counters';
import { counters } from './counters';
import type { Connection } from 'mongoose';
import { serviceSubgraph, type ServiceOptions } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { loadConfig, type PeopleConfig } from './config';
import { createContext } from './context';
import { createModels } from './models';
import { resolvers } from './resolvers';
import { NO_UNIT_LOOKUP, type UnitLookup } from './units';

export const SERVICE_NAME = 'people';
const SERVICE = { name: SERVICE_NAME, dirname: __dirname, createModels, resolvers };

const importDocument = (field: string, input: string) =>
  `mutation Import($input: ${input}!) { ${field}(input: $input) { rows created alreadyRegistered failed errors { line field message } } }`;

export interface PeopleServerOptions extends ServiceOptions {
  /** Where branches are learned (HttpDirectory in production, StaticDirectory in tests). */
  directory: Directory;
  /** Protects identity numbers and phones; default PersonalDataVault.fromEnv(). */
  vault?: PersonalDataVault;
  /** Rules' configuration; default loadConfig() (environment over defaults). */
  config?: Partial<PeopleConfig>;
  /** Grassroots units referenced by members and volunteers (HttpUnitLookup in production); without one, a reference is refused. */
  units?: UnitLookup;
}

/**
 * The annex tables' rows this subgraph fills in: the branch's counters on the table's day
 * (indicators.ts reads nothing else, and every write to a counted record moves them through the
 * pipeline's moveCounters), so an answer about an earlier day outlives a write dated later.
 */
const SUBTREE_DATED = ['Survey', 'AnnualIncrease'].flatMap((t) =>
  [
    'organizationId',
    'asOf',
    'year',
    'baseYear',
    ...['groupMembers', 'adultMembers', 'youthMembers', 'registeredVolunteers', 'serviceOrganizations', 'serviceHours'],
  ].map((f) => `${t}.${f}`),
);

/**
 * Fields whose values, below an Organization, come only from records filed in that branch's
 * subtree (the list condition of access.listCondition, or the branch's counters), each record
 * written under its own path (the pipeline audits every record it changes with its path): the
 * gateway keeps answers made of them while writes elsewhere happen (change-scope.ts). Left out on
 * purpose: fields that read records filed elsewhere (a volunteer's teams, hours and ratings,
 * dues payments, audit entries, approvals decided by another branch) and federated lookups.
 */
const SUBTREE_CLOSED = [
  ...SUBTREE_DATED,
  ...['id', 'members', 'volunteers', 'peopleSurvey', 'serviceHours', 'duesTotals'].map((f) => `Organization.${f}`),
  ...['MemberConnection', 'VolunteerConnection'].flatMap((t) => ['totalCount', 'pageInfo', 'nodes'].map((f) => `${t}.${f}`)),
  'PageInfo.hasNextPage',
  'PageInfo.endCursor',
  ...['asOf', 'groupMembers', 'adultMembers', 'youthMembers', 'registeredVolunteers', 'serviceOrganizations', 'serviceHours'].map(
    (f) => `PeopleSurvey.${f}`,
  ),
  ...['year', 'amount', 'payments', 'membersPaid'].map((f) => `DuesTotals.${f}`),
  ...[
    'id',
    'kind',
    'name',
    'gender',
    'birthDate',
    'contactPerson',
    'idNumberMasked',
    'phoneMasked',
    'organization',
    'grassrootsUnitId',
    'grassrootsUnit',
    'memberNumber',
    'joinedOn',
    'withdrawnOn',
    'status',
    'paidThrough',
    'lapsesOn',
  ].map((f) => `Member.${f}`),
  ...[
    'id',
    'name',
    'gender',
    'birthDate',
    'idNumberMasked',
    'phoneMasked',
    'organization',
    'grassrootsUnitId',
    'grassrootsUnit',
    'registeredOn',
    'registeredInNationalSystem',
    'nationalSystemRegisteredOn',
    'nationalSystemId',
    'endedOn',
    'skills',
    'stars',
  ].map((f) => `Volunteer.${f}`),
  'GrassrootsUnit.id',
];

/** The people subgraph over a database connection; used by index.ts and by the tests. */
export function createServer(
  connection: Connection,
  { directory, vault = PersonalDataVault.fromEnv(), config, units = NO_UNIT_LOOKUP, ...options }: PeopleServerOptions,
) {
  return serviceSubgraph(connection, SERVICE, options, (models, { log }) => ({
    context: createContext({ models, directory, vault, config: { ...loadConfig(), ...config }, units }),
    // Pending counter deltas are added to the ancestors' totals while the server runs (ADR 0005).
    plugins: [rollUpPlugin(counters(models), log)],
    subtreeClosed: SUBTREE_CLOSED,
    subtreeDated: SUBTREE_DATED,
    // POST /imports/members and /imports/volunteers: the files the gateway streams here (service-kit imports.ts).
    imports: {
      members: { field: 'importMembers', document: importDocument('importMembers', 'ImportMembersInput') },
      volunteers: { field: 'importVolunteers', document: importDocument('importVolunteers', 'ImportVolunteersInput') },
    },
  }));
}

export { seed } from './seed';
export { followed } from './counters';
export { createModels } from './models';
export { HttpUnitLookup, StaticUnitLookup, type UnitInfo, type UnitLookup } from './units';
export { loadConfig, DEFAULT_CONFIG, type PeopleConfig } from './config';
