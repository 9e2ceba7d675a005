// The mixed row with writes (issue 22): the read mix, with a share of requests replaced by
// `registerMember` into county branches of eight provinces in turn, each followed by a
// read-your-writes check: the county's member count read through the same gateway before the
// write must have grown after it. Any stale read fails the row.
import { randomInt } from 'node:crypto';
import { buildBranchTree } from '@rcsc/dataset';
import { withCheckDigit } from '@rcsc/personal-data';
import { requestBody, seededRandom, type Operation } from './operations';
import { BENCH_REQUEST_ID } from './log-lines';

export interface WritesResult {
  responses: number;
  failed: number;
  writes: number;
  /** Reads after a write through the same gateway that did not show it. */
  stale: number;
  seconds: number;
  latencies: number[];
  /** The same latencies by kind: the mix's reads, the counts before and after each write, the writes. */
  byKind: Record<RequestKind, number[]>;
  cache: { hit: number; miss: number; bypass: number };
}

export type RequestKind = 'read' | 'count' | 'write';

const COUNT = 'query CountyMembers($id: ID!) { organization(id: $id) { members(first: 1) { totalCount } } }';
const REGISTER = 'mutation Register($input: RegisterMemberInput!) { registerMember(input: $input) { id } }';

/** Counties of eight provinces (with a division code, for the identity numbers), provinces in turn. */
function countiesByProvince(): { id: string; divisionCode: string }[][] {
  const tree = buildBranchTree();
  return tree
    .filter((b) => b.level === 'PROVINCIAL' && b.divisionCode)
    .slice(0, 8)
    .map((p) =>
      tree
        .filter((b) => b.level === 'COUNTY' && b.divisionCode && b.ancestorIds.includes(p.id))
        .map((b) => ({ id: b.id, divisionCode: b.divisionCode! })),
    )
    .filter((list) => list.length > 0);
}

/**
 * Identity numbers unique within a run: the sequence gives the birth day (from 1960, over ~27
 * years) and the 3-digit order. It starts at a random point, so that a run on a kept dataset
 * does not register the people of the run before it again (then every repeated one was a
 * CONFLICT, counted as a failed answer: 56 of 107 writes in a second national run).
 */
let sequence = randomInt(0, 9_000_000);
export function nextIdNumber(region: string): string {
  const n = sequence++;
  const born = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  return withCheckDigit(`${region}${born}${String(n % 1000).padStart(3, '0')}`);
}

export async function mixWithWrites(
  url: string,
  token: string,
  pick: (rng: () => number) => Operation,
  opts: { seconds: number; connections: number; share: number; seed: number },
): Promise<WritesResult> {
  const counties = countiesByProvince();
  const rng = seededRandom(opts.seed);
  const out: WritesResult = {
    responses: 0,
    failed: 0,
    writes: 0,
    stale: 0,
    seconds: 0,
    latencies: [],
    byKind: { read: [], count: [], write: [] },
    cache: { hit: 0, miss: 0, bypass: 0 },
  };
  let turn = 0;
  const post = async (body: string, kind: RequestKind) => {
    const t = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': BENCH_REQUEST_ID },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    out.latencies.push(performance.now() - t);
    out.byKind[kind].push(performance.now() - t);
    out.responses++;
    const x = res.headers.get('x-cache');
    if (x === 'hit' || x === 'miss' || x === 'bypass') out.cache[x]++;
    if (res.status !== 200 || json.errors?.length || !json.data) {
      out.failed++;
      return null;
    }
    return json.data;
  };
  const count = async (id: string) => {
    const data = (await post(JSON.stringify({ query: COUNT, variables: { id } }), 'count')) as {
      organization?: { members: { totalCount: number } };
    } | null;
    return data?.organization?.members.totalCount ?? null;
  };
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      if (rng() >= opts.share) {
        await post(requestBody(pick(rng), rng), 'read').catch(() => out.failed++);
        continue;
      }
      const list = counties[turn++ % counties.length];
      const county = list[Math.floor(rng() * list.length)];
      try {
        const before = await count(county.id);
        const written = await post(
          JSON.stringify({
            query: REGISTER,
            variables: {
              input: {
                organizationId: county.id,
                kind: 'ADULT',
                name: '基准测试',
                idNumber: nextIdNumber(county.divisionCode),
                joinedOn: '2026-11-01',
              },
            },
          }),
          'write',
        );
        if (!written) continue;
        out.writes++;
        const after = await count(county.id);
        // Other workers may write to the same county meanwhile: the count can only have grown more.
        if (before === null || after === null || after < before + 1) out.stale++;
      } catch {
        out.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
