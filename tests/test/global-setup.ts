// Seeds the default national dataset once per test run into an embedded server's snapshot:
// every seeded stack (stack.ts) opens its own copy in seconds instead of seeding for two minutes.
// On MONGODB_URI there is no snapshot and each stack seeds its own databases.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { startEmbeddedMongo } from '@rcsc/embedded-mongo';
import { PersonalDataVault } from '@rcsc/personal-data';
import { startTestService, type AnySubgraph, type TestService } from '@rcsc/testing';
import { SEEDED_SNAPSHOT_ENV, seedServices, subgraphFactories } from './stack';

export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI || process.env[SEEDED_SNAPSHOT_ENV]) return;
  // The seeded personal data is encrypted and hashed with this key; the test workers inherit it.
  process.env.PERSONAL_DATA_KEY ??= PersonalDataVault.generateKey();
  const vault = PersonalDataVault.fromEnv();
  const dir = mkdtempSync(join(tmpdir(), 'rcsc-seed-'));
  const server = await startEmbeddedMongo({ dbPath: dir });
  const services: TestService<AnySubgraph>[] = [];
  // The subgraphs are only created to seed them: a throwaway secret, not inherited by the tests.
  const secret = process.env.AUTH_JWT_SECRET;
  process.env.AUTH_JWT_SECRET ??= randomBytes(32).toString('base64');
  try {
    const factories = subgraphFactories({ directory: StaticDirectory.fromTree(buildBranchTree()), vault, gatewayUrl: () => '' });
    for (const [name, create] of factories) services.push(await startTestService(name, create, { uri: server.uri, dbName: name }));
    await seedServices(services, vault);
  } finally {
    for (const s of services) await s.db.connection.close();
    await server.stop();
    if (secret === undefined) delete process.env.AUTH_JWT_SECRET;
  }
  process.env[SEEDED_SNAPSHOT_ENV] = dir;
  (globalThis as { seededSnapshotDir?: string }).seededSnapshotDir = dir;
}
