// Dated rules in one place: each says, over a record's stored fields, when a fact holds (a member
// is ACTIVE, a volunteer is registered nationally, a team exists). The spans, the answer on one
// date, the MongoDB condition and the counters' contributions are all derived from that one rule.
import type { Contribution } from '@rcsc/counters';

/** [from, until): until null means the fact still holds. */
export interface Span {
  from: Date;
  until: Date | null;
}

/** Dated periods stored on a record (e.g. a member's closed lapses). */
export interface Gap {
  since: Date;
  until: Date;
}

/**
 * A fact that holds from the date in `from` until the earliest date among `ends` (a field left
 * null does not end it; `required` ends are never null), except during the periods in `gaps`.
 */
export interface SpanRule {
  from: string;
  ends: readonly { field: string; required?: boolean }[];
  gaps?: string;
}

/** A member is ACTIVE from joining until withdrawing or lapsing, except during closed lapses. */
export const MEMBER_ACTIVE = {
  from: 'joinedOn',
  ends: [{ field: 'withdrawnOn' }, { field: 'lapsesOn', required: true }],
  gaps: 'lapses',
} as const satisfies SpanRule;

/** A volunteer counts as registered from the national registration until leaving (indicator 12). */
export const VOLUNTEER_REGISTERED = { from: 'nationalRegisteredOn', ends: [{ field: 'endedOn' }] } as const satisfies SpanRule;

/** A team exists from its founding until it is dissolved (indicator 13). */
export const TEAM_EXISTS = { from: 'foundedOn', ends: [{ field: 'dissolvedOn' }] } as const satisfies SpanRule;

const field = <T>(record: object, name: string) => (record as Record<string, unknown>)[name] as T;

/** The spans over which `rule` holds for `record`, in date order (gaps clipped and merged). */
export function spansOf(rule: SpanRule, record: object): Span[] {
  const from = field<Date | null | undefined>(record, rule.from);
  if (!from) return [];
  let until: Date | null = null;
  for (const end of rule.ends) {
    const d = field<Date | null | undefined>(record, end.field);
    if (d && (!until || d < until)) until = d;
  }
  if (until && until <= from) return [];
  const gaps = (rule.gaps ? (field<Gap[] | undefined>(record, rule.gaps) ?? []) : [])
    .map((g) => ({ since: g.since > from ? g.since : from, until: until && g.until > until ? until : g.until }))
    .filter((g) => g.until > g.since)
    .sort((a, b) => a.since.getTime() - b.since.getTime());
  const spans: Span[] = [];
  let start: Date | null = from;
  for (const g of gaps) {
    if (start && g.since > start) spans.push({ from: start, until: g.since });
    if (!start || g.until > start) start = g.until;
  }
  if (start && (!until || start < until)) spans.push({ from: start, until });
  return spans;
}

/** Whether `rule` holds for `record` on `date`. */
export function holdsOn(rule: SpanRule, record: object, date: Date): boolean {
  return spansOf(rule, record).some((s) => s.from <= date && (!s.until || date < s.until));
}

/** The MongoDB condition "`rule` holds on `date`" (the same rule as spansOf, on stored fields). */
export function holdsOnFilter(rule: SpanRule, date: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = { [rule.from]: { $lte: date } };
  const and: Record<string, unknown>[] = [];
  for (const end of rule.ends) {
    if (end.required) filter[end.field] = { $gt: date };
    else and.push({ $or: [{ [end.field]: null }, { [end.field]: { $gt: date } }] });
  }
  if (rule.gaps) and.push({ $nor: [{ [rule.gaps]: { $elemMatch: { since: { $lte: date }, until: { $gt: date } } } }] });
  if (and.length === 1) return { ...filter, ...and[0] };
  if (and.length) filter.$and = and;
  return filter;
}

/** The counters' contributions of a record: +1 under `key` where a span starts, -1 where it ends. */
export function spanContributions(key: string, spans: readonly Span[]): Contribution[] {
  return spans.flatMap((s) => [{ key, on: s.from, delta: 1 }, ...(s.until ? [{ key, on: s.until, delta: -1 }] : [])]);
}
