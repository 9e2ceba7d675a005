import { buildCountersAtBoot } from '@rcsc/counters';
import { ensureCounters } from './counters';
import { createModels } from './models';
import { bootSubgraph } from '@rcsc/boot';
import { createServer, SERVICE_NAME } from './server';

bootSubgraph({
  name: SERVICE_NAME,
  defaultPort: 4001,
  create: ({ connection, log, auth }) => createServer(connection, log, auth),
  // The annex counters are built from the branches and terms on first boot (or after their rules change).
  prepare: buildCountersAtBoot(createModels, ensureCounters),
});
