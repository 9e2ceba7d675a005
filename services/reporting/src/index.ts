import { z } from 'zod';
import { bootSubgraph } from '@rcsc/boot';
import { readEnv } from '@rcsc/service-kit';
import { createServer, DEFAULT_GATEWAY_URL, SERVICE_NAME } from './server';
import { GatewayTableSource } from './table-source';
import { createModels } from './models';
import { followed } from './followed';

bootSubgraph({
  name: SERVICE_NAME,
  defaultPort: 4005,
  create: ({ connection, log, auth, directory }) => {
    // Live table values come from the supergraph, through the gateway, never from other databases.
    const env = readEnv({ GATEWAY_URL: z.string().url().default(DEFAULT_GATEWAY_URL) });
    // Warm the branch directory; if organizations is not up yet, the first request loads it.
    void directory.all().catch((err: unknown) => log.warn({ err }, 'branch directory not loaded yet'));
    return createServer(connection, { directory, log, auth, tables: new GatewayTableSource({ url: env.GATEWAY_URL }) });
  },
  // Reorganizations of the tree move submissions, targets and task statuses along with the branch.
  follow: (connection) => followed(createModels(connection)),
});
