// Issue 24 item 3 for branches: importBranchContacts / exportBranchContacts (CSV and XLSX, Chinese
// headers): setOrganizationContact's rules and audit per row, per-row errors by line and field,
// idempotent re-import, the viewer's subtree only, and export -> import changing nothing.
import ExcelJS from 'exceljs';
import { testViewer } from '@rcsc/testing';
import type { Viewer } from '@rcsc/service-kit';
import { fields, useOrganizations } from './fixture';

describe('import and export of branch contact details', () => {
  const { service, run, ok, ids, create, createNationalAndZhejiang } = useOrganizations('organizations_contacts_io');

  const importFile = (organizationId: string, content: string, viewer?: Viewer, format = 'CSV') =>
    run(
      `mutation($input: BranchContactsImportInput!) { importBranchContacts(input: $input) { updated unchanged errors { line field message } } }`,
      { input: { organizationId, format, content } },
      viewer,
    );
  const exportFile = async (organizationId: string, format = 'CSV', viewer?: Viewer) =>
    (
      await ok(
        `query($o: ID!, $f: BranchTableFormat!) { exportBranchContacts(organizationId: $o, format: $f) { filename contentType base64 content rows } }`,
        { o: organizationId, f: format },
        viewer,
      )
    ).exportBranchContacts;
  const contactOf = async (id: string) =>
    (
      await ok(
        `query($id: ID!) { organization(id: $id) { contact { address postcode phone email website } location { longitude latitude } } }`,
        { id },
      )
    ).organization;
  const auditCount = async (id: string) =>
    (
      await ok(`query($id: ID!) { organization(id: $id) { organizationsAudit(first: 100) { nodes { action } } } }`, { id })
    ).organization.organizationsAudit.nodes.filter((n: any) => n.action === 'importBranchContacts').length;

  beforeAll(async () => {
    await createNationalAndZhejiang();
    await create('js', { name: '江苏省红十字会', level: 'PROVINCIAL', divisionCode: '320000', parentId: ids.hq });
    await create('hz', { name: '杭州市红十字会', level: 'PREFECTURE', divisionCode: '330100', parentId: ids.zj });
    await create('ca', { name: '杭州市淳安县红十字会', level: 'COUNTY', divisionCode: '330127', parentId: ids.hz });
    await create('tl', { name: '杭州市桐庐县红十字会', level: 'COUNTY', divisionCode: '330122', parentId: ids.hz });
    await create('nj', { name: '南京市红十字会', level: 'PREFECTURE', divisionCode: '320100', parentId: ids.js });
    await create('rail', { name: '中国铁路红十字会', level: 'PROVINCIAL', kind: 'SPECIAL_SYSTEM', parentId: ids.hq });
  });

  const staffZj = () => testViewer(['STAFF'], ids.zj);

  it('sets the details of the branches a CSV names (code or name path, title rows skipped), audited like setOrganizationContact', async () => {
    const csv = [
      '浙江省红十字会联系方式',
      '',
      '红十字会,名称,地址,邮编,电话,电子邮箱,网址,经度,纬度',
      '330100,杭州市红十字会,杭州市上城区解放路,310009,0571-87000000,hz@example.cn,https://hz.example.cn,120.17,30.25',
      '杭州市红十字会/杭州市淳安县红十字会,,淳安县千岛湖镇,,,,,119.04,29.61',
    ].join('\n');
    const r = await importFile(ids.zj, csv, staffZj());
    expect(r.errors).toBeUndefined();
    expect(r.data.importBranchContacts).toEqual({ updated: 2, unchanged: 0, errors: [] });
    expect(await contactOf(ids.hz)).toEqual({
      contact: {
        address: '杭州市上城区解放路',
        postcode: '310009',
        phone: '0571-87000000',
        email: 'hz@example.cn',
        website: 'https://hz.example.cn',
      },
      location: { longitude: 120.17, latitude: 30.25 },
    });
    expect(await contactOf(ids.ca)).toEqual({
      contact: { address: '淳安县千岛湖镇', postcode: null, phone: null, email: null, website: null },
      location: { longitude: 119.04, latitude: 29.61 },
    });
    // 淳安 is a leaf: its audit holds its own entries only.
    const audit = await ok(`query($id: ID!) { organization(id: $id) { organizationsAudit(first: 5) { nodes { action before after } } } }`, {
      id: ids.ca,
    });
    const [entry, ...others] = audit.organization.organizationsAudit.nodes;
    expect(entry.action).toBe('importBranchContacts');
    expect(others.map((o: any) => o.action)).not.toContain('importBranchContacts');
    expect(JSON.parse(entry.before)).toEqual({ contact: null, location: null });
    expect(JSON.parse(entry.after)).toEqual({
      contact: { address: '淳安县千岛湖镇', postcode: null, phone: null, email: null, website: null },
      location: { longitude: 119.04, latitude: 29.61 },
    });
  });

  it('re-importing the same file changes nothing and audits nothing; a blank cell keeps the stored value', async () => {
    const csv = ['红十字会,地址,电话,经度,纬度', '330100,杭州市上城区解放路,0571-87000000,120.17,30.25', '330127,淳安县千岛湖镇,,,'].join(
      '\n',
    );
    const before = await auditCount(ids.hz);
    const r = await importFile(ids.zj, csv, staffZj());
    expect(r.data.importBranchContacts).toEqual({ updated: 0, unchanged: 2, errors: [] });
    expect(await auditCount(ids.hz)).toBe(before);
    expect((await contactOf(ids.hz)).contact.email).toBe('hz@example.cn');
    // English headers are read too; a changed phone changes that field only.
    const changed = await importFile(ids.zj, 'branch,phone\n330127,0571-64812345\n', staffZj());
    expect(changed.data.importBranchContacts).toEqual({ updated: 1, unchanged: 0, errors: [] });
    expect((await contactOf(ids.ca)).contact).toMatchObject({ address: '淳安县千岛湖镇', phone: '0571-64812345' });
  });

  it('reports bad rows by line and field with the rules of setOrganizationContact, and writes the good ones', async () => {
    const csv = [
      '红十字会,地址,邮编,电话,电子邮箱,网址,经度,纬度',
      '330122,桐庐县迎春南路,311500,,,,119.69,29.79',
      '330122,重复,,,,,,',
      '320100,南京市,,,,,,',
      '999999,不存在,,,,,,',
      '330127,,31000,call us,not-an-email,ftp://x.example,,',
      '330100,,,,,,10,30',
      '330100,,,,,,120.1,',
      '330100,,,,,,east,30',
    ].join('\n');
    const r = await importFile(ids.zj, csv, staffZj());
    expect(r.errors).toBeUndefined();
    const { updated, unchanged, errors } = r.data.importBranchContacts;
    expect({ updated, unchanged }).toEqual({ updated: 1, unchanged: 0 });
    expect(errors.map((e: any) => `${e.line} ${e.field}`).sort()).toEqual([
      '3 branch', // the same branch as line 2
      '4 branch', // 南京 is outside the import's subtree (浙江)
      '5 branch',
      '6 email',
      '6 phone',
      '6 postcode',
      '6 website',
      '7 longitude',
      '8 latitude',
      '9 longitude',
    ]);
    expect(errors[0].message).toMatch(/line 2/);
    expect((await contactOf(ids.tl)).contact.address).toBe('桐庐县迎春南路');
    expect((await contactOf(ids.ca)).contact.phone).toBe('0571-64812345');
    expect((await contactOf(ids.nj)).contact).toBeNull();
  });

  it('refuses other roles, branches outside the viewer’s subtree, and unreadable files', async () => {
    const csv = '红十字会,地址\n330122,某地\n';
    expect((await importFile(ids.zj, csv, testViewer(['VIEWER'], ids.zj))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await importFile(ids.zj, csv, testViewer(['REPORTER'], ids.zj))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await importFile(ids.zj, csv, testViewer(['ADMIN'], ids.js))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // A STAFF of 杭州 may not import at 浙江, only below.
    expect((await importFile(ids.zj, csv, testViewer(['STAFF'], ids.hz))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const missing = await importFile(ids.zj, '地址,电话\n某地,0571-1234567\n', staffZj());
    expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fields(missing)).toEqual(['input.content']);
    expect(fields(await importFile('nope', csv, staffZj()))).toEqual(['input.organizationId']);
    expect(fields(await importFile(ids.zj, 'x', staffZj(), 'XLSX'))).toEqual(['input.content']);
    expect((await contactOf(ids.tl)).contact.address).toBe('桐庐县迎春南路');
  });

  it('exports a subtree with the import’s columns, neutralised; export -> import changes nothing (CSV and XLSX)', async () => {
    // A value a spreadsheet would run as a formula, and a phone starting with +.
    await ok(
      `mutation($id: ID!) { setOrganizationContact(id: $id, contact: { address: "=HYPERLINK(\\"x\\")", phone: "+86 10 65139999" }) { id } }`,
      {
        id: ids.rail,
      },
    );
    const csv = await exportFile(ids.hq);
    expect(csv).toMatchObject({ filename: '红十字会联系方式.csv', base64: false, rows: 8 });
    const lines = (csv.content as string)
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('红十字会,名称,地址,邮编,电话,电子邮箱,网址,经度,纬度');
    expect(lines[1]).toBe('100000,中国红十字会总会,,,,,,,');
    expect(lines).toContain(
      '330100,杭州市红十字会,杭州市上城区解放路,310009,0571-87000000,hz@example.cn,https://hz.example.cn,120.17,30.25',
    );
    // No division code: the branch's name path; formula-like cells start with an apostrophe.
    expect(lines).toContain(`中国铁路红十字会,中国铁路红十字会,"'=HYPERLINK(""x"")",,'+86 10 65139999,,,,`);
    const audits = await auditCount(ids.hz);
    expect((await importFile(ids.hq, csv.content)).data.importBranchContacts).toEqual({ updated: 0, unchanged: 8, errors: [] });
    const xlsx = await exportFile(ids.zj, 'XLSX');
    expect(xlsx).toMatchObject({ filename: '红十字会联系方式.xlsx', base64: true, rows: 4 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.content, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(3).value).toBe('地址');
    expect((await importFile(ids.zj, xlsx.content, staffZj(), 'XLSX')).data.importBranchContacts).toEqual({
      updated: 0,
      unchanged: 4,
      errors: [],
    });
    expect(await auditCount(ids.hz)).toBe(audits);
    expect((await contactOf(ids.rail)).contact).toMatchObject({ address: '=HYPERLINK("x")', phone: '+86 10 65139999' });
    // Outside the viewer's subtree: FORBIDDEN.
    const outside = await run(
      `query($o: ID!) { exportBranchContacts(organizationId: $o, format: CSV) { rows } }`,
      { o: ids.zj },
      testViewer(['VIEWER'], ids.js),
    );
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('reads and writes in a constant number of database commands, whatever the number of rows', async () => {
    const csv = (postcode: string, codes: string[]) => ['红十字会,邮编', ...codes.map((c) => `${c},${postcode}`)].join('\n');
    service().db.commands.reset();
    const one = await importFile(ids.zj, csv('100001', ['330100']), staffZj());
    const small = service().db.commands.count();
    const smallNames = service().db.commands.names();
    expect(one.data.importBranchContacts.updated).toBe(1);
    service().db.commands.reset();
    const four = await importFile(ids.zj, csv('100002', ['330100', '330127', '330122', '330000']), staffZj());
    expect(four.data.importBranchContacts.updated).toBe(4);
    // The same commands (named, so a failure shows which one came extra).
    expect(service().db.commands.names()).toEqual(smallNames);
    // Unchanged rows write nothing at all.
    service().db.commands.reset();
    expect(
      (await importFile(ids.zj, csv('100002', ['330100', '330127', '330122', '330000']), staffZj())).data.importBranchContacts,
    ).toMatchObject({
      updated: 0,
      unchanged: 4,
    });
    expect(service().db.commands.count()).toBeLessThan(small);
    expect((await contactOf(ids.zj)).contact.postcode).toBe('100002');
  });
});
