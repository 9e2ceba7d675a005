import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testToken } from '@rcsc/testing';
import { nationalId } from '@rcsc/dataset';
import { startFullStack, type FullStack } from './stack';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const TOOLS = join(ROOT, '..', 'shared', 'tools');

/**
 * Contract files whose services exist. Each service's issue adds its file here; every operation
 * in these files must validate against the composed supergraph and answer with data and no
 * errors through the gateway, on the national dataset.
 */
const IMPLEMENTED = ['01', '02', '03', '04', '05'];

describe('the public contract (../shared/contract), through the gateway on the national dataset', () => {
  let stack: FullStack;

  beforeAll(async () => {
    if (!existsSync(TOOLS)) throw new Error(`The shared contract tools are missing at ${TOOLS}`);
    stack = await startFullStack();
  });
  afterAll(() => stack?.stop());

  it('validates against the built supergraph file (check-contract.mjs)', async () => {
    const out = await run(process.execPath, [join(TOOLS, 'check-contract.mjs')], { cwd: ROOT }).catch((e) => e);
    const lines = String(out.stdout).split('\n');
    for (const prefix of IMPLEMENTED) {
      const mine = lines.filter((l) => l.includes(` ${prefix}-`));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.filter((l) => !l.startsWith('ok'))).toEqual([]);
    }
  });

  it.each(IMPLEMENTED)('answers every operation of %s-*.graphql (run-contract.mjs)', async (prefix) => {
    const out = await run(process.execPath, [join(TOOLS, 'run-contract.mjs'), stack.gatewayUrl], {
      cwd: ROOT,
      env: { ...process.env, CONTRACT_ONLY: prefix, CONTRACT_TOKEN: await testToken({ roles: ['ADMIN'], org: nationalId() }) },
    }).catch((e) => e);
    const text = String(out.stdout);
    expect(text).toMatch(/^ok /m);
    expect(text).not.toMatch(/^FAIL/m);
    expect(out.code ?? 0).toBe(0);
  });
});
