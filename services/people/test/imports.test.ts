import ExcelJS from 'exceljs';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault, withCheckDigit } from '@rcsc/personal-data';
import type { Viewer } from '@rcsc/service-kit';
import { countCommands, execute, startTestService, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';

const tree = buildBranchTree();
const branch = (code: string) => tree.find((b) => b.divisionCode === code)!;
const ids = { hz: branch('330100').id, xh: branch('330106').id, sc: branch('330102').id, dc: branch('110101').id };
const person = (area: string, birth: string, seq: string) => withCheckDigit(`${area}${birth}${seq}`);

const IMPORT_M = `mutation($input: ImportMembersInput!) { importMembers(input: $input) { rows created alreadyRegistered failed errors { line field message } } }`;
const IMPORT_V = `mutation($input: ImportVolunteersInput!) { importVolunteers(input: $input) { rows created alreadyRegistered failed errors { line field message } } }`;

describe('bulk imports of members and volunteers (title rows, the branch column, volunteers)', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 7));
  const staffOf = (org: string, roles: Viewer['roles'] = ['STAFF']): Viewer => ({ userId: 'u1', organizationId: org, roles, token: null });
  const run = <T = any>(query: string, variables?: Record<string, unknown>, viewer?: Viewer) =>
    execute<T>(svc.subgraph, query, variables, viewer);
  const ok = async (query: string, variables: Record<string, unknown>, viewer?: Viewer) => {
    const r = await run(query, variables, viewer);
    expect(r.errors).toBeUndefined();
    return Object.values(r.data as object)[0];
  };

  beforeAll(async () => {
    svc = await startTestService('people', (c) => createServer(c, { directory: StaticDirectory.fromTree(tree), vault }));
  });
  afterAll(() => svc.stop());

  it('imports a prefecture-wide CSV below title rows: each row in the branch its column names, never outside the subtree', async () => {
    const csv = [
      '杭州市红十字会 会员名册',
      '填报单位：杭州市红十字会,,,,',
      '所属红十字会,类别,姓名,身份证号,入会日期',
      `330106,成人,甲一,${person('330106', '19700101', '101')},2021-05-01`,
      `${branch('330100').name}/${branch('330102').name},成人,甲二,${person('330102', '19700101', '102')},2021-05-01`,
      `,成人,甲三,${person('330100', '19700101', '103')},2021-05-01`,
      `110101,成人,甲四,${person('110101', '19700101', '104')},2021-05-01`,
      `不存在的红十字会,成人,甲五,${person('330106', '19700101', '105')},2021-05-01`,
    ].join('\n');
    const first = await ok(IMPORT_M, { input: { organizationId: ids.hz, format: 'CSV', content: csv } }, staffOf(ids.hz));
    expect(first).toMatchObject({ rows: 5, created: 3, alreadyRegistered: 0, failed: 2 });
    expect(first.errors).toEqual([
      { line: 7, field: 'branch', message: `no branch with division code 110101 in the subtree of ${branch('330100').name}` },
      { line: 8, field: 'branch', message: `no branch named 不存在的红十字会 in the subtree of ${branch('330100').name}` },
    ]);
    const placed = await svc.subgraph.models.Member.find({ name: /^甲/ }, { name: 1, organizationId: 1, memberNumber: 1 }).lean();
    expect(Object.fromEntries(placed.map((m) => [m.name, String(m.organizationId)]))).toEqual({ 甲一: ids.xh, 甲二: ids.sc, 甲三: ids.hz });
    // Member numbers come from each row's own branch.
    expect(placed.find((m) => m.name === '甲一')!.memberNumber).toMatch(/^330106/);

    // The same file again adds nobody.
    const again = await ok(IMPORT_M, { input: { organizationId: ids.hz, format: 'CSV', content: csv } }, staffOf(ids.hz));
    expect(again).toMatchObject({ rows: 5, created: 0, alreadyRegistered: 3, failed: 2 });
    expect(await svc.subgraph.models.Member.countDocuments({ name: /^甲/ })).toBe(3);
  });

  it("keeps one membership per person nationally: a current member of another branch is that row's error, not a second membership", async () => {
    const idNumber = person('330106', '19700101', '201');
    const header = '所属红十字会,类别,姓名,身份证号,入会日期';
    const first = await ok(
      IMPORT_M,
      { input: { organizationId: ids.hz, format: 'CSV', content: [header, `330106,成人,乙一,${idNumber},2021-05-01`].join('\n') } },
      staffOf(ids.hz),
    );
    expect(first).toMatchObject({ created: 1, failed: 0 });
    // The same person in a row of 上城区: refused on that row; the rest of the file is imported.
    const other = [
      header,
      `330102,成人,乙一,${idNumber},2022-01-01`,
      `330102,成人,乙二,${person('330102', '19700101', '202')},2022-01-01`,
    ].join('\n');
    const second = await ok(IMPORT_M, { input: { organizationId: ids.hz, format: 'CSV', content: other } }, staffOf(ids.hz));
    expect(second).toMatchObject({ rows: 2, created: 1, alreadyRegistered: 0, failed: 1 });
    expect(second.errors).toEqual([
      { line: 2, field: 'idNumber', message: 'already a member of another branch (transferMember moves a member)' },
    ]);
    expect(await svc.subgraph.models.Member.countDocuments({ name: '乙一' })).toBe(1);
  });

  it('writes a province-wide file branch by branch: member numbers cost one counter update per branch, not per branch and batch', async () => {
    const codes = ['330106', '330102', '330105'];
    const lines = ['所属红十字会,类别,姓名,身份证号,入会日期'];
    // 300 rows, the branches interleaved as in a file sorted by name: three batches of 100.
    for (let i = 0; i < 300; i++) lines.push(`${codes[i % 3]},成人,批${i},${person(codes[i % 3], '19800101', String(100 + i))},2021-07-01`);
    const counter = countCommands(svc.db.connection);
    counter.reset();
    const r = await ok(IMPORT_M, { input: { organizationId: ids.hz, format: 'CSV', content: lines.join('\n') } });
    expect(r).toMatchObject({ rows: 300, created: 300, failed: 0 });
    expect(counter.names().filter((n) => n === 'findAndModify')).toHaveLength(3);
    const numbers = await svc.subgraph.models.Member.find({ name: /^批/ }, { memberNumber: 1, name: 1 }).lean();
    expect(new Set(numbers.map((m) => m.memberNumber)).size).toBe(300);
  });

  it("refuses a branch outside the viewer's subtree (FORBIDDEN) and rows naming branches above the import's (per row)", async () => {
    const csv = `区划代码,类别,姓名,身份证号,入会日期\n330102,成人,乙一,${person('330102', '19700101', '201')},2021-05-01\n`;
    const outside = await run(IMPORT_M, { input: { organizationId: ids.hz, format: 'CSV', content: csv } }, staffOf(ids.xh));
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const sideways = await ok(IMPORT_M, { input: { organizationId: ids.xh, format: 'CSV', content: csv } }, staffOf(ids.xh));
    expect(sideways).toMatchObject({ created: 0, failed: 1, errors: [{ line: 2, field: 'branch' }] });
    const viewer = await run(IMPORT_M, { input: { organizationId: ids.xh, format: 'CSV', content: csv } }, staffOf(ids.xh, ['VIEWER']));
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('finds the header below a title row in a workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('会员');
    sheet.addRow(['西湖区红十字会会员名册（2021年）']);
    sheet.mergeCells('A1:D1');
    sheet.addRow(['类别', '姓名', '身份证号', '入会日期']);
    sheet.addRow(['成人', '丙一', person('330106', '19750707', '301'), new Date('2021-06-01T00:00:00Z')]);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = await ok(IMPORT_M, { input: { organizationId: ids.xh, format: 'XLSX', content } });
    expect(r).toMatchObject({ rows: 1, created: 1, failed: 0 });
  });

  it("imports volunteers with registerVolunteer's rules: ages, guardian consent, unique national codes; again adds nothing", async () => {
    await ok(`mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`, {
      input: {
        organizationId: ids.sc,
        name: '已注册',
        idNumber: person('330102', '19800101', '400'),
        registeredOn: '2021-01-01',
        nationalSystemRegisteredOn: '2021-01-02',
        nationalSystemId: 'ZJ-0001',
      },
    });
    const csv = [
      '姓名,身份证号,手机,注册日期,全国系统注册日期,全国志愿者编号,技能,监护人同意,所属红十字会',
      `丁一,${person('330106', '19900101', '401')},13900000001,2021-05-01,2021-05-02,ZJ-1001,急救、心理疏导,,330106`,
      `丁二,${person('330106', '20100101', '402')},,2021-05-01,,,,,330106`,
      `丁三,${person('330106', '20050101', '403')},,2021-05-01,,,,,330106`,
      `丁四,${person('330106', '20050101', '404')},,2021-05-01,,,,是,330106`,
      `丁五,${person('330106', '19900101', '405')},,2021-05-01,2021-05-02,ZJ-1001,,,330106`,
      `丁六,${person('330106', '19900101', '406')},,2021-05-01,2021-05-02,ZJ-0001,,,330106`,
      `丁七,${person('330106', '19900101', '407')},,2021-13-01,,,,,330106`,
      `丁八,${person('330106', '19900101', '408')},,2021-05-01,,,,也许,330106`,
      `丁一,${person('330106', '19900101', '401')},,2021-05-01,,,,,330102`,
    ].join('\n');
    const first = await ok(IMPORT_V, { input: { organizationId: ids.hz, format: 'CSV', content: csv } }, staffOf(ids.hz));
    expect(first).toMatchObject({ rows: 9, created: 2, alreadyRegistered: 0, failed: 7 });
    expect(first.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'idNumber'],
      [4, 'guardianConsent'],
      [6, 'nationalSystemId'],
      [7, 'nationalSystemId'],
      [8, 'registeredOn'],
      [9, 'guardianConsent'],
      [10, 'idNumber'],
    ]);
    expect(first.errors[2].message).toBe('the same national volunteer code as line 2');
    expect(first.errors[3].message).toBe('another volunteer already has this national volunteer code');
    expect(first.errors[4].message).toBe('must be a date as YYYY-MM-DD');
    const made = await svc.subgraph.models.Volunteer.find({ name: /^丁/ }).lean();
    expect(made.map((v) => v.name).sort()).toEqual(['丁一', '丁四']);
    const d1 = made.find((v) => v.name === '丁一')!;
    expect(String(d1.organizationId)).toBe(ids.xh);
    expect(d1).toMatchObject({ nationalSystemId: 'ZJ-1001', skills: ['急救', '心理疏导'] });
    expect(made.find((v) => v.name === '丁四')!.guardianConsent).toBe(true);
    expect(await svc.subgraph.models.Audit.countDocuments({ action: 'importVolunteers' })).toBe(2);

    const again = await ok(IMPORT_V, { input: { organizationId: ids.hz, format: 'CSV', content: csv } }, staffOf(ids.hz));
    expect(again).toMatchObject({ rows: 9, created: 0, alreadyRegistered: 2 });
    expect(await svc.subgraph.models.Volunteer.countDocuments({ name: /^丁/ })).toBe(2);

    const missing = await run(IMPORT_V, { input: { organizationId: ids.xh, format: 'CSV', content: '姓名,身份证号\n甲,1\n' } });
    expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(missing.errors?.[0].message).toContain('registeredOn');
  });
});
