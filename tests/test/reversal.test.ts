// Issue 15 through the gateway: a re-type (撤县设市) counts the county as a county-level city in
// coverage from its date and not before, with every annex row of both dates unchanged; a move
// and its reversal (reverseReorganization) leave the annex rows of both parents, the day before
// and the day of the change, as they were before the move, and access is the old parent's again
// on the very next request.
import { Types } from 'mongoose';
import { buildBranchTree } from '@rcsc/dataset';
import { SURVEY_FIELDS } from '@rcsc/reporting';
import { startFullStack, type FullStack } from './stack';

const tree = buildBranchTree();
const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
const HZ = id('330100');
const NB = id('330200');
const ZJ = id('330000');
const JD = id('330182'); // 建德市: stored as a county (建德县) below, then re-typed
const XS = id('330109'); // 萧山区: moved to 宁波 by mistake, then the move reversed

/** Every annex 1 row of branch $id on date $d. */
const SURVEY = `query($id: ID!, $d: Date!) { organization(id: $id) { survey(asOf: $d) { ${SURVEY_FIELDS.join(' ')} } } }`;

let stack: FullStack;
beforeAll(async () => {
  stack = await startFullStack({ liveTree: true });
}, 1_500_000);
afterAll(() => stack?.stop());

const ok = async (query: string, variables?: Record<string, unknown>, token?: string) => {
  const r = await stack.query<any>(query, variables, token);
  expect(r.errors).toBeUndefined();
  return r.data;
};
const rows = async (branch: string, asOf: string): Promise<Record<string, number>> =>
  (await ok(SURVEY, { id: branch, d: asOf })).organization.survey;
const countyCities = async (branch: string, asOf: string) =>
  (
    await ok(
      `query($id: ID!, $d: Date!) { organization(id: $id) { boaiHomeCoverage(asOf: $d) { countyCities { total covered uncovered { id } } } } }`,
      {
        id: branch,
        d: asOf,
      },
    )
  ).organization.boaiHomeCoverage.countyCities as { total: number; covered: number; uncovered: { id: string }[] };
const as = (org: string, roles: string[]) => stack.token({ org, roles: roles as never });

describe('a county re-typed as a county-level city (撤县设市) from a date', () => {
  const EVE = '2026-08-31';
  const DAY = '2026-09-01';

  it('counts it as a county-level city in coverage from the date, not before, and leaves every annex row as it was', async () => {
    // The stored tree as an older edition had it: 建德 a county (the shipped edition has it a city).
    const orgs = (stack.service('organizations').subgraph as any).models.Organization as import('mongoose').Model<any>;
    await orgs.updateOne({ _id: new Types.ObjectId(JD) }, { $set: { divisionType: 'COUNTY', name: '杭州市建德县红十字会' } });
    await stack.catchUp();
    expect((await rows(JD, DAY)).grassrootsUnits).toBeGreaterThan(0);
    expect((await rows(JD, DAY)).adultMembers).toBeGreaterThan(0);
    const was = { eve: await countyCities(HZ, EVE), day: await countyCities(HZ, DAY) };
    expect(was.eve.total).toBe(was.day.total);
    const annex = { hz: [await rows(HZ, EVE), await rows(HZ, DAY)], jd: [await rows(JD, EVE), await rows(JD, DAY)] };

    const r = await stack.query<any>(
      `mutation($id: ID!, $on: Date!) { renameOrganization(id: $id, input: { name: "杭州市建德市红十字会", divisionType: COUNTY_CITY }, on: $on) { divisionType } }`,
      { id: JD, on: DAY },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.renameOrganization.divisionType).toBe('COUNTY_CITY');
    await stack.catchUp();
    // Coverage: not a county-level city the day before, one from the day (covered if a home is open in it).
    expect(await countyCities(HZ, EVE)).toEqual(was.eve);
    const day = await countyCities(HZ, DAY);
    expect(day.total).toBe(was.day.total + 1);
    const covered = !day.uncovered.some((c) => c.id === JD);
    expect(day.covered).toBe(was.day.covered + (covered ? 1 : 0));
    // The annex rows of both dates, of the county and its parent, are those before the change.
    expect([await rows(HZ, EVE), await rows(HZ, DAY)]).toEqual(annex.hz);
    expect([await rows(JD, EVE), await rows(JD, DAY)]).toEqual(annex.jd);
    const identity = await ok(
      `query($id: ID!) { organization(id: $id) { then: identity(asOf: "${EVE}") { divisionType } divisionType } }`,
      {
        id: JD,
      },
    );
    expect(identity.organization).toEqual({ then: { divisionType: 'COUNTY' }, divisionType: 'COUNTY_CITY' });
  }, 300_000);
});

