import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, parse, print, visit, type FieldNode } from 'graphql';
import * as organizations from '@rcsc/organizations';
import { StaticDirectory } from '@rcsc/directory';
import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { startTestService, startTestStack, testToken, type TestService, type TestStack } from '@rcsc/testing';
import { createServer } from '../src/server';
import { seed } from '../src/seed';
import { GatewayTableSource } from '../src/table-source';
import { runExport } from '../src/export-cli';
import { ANNUAL_FIELDS, SURVEY_FIELDS } from '../src/tables';

const CONTRACT = join(__dirname, '..', '..', '..', '..', 'shared', 'contract');
const tree = buildBranchTree();

/**
 * Through a real gateway over organizations (rows 1-7 of the tables) and reporting: the
 * contract's table operations, and a submission whose values the reporting service reads back
 * through the same gateway with the caller's token.
 */
describe('reporting through the gateway (organizations + reporting)', () => {
  let org: TestService<ReturnType<typeof organizations.createServer>>;
  let rep: TestService<ReturnType<typeof createServer>>;
  let stack: TestStack;
  let gatewayUrl = '';
  let adminHeaders: Record<string, string>;
  let surveyFields: string[] = [];
  let annualFields: string[] = [];

  beforeAll(async () => {
    org = await startTestService('organizations', (c) => organizations.createServer(c));
    await organizations.seed(org.subgraph.models);
    // Only the indicator fields this stack's supergraph has (rows 1-7: organizations) are asked for.
    const orgSchema = org.subgraph.typeDefs;
    const present = (f: string) => new RegExp(`\\n\\s*${f}: Int!`).test(orgSchema);
    surveyFields = SURVEY_FIELDS.filter(present);
    annualFields = ANNUAL_FIELDS.filter(present);
    const tables = new GatewayTableSource({ url: () => gatewayUrl, surveyFields, annualFields });
    rep = await startTestService('reporting', (c) => createServer(c, { directory: StaticDirectory.fromTree(tree), tables }));
    await seed(rep.subgraph.models);
    stack = await startTestStack([org.subgraph, rep.subgraph]);
    gatewayUrl = stack.gatewayUrl;
    adminHeaders = { authorization: `Bearer ${await testToken({ roles: ['ADMIN'], org: nationalId() })}` };
    // Two seeded services and a gateway: beside another workspace's suites on two cores, more than the default minute.
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await rep?.stop();
    await org?.stop();
  });

  it('asks for rows 1-7 only, as the supergraph has them', () => {
    expect(surveyFields).toEqual(SURVEY_FIELDS.slice(0, 7));
    expect(annualFields).toEqual(ANNUAL_FIELDS.slice(0, 7));
  });

  it('answers the operations of 05-reports.graphql (fields this stack has) with data and no errors', async () => {
    const doc = parse(readFileSync(join(CONTRACT, '05-reports.graphql'), 'utf8'));
    const vars = JSON.parse(readFileSync(join(CONTRACT, '05-reports.vars.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const keep = new Set([...surveyFields, ...annualFields]);
    const all = new Set([...SURVEY_FIELDS, ...ANNUAL_FIELDS]);
    // Drop the indicator fields of subgraphs not in this stack (grassroots, people).
    const trimmed = visit(doc, { Field: (f: FieldNode) => (all.has(f.name.value) && !keep.has(f.name.value) ? null : undefined) });
    for (const def of trimmed.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = def.name!.value;
      const { divisionCode, ...rest } = vars[name];
      const found = await stack.query<any>(
        `query($c: String!) { organization(divisionCode: $c) { id } }`,
        { c: divisionCode },
        adminHeaders,
      );
      const id = found.data.organization.id;
      const r = await stack.query<any>(print(def), { id, ...rest }, adminHeaders);
      expect(r.errors).toBeUndefined();
      expect(r.data.organization.name).toBe('浙江省红十字会');
      const table = r.data.organization.survey ?? r.data.organization.annualIncrease;
      expect(Object.keys(table)).toHaveLength(7);
      expect(Object.values(table).some((v) => (v as number) > 0)).toBe(true);
    }
  });

  it('keeps the federated tables additive and the annual increase a year-end difference (rows 1, 4-7)', async () => {
    const rows = [
      'countiesRationalized',
      'prefecturesWithPartyGroup',
      'countiesWithPartyGroup',
      'prefecturesWithSupervisoryBoard',
      'countiesWithSupervisoryBoard',
    ];
    const sel = rows.join(' ');
    const r = await stack.query<any>(
      `query($c: String!) { organization(divisionCode: $c) {
        survey(asOf: "2021-06-30") { ${sel} } end: survey(asOf: "2021-12-31") { ${sel} } start: survey(asOf: "2020-12-31") { ${sel} }
        annualIncrease(year: 2021) { ${sel} }
        children { survey(asOf: "2021-06-30") { ${sel} } } } }`,
      { c: '330000' },
      adminHeaders,
    );
    expect(r.errors).toBeUndefined();
    const o = r.data.organization;
    for (const f of rows) {
      // A province counts no prefecture or county branch itself: its value is the sum over its children.
      expect(o.survey[f]).toBe(o.children.reduce((a: number, c: any) => a + c.survey[f], 0));
      expect(o.annualIncrease[f]).toBe(o.end[f] - o.start[f]);
    }
    expect(o.survey.countiesRationalized).toBeGreaterThan(0);
  });

  it('freezes the same values the gateway answers when a county submits with its own token', async () => {
    const county = tree.find((b) => b.divisionCode === '640202')!;
    const headers = {
      authorization: `Bearer ${await testToken({ sub: 'reporter-640202', roles: ['REPORTER'], org: county.id, name: '王芳' })}`,
    };
    const live = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { annualIncrease(year: 2021) { ${annualFields.join(' ')} } } }`,
      { id: county.id },
      headers,
    );
    expect(live.errors).toBeUndefined();
    const r = await stack.query<any>(
      `mutation($id: ID!) { submitReport(input: { organizationId: $id, period: { table: ANNUAL, year: 2021 } }) {
        id status submittedBy { userId name } values { field value } stale } }`,
      { id: county.id },
      headers,
    );
    expect(r.errors).toBeUndefined();
    const s = r.data.submitReport;
    expect(s).toMatchObject({ status: 'SUBMITTED', submittedBy: { userId: 'reporter-640202', name: '王芳' }, stale: false });
    const frozen = Object.fromEntries(s.values.filter((v: any) => v.value !== null).map((v: any) => [v.field, v.value]));
    expect(frozen).toEqual(live.data.organization.annualIncrease);
    // Rows of subgraphs not in this stack read as null (not answered), not as zero.
    expect(s.values.find((v: any) => v.field === 'grassrootsUnits').value).toBeNull();
    // A county reporter may not read its province's tables, through the reporting service either.
    const province = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { exportTable(period: { table: ANNUAL, year: 2021 }, format: CSV) { filename } } }`,
      { id: county.parentId },
      headers,
    );
    expect(province.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('exports the live survey of Zhejiang through the gateway, matching the table', async () => {
    const zj = tree.find((b) => b.divisionCode === '330000')!;
    const r = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { survey(asOf: "2021-06-30") { countiesWithPartyGroup }
        exportTable(period: { table: SURVEY, asOf: "2021-06-30" }, format: CSV) { filename base64 }
        xlsx: exportTable(period: { table: SURVEY, asOf: "2021-06-30" }, format: XLSX) { contentType byteLength } } }`,
      { id: zj.id },
      adminHeaders,
    );
    expect(r.errors).toBeUndefined();
    const lines = Buffer.from(r.data.organization.exportTable.base64, 'base64').toString('utf8').split('\r\n');
    expect(lines).toContain(`5,县级红十字会已设立党组数,${r.data.organization.survey.countiesWithPartyGroup}`);
    expect(lines).toContain('8,红十字会基层组织数,');
    expect(r.data.organization.xlsx.byteLength).toBeGreaterThan(4000);
  });

  it('exports from the command line through the gateway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rcsc-export-'));
    try {
      const path = await runExport({
        gatewayUrl,
        authorization: adminHeaders.authorization,
        branch: '330000',
        year: 2021,
        format: 'XLSX',
        source: 'SUBMITTED',
        out: dir,
      });
      expect(path).toBe(join(dir, '附件2_组织体系建设年工作成效统计表_浙江省红十字会_2021_已报送.xlsx'));
      expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
      await expect(
        runExport({
          gatewayUrl,
          authorization: adminHeaders.authorization,
          branch: '330000',
          year: 2030,
          format: 'CSV',
          source: 'LIVE',
          out: dir,
        }),
      ).rejects.toThrow(/BAD_USER_INPUT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the national completeness and progress through the gateway', async () => {
    const started = Date.now();
    const r = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { name
        completeness(period: { table: ANNUAL, year: 2021 }) { counts { total approved submitted notSubmitted } entries { nodes { name status } } }
        targetProgress(year: 2021) { measure actual ratio target { value } } } }`,
      { id: nationalId() },
      adminHeaders,
    );
    expect(r.errors).toBeUndefined();
    const o = r.data.organization;
    expect(o.completeness.counts.total).toBe(33);
    expect(o.completeness.counts.approved + o.completeness.counts.submitted).toBeGreaterThan(0);
    const rationalized = o.targetProgress.find((p: any) => p.measure === 'COUNTIES_RATIONALIZED');
    expect(rationalized.target.value).toBe(100);
    expect(rationalized.actual).toBeGreaterThan(0);
    expect(o.targetProgress.find((p: any) => p.measure === 'MEMBERS').actual).toBeNull(); // people is not in this stack
    console.log(`national completeness + progress through the gateway: ${Date.now() - started} ms`);
  });
});
