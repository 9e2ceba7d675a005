import { writeFileSync } from 'node:fs';
import { readSchemaFile } from '@rcsc/service-kit';
import { join } from 'node:path';
import { composeSupergraph } from './compose';
import { defaultUrl, REPO_ROOT, SUBGRAPHS } from './subgraphs';

/** Build step: writes gateway/supergraph.graphql; a composition error fails the build. */
export const SUPERGRAPH_FILE = join(REPO_ROOT, 'gateway', 'supergraph.graphql');

if (require.main === module) {
  try {
    const sdl = composeSupergraph(
      SUBGRAPHS.map((s) => ({ name: s.name, url: defaultUrl(s), typeDefs: readSchemaFile(join(REPO_ROOT, s.schemaPath)) })),
    );
    writeFileSync(SUPERGRAPH_FILE, sdl);
    console.log(`supergraph composed from ${SUBGRAPHS.length} subgraphs -> ${SUPERGRAPH_FILE}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