describe('a mistaken move reversed', () => {
  const EVE = '2026-10-31';
  const DAY = '2026-11-01';
  const unitModel = () => (stack.service('grassroots').subgraph as any).models.GrassrootsUnit as import('mongoose').Model<any>;

  it("reads both parents' annex rows of the day before and the day of the move as before it, and gives access back to the old parent at once", async () => {
    const before: Record<string, Record<string, number>> = {};
    for (const b of [HZ, NB, ZJ, XS]) for (const d of [EVE, DAY]) before[`${b}@${d}`] = await rows(b, d);
    expect(before[`${XS}@${DAY}`].grassrootsUnits).toBeGreaterThan(0);
    expect(before[`${XS}@${DAY}`].adultMembers).toBeGreaterThan(0);
    const unitId = String(
      (
        (await unitModel()
          .findOne({ organizationId: new Types.ObjectId(XS) })
          .lean()) as { _id: unknown }
      )._id,
    );
    const read = `query($id: ID!) { grassrootsUnit(id: $id) { id } }`;

    await ok(`mutation($id: ID!, $p: ID!, $on: Date!) { moveOrganization(id: $id, parentId: $p, on: $on) { id } }`, {
      id: XS,
      p: NB,
      on: DAY,
    });
    await stack.catchUp();
    expect((await rows(NB, DAY)).grassrootsUnits).toBe(before[`${NB}@${DAY}`].grassrootsUnits + before[`${XS}@${DAY}`].grassrootsUnits);
    expect((await stack.query<any>(read, { id: unitId }, await as(NB, ['STAFF']))).errors).toBeUndefined();
    const history = await ok(`query($id: ID!) { organization(id: $id) { reorganizationHistory { id kind } } }`, { id: XS });
    const move = history.organization.reorganizationHistory[0];
    expect(move.kind).toBe('MOVE');

    // Only an ADMIN holding both places may reverse it; the reason is kept.
    const refused = await stack.query<any>(
      `mutation($e: Int!) { reverseReorganization(eventId: $e, reason: "错挂宁波") { id } }`,
      { e: move.id },
      await as(NB, ['ADMIN']),
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const reversed = await stack.query<any>(
      `mutation($e: Int!) { reverseReorganization(eventId: $e, reason: "错挂宁波，撤销调整") { parent { divisionCode } } }`,
      { e: move.id },
      await as(ZJ, ['ADMIN']),
    );
    expect(reversed.errors).toBeUndefined();
    expect(reversed.data.reverseReorganization.parent.divisionCode).toBe('330100');
    // No catch-up: the gateway passes the new tree version and every subgraph follows before it answers.
    expect((await stack.query<any>(read, { id: unitId }, await as(HZ, ['STAFF']))).errors).toBeUndefined();
    expect((await stack.query<any>(read, { id: unitId }, await as(NB, ['STAFF']))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await stack.catchUp();
    for (const b of [HZ, NB, ZJ, XS]) for (const d of [EVE, DAY]) expect([b, d, await rows(b, d)]).toEqual([b, d, before[`${b}@${d}`]]);
    // Every subgraph's records of the county are back on the old path, with no trace of the move.
    const unit = (await unitModel().findById(unitId).lean()) as { orgPath: Types.ObjectId[]; orgPathHistory?: unknown[] };
    expect(unit.orgPath.map(String)).toEqual([...tree.find((b) => b.id === XS)!.ancestorIds, XS]);
    expect(unit.orgPathHistory ?? []).toEqual([]);
    // A second catch-up changes nothing (the reversal is applied once).
    await stack.catchUp();
    expect(await rows(HZ, DAY)).toEqual(before[`${HZ}@${DAY}`]);
  }, 300_000);
});
