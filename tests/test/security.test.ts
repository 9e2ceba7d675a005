import { SignJWT } from 'jose';
import { buildBranchTree } from '@rcsc/dataset';
import { Authenticator, type Role } from '@rcsc/service-kit';
import { startFullStack, type FullStack } from './stack';

/**
 * Issue 17: the attacks that got through, each through the real stack (every subgraph on its
 * own database, behind a real gateway). Each one is refused or neutralised here. The response
 * cache and the change feeds (not enabled in this stack) are attacked in gateway/test/
 * response-cache.test.ts and packages/service-kit/test/change-feed.test.ts; the CSV/XLSX
 * formula injection in services/reporting/test/export.test.ts.
 */
const tree = buildBranchTree();
const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const HQ = tree.find((b) => !b.parentId)!.id;
const ZJ = id('330000');
const JS = id('320000');

describe('security: the attacks of issue 17, through the gateway', () => {
  let stack: FullStack;
  const tokens: Partial<Record<Role, string>> = {};
  const as = (role: Role) => tokens[role]!;

  beforeAll(async () => {
    stack = await startFullStack();
    for (const role of ['ADMIN', 'STAFF', 'TRAINING_MANAGER', 'REPORTER', 'VIEWER'] as Role[])
      tokens[role] = await stack.token({ sub: `sec:${role}`, roles: [role], org: ZJ });
  });
  afterAll(() => stack?.stop());

  const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => String(e.extensions?.code));

  it('refuses the cost-limit bypass through a variable default value', async () => {
    const query = `query Q($n: Int = 100) { organizations(first: $n) { nodes { members(first: $n) { nodes { duesPayments { id } } } } } }`;
    const withValue = await stack.query(query, { n: 100 });
    expect(withValue.status).toBe(400);
    const withDefault = await stack.query(query);
    expect(withDefault.status).toBe(400);
    expect(withDefault.errors?.[0].message).toMatch(/Estimated query cost \d+ exceeds the limit of 50000/);
    expect(codes(withDefault)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a depth-23 introspection query, and answers the standard one', async () => {
    const deep = await stack.query(`{ __type(name: "Query") { ${'ofType { '.repeat(21)} name ${'} '.repeat(21)} } }`);
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0].message).toMatch(/Introspection depth 23 exceeds/);
  });

  describe('VIEWER is read-only: a notice receipt is a write', () => {
    let noticeId: string;
    beforeAll(async () => {
      const sent = await stack.query<{ sendNotice: { id: string } }>(
        `mutation($input: SendNoticeInput!) { sendNotice(input: $input) { id } }`,
        { input: { senderId: HQ, kind: 'BULLETIN', title: '安全测试通报', body: '请知悉。', recipientIds: [ZJ] } },
      );
      expect(sent.errors).toBeUndefined();
      noticeId = sent.data!.sendNotice.id;
    });

    it('refuses markNoticeRead to a VIEWER of the recipient branch, records nothing, and lets a REPORTER confirm', async () => {
      const READ = `mutation($id: ID!, $org: ID!) { markNoticeRead(id: $id, organizationId: $org) { readReceipts { readBy { userId } } } }`;
      const byViewer = await stack.query(READ, { id: noticeId, org: ZJ }, as('VIEWER'));
      expect(codes(byViewer)).toEqual(['FORBIDDEN']);
      const receipts = `query($id: ID!) { notice(id: $id) { readReceipts { readBy { userId } } } }`;
      expect((await stack.query<any>(receipts, { id: noticeId })).data.notice.readReceipts).toEqual([]);
      const byReporter = await stack.query<any>(READ, { id: noticeId, org: ZJ }, as('REPORTER'));
      expect(byReporter.errors).toBeUndefined();
      expect(byReporter.data.markNoticeRead.readReceipts).toEqual([{ readBy: { userId: 'sec:REPORTER' } }]);
    });
  });

  it("hides the national volunteer code and a group member's contact person from REPORTER and VIEWER", async () => {
    const found = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) {
        members(filter: { kind: GROUP }, first: 50) { nodes { id contactPerson } }
        volunteers(filter: { registeredInNationalSystem: true }, first: 50) { nodes { id nationalSystemId } }
      } }`,
      { id: ZJ },
    );
    const member = found.data.organization.members.nodes.find((m: any) => m.contactPerson);
    const volunteer = found.data.organization.volunteers.nodes.find((v: any) => v.nationalSystemId);
    expect(member).toBeDefined();
    expect(volunteer).toBeDefined();
    const q = `query($m: ID!, $v: ID!) { member(id: $m) { name contactPerson } volunteer(id: $v) { name nationalSystemId } }`;
    const seen: Record<string, [unknown, unknown]> = {};
    for (const role of ['ADMIN', 'STAFF', 'TRAINING_MANAGER', 'REPORTER', 'VIEWER'] as Role[]) {
      const r = await stack.query<any>(q, { m: member.id, v: volunteer.id }, as(role));
      expect(r.errors).toBeUndefined();
      expect(r.data.member.name).toBeTruthy();
      seen[role] = [r.data.member.contactPerson, r.data.volunteer.nationalSystemId];
    }
    const full: [unknown, unknown] = [member.contactPerson, volunteer.nationalSystemId];
    expect(seen).toEqual({ ADMIN: full, STAFF: full, TRAINING_MANAGER: full, REPORTER: [null, null], VIEWER: [null, null] });
  });

  it('member(id): FORBIDDEN for an existing id in another subtree, null for an unknown one (decided: ids are not enumerable, ADR 0004)', async () => {
    const found = await stack.query<any>(`query($id: ID!) { organization(id: $id) { members(first: 1) { nodes { id } } } }`, { id: ZJ });
    const memberId = found.data.organization.members.nodes[0].id;
    const jiangsu = await stack.token({ sub: 'sec:js', roles: ['ADMIN'], org: JS });
    const other = await stack.query(`query($id: ID!) { member(id: $id) { name } }`, { id: memberId }, jiangsu);
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(other.errors)).not.toContain(found.data.organization.members.nodes[0].name ?? '\u0000');
    const unknown = await stack.query<any>(`query($id: ID!) { member(id: $id) { name } }`, { id: 'f'.repeat(24) }, jiangsu);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data.member).toBeNull();
  });

  describe('tokens', () => {
    const secret = () => new TextEncoder().encode(Authenticator.fromEnv().config.secret!);
    const now = () => Math.floor(Date.now() / 1000);
    const craft = (times: { iat?: number; exp?: number }) => {
      let jwt = new SignJWT({ roles: ['ADMIN'], org: ZJ })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('sec:crafted')
        .setIssuer('rcsc')
        .setAudience('rcsc-graph');
      if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
      if (times.exp !== undefined) jwt = jwt.setExpirationTime(times.exp);
      return jwt.sign(secret());
    };

    it('refuses tokens without exp, living too long, or issued in the future: at the gateway and at every subgraph', async () => {
      const cases = {
        'no exp': await craft({ iat: now() }),
        'a year long': await craft({ iat: now(), exp: now() + 365 * 86400 }),
        'issued in an hour': await craft({ iat: now() + 3600, exp: now() + 7200 }),
      };
      for (const [what, token] of Object.entries(cases)) {
        for (const url of [stack.gatewayUrl, ...Object.values(stack.subgraphUrls)]) {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: '{ __typename }' }),
          });
          expect([what, url, res.status]).toEqual([what, url, 401]);
        }
      }
      const fine = await craft({ iat: now() + 20, exp: now() + 3600 }); // within the clock skew
      expect((await stack.query('{ __typename }', {}, fine)).status).toBe(200);
    });
  });

  it('answers a token flooding the gateway with 429 and Retry-After, and other tokens as usual', async () => {
    const flood = await stack.token({ sub: 'sec:flood', roles: ['VIEWER'], org: ZJ });
    const send = (token: string) =>
      fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    // Bursts of 60 until the rate (100 a second) is passed; a slow machine may need a few.
    let refused: Response[] = [];
    for (let burst = 0; burst < 20 && !refused.length; burst++) {
      const answers = await Promise.all(Array.from({ length: 60 }, () => send(flood)));
      expect(answers.every((r) => r.status === 200 || r.status === 429)).toBe(true);
      refused = answers.filter((r) => r.status === 429);
    }
    expect(refused.length).toBeGreaterThan(0);
    expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused[0].json()) as any).errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect((await send(as('STAFF'))).status).toBe(200);
  });

  it('applies the limits in subgraphs reached directly, and shows them no landing page', async () => {
    for (const [name, url] of Object.entries(stack.subgraphUrls)) {
      const aliased = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token()}` },
        body: JSON.stringify({ query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }` }),
      });
      expect([name, aliased.status]).toEqual([name, 400]);
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      expect([name, page.status]).toEqual([name, 404]);
      expect(await page.text()).not.toMatch(/<script/i);
    }
  });
});
