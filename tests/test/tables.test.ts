import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { ANNUAL_FIELDS, SURVEY_FIELDS } from '@rcsc/reporting';
import { startFullStack, type FullStack } from './stack';

/** The stock indicators: in both annexes (annex 2 has completed term changes where annex 1 has due ones). */
const STOCK = SURVEY_FIELDS.filter((f) => ANNUAL_FIELDS.includes(f));

const surveyQuery = `query($id: ID!, $asOf: Date!) { organization(id: $id) { survey(asOf: $asOf) { ${SURVEY_FIELDS.join(' ')} } } }`;
const increaseQuery = `query($id: ID!, $year: Int!) { organization(id: $id) { annualIncrease(year: $year) { ${ANNUAL_FIELDS.join(' ')} } } }`;

describe('the annex tables through the gateway, on the national dataset', () => {
  let stack: FullStack;
  const tree = buildBranchTree();
  const zj = tree.find((b) => b.divisionCode === '330000')!;

  beforeAll(async () => {
    stack = await startFullStack();
  });
  afterAll(() => stack?.stop());

  const survey = async (id: string, asOf: string) => {
    const r = await stack.query<any>(surveyQuery, { id, asOf });
    expect(r.errors).toBeUndefined();
    return r.data.organization.survey as Record<string, number>;
  };

  it('fills annex 1 from three subgraphs, with real numbers for a province', async () => {
    const s = await survey(zj.id, '2021-06-30');
    for (const f of SURVEY_FIELDS) expect(typeof s[f]).toBe('number');
    expect(s.grassrootsUnits).toBeGreaterThan(0);
    expect(s.adultMembers).toBeGreaterThan(0);
    expect(s.registeredVolunteers).toBeGreaterThan(0);
    expect(s.countiesRationalized).toBeGreaterThan(0);
  });

  it("adds up: the nation's additive indicators are at least the sum over its provincial-level branches", async () => {
    const asOf = '2021-12-31';
    const national = await survey(nationalId(), asOf);
    const children = tree.filter((b) => b.parentId === nationalId());
    const sums = Object.fromEntries(STOCK.map((f) => [f, 0]));
    for (const c of children) {
      const s = await survey(c.id, asOf);
      for (const f of STOCK) sums[f] += s[f];
    }
    for (const f of STOCK) expect(national[f]).toBeGreaterThanOrEqual(sums[f]);
    // Governance rows count prefecture and county branches, none of which sit on the HQ itself.
    for (const f of STOCK.slice(0, 5)) expect(national[f]).toBe(sums[f]);
  });

  it('annex 2 is the year-end value minus the previous year-end value, for every stock indicator', async () => {
    for (const id of [nationalId(), zj.id]) {
      const end2021 = await survey(id, '2021-12-31');
      const end2020 = await survey(id, '2020-12-31');
      const r = await stack.query<any>(increaseQuery, { id, year: 2021 });
      expect(r.errors).toBeUndefined();
      const inc = r.data.organization.annualIncrease;
      for (const f of STOCK) expect([f, inc[f]]).toEqual([f, end2021[f] - end2020[f]]);
      expect(inc.countiesCompletedTermChange).toBeGreaterThan(0);
    }
  });

  it('annex 2 against a base year (the seed compares with 2020): end value minus the base year-end, term changes of the years between', async () => {
    const withBase = `query($id: ID!, $year: Int!, $base: Int) { organization(id: $id) { annualIncrease(year: $year, baseYear: $base) { year baseYear ${ANNUAL_FIELDS.join(' ')} } } }`;
    const end2022 = await survey(zj.id, '2022-12-31');
    const end2020 = await survey(zj.id, '2020-12-31');
    const r = await stack.query<any>(withBase, { id: zj.id, year: 2022, base: 2020 });
    expect(r.errors).toBeUndefined();
    const inc = r.data.organization.annualIncrease;
    expect([inc.year, inc.baseYear]).toEqual([2022, 2020]);
    for (const f of STOCK) expect([f, inc[f]]).toEqual([f, end2022[f] - end2020[f]]);
    const yearly = async (year: number) => (await stack.query<any>(withBase, { id: zj.id, year })).data.organization.annualIncrease;
    const [y2021, y2022] = [await yearly(2021), await yearly(2022)];
    expect(y2022.baseYear).toBe(2021);
    expect(inc.countiesCompletedTermChange).toBe(y2021.countiesCompletedTermChange + y2022.countiesCompletedTermChange);
    expect(inc.prefecturesCompletedTermChange).toBe(y2021.prefecturesCompletedTermChange + y2022.prefecturesCompletedTermChange);
    const bad = await stack.query<any>(withBase, { id: zj.id, year: 2022, base: 2022 });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'baseYear' }] });
  });

  it('keeps aggregates inside the viewer subtree', async () => {
    const hz = tree.find((b) => b.divisionCode === '330100')!;
    const token = await stack.token({ roles: ['REPORTER'], org: hz.id });
    const own = await stack.query<any>(surveyQuery, { id: hz.id, asOf: '2021-06-30' }, token);
    expect(own.errors).toBeUndefined();
    const province = await stack.query<any>(surveyQuery, { id: zj.id, asOf: '2021-06-30' }, token);
    expect(province.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('downloads annex tables as files from the gateway, for authorized users only', async () => {
    const base = stack.gatewayUrl.replace('/graphql', '/export');
    const token = await stack.token({ roles: ['REPORTER'], org: zj.id });
    const get = (query: string, t: string | null = token) =>
      fetch(`${base}?${query}`, { headers: t ? { authorization: `Bearer ${t}` } : {} });

    const csv = await get('divisionCode=330000&table=survey&asOf=2021-06-30&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=.*\.csv/);
    const text = await csv.text();
    expect(text).toContain('序号');
    expect(text).toContain('浙江省红十字会');

    // Annex 2 against the seed's base year: the note names it.
    const since2020 = await get('divisionCode=330000&table=annual&year=2022&baseYear=2020&format=csv');
    expect(since2020.status).toBe(200);
    expect(await since2020.text()).toContain('与2020年相比');
    expect((await get('divisionCode=330000&table=survey&asOf=2021-06-30&baseYear=2020')).status).toBe(400);

    const xlsx = await get('divisionCode=330000&table=annual&year=2021&format=xlsx');
    expect(xlsx.status).toBe(200);
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip container, as .xlsx files are

    expect((await get('divisionCode=330000&table=survey&asOf=2021-06-30', null)).status).toBe(401);
    expect((await get('divisionCode=320000&table=survey&asOf=2021-06-30')).status).toBe(403);
    const bad = await get('divisionCode=330000&table=weekly&format=pdf');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/table: must be survey or annual; format: must be csv or xlsx/);
  });
});
