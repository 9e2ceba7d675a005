// npm run soak [-- --seconds 300 --workers 8 --read-only]: steady load through the running gateway
// (npm start), reads of every subgraph with writes mixed in, for a fixed time. Prints throughput,
// errors and the memory (RSS) of every process of the stack over time. Loopback only; stops by itself.
// Writes never touch the real branches: they go to a test branch the soak creates (established
// today), its members join today, and at the end they are withdrawn and the branch dissolved,
// all dated today, so the annex figures of any earlier date stay exactly as they were.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';
import { loadKeys } from './keys.mjs';
import { parseCli } from './cli.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const { Authenticator } = require('@rcsc/service-kit');
const { buildBranchTree, nationalId } = require('@rcsc/dataset');
const { withCheckDigit } = require('@rcsc/personal-data');

const { values } = parseCli({
  usage: 'npm run soak -- [--seconds 300] [--workers 8] [--url http://127.0.0.1:4000/graphql] [--read-only]',
  description: 'Steady load through a running stack (npm start); writes go to a test branch made for the run and dissolved at the end.',
  options: {
    seconds: { type: 'string', default: '300', integer: [1, 3600], description: 'how long' },
    workers: { type: 'string', default: '8', integer: [1, 64], description: 'concurrent requests' },
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql', description: 'the gateway (loopback only)' },
    'read-only': { type: 'boolean', default: false, description: 'reads only: nothing is written' },
  },
});
const seconds = Number(values.seconds);
const workers = Number(values.workers);
const readOnly = values['read-only'] === true;
const url = values.url;
if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) {
  console.error('--url must be on this machine (loopback)');
  process.exit(2);
}

Object.assign(process.env, loadKeys());
// One user per worker, as the gateway's per-token rate limit sees real users: one token each.
const auth = Authenticator.fromEnv();
const tokenOf = (n) => auth.sign({ sub: `soak-${n}`, org: nationalId(), roles: ['ADMIN'], name: `soak ${n}` }, '2h');
const token = await tokenOf(0);
const tree = buildBranchTree();
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const runId = Date.now() % 100000;
let serial = 0;
// Today in Beijing, the date every write of the soak carries.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

async function gql(query, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`${res.status} ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body.data;
}

/** The branch the writes go to: a special-system branch under a prefecture, made for this run. */
async function createTestBranch() {
  const parent = tree.find((b) => b.level === 'PREFECTURE');
  const data = await gql(`mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }`, {
    input: { name: `浸泡测试 ${today} #${runId}`, level: 'COUNTY', kind: 'SPECIAL_SYSTEM', parentId: parent.id, establishedOn: today },
  });
  return data.createOrganization;
}

/** Withdraws the run's members and dissolves its branch, all dated today. */
async function removeTestBranch(branch, memberIds) {
  let failed = 0;
  for (const id of memberIds) {
    await gql(`mutation($id: ID!, $on: Date!) { withdrawMember(id: $id, on: $on, reason: "soak test") { id } }`, { id, on: today }).catch(
      () => failed++,
    );
  }
  await gql(`mutation($id: ID!, $on: Date!) { updateOrganization(id: $id, input: { dissolvedOn: $on }) { id } }`, {
    id: branch.id,
    on: today,
  });
  if (failed) throw new Error(`${failed} of the soak's members could not be withdrawn`);
}

let testBranch = null;
const memberIds = [];
const OPS = [
  {
    name: 'branch profile',
    weight: 4,
    make: () => ({
      query: `query($c: String!) { organization(divisionCode: $c) { name children { name } governance { partyGroupEstablished } currentTerm { number } } }`,
      variables: { c: pick(tree).divisionCode ?? '330000' },
    }),
  },
  {
    name: 'units with branch',
    weight: 3,
    make: () => ({
      query: `query($id: ID!) { organization(id: $id) { grassrootsUnits(first: 20) { totalCount nodes { name organization { name } } } } }`,
      variables: { id: pick(tree).id },
    }),
  },
  {
    name: 'members',
    weight: 3,
    make: () => ({
      query: `query($id: ID!) { organization(id: $id) { members(first: 20) { totalCount nodes { name status } } } }`,
      variables: { id: pick(tree).id },
    }),
  },
  {
    name: 'instructors',
    weight: 2,
    make: () => ({ query: `{ instructors(first: 20) { totalCount nodes { name organization { name } } } }`, variables: {} }),
  },
  {
    name: 'annex 1',
    weight: 1,
    make: () => ({
      query: `query($id: ID!) { organization(id: $id) { survey(asOf: "2021-12-31") { countiesRationalized grassrootsUnits adultMembers serviceHours } } }`,
      variables: { id: pick(tree.filter((b) => b.level !== 'COUNTY')).id },
    }),
  },
  {
    name: 'register member (write)',
    weight: 2,
    write: true,
    make: () => {
      const n = ++serial;
      const birth = `19${String(50 + (n % 40)).padStart(2, '0')}0101`;
      const id = withCheckDigit(`330106${birth}${String((runId + n) % 1000).padStart(3, '0')}`);
      return {
        query: `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { id } }`,
        variables: { input: { organizationId: testBranch.id, kind: 'ADULT', name: '浸泡测试', idNumber: id, joinedOn: today } },
        allowConflict: true,
        keep: (data) => data?.registerMember?.id && memberIds.push(data.registerMember.id),
      };
    },
  },
];
const active = OPS.filter((op) => !(readOnly && op.write));
const bag = active.flatMap((op) => Array(op.weight).fill(op));

