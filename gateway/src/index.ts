import { createLogger, port, readEnv, readGatewayConfig, startTracing, stopOnSignals } from '@rcsc/service-kit';
import { DEFAULT_LIMITS } from './limits';
import { createGateway } from './server';
import { SUBGRAPHS, subgraphUrl } from './subgraphs';

async function main() {
  // Every variable checked at boot: a wrong limit or origin stops the gateway with its name.
  const config = readGatewayConfig();
  const env = readEnv({ PORT: port(4000) });
  const log = createLogger('gateway');
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/deployment.md).
  const tracing = await startTracing('gateway');
  const urls = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, subgraphUrl(s)]));
  const running = await createGateway({
    urls,
    log,
    corsOrigins: config.corsOrigins,
    maxBodyBytes: config.BODY_LIMIT_BYTES,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    // Only the numbers come from here; limits.ts decides what they mean.
    limits: {
      ...DEFAULT_LIMITS,
      maxDepth: config.GATEWAY_MAX_DEPTH,
      maxAliases: config.GATEWAY_MAX_ALIASES,
      maxCost: config.GATEWAY_MAX_COST,
      maxPageSize: config.GATEWAY_MAX_PAGE_SIZE,
    },
  }).listen(env.PORT);
  log.info(
    { url: running.url, explorer: running.url.replace('/graphql', '/explorer'), cors: config.corsOrigins, tracing: Boolean(tracing) },
    'gateway ready',
  );
  stopOnSignals(log, async () => {
    await running.close();
    await tracing?.shutdown();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
