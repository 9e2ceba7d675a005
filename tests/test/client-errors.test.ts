import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { captureLogs, type CapturedLogs } from '@rcsc/testing';
import { baseline as baselineOf } from './schema-values';
import { startFullStack, type FullStack } from './stack';

// Issue 16 item 4: a client's mistake is never a server error. Every case below is generated
// from the composed API schema (its Date/DateTime and ID arguments and input fields, its
// connections), so a new argument is covered without editing this file.

/** Codes that describe the client's request; anything else (INTERNAL_SERVER_ERROR) fails a case. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'NOT_FOUND',
  'FORBIDDEN',
]);

const BAD_DATES: unknown[] = ['2021-13-45', '2026-02-30', 'garbage', '', 20210630, '2021-06-30T25:00:00Z'];
const BAD_IDS = ['not-an-id', '123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '../../etc/passwd', ''];
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const BAD_CURSORS: Record<string, string> = {
  'garbage base64': b64('\u0000\u00ff garbage ]['),
  'not base64': '!!!***',
  'JSON object': b64('{"$ne":null}'),
  'wrong types': b64('[{"$where":"1"},{"$gt":""}]'),
  'negative number': b64('-1'),
  'huge number': b64('[1e400,"ffffffffffffffffffffffff"]'),
  'bad id': b64('["x","not-an-object-id"]'),
  truncated: b64('["2021-06-30","ffffffffffff').slice(0, -3),
  'long id': b64(JSON.stringify([null, 'f'.repeat(5000)])),
  empty: '',
};

interface Case {
  label: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** What the error message must mention (an argument name, a value, a word). */
  names?: RegExp;
  /** Sent as this JSON body instead of { query, variables, operationName }. */
  body?: unknown;
  /** Sent as GET with this query string instead of a JSON POST. */
  get?: Record<string, string>;
  /** No error at all is a right answer too (an id of a record that does not exist reads as null). */
  mayPass?: boolean;
}

const baseline = (type: GraphQLInputType) => baselineOf(type, { number: 2021, text: '110000' });

const isConnection = (t: GraphQLNamedType): t is GraphQLObjectType =>
  isObjectType(t) && t.name.endsWith('Connection') && 'nodes' in t.getFields();
const required = (a: GraphQLArgument) => isNonNullType(a.type) && a.defaultValue === undefined;

type Reach = { open: string; close: string };

/**
 * The ways to reach each object type from Query: selection prefixes through fields without
 * required arguments (a connection's first nodes), e.g. `organizations(first: 2) { nodes { `
 * for Organization, shortest first. `withData` then keeps the first that reaches a record.
 */
function reachable(schema: GraphQLSchema): Map<string, Reach[]> {
  const found = new Map<string, Reach[]>();
  let frontier: [GraphQLObjectType, string, string][] = [[schema.getQueryType()!, '', '']];
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: typeof frontier = [];
    for (const [type, open, close] of frontier)
      for (const f of Object.values(type.getFields())) {
        // Only plain lists and fields (an `organization(id, divisionCode)` without both is itself refused).
        if (f.args.some((a) => !['first', 'after', 'filter', 'asOf'].includes(a.name))) continue;
        const named = getNamedType(f.type);
        const hasFirst = f.args.some((a) => a.name === 'first');
        const call = `${f.name}${hasFirst ? '(first: 2)' : ''}`;
        let target: GraphQLObjectType | null = null;
        let o = '';
        let c = '';
        if (isConnection(named)) {
          target = getNamedType(named.getFields().nodes.type) as GraphQLObjectType;
          [o, c] = [`${open}${call} { nodes { `, ` } }${close}`];
        } else if (isObjectType(named)) {
          target = named;
          [o, c] = [`${open}${call} { `, ` }${close}`];
        }
        if (!target || !isObjectType(target) || target.name.startsWith('__')) continue;
        const ways = found.get(target.name) ?? [];
        if (ways.length >= 6) continue;
        found.set(target.name, [...ways, { open: o, close: c }]);
        if (!ways.length) next.push([target, o, c]);
      }
    frontier = next;
  }
  found.set('Query', [{ open: '', close: '' }]);
  return found;
}

/** For each type, the first way that reaches a record on the seeded stack (nested fields then run). */
async function withData(stack: FullStack, ways: Map<string, Reach[]>): Promise<Map<string, Reach>> {
  const chosen = new Map<string, Reach>();
  for (const [name, candidates] of ways) {
    for (const r of candidates) {
      const probe = await stack.query<unknown>(`{ ${r.open}__typename${r.close} }`);
      if (JSON.stringify(probe.data ?? null).includes(`"__typename":"${name}"`)) {
        chosen.set(name, r);
        break;
      }
    }
    if (!chosen.has(name)) chosen.set(name, candidates[0]);
  }
  return chosen;
}

