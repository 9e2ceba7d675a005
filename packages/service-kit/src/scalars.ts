import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "YYYY-MM-DD" into a UTC midnight Date, rejecting impossible dates such as 2021-02-30. */
export function parseDate(value: string): Date | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
}

/**
 * The Red Cross Society of China dates its facts by the day in China (UTC+8, no daylight saving):
 * a member who joined at 00:30 in Beijing joined that day, not the day before, as UTC would have it.
 */
export const DATE_TIME_ZONE = 'Asia/Shanghai';
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: DATE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last minute today() formatted, and its day (also as text): the response cache asks on every request. */
let lastDay = { minute: NaN, day: 0, text: '' };

function chinaDay(now: Date): typeof lastDay {
  // A day changes on a whole minute in every time zone (offsets are whole minutes): one format a minute is exact.
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastDay.minute) {
    const text = CHINA_DAY.format(now);
    lastDay = { minute, day: parseDate(text)!.getTime(), text };
  }
  return lastDay;
}

/** Today in China, as that day's UTC midnight (how every date is stored): the only definition of "today". */
export function today(now: Date = new Date()): Date {
  return new Date(chinaDay(now).day);
}

/** today() as YYYY-MM-DD, without a Date made and formatted per call. */
export function todayText(now: Date = new Date()): string {
  return chinaDay(now).text;
}

export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function badScalar(type: string, value: unknown, expected: string): GraphQLError {
  return new GraphQLError(`${type} cannot represent ${JSON.stringify(value)}: expected ${expected}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

function toDateObject(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** A calendar date, "YYYY-MM-DD", in UTC. */
export const DateScalar = new GraphQLScalarType<Date, string>({
  name: 'Date',
  description: 'A calendar date in ISO 8601 form, YYYY-MM-DD (UTC).',
  serialize(value) {
    const d = toDateObject(value);
    if (!d) throw badScalar('Date', value, 'a date');
    return formatDate(d);
  },
  parseValue(value) {
    const d = typeof value === 'string' ? parseDate(value) : null;
    if (!d) throw badScalar('Date', value, 'a date as YYYY-MM-DD');
    return d;
  },
  parseLiteral(ast) {
    const d = ast.kind === Kind.STRING ? parseDate(ast.value) : null;
    if (!d) throw badScalar('Date', ast.kind === Kind.STRING ? ast.value : ast.kind, 'a date as YYYY-MM-DD');
    return d;
  },
});

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant, ISO 8601 with a time zone. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in ISO 8601 form with a time zone, e.g. 2021-06-30T08:00:00Z.',
  serialize(value) {
    const d = toDateObject(value);
    if (!d) throw badScalar('DateTime', value, 'a date-time');
    return d.toISOString();
  },
  parseValue(value) {
    const d = typeof value === 'string' && DATETIME_RE.test(value) ? toDateObject(value) : null;
    if (!d) throw badScalar('DateTime', value, 'an ISO 8601 date-time with a time zone');
    return d;
  },
  parseLiteral(ast) {
    const d = ast.kind === Kind.STRING && DATETIME_RE.test(ast.value) ? toDateObject(ast.value) : null;
    if (!d) throw badScalar('DateTime', ast.kind === Kind.STRING ? ast.value : ast.kind, 'an ISO 8601 date-time with a time zone');
    return d;
  },
});

export const scalarResolvers = { Date: DateScalar, DateTime: DateTimeScalar };
