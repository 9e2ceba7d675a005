import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { baseline as baselineOf } from './schema-values';
import { startFullStack, type FullStack } from './stack';

const baseline = (type: GraphQLInputType) => baselineOf(type, { number: 1, text: '测试' });

/** The String places of an input (one level into input objects), where text can be made bad. */
function stringPaths(type: GraphQLInputType, prefix: string[] = [], depth = 0): string[][] {
  const named = getNamedType(type);
  if (isScalarType(named) && named.name === 'String') return [prefix];
  if (!isInputObjectType(named) || depth > 1 || isListType(isNonNullType(type) ? type.ofType : type)) return [];
  return Object.values(named.getFields()).flatMap((f) => stringPaths(f.type, [...prefix, f.name], depth + 1));
}

function withValue(vars: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(vars);
  let cur = copy as Record<string, unknown>;
  for (const k of path.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  cur[path[path.length - 1]] = value;
  return copy;
}

function operationFor(field: GraphQLField<unknown, unknown>): string {
  const defs = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `mutation${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

describe('bad input to every mutation, through the gateway', () => {
  let stack: FullStack;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    stack = await startFullStack({ seed: false });
    const r = await stack.query<IntrospectionQuery>(getIntrospectionQuery());
    schema = buildClientSchema(r.data!);
  });
  afterAll(() => stack?.stop());

  const BAD_TEXT = {
    oversize: 'x'.repeat(100_000),
    control: 'a\u0000b\u001b[31m',
    bidi: '\u202e\u202dabc\ud83d\ude00\u{1d518}',
    lone: '\ud800',
  };

  it('never answers 5xx or INTERNAL_SERVER_ERROR, and names the field when the input is bad', async () => {
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let sent = 0;
    for (const m of mutations) {
      const query = operationFor(m);
      const base = Object.fromEntries(m.args.map((a) => [a.name, baseline(a.type)]));
      const cases: [string, Record<string, unknown>][] = [['nothing', {}]];
      for (const a of m.args) {
        const named = getNamedType(a.type);
        if (isEnumType(named)) cases.push([`${a.name} bad enum`, { ...base, [a.name]: 'NOT_A_VALUE' }]);
        if (named.name === 'Int') cases.push([`${a.name} as text`, { ...base, [a.name]: 'twelve' }]);
        if (named.name === 'Date') cases.push([`${a.name} impossible date`, { ...base, [a.name]: '2021-02-30' }]);
        if (named.name === 'ID') cases.push([`${a.name} not an id`, { ...base, [a.name]: '../../etc/passwd' }]);
        if (isInputObjectType(named)) {
          for (const f of Object.values(named.getFields())) {
            const t = getNamedType(f.type);
            if (t.name === 'Date') cases.push([`${a.name}.${f.name} bad date`, withValue(base, [a.name, f.name], '30/06/2021')]);
            if (isEnumType(t)) cases.push([`${a.name}.${f.name} bad enum`, withValue(base, [a.name, f.name], 'NOPE')]);
            if (t.name === 'Int' || t.name === 'Float')
              cases.push([`${a.name}.${f.name} negative huge`, withValue(base, [a.name, f.name], -1e12)]);
          }
        }
        for (const path of stringPaths(a.type, [a.name])) {
          for (const [label, text] of Object.entries(BAD_TEXT)) cases.push([`${path.join('.')} ${label}`, withValue(base, path, text)]);
        }
      }
      for (const [label, variables] of cases) {
        sent++;
        const r = await stack.query<Record<string, unknown>>(query, variables);
        const codes = (r.errors ?? []).map((e) => e.extensions?.code);
        if (r.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) {
          failures.push(`${m.name} (${label}): HTTP ${r.status} ${JSON.stringify(r.errors).slice(0, 200)}`);
        } else if (codes.includes('BAD_USER_INPUT')) {
          const fields = (r.errors ?? []).flatMap((e) => ((e.extensions?.fields as { field: string }[]) ?? []).map((f) => f.field));
          if (!fields.length && !(r.errors ?? []).some((e) => /"|input|\.|\w+:/.test(e.message)))
            failures.push(`${m.name} (${label}): no field named: ${r.errors?.[0].message}`);
        } else if (label.endsWith('oversize') && !r.errors?.length) {
          failures.push(`${m.name} (${label}): a 100,000-character text was accepted`);
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    const health = await fetch(stack.gatewayUrl.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
  });

  it('refuses malformed requests with 4xx and a message, not a crash', async () => {
    const token = await stack.token();
    const raw = (body: string, contentType = 'application/json') =>
      fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, body });
    const cases: [string, Promise<Response>, RegExp][] = [
      ['malformed JSON', raw('{"query": "{ organizations { totalCount }'), /Malformed JSON/],
      ['not GraphQL', raw('hello', 'text/plain'), /./],
      ['a JSON array', raw('[1,2,3]'), /./],
      ['no query', raw('{"variables": {}}'), /query/i],
      ['a broken document', raw(JSON.stringify({ query: '{ organization(divisionCode: ' })), /Syntax Error/],
      [
        'deep nesting',
        raw(JSON.stringify({ query: `{ organizations { nodes { ${'parent { '.repeat(60)} id ${'} '.repeat(60)} } } }` })),
        /depth/,
      ],
      [
        'an enormous document',
        raw(JSON.stringify({ query: `{ ${Array.from({ length: 30_000 }, (_, i) => `f${i}: __typename`).join(' ')} }` })),
        /./,
      ],
      ['too large a body', raw(JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(1_100_000) })), /larger than/],
    ];
    for (const [label, pending, message] of cases) {
      const res = await pending;
      const text = await res.text();
      expect([label, res.status >= 400 && res.status < 500]).toEqual([label, true]);
      expect([label, message.test(text)]).toEqual([label, true]);
    }
  });
});
