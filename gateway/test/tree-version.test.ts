// A gateway learns the branch tree's version from organizations' change feed, not only from the
// answers passing through it: after a reorganization made through another gateway, its next
// request already asks every subgraph to have applied it (ADR 0008; issue 23, check 5).
import {
  Authenticator,
  createLogger,
  createSubgraph,
  type BaseRequestContext,
  type RunningServer,
  type VersionStore,
} from '@rcsc/service-kit';
import { composeSupergraph } from '../src/compose';
import { createGateway } from '../src/server';

const log = createLogger('test', 'silent');

function organizations(asked: number[]) {
  const subgraph = createSubgraph<BaseRequestContext>({
    name: 'organizations',
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { branchCount: Int! }
    `,
    resolvers: { Query: { branchCount: () => 3341 } },
    log,
    context: (base) => base,
  });
  // What a subgraph is asked to reach before it serves (the x-tree-version header).
  subgraph.gateTreeVersion(async (version) => void asked.push(version));
  return subgraph;
}

describe('tree version across gateways', () => {
  const asked: number[] = [];
  const doc: { v: number; since: string; tree?: number } = { v: 0, since: 'mem' };
  const store: VersionStore = { read: async () => ({ ...doc }), bump: async () => ({ ...doc, v: ++doc.v }) };
  let sub: RunningServer;
  let gw: RunningServer;
  let token: string;

  beforeAll(async () => {
    const subgraph = organizations(asked);
    subgraph.enableChangeFeed(store, { pollMs: 20 });
    sub = await subgraph.listen(0);
    const supergraphSdl = composeSupergraph([{ name: subgraph.name, url: sub.url, typeDefs: subgraph.typeDefs }]);
    // No response cache: the tree version is followed all the same.
    const auth = Authenticator.fromEnv();
    gw = await createGateway({ supergraphSdl, log, auth, responseCache: false }).listen(0);
    token = await auth.sign({ sub: 'u1', roles: ['VIEWER'] });
  });
  afterAll(async () => {
    await gw.close();
    await sub.close();
  });

  const query = () =>
    fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ branchCount }' }),
    }).then((r) => r.json());

  it('asks for the version organizations announced, though no answer through this gateway carried it', async () => {
    expect(await query()).toEqual({ data: { branchCount: 3341 } });
    expect(asked).toEqual([]); // tree version 0: nothing to reach
    // A move through another gateway: organizations' document now says tree 7.
    doc.tree = 7;
    const deadline = Date.now() + 5_000;
    while (!asked.includes(7) && Date.now() < deadline) {
      await query();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(asked).toContain(7);
    expect(asked.every((v) => v === 7)).toBe(true);
  });
});
