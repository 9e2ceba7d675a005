import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { HttpDirectory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import { Authenticator, createLogger, port, readEnv, ServiceCredentials, stopOnSignals } from '@rcsc/service-kit';
import { z } from 'zod';
import { createServer, SERVICE_NAME } from './server';

async function main() {
  const env = readEnv({
    PORT: port(4003),
    // The organizations subgraph, for the branch directory (the tree and each branch's path).
    ORGANIZATIONS_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
  });
  const log = createLogger(SERVICE_NAME);
  const auth = Authenticator.fromEnv();
  // Identity numbers and phones are stored encrypted and hashed with keys from PERSONAL_DATA_KEY:
  // a random key would make them unreadable (and duplicates unrecognisable) after a restart.
  const vault = PersonalDataVault.fromEnv(process.env, { required: true });
  // The directory call carries a SERVICE token (signed with the shared secret, or SERVICE_TOKEN).
  const credentials = new ServiceCredentials(auth, SERVICE_NAME);
  const directory = new HttpDirectory(env.ORGANIZATIONS_URL, {
    headers: async () => ({ authorization: await credentials.authorization() }),
  });
  const db = await connectDatabase(`rcsc_${SERVICE_NAME}`);
  const server = createServer(db.connection, { directory, log, vault, auth });
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
