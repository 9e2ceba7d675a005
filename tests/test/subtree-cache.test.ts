// Issue 22 item 3: a write in 杭州 leaves the gateway's cached answers about 江苏 valid, and drops
// those about 浙江, the nation and anything whose reads it cannot name, whether the write came
// through this gateway (the mutation's answer says what it wrote) or by another way (the change
// feed's `changed` lines). Real organizations and people subgraphs, databases and feeds.
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import { formatWriteScope, mongoVersionStore, type RunningServer } from '@rcsc/service-kit';
import { composeSupergraph, createGateway } from '@rcsc/gateway';
import { eventually, startTestService, testToken } from '@rcsc/testing';
import * as organizations from '@rcsc/organizations';
import * as people from '@rcsc/people';

const tree = buildBranchTree();
const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const NATION = tree.find((b) => b.level === 'NATIONAL')!.id;
const ZJ = id('330000');
const XH = id('330106'); // 杭州市西湖区
const HS = id('330203'); // 宁波市海曙区
const JS = id('320000');
const GL = id('320106'); // 南京市鼓楼区

const LIST = `query($org: ID!) {
  organization(id: $org) { name members(first: 5) { totalCount nodes { name status organization { id } } } peopleSurvey { adultMembers } }
}`;
/** Annex 1 (organizations' table, people's rows filled in through their Survey entity). */
const SURVEY = `query($org: ID!) { organization(id: $org) { survey(asOf: "2024-06-01") { adultMembers } } }`;
/** Asks a field that is not declared subtree-closed (a volunteer's teams are filed elsewhere). */
const TEAMS = `query($org: ID!) { organization(id: $org) { volunteers(first: 5) { totalCount nodes { teams { name } } } } }`;
const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
const TRANSFER = `mutation($id: ID!, $to: ID!) { transferMember(id: $id, toOrganizationId: $to, on: "2024-03-01", reason: "迁居") { id } }`;

let seq = 100;
const member = (organizationId: string) => ({
  input: { organizationId, kind: 'ADULT', name: '范围', idNumber: withCheckDigit(`33010619850505${seq++}`), joinedOn: '2023-01-10' },
});

