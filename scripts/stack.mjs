// What `npm start` and `npm run seed` share: the list of services and the dataset loader.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './root.mjs';

export { ROOT };
const require = createRequire(join(ROOT, 'package.json'));

/** The subgraphs, from the gateway's registry (one place for names and ports). */
export const SUBGRAPHS = require('@rcsc/gateway/dist/subgraphs.js').SUBGRAPHS;

/**
 * Loads the national dataset into every service's database on `uri`: each service generates and
 * writes its own part (no service writes another's database). Idempotent. `only`: these services' parts.
 */
export async function loadDataset(uri, { seed, scale, only } = {}) {
  const { loadProgress, seedService } = require('@rcsc/boot');
  const { PersonalDataVault } = require('@rcsc/personal-data');
  const vault = PersonalDataVault.fromEnv(process.env, { required: true });
  for (const s of SUBGRAPHS) {
    if (only && !only.includes(s.name)) continue;
    const loaded = await seedService(uri, s.name, require(`@rcsc/${s.name}`), { seed, scale, vault, onProgress: loadProgress(s.name) });
    if (loaded) console.log(`  ${s.name.padEnd(14)} ${JSON.stringify(loaded.result)} in ${loaded.seconds.toFixed(1)} s`);
  }
}
