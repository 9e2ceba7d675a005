import { buildCountersAtBoot } from '@rcsc/counters';
import { bootSubgraph } from '@rcsc/boot';
import { PersonalDataVault } from '@rcsc/personal-data';
import { ensureCounters, followed } from './counters';
import { migrateDatedFacts } from './migrate';
import { createModels } from './models';
import { createServer, SERVICE_NAME } from './server';

bootSubgraph({
  name: SERVICE_NAME,
  defaultPort: 4002,
  // Leaders' phones are stored encrypted: a random key would make them unreadable after a restart.
  create: ({ connection, log, auth, directory }) =>
    createServer(connection, { directory, log, auth, vault: PersonalDataVault.fromEnv(process.env, { required: true }) }),
  // Records stored before dated facts get them first (once); then the annex counters are built
  // from the units on first boot (or after their rule changes).
  prepare: async (args) => {
    const migrated = await migrateDatedFacts(createModels(args.connection));
    if (migrated) args.log.info(migrated, 'dated facts added to records stored before them');
    await buildCountersAtBoot(createModels, ensureCounters)(args);
  },
  // Reorganizations of the tree move the units, homes and institutions (and the counters) along.
  follow: (connection) => followed(createModels(connection)),
});
