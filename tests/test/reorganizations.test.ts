// A county moves to another prefecture from a date (issue 15, ADR 0008): every subgraph follows,
// the annex rows of both parents read the old tree before the date and the new one from it, and
// access follows the move once the subgraphs have applied it.
import { Types } from 'mongoose';
import { buildBranchTree } from '@rcsc/dataset';
import { startFullStack, type FullStack } from './stack';

const tree = buildBranchTree();
const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const ZJ = id('330000');
const HZ = id('330100');
const NB = id('330200');
const XH = id('330106');
const MOVE_DAY = '2026-11-01';
const DAY_BEFORE = '2026-10-31';

let stack: FullStack;
beforeAll(async () => {
  stack = await startFullStack({ liveTree: true });
}, 600_000);
afterAll(() => stack?.stop());

const unitModel = () => (stack.service('grassroots').subgraph as any).models.GrassrootsUnit as import('mongoose').Model<any>;
const as = async (org: string, roles: string[]) => stack.token({ org, roles: roles as never });
const units = async (branch: string, asOf: string) => {
  const r = await stack.query<any>(`query($id: ID!, $d: Date!) { organization(id: $id) { survey(asOf: $d) { grassrootsUnits } } }`, {
    id: branch,
    d: asOf,
  });
  expect(r.errors).toBeUndefined();
  return r.data.organization.survey.grassrootsUnits as number;
};

const PEOPLE_ROWS = [
  'adultMembers',
  'youthMembers',
  'groupMembers',
  'registeredVolunteers',
  'serviceOrganizations',
  'serviceHours',
] as const;
const peopleRows = async (branch: string, asOf: string): Promise<Record<string, number>> => {
  const r = await stack.query<any>(
    `query($id: ID!, $d: Date!) { organization(id: $id) { survey(asOf: $d) { ${PEOPLE_ROWS.join(' ')} } } }`,
    {
      id: branch,
      d: asOf,
    },
  );
  expect(r.errors).toBeUndefined();
  return r.data.organization.survey;
};

/** Row 8 recounted from the units themselves, each under the path it had on the date. */
async function recount(branch: string, asOf: string): Promise<number> {
  const date = new Date(`${asOf}T00:00:00Z`);
  const rows = (await unitModel()
    .find({
      $or: [{ orgPath: new Types.ObjectId(branch) }, { 'orgPathHistory.path': new Types.ObjectId(branch) }],
    })
    .lean()) as {
    orgPath: Types.ObjectId[];
    orgPathHistory?: { path: Types.ObjectId[]; until: Date }[];
    establishedOn: Date;
    dissolvedOn: Date | null;
  }[];
  return rows.filter((u) => {
    const path = u.orgPathHistory?.find((p) => date < p.until)?.path ?? u.orgPath;
    return path.some((p) => String(p) === branch) && u.establishedOn <= date && (!u.dissolvedOn || u.dissolvedOn > date);
  }).length;
}

