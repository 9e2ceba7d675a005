import { GraphQLError, Kind } from 'graphql';
import { z } from 'zod';
import {
  DateScalar,
  DateTimeScalar,
  decodeCursor,
  encodeCursor,
  errorLogPlugin,
  formatError,
  pageSize,
  parseDate,
  parseInput,
  readEnv,
  port,
  bearerToken,
  MAX_PAGE_SIZE,
  formatDate,
  today,
  todayText,
} from '../src';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as GraphQLError).extensions?.code;
  }
  return 'no error';
};

describe('Date and DateTime scalars', () => {
  it('parse real calendar dates only', () => {
    expect(parseDate('2021-06-30')?.toISOString()).toBe('2021-06-30T00:00:00.000Z');
    expect(parseDate('2020-02-29')).not.toBeNull();
    expect(parseDate('2021-02-29')).toBeNull();
    expect(parseDate('2021-13-01')).toBeNull();
    expect(parseDate('2021-6-30')).toBeNull();
    expect(parseDate('2021-06-30T00:00:00Z')).toBeNull();
  });

  it('reject bad variables and literals with BAD_USER_INPUT naming the expected form', () => {
    expect(codeOf(() => DateScalar.parseValue('30/06/2021'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateScalar.parseValue(20210630))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateScalar.parseLiteral({ kind: Kind.INT, value: '1' }, {}))).toBe('BAD_USER_INPUT');
    expect(() => DateScalar.parseValue('nope')).toThrow(/YYYY-MM-DD/);
    expect(DateScalar.serialize(new Date('2021-06-30T15:00:00Z'))).toBe('2021-06-30');
  });

  it('require a time zone on DateTime', () => {
    expect(DateTimeScalar.parseValue('2021-06-30T08:00:00Z').toISOString()).toBe('2021-06-30T08:00:00.000Z');
    expect(DateTimeScalar.parseValue('2021-06-30T08:00:00+08:00').toISOString()).toBe('2021-06-30T00:00:00.000Z');
    expect(codeOf(() => DateTimeScalar.parseValue('2021-06-30T08:00:00'))).toBe('BAD_USER_INPUT');
  });
});

