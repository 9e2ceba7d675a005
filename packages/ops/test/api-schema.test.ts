// The committed public API schema (gateway/public-schema.graphql) is what the gateway serves:
// front ends run codegen against it with introspection off in production.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './helpers';

test('gateway/public-schema.graphql is the API schema of the current supergraph', () => {
  const r = run(process.execPath, ['scripts/api-schema.mjs', '--check'], undefined, 120_000);
  expect([r.code, r.stdout.trim()]).toEqual([0, 'public schema up to date']);
});

test('it has no internal fields or federation machinery', () => {
  const sdl = readFileSync(join(ROOT, 'gateway', 'public-schema.graphql'), 'utf8');
  expect(sdl).toMatch(/type Query \{/);
  expect(sdl).not.toMatch(/branchDirectory|BranchDirectoryEntry|join__|link__|_entities|_Service/);
});
