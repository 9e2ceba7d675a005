// Times the export and import of the whole tree's branch contact details (issue 24 item 3).
// Usage (after a build): node scripts/contacts-bench.mjs
// An in-memory embedded server (startTestService); prints times and database commands.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { startTestService, execute } = require('@rcsc/testing');
const { Authenticator } = require('@rcsc/service-kit');
const { createServer, createLogger, seed } = { ...require('@rcsc/service-kit'), ...require('../dist/server.js') };

// Queries run in-process as the test viewer; the key only satisfies the kit.
const auth = new Authenticator({ secret: Authenticator.generateSecret(), issuer: 'rcsc', audience: 'rcsc-graph' });
const svc = await startTestService('organizations_contacts_bench', (c) => createServer(c, createLogger('bench'), auth));
try {
  await seed(svc.subgraph.models);
  const hq = String((await svc.subgraph.models.Organization.findOne({ level: 'NATIONAL' }).lean())._id);
  const timed = async (label, query, variables) => {
    svc.db.commands.reset();
    const t = performance.now();
    const r = await execute(svc.subgraph, query, variables);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const ms = Math.round(performance.now() - t);
    console.log(`${label}: ${ms} ms, ${svc.db.commands.count()} database commands`);
    return r.data;
  };
  const exported = await timed(
    'export the whole tree (CSV)',
    'query($o: ID!) { exportBranchContacts(organizationId: $o, format: CSV) { rows content } }',
    { o: hq },
  );
  const lines = exported.exportBranchContacts.content
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  console.log(`  ${exported.exportBranchContacts.rows} branches`);
  // Every branch gets a phone (column 5), then the same file again.
  const file = [
    lines[0],
    ...lines.slice(1).map((l, i) =>
      l
        .split(',')
        .map((c, j) => (j === 4 ? `0571-8${String(i).padStart(7, '0')}` : c))
        .join(','),
    ),
  ].join('\n');
  const mutation =
    'mutation($i: BranchContactsImportInput!) { importBranchContacts(input: $i) { updated unchanged errors { line field message } } }';
  const input = { i: { organizationId: hq, format: 'CSV', content: file } };
  const first = await timed('import, every branch changed', mutation, input);
  console.log(`  ${JSON.stringify({ ...first.importBranchContacts, errors: first.importBranchContacts.errors.length })}`);
  const again = await timed('the same file again (nothing changes)', mutation, input);
  console.log(`  ${JSON.stringify({ ...again.importBranchContacts, errors: again.importBranchContacts.errors.length })}`);
} finally {
  await svc.stop();
}
