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
    type Survey @key(fields: "organizationId asOf") { organizationId: ID! asOf: String! adultMembers: Int! audit: [String!]! }
    type AnnualIncrease @key(fields: "organizationId year baseYear") { organizationId: ID! year: Int! baseYear: Int! adultMembers: Int! }
    type Query { members: MemberList! }
  `),
);
const dated = new Set(['Survey.organizationId', 'Survey.asOf', 'Survey.adultMembers', 'AnnualIncrease.adultMembers']);
const closed = new Set([
  ...dated,
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
    const plugin = readScopePlugin({ closed });
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
    expect(readScopeOf(schema, entities('members { total nodes { id name __typename } }'), reps(A, B), { closed })).toEqual(
      new Set([A, B]),
    );
    // An annex table's entity names its branch in its key.
    const survey = parse(
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Survey { adultMembers } } }',
    );
    expect(
      readScopeOf(schema, survey, { representations: [{ __typename: 'Survey', organizationId: A, asOf: '2024-06-01' }] }, { closed }),
    ).toEqual(new Set([A]));
    // A field that reads records filed elsewhere, at any depth, or one not declared.
    expect(readScopeOf(schema, entities('members { nodes { team { name } } }'), reps(A), { closed })).toBe('*');
    expect(readScopeOf(schema, entities('audit'), reps(A), { closed })).toBe('*');
    // Not an entity fetch of Organizations.
    expect(readScopeOf(schema, parse('{ members { total } }'), {}, { closed })).toBe('*');
    expect(
      readScopeOf(
        schema,
        parse('query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { name } } }'),
        { representations: [{ __typename: 'Member', id: A }] },
        { closed },
      ),
    ).toBe('*');
    expect(readScopeOf(schema, entities('members { total }'), { representations: [] }, { closed })).toBe('*');
  });

  it('touches an answer only when a written path runs through a branch it read', () => {
    const zj = { ids: ['n', 'zj', 'hz', 'xh'] };
    expect(touches([zj], new Set(['zj']))).toBe(true);
    expect(touches([zj], new Set(['n']))).toBe(true);
    expect(touches([zj], new Set(['js', 'gl']))).toBe(false);
    // A write somewhere above a branch does not change what is filed under it.
    expect(touches([{ ids: ['n', 'zj'] }], new Set(['xh']))).toBe(false);
    expect(touches('*', new Set(['js']))).toBe(true);
    expect(touches([zj], '*')).toBe(true);
  });

  it('an answer about a day outlives writes whose counters begin later, not earlier ones nor undated reads', () => {
    const joinedToday = { ids: ['n', 'zj', 'hz'], datedFrom: '2026-11-01' };
    const backdated = { ids: ['n', 'zj', 'hz'], datedFrom: '2021-06-01' };
    const uncounted = { ids: ['n', 'zj', 'hz'], datedFrom: null };
    const unknown = { ids: ['n', 'zj', 'hz'] };
    const surveyOfZj2021 = new Set(['zj@2021-12-31']);
    expect(touches([joinedToday], surveyOfZj2021)).toBe(false);
    expect(touches([backdated], surveyOfZj2021)).toBe(true);
    // The day itself counts (deltas dated on or before it).
    expect(touches([{ ids: ['n', 'zj'], datedFrom: '2021-12-31' }], surveyOfZj2021)).toBe(true);
    expect(touches([uncounted], surveyOfZj2021)).toBe(false);
    expect(touches([unknown], surveyOfZj2021)).toBe(true);
    // A list (an undated read of the same branch) sees every write.
    expect(touches([joinedToday], new Set(['zj']))).toBe(true);
    expect(touches([uncounted], new Set(['js@2021-12-31', 'zj']))).toBe(true);
    expect(touches([joinedToday], new Set(['js@2030-01-01']))).toBe(false);
  });

  it('reads an annex table entity as of its day only when every field is dated', () => {
    const fields = { closed, dated };
    const survey = (selection: string) =>
      parse(`query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Survey { ${selection} } } }`);
    const annual = parse(
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on AnnualIncrease { adultMembers } } }',
    );
    const on = (asOf: unknown) => ({ representations: [{ __typename: 'Survey', organizationId: A, asOf }] });
    expect(readScopeOf(schema, survey('organizationId asOf adultMembers __typename'), on('2021-12-31'), fields)).toEqual(
      new Set([`${A}@2021-12-31`]),
    );
    expect(
      readScopeOf(
        schema,
        annual,
        { representations: [{ __typename: 'AnnualIncrease', organizationId: B, year: 2021, baseYear: 2020 }] },
        fields,
      ),
    ).toEqual(new Set([`${B}@2021-12-31`]));
    // Without a usable day the branch is read on every day; an undeclared field reads anything.
    expect(readScopeOf(schema, survey('adultMembers'), on('soon'), fields)).toEqual(new Set([A]));
    expect(readScopeOf(schema, survey('adultMembers audit'), on('2021-12-31'), fields)).toBe('*');
    // Closed but not dated: the branch on every day.
    expect(readScopeOf(schema, entities('members { total }'), reps(A), fields)).toEqual(new Set([A]));
    // A subgraph that declares no dated fields reads branches on every day.
    expect(readScopeOf(schema, survey('adultMembers'), on('2021-12-31'), { closed })).toEqual(new Set([A]));
  });

  it('writes scopes as text and back; too many paths or anything malformed is "anything"', () => {
    const scope = [{ ids: ['n', 'zj', 'hz'] }, { ids: ['n', 'js'] }, { ids: ['n', 'zj', 'hz'] }];
    expect(formatWriteScope(scope)).toBe('n.js,n.zj.hz');
    expect(parseWriteScope('n.js,n.zj.hz')).toEqual([{ ids: ['n', 'js'] }, { ids: ['n', 'zj', 'hz'] }]);
    const dated = [
      { ids: ['n', 'zj'], datedFrom: '2026-11-01' },
      { ids: ['n', 'js'], datedFrom: null },
    ];
    expect(formatWriteScope(dated)).toBe('n.js@-,n.zj@2026-11-01');
    expect(parseWriteScope('n.js@-,n.zj@2026-11-01')).toEqual([
      { ids: ['n', 'js'], datedFrom: null },
      { ids: ['n', 'zj'], datedFrom: '2026-11-01' },
    ]);
    expect(parseWriteScope('n.js@tomorrow')).toBe('*');
    expect(parseWriteScope('n.js@2026-11-01@x')).toBe('*');
    expect(parseWriteScope('n.js;drop')).toBe('*');
    expect(parseWriteScope(undefined)).toBe('*');
    expect(formatWriteScope(Array.from({ length: MAX_SCOPE_PATHS + 1 }, (_, i) => ({ ids: ['n', `p${i}`] })))).toBe('*');
    expect(unionWriteScopes([[{ ids: ['n', 'a'] }], '*'])).toBe('*');
    expect(parseReadScope(`${A},${B}`)).toEqual(new Set([A, B]));
    expect(parseReadScope(`${A}@2021-12-31,${B}`)).toEqual(new Set([`${A}@2021-12-31`, B]));
    expect(parseReadScope(`${A}@later`)).toBe('*');
    expect(parseReadScope(undefined)).toBe('*');
    expect(parseReadScope('')).toBe('*');
  });
});
