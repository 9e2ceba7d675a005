/**
 * Loads the reporting part of the dataset alone and reports how long it took:
 *
 *   node dist/seed-cli.js [--scale default|national] [--seed N]
 *
 * Into MONGODB_URI when set, else into a fresh in-memory embedded server (a measurement).
 */
import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { bumpDataVersion } from '@rcsc/service-kit';
import { createModels } from './models';
import { seed } from './seed';

async function main() {
  const i = process.argv.indexOf('--scale');
  const scale = i > 0 ? process.argv[i + 1] : 'default';
  if (scale !== 'default' && scale !== 'national') throw new Error('--scale takes default or national');
  const s = process.argv.indexOf('--seed');
  const seedNumber = s > 0 ? Number(process.argv[s + 1]) : undefined;
  const db = await connectDatabase('rcsc_reporting');
  try {
    createModels(db.connection);
    await ensureIndexes(db.connection);
    const started = Date.now();
    const result = await seed(createModels(db.connection), { scale, seed: seedNumber });
    // Written outside any mutation: gateways must drop their cached answers.
    await bumpDataVersion(db.connection);
    console.log(`reporting ${scale}: ${JSON.stringify(result)} in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
