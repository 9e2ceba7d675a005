// Strict command lines (issue 18): --help prints the usage and exits 0 without doing anything;
// an unknown flag or a bad value exits 2 with a message and no stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, run } from './helpers';

const node = process.execPath;
// A database and a gateway nobody listens on: a CLI that ignored --help would fail to connect (exit 1).
const nowhere = cleanEnv({
  MONGODB_URI: 'mongodb://127.0.0.1:9/none?serverSelectionTimeoutMS=500',
  GATEWAY_URL: 'http://127.0.0.1:9/graphql',
});

const CLIS: [name: string, args: string[]][] = [
  ['start', ['scripts/start.mjs']],
  ['seed', ['scripts/seed.mjs']],
  ['token', ['scripts/token.mjs']],
  ['soak', ['scripts/soak.mjs']],
  ['backup', ['scripts/backup.mjs', 'backup']],
  ['restore', ['scripts/backup.mjs', 'restore']],
  ['bench', ['packages/bench/dist/bench.js']],
  ['export', ['services/reporting/dist/export-cli.js']],
];

describe.each(CLIS)('%s', (name, args) => {
  test('--help prints the usage on stdout and exits 0', () => {
    const r = run(node, [...args, '--help'], nowhere);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^usage: /);
    expect(r.stdout).toMatch(/--help/);
  });

  test('an unknown flag exits 2 with the reason and the usage, no stack trace', () => {
    const r = run(node, [...args, '--bogus-flag', 'x'], nowhere);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--bogus-flag'/);
    expect(r.stderr).toMatch(/usage: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('values', () => {
  test('seed --help with MONGODB_URI set loads nothing', () => {
    const r = run(node, ['scripts/seed.mjs', '--help'], nowhere);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/dataset loaded/);
  });

  test.each([
    [['--format', 'pdf'], /--format takes csv or xlsx, not "pdf"/],
    [['--source', 'bogus'], /--source takes live or submitted, not "bogus"/],
    [['--year', 'twenty'], /--year takes a whole number/],
  ])('export %p is refused with exit 2 before any request', (bad, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'rcsc-export-'));
    try {
      const r = run(node, ['services/reporting/dist/export-cli.js', '--branch', '330000', '--year', '2021', '--out', dir, ...bad], nowhere);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('seed --scale huge, soak --workers 0, bench --duration x, start --port-base 80 and restore without a folder exit 2', () => {
    for (const args of [
      ['scripts/seed.mjs', '--scale', 'huge'],
      ['scripts/soak.mjs', '--workers', '0'],
      ['packages/bench/dist/bench.js', '--duration', 'x'],
      ['scripts/start.mjs', '--port-base', '80'],
      ['scripts/backup.mjs', 'restore'],
    ]) {
      const r = run(node, args, nowhere);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
    }
  });
});

describe('npm run -s token', () => {
  test('prints only the token on stdout (the README recipe CONTRACT_TOKEN=$(npm run -s token) works)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rcsc-token-'));
    try {
      const r = run('npm', ['run', '-s', 'token', '--', '--role', 'VIEWER'], cleanEnv({ RCSC_KEYS_FILE: join(dir, 'keys.json') }), 120_000);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const claims = JSON.parse(Buffer.from(r.stdout.split('.')[1], 'base64url').toString('utf8'));
      expect(claims.roles).toEqual(['VIEWER']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('config checked at boot', () => {
  const secret = { AUTH_JWT_SECRET: 'k'.repeat(44), PORT: '0' };
  test('the gateway stops at once naming a wrong variable', () => {
    const depth = run(node, ['gateway/dist/index.js'], cleanEnv({ ...secret, GATEWAY_MAX_DEPTH: 'deep' }));
    expect(depth.code).toBe(1);
    expect(depth.stderr).toMatch(/Invalid environment:\n\s+GATEWAY_MAX_DEPTH: /);
    const cors = run(node, ['gateway/dist/index.js'], cleanEnv({ ...secret, CORS_ORIGINS: 'localhost:5173' }));
    expect(cors.code).toBe(1);
    expect(cors.stderr).toMatch(/CORS_ORIGINS: localhost:5173 is not an origin/);
  });

  test('a subgraph stops at once naming a wrong MONGODB_URI, before connecting', () => {
    const r = run(node, ['services/people/dist/index.js'], cleanEnv({ ...secret, MONGODB_URI: 'postgres://db/x' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Invalid environment:\n\s+MONGODB_URI: a mongodb:\/\/ or mongodb\+srv:\/\/ URI/);
  });
});
