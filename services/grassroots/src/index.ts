import { buildCountersAtBoot } from '@rcsc/counters';
import { bootSubgraph } from '@rcsc/boot';
import { PersonalDataVault } from '@rcsc/personal-data';
import { ensureCounters, followed } from './counters';
import { createModels } from './models';
import { createServer, SERVICE_NAME } from './server';

bootSubgraph({
  name: SERVICE_NAME,
  defaultPort: 4002,
  // Leaders' phones are stored encrypted: a random key would make them unreadable after a restart.
  create: ({ connection, log, auth, directory }) =>
    createServer(connection, { directory, log, auth, vault: PersonalDataVault.fromEnv(process.env, { required: true }) }),
  // The annex counters are built from the units on first boot (or after their rule changes).
  prepare: buildCountersAtBoot(createModels, ensureCounters),
  // Reorganizations of the tree move the units, homes and institutions (and the counters) along.
  follow: (connection) => followed(createModels(connection)),
});
