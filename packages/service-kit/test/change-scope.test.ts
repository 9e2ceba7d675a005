import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  formatWriteScope,
  MAX_SCOPE_PATHS,
  parseReadScope,
  parseWriteScope,
  readScopeOf,
  readScopePlugin,
  READ_SCOPE_EXTENSION,
  touches,
  unionWriteScopes,
} from '../src';

// Issue 22 item 3: what a write wrote and what an answer read, in branch paths.
const schema = buildSubgraphSchema(
  parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Organization @key(fields: "id") { id: ID! members: MemberList! audit: [String!]! }
    type MemberList { total: Int! nodes: [Member!]! }
    type Member @key(fields: "id") { id: ID! name: String! team: Team }
    type Team { name: String! }
    type Survey @key(fields: "organizationId asOf") { organizationId: ID! asOf: String! adultMembers: Int! }
    type Query { members: MemberList! }
  `),
);
const closed = new Set([
  'Survey.adultMembers',
  'Organization.id',
  'Organization.members',
  'MemberList.total',
  'MemberList.nodes',
  'Member.id',
  'Member.name',
]);
const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const entities = (selection: string) =>
  parse(`query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organization { ${selection} } } }`);
const reps = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Organization', id })) });

describe('change scopes', () => {
  it('the plugin judges a document once but reads the branches of each request', async () => {
    const plugin = readScopePlugin(closed);
    const answer = async (document: ReturnType<typeof parse>, variables: Record<string, unknown>) => {
      const hooks = (await plugin.requestDidStart!({} as never))!;
      const operation = document.definitions[0];
      await hooks.didResolveOperation!({ schema, document, request: { variables }, operation } as never);
      const response = { body: { kind: 'single', singleResult: {} as { extensions?: Record<string, unknown> } } };
      await hooks.willSendResponse!({ response, operation } as never);
      return response.body.singleResult.extensions?.[READ_SCOPE_EXTENSION];
    };
    const closedDoc = entities('members { total }');
    const openDoc = entities('audit');
    expect(await answer(closedDoc, reps(A))).toBe(A);
    expect(await answer(closedDoc, reps(B))).toBe(B);
    expect(await answer(openDoc, reps(A))).toBe('*');
    expect(await answer(closedDoc, reps(A, B))).toBe(`${A},${B}`);
  });

  it('reads the branches of an Organization entity fetch whose every field is closed, else anything', () => {
    expect(readScopeOf(schema, entities('members { total nodes { id name __typename } }'), reps(A, B), closed)).toEqual(new Set([A, B]));
    // An annex table's entity names its branch in its key.
    const survey = parse(
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Survey { adultMembers } } }',
    );
    expect(
      readScopeOf(schema, survey, { representations: [{ __typename: 'Survey', organizationId: A, asOf: '2024-06-01' }] }, closed),
    ).toEqual(new Set([A]));
    // A field that reads records filed elsewhere, at any depth, or one not declared.
    expect(readScopeOf(schema, entities('members { nodes { team { name } } }'), reps(A), closed)).toBe('*');
    expect(readScopeOf(schema, entities('audit'), reps(A), closed)).toBe('*');
    // Not an entity fetch of Organizations.
    expect(readScopeOf(schema, parse('{ members { total } }'), {}, closed)).toBe('*');
    expect(
      readScopeOf(
        schema,
        parse('query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { name } } }'),
        { representations: [{ __typename: 'Member', id: A }] },
        closed,
      ),
    ).toBe('*');
    expect(readScopeOf(schema, entities('members { total }'), { representations: [] }, closed)).toBe('*');
  });

  it('touches an answer only when a written path runs through a branch it read', () => {
    const zj = ['n', 'zj', 'hz', 'xh'];
    expect(touches([zj], new Set(['zj']))).toBe(true);
    expect(touches([zj], new Set(['n']))).toBe(true);
    expect(touches([zj], new Set(['js', 'gl']))).toBe(false);
    // A write somewhere above a branch does not change what is filed under it.
    expect(touches([['n', 'zj']], new Set(['xh']))).toBe(false);
    expect(touches('*', new Set(['js']))).toBe(true);
    expect(touches([zj], '*')).toBe(true);
  });

  it('writes scopes as text and back; too many paths or anything malformed is "anything"', () => {
    const scope = [
      ['n', 'zj', 'hz'],
      ['n', 'js'],
      ['n', 'zj', 'hz'],
    ];
    expect(formatWriteScope(scope)).toBe('n.js,n.zj.hz');
    expect(parseWriteScope('n.js,n.zj.hz')).toEqual([
      ['n', 'js'],
      ['n', 'zj', 'hz'],
    ]);
    expect(parseWriteScope('n.js;drop')).toBe('*');
    expect(parseWriteScope(undefined)).toBe('*');
    expect(formatWriteScope(Array.from({ length: MAX_SCOPE_PATHS + 1 }, (_, i) => ['n', `p${i}`]))).toBe('*');
    expect(unionWriteScopes([[['n', 'a']], '*'])).toBe('*');
    expect(parseReadScope(`${A},${B}`)).toEqual(new Set([A, B]));
    expect(parseReadScope(undefined)).toBe('*');
    expect(parseReadScope('')).toBe('*');
  });
});
