import { buildCountersAtBoot } from '@rcsc/counters';
import { bootSubgraph } from '@rcsc/boot';
import { PersonalDataVault } from '@rcsc/personal-data';
import { readEnv, ServiceCredentials } from '@rcsc/service-kit';
import { z } from 'zod';
import { loadConfig } from './config';
import { ensureCounters, followed } from './counters';
import { createModels } from './models';
import { migrate } from './migrations';
import { createServer, SERVICE_NAME } from './server';
import { HttpUnitLookup } from './units';

bootSubgraph({
  name: SERVICE_NAME,
  defaultPort: 4003,
  // Identity numbers and phones are stored encrypted and hashed with keys from PERSONAL_DATA_KEY:
  // a random key would make them unreadable (and duplicates unrecognisable) after a restart.
  // Grassroots unit references are checked against the grassroots subgraph, as a SERVICE.
  create: ({ connection, log, auth, directory }) => {
    const { GRASSROOTS_URL } = readEnv({ GRASSROOTS_URL: z.string().url().default('http://127.0.0.1:4002/graphql') });
    const credentials = new ServiceCredentials(auth, SERVICE_NAME);
    const units = new HttpUnitLookup(GRASSROOTS_URL, async () => ({ authorization: await credentials.authorization() }));
    const vault = PersonalDataVault.fromEnv(process.env, { required: true });
    return createServer(connection, { directory, log, auth, vault, units });
  },
  // The annex counters are built from the registers on first boot, or after their rules or the
  // lapse policy changed (stored standings are then derived again from the dues ledger first).
  // Records stored before current keys existed get theirs first (rejoining, issue 19.4).
  prepare: buildCountersAtBoot(createModels, async (models) => {
    await migrate(models);
    return ensureCounters(models, loadConfig());
  }),
  // Reorganizations of the tree move the registers (and the counters) along with the branch.
  follow: (connection) => followed(createModels(connection)),
});
