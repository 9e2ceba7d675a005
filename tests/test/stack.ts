import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import type { TokenClaims } from '@rcsc/service-kit';
import { startTestService, startTestStack, testToken, type AnySubgraph, type TestService, type TestStack } from '@rcsc/testing';
import * as organizations from '@rcsc/organizations';
import * as grassroots from '@rcsc/grassroots';
import * as people from '@rcsc/people';
import * as training from '@rcsc/training';
import * as reporting from '@rcsc/reporting';

export interface FullStack extends Omit<TestStack, 'query'> {
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
export async function startFullStack({ seed = true }: { seed?: boolean } = {}): Promise<FullStack> {
  const directory = StaticDirectory.fromTree(buildBranchTree());
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
  } catch (err) {
    await stack.stop();
    for (const s of services) await s.stop();
    throw err;
  }
  return {
    ...stack,
    token: (claims) => testToken(claims),
    query: (query, variables, token) => stack.query(query, variables, token ? { authorization: `Bearer ${token}` } : {}),
    async stop() {
      await stack.stop();
      for (const s of services) await s.stop();
    },
  };
}
