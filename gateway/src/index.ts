import { createLogger, port, readEnv, stopOnSignals } from '@rcsc/service-kit';
import { createGateway } from './server';
import { SUBGRAPHS, subgraphUrl } from './subgraphs';

async function main() {
  const env = readEnv({ PORT: port(4000) });
  const log = createLogger('gateway');
  const urls = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, subgraphUrl(s)]));
  const running = await createGateway({ urls, log }).listen(env.PORT);
  log.info({ url: running.url, explorer: running.url.replace('/graphql', '/explorer') }, 'gateway ready');
  stopOnSignals(log, () => running.close());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