/** A field called with `args` (literals as given, the rest as variables of the field's own types). */
function fieldCall(
  field: GraphQLField<unknown, unknown>,
  literals: Record<string, string>,
): { vars: string; call: string; selection: string; variables: Record<string, unknown> } {
  const defs: string[] = [];
  const args: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const a of field.args) {
    if (a.name in literals) args.push(`${a.name}: ${literals[a.name]}`);
    else if (required(a)) {
      defs.push(`$${a.name}: ${String(a.type)}`);
      args.push(`${a.name}: $${a.name}`);
      variables[a.name] = baseline(a.type);
    }
  }
  const named = getNamedType(field.type);
  const selection = isCompositeType(named) ? ' { __typename }' : '';
  return { vars: defs.join(', '), call: `${field.name}${args.length ? `(${args.join(', ')})` : ''}`, selection, variables };
}

/** One argument set through a variable: the operation declares every argument the case sets. */
function variableCase(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  reach: { open: string; close: string },
  set: Record<string, unknown>,
): { query: string; variables: Record<string, unknown> } {
  const defs: string[] = [];
  const args: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const a of field.args) {
    if (a.name in set || required(a)) {
      defs.push(`$${a.name}: ${String(a.type)}`);
      args.push(`${a.name}: $${a.name}`);
      variables[a.name] = a.name in set ? set[a.name] : baseline(a.type);
    }
  }
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  const call = `${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection}`;
  return { query: `${kind}${defs.length ? `(${defs.join(', ')})` : ''} { ${reach.open}${call}${reach.close} }`, variables };
}

