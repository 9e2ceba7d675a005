// Issue 19.4-19.6 through the gateway: one membership nationally, transfers, the dues reports and
// the member export download, the service-hours workflow and its certificate.
import { buildBranchTree } from '@rcsc/dataset';
import { withCheckDigit } from '@rcsc/personal-data';
import type { Role } from '@rcsc/service-kit';
import * as organizations from '@rcsc/organizations';
import { startFullStack, type FullStack } from './stack';

const tree = buildBranchTree();
const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ZJ = id('330000');
const HZ = id('330100');
const XH = id('330106');
const SC = id('330102');
const HS = id('330203');
let seq = 700;
const person = () => withCheckDigit(`33010619820202${seq++}`);

describe('people registers through the gateway (issue 19.4-19.6)', () => {
  let stack: FullStack;
  const token = (org: string, role: Role = 'STAFF', sub = `e2e:${role}:${org}`) => stack.token({ sub, roles: [role], org });
  const ok = async (query: string, variables: Record<string, unknown>, t?: string) => {
    const r = await stack.query<any>(query, variables, t);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    // Only the branch tree (organizations): the registers start empty.
    stack = await startFullStack({ seed: false });
    const orgs = stack.service('organizations').subgraph as unknown as ReturnType<typeof organizations.createServer>;
    await organizations.seed(orgs.models);
  });
  afterAll(() => stack?.stop());

  it('refuses a second membership anywhere, transfers with the counts moving on the day', async () => {
    const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
    const idNumber = person();
    const input = { organizationId: XH, kind: 'ADULT', name: '褚', idNumber, joinedOn: '2019-03-01' };
    const { registerMember } = await ok(REGISTER, { input }, await token(XH));
    const twice = await stack.query(REGISTER, { input: { ...input, organizationId: HS } }, await token(HS));
    expect([code(twice), twice.errors?.[0]?.message]).toEqual(['CONFLICT', 'this person is already a member elsewhere']);

    const TRANSFER = `mutation($id: ID!, $to: ID!) { transferMember(id: $id, toOrganizationId: $to, on: "2020-07-01", reason: "迁居") {
      organization { id name } transfers { from { name } to { name } } } }`;
    expect(code(await stack.query(TRANSFER, { id: registerMember.id, to: HS }, await token(XH)))).toBe('FORBIDDEN');
    const moved = (await ok(TRANSFER, { id: registerMember.id, to: HS }, await token(ZJ))).transferMember;
    expect(moved.organization.id).toBe(HS);
    // Names come from the organizations subgraph, across the federation.
    expect(moved.transfers).toEqual([{ from: { name: '杭州市西湖区红十字会' }, to: { name: '宁波市海曙区红十字会' } }]);
    const adults = async (org: string, asOf: string) =>
      (await ok(`query($id: ID!, $asOf: Date!) { organization(id: $id) { survey(asOf: $asOf) { adultMembers } } }`, { id: org, asOf }))
        .organization.survey.adultMembers;
    expect([await adults(XH, '2020-06-30'), await adults(HS, '2020-06-30')]).toEqual([1, 0]);
    expect([await adults(XH, '2020-07-01'), await adults(HS, '2020-07-01')]).toEqual([0, 1]);
    expect([await adults(ZJ, '2020-06-30'), await adults(ZJ, '2020-07-01')]).toEqual([1, 1]);
  });

  it('downloads the member register from GET /export/members with the viewer masking', async () => {
    const REGISTER = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`;
    await ok(REGISTER, {
      input: { organizationId: SC, kind: 'ADULT', name: '@SUM(A1)', idNumber: person(), phone: '13900002222', joinedOn: '2021-01-04' },
    });
    const get = async (query: string, t?: string) =>
      fetch(`${stack.gatewayUrl.replace('/graphql', '')}/export/members?${query}`, t ? { headers: { authorization: `Bearer ${t}` } } : {});
    const res = await get(`organizationId=${SC}&format=csv`, await token(HZ));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('会员名册'));
    const text = await res.text();
    expect(text).toContain("'@SUM(A1)");
    expect(text).toContain('139****2222');
    const reporter = await (await get(`organizationId=${SC}&format=csv`, await token(HZ, 'REPORTER'))).text();
    expect(reporter).toContain("'@SUM(A1)");
    expect(reporter).not.toContain('139****2222');
    expect((await get(`organizationId=${SC}&format=csv`)).status).toBe(401);
    expect((await get(`organizationId=${SC}&format=csv`, await token(XH))).status).toBe(403);
    const bad = await get(`organizationId=${SC}&format=pdf&kind=child`, await token(HZ));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/format.*kind/);
  });

  it('counts hours once the team branch confirms them, and prints the certificate', async () => {
    const v = (
      await ok(`mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
        input: { organizationId: XH, name: '蒋', idNumber: person(), registeredOn: '2020-01-01', nationalSystemRegisteredOn: '2020-01-01' },
      })
    ).registerVolunteer.id;
    const RECORD = `mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { id status } }`;
    const recorder = await token(XH, 'STAFF', 'e2e:recorder');
    const r = (await ok(RECORD, { input: { volunteerId: v, activity: '义诊', date: '2021-03-03', hours: 6 } }, recorder))
      .recordServiceHours;
    expect(r.status).toBe('PENDING');
    const HOURS = `query($id: ID!) { volunteer(id: $id) { serviceHours } organization(id: "${XH}") { survey(asOf: "2021-12-31") { serviceHours } } }`;
    expect((await ok(HOURS, { id: v })).volunteer.serviceHours).toBe(0);
    const CONFIRM = `mutation($id: ID!) { confirmServiceHours(id: $id) { status } }`;
    expect(code(await stack.query(CONFIRM, { id: r.id }, recorder))).toBe('FORBIDDEN');
    await ok(CONFIRM, { id: r.id }, await token(XH, 'STAFF', 'e2e:checker'));
    const after = await ok(HOURS, { id: v });
    expect([after.volunteer.serviceHours, after.organization.survey.serviceHours]).toEqual([6, 6]);
    // The series: 24 hours a day for 27 days is refused from the fourth day.
    const refused = [];
    for (let i = 1; i <= 5; i++)
      refused.push(
        code(await stack.query(RECORD, { input: { volunteerId: v, activity: '值守', date: `2021-06-0${i}`, hours: 24 } }, recorder)),
      );
    expect(refused).toEqual([undefined, undefined, undefined, 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    const cert = (
      await ok(`query($id: ID!) { volunteer(id: $id) { serviceCertificate { contentType rows base64 } } }`, { id: v }, await token(HZ))
    ).volunteer.serviceCertificate;
    expect([cert.contentType, cert.rows, Buffer.from(cert.base64, 'base64').subarray(0, 5).toString()]).toEqual([
      'application/pdf',
      1,
      '%PDF-',
    ]);
  });
});
