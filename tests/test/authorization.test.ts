import { buildBranchTree } from '@rcsc/dataset';
import { withCheckDigit } from '@rcsc/personal-data';
import type { Role } from '@rcsc/service-kit';
import { startFullStack, type FullStack } from './stack';

const tree = buildBranchTree();
const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ZJ = id('330000');
const JS = id('320000');
const HZ = id('330100');
const XH = id('330106');
const ROLES: Role[] = ['ADMIN', 'STAFF', 'TRAINING_MANAGER', 'REPORTER', 'VIEWER'];

interface Operation {
  name: string;
  /** Roles that may do it inside their subtree; outside it nobody may. */
  allowed: Role[];
  /** The viewer's branch for the inside case (default Zhejiang; submissions are the branch's own act). */
  insideOrg?: string;
  query: string;
  variables: (n: number) => Record<string, unknown>;
}

let serial = 0;
/** A notice to Zhejiang, sent once the stack runs (for the receipt below). */
let noticeToZj = '';
const OPERATIONS: Operation[] = [
  {
    name: 'read governance',
    allowed: ROLES,
    query: `query($id: ID!) { organization(id: $id) { governance { partyGroupEstablished } } }`,
    variables: () => ({ id: HZ }),
  },
  {
    name: 'read annex 1',
    allowed: ['ADMIN', 'STAFF', 'REPORTER', 'VIEWER'],
    query: `query($id: ID!) { organization(id: $id) { survey(asOf: "2021-06-30") { countiesRationalized grassrootsUnits adultMembers } } }`,
    variables: () => ({ id: HZ }),
  },
  {
    name: 'set the leadership team',
    allowed: ['ADMIN'],
    query: `mutation($id: ID!) { setLeadership(organizationId: $id, positions: [{ title: CHAIR, name: "王伟", since: "2021-01-01" }]) { id } }`,
    variables: () => ({ id: XH }),
  },
  {
    name: 'register a grassroots unit',
    allowed: ['ADMIN', 'STAFF'],
    query: `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`,
    variables: (n) => ({ input: { organizationId: XH, name: `矩阵测试社区红十字会${n}`, type: 'COMMUNITY', establishedOn: '2021-05-01' } }),
  },
  {
    name: 'register a member',
    allowed: ['ADMIN', 'STAFF'],
    query: `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
    variables: (n) => ({
      input: {
        organizationId: XH,
        kind: 'ADULT',
        name: '李娜',
        idNumber: withCheckDigit(`33010619900101${String(100 + n).slice(-3)}`),
        joinedOn: '2021-05-01',
      },
    }),
  },
  {
    name: 'add an instructor to the pool',
    allowed: ['ADMIN', 'TRAINING_MANAGER'],
    query: `mutation($input: CreateInstructorInput!) { createInstructor(input: $input) { id } }`,
    variables: () => ({ input: { name: '张敏', category: 'EXPERT', organizationId: ZJ, topics: ['IHL-01'], joinedOn: '2021-05-01' } }),
  },
  {
    name: 'submit annex 1',
    allowed: ['ADMIN', 'REPORTER'],
    insideOrg: XH,
    query: `mutation($input: SubmitReportInput!) { submitReport(input: $input) { id } }`,
    variables: () => ({ input: { organizationId: XH, period: { table: 'SURVEY', asOf: '2021-06-30' } } }),
  },
  {
    // A receipt is stored, audited and shown to the sender: a write, so not for VIEWER (issue 17).
    name: 'confirm that the own branch read a notice',
    allowed: ['ADMIN', 'STAFF', 'TRAINING_MANAGER', 'REPORTER'],
    query: `mutation($id: ID!, $org: ID!) { markNoticeRead(id: $id, organizationId: $org) { id } }`,
    variables: () => ({ id: noticeToZj, org: ZJ }),
  },
];

/**
 * Every role, inside and outside its subtree, against reads and writes of every subgraph, through
 * the gateway with real tokens: a Zhejiang viewer acts on Zhejiang's branches (inside) and the
 * same role of Jiangsu tries the same (outside).
 */
describe('the authorization matrix, through the gateway', () => {
  let stack: FullStack;
  beforeAll(async () => {
    stack = await startFullStack();
    const hq = tree.find((b) => !b.parentId)!.id;
    const sent = await stack.query<{ sendNotice: { id: string } }>(
      `mutation($input: SendNoticeInput!) { sendNotice(input: $input) { id } }`,
      { input: { senderId: hq, kind: 'BULLETIN', title: '矩阵测试通报', body: '请知悉。', recipientIds: [ZJ] } },
    );
    noticeToZj = sent.data!.sendNotice.id;
  });
  afterAll(() => stack?.stop());

  it.each(OPERATIONS.map((op) => [op.name, op] as const))('%s', async (_, op) => {
    const outcome: string[] = [];
    for (const role of ROLES) {
      for (const [where, org] of [
        ['inside', op.insideOrg ?? ZJ],
        ['outside', JS],
      ] as const) {
        const token = await stack.token({ sub: `matrix:${role}:${where}`, roles: [role], org });
        const r = await stack.query(op.query, op.variables(++serial), token);
        const codes = (r.errors ?? []).map((e) => String(e.extensions?.code));
        const refused = codes.includes('FORBIDDEN');
        const expected = where === 'inside' && op.allowed.includes(role) ? 'allowed' : 'refused';
        expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
        expect(codes).not.toContain('UNAUTHENTICATED');
        outcome.push(
          `${role} ${where}: ${refused ? 'refused' : 'allowed'}${(refused ? 'refused' : 'allowed') === expected ? '' : ` (expected ${expected}: ${JSON.stringify(r.errors)?.slice(0, 160)})`}`,
        );
      }
    }
    const expected = ROLES.flatMap((role) => [
      `${role} inside: ${op.allowed.includes(role) ? 'allowed' : 'refused'}`,
      `${role} outside: refused`,
    ]);
    expect(outcome).toEqual(expected);
  });

  it('refuses direct calls to every subgraph without a valid token', async () => {
    expect(Object.keys(stack.subgraphUrls).sort()).toEqual(['grassroots', 'organizations', 'people', 'reporting', 'training']);
    for (const [name, url] of Object.entries(stack.subgraphUrls)) {
      for (const authorization of [undefined, 'Bearer not-a-token']) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect([name, res.status]).toEqual([name, 401]);
      }
    }
  });
});
