import { connectDatabase, ensureIndexes } from '@rcsc/db';
import { createLogger, port, readEnv, stopOnSignals } from '@rcsc/service-kit';
import { createServer, SERVICE_NAME } from './server';

async function main() {
  const env = readEnv({ PORT: port(4001) });
  const log = createLogger(SERVICE_NAME);
  const db = await connectDatabase(`rcsc_${SERVICE_NAME}`);
  const server = createServer(db.connection, log);
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
