// Signed, short-lived download links for /export (issue 18): a link or a button in a browser
// cannot send an Authorization header.
import { Authenticator, createLogger, createSubgraph, type BaseRequestContext, type RunningServer, type Viewer } from '@rcsc/service-kit';
import { composeSupergraph } from '../src/compose';
import { DownloadLinks } from '../src/download-links';
import { createGateway } from '../src/server';

const log = createLogger('test', 'silent');

/** A stand-in for reporting's exportTable: answers a file named in Chinese and records who asked. */
function tablesSubgraph(seen: Viewer[]) {
  return createSubgraph<BaseRequestContext>({
    name: 'tables',
    typeDefs: `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      enum ExportFormat { CSV XLSX }
      enum ExportSource { LIVE SUBMITTED }
      enum Table { SURVEY ANNUAL }
      input PeriodInput { table: Table! asOf: String year: Int }
      type File { filename: String! contentType: String! base64: String! }
      type Organization { id: ID! exportTable(period: PeriodInput!, format: ExportFormat!, source: ExportSource, baseYear: Int): File }
      type Query { organization(id: ID, divisionCode: String): Organization }
    `,
    resolvers: {
      Query: { organization: (_: unknown, a: { divisionCode?: string }) => ({ id: a.divisionCode }) },
      Organization: {
        exportTable: (_: unknown, __: unknown, ctx: BaseRequestContext) => {
          seen.push(ctx.viewer);
          return {
            filename: '浙江省红十字会_附件1_2021-06-30.csv',
            contentType: 'text/csv; charset=utf-8',
            base64: Buffer.from('序号,指标\n').toString('base64'),
          };
        },
      },
    },
    log,
    context: (base) => base,
  });
}

describe('signed download links', () => {
  let sub: RunningServer;
  let gw: RunningServer;
  let base: string;
  let token: string;
  const seen: Viewer[] = [];
  const params = 'divisionCode=330000&table=survey&asOf=2021-06-30&format=csv';

  beforeAll(async () => {
    token = await Authenticator.fromEnv().sign({ sub: 'reporter-1', org: 'zj', roles: ['REPORTER'], name: 'R' });
    const tables = tablesSubgraph(seen);
    sub = await tables.listen(0);
    gw = await createGateway({
      supergraphSdl: composeSupergraph([{ name: 'tables', url: sub.url, typeDefs: tables.typeDefs }]),
      log,
    }).listen(0);
    base = gw.url.replace('/graphql', '');
  });
  afterAll(async () => {
    await gw.close();
    await sub.close();
  });

  const link = async () => {
    const res = await fetch(`${base}/export/link?${params}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { url: string; expiresAt: string };
  };

  it('a token holder gets a link that downloads the file without a token, as that holder', async () => {
    const { url, expiresAt } = await link();
    expect(url).toMatch(/^\/export\?.*&signature=/);
    expect(url).not.toContain(token);
    const left = Date.parse(expiresAt) - Date.now();
    expect(left).toBeGreaterThan(200_000);
    expect(left).toBeLessThanOrEqual(300_000);
    seen.length = 0;
    const file = await fetch(base + url);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('序号,指标\n');
    expect(seen.map((v) => [v.userId, v.organizationId, v.roles])).toEqual([['reporter-1', 'zj', ['REPORTER']]]);
  });

  it('the ASCII file name of the download is readable, not underscores', async () => {
    const file = await fetch(`${base}/export?${params}`, { headers: { authorization: `Bearer ${token}` } });
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="rcsc-annex-1-330000-2021-06-30.csv"; filename*=UTF-8''${encodeURIComponent('浙江省红十字会_附件1_2021-06-30.csv')}`,
    );
  });

  it('refuses a link whose parameters were changed, or that expired, with FORBIDDEN', async () => {
    const { url } = await link();
    const changed = url.replace('divisionCode=330000', 'divisionCode=320000');
    const r1 = await fetch(base + changed);
    expect(r1.status).toBe(403);
    expect(await r1.json()).toEqual({ errors: [{ message: 'The download link is not valid', extensions: { code: 'FORBIDDEN' } }] });
    const links = new DownloadLinks(Buffer.alloc(32, 7));
    const q = new URL(links.sign(new URLSearchParams(params), { sub: 'x', roles: ['REPORTER'] }).path, 'http://x').searchParams;
    expect(() => links.verify(q, Date.now() + 301_000)).toThrow(/expired/);
    expect(links.verify(q).sub).toBe('x');
  });

  it('gives links only to token holders, and only for a valid export', async () => {
    expect((await fetch(`${base}/export/link?${params}`)).status).toBe(401);
    const bad = await fetch(`${base}/export/link?divisionCode=330000&table=weekly`, { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
  });
});