function setIn(value: Record<string, unknown>, path: string[], v: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  cur[path[path.length - 1]] = v;
  return copy;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every malformed input the schema allows us to write. */
function corpus(schema: GraphQLSchema, reach: Map<string, Reach>): Case[] {
  const cases: Case[] = [];
  const roots: ['query' | 'mutation', GraphQLObjectType, { open: string; close: string }][] = [];
  for (const [name, r] of reach) roots.push(['query', schema.getType(name) as GraphQLObjectType, r]);
  roots.push(['mutation', schema.getMutationType()!, { open: '', close: '' }]);
  for (const [kind, type, r] of roots) {
    for (const field of Object.values(type.getFields())) {
      const where = `${type.name}.${field.name}`;
      for (const a of field.args) {
        const named = getNamedType(a.type);
        // Date and DateTime arguments: as a literal in the text (queries only: a mutation's
        // literal is refused the same way) and as a variable.
        if (named.name === 'Date' || named.name === 'DateTime') {
          for (const bad of BAD_DATES) {
            const v = variableCase(kind, field, r, { [a.name]: bad });
            cases.push({ label: `${where}(${a.name}: $var ${JSON.stringify(bad)})`, ...v, names: /Date|date/ });
            if (kind === 'query') {
              const lit = fieldCall(field, { [a.name]: JSON.stringify(bad) });
              const query = `query${lit.vars ? `(${lit.vars})` : ''} { ${r.open}${lit.call}${lit.selection}${r.close} }`;
              cases.push({ label: `${where}(${a.name}: ${JSON.stringify(bad)})`, query, variables: lit.variables, names: /Date|date/ });
            }
          }
        }
        // Date fields of input objects, one level down (filters, mutation inputs).
        if (isInputObjectType(named)) {
          for (const f of Object.values(named.getFields())) {
            const t = getNamedType(f.type).name;
            if (t !== 'Date' && t !== 'DateTime') continue;
            const list = isListType(isNonNullType(a.type) ? a.type.ofType : a.type);
            const item = (baseline(named) ?? {}) as Record<string, unknown>;
            for (const bad of BAD_DATES.slice(0, kind === 'mutation' ? 2 : BAD_DATES.length)) {
              const value = setIn(item, [f.name], bad);
              const v = variableCase(kind, field, r, { [a.name]: list ? [value] : value });
              cases.push({ label: `${where}(${a.name}.${f.name}: ${JSON.stringify(bad)})`, ...v, names: /Date|date/ });
              // The same in the query text, where the input has no other required field.
              if (kind === 'query' && !Object.keys(item).length) {
                const lit = fieldCall(field, { [a.name]: `{ ${f.name}: ${JSON.stringify(bad)} }` });
                const query = `query${lit.vars ? `(${lit.vars})` : ''} { ${r.open}${lit.call}${lit.selection}${r.close} }`;
                cases.push({
                  label: `${where}(${a.name}: { ${f.name}: ${JSON.stringify(bad)} })`,
                  query,
                  variables: lit.variables,
                  names: /Date|date/,
                });
              }
            }
          }
        }
        // IDs that are no ObjectId (queries: a mutation's ids are covered by bad-input.test.ts).
        if (named.name === 'ID' && kind === 'query') {
          for (const bad of BAD_IDS) {
            const v = variableCase(kind, field, r, { [a.name]: bad });
            cases.push({
              label: `${where}(${a.name}: ${JSON.stringify(bad)})`,
              ...v,
              names: new RegExp(`${a.name}|\\bid\\b|ID`, 'i'),
              mayPass: true,
            });
          }
        }
      }
      // Crafted cursors on every connection.
      if (isConnection(getNamedType(field.type)) && field.args.some((a) => a.name === 'after')) {
        for (const [label, cursor] of Object.entries(BAD_CURSORS)) {
          const v = variableCase(kind, field, r, { after: cursor });
          cases.push({ label: `${where}(after: ${label})`, ...v, names: /after|cursor/, mayPass: cursor === '' });
        }
        for (const first of [-1, 101, 1e9]) {
          const v = variableCase(kind, field, r, { first });
          cases.push({ label: `${where}(first: ${first})`, ...v, names: /first|page/ });
        }
      }
    }
  }
  // Operation documents.
  const docs: [string, string, string | undefined, RegExp][] = [
    ['two operations without operationName', 'query A { __typename } query B { __typename }', undefined, /operationName|operation/i],
    ['unknown operationName', 'query A { __typename }', 'Nope', /Nope|operation/i],
    ['empty document', '', undefined, /query|empty|document/i],
    ['only a comment', '# nothing', undefined, /Syntax Error|query|document/i],
    ['syntax error', '{ organizations( { nodes { id } } }', undefined, /Syntax Error/],
    ['unclosed string', '{ organization(divisionCode: "11) { id } }', undefined, /Syntax Error|Unterminated/],
    ['unknown field', '{ organizations { nodez { id } } }', undefined, /nodez/],
    ['unknown argument', '{ organizations(frist: 2) { totalCount } }', undefined, /frist/],
    ['unknown type', 'query ($x: Nope) { __typename }', undefined, /Nope/],
    ['undeclared variable', '{ organization(divisionCode: $code) { id } }', undefined, /\$code/],
    ['wrong variable type', 'query ($d: Int) { syllabus(asOf: $d) { __typename } }', undefined, /\$d|Int|Date/],
    ['list for a scalar', 'query { organizations(first: [1, 2]) { totalCount } }', undefined, /first|Int/],
    ['deeply nested', `{ organizations { nodes { ${'parent { '.repeat(60)} id ${'} '.repeat(60)} } } }`, undefined, /depth/],
    ['many aliases', `{ ${Array.from({ length: 400 }, (_, i) => `a${i}: __typename`).join(' ')} }`, undefined, /alias/i],
    ['oversize document', `{ ${'__typename '.repeat(120_000)} }`, undefined, /large|size|bytes|token|alias|cost|many/i],
    ['fragment cycle', 'query { organizations { ...A } } fragment A on OrganizationConnection { ...A }', undefined, /A|cycle|spread/],
    ['subscription', 'subscription { __typename }', undefined, /ubscription/],
  ];
  for (const [label, query, operationName, names] of docs) cases.push({ label: `document: ${label}`, query, operationName, names });
  // Wrong variable types on every variable kind in the corpus.
  cases.push(
    {
      label: 'variable: string for Int',
      query: 'query ($n: Int) { organizations(first: $n) { totalCount } }',
      variables: { n: 'ten' },
      names: /\$n|Int/,
    },
    {
      label: 'variable: object for Date',
      query: 'query ($d: Date) { syllabus(asOf: $d) { __typename } }',
      variables: { d: { $gt: '' } },
      names: /\$d|Date/,
    },
    {
      label: 'variable: list for Date',
      query: 'query ($d: Date) { syllabus(asOf: $d) { __typename } }',
      variables: { d: ['2021-06-30'] },
      names: /\$d|Date/,
    },
    {
      label: 'variable: null for non-null',
      query: 'query ($y: Int!) { nationalProgress(year: $y) { __typename } }',
      variables: { y: null },
      names: /\$y/,
    },
    { label: 'variable: missing', query: 'query ($y: Int!) { nationalProgress(year: $y) { __typename } }', variables: {}, names: /\$y/ },
  );
  // GET requests: mutations, malformed variables and extensions in the query string.
  cases.push(
    { label: 'GET: a mutation', query: '', get: { query: 'mutation { __typename }' }, names: /mutation|GET|POST/i },
    { label: 'GET: malformed variables', query: '', get: { query: '{ __typename }', variables: '{nope' }, names: /variables/ },
    { label: 'GET: malformed extensions', query: '', get: { query: '{ __typename }', extensions: '[' }, names: /extensions/ },
    { label: 'GET: no query', query: '', get: { variables: '{}' }, names: /query/ },
  );
  // Request bodies of the wrong shape.
  const q = '{ __typename }';
  cases.push(
    { label: 'body: query not a string', query: '', body: { query: 5 }, names: /quer/ },
    { label: 'body: variables not an object', query: '', body: { query: q, variables: 'x' }, names: /variables/ },
    { label: 'body: variables a list', query: '', body: { query: q, variables: [1] }, names: /variables/ },
    { label: 'body: operationName not a string', query: '', body: { query: q, operationName: 5 }, names: /operationName/ },
    { label: 'body: extensions not an object', query: '', body: { query: q, extensions: 'x' }, names: /extensions/ },
    { label: 'body: a bare string', query: '', body: 'query', names: /body|POST|query/ },
    { label: 'body: null', query: '', body: null, names: /body|POST|query/ },
  );
  for (const c of cases) c.names ??= new RegExp(escape(c.label));
  return cases;
}

describe('client mistakes are never server errors (issue 16 item 4)', () => {
  let stack: FullStack;
  let schema: GraphQLSchema;
  let logs: CapturedLogs;

  beforeAll(async () => {
    logs = captureLogs();
    stack = await startFullStack();
    const r = await stack.query<IntrospectionQuery>(getIntrospectionQuery());
    schema = buildClientSchema(r.data!);
  });
  afterAll(async () => {
    await stack?.stop();
    logs?.stop();
  });

  it('answers at least 200 malformed inputs with 4xx-class codes naming what is wrong, and logs none as an error', async () => {
    const cases = corpus(schema, await withData(stack, reachable(schema)));
    expect(cases.length).toBeGreaterThan(200);
    const token = await stack.token();
    const failures: string[] = [];
    logs.lines.length = 0;
    for (const c of cases) {
      const res = c.get
        ? await fetch(`${stack.gatewayUrl}?${new URLSearchParams(c.get).toString()}`, {
            headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
          })
        : await fetch(stack.gatewayUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(
              'body' in c
                ? c.body
                : { query: c.query, variables: c.variables ?? {}, ...(c.operationName ? { operationName: c.operationName } : {}) },
            ),
          });
      const text = await res.text();
      let body: { errors?: { message: string; extensions?: { code?: string } }[] } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        failures.push(`${c.label}: HTTP ${res.status}, not JSON: ${text.slice(0, 120)}`);
        continue;
      }
      const errors = body.errors ?? [];
      const bad = errors.filter((e) => !CLIENT_CODES.has(String(e.extensions?.code)));
      if (res.status >= 500) failures.push(`${c.label}: HTTP ${res.status} ${text.slice(0, 200)}`);
      else if (bad.length)
        failures.push(
          `${c.label}: ${bad
            .map((e) => `${e.extensions?.code} ${e.message}`)
            .join('; ')
            .slice(0, 240)}`,
        );
      else if (!errors.length && !c.mayPass) failures.push(`${c.label}: accepted (HTTP ${res.status})`);
      else if (errors.length && !errors.some((e) => c.names!.test(e.message)))
        failures.push(`${c.label}: message names nothing wrong: ${errors[0].message.slice(0, 200)}`);
    }
    // A client mistake is logged (at info, as "client error"), never at error level with a stack.
    const loud = logs.lines.filter((l) => Number(l.level) >= 50 || (l.err as { stack?: string } | undefined)?.stack);
    expect({
      failures,
      loud: loud.map((l) => `${String(l.service)}: ${String(l.msg)} ${JSON.stringify(l.err ?? '').slice(0, 300)}`),
    }).toEqual({ failures: [], loud: [] });
    expect(logs.lines.some((l) => l.msg === 'client error')).toBe(true);
  });
});
