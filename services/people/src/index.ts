import { buildCountersAtBoot } from '@rcsc/counters';
import { bootSubgraph } from '@rcsc/boot';
import { PersonalDataVault } from '@rcsc/personal-data';
import { loadConfig } from './config';
import { ensureCounters, followed } from './counters';
import { createModels } from './models';
import { createServer, SERVICE_NAME } from './server';

bootSubgraph({
  name: SERVICE_NAME,
  defaultPort: 4003,
  // Identity numbers and phones are stored encrypted and hashed with keys from PERSONAL_DATA_KEY:
  // a random key would make them unreadable (and duplicates unrecognisable) after a restart.
  create: ({ connection, log, auth, directory }) =>
    createServer(connection, { directory, log, auth, vault: PersonalDataVault.fromEnv(process.env, { required: true }) }),
  // The annex counters are built from the registers on first boot, or after their rules or the
  // lapse policy changed (stored standings are then derived again from the dues ledger first).
  prepare: buildCountersAtBoot(createModels, (models) => ensureCounters(models, loadConfig())),
  // Reorganizations of the tree move the registers (and the counters) along with the branch.
  follow: (connection) => followed(createModels(connection)),
});
