import http from 'node:http';
import { Types } from 'mongoose';
import { buildBranchTree } from '@rcsc/dataset';
import { withCheckDigit } from '@rcsc/personal-data';
import type { Role } from '@rcsc/service-kit';
import { writeTable } from '@rcsc/tables';
import { startFullStack, type FullStack } from './stack';

/**
 * Issue 19 item 7 and issue 24 item 3: bulk-import files uploaded to the gateway
 * (POST /imports/<register>), streamed to the subgraph that owns the register.
 */
const tree = buildBranchTree();
const branch = (code: string) => tree.find((b) => b.divisionCode === code)!;
const HZ = branch('330100');
const XH = branch('330106');
const CSV = 'text/csv; charset=utf-8';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const person = (area: string, birth: string, seq: string) => withCheckDigit(`${area}${birth}${seq}`);

describe('uploads of import files through the gateway', () => {
  let stack: FullStack;
  const tokens: Record<string, string> = {};
  const upload = async (
    register: string,
    body: string | Buffer,
    opts: { token?: string | null; type?: string; query?: string; key?: string } = {},
  ) => {
    const headers: Record<string, string> = { 'content-type': opts.type ?? CSV };
    if (opts.key) headers['idempotency-key'] = opts.key;
    const token = opts.token === undefined ? tokens.hzStaff : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/imports/${register}${opts.query ?? ''}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    stack = await startFullStack({ seed: false });
    const as = (org: string, role: Role) => stack.token({ sub: `import:${role}`, roles: [role], org });
    tokens.hzStaff = await as(HZ.id, 'STAFF');
    tokens.xhStaff = await as(XH.id, 'STAFF');
    tokens.hzViewer = await as(HZ.id, 'VIEWER');
  });
  afterAll(() => stack?.stop());

  const members = [
    '杭州市红十字会会员名册',
    '所属红十字会,类别,姓名,身份证号,入会日期',
    `330106,成人,上传一,${person('330106', '19700101', '501')},2021-05-01`,
    `330102,成人,上传二,${person('330102', '19700101', '502')},2021-05-01`,
    `330106,成人,上传三,${person('330106', '19700101', '503')},2021-13-40`,
    `110101,成人,上传四,${person('110101', '19700101', '504')},2021-05-01`,
  ].join('\n');

  it("imports a prefecture's members in one file (title row, branch column), with the per-row report; the same file again adds nothing", async () => {
    const first = await upload('members', members, { query: `?organizationId=${HZ.id}` });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 4, created: 2, alreadyRegistered: 0, failed: 2 });
    expect(first.body.errors).toEqual([
      { line: 5, field: 'joinedOn', message: 'must be a date as YYYY-MM-DD' },
      { line: 6, field: 'branch', message: `no branch with division code 110101 in the subtree of ${HZ.name}` },
    ]);
    // organizationId defaults to the viewer's own branch.
    const again = await upload('members', members);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ rows: 4, created: 0, alreadyRegistered: 2, failed: 2 });
    const Member = stack.service('people').db.connection.model('Member');
    expect(await Member.countDocuments({ name: /^上传/ })).toBe(2);
  });

  // A client whose upload timed out sends it again with the same key: it gets the first report,
  // not every row "already registered", and nothing runs twice; the key with another file is refused.
  it('answers an upload sent again with the same Idempotency-Key with the first report', async () => {
    const file = [
      '所属红十字会,类别,姓名,身份证号,入会日期',
      `330106,成人,重传一,${person('330106', '19700101', '511')},2021-05-01`,
      `330106,成人,重传二,${person('330106', '19700101', '512')},2021-05-01`,
    ].join('\n');
    const first = await upload('members', file, { key: 'upload-retry-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 2, created: 2, alreadyRegistered: 0 });
    const retry = await upload('members', file, { key: 'upload-retry-1' });
    expect(retry).toEqual(first);
    const Member = stack.service('people').db.connection.model('Member');
    expect(await Member.countDocuments({ name: /^重传/ })).toBe(2);
    const other = await upload('members', file.replace('重传二', '重传三'), { key: 'upload-retry-1' });
    expect(other.status).toBe(400);
    expect(other.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'Idempotency-Key' }] });
    // Without the key the same file is a second import: its rows are reported as registered already.
    expect((await upload('members', file)).body).toMatchObject({ rows: 2, created: 0, alreadyRegistered: 2 });
  });

  it('imports volunteers, grassroots units (XLSX) and Boai homes the same way', async () => {
    const volunteers = [
      '姓名,身份证号,注册日期,所属红十字会',
      `志愿一,${person('330106', '19900101', '601')},2021-05-01,330106`,
      `志愿二,${person('330106', '20100101', '602')},2021-05-01,330106`,
    ].join('\n');
    const v = await upload('volunteers', volunteers);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ rows: 2, created: 1, failed: 1, errors: [{ line: 3 }] });

    const unitsFile = Buffer.from(
      await writeTable(
        'XLSX',
        '基层组织',
        ['名称', '类型', '成立日期', '所属红十字会区划代码'],
        [
          ['上传社区红十字会', '社区', '2020-01-01', '330106'],
          ['上传学校红十字会', '学校', '2020-01-01', '999999'],
        ],
      ),
      'base64',
    );
    const units = await upload('grassroots-units', unitsFile, { type: XLSX });
    expect(units.status).toBe(200);
    expect(units.body).toMatchObject({ created: 1, existing: 0, errors: [{ line: 3, field: 'divisionCode' }] });
    expect((await upload('grassroots-units', unitsFile, { type: XLSX })).body).toMatchObject({ created: 0, existing: 1 });

    const homes = ['名称,城乡,社区,启用日期,所属红十字会', `上传博爱家园,城市,某社区,2020-06-01,${HZ.name}/${XH.name}`].join('\n');
    const h = await upload('boai-homes', homes);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ created: 1, existing: 0, errors: [] });
  });

  it("sets branches' contact details from a file (branch-contacts), idempotent; readers are refused", async () => {
    // The stack is not seeded: the organizations subgraph gets 杭州's branches of the dataset.
    const Organization = stack.service('organizations').db.connection.model('Organization');
    await Organization.collection.insertMany(
      tree
        .filter((b) => b.id === HZ.id || b.ancestorIds.includes(HZ.id))
        .map((b) => ({
          _id: new Types.ObjectId(b.id),
          name: b.name,
          level: b.level,
          kind: b.kind,
          divisionCode: b.divisionCode,
          divisionType: b.divisionType,
          establishedOn: null,
          dissolvedOn: null,
          parentId: b.parentId ? new Types.ObjectId(b.parentId) : null,
          ancestorIds: b.ancestorIds.map((id) => new Types.ObjectId(id)),
          sortKey: b.divisionCode ?? b.name,
          governance: {},
          leadership: [],
        })) as never[],
    );
    const file = ['红十字会,地址,电话,经度,纬度', `330106,杭州市西湖区,0571-87654321,120.13,30.26`, '330106,重复,,,'].join('\n');
    const first = await upload('branch-contacts', file, { query: `?organizationId=${HZ.id}` });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ updated: 1, unchanged: 0, errors: [{ line: 3, field: 'branch' }] });
    expect((await upload('branch-contacts', file)).body).toMatchObject({ updated: 0, unchanged: 1 });
    const viewer = await upload('branch-contacts', file, { token: tokens.hzViewer });
    expect([viewer.status, viewer.body.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    expect(((await Organization.findById(XH.id).lean()) as any).contact).toMatchObject({ phone: '0571-87654321' });
  });

  it('refuses: no token, a wrong role, a branch outside the subtree, a bad file, a wrong content type, an unknown register, a wrong method', async () => {
    const noToken = await upload('members', members, { token: null });
    expect([noToken.status, noToken.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const viewer = await upload('members', members, { token: tokens.hzViewer });
    expect([viewer.status, viewer.body.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    const outside = await upload('members', members, { token: tokens.xhStaff, query: `?organizationId=${HZ.id}` });
    expect([outside.status, outside.body.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    const noHeader = await upload('members', '姓名\n张三\n');
    expect([noHeader.status, noHeader.body.errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(noHeader.body.errors[0].extensions.fields[0].field).toBe('input.content');
    // Simple (CSRF-able) content types are refused before anything is read.
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json']) {
      const r = await upload('members', members, { type });
      expect([type, r.status]).toEqual([type, 415]);
      expect(r.body.errors[0].message).toContain('text/csv');
    }
    expect((await upload('dues', members)).status).toBe(404);
    // The subgraph's own route checks the token too: no way around the gateway.
    const direct = await fetch(stack.subgraphUrls.people.replace(/\/graphql$/, '/imports/members'), {
      method: 'POST',
      headers: { 'content-type': CSV },
      body: members,
    });
    expect(direct.status).toBe(401);
    const get = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/imports/members`, {
      headers: { authorization: `Bearer ${tokens.hzStaff}` },
    });
    expect(get.status).toBe(405);
  });

  /** A raw upload: `declared` as Content-Length (or chunked), `chunks` written one by one. */
  const rawUpload = (declared: number | null, chunks: Buffer[]) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const url = new URL(stack.gatewayUrl);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: '/imports/members',
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.hzStaff}`,
            'content-type': CSV,
            ...(declared === null ? {} : { 'content-length': String(declared) }),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      const write = (i: number): void => {
        if (i >= chunks.length || req.destroyed) return void req.end();
        if (req.write(chunks[i])) setImmediate(() => write(i + 1));
        else req.once('drain', () => write(i + 1));
      };
      write(0);
    });

  it('refuses a file above 40 MB with 413, declared or streamed, and imports nothing of it', async () => {
    const declared = await rawUpload(40_000_001, [Buffer.from('所属红十字会,类别,姓名,身份证号,入会日期\n')]).catch((err) => ({
      status: 0,
      body: err,
    }));
    expect(declared.status).toBe(413);
    expect(declared.body.errors[0].message).toContain('larger than 40 MB');
    // Chunked, without a length: counted while streaming. Every row would be valid.
    const header = Buffer.from('类别,姓名,身份证号,入会日期\n');
    const row = Buffer.from(`成人,超大,${person('330106', '19700101', '999')},2021-05-01\n`.repeat(20_000));
    const chunks = [header, ...Array.from({ length: Math.ceil(40_000_001 / row.length) + 1 }, () => row)];
    const streamed = await rawUpload(null, chunks).catch((err) => ({ status: 0, body: err }));
    expect(streamed.status).toBe(413);
    expect(streamed.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const Member = stack.service('people').db.connection.model('Member');
    expect(await Member.countDocuments({ name: '超大' })).toBe(0);
  });
});