describe('cursor pagination', () => {
  it('round-trips cursors, dates included', () => {
    const when = new Date('2021-01-02T00:00:00Z');
    expect(decodeCursor(encodeCursor(when, 'abc'))).toEqual({ sortValue: when, id: 'abc' });
    expect(decodeCursor(encodeCursor('330000', 'x'))).toEqual({ sortValue: '330000', id: 'x' });
  });

  it('refuses foreign cursors and out-of-range page sizes, naming the argument', () => {
    expect(codeOf(() => decodeCursor('not-a-cursor'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url')))).toBe('BAD_USER_INPUT');
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
    expect(codeOf(() => pageSize(MAX_PAGE_SIZE + 1))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageSize(-1))).toBe('BAD_USER_INPUT');
  });
});

describe('errors', () => {
  const format = formatError;
  it('pass known codes through without stack traces', () => {
    const out = format({ message: 'x', extensions: { code: 'CONFLICT', stacktrace: ['a'] } });
    expect(out).toEqual({ message: 'x', extensions: { code: 'CONFLICT' } });
  });
  it('are logged with the request id: client mistakes at info without a stack, unknown errors at error (issue 16 item 4)', async () => {
    const lines: { level: string; fields: Record<string, unknown> }[] = [];
    const log = {
      info: (fields: Record<string, unknown>) => lines.push({ level: 'info', fields }),
      warn: (fields: Record<string, unknown>) => lines.push({ level: 'warn', fields }),
      error: (fields: Record<string, unknown>) => lines.push({ level: 'error', fields }),
    } as unknown as Parameters<typeof errorLogPlugin>[0];
    const hooks = await errorLogPlugin(log).requestDidStart!({} as never);
    const encounter = (errors: GraphQLError[]) => hooks!.didEncounterErrors!({ errors, contextValue: { requestId: 'r-1' } } as never);
    const cause = new Error('boom');
    await encounter([
      new GraphQLError('Expected value of type "Date!"', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      new GraphQLError('not yours', { path: ['a'], extensions: { code: 'FORBIDDEN' } }),
    ]);
    expect(lines).toEqual([
      {
        level: 'info',
        fields: { requestId: 'r-1', code: 'GRAPHQL_VALIDATION_FAILED', path: undefined, message: 'Expected value of type "Date!"' },
      },
      { level: 'info', fields: { requestId: 'r-1', code: 'FORBIDDEN', path: ['a'], message: 'not yours' } },
    ]);
    await encounter([
      new GraphQLError('boom', { path: ['b'], originalError: cause }),
      new GraphQLError('The people service is unavailable', {
        path: ['c'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', service: 'people' },
      }),
    ]);
    expect(lines.map((l) => l.level)).toEqual(['info', 'info', 'error', 'warn']);
    // The resolver's own error, with its stack, under the request's id.
    expect(lines[2].fields).toEqual({ requestId: 'r-1', err: cause, path: ['b'] });
    expect(lines[3].fields).toMatchObject({ requestId: 'r-1', service: 'people', path: ['c'] });
  });

  it('name a service that could not be reached, and nothing else of its error', () => {
    const out = format({
      message: 'The people service is unavailable; the other fields are answered',
      path: ['a'],
      locations: [{ line: 1, column: 1 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR', service: 'people', stacktrace: ['at x'] },
    });
    expect(out).toEqual({
      message: 'The people service is unavailable; the other fields are answered',
      path: ['a'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', service: 'people' },
    });
  });
  it('hide unknown errors behind INTERNAL_SERVER_ERROR', () => {
    const out = format({ message: 'connection string mongodb://secret', path: ['a'] });
    expect(out).toEqual({
      message: 'Internal server error',
      path: ['a'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
  it('keep GraphQL validation errors as they are', () => {
    const e = { message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(format(e)).toBe(e);
  });
});

describe('input validation', () => {
  it('names every offending field under its prefix', () => {
    const schema = z.object({ name: z.string().min(1), age: z.number().int() });
    try {
      parseInput(schema, { name: '', age: 1.5 });
      throw new Error('should have failed');
    } catch (e) {
      const err = e as GraphQLError;
      expect(err.extensions.code).toBe('BAD_USER_INPUT');
      expect((err.extensions.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['input.age', 'input.name']);
    }
  });
});

describe('environment', () => {
  it('names every bad variable at once', () => {
    expect(() => readEnv({ PORT: port(4000), MODE: z.enum(['a', 'b']) }, { PORT: 'x', MODE: 'c' })).toThrow(/PORT[\s\S]*MODE/);
    expect(readEnv({ PORT: port(4000) }, {})).toEqual({ PORT: 4000 });
  });
});

describe('viewer', () => {
  it('reads a bearer token from the Authorization header', () => {
    expect(bearerToken({ authorization: 'Bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'Basic abc' })).toBeNull();
    expect(bearerToken({})).toBeNull();
  });
});

describe('today', () => {
  it('is the day in China: from 16:00 UTC the next calendar day, never the UTC day (a member joining at 00:30 in Beijing)', () => {
    expect(formatDate(today(new Date('2026-12-02T15:59:59Z')))).toBe('2026-12-02');
    expect(formatDate(today(new Date('2026-12-02T16:30:00Z')))).toBe('2026-12-03');
    expect(formatDate(today(new Date('2026-12-31T16:00:00Z')))).toBe('2027-01-01');
    expect(today(new Date('2026-12-02T16:30:00Z')).toISOString()).toBe('2026-12-03T00:00:00.000Z');
  });

  it('changes at midnight to the millisecond, though it formats only once a minute', () => {
    expect(formatDate(today(new Date('2026-12-02T15:59:00.000Z')))).toBe('2026-12-02');
    expect(formatDate(today(new Date('2026-12-02T15:59:59.999Z')))).toBe('2026-12-02');
    expect(formatDate(today(new Date('2026-12-02T16:00:00.000Z')))).toBe('2026-12-03');
    expect(formatDate(today(new Date('2026-12-02T15:59:30.000Z')))).toBe('2026-12-02');
    // Callers get their own Date: changing it changes no later answer.
    today(new Date('2026-12-02T16:00:01Z')).setUTCFullYear(1999);
    expect(formatDate(today(new Date('2026-12-02T16:00:02Z')))).toBe('2026-12-03');
  });

  it('todayText is the same day as text, also across midnight', () => {
    for (const at of ['2026-12-02T15:59:59.999Z', '2026-12-02T16:00:00.000Z', '2026-12-31T16:00:00Z', '2026-12-31T15:00:00Z'])
      expect(todayText(new Date(at))).toBe(formatDate(today(new Date(at))));
  });
});
