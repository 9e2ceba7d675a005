// The committed public API schema (gateway/public-schema.graphql) is what the gateway serves:
// front ends run codegen against it with introspection off in production.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
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

test('every type, field, argument and input field of it is described (the schema is the API documentation)', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'gateway', 'public-schema.graphql'), 'utf8'));
  const missing: string[] = [];
  for (const t of Object.values(schema.getTypeMap())) {
    if (t.name.startsWith('__')) continue;
    if (!t.description) missing.push(t.name);
    if (isObjectType(t) || isInterfaceType(t))
      for (const f of Object.values(t.getFields())) {
        if (!f.description) missing.push(`${t.name}.${f.name}`);
        for (const a of f.args) if (!a.description) missing.push(`${t.name}.${f.name}(${a.name})`);
      }
    if (isInputObjectType(t)) for (const f of Object.values(t.getFields())) if (!f.description) missing.push(`${t.name}.${f.name}`);
  }
  expect(missing).toEqual([]);
});
