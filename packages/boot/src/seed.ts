// Loading a service's part of the synthetic dataset (npm start, npm run seed, the bench): one
// place for how a bulk load is made, whichever script asks.
import { buildIndexes, connectDatabase } from '@rcsc/db';
import { bumpDataVersion } from '@rcsc/service-kit';
import type { Connection } from 'mongoose';

/** What a service package exports for loading: its models and its seed (services/<name>/src/seed.ts). */
export interface SeedableService {
  createModels(connection: Connection): Record<string, { init(): Promise<unknown> }>;
  seed?(models: never, opts: Record<string, unknown>): Promise<unknown>;
}

/**
 * Loads one service's part into `rcsc_<name>` on `uri`: the records first with no secondary
 * index (on an empty database), then each index built once over them, as MongoDB advises for
 * bulk loads (at national scale this saves the index update per record, the largest part of
 * the load); then the data version moves, so gateways drop cached answers. A load into a
 * database that has the indexes already keeps them up to date as it writes. Returns the seed's
 * counts, or null when the service has no seed.
 */
export async function seedService(
  uri: string,
  name: string,
  service: SeedableService,
  opts: Record<string, unknown>,
): Promise<{ result: unknown; seconds: number } | null> {
  if (typeof service.seed !== 'function') return null;
  // The embedded server builds an index in one go and answers nothing meanwhile (a minute for the
  // largest at national scale; mongod builds in the background): the monitor waits that long.
  const db = await connectDatabase(`rcsc_${name}`, { uri, autoIndex: false, connectTimeoutMS: 10 * 60_000 });
  try {
    const started = Date.now();
    const models = service.createModels(db.connection);
    // the collections exist before the first write (autoIndex off: init creates no index)
    await Promise.all(Object.values(models).map((m) => m.init()));
    const result = await service.seed(models as never, opts);
    // the index builds are a good part of a large load: their progress is shown alike
    await buildIndexes(db.connection, opts.onProgress ? loadProgress(`${name} indexes`) : undefined);
    // Written outside any mutation: move the data version.
    await bumpDataVersion(db.connection);
    return { result, seconds: (Date.now() - started) / 1000 };
  } finally {
    await db.close();
  }
}

/**
 * Progress of a load on stderr, with an estimate of the time left from the rate so far: on a
 * terminal one line rewritten at most every 200 ms; in a log (CI, a file) a line every 30 s and
 * the final count, since `\r` lines would fill it.
 */
export function loadProgress(label: string, out: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  const started = Date.now();
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    const final = done >= total;
    if (!final && now - last < (out.isTTY ? 200 : 30_000)) return;
    last = now;
    const elapsed = (now - started) / 1000;
    const left = done > 0 && !final ? `, about ${formatSeconds((elapsed * (total - done)) / done)} left` : '';
    const line = `  ${label.padEnd(14)} ${done}/${total} (${Math.floor((100 * done) / total)}%) in ${formatSeconds(elapsed)}${left}`;
    out.write(out.isTTY ? `\r${line.padEnd(78)}${final ? '\n' : ''}` : `${line}\n`);
  };
}

function formatSeconds(s: number): string {
  return s < 90 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
