import type { TableRequest, TableSource } from '../src/table-source';
import { ANNUAL_FIELDS, REGISTER_FIELDS, SURVEY_FIELDS, type TableValues } from '../src/tables';

/** Live values that tests can change: a deterministic number per branch, period and field, unless overridden. */
export class FakeTables implements TableSource {
  overrides = new Map<string, number>();
  authorizations: string[] = [];
  /** One entry per call: the keys ("orgId|periodKey") asked for in it. */
  calls: string[][] = [];
  /** Every request, in order. */
  requests: TableRequest[] = [];
  private value(orgId: string, key: string, field: string): number {
    const o = this.overrides.get(`${orgId}|${key}|${field}`);
    if (o !== undefined) return o;
    let h = 7;
    for (const ch of `${orgId}${key}${field}`) h = (h * 31 + ch.charCodeAt(0)) % 10007;
    return h;
  }
  private table(orgId: string, key: string, fields: string[]): TableValues {
    return Object.fromEntries(fields.map((f) => [f, this.value(orgId, key, f)]));
  }
  async read(requests: readonly TableRequest[], authorization: string) {
    this.authorizations.push(authorization);
    const keys = requests.map((r) =>
      r.table === 'SURVEY' ? `${r.organizationId}|SURVEY:${r.asOf.toISOString().slice(0, 10)}` : `${r.organizationId}|${r.table}:${r.year}`,
    );
    this.calls.push(keys);
    this.requests.push(...requests);
    const fieldsOf = (r: TableRequest) =>
      r.table === 'SURVEY' ? SURVEY_FIELDS : r.table === 'ANNUAL' ? ANNUAL_FIELDS : [...REGISTER_FIELDS];
    return requests.map((r, i) => this.table(r.organizationId, keys[i].split('|')[1], fieldsOf(r)));
  }
  live(orgId: string, key: string, field: string) {
    return this.value(orgId, key, field);
  }
}
