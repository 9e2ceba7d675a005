// The scripts' argument parsing: node:util parseArgs in strict mode with --help (service-kit's
// parseCli, shared with the TypeScript CLIs).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './root.mjs';

export const { parseCli } = createRequire(join(ROOT, 'package.json'))('@rcsc/service-kit');
