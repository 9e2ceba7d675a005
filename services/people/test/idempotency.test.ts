// Issue 23 through a real gateway: a write sent with an Idempotency-Key is applied once; its retry
// (same key, same request) answers the first answer instead of a CONFLICT on the identity number,
// the key with another request is refused (BAD_USER_INPUT naming Idempotency-Key), nothing written.
import * as organizations from '@rcsc/organizations';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { startTestService, startTestStack, type TestService, type TestStack } from '@rcsc/testing';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const xh = tree.find((b) => b.divisionCode === '330106')!.id;
const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id name } }`;
const input = (seq: string, name = '王伟') => ({
  input: { organizationId: xh, kind: 'ADULT', name, idNumber: withCheckDigit(`33010619850614${seq}`), joinedOn: '2021-03-01' },
});

describe('Idempotency-Key on writes through the gateway', () => {
  let stack: TestStack;
  let people: TestService<any>;
  const services: TestService<any>[] = [];

  beforeAll(async () => {
    const directory = StaticDirectory.fromTree(tree);
    const org = await startTestService('organizations', organizations.createServer);
    await organizations.seed(org.subgraph.models);
    people = await startTestService('people', (c) => createServer(c, { directory, vault: new PersonalDataVault(Buffer.alloc(32, 5)) }));
    services.push(org, people);
    stack = await startTestStack([org.subgraph, people.subgraph]);
  }, 600_000);
  afterAll(async () => {
    await stack?.stop();
    for (const s of services.reverse()) await s.stop();
  });
  const members = () => people.db.connection.collection('members').countDocuments({ organizationId: { $exists: true } });

  it('applies a retried write once and answers the retry with the first answer', async () => {
    const before = await members();
    const first = await stack.query<any>(REGISTER, input('001'), { 'idempotency-key': 'retry-1' });
    expect(first.errors).toBeUndefined();
    const retry = await stack.query<any>(REGISTER, input('001'), { 'idempotency-key': 'retry-1' });
    expect(retry.errors).toBeUndefined();
    expect(retry.data.registerMember).toEqual(first.data.registerMember);
    expect(await members()).toBe(before + 1);
    // Without a key the same request is a second write, refused as a duplicate identity number.
    const unkeyed = await stack.query<any>(REGISTER, input('001'));
    expect(unkeyed.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses the key with another request, and a malformed key, writing nothing', async () => {
    await stack.query<any>(REGISTER, input('002'), { 'idempotency-key': 'reuse-1' });
    const before = await members();
    const other = await stack.query<any>(REGISTER, input('003', '李娜'), { 'idempotency-key': 'reuse-1' });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'Idempotency-Key' }] });
    const malformed = await stack.query<any>(REGISTER, input('004'), { 'idempotency-key': 'x'.repeat(201) });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'Idempotency-Key' }] });
    expect(await members()).toBe(before);
  });
});