const stats = new Map(active.map((op) => [op.name, { ok: 0, errors: 0, ms: [] }]));
const failures = [];
const deadline = Date.now() + seconds * 1000;

async function worker(n) {
  const token = await tokenOf(n);
  while (Date.now() < deadline) {
    const op = pick(bag);
    const { query, variables, allowConflict, keep } = op.make();
    const started = performance.now();
    const s = stats.get(op.name);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      const codes = (body.errors ?? []).map((e) => e.extensions?.code);
      const fine = res.status === 200 && (codes.length === 0 || (allowConflict && codes.every((c) => c === 'CONFLICT')));
      if (fine) {
        s.ok++;
        keep?.(body.data);
      } else {
        s.errors++;
        if (failures.length < 10) failures.push(`${op.name}: HTTP ${res.status} ${JSON.stringify(body.errors).slice(0, 200)}`);
      }
    } catch (err) {
      s.errors++;
      if (failures.length < 10) failures.push(`${op.name}: ${err.message}`);
    }
    s.ms.push(performance.now() - started);
  }
}

/** RSS in MB of the stack's processes (found by their command lines), keyed by name. */
function rss() {
  const out = {};
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const m = /(services\/(\w+)|gateway)\/dist\/index\.js|scripts\/start\.mjs/.exec(cmd);
      if (!m) continue;
      const name = m[2] ?? (m[0].startsWith('gateway') ? 'gateway' : 'start+database');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      out[name] = Math.round(kb / 1024);
    } catch {
      /* the process ended */
    }
  }
  return out;
}

const samples = [{ t: 0, ...rss() }];
if (Object.keys(samples[0]).length < 3) {
  console.error('No running stack found: start it with npm start first.');
  process.exit(2);
}
if (!readOnly) testBranch = await createTestBranch();
const sampler = setInterval(
  () => samples.push({ t: Math.round((Date.now() - (deadline - seconds * 1000)) / 1000), ...rss() }),
  Math.min(30_000, (seconds * 1000) / 6),
);
console.log(
  `soak: ${workers} workers for ${seconds} s against ${url}${readOnly ? ', read-only' : `, writes to the test branch ${testBranch.name} (${testBranch.id})`}`,
);
await Promise.all(Array.from({ length: workers }, (_, i) => worker(i + 1)));
clearInterval(sampler);
samples.push({ t: seconds, ...rss() });
if (testBranch) {
  await removeTestBranch(testBranch, memberIds);
  console.log(`test branch ${testBranch.id}: ${memberIds.length} members withdrawn and the branch dissolved (dated ${today})`);
}

const pct = (xs, p) => (xs.length ? xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : 0);
let total = 0;
let errors = 0;
console.log('\noperation                   requests  errors   p50 ms   p99 ms');
for (const [name, s] of stats) {
  total += s.ok + s.errors;
  errors += s.errors;
  console.log(
    `${name.padEnd(27)} ${String(s.ok + s.errors).padStart(8)} ${String(s.errors).padStart(7)} ${pct(s.ms, 0.5).toFixed(1).padStart(8)} ${pct(s.ms, 0.99).toFixed(1).padStart(8)}`,
  );
}
console.log(`\n${total} requests in ${seconds} s (${(total / seconds).toFixed(1)} req/s), ${errors} errors`);
const names = Object.keys(samples[0]).filter((k) => k !== 't');
console.log(`\nRSS (MB) over time\n${['t (s)', ...names].map((n) => n.padStart(14)).join('')}`);
for (const s of samples) console.log([s.t, ...names.map((n) => s[n] ?? '-')].map((v) => String(v).padStart(14)).join(''));
for (const f of failures) console.log(`  ${f}`);
process.exit(errors ? 1 : 0);
