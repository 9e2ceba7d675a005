import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { buildBranchTree } from '@rcsc/dataset';
import { startEmbeddedMongo } from '@rcsc/embedded-mongo';
import { HttpDirectory, StaticDirectory, type Directory } from '@rcsc/directory';
import { HttpReorganizationSource, ReorganizationFollower, type FollowedCollection } from '@rcsc/reorganizations';
import type { Counters } from '@rcsc/counters';
import { PersonalDataVault } from '@rcsc/personal-data';
import type { TokenClaims } from '@rcsc/service-kit';
import { startTestService, startTestStack, testToken, type AnySubgraph, type TestService, type TestStack } from '@rcsc/testing';
import * as organizations from '@rcsc/organizations';
import * as grassroots from '@rcsc/grassroots';
import * as people from '@rcsc/people';
import * as training from '@rcsc/training';
import * as reporting from '@rcsc/reporting';

export interface FullStack extends Omit<TestStack, 'query'> {
  /** With `liveTree`: every subgraph applies the reorganizations made so far and reads the new tree. */
  catchUp(): Promise<void>;
  /** A subgraph's in-process service (its models and database), by name. */
  service(name: string): TestService<AnySubgraph>;
  /** A token for the stack (default: unrestricted SERVICE). */
  token(claims?: Partial<TokenClaims>): Promise<string>;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{
    status: number;
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  }>;
}

type Factory = (connection: Connection) => AnySubgraph;

/** Set by the global setup (global-setup.ts): the directory of the seeded embedded server's snapshot. */
export const SEEDED_SNAPSHOT_ENV = 'RCSC_TEST_SEEDED_SNAPSHOT';

/**
 * An embedded server opened on a private copy of the seeded snapshot (one database per subgraph,
 * named after it), or null when there is none (on MONGODB_URI, or a run without the global setup).
 */
async function openSeededCopy(): Promise<{ uri: string; stop(): Promise<void> } | null> {
  const snapshot = process.env[SEEDED_SNAPSHOT_ENV];
  if (!snapshot || process.env.MONGODB_URI) return null;
  const dir = mkdtempSync(join(tmpdir(), 'rcsc-seeded-'));
  cpSync(snapshot, dir, { recursive: true });
  const server = await startEmbeddedMongo({ dbPath: dir });
  return {
    uri: server.uri,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The five subgraphs as `npm start` wires them, by name. */
export function subgraphFactories({
  directory,
  vault,
  gatewayUrl,
}: {
  directory: Directory;
  vault: PersonalDataVault;
  gatewayUrl: () => string;
}): [string, Factory][] {
  return [
    ['organizations', (c) => organizations.createServer(c)],
    ['grassroots', (c) => grassroots.createServer(c, { directory, vault })],
    ['people', (c) => people.createServer(c, { directory, vault })],
    ['training', (c) => training.createServer(c, { directory, vault })],
    ['reporting', (c) => reporting.createServer(c, { directory, tables: new reporting.GatewayTableSource({ url: gatewayUrl }) })],
  ];
}

/** A subgraph's models, by its name (each subgraph has its own model type). */
const modelsOf = (services: TestService<AnySubgraph>[], name: string): any =>
  (services.find((s) => s.subgraph.name === name)!.subgraph as AnySubgraph & { models: unknown }).models;

/** Loads each subgraph's part of the default national dataset. */
export async function seedServices(services: TestService<AnySubgraph>[], vault: PersonalDataVault): Promise<void> {
  const models = (name: string) => modelsOf(services, name);
  await Promise.all([
    reporting.seed(models('reporting')),
    organizations.seed(models('organizations')),
    grassroots.seed(models('grassroots'), { vault }),
    people.seed(models('people'), { vault }),
    training.seed(models('training'), { vault }),
  ]);
}

/**
 * Every subgraph on its own fresh database, each loaded with its part of the default national
 * dataset, behind a real gateway: what `npm start` runs, in one test process.
 */
export async function startFullStack({ seed = true, liveTree = false }: { seed?: boolean; liveTree?: boolean } = {}): Promise<FullStack> {
  // liveTree: the subgraphs read the tree from organizations and follow its reorganizations, as
  // deployed (ADR 0008); otherwise a fixed copy of the dataset's tree.
  let organizationsUrl = '';
  const headers = async () => ({ authorization: `Bearer ${await testToken()}` });
  const live = liveTree ? new HttpDirectory(() => organizationsUrl, { headers }) : null;
  const directory: Directory = live ?? StaticDirectory.fromTree(buildBranchTree());
  const followers: ReorganizationFollower[] = [];
  // As the boot wires them: a request carrying a newer tree version waits for its subgraph to follow.
  const follow = (service: TestService<AnySubgraph>, spec: { collections: FollowedCollection[]; counters?: Counters }) => {
    const follower = new ReorganizationFollower({
      connection: service.db.connection,
      source: new HttpReorganizationSource(() => organizationsUrl, headers),
      onApplied: () => live?.refresh(),
      ...spec,
    });
    service.subgraph.gateTreeVersion((version) => follower.reach(version));
    followers.push(follower);
  };
  const vault = PersonalDataVault.fromEnv();
  const services: TestService<AnySubgraph>[] = [];
  const stack = { stop: async () => undefined } as unknown as TestStack;
  // Seeded: a copy of the snapshot the run's global setup seeded once (seconds, not minutes);
  // on MONGODB_URI, seeded here.
  const copy = seed ? await openSeededCopy() : null;
  // Reporting reads live values through the gateway, whose URL exists only once it starts.
  let gatewayUrl = '';
  try {
    for (const [name, create] of subgraphFactories({ directory, vault, gatewayUrl: () => gatewayUrl }))
      services.push(await startTestService(name, create, copy ? { uri: copy.uri, dbName: name } : {}));
    if (seed && !copy) await seedServices(services, vault);
    Object.assign(stack, await startTestStack(services.map((s) => s.subgraph)));
    gatewayUrl = stack.gatewayUrl;
    organizationsUrl = stack.subgraphUrls.organizations;
    if (liveTree) {
      const byName = (name: string) => services.find((s) => s.subgraph.name === name)!;
      follow(byName('grassroots'), grassroots.followed(modelsOf(services, 'grassroots')));
      follow(byName('people'), people.followed(modelsOf(services, 'people')));
      follow(byName('training'), training.followed(modelsOf(services, 'training')));
      follow(byName('reporting'), reporting.followed(modelsOf(services, 'reporting')));
    }
  } catch (err) {
    await stack.stop();
    for (const s of services) await s.stop();
    await copy?.stop();
    throw err;
  }
  return {
    ...stack,
    token: (claims) => testToken(claims),
    service: (name) => services.find((s) => s.subgraph.name === name)!,
    async catchUp() {
      for (const f of followers) await f.catchUp();
      await live?.refresh();
    },
    query: (query, variables, token) => stack.query(query, variables, token ? { authorization: `Bearer ${token}` } : {}),
    async stop() {
      await stack.stop();
      for (const s of services) await s.stop();
      await copy?.stop();
    },
  };
}