describe('response cache by subtree (issue 22 item 3)', () => {
  const directory = StaticDirectory.fromTree(buildBranchTree());
  const vault = PersonalDataVault.fromEnv();
  let services: Awaited<ReturnType<typeof startTestService>>[] = [];
  const running: RunningServer[] = [];
  let gateway: RunningServer;
  let created: ReturnType<typeof createGateway>;
  let peopleDb: Awaited<ReturnType<typeof startTestService>>['db'];
  let peopleUrl: string;
  let admin: string;

  beforeAll(async () => {
    const org = await startTestService('organizations', (c) => organizations.createServer(c));
    const ppl = await startTestService('people', (c) => people.createServer(c, { directory, vault }));
    services = [org, ppl];
    peopleDb = ppl.db;
    await organizations.seed(org.subgraph.models);
    for (const s of services) s.subgraph.enableChangeFeed(s.db.connection, { pollMs: 100 });
    for (const s of services) running.push(await s.subgraph.listen(0));
    peopleUrl = running[1].url;
    const supergraphSdl = composeSupergraph(
      services.map((s, i) => ({ name: s.subgraph.name, url: running[i].url, typeDefs: s.subgraph.typeDefs })),
    );
    created = createGateway({ supergraphSdl, responseCache: { maxBytes: 8 << 20 } });
    gateway = await created.listen(0);
    admin = await testToken({ sub: 'subtree:admin', org: NATION, roles: ['ADMIN'] });
    for (const org of [XH, GL]) expect((await ask(REGISTER, member(org))).errors).toBeUndefined();
    await eventually(async () => (await ask(LIST, { org: ZJ })).cache !== 'bypass');
  });

  afterAll(async () => {
    for (const r of [gateway, ...running.reverse()]) await r?.close().catch(() => undefined);
    for (const s of services) await s.stop();
  });

  async function ask(query: string, variables: Record<string, unknown>, url?: string, fresh = false) {
    const res = await fetch(url ?? gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...(fresh ? { 'cache-control': 'no-cache' } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: any[]; extensions?: Record<string, unknown> };
    return { cache: res.headers.get('x-cache'), ...body };
  }
  const count = async (org: string) => (await ask(LIST, { org })).data.organization.members.totalCount as number;
  /** Asks each of `orgs` until it is cached (a second ask is a hit); answers their counts. */
  async function warm(...orgs: string[]): Promise<number[]> {
    const out: number[] = [];
    for (const org of orgs) {
      out.push(await count(org));
      expect((await ask(LIST, { org })).cache).toBe('hit');
    }
    return out;
  }

  it('keeps the answers about another province after a write through this gateway, and drops the ones the write is under', async () => {
    const [zj, js, nation] = await warm(ZJ, JS, NATION);
    expect((await ask(REGISTER, member(XH))).errors).toBeUndefined();
    // 江苏: still cached, and still right.
    const jsAfter = await ask(LIST, { org: JS });
    expect(jsAfter.cache).toBe('hit');
    expect(jsAfter.data.organization.members.totalCount).toBe(js);
    expect(jsAfter.data).toEqual((await ask(LIST, { org: JS }, undefined, true)).data);
    // 浙江 and the nation: the write is under them, so they are computed again, with it.
    // The same for annex 1 (organizations asks people for its rows).
    const surveys = async (org: string) => {
      const r = await ask(SURVEY, { org });
      return [r.cache, r.data.organization.survey.adultMembers];
    };
    await surveys(JS);
    const [, zjSurvey] = await surveys(ZJ);
    expect((await surveys(ZJ))[0]).toBe('hit');
    expect((await ask(REGISTER, member(XH))).errors).toBeUndefined();
    expect((await surveys(JS))[0]).toBe('hit');
    expect(await surveys(ZJ)).toEqual(['miss', zjSurvey + 1]);
    for (const [org, before] of [
      [ZJ, zj + 1],
      [NATION, nation + 1],
    ] as const) {
      const r = await ask(LIST, { org });
      expect(r.cache).toBe('miss');
      expect(r.data.organization.members.totalCount).toBe(before + 1);
      expect(r.data).toEqual((await ask(LIST, { org }, undefined, true)).data);
    }
  });

  it('keeps an annex answer about an earlier day after a write dated later, and drops it after a backdated one', async () => {
    const SURVEY_2021 = `query($org: ID!) { organization(id: $org) { survey(asOf: "2021-12-31") { adultMembers } } }`;
    const surveys = async (org: string, fresh = false) => {
      const r = await ask(SURVEY_2021, { org }, undefined, fresh);
      return [r.cache, r.data.organization.survey.adultMembers];
    };
    const [, before] = await surveys(ZJ);
    expect((await surveys(ZJ))[0]).toBe('hit');
    // Joined in 2023: the count on 31 December 2021 is what it was.
    expect((await ask(REGISTER, member(XH))).errors).toBeUndefined();
    expect(await surveys(ZJ)).toEqual(['hit', before]);
    expect((await surveys(ZJ, true))[1]).toBe(before);
    // Joined in June 2021 (entered late): that day's count changed.
    const backdated = member(XH);
    backdated.input.joinedOn = '2021-06-01';
    expect((await ask(REGISTER, backdated)).errors).toBeUndefined();
    expect(await surveys(ZJ)).toEqual(['miss', before + 1]);
    // The list of members is about today: any write under it drops it.
    await warm(ZJ);
    expect((await ask(REGISTER, member(XH))).errors).toBeUndefined();
    expect((await ask(LIST, { org: ZJ })).cache).toBe('miss');
  });

  it('learns the same from the change feed when the write did not come through this gateway', async () => {
    const [zj, js] = await warm(ZJ, JS);
    // Straight to the people subgraph: only its feed tells the gateway.
    expect((await ask(REGISTER, member(GL), peopleUrl)).errors).toBeUndefined();
    await eventually(async () => (await count(JS)) === js + 1);
    const zjAfter = await ask(LIST, { org: ZJ });
    expect(zjAfter.cache).toBe('hit');
    expect(zjAfter.data.organization.members.totalCount).toBe(zj);
  });

  it('learns what another replica wrote from the version document (its poll reads the scopes it missed)', async () => {
    const [zj] = await warm(ZJ, JS);
    // What another people replica's bump leaves in the shared database, for a write in 江苏.
    const version = await mongoVersionStore(peopleDb.connection).bump(formatWriteScope([{ ids: [NATION, JS, GL] }]));
    const wanted = `${version.since}:${version.v}`;
    await eventually(async () => created.feeds.state('people').version === wanted);
    expect((await ask(LIST, { org: ZJ })).cache).toBe('hit');
    expect(await count(ZJ)).toBe(zj);
    expect((await ask(LIST, { org: JS })).cache).toBe('miss');
  });

  it('drops the answers about both places when a member moves between them', async () => {
    const hs = id('330200'); // 宁波市
    const hz = id('330100'); // 杭州市
    const { data } = await ask(REGISTER, member(XH));
    const [hzBefore, nbBefore, js] = await warm(hz, hs, JS);
    expect((await ask(TRANSFER, { id: data.registerMember.id, to: HS })).errors).toBeUndefined();
    // Both cities' answers are computed again; 江苏's stays.
    const [hzAfter, nbAfter] = [await ask(LIST, { org: hz }), await ask(LIST, { org: hs })];
    expect([hzAfter.cache, nbAfter.cache]).toEqual(['miss', 'miss']);
    expect([hzAfter.data.organization.members.totalCount, nbAfter.data.organization.members.totalCount]).toEqual([
      hzBefore - 1,
      nbBefore + 1,
    ]);
    expect((await ask(LIST, { org: JS })).cache).toBe('hit');
    expect(await count(JS)).toBe(js);
  });

  it("drops an answer with a field it cannot place (a volunteer's teams) after any write, and never says what it read to clients", async () => {
    await ask(TEAMS, { org: JS });
    expect((await ask(TEAMS, { org: JS })).cache).toBe('hit');
    expect((await ask(REGISTER, member(XH))).errors).toBeUndefined();
    expect((await ask(TEAMS, { org: JS })).cache).toBe('miss');
    // The subgraphs' extensions stay between them and the gateway.
    const r = await ask(LIST, { org: JS });
    expect(r.extensions?.readScope).toBeUndefined();
    const w = await ask(REGISTER, member(GL));
    expect(w.extensions?.changed).toBeUndefined();
  });
});
