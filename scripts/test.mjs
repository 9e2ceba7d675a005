// npm test: prettier --check, then lint, typecheck and every test suite through turbo, then one closing line with the
// totals of all jest runs ("tests: N passed, N failed"). Exits with turbo's code.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Not from stack.mjs: that one needs built packages, and this runs on a fresh clone.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const require = createRequire(join(ROOT, 'package.json'));
const turbo = join(require.resolve('turbo/package.json'), '..', 'bin', 'turbo');
// Formatting first: every file as prettier writes it (`npm run format` fixes them).
const prettier = join(require.resolve('prettier/package.json'), '..', 'bin', 'prettier.cjs');
const format = spawnSync(process.execPath, [prettier, '--check', '--log-level', 'warn', '.'], { cwd: ROOT, stdio: 'inherit' });
if (format.status !== 0) {
  console.log('prettier: the files above are not formatted (npm run format)');
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

const child = spawn(process.execPath, [turbo, 'run', 'lint', 'typecheck', 'test', '--concurrency=2', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let passed = 0;
let failed = 0;
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const m = /Tests:\s+(?:(\d+) failed, )?(?:\d+ skipped, )?(?:\d+ todo, )?(?:(\d+) passed, )?\d+ total/.exec(line);
    if (m) {
      failed += Number(m[1] ?? 0);
      passed += Number(m[2] ?? 0);
    }
  }
});
child.on('close', (code) => {
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exit(code ?? 1);
});
