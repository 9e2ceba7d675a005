// npm run import-bench [-- --rows 50000 --port-base 4700]: a members file of --rows rows, spread
// over every county of a province by its branch column, uploaded through the gateway
// (POST /imports/members) to a stack of its own (npm start's processes, on a fresh embedded
// database in a temporary directory, the branch tree only). Prints the time of the upload, the
// report, the peak memory (VmHWM) of the gateway and people processes, then uploads the same
// file again (nothing new) and stops the stack. Loopback only.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './root.mjs';
import { loadKeys } from './keys.mjs';
import { parseCli } from './cli.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const { Authenticator } = require('@rcsc/service-kit');
const { buildBranchTree } = require('@rcsc/dataset');
const { withCheckDigit } = require('@rcsc/personal-data');

const { values } = parseCli({
  usage: 'npm run import-bench -- [--rows 50000] [--port-base 4700] [--province 330000]',
  description: 'Uploads a members file through the gateway of a stack started for the run; prints time, the report and peak memory.',
  options: {
    rows: { type: 'string', default: '50000', integer: [1, 200000], description: 'data rows in the file' },
    'port-base': {
      type: 'string',
      default: '4700',
      integer: [1024, 65529],
      description: 'the stack: gateway on N, subgraphs N+1..N+5, database N+6',
    },
    province: {
      type: 'string',
      default: '330000',
      description: "the province whose counties the rows are spread over (its branch's division code)",
    },
  },
});
const rows = Number(values.rows);
const base = Number(values['port-base']);
const tree = buildBranchTree();
const province = tree.find((b) => b.divisionCode === values.province && b.level === 'PROVINCIAL');
if (!province) {
  console.error(`--province: no provincial branch with division code ${values.province}`);
  process.exit(2);
}
const counties = tree.filter((b) => b.level === 'COUNTY' && b.ancestorIds.includes(province.id) && b.divisionCode && !b.dissolvedOn);

/** The file: a title row, the header, then `rows` adults in the province's counties (their branch column by division code). */
function membersCsv() {
  const lines = [`${province.name}会员名册（导入基准）`, '所属红十字会,类别,姓名,身份证号,手机,入会日期'];
  const start = Date.UTC(1960, 0, 1);
  for (let i = 0; i < rows; i++) {
    const county = counties[i % counties.length];
    const born = new Date(start + Math.floor(i / 900) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const id = withCheckDigit(`${county.divisionCode}${born}${String(100 + (i % 900)).padStart(3, '0')}`);
    lines.push(`${county.divisionCode},成人,会员${i},${id},139${String(i).padStart(8, '0')},2021-05-01`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

const keys = loadKeys();
const dbPath = mkdtempSync(join(tmpdir(), 'rcsc-import-bench-'));
const env = { ...process.env, ...keys, EMBEDDED_MONGO_DBPATH: dbPath, LOG_LEVEL: 'warn' };
const stack = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--scale', 'branches', '--port-base', String(base)], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const gateway = `http://127.0.0.1:${base}`;

const stop = async () => {
  if (stack.exitCode === null && stack.signalCode === null) {
    const ended = new Promise((r) => stack.once('exit', r));
    stack.kill('SIGTERM');
    await ended;
  }
  rmSync(dbPath, { recursive: true, force: true });
};
process.once('SIGINT', () => stop().then(() => process.exit(130)));

/** The stack's processes (children of the start script) by name: gateway, people, … */
function children() {
  const out = {};
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      if (ppid !== stack.pid) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const name = /(gateway|services\/(\w+))\/dist\/index\.js/.exec(cmd);
      if (name) out[name[2] ?? 'gateway'] = Number(pid);
    } catch {
      /* ended */
    }
  }
  return out;
}
const memory = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function ready() {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (stack.exitCode !== null) throw new Error('the stack stopped before it was ready');
    const ok = await fetch(`${gateway}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the stack was not ready within 10 minutes');
}

try {
  const file = membersCsv();
  console.log(`file: ${rows} rows over ${counties.length} counties of ${province.name}, ${(file.length / 1e6).toFixed(1)} MB`);
  await ready();
  const procs = children();
  const token = await Authenticator.fromEnv({ AUTH_JWT_SECRET: keys.AUTH_JWT_SECRET }).sign(
    { sub: 'import-bench', org: province.id, roles: ['STAFF'], name: 'import bench' },
    '2h',
  );
  const before = Object.fromEntries(['gateway', 'people'].map((n) => [n, memory(procs[n], 'VmRSS')]));
  for (const run of ['first', 'again']) {
    const t0 = Date.now();
    // node:http, not fetch: fetch gives up on an answer that takes more than 300 s to begin.
    const res = await new Promise((resolve, reject) => {
      const req = http.request(
        `${gateway}/imports/members`,
        { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': file.length } },
        (answer) => {
          let text = '';
          answer.setEncoding('utf8');
          answer.on('data', (c) => (text += c));
          answer.on('end', () => resolve({ status: answer.statusCode, text }));
        },
      );
      req.on('error', reject);
      req.end(file);
    });
    const report = JSON.parse(res.text);
    const s = (Date.now() - t0) / 1000;
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(report).slice(0, 500)}`);
    const { errors, ...counts } = report;
    console.log(
      `${run}: ${s.toFixed(1)} s (${Math.round(rows / s)} rows/s), HTTP ${res.status}, ${JSON.stringify(counts)}${errors.length ? `, first error ${JSON.stringify(errors[0])}` : ''}`,
    );
  }
  console.log('memory (MB)       RSS before   peak RSS (VmHWM)   RSS after');
  for (const n of ['gateway', 'people'])
    console.log(
      `${n.padEnd(16)} ${before[n].toFixed(0).padStart(11)} ${memory(procs[n], 'VmHWM').toFixed(0).padStart(18)} ${memory(procs[n], 'VmRSS').toFixed(0).padStart(11)}`,
    );
  await stop();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await stop();
  process.exit(1);
}
