// Measures the people dataset load, the national indicators and a 10,000-row import, on the
// embedded server (or MONGODB_URI). Run after a build:
//   node services/people/scripts/bench.mjs [--scale default|national] [--rows 10000]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { connectDatabase, ensureIndexes } = require('@rcsc/db');
const { buildBranchTree, nationalId, personName, Random } = require('@rcsc/dataset');
const { StaticDirectory } = require('@rcsc/directory');
const { PersonalDataVault, withCheckDigit } = require('@rcsc/personal-data');
const { seed, createModels, DEFAULT_CONFIG } = require('../dist/server.js');
const { survey, annualIncrease, COUNTER_KEYS } = require('../dist/indicators.js');
const { counters } = require('../dist/counters.js');
const { valuesLoader } = require('@rcsc/counters');
const { importMembers } = require('../dist/importer.js');
const { createContext } = require('../dist/context.js');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const scale = arg('scale', 'default');
const rows = Number(arg('rows', 10_000));
const ms = (t) => `${(performance.now() - t).toFixed(0)} ms`;

const db = await connectDatabase(`bench_people_${Date.now()}`);
try {
  const models = createModels(db.connection);
  await ensureIndexes(db.connection);
  const vault = PersonalDataVault.fromEnv();

  // Cost of protecting one identifier (a keyed HMAC plus an AES-GCM encryption).
  let t = performance.now();
  for (let i = 0; i < 20_000; i++) vault.protect(`33010619900101${String(i % 1000).padStart(3, '0')}X`, 'idNumber');
  console.log(`protect(): ${(((performance.now() - t) / 20_000) * 1000).toFixed(1)} µs each`);

  t = performance.now();
  const counts = await seed(models, {
    scale,
    vault,
    onProgress: (done, total) => done % 500 === 0 && console.error(`  ${done}/${total} branches, ${ms(t)}`),
  });
  console.log(`seed (${scale}): ${ms(t)}`, counts);
  if (scale === 'default' || process.argv.includes('--again')) {
    t = performance.now();
    const again = await seed(models, { scale, vault });
    console.log(`seed again (idempotent, inserted ${again.inserted}): ${ms(t)}`);
  }

  const hq = nationalId();
  // Read through the maintained counters, as the subgraph does (one loader per request).
  const loader = () => valuesLoader(counters(models), COUNTER_KEYS);
  t = performance.now();
  console.log('national survey 2021-12-31', await survey(loader(), hq, new Date('2021-12-31T00:00:00Z')), ms(t));
  t = performance.now();
  console.log('national annual increase 2021', await annualIncrease(loader(), hq, 2021), ms(t));
  const zj = buildBranchTree().find((b) => b.divisionCode === '330000').id;
  t = performance.now();
  console.log('Zhejiang survey 2021-12-31', await survey(loader(), zj, new Date('2021-12-31T00:00:00Z')), ms(t));

  // A 10,000-row CSV import into one county branch, then the same file again.
  const county = buildBranchTree().find((b) => b.divisionCode === '330106');
  const rng = new Random(1, 'bench-import');
  const lines = ['kind,name,idNumber,phone,joinedOn'];
  for (let i = 0; i < rows; i++) {
    // Unique by construction: a birth date per thousand rows, the row number in the sequence digits.
    const born = new Date(Date.UTC(1960, 0, 1) + Math.floor(i / 1000) * 37 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const id = withCheckDigit(`330106${born}${String(i % 1000).padStart(3, '0')}`);
    lines.push(
      `ADULT,${personName(rng)},${id},139${String(rng.int(0, 99_999_999)).padStart(8, '0')},2021-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
    );
  }
  // As the county's STAFF (the import checks the role and the subtree, and audits every member).
  const services = { models, vault, config: DEFAULT_CONFIG, directory: StaticDirectory.fromTree(buildBranchTree()) };
  const viewer = { userId: 'bench', name: 'bench', organizationId: county.id, roles: ['STAFF'], token: null };
  const ctx = createContext(services)({ viewer, requestId: 'bench', log: console });
  const content = lines.join('\n');
  t = performance.now();
  const first = await importMembers(ctx, { organizationId: county.id, format: 'CSV', content });
  console.log(`import ${rows} rows (CSV): ${ms(t)}`, { ...first, errors: first.errors.slice(0, 3) });
  t = performance.now();
  const second = await importMembers(ctx, { organizationId: county.id, format: 'CSV', content });
  console.log(`same file again: ${ms(t)}`, { ...second, errors: second.errors.length });
} finally {
  await db.connection.dropDatabase().catch(() => undefined);
  await db.close();
}
