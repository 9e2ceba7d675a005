import { buildBranchTree } from '@rcsc/dataset';
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
  try {
    const org = await startTestService('organizations', (c) => organizations.createServer(c));
    services.push(org);
    const units = await startTestService('grassroots', (c) => grassroots.createServer(c, { directory, vault }));
    services.push(units);
    const register = await startTestService('people', (c) => people.createServer(c, { directory, vault }));
    services.push(register);
    const pool = await startTestService('training', (c) => training.createServer(c, { directory, vault }));
    services.push(pool);
    // Reporting reads live values through the gateway, whose URL exists only once it starts.
    let gatewayUrl = '';
    const reports = await startTestService('reporting', (c) =>
      reporting.createServer(c, { directory, tables: new reporting.GatewayTableSource({ url: () => gatewayUrl }) }),
    );
    services.push(reports);
    if (seed)
      await Promise.all([
        reporting.seed(reports.subgraph.models),
        organizations.seed(org.subgraph.models),
        grassroots.seed(units.subgraph.models, { vault }),
        people.seed(register.subgraph.models, { vault }),
        training.seed(pool.subgraph.models, { vault }),
      ]);
    Object.assign(stack, await startTestStack(services.map((s) => s.subgraph)));
    gatewayUrl = stack.gatewayUrl;
    organizationsUrl = stack.subgraphUrls.organizations;
    if (liveTree) {
      follow(units, grassroots.followed(units.subgraph.models));
      follow(register, people.followed(register.subgraph.models));
      follow(pool, training.followed(pool.subgraph.models));
      follow(reports, reporting.followed(reports.subgraph.models));
    }
  } catch (err) {
    await stack.stop();
    for (const s of services) await s.stop();
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
    },
  };
}
