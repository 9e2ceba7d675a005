import { GraphQLError } from 'graphql';
import {
  addYears,
  checkNotOwnDescendant,
  checkParentLevel,
  createOrganizationInput,
  holdsOn,
  isOverdue,
  recordTermChangeInput,
} from '../src/rules';
import { parseInput } from '@rcsc/service-kit';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    const err = e as GraphQLError;
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    return (err.extensions.fields as { field: string }[]).map((f) => f.field);
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('dated facts', () => {
  it('hold from since (inclusive) until until (exclusive)', () => {
    const p = { since: d('2020-03-01'), until: d('2021-03-01') };
    expect(holdsOn(p, d('2020-02-29'))).toBe(false);
    expect(holdsOn(p, d('2020-03-01'))).toBe(true);
    expect(holdsOn(p, d('2021-02-28'))).toBe(true);
    expect(holdsOn(p, d('2021-03-01'))).toBe(false);
    expect(holdsOn({ since: d('2020-01-01'), until: null }, d('2030-01-01'))).toBe(true);
    expect(holdsOn(null, d('2030-01-01'))).toBe(false);
  });

  it('adds years across leap days', () => {
    expect(addYears(d('2016-02-29'), 5).toISOString().slice(0, 10)).toBe('2021-03-01');
    expect(addYears(d('2016-06-30'), 5).toISOString().slice(0, 10)).toBe('2021-06-30');
  });
});

describe('terms', () => {
  const term = { congressDate: d('2015-05-10'), dueDate: d('2020-05-10'), endedOn: null };
  it('are overdue once in force past their due date', () => {
    expect(isOverdue(term, d('2020-05-10'))).toBe(false);
    expect(isOverdue(term, d('2020-05-11'))).toBe(true);
  });
  it('are not overdue once a new congress ended them', () => {
    expect(isOverdue({ ...term, endedOn: d('2021-01-05') }, d('2021-06-30'))).toBe(false);
    expect(isOverdue({ ...term, endedOn: d('2021-01-05') }, d('2020-12-31'))).toBe(true);
  });
});

describe('the tree', () => {
  it('puts a branch only under a higher level', () => {
    expect(() => checkParentLevel('COUNTY', { level: 'PREFECTURE' })).not.toThrow();
    expect(() => checkParentLevel('COUNTY', { level: 'PROVINCIAL' })).not.toThrow();
    expect(fieldsOf(() => checkParentLevel('PROVINCIAL', { level: 'COUNTY' }))).toEqual(['input.parentId']);
    expect(fieldsOf(() => checkParentLevel('PREFECTURE', { level: 'PREFECTURE' }))).toEqual(['input.parentId']);
    expect(fieldsOf(() => checkParentLevel('COUNTY', null))).toEqual(['input.parentId']);
    expect(fieldsOf(() => checkParentLevel('NATIONAL', { level: 'NATIONAL' }))).toEqual(['input.parentId']);
  });

  it('refuses a move under the branch itself or its descendants', () => {
    const id = 'a'.repeat(24);
    expect(() => checkNotOwnDescendant(id, { _id: 'b'.repeat(24), ancestorIds: ['c'.repeat(24)] })).not.toThrow();
    expect(fieldsOf(() => checkNotOwnDescendant(id, { _id: id, ancestorIds: [] }))).toEqual(['parentId']);
    expect(fieldsOf(() => checkNotOwnDescendant(id, { _id: 'b'.repeat(24), ancestorIds: [id] }))).toEqual(['parentId']);
  });
});

describe('input validation', () => {
  it('names every offending field', () => {
    const fields = fieldsOf(() =>
      parseInput(createOrganizationInput, { name: '  ', level: 'COUNTY', divisionCode: '33010', parentId: 'nope' }),
    );
    expect(fields.sort()).toEqual(['input.divisionCode', 'input.name', 'input.parentId']);
  });

  it('refuses control characters and over-long names', () => {
    expect(fieldsOf(() => parseInput(createOrganizationInput, { name: 'a\u0000b', level: 'COUNTY' }))).toEqual(['input.name']);
    expect(fieldsOf(() => parseInput(createOrganizationInput, { name: 'x'.repeat(101), level: 'COUNTY' }))).toEqual(['input.name']);
  });

  it('checks term bodies and length', () => {
    const fields = fieldsOf(() =>
      parseInput(recordTermChangeInput, {
        organizationId: 'a'.repeat(24),
        congressDate: d('2021-01-01'),
        lengthYears: 0,
        bodies: [
          {
            kind: 'COUNCIL',
            size: 1,
            members: [
              { name: 'A', position: 'x' },
              { name: 'B', position: 'y' },
            ],
          },
        ],
      }),
    );
    expect(fields.sort()).toEqual(['input.bodies.0.members', 'input.lengthYears']);
  });
});
