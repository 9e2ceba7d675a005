// What `npm start` and `npm run seed` share: the list of services and the dataset loader.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './root.mjs';

export { ROOT };
const require = createRequire(join(ROOT, 'package.json'));

/** The subgraphs, from the gateway's registry (one place for names and ports). */
export const SUBGRAPHS = require('@rcsc/gateway/dist/subgraphs.js').SUBGRAPHS;

/**
 * Progress on one terminal line (stderr), e.g. "organizations  [####....] 1200/3345"; when stderr
 * is not a terminal (a log file, CI) only the final count, since `\r` lines would fill the log.
 */
export function progress(label, tty = process.stderr.isTTY) {
  let last = 0;
  return (done, total) => {
    if (!tty) {
      if (done >= total) process.stderr.write(`  ${label.padEnd(14)} ${done}/${total}\n`);
      return;
    }
    const now = Date.now();
    if (done < total && now - last < 200) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r  ${label.padEnd(14)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) process.stderr.write('\n');
  };
}

/**
 * Loads the national dataset into every service's database on `uri`: each service generates and
 * writes its own part (no service writes another's database). Idempotent. `only`: these services' parts.
 */
export async function loadDataset(uri, { seed, scale, only } = {}) {
  const { connectDatabase } = require('@rcsc/db');
  const { PersonalDataVault } = require('@rcsc/personal-data');
  const { bumpDataVersion } = require('@rcsc/service-kit');
  const vault = PersonalDataVault.fromEnv(process.env, { required: true });
  for (const s of SUBGRAPHS) {
    const service = require(`@rcsc/${s.name}`);
    if (typeof service.seed !== 'function' || (only && !only.includes(s.name))) continue;
    const db = await connectDatabase(`rcsc_${s.name}`, { uri });
    try {
      const models = service.createModels(db.connection);
      await Promise.all(Object.values(models).map((m) => m.init()));
      const started = Date.now();
      const result = await service.seed(models, { seed, scale, vault, onProgress: progress(s.name) });
      // Written outside any mutation: move the data version, so gateways drop cached answers.
      await bumpDataVersion(db.connection);
      console.log(`  ${s.name.padEnd(14)} ${JSON.stringify(result)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await db.close();
    }
  }
}
