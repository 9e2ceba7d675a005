// Loads the grassroots dataset at a scale and times the queries the issue names.
// Usage (after a build): node scripts/bench.mjs [national|default]
// MONGODB_URI set: that server (a fresh database rcsc_grassroots_bench); else an in-memory embedded server.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { connectDatabase, ensureIndexes } = require('@rcsc/db');
const { execute } = require('@rcsc/testing');
const { buildBranchTree, nationalId } = require('@rcsc/dataset');
const { StaticDirectory } = require('@rcsc/directory');
const { Authenticator } = require('@rcsc/service-kit');
const { createServer, seed } = require('../dist/server.js');

const scale = process.argv[2] ?? 'national';
const db = await connectDatabase('rcsc_grassroots_bench');
try {
  await db.connection.dropDatabase();
  const tree = buildBranchTree();
  // Queries run in-process as an unrestricted SERVICE viewer; the key only satisfies the kit.
  const auth = new Authenticator({ secret: Authenticator.generateSecret(), issuer: 'rcsc', audience: 'rcsc-graph' });
  const server = createServer(db.connection, { directory: StaticDirectory.fromTree(tree), auth });
  await ensureIndexes(db.connection);
  let t = performance.now();
  const counts = await seed(server.models, { scale });
  console.log(`load (${scale}): ${Math.round(performance.now() - t)} ms`, counts);

  const zj = tree.find((b) => b.divisionCode === '330000').id;
  const provinces = tree.filter((b) => b.level === 'PROVINCIAL').map((b) => b.id);
  const run = async (label, query, variables) => {
    const times = [];
    let result;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      result = await execute(server, query, variables);
      times.push(Math.round(performance.now() - start));
      if (result.errors) throw new Error(`${label}: ${JSON.stringify(result.errors)}`);
    }
    console.log(`${label.padEnd(58)} ${times.join(' / ')} ms  ${JSON.stringify(result.data).slice(0, 110)}`);
  };
  const org = (id, selection) => [
    `query($id: ID!) { _entities(representations: [{ __typename: "Organization", id: $id }]) { ... on Organization { ${selection} } } }`,
    { id },
  ];
  const entities = (reps, selection) => [`query($reps: [_Any!]!) { _entities(representations: $reps) { ${selection} } }`, { reps }];

  await run(
    'row 8, national HQ, 2021-12-31 (Survey)',
    ...entities([{ __typename: 'Survey', organizationId: nationalId(), asOf: '2021-12-31' }], '... on Survey { grassrootsUnits }'),
  );
  await run(
    'row 8 increase, national HQ, 2021 (AnnualIncrease)',
    ...entities([{ __typename: 'AnnualIncrease', organizationId: nationalId(), year: 2021 }], '... on AnnualIncrease { grassrootsUnits }'),
  );
  await run(
    'row 8 for the 33 provincial branches in one batch',
    ...entities(
      provinces.map((id) => ({ __typename: 'Survey', organizationId: id, asOf: '2021-12-31' })),
      '... on Survey { grassrootsUnits }',
    ),
  );
  await run(
    'coverage, national HQ, 2021-12-31',
    ...org(nationalId(), 'boaiHomeCoverage(asOf: "2021-12-31") { prefectureCities { total covered } countyCities { total covered } }'),
  );
  await run(
    'coverage, Zhejiang, today',
    ...org(zj, 'boaiHomeCoverage { prefectureCities { total covered } countyCities { total covered } }'),
  );
  await run(
    '50 units nationally with branch, institution and totalCount',
    ...org(nationalId(), 'grassrootsUnits(first: 50) { totalCount nodes { name organization { id } medicalInstitution { name } } }'),
  );
  await run(
    '50 Zhejiang schools with branch',
    ...org(zj, 'grassrootsUnits(filter: { type: SCHOOL }, first: 50) { totalCount nodes { name organization { id } school { aeds } } }'),
  );
  await run(
    'compliance list, national HQ',
    ...org(nationalId(), 'namedMedicalInstitutionsWithoutUnit(first: 20) { totalCount nodes { name } }'),
  );
  await run(
    'Boai homes nationally, demonstration sites',
    ...org(nationalId(), 'boaiHomes(filter: { demonstration: true }, first: 20) { totalCount nodes { name } }'),
  );
  await server.apollo.stop();
} finally {
  await db.connection.dropDatabase().catch(() => undefined);
  await db.close();
}