describe('moving a county to another prefecture from a date', () => {
  const before: Record<string, number> = {};
  const people: Record<string, Record<string, number>> = {};

  it('moves the county in organizations at once, and in every subgraph once they have followed', async () => {
    for (const b of [HZ, NB, ZJ]) before[b] = await units(b, MOVE_DAY);
    for (const b of [HZ, NB, ZJ, XH]) for (const d of [DAY_BEFORE, MOVE_DAY]) people[`${b}@${d}`] = await peopleRows(b, d);
    expect(await recount(HZ, MOVE_DAY)).toBe(before[HZ]);
    const inXh = await recount(XH, MOVE_DAY);
    expect(inXh).toBeGreaterThan(0);
    const moved = await stack.query<any>(
      `mutation($id: ID!, $p: ID!, $on: Date!) { moveOrganization(id: $id, parentId: $p, on: $on) { parent { divisionCode } } }`,
      { id: XH, p: NB, on: MOVE_DAY },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data.moveOrganization.parent.divisionCode).toBe('330200');
    await stack.catchUp();
    // Row 8 of both parents: the old tree the day before, the new one from the day of the move.
    expect(await units(HZ, DAY_BEFORE)).toBe(await recount(HZ, DAY_BEFORE));
    expect(await units(HZ, MOVE_DAY)).toBe(before[HZ] - inXh);
    expect(await units(NB, MOVE_DAY)).toBe(before[NB] + inXh);
    expect(await units(NB, DAY_BEFORE)).toBe(await recount(NB, DAY_BEFORE));
    expect(await units(ZJ, MOVE_DAY)).toBe(before[ZJ]);
    for (const b of [HZ, NB, ZJ, XH])
      for (const d of ['2021-06-30', DAY_BEFORE, MOVE_DAY]) expect([b, d, await units(b, d)]).toEqual([b, d, await recount(b, d)]);
    // A second catch-up changes nothing (each reorganization is applied once).
    await stack.catchUp();
    expect(await units(NB, MOVE_DAY)).toBe(before[NB] + inXh);
  }, 300_000);

  it("gives the new parent's staff the county's records and takes them from the old parent's", async () => {
    const unitId = String(
      (
        (await unitModel()
          .findOne({ organizationId: new Types.ObjectId(XH) })
          .lean()) as { _id: unknown }
      )._id,
    );
    const read = `query($id: ID!) { grassrootsUnit(id: $id) { id } }`;
    const oldParent = await stack.query<any>(read, { id: unitId }, await as(HZ, ['STAFF']));
    expect(oldParent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const newParent = await stack.query<any>(read, { id: unitId }, await as(NB, ['STAFF']));
    expect(newParent.errors).toBeUndefined();
    expect(newParent.data.grassrootsUnit.id).toBe(unitId);
    const register = (token: string) =>
      stack.query<any>(
        `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`,
        { input: { organizationId: XH, name: '迁移测试社区红十字会', type: 'COMMUNITY', establishedOn: '2026-11-15' } },
        token,
      );
    expect((await register(await as(HZ, ['STAFF']))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await register(await as(NB, ['STAFF']))).errors).toBeUndefined();
    const list = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { grassrootsUnits(first: 1) { totalCount } } }`,
      { id: HZ },
      await as(HZ, ['STAFF']),
    );
    expect(list.data.organization.grassrootsUnits.totalCount).toBe(before[HZ] - (await recount(XH, DAY_BEFORE)));
  }, 120_000);

  it("moves the county's members and volunteers: rows 9-14 of both parents, lists, reveals", async () => {
    const xh = people[`${XH}@${MOVE_DAY}`];
    expect(xh.adultMembers).toBeGreaterThan(0);
    for (const k of PEOPLE_ROWS) {
      // The day before: both parents as they were. From the day: the county's figures left Hangzhou for Ningbo.
      for (const b of [HZ, NB, ZJ]) expect([b, k, (await peopleRows(b, DAY_BEFORE))[k]]).toEqual([b, k, people[`${b}@${DAY_BEFORE}`][k]]);
      // serviceHours is each subtree's total rounded to the hour: a difference of rounded totals may be off by one.
      const slack = k === 'serviceHours' ? 1 : 0;
      const hz = (await peopleRows(HZ, MOVE_DAY))[k] - (people[`${HZ}@${MOVE_DAY}`][k] - xh[k]);
      const nb = (await peopleRows(NB, MOVE_DAY))[k] - (people[`${NB}@${MOVE_DAY}`][k] + xh[k]);
      expect([k, Math.abs(hz) <= slack, Math.abs(nb) <= slack]).toEqual([k, true, true]);
      expect([k, (await peopleRows(ZJ, MOVE_DAY))[k]]).toEqual([k, people[`${ZJ}@${MOVE_DAY}`][k]]);
    }
    const member = (await stack.query<any>(`query($id: ID!) { organization(id: $id) { members(first: 1) { nodes { id } } } }`, { id: XH }))
      .data.organization.members.nodes[0].id;
    const reveal = `mutation($id: ID!) { revealMemberIdentity(id: $id) { idNumber } }`;
    expect((await stack.query<any>(reveal, { id: member }, await as(HZ, ['STAFF']))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await stack.query<any>(reveal, { id: member }, await as(NB, ['STAFF']))).errors).toBeUndefined();
    const hzList = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { members(first: 1) { totalCount } } }`,
      { id: XH },
      await as(HZ, ['STAFF']),
    );
    expect(String(hzList.errors?.[0]?.extensions?.code ?? hzList.data.organization.members.totalCount)).toMatch(/FORBIDDEN|^0$/);
  }, 120_000);

  it('records the move in the audit trail and keeps the old tree readable', async () => {
    const r = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { then: parent(asOf: "${DAY_BEFORE}") { divisionCode } now: parent { divisionCode } organizationsAudit(first: 5) { nodes { action before after } } } }`,
      { id: XH },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.organization.then.divisionCode).toBe('330100');
    expect(r.data.organization.now.divisionCode).toBe('330200');
    const entry = r.data.organization.organizationsAudit.nodes.find((e: any) => e.action === 'moveOrganization');
    expect(JSON.parse(entry.after)).toMatchObject({ on: expect.stringMatching(new RegExp(`^${MOVE_DAY}`)), parentId: NB });
  });
});

describe('merging a county into another from a date, and dissolving one', () => {
  const SC = id('330102');
  const GS = id('330105');
  const BJ = id('330108');
  const MERGE_DAY = '2026-11-20';
  const EVE = '2026-11-19';

  it("counts the merged county's records under the county it merged into from the date, and hands them to its staff", async () => {
    const was = {
      gs: { eve: await units(GS, EVE), day: await units(GS, MERGE_DAY) },
      hz: { eve: await units(HZ, EVE), day: await units(HZ, MERGE_DAY) },
      people: { gs: await peopleRows(GS, MERGE_DAY), sc: await peopleRows(SC, MERGE_DAY), gsEve: await peopleRows(GS, EVE) },
    };
    const inSc = await recount(SC, MERGE_DAY);
    expect(inSc).toBeGreaterThan(0);
    const merged = await stack.query<any>(
      `mutation($id: ID!, $into: ID!, $on: Date!) { mergeOrganization(id: $id, intoId: $into, on: $on) { dissolvedOn mergedInto { divisionCode } } }`,
      { id: SC, into: GS, on: MERGE_DAY },
    );
    expect(merged.errors).toBeUndefined();
    expect(merged.data.mergeOrganization).toEqual({ dissolvedOn: MERGE_DAY, mergedInto: { divisionCode: '330105' } });
    await stack.catchUp();
    // Row 8: the day before as it was; from the day the county it merged into holds them; the prefecture unchanged.
    expect(await units(GS, EVE)).toBe(was.gs.eve);
    expect(await units(GS, MERGE_DAY)).toBe(was.gs.day + inSc);
    expect([await units(HZ, EVE), await units(HZ, MERGE_DAY)]).toEqual([was.hz.eve, was.hz.day]);
    for (const d of [EVE, MERGE_DAY]) expect([d, await units(GS, d)]).toEqual([d, await recount(GS, d)]);
    // Rows 9-14 likewise.
    expect(await peopleRows(GS, EVE)).toEqual(was.people.gsEve);
    const now = await peopleRows(GS, MERGE_DAY);
    for (const k of PEOPLE_ROWS) {
      const slack = k === 'serviceHours' ? 1 : 0;
      expect([k, Math.abs(now[k] - (was.people.gs[k] + was.people.sc[k])) <= slack]).toEqual([k, true]);
    }
    // The staff of the county it merged into act on the merged county's records; a sibling's do not.
    const unitId = String(
      (
        (await unitModel()
          .findOne({ organizationId: new Types.ObjectId(SC) })
          .lean()) as { _id: unknown }
      )._id,
    );
    const read = `query($id: ID!) { grassrootsUnit(id: $id) { id } }`;
    expect((await stack.query<any>(read, { id: unitId }, await as(GS, ['STAFF']))).errors).toBeUndefined();
    expect((await stack.query<any>(read, { id: unitId }, await as(BJ, ['STAFF']))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const member = (await stack.query<any>(`query($id: ID!) { organization(id: $id) { members(first: 1) { nodes { id } } } }`, { id: SC }))
      .data.organization.members.nodes[0].id;
    const reveal = `mutation($id: ID!) { revealMemberIdentity(id: $id) { idNumber } }`;
    expect((await stack.query<any>(reveal, { id: member }, await as(GS, ['STAFF']))).errors).toBeUndefined();
    // The closed county takes no new records.
    const register = await stack.query<any>(
      `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`,
      { input: { organizationId: SC, name: '合并后新社区红十字会', type: 'COMMUNITY', establishedOn: '2026-11-25' } },
      await as(GS, ['STAFF']),
    );
    expect(register.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }, 300_000);

  it('refuses new records in a dissolved county as soon as the subgraphs have followed (no cache window)', async () => {
    const dissolved = await stack.query<any>(
      `mutation($id: ID!) { updateOrganization(id: $id, input: { dissolvedOn: "2026-11-30" }) { dissolvedOn } }`,
      {
        id: BJ,
      },
    );
    expect(dissolved.errors).toBeUndefined();
    await stack.catchUp();
    const register = await stack.query<any>(
      `mutation($input: RegisterGrassrootsUnitInput!) { registerGrassrootsUnit(input: $input) { id } }`,
      { input: { organizationId: BJ, name: '撤销后新社区红十字会', type: 'COMMUNITY', establishedOn: '2026-12-01' } },
      await as(BJ, ['STAFF']),
    );
    expect(register.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }, 120_000);
});

describe('access follows a reorganization with no window', () => {
  it("gives a moved county's records to the new parent's staff on the very next request through the gateway", async () => {
    const YH = id('330110');
    const HUZHOU = id('330500');
    const unitId = String(
      (
        (await unitModel()
          .findOne({ organizationId: new Types.ObjectId(YH) })
          .lean()) as { _id: unknown }
      )._id,
    );
    const read = `query($id: ID!) { grassrootsUnit(id: $id) { id } }`;
    expect((await stack.query<any>(read, { id: unitId }, await as(HUZHOU, ['STAFF']))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const moved = await stack.query<any>(`mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p) { id } }`, {
      id: YH,
      p: HUZHOU,
    });
    expect(moved.errors).toBeUndefined();
    // No catch-up here: the gateway passes the new tree version, and grassroots follows before it answers.
    expect((await stack.query<any>(read, { id: unitId }, await as(HUZHOU, ['STAFF']))).errors).toBeUndefined();
    expect((await stack.query<any>(read, { id: unitId }, await as(HZ, ['STAFF']))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  }, 120_000);
});
