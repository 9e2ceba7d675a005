import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { HttpDirectory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { createLogger, port, readEnv, stopOnSignals } from '@rcsc/service-kit';
import { z } from 'zod';
import { createServer, SERVICE_NAME } from './server';

async function main() {
  const env = readEnv({
    PORT: port(4003),
    ORGANIZATIONS_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
    NODE_ENV: z.string().optional(),
  });
  const log = createLogger(SERVICE_NAME);
  // Without PERSONAL_DATA_KEY the key is random and lost at exit: stored identity numbers could
  // not be matched or revealed after a restart. Required in production.
  const vault = PersonalDataVault.fromEnv(process.env, { required: env.NODE_ENV === 'production' });
  if (!process.env.PERSONAL_DATA_KEY) log.warn('PERSONAL_DATA_KEY is not set: using a throw-away key (development only)');
  const db = await connectDatabase(`rcsc_${SERVICE_NAME}`);
  const server = createServer(db.connection, { directory: new HttpDirectory(env.ORGANIZATIONS_URL), log, vault });
  await ensureIndexes(db.connection);
  const running = await server.listen(env.PORT);
  log.info({ url: running.url }, `${SERVICE_NAME} subgraph ready`);
  stopOnSignals(log, async () => {
    await running.close();
    await db.close();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
