// The past is never rewritten, across the subgraphs (issue 16): a random sequence of dated writes
// through the gateway (members, withdrawals, volunteers, hours, units, dissolutions, moves); after
// each accepted write dated D, every annex 1 row of every branch for every date before D is what
// it was before that write. Only audited corrections may change the past; none is among these.
import { buildBranchTree, Random } from '@rcsc/dataset';
import { withCheckDigit } from '@rcsc/personal-data';
import { SURVEY_FIELDS } from '@rcsc/reporting';
import { startFullStack, type FullStack } from './stack';

const tree = buildBranchTree();
const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
/** Every annex 1 row of branch $id on date $d. */
const SURVEY = `query($id: ID!, $d: Date!) { organization(id: $id) { survey(asOf: $d) { ${SURVEY_FIELDS.join(' ')} } } }`;
const DATES = ['2016-12-31', '2019-06-30', '2020-12-31', '2021-06-30', '2022-12-31', '2023-09-30', '2024-12-31', '2025-12-31'];
const COUNTIES = ['330106', '330108', '330110', '330203', '330205', '330212'].map(id);
const PREFECTURES = ['330100', '330200'].map(id);
const BRANCHES = [id('330000'), ...PREFECTURES, ...COUNTIES];

let stack: FullStack;
beforeAll(async () => {
  stack = await startFullStack({ liveTree: true });
}, 600_000);
afterAll(() => stack?.stop());

async function tables(): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const b of BRANCHES)
    for (const d of DATES) {
      const r = await stack.query<any>(SURVEY, { id: b, d });
      expect(r.errors).toBeUndefined();
      out[`${b}@${d}`] = r.data.organization.survey;
    }
  return out;
}

it('keeps every earlier annex 1 row after random dated writes in every subgraph', async () => {
  const rng = new Random(7, 'history-e2e');
  let known = await tables();
  const members: string[] = [];
  const volunteers: string[] = [];
  const units: string[] = [];
  let accepted = 0;
  const rewritten: { step: number; on: string; k: string; before: unknown; after: unknown }[] = [];
  for (let step = 0; step < 30; step++) {
    const on = rng.date('2021-01-01', '2026-11-30').toISOString().slice(0, 10);
    const county = rng.pick(COUNTIES);
    const person = () =>
      withCheckDigit(`330106${rng.int(1960, 2004)}0${rng.int(1, 9)}1${rng.int(0, 9)}${String(rng.int(0, 999)).padStart(3, '0')}`);
    const ops: (() => [string, Record<string, unknown>] | null)[] = [
      () => [
        `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        { input: { organizationId: county, kind: rng.pick(['ADULT', 'YOUTH']), name: '历史测试', idNumber: person(), joinedOn: on } },
      ],
      () =>
        members.length
          ? [`mutation($id: ID!, $on: Date!) { withdrawMember(id: $id, on: $on) { id } }`, { id: rng.pick(members), on }]
          : null,
      () => [
        `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
        { input: { organizationId: county, name: '历史测试', idNumber: person(), registeredOn: on, nationalSystemRegisteredOn: on } },
      ],
      () =>
        volunteers.length
          ? [
              `mutation($input: RecordServiceHoursInput!) { recordServiceHours(input: $input) { id } }`,
              { input: { volunteerId: rng.pick(volunteers), activity: '历史测试', date: on, hours: rng.int(1, 8) } },
            ]
          : null,
      () =>
        volunteers.length
          ? [`mutation($id: ID!, $on: Date!) { endVolunteer(id: $id, on: $on) { id } }`, { id: rng.pick(volunteers), on }]
          : null,
      () => [
        `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`,
        { input: { organizationId: county, name: `历史测试社区${step}红十字会`, type: 'COMMUNITY', establishedOn: on } },
      ],
      () =>
        units.length
          ? [
              `mutation($id: ID!, $on: Date!) { dissolveGrassrootsUnit(id: $id, input: { dissolvedOn: $on }) { id } }`,
              { id: rng.pick(units), on },
            ]
          : null,
      () => [
        `mutation($id: ID!, $p: ID!, $on: Date!) { moveOrganization(id: $id, parentId: $p, on: $on) { id } }`,
        { id: county, p: rng.pick(PREFECTURES), on },
      ],
    ];
    const call = rng.pick(ops)();
    if (!call) continue;
    const r = await stack.query<any>(call[0], call[1]);
    if (r.errors) {
      // A refusal is a client error that wrote nothing.
      expect([step, r.errors[0].extensions?.code]).toEqual([step, expect.stringMatching(/^(BAD_USER_INPUT|CONFLICT|NOT_FOUND)$/)]);
      continue;
    }
    accepted++;
    const created = Object.values(r.data)[0] as { id: string };
    if (call[0].includes('registerMember')) members.push(created.id);
    if (call[0].includes('registerVolunteer')) volunteers.push(created.id);
    if (call[0].includes('registerGrassrootsUnit')) units.push(created.id);
    if (call[0].includes('moveOrganization')) await stack.catchUp();
    const now = await tables();
    for (const k of Object.keys(now))
      if (k.split('@')[1] < on && JSON.stringify(now[k]) !== JSON.stringify(known[k]))
        rewritten.push({ step, on, k, before: known[k], after: now[k] });
    known = now;
  }
  expect(accepted).toBeGreaterThan(12);
  expect(rewritten).toEqual([]);
}, 600_000);
