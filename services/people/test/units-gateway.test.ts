// Issue 16.1 and 24.6 through a real gateway: a member's grassroots unit is checked against the
// grassroots subgraph's records (HttpUnitLookup, as a SERVICE), and Member.grassrootsUnit is a
// federated reference the grassroots subgraph resolves, with people's counts on it.
import * as grassroots from '@rcsc/grassroots';
import * as organizations from '@rcsc/organizations';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { startTestService, startTestStack, testToken, type TestService, type TestStack } from '@rcsc/testing';
import { createServer } from '../src/server';
import { HttpUnitLookup } from '../src/units';

const tree = buildBranchTree();
const byCode = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const xh = byCode('330106');
const sc = byCode('330102');

describe('grassroots unit references through a gateway', () => {
  let stack: TestStack;
  const services: TestService<any>[] = [];

  beforeAll(async () => {
    const directory = StaticDirectory.fromTree(tree);
    const org = await startTestService('organizations', organizations.createServer);
    await organizations.seed(org.subgraph.models);
    const gr = await startTestService('grassroots', (c) => grassroots.createServer(c, { directory }));
    const units = new HttpUnitLookup(
      () => stack.subgraphUrls.grassroots,
      async () => ({ authorization: `Bearer ${await testToken({ sub: 'service:people', roles: ['SERVICE'] })}` }),
    );
    const people = await startTestService('people', (c) =>
      createServer(c, { directory, vault: new PersonalDataVault(Buffer.alloc(32, 5)), units }),
    );
    services.push(org, gr, people);
    stack = await startTestStack([org.subgraph, gr.subgraph, people.subgraph]);
  }, 600_000);
  afterAll(async () => {
    await stack?.stop();
    for (const s of services.reverse()) await s.stop();
  });

  it("accepts a unit of the branch, refuses another county's or an unknown one, and joins the unit across subgraphs", async () => {
    const UNIT = `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`;
    const unit = async (organizationId: string, name: string) => {
      const r = await stack.query<any>(UNIT, { input: { organizationId, name, type: 'STREET', establishedOn: '2018-01-01' } });
      expect(r.errors).toBeUndefined();
      return r.data.registerGrassrootsUnit.id as string;
    };
    const own = await unit(xh, '西湖区北山街道红十字会');
    const other = await unit(sc, '上城区湖滨街道红十字会');

    const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
    const input = (seq: string, grassrootsUnitId: string) => ({
      organizationId: xh,
      kind: 'ADULT',
      name: '王伟',
      idNumber: withCheckDigit(`33010619850614${seq}`),
      joinedOn: '2021-03-01',
      grassrootsUnitId,
    });
    for (const bad of [other, '0123456789abcdef01234567']) {
      const r = await stack.query<any>(REGISTER, { input: input('201', bad) });
      expect([r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.fields]).toEqual([
        'BAD_USER_INPUT',
        [expect.objectContaining({ field: 'input.grassrootsUnitId' })],
      ]);
    }
    // Established after the joining date.
    const late = await stack.query<any>(REGISTER, { input: { ...input('202', own), joinedOn: '2017-06-01' } });
    expect(late.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const created = await stack.query<any>(REGISTER, { input: input('203', own) });
    expect(created.errors).toBeUndefined();
    const read = await stack.query<any>(
      `query($id: ID!) { member(id: $id) { grassrootsUnitId grassrootsUnit { id name organization { name } memberCount(asOf: "2021-06-01")
        members { totalCount nodes { id } } } } }`,
      { id: created.data.registerMember.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data.member).toEqual({
      grassrootsUnitId: own,
      grassrootsUnit: {
        id: own,
        name: '西湖区北山街道红十字会',
        organization: { name: '杭州市西湖区红十字会' },
        memberCount: 1,
        members: { totalCount: 1, nodes: [{ id: created.data.registerMember.id }] },
      },
    });
  }, 120_000);
});
