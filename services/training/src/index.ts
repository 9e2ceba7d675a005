import { z } from 'zod';
import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { HttpDirectory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { Authenticator, createLogger, port, readEnv, ServiceCredentials, stopOnSignals } from '@rcsc/service-kit';
import { createServer, SERVICE_NAME } from './server';

async function main() {
  const env = readEnv({
    PORT: port(4004),
    // The organizations subgraph, for the branch directory (the tree and each branch's path).
    ORGANIZATIONS_URL: z.url().default('http://127.0.0.1:4001/graphql'),
  });
  const log = createLogger(SERVICE_NAME);
  const auth = Authenticator.fromEnv();
  // Instructors' contact details are stored encrypted: a random key would make them unreadable after a restart.
  const vault = PersonalDataVault.fromEnv(process.env, { required: true });
  // The directory call carries a SERVICE token (signed with the shared secret, or SERVICE_TOKEN).
  const credentials = new ServiceCredentials(auth, SERVICE_NAME);
  const directory = new HttpDirectory(env.ORGANIZATIONS_URL, {
    headers: async () => ({ authorization: await credentials.authorization() }),
  });
  const db = await connectDatabase(`rcsc_${SERVICE_NAME}`);
  const server = createServer(db.connection, { directory, log, auth, vault });
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
