import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExampleTab } from './examples';
import { CONTRACT_TABS } from './contract-tabs';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The explorer page: GraphiQL served from npm packages (no CDN), so it works on an offline
 * intranet. Files are read once at start.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  '/explorer/react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  '/explorer/react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  '/explorer/graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  '/explorer/graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

export function explorerPage(tabs: ExampleTab[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Red Cross organization graph: explorer</title>
<link rel="stylesheet" href="/explorer/graphiql.css" />
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading the explorer…</div>
<form id="rcsc-download" title="An annex table as a file, through a short-lived signed link (GET /export/link)"
  style="position: fixed; right: 12px; bottom: 12px; z-index: 10; background: #fff; color: #333; border: 1px solid #ccc; border-radius: 6px; padding: 6px 8px; font: 12px sans-serif">
  <b>Download a table</b>
  <input name="divisionCode" value="330000" size="7" aria-label="division code" />
  <select name="table" aria-label="table"><option value="survey">附件1 survey (as of)</option><option value="annual">附件2 annual (year)</option></select>
  <input name="date" value="2021-06-30" size="10" aria-label="as of YYYY-MM-DD, or the year" />
  <select name="format" aria-label="format"><option>xlsx</option><option>csv</option></select>
  <button type="submit">Download</button>
</form>
<script src="/explorer/react.js"></script>
<script src="/explorer/react-dom.js"></script>
<script src="/explorer/graphiql.js"></script>
<script>
  // A token in the page's fragment (/explorer#token=...; never sent to the server) fills the
  // Authorization header, so the link npm start prints opens a working explorer.
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const headers = JSON.stringify({ Authorization: 'Bearer ' + (token || '<the token npm start printed, or npm run token>') }, null, 2);
  if (token) history.replaceState(null, '', location.pathname);
  const fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
  const tabs = ${JSON.stringify(tabs).replace(/</g, '\\u003c')};
  // GraphiQL 3.8 shows the first of defaultTabs with empty variables on a first visit
  // (graphql/graphiql#3392), so Run fails: hand it the first tab's variables, only when no tabs
  // were stored yet (otherwise GraphiQL would open an extra tab for them).
  const firstVisit = !localStorage.getItem('graphiql:tabState');
  // The download form: asks the gateway for a signed link with the explorer's token, then opens
  // it (a plain navigation, so the browser saves the file; no header needed).
  const authorization = () =>
    token ? 'Bearer ' + token : JSON.parse(localStorage.getItem('graphiql:headers') || '{}').Authorization;
  document.getElementById('rcsc-download').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = new FormData(event.target);
    const q = new URLSearchParams({ divisionCode: f.get('divisionCode'), table: f.get('table'), format: f.get('format') });
    if (f.get('table') === 'annual') q.set('year', String(f.get('date')).slice(0, 4));
    else q.set('asOf', f.get('date'));
    const auth = authorization();
    const res = await fetch('/export/link?' + q, { headers: auth ? { authorization: auth } : {} });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) return alert((body.errors && body.errors[0] && body.errors[0].message) || 'Download failed (HTTP ' + res.status + ')');
    location.assign(body.url);
  });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultTabs: tabs,
      ...(firstVisit && tabs[0] ? { variables: tabs[0].variables } : {}),
      defaultHeaders: headers,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: !token,
    }),
  );
</script>
</body>
</html>`;
}

export function explorerRoute(tabs: ExampleTab[] = CONTRACT_TABS) {
  // The UMD bundles are not in the packages' "exports", so locate them from package.json.
  const read = (a: { pkg: string; file: string }) => readFileSync(join(dirname(require.resolve(`${a.pkg}/package.json`)), a.file));
  const files = new Map(Object.entries(ASSETS).map(([path, a]) => [path, { body: read(a), type: a.type }]));
  const page = explorerPage(tabs);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    const asset = files.get(path);
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' });
      res.end(asset.body);
      return true;
    }
    const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (path === '/explorer' || ((path === '/graphql' || path === '/') && wantsHtml)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return true;
    }
    return false;
  };
}
