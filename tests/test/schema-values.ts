import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType } from 'graphql';

/**
 * A value of the right type for every required place of an input, so that only the value under
 * test is wrong and the rest reaches the resolvers' own checks. `number` and `text` fill Int/Float
 * and String (and other scalars).
 */
export function baseline(type: GraphQLInputType, fill: { number: number; text: string }, depth = 0): unknown {
  if (isNonNullType(type)) return baseline(type.ofType, fill, depth);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields()))
      if (isNonNullType(f.type) && f.defaultValue === undefined && depth < 4) out[f.name] = baseline(f.type, fill, depth + 1);
    return out;
  }
  switch (getNamedType(type).name) {
    case 'Int':
    case 'Float':
      return fill.number;
    case 'Boolean':
      return false;
    case 'ID':
      return 'f'.repeat(24);
    case 'Date':
      return '2021-06-30';
    case 'DateTime':
      return '2021-06-30T00:00:00Z';
    default:
      return fill.text;
  }
}
