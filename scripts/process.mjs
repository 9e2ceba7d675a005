// The container's entry point: one image, the process chosen by the command
// (`docker run rcsc gateway`, `… people`, `… seed --scale default`). Plain `node` scripts, so
// signals reach the process itself (SIGTERM drains requests).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './root.mjs';

export const PROCESSES = {
  gateway: 'gateway/dist/index.js',
  organizations: 'services/organizations/dist/index.js',
  grassroots: 'services/grassroots/dist/index.js',
  people: 'services/people/dist/index.js',
  training: 'services/training/dist/index.js',
  reporting: 'services/reporting/dist/index.js',
  seed: 'scripts/seed.mjs',
  token: 'scripts/token.mjs',
  backup: ['scripts/backup.mjs', 'backup'],
  restore: ['scripts/backup.mjs', 'restore'],
  export: 'services/reporting/dist/export-cli.js',
};

const usage = `usage: <image> <process> [args]   processes: ${Object.keys(PROCESSES).join(', ')}
       <image> <process> --check           prints the file it runs (exit 2 if unknown)`;
const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  console.log(usage);
  process.exit(name ? 0 : 2);
}
const entry = PROCESSES[name];
if (!entry) {
  console.error(`unknown process "${name}"\n${usage}`);
  process.exit(2);
}
const [file, ...fixed] = Array.isArray(entry) ? entry : [entry];
if (rest[0] === '--check') {
  const path = join(ROOT, file);
  console.log(path);
  process.exit(existsSync(path) ? 0 : 1);
}
// The chosen process replaces this one as far as signals go: forwarded, and its exit code is ours.
const child = spawn(process.execPath, [join(ROOT, file), ...fixed, ...rest], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
