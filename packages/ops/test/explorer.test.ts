// The explorer (issue 18): its tabs are the public contract's operations, generated from the
// contract files, and the first tab opens with its variables (GraphiQL 3.8 left them empty).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explorerRoute } from '@rcsc/gateway/dist/explorer';
import { ROOT, findChromium, inChromium, run } from './helpers';

const CONTRACT = join(ROOT, '..', 'shared', 'contract');
const chromium = findChromium();

(existsSync(CONTRACT) ? test : test.skip)('gateway/src/contract-tabs.ts is generated from the current contract files', () => {
  const r = run(process.execPath, ['scripts/contract-tabs.mjs', '--check']);
  expect([r.code, r.stderr]).toEqual([0, '']);
});

/** The page as headless Chromium renders it (after its scripts ran). */
async function renderedExplorer(): Promise<string> {
  const route = explorerRoute();
  const server = http.createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const profile = mkdtempSync(join(tmpdir(), 'rcsc-chromium-'));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/explorer`;
    const browser = spawn(
      chromium!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=8000',
        '--dump-dom',
        url,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let dom = '';
    browser.stdout.on('data', (c) => (dom += c));
    const timer = setTimeout(() => browser.kill('SIGKILL'), 60_000);
    await new Promise((r) => browser.once('exit', r));
    clearTimeout(timer);
    return dom;
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The text of the CodeMirror editor that follows `marker` in the DOM. */
function editorText(dom: string, marker: string): string {
  const at = dom.indexOf(marker);
  const lines = [...dom.slice(at, at + 20_000).matchAll(/<pre class=" CodeMirror-line " role="presentation">(.*?)<\/pre>/g)];
  return lines
    .map((m) =>
      m[1]
        .replace(/<[^>]+>/g, '')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .replace(/\u200b/g, ''),
    )
    .join('\n');
}

describe(`the explorer in headless Chromium${chromium ? '' : ' (SKIPPED: chromium is not installed; apt-get install -y chromium)'}`, () => {
  (chromium ? test : test.skip)('opens with one tab per contract operation, the first with its variables filled in', async () => {
    const dom = await renderedExplorer();
    const tabs = [...dom.matchAll(/graphiql-tab-button[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(tabs).toEqual([
      'BranchProfile',
      'Branches',
      'Grassroots',
      'People',
      'InstructorPool',
      'TrainingClasses',
      'Survey',
      'AnnualIncrease',
    ]);
    expect(editorText(dom, '<div class="graphiql-editor-tools">')).toMatch(/^\{\n\s*"divisionCode": "330000"\n\}/);
  });

  (chromium ? test : test.skip)('the download form gets a signed link with the explorer token and opens it', async () => {
    const route = explorerRoute();
    const seen: { path: string; authorization?: string }[] = [];
    let downloaded: (path: string) => void = () => undefined;
    const done = new Promise<string>((r) => (downloaded = r));
    // The explorer plus stand-ins for the gateway's /export/link and /export, and a harness page
    // on the same origin that fills the explorer's form and submits it.
    const server = http.createServer((req, res) => {
      const path = req.url ?? '/';
      if (path.startsWith('/export/link')) {
        seen.push({ path, authorization: req.headers.authorization });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: '/export?signed=yes' }));
      } else if (path.startsWith('/export')) {
        res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="t.csv"' }).end('a,b\n');
        downloaded(path);
      } else if (path === '/harness.html') {
        res.writeHead(200, { 'content-type': 'text/html' })
          .end(`<iframe id="f" src="/explorer#token=TKN" style="width:1200px;height:800px"></iframe><script>
          f.onload = () => setTimeout(() => {
            const form = f.contentDocument.getElementById('rcsc-download');
            form.elements.table.value = 'annual';
            form.elements.date.value = '2021';
            form.elements.format.value = 'csv';
            form.requestSubmit();
          }, 500);
        </script>`);
      } else if (!route(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/harness.html`;
      expect(await inChromium(chromium!, url, done)).toBe('/export?signed=yes');
      expect(seen).toEqual([{ path: '/export/link?divisionCode=330000&table=annual&format=csv&year=2021', authorization: 'Bearer TKN' }]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
