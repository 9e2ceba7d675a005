import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { HttpDirectory } from '@rcsc/directory';
import { createLogger, port, readEnv, ServiceCredentials, Authenticator, stopOnSignals } from '@rcsc/service-kit';
import { z } from 'zod';
import { createServer, DEFAULT_GATEWAY_URL, SERVICE_NAME } from './server';
import { GatewayTableSource } from './table-source';

async function main() {
  const env = readEnv({
    PORT: port(4005),
    ORGANIZATIONS_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
    GATEWAY_URL: z.string().url().default(DEFAULT_GATEWAY_URL),
  });
  const log = createLogger(SERVICE_NAME);
  const auth = Authenticator.fromEnv();
  const credentials = new ServiceCredentials(auth, SERVICE_NAME);
  const directory = new HttpDirectory(env.ORGANIZATIONS_URL, {
    headers: async () => ({ authorization: await credentials.authorization() }),
  });
  // Warm the branch directory; if organizations is not up yet, the first request loads it.
  void directory.all().catch((err: unknown) => log.warn({ err }, 'branch directory not loaded yet'));
  const db = await connectDatabase(`rcsc_${SERVICE_NAME}`);
  const server = createServer(db.connection, { directory, log, auth, tables: new GatewayTableSource({ url: env.GATEWAY_URL }) });
  await ensureIndexes(db.connection);
  const running = await server.listen(env.PORT);
  log.info({ url: running.url, gateway: env.GATEWAY_URL, organizations: env.ORGANIZATIONS_URL }, `${SERVICE_NAME} subgraph ready`);
  stopOnSignals(log, async () => {
    await running.close();
    await db.close();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
