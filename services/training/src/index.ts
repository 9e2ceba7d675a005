import { bootSubgraph } from '@rcsc/boot';
import { PersonalDataVault } from '@rcsc/personal-data';
import { createModels } from './models';
import { followed } from './followed';
import { createServer, SERVICE_NAME } from './server';

bootSubgraph({
  name: SERVICE_NAME,
  defaultPort: 4004,
  // Instructors' contact details are stored encrypted: a random key would make them unreadable after a restart.
  create: ({ connection, log, auth, directory }) =>
    createServer(connection, { directory, log, auth, vault: PersonalDataVault.fromEnv(process.env, { required: true }) }),
  // Reorganizations of the tree move the pools, classes, sessions and enrolments along with the branch.
  follow: (connection) => followed(createModels(connection)),
});
