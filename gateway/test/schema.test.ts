import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from 'graphql';
import { SUPERGRAPH_FILE } from '../src/build-supergraph';

const INTERNAL = /^(join__|link__|_)/;

/** The explorer documents the graph: every type, field and enum value carries a description. */
describe('the composed supergraph', () => {
  const schema = buildSchema(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  const types = Object.values(schema.getTypeMap()).filter(
    (t) =>
      !t.name.startsWith('__') && !INTERNAL.test(t.name) && !(isScalarType(t) && isSpecifiedScalarType(t)) && t.name !== 'link__Import',
  );

  it('has a description on every type', () => {
    expect(types.filter((t) => !t.description?.trim()).map((t) => t.name)).toEqual([]);
  });

  it('has a description on every field, input field and enum value', () => {
    const missing: string[] = [];
    for (const t of types) {
      if (isObjectType(t) || isInterfaceType(t) || isInputObjectType(t)) {
        for (const f of Object.values(t.getFields())) {
          if (INTERNAL.test(f.name)) continue;
          if (!f.description?.trim()) missing.push(`${t.name}.${f.name}`);
        }
      }
      if (isEnumType(t)) for (const v of t.getValues()) if (!v.description?.trim()) missing.push(`${t.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });
});
