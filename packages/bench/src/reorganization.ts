// How long a reorganization takes at this scale (issue 15's closing figure): a prefecture with
// its counties moved to another province through the gateway, then the time until every subgraph
// has applied it (its `reorganizations_applied` marker), and the first read by the new parent's
// staff. The move is dated today and alternates direction between runs; a prefecture already moved
// today is refused by the tree's own rule (history is added to, never rewritten), so the next one
// in PREFECTURES is moved instead, and the row is skipped once all of them were.
import type mongoose from 'mongoose';
import type { Authenticator } from '@rcsc/service-kit';

// 温州市 (12 county-level branches), then 宁波市, 嘉兴市, 绍兴市, 台州市, 金华市 and 丽水市, all of 浙江 (330000).
const PREFECTURES = ['330300', '330200', '330400', '330600', '331000', '330700', '331100'];
const PROVINCES = ['330000', '320000'];
const FOLLOWERS = ['grassroots', 'people', 'training', 'reporting'];

async function post(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function measureReorganization(
  gatewayUrl: string,
  token: string,
  client: mongoose.mongo.MongoClient,
  auth: Authenticator,
  log: (line: string) => void,
): Promise<void> {
  for (const code of PREFECTURES) {
    const outcome = await movePrefecture(code, gatewayUrl, token, client, auth, log);
    if (outcome !== 'moved today') return;
  }
  log(`reorganization: skipped (${PREFECTURES.join(', ')} were all moved today: a later move must be dated after it)`);
}

async function movePrefecture(
  code: string,
  gatewayUrl: string,
  token: string,
  client: mongoose.mongo.MongoClient,
  auth: Authenticator,
  log: (line: string) => void,
): Promise<'done' | 'moved today'> {
  const before = await post(
    gatewayUrl,
    token,
    `{ organization(divisionCode: "${code}") { id name parent { divisionCode } descendants(first: 0) { totalCount } } }`,
  );
  const p = before.data?.organization;
  if (!p) {
    log(`reorganization: ${code} not found (${JSON.stringify(before.errors)})`);
    return 'done';
  }
  const target = PROVINCES.find((c) => c !== p.parent.divisionCode)!;
  const to = (await post(gatewayUrl, token, `{ organization(divisionCode: "${target}") { id } }`)).data.organization.id as string;
  const markers = async () =>
    Promise.all(
      FOLLOWERS.map(
        async (name) =>
          (
            (await client
              .db(`rcsc_${name}`)
              .collection('reorganizations_applied')
              .findOne({ _id: 'reorganizations' as never })) as { applied?: number } | null
          )?.applied ?? 0,
      ),
    );
  const start = performance.now();
  const moved = await post(gatewayUrl, token, `mutation($id: ID!, $p: ID!) { moveOrganization(id: $id, parentId: $p) { id } }`, {
    id: p.id,
    p: to,
  });
  const committed = performance.now() - start;
  if (moved.errors) {
    // The tree refuses a second move of the same branch on one day: the next prefecture is tried.
    if (/ was moved on /.test(moved.errors[0].message)) return 'moved today';
    log(`reorganization: skipped (${moved.errors[0].message})`);
    return 'done';
  }
  const seq = Math.max(...(await markers())) + 1;
  const applied = new Map<string, number>();
  while (applied.size < FOLLOWERS.length && performance.now() - start < 600_000) {
    const now = await markers();
    FOLLOWERS.forEach((name, i) => {
      if (now[i] >= seq && !applied.has(name)) applied.set(name, performance.now() - start);
    });
    await new Promise((r) => setTimeout(r, 20));
  }
  // The new province's staff read the moved prefecture's members at once (the tree version header).
  const staff = await auth.sign({ sub: 'bench:staff', org: to, roles: ['STAFF'], name: 'Benchmark staff' });
  const readStart = performance.now();
  const read = await post(gatewayUrl, staff, `query($id: ID!) { organization(id: $id) { members(first: 1) { totalCount } } }`, {
    id: p.id,
  });
  const readMs = performance.now() - readStart;
  log(`\nreorganization: ${p.name} (${p.descendants.totalCount} branches below) moved from ${p.parent.divisionCode} to ${target}`);
  log(`  mutation committed and answered: ${committed.toFixed(0)} ms`);
  for (const name of FOLLOWERS)
    log(`  ${name} applied it after ${applied.has(name) ? `${applied.get(name)!.toFixed(0)} ms` : 'more than 10 min'}`);
  log(
    `  first read by the new province's staff: ${readMs.toFixed(0)} ms, ${read.errors ? `error ${read.errors[0].extensions?.code}` : `${read.data.organization.members.totalCount} members`}`,
  );
  return 'done';
}
