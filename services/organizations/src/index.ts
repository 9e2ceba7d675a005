import { bootSubgraph } from '@rcsc/boot';
import { createServer, SERVICE_NAME } from './server';

bootSubgraph({ name: SERVICE_NAME, defaultPort: 4001, create: ({ connection, log, auth }) => createServer(connection, log, auth) });
