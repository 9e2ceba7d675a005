// scripts/resend.mjs: the scale-out clients send a request again, once, when the peer closed a
// kept-alive connection before answering (nginx's old workers do on a reload; one CI run failed
// on a POST caught so). The module is ES, so it runs in its own Node process here.
import { run } from './helpers';

const PROBE = `
import http from 'node:http';
import { withResend, fetchFailure } from './scripts/resend.mjs';
let n = 0;
// The second request's connection is closed before any answer, as an old nginx worker does.
const server = http.createServer((req, res) => { if (++n === 2) return req.socket.destroy(); res.end('answer ' + n); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = 'http://127.0.0.1:' + server.address().port + '/';
const out = { resent: 0 };
const post = () => fetch(url, { method: 'POST', body: '{}', headers: { 'idempotency-key': 'k' } });
out.first = await (await withResend(post, () => out.resent++)).text();
out.second = await (await withResend(post, () => out.resent++)).text();
n = 1;
try { await post(); } catch (err) { out.plain = fetchFailure(err); }
// A port nothing listens on: refused, never sent again.
const gone = http.createServer();
await new Promise((r) => gone.listen(0, '127.0.0.1', r));
const goneUrl = 'http://127.0.0.1:' + gone.address().port + '/';
await new Promise((r) => gone.close(r));
try { await withResend(() => fetch(goneUrl), () => out.resent++); } catch (err) { out.refused = fetchFailure(err); }
server.closeAllConnections();
server.close();
console.log(JSON.stringify(out));
`;

it('sends a request again once when its connection was closed unanswered, and not when it was refused', () => {
  const r = run(process.execPath, ['--input-type=module', '-e', PROBE]);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    first: 'answer 1',
    // Without the resend, this is the failure the scale-out run reported.
    second: 'answer 3',
    resent: 1,
    plain: 'fetch failed (UND_ERR_SOCKET)',
    refused: 'fetch failed (ECONNREFUSED)',
  });
});
